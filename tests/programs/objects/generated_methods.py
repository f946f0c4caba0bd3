# run:
# Methods generated at import time by a factory and attached to classes with setattr in a module-level loop.


class Vec(object):
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def show(self):
        return "(%d, %d)" % (self.x, self.y)


def _make_binop(name):
    if name == "add":
        def method(self, other):
            return Vec(self.x + other.x, self.y + other.y)
    elif name == "sub":
        def method(self, other):
            return Vec(self.x - other.x, self.y - other.y)
    else:
        def method(self, other):
            return Vec(self.x * other.x, self.y * other.y)
    method.__name__ = name
    return method


def _make_getter(field, scale):
    def getter(self):
        if field == "x":
            return self.x * scale
        return self.y * scale
    return getter


for _name in ["add", "sub", "mul"]:
    setattr(Vec, _name, _make_binop(_name))
for _f in ["x", "y"]:
    for _s in [2, 10]:
        setattr(Vec, "%s_times_%d" % (_f, _s), _make_getter(_f, _s))


def entry_point(argv):
    a = Vec(3, 4)
    b = Vec(-1, 2)
    print(a.add(b).show(), a.sub(b).show(), a.mul(b).show())
    c = a.add(b).mul(a.sub(b))
    print(c.show(), c.x_times_2(), c.y_times_10(), a.x_times_10(), b.y_times_2())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
