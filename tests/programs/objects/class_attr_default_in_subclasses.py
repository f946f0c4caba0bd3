# run:
# run: x
# A class attribute on a base is the default of a field that only subclasses assign (RPython's idiom for node ids and names); reads through the base see each instance's value.


class Counter(object):
    def __init__(self):
        self.next_uid = 16


counter = Counter()


def new_uid():
    counter.next_uid += 1
    return counter.next_uid


class Node(object):
    uid = 0
    name = None
    weight = 3


class Leaf(Node):
    def __init__(self, u):
        self.uid = u


class Named(Node):
    def __init__(self, name):
        self.uid = new_uid()
        self.name = name


class Heavy(Node):
    def __init__(self):
        self.weight = 99


class Plain(Node):
    pass


prebuilt = Leaf(1)


def describe(n):
    if n.name is not None:
        label = n.name
    else:
        label = "anon"
    print(n.uid, label, n.weight)


def entry_point(argv):
    nodes = [prebuilt, Named("ab"), Named("c"), Heavy(), Plain(), Node()]
    if len(argv) > 1:
        nodes.append(Named(argv[1]))
    for n in nodes:
        describe(n)
    total = 0
    for n in nodes:
        total += n.uid + n.weight
    print(total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
