"""type(x) at run time is x.__class__, which only instances have: type() of an int is
refused with a diagnostic (CPython's `int` is not a run-time value in RPy)."""


def kind(x):
    return type(x)


def entry_point(argv):
    print(kind(len(argv)) is int)
    return 0
