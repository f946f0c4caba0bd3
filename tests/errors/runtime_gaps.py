"""Run-time uses that CPython runs but the translation cannot do as CPython does, each a
diagnostic with its reason: hasattr() (whether this very instance was assigned the
attribute) and a built-in function such as operator.add called through a variable."""

import operator


class A(object):
    def __init__(self):
        self.name = "a"


class B(A):
    def __init__(self):
        self.other = 1


def entry_point(argv):
    a = A() if len(argv) > 1 else B()
    print(hasattr(a, "name"))
    f = operator.add
    if len(argv) > 3:
        f = operator.sub
    print(f(3, 4))
    return 0
