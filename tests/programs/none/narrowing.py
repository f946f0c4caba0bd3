# run:
# run: a b
# Narrowing on locals and on `self.attr` (`is not None`, truth, assert); a call or a store
# to the attribute in between ends the narrowing, and the check is kept.


class Node(object):
    def __init__(self, v, next):
        self.v = v
        self.next = next
        self.name = None

    def clear(self):
        self.next = None


def length(n):
    count = 0
    while n is not None:
        count += 1
        n = n.next
    return count


class List(object):
    def __init__(self):
        self.head = None

    def push(self, v):
        self.head = Node(v, self.head)

    def first(self):
        if self.head is not None:
            return self.head.v
        return -1

    def second(self):
        if self.head and self.head.next:
            return self.head.next.v
        return -1

    def first_asserted(self):
        assert self.head is not None
        return self.head.v

    def label(self):
        if self.head is None:
            return "empty"
        if self.head.name is None:
            self.head.name = "n%d" % self.head.v
        return self.head.name + "!"

    def after_call(self):
        if self.head is not None:
            self.head.clear()
            # head itself is still checked (the call may have changed it), and
            # head.next may be None now.
            return self.head.next.v
        return -1


def entry_point(argv):
    lst = List()
    print(lst.first(), lst.second(), lst.label())
    for i in range(len(argv)):
        lst.push(i * 10)
    print(lst.first(), lst.second(), lst.label(), length(lst.head))
    print(lst.first_asserted())
    try:
        print(lst.after_call())
    except AttributeError as e:
        print("AttributeError:", str(e))
    n = lst.head
    if n:
        print("head", n.v)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
