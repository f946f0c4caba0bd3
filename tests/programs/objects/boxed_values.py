# run:
# Boxed interpreter values (W_Int, W_Str, W_List) with virtual add()/str()/is_true() and double dispatch.


class W_Root(object):
    def add(self, other):
        raise TypeError("unsupported add")

    def add_int(self, n):
        raise TypeError("unsupported add_int")

    def str_w(self):
        return "<root>"

    def is_true(self):
        return True

    def type_name(self):
        return "object"


class W_Int(W_Root):
    def __init__(self, n):
        self.n = n

    def add(self, other):
        return other.add_int(self.n)

    def add_int(self, n):
        return W_Int(n + self.n)

    def str_w(self):
        return str(self.n)

    def is_true(self):
        return self.n != 0

    def type_name(self):
        return "int"


class W_Str(W_Root):
    def __init__(self, s):
        self.s = s

    def add(self, other):
        if isinstance(other, W_Str):
            return W_Str(self.s + other.s)
        raise TypeError("can only concatenate str to str")

    def add_int(self, n):
        return W_Str(str(n) + self.s)

    def str_w(self):
        return "'" + self.s + "'"

    def is_true(self):
        return len(self.s) > 0

    def type_name(self):
        return "str"


class W_List(W_Root):
    def __init__(self, items):
        self.items = items

    def add(self, other):
        if isinstance(other, W_List):
            return W_List(self.items + other.items)
        raise TypeError("can only concatenate list to list")

    def str_w(self):
        parts = []
        for w in self.items:
            parts.append(w.str_w())
        return "[" + ", ".join(parts) + "]"

    def is_true(self):
        return len(self.items) > 0

    def type_name(self):
        return "list"


def try_add(a, b):
    try:
        r = a.add(b)
        return "%s + %s = %s" % (a.str_w(), b.str_w(), r.str_w())
    except TypeError as e:
        return "%s + %s: TypeError: %s" % (a.type_name(), b.type_name(), str(e))


def entry_point(argv):
    vals = [W_Int(3), W_Int(0), W_Str("ab"), W_Str(""), W_List([W_Int(1)]), W_List([])]
    for a in vals:
        for b in vals:
            print(try_add(a, b))
    truthy = []
    for v in vals:
        truthy.append("T" if v.is_true() else "F")
    print("".join(truthy))
    acc = W_Int(0)
    for i in range(10):
        acc = acc.add(W_Int(i))
    print(acc.str_w(), acc.type_name())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
