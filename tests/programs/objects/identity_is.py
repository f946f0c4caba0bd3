# run:
# `is` and `is not` on instances: aliases, distinct equal-looking instances, identity in lists, None.


class Cell(object):
    def __init__(self, v):
        self.v = v
        self.next = None


def find(cells, target):
    i = 0
    for c in cells:
        if c is target:
            return i
        i += 1
    return -1


def entry_point(argv):
    a = Cell(1)
    b = Cell(1)
    c = a
    print(a is b, a is c, a is not b, c is not a)
    cells = [a, b, Cell(2)]
    print(find(cells, b), find(cells, a), find(cells, Cell(1)))
    a.next = b
    b.next = a
    an = a.next
    bn = b.next
    if an is not None and bn is not None:
        print(an is b, an.next is a, bn.next is b)
    print(a.next is None, cells[2].next is None, cells[2].next is not None)
    c.v = 99
    print(a.v, b.v)
    same = 0
    for x in cells:
        for y in cells:
            if x is y:
                same += 1
    print("same", same)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
