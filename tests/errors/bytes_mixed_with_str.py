"""Mixing bytes and str where CPython's behaviour is not one certain TypeError: reported, never run."""


def concat_maybe_none(b, s):
    # s may be None: CPython's TypeError names 'NoneType' then, 'str' otherwise.
    return s + b


def entry_point(argv):
    b = b"abc"
    s = argv[0]
    t = None if len(argv) > 3 else argv[1]
    print(concat_maybe_none(b, t), lists_equal(argv), in_tuple(b, s))
    return 0


def lists_equal(argv):
    # [b"a"] == ["a"] is False in CPython; the shared representation would say True.
    return [b"a"] == [argv[0]], (b"a", 1) < (argv[0], 1)


def in_tuple(b, s):
    return b in (s, b"x"), s in (b, "y")
