# run:
# Base-class methods that raise NotImplementedError, overridden in subclasses; calling the base one is caught.


class Shape(object):
    def __init__(self, name):
        self.name = name

    def area(self):
        raise NotImplementedError("area of " + self.name)

    def perimeter(self):
        raise NotImplementedError

    def summary(self):
        return "%s area=%d perimeter=%d" % (self.name, self.area(), self.perimeter())


class Rect(Shape):
    def __init__(self, w, h):
        Shape.__init__(self, "rect")
        self.w = w
        self.h = h

    def area(self):
        return self.w * self.h

    def perimeter(self):
        return 2 * (self.w + self.h)


class Tri(Shape):
    def __init__(self, a, b, c):
        Shape.__init__(self, "tri")
        self.a = a
        self.b = b
        self.c = c

    def area(self):
        return self.a * self.b // 2

    def perimeter(self):
        return self.a + self.b + self.c


class Blob(Shape):
    def area(self):
        return 42


def entry_point(argv):
    shapes = [Rect(2, 3), Tri(3, 4, 5), Blob("blob"), Shape("plain")]
    for s in shapes:
        try:
            print(s.summary())
        except NotImplementedError as e:
            print(s.name, "not implemented:", str(e))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
