# run:
# run: 12
# Classes declaring _immutable_fields_ (plain and with [*] / ? suffixes); behaviour is unchanged.


class Code(object):
    _immutable_fields_ = ["name", "consts[*]", "argcount"]

    def __init__(self, name, consts, argcount):
        self.name = name
        self.consts = consts
        self.argcount = argcount


class Frame(object):
    _immutable_fields_ = ["code", "parent?"]

    def __init__(self, code, parent):
        self.code = code
        self.parent = parent
        self.acc = 0

    def run(self, x):
        for c in self.code.consts:
            self.acc += c * x
        return self.acc


class Point(object):
    _immutable_fields_ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, o):
        return Point(self.x + o.x, self.y + o.y)


def entry_point(argv):
    x = 2
    if len(argv) > 1:
        x = int(argv[1])
    code = Code("f", [1, 2, 3], 1)
    f1 = Frame(code, None)
    f2 = Frame(code, f1)
    print(f1.run(x), f2.run(x + 1), f1.run(1))
    p = f2.parent
    print(p is f1, f2.code.name, f1.parent is None, code.argcount)
    q = Point(0, 0)
    for i in range(x):
        q = q.add(Point(i, -i * 2))
    print(q.x, q.y)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
