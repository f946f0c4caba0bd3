# run:
# Prebuilt singleton instances (w_None, w_True, w_False) compared with `is`, returned from functions and stored in lists.


class W_Object(object):
    def repr(self):
        return "<object>"


class W_NoneObject(W_Object):
    def repr(self):
        return "None"


class W_BoolObject(W_Object):
    def __init__(self, value):
        self.value = value

    def repr(self):
        if self.value:
            return "True"
        return "False"


class W_IntObject(W_Object):
    def __init__(self, n):
        self.n = n

    def repr(self):
        return str(self.n)


w_None = W_NoneObject()
w_True = W_BoolObject(True)
w_False = W_BoolObject(False)


def wrap_bool(b):
    if b:
        return w_True
    return w_False


def is_true(w):
    if w is w_None or w is w_False:
        return False
    if isinstance(w, W_IntObject):
        return w.n != 0
    return True


def lt(a, b):
    if isinstance(a, W_IntObject) and isinstance(b, W_IntObject):
        return wrap_bool(a.n < b.n)
    return w_None


def entry_point(argv):
    vals = [W_IntObject(1), W_IntObject(0), w_None, w_True, w_False, W_IntObject(-2)]
    for a in vals:
        row = []
        for b in vals:
            r = lt(a, b)
            row.append(r.repr()[0])
        print(a.repr(), "".join(row), is_true(a))
    print(wrap_bool(1 < 2) is w_True, wrap_bool(False) is w_False, lt(w_None, w_True) is w_None)
    cnt = 0
    for v in vals:
        if v is not w_None and is_true(v):
            cnt += 1
    print("truthy", cnt)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
