# run:
# specialize.argtype(0): one copy of a function per argument type (int, str, float, instance).

from kiln.objectmodel import specialize


class Box(object):
    def __init__(self, v):
        self.v = v

    def describe(self):
        return "box(%d)" % self.v


@specialize.argtype(0)
def double(x):
    return x + x


@specialize.argtype(0)
def describe(x):
    if isinstance(x, Box):
        return x.describe()
    return str(x)


@specialize.argtype(0, 1)
def pair(a, b):
    return "(" + describe(a) + ", " + describe(b) + ")"


def entry_point(argv):
    print(double(21), double("ab"), double(1.5))
    print(describe(7), describe("s"), describe(Box(3)))
    print(pair(1, "x"), pair("y", 2), pair(Box(1), 0), pair(3, 4))
    n = double(double(5))
    s = double(double("z"))
    print(n, s, len(s))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
