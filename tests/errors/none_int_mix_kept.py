"""A local that is None on one path and an int on another stays E0301 where the None
reaches more than a test that folds: printed, or compared with a value that is not a
constant (the paths are only kept apart where every use of the None folds)."""


def printed(n):
    x = None
    if n > 2:
        x = 5
    print(x)


def compared_with_variable(n):
    kind = None
    while 1:
        if n > 0:
            kind = 1
        if kind == n:
            break
    return kind


def entry_point(argv):
    printed(len(argv))
    compared_with_variable(len(argv))
    return 0
