# run:
# run: 3 x
# `type(w_obj) is W_IntObject` at run time, as PyPy's object space writes its fast
# paths: type() of an instance is its exact class (a subclass is not the base), compared
# with `is`, `==` and `is not`, and stored and compared later.


class W_Root(object):
    def str_w(self):
        return "?"


class W_IntObject(W_Root):
    def __init__(self, v):
        self.intval = v

    def str_w(self):
        return str(self.intval)


class W_BoolObject(W_IntObject):
    def str_w(self):
        return "True" if self.intval else "False"


class W_StrObject(W_Root):
    def __init__(self, s):
        self.strval = s

    def str_w(self):
        return self.strval


def add(w_a, w_b):
    if type(w_a) is W_IntObject and type(w_b) is W_IntObject:
        return W_IntObject(w_a.intval + w_b.intval)
    if isinstance(w_a, W_IntObject) and isinstance(w_b, W_IntObject):
        return W_IntObject(w_a.intval + w_b.intval + 1000)
    if type(w_a) == type(w_b):
        return W_StrObject(w_a.str_w() + w_b.str_w())
    return W_StrObject("mixed")


def entry_point(argv):
    objs = [W_IntObject(len(argv)), W_BoolObject(1), W_StrObject("s"), W_BoolObject(0)]
    for a in argv[1:]:
        if a.isdigit():
            objs.append(W_IntObject(int(a)))
        else:
            objs.append(W_StrObject(a))
    first = type(objs[0])
    for w_a in objs:
        t = type(w_a)
        print(w_a.str_w(), t is W_IntObject, t is not W_BoolObject, t is first)
        line = []
        for w_b in objs:
            line.append(add(w_a, w_b).str_w())
        print(" ".join(line))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
