# run: attr
# run: method
# run: index
# run: concat
# run: len
# run: iter
# run: ok
# An uncaught exception from a null check ends the program as CPython's does (exit 1).


class Node(object):
    def __init__(self, v):
        self.v = v

    def twice(self):
        return self.v * 2


def find(nodes, v):
    for n in nodes:
        if n.v == v:
            return n
    return None


def name_of(n):
    if n > 3:
        return "n%d" % n
    return None


def items_of(n):
    if n > 3:
        return [n]
    return None


def entry_point(argv):
    what = argv[1]
    nodes = [Node(1), Node(2)]
    print("start", what)
    if what == "attr":
        print(find(nodes, 7).v)
    elif what == "method":
        print(find(nodes, 7).twice())
    elif what == "index":
        print(items_of(len(argv))[0])
    elif what == "concat":
        print("name: " + name_of(len(argv)))
    elif what == "len":
        print(len(name_of(len(argv))))
    elif what == "iter":
        for x in items_of(len(argv)):
            print(x)
    else:
        print(find(nodes, 2).twice())
    print("not reached unless ok")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
