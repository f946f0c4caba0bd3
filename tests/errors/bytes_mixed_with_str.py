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
    print(concat(b, s), concat_rev(b, s), order(b, s), search(b, s), search_rev(b, s))
    return 0
