"""Functions stored in one list are called through one signature: they must agree."""


def inc(x):
    return x + 1


def greet(name):
    return "hello " + name


HANDLERS = [inc, greet]


def entry_point(argv):
    f = HANDLERS[len(argv) % 2]
    print(f(1))
    return 0
