# run:
# run: 4
# Three-level single inheritance with super().__init__(...) chains and extra fields.


class Shape(object):
    def __init__(self, name, x, y):
        self.name = name
        self.x = x
        self.y = y
        self.log = []
        self.log.append("Shape.__init__")

    def move(self, dx, dy):
        self.x += dx
        self.y += dy

    def area(self):
        return 0

    def describe(self):
        return "%s at (%d, %d) area %d" % (self.name, self.x, self.y, self.area())


class Rect(Shape):
    def __init__(self, name, x, y, w, h):
        super().__init__(name, x, y)
        self.w = w
        self.h = h
        self.log.append("Rect.__init__")

    def area(self):
        return self.w * self.h


class Square(Rect):
    def __init__(self, x, y, side):
        super().__init__("square", x, y, side, side)
        self.log.append("Square.__init__")

    def grow(self, by):
        self.w += by
        self.h += by


class Circle(Shape):
    def __init__(self, x, y, r):
        super().__init__("circle", x, y)
        self.r = r
        self.log.append("Circle.__init__")

    def area(self):
        return 3 * self.r * self.r


def entry_point(argv):
    k = 2
    if len(argv) > 1:
        k = int(argv[1])
    shapes = [Rect("rect", 0, 0, 3, 4), Square(1, 1, k), Circle(5, -5, k + 1)]
    for s in shapes:
        s.move(k, -k)
        print(s.describe())
        print(" <- ".join(s.log))
    sq = Square(0, 0, 1)
    for i in range(k):
        sq.grow(i)
    print(sq.describe(), sq.w, sq.h)
    total = 0
    for s in shapes:
        total += s.area()
    print("total", total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
