"""Mixing bytes and str where CPython raises TypeError: each is reported, never run."""


def concat(b, s):
    return b + s


def concat_rev(b, s):
    return s + b


def order(b, s):
    return b < s


def search(b, s):
    return s in b


def search_rev(b, s):
    return b in s


def entry_point(argv):
    b = b"abc"
    s = argv[0]
    print(concat(b, s), concat_rev(b, s), order(b, s), search(b, s), search_rev(b, s), lists_equal(argv), in_tuple(b, s))
    return 0


def lists_equal(argv):
    # [b"a"] == ["a"] is False in CPython; the shared representation would say True.
    return [b"a"] == [argv[0]], (b"a", 1) < (argv[0], 1)


def in_tuple(b, s):
    return b in (s, b"x"), s in (b, "y")
