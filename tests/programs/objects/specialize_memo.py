# run:
# specialize.memo(): pure functions of constant arguments (classes, ints) computed once at translation time.

from kiln.objectmodel import specialize


class Cache(object):
    def __init__(self, name):
        self.name = name
        self.hits = 0


class A(object):
    label = "A"


class B(object):
    label = "B"


CACHES = {"A": Cache("A"), "B": Cache("B")}


@specialize.memo()
def cache_for(cls):
    # Pure in its argument (a prebuilt object per class), so CPython and Kiln agree.
    return CACHES[cls.label]


@specialize.memo()
def label_len(cls):
    return len(cls.label * 3)


@specialize.memo()
def table_size(n):
    return n * n + 1


def touch_a():
    c = cache_for(A)
    c.hits += 1
    return c


def touch_b():
    c = cache_for(B)
    c.hits += 10
    return c


def entry_point(argv):
    for i in range(3):
        touch_a()
    touch_b()
    ca = cache_for(A)
    cb = cache_for(B)
    print(ca.name, ca.hits, cb.name, cb.hits)
    print(ca is touch_a(), cb is touch_b(), ca is cb)
    print(ca.hits, cb.hits)
    print(table_size(3), table_size(10), label_len(A) + label_len(B))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
