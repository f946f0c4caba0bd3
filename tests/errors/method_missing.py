"""Calling a method that the class (and its subclasses) do not define."""


class Node(object):
    def __init__(self, v):
        self.v = v

    def eval(self):
        return self.v


class Add(Node):
    def eval(self):
        return self.v + 1


def entry_point(argv):
    n = Add(3)
    print(n.evaluate())
    return 0
