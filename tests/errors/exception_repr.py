"""The repr() of an exception instance is E('x') in CPython, built from its arguments,
which the translation does not keep: E0319 wherever it would be shown (repr(), %r, {e!r},
items of a printed list, tuple or dict), while str(e), print(e), %s and {e} are translated.
A __repr__ on the exception class is not called either, so it is E0319 too."""


class E(Exception):
    pass


class F(Exception):
    def __repr__(self):
        return "F!"


def entry_point(argv):
    try:
        raise E("x")
    except E as e:
        print(e, str(e), "%s" % e, f"{e}", "%s" % (e,))
        print(repr(e))
        print("%s %r" % ("a", e))
        print(f"{e!r}")
        print([e])
        print(str((1, e)))
        print("%s" % [e])
        print(f"{ {1: e} }")
    try:
        raise F("y")
    except F as f:
        print(f)
        print(repr(f))
    return 0
