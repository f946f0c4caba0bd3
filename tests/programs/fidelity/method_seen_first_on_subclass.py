# run: 3
# run: x
# A function whose parameter is first seen as a subclass that lacks a method (PySOM's
# primitives: `_hashcode(rcvr)` calls `rcvr.get_embedded_string()`, and the first call
# annotated passes an `Array`): once the parameter is the base class, the call dispatches,
# and a class without the method raises CPython's AttributeError. It used to be E0317
# for the first, narrower receiver.


class W_Object:
    def describe(self):
        return "object"


class W_Array(W_Object):
    def __init__(self, n):
        self.n = n


class W_String(W_Object):
    def __init__(self, s):
        self.s = s

    def get_embedded_string(self):
        return self.s


class W_Symbol(W_String):
    def get_embedded_string(self):
        return "#" + self.s


def hashcode(rcvr):
    return len(rcvr.get_embedded_string())


def first_use():
    # Annotated before any W_String reaches `hashcode`.
    try:
        return hashcode(W_Array(3))
    except AttributeError as e:
        print("AttributeError:", str(e))
        return -1


def make(a):
    if a.isdigit():
        return W_String(a * int(a))
    if a == "x":
        return W_Symbol(a)
    return W_Array(0)


def entry_point(argv):
    print(first_use())
    w = make(argv[1])
    print(w.describe(), hashcode(w))
    try:
        print(hashcode(make("")))
    except AttributeError as e:
        print("AttributeError:", str(e))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
