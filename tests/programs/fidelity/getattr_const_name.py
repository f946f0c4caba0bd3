# run:
# run: 3
# getattr/setattr with a name that is constant after import: a literal, the variable of
# an unrolling_iterable loop, and a name closed over by a factory (generated accessors).

from kiln.objectmodel import unrolling_iterable

FIELDS = ["left", "right", "weight"]
unrolling_fields = unrolling_iterable(FIELDS)


class Node:
    def __init__(self, left, right, weight):
        self.left = left
        self.right = right
        self.weight = weight


def make_getter(name):
    def get(node):
        return getattr(node, name)
    return get


def make_setter(name):
    def put(node, value):
        setattr(node, name, value)
    return put


get_left = make_getter("left")
get_weight = make_getter("weight")
set_right = make_setter("right")


def total(node):
    t = 0
    for name in unrolling_fields:
        t += getattr(node, name)
    return t


def scale(node, k):
    for name in unrolling_fields:
        setattr(node, name, getattr(node, name) * k)


def entry_point(argv):
    n = Node(1, 2, len(argv))
    print(total(n), get_left(n), get_weight(n))
    set_right(n, 10)
    print(getattr(n, "right"), total(n))
    scale(n, 3)
    setattr(n, "left", n.left + 1)
    print(n.left, n.right, n.weight, total(n))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
