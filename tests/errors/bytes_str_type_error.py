# exit: 0
"""Mixing bytes and str where CPython's TypeError is certain: warning W0306, compiled into that raise."""


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
    for k in range(5):
        try:
            if k == 0:
                print(concat(b, s))
            elif k == 1:
                print(concat_rev(b, s))
            elif k == 2:
                print(order(b, s))
            elif k == 3:
                print(search(b, s))
            else:
                print(search_rev(b, s))
        except TypeError as e:
            print(e)
    return 0
