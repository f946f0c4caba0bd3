"""Functions stored in one list are called through one pointer: a direct call that widens
one of them (a float argument) breaks the family's shared signature."""


def one(x):
    return x

def two(x):
    return x * 2

TABLE = [one, two]

def entry_point(argv):
    f = TABLE[len(argv) % 2]
    print("%.1f" % f(3))
    print("%.1f" % two(4.5))
    return 0
