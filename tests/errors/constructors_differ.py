"""Classes instantiated through one variable must take the same constructor arguments."""


class Point(object):
    def __init__(self, x, y=0):
        self.x = x
        self.y = y


class Label(Point):
    def __init__(self, x, y=10):
        Point.__init__(self, x, y)
        self.text = "label"


KINDS = {"p": Point, "l": Label}


def entry_point(argv):
    cls = KINDS[argv[1]]
    obj = cls(1)
    print(obj.y)
    return 0
