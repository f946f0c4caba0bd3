"""str() of an instance whose class has no __str__ (CPython shows its address)."""


class W_Object(object):
    def __str__(self):
        return "object"


class W_Frame(W_Object):
    pass


class W_Method(object):
    def __init__(self, name):
        self.name = name


def entry_point(argv):
    print(str(W_Object()), str(W_Frame()))
    m = W_Method(argv[0])
    print("method " + str(m))
    return 0
