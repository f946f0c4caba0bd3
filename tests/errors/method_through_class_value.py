"""An ordinary method (not a @staticmethod) read through a class value: not supported yet,
so it is an error, not a call through a slot the methods' `self` types disagree on."""


class Node(object):
    def describe(self):
        return "node"


class IntNode(Node):
    def describe(self):
        return "int"


def entry_point(argv):
    for k in [Node, IntNode]:
        print(k.describe(k()))
    return 0
