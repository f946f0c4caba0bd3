# run: 5
# run: x
# run: x uncaught
# A method only one subclass defines, called on the base type (PyPy's tla `w_x.sub(w_y)`):
# a receiver whose class lacks it raises CPython's AttributeError; it used to call the one
# implementation on the wrong object.


class W_Object:
    def is_true(self):
        raise NotImplementedError


class W_Int(W_Object):
    def __init__(self, v):
        self.v = v

    def is_true(self):
        return self.v != 0

    def sub(self, other):
        return W_Int(self.v - other.v)


class W_Str(W_Object):
    def __init__(self, s):
        self.s = s

    def is_true(self):
        return len(self.s) != 0


def make(a):
    if a.isdigit():
        return W_Int(int(a))
    return W_Str(a)


def entry_point(argv):
    w = make(argv[1])
    try:
        r = w.sub(W_Int(1))
        print("sub", r.is_true())
    except AttributeError as e:
        print("AttributeError:", str(e))
    if len(argv) > 2:
        w.sub(W_Int(2))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
