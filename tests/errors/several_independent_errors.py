"""Independent mistakes in different functions are all reported in one run."""


def first():
    return 1 + "one"


def second(xs):
    return xs.nosuchmethod()


def third():
    return len(3)


def entry_point(argv):
    first()
    second([1])
    third()
    return 0
