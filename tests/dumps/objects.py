# dump: flow Node.total
# dump: annotated Node.total
# dump: lltype Node.total
# dump: transformed build
# dump: gc build
"""Dump snapshots: a class with a virtual method, allocation in a loop, and the GC
transform's roots, inline allocation and write barrier."""


class Node(object):
    def __init__(self, value, next):
        self.value = value
        self.next = next

    def total(self):
        s = 0
        n = self
        while n is not None:
            s += n.value
            n = n.next
        return s


class Leaf(Node):
    def total(self):
        return self.value


def build(n):
    head = Leaf(0, None)
    for i in range(n):
        head = Node(i, head)
    return head


def entry_point(argv):
    print(build(len(argv) * 10).total())
    return 0
