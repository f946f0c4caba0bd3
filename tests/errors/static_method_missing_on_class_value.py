"""A static method called through a class value (one of several classes, here the class of
an instance) where one of the classes lacks it: CPython raises AttributeError for that
class, so it is an error naming it."""


class Node(object):
    pass


class IntNode(Node):
    @staticmethod
    def can_specialize(x):
        return x > 0


class IfNode(Node):
    @staticmethod
    def can_specialize(x):
        return x < 0


def pick(n):
    if n > 1:
        return IntNode()
    if n > 0:
        return IfNode()
    return Node()


def entry_point(argv):
    node = pick(len(argv))
    print(node.__class__.can_specialize(len(argv)))
    return 0
