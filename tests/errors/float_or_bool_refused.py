"""A float that may be a bool (a bool list passed where a float list goes, as in PySOM's
array strategies) keeps its type at run time, but what the translation cannot do on one
yet is E0301, never a silent 1.0: printing a list of them, `in`, list.index, sorting,
min/max, hash, a dict keyed by them (even where no operation shows it: a literal
`{True: 0, 1.0: 1}` has one key in CPython), an int format, and `True + True` printed
(the int 2 in CPython)."""


def fill(storage, n):
    i = 1
    while i < n:
        storage[i] = 0.5 * i
        i += 1


def entry_point(argv):
    floats = [0.0] * 3
    bools = [len(argv) > 1] * 3
    fill(floats, 3)
    fill(bools, 3)
    print(bools)
    x = bools[0]
    print(x in floats, floats.index(x))
    bools.sort()
    print(min(x, 1.0), hash(x))
    d = {x: 1}
    print(f"{x:5}", d)
    print(x + x)
    return keys(len(argv) > 2)


def keys(flag):
    d = {True: 0, 1.0: 1}
    if flag:
        d = {2.5: 2}
    return len(d)
