# dump: lltype checked
# dump: lltype narrowed
# dump: lltype narrowed_attr
"""Null checks: `checked` reads an attribute of a value that may be None, so its graph
calls the null-check helper first; `narrowed` and `narrowed_attr` test for None first
(a local, and `self.attr`), so the annotator proves the value non-None and there is no
check."""


class Node(object):
    def __init__(self, v, next):
        self.v = v
        self.next = next


class Holder(object):
    def __init__(self, n):
        self.node = n


def find(n, v):
    while n is not None:
        if n.v == v:
            return n
        n = n.next
    return None


def checked(n):
    return find(n, 2).v


def narrowed(n):
    m = find(n, 2)
    if m is not None:
        return m.v
    return 0


def narrowed_attr(h):
    if h.node is not None:
        return h.node.v
    return 0


def entry_point(argv):
    n = Node(1, Node(2, None))
    h = Holder(find(n, len(argv)))
    print(checked(n), narrowed(n), narrowed_attr(h))
    return 0
