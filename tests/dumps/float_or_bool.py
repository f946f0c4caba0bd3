# dump: annotated store
# dump: lltype store
# dump: lltype read
"""A float that may be a bool (NaN-boxed): `store` puts a bool and a float into one list
(the bool becomes its reserved bit pattern, the float stays itself); `read` reads an item
as a number (straight-line bit operations giving 1.0/0.0 for the patterns), shows it by
type (a helper), and tests its type (one compare of the pattern)."""


def store(storage, flag, f):
    storage[0] = flag
    storage[1] = f


def read(storage):
    x = storage[0]
    y = x + 0.5
    s = str(x)
    if isinstance(x, float):
        return y
    return len(s) + 0.0


def entry_point(argv):
    storage = [0.0, 0.0]
    store(storage, len(argv) > 1, 2.5)
    print(read(storage))
    return 0
