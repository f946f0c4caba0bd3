# run:
# run: 7
# Floats that may be bools made at import time (a prebuilt list, a class default, a
# dict value) and at run time, read back through attributes, dicts, tuples, iteration
# and calls: each keeps its type, as in CPython.


TABLE = [0.5, True, False, 2.0]


class Cell(object):
    value = False

    def __init__(self, v, given):
        if given:
            self.value = v

    def show(self):
        return "Cell(" + str(self.value) + ")"


def pick(i):
    return TABLE[i % len(TABLE)]


def kind(x):
    if not isinstance(x, float):
        # Narrowed to a bool here.
        return "bool:" + str(x and True)
    return "float:" + str(x * 1.0)


def entry_point(argv):
    n = len(argv) - 1
    if n > 0:
        TABLE.append(float(len(argv[1])))
        TABLE[0] = n > 3
    cells = [Cell(0.0, False), Cell(pick(n), True), Cell(1.25, True)]
    d = {"a": pick(1), "b": 3.5}
    d["c"] = pick(2)
    for c in cells:
        print(c.show(), kind(c.value))
    for k in ["a", "b", "c"]:
        v = d[k]
        print(k, v, kind(v), v == 1, v != 0.0, v >= 1.0)
    pairs = [(i, x) for i, x in enumerate(TABLE)]
    for i, x in pairs:
        print(i, x, "%r" % x, "%5.2f|%s" % (x, x), f"[{x!r:>6}]")
    total = 0.0
    for x in TABLE:
        total += x
    print("total", total, sum([float(x) for x in TABLE], 0.0), int(TABLE[1]) + 1)
    rev = TABLE[::-1]
    rev.insert(1, True)
    print(len(rev), rev.pop(0), rev.pop(0), rev.pop())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
