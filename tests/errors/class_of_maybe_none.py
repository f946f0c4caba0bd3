"""`x.__class__` of an instance that may be None: CPython gives `NoneType`, a class RPy has
no value for, so it is an error, not a null check raising AttributeError."""


class Node(object):
    pass


def find(nodes, n):
    for x in nodes:
        if n == 0:
            return x
        n -= 1
    return None


def entry_point(argv):
    node = find([Node(), Node()], len(argv))
    print(node.__class__ is Node)
    return 0
