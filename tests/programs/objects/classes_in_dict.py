# run:
# run: circle 3
# Classes stored in a dict and a list, selected at run time and instantiated with constructor arguments.


class Shape(object):
    def __init__(self, size):
        self.size = size

    def area(self):
        return 0

    def name(self):
        return "shape"


class Square(Shape):
    def area(self):
        return self.size * self.size

    def name(self):
        return "square"


class Circle(Shape):
    def area(self):
        return 314 * self.size * self.size // 100

    def name(self):
        return "circle"


class Triangle(Shape):
    def area(self):
        return self.size * self.size * 433 // 1000

    def name(self):
        return "triangle"


KINDS = {"square": Square, "circle": Circle, "triangle": Triangle}
ORDER = [Square, Circle, Triangle, Shape]


def make(kind, size):
    cls = KINDS.get(kind, Shape)
    return cls(size)


def entry_point(argv):
    shapes = []
    if len(argv) > 2:
        shapes.append(make(argv[1], int(argv[2])))
    for k in ["square", "triangle", "hexagon"]:
        shapes.append(make(k, 10))
    for cls in ORDER:
        shapes.append(cls(2))
    for s in shapes:
        print(s.name(), s.size, s.area())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
