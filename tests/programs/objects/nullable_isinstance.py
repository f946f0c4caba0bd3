# run:
# A nullable base-class reference narrowed first by `is None`, then by isinstance, to reach subclass fields.


class Value(object):
    pass


class IntV(Value):
    def __init__(self, n):
        self.n = n


class ListV(Value):
    def __init__(self):
        self.items = []


class Env(object):
    def __init__(self):
        self.slots = {}

    def lookup(self, name):
        if name in self.slots:
            return self.slots[name]
        return None


def show(v):
    if v is None:
        return "none"
    if isinstance(v, IntV):
        return "int %d" % v.n
    if isinstance(v, ListV):
        parts = []
        for x in v.items:
            parts.append(show(x))
        return "[" + ", ".join(parts) + "]"
    return "?"


def get_int(env, name, default):
    v = env.lookup(name)
    if v is not None and isinstance(v, IntV):
        return v.n
    return default


def entry_point(argv):
    env = Env()
    env.slots["a"] = IntV(4)
    lst = ListV()
    lst.items.append(IntV(1))
    lst.items.append(IntV(2))
    inner = ListV()
    inner.items.append(IntV(3))
    lst.items.append(inner)
    env.slots["l"] = lst
    for name in ["a", "l", "zz"]:
        print(name, show(env.lookup(name)), get_int(env, name, -1))
    v = env.lookup("l")
    cnt = 0
    if isinstance(v, ListV):
        for x in v.items:
            if isinstance(x, IntV):
                cnt += x.n
    print("sum", cnt)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
