# run:
# Classes, exceptions, a prebuilt instance and a factory imported from a helper module, subclassed locally.

import _shapes
from _shapes import Quad, ShapeError, make


class Square(Quad):
    def __init__(self, side):
        Quad.__init__(self, "square", side, side)


class Pentagon(_shapes.Shape):
    sides = 5


def entry_point(argv):
    shapes = [make(3, "tri"), make(4, "rect"), Square(5), Pentagon("pent"), _shapes.UNIT]
    for s in shapes:
        line = s.describe()
        if isinstance(s, Quad):
            line += " area %d" % s.area()
        print(line)
    _shapes.UNIT.w = 7
    print(_shapes.UNIT.area(), isinstance(shapes[2], _shapes.Shape))
    for k in [4, 6]:
        try:
            print(make(k, "x").describe())
        except ShapeError as e:
            print("error:", str(e))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
