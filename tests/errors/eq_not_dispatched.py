"""__eq__, __lt__ and __hash__ are not dispatched: every place CPython would call them is E0340."""


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __eq__(self, other):
        return self.x == other.x and self.y == other.y


class Version:
    def __init__(self, n):
        self.n = n

    def __lt__(self, other):
        return self.n < other.n


class Plain:
    pass


def entry_point(argv):
    a = Point(1, 2)
    b = Point(1, len(argv))
    print(a == b)
    pts = [a, b]
    print(b in pts, pts.index(b))
    seen = {}
    seen[a] = 1
    print(Version(1) < Version(len(argv)))
    p = Plain()
    print(p == Plain(), p is p)
    return 0
