# run:
# run: 7
# str(), print(), f"{x}" and '%s' of ordinary instances call __str__, as in CPython (PySOM's
# disassembler prints `str(m.get_constant(b))` on any AbstractObject): inherited and
# overridden __str__, a receiver that may be None, and a prebuilt instance.


class W_Object(object):
    def __str__(self):
        return "<" + self.kind() + ">"

    def kind(self):
        return "object"


class W_Integer(W_Object):
    def __init__(self, value):
        self.value = value

    def kind(self):
        return "int"

    def __str__(self):
        return "Integer(" + str(self.value) + ")"


class W_String(W_Object):
    def __init__(self, s):
        self.s = s

    def kind(self):
        return "str " + self.s


class W_Symbol(W_String):
    def __str__(self):
        return "#" + self.s


w_nil = W_Object()


def make(i):
    if i % 4 == 0:
        return W_Integer(i * 3)
    if i % 4 == 1:
        return W_String("s%d" % i)
    if i % 4 == 2:
        return W_Symbol("sym%d" % i)
    return w_nil


def lookup(objs, i):
    if 0 <= i < len(objs):
        return objs[i]
    return None


def entry_point(argv):
    n = 6
    if len(argv) > 1:
        n = int(argv[1])
    objs = [make(i) for i in range(n)]
    for w in objs:
        print(w)
        print("str:", str(w), "f: %s" % f"{w}!")
    print(str(lookup(objs, 2)), str(lookup(objs, 99)))
    print(lookup(objs, n + 1))
    print(f"{lookup(objs, -1)} and {w_nil}")
    print("pct: %s and %s|" % (lookup(objs, 1), lookup(objs, 99)), "%-10s|" % objs[0])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
