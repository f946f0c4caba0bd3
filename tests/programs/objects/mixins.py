# run:
# Single inheritance plus mixin classes providing shared methods, with super().__init__.


class Node(object):
    def __init__(self, name):
        self.name = name
        self.children = []

    def add(self, child):
        self.children.append(child)
        return self

    def kind(self):
        return "node"


class CountMixin(object):
    def count(self):
        n = 1
        for c in self.children:
            n += c.count()
        return n


class DumpMixin(object):
    def dump(self, depth):
        print("  " * depth + self.kind() + ":" + self.name)
        for c in self.children:
            c.dump(depth + 1)


class Leaf(Node, CountMixin, DumpMixin):
    def kind(self):
        return "leaf"


class Branch(Node, CountMixin, DumpMixin):
    def __init__(self, name, weight):
        super().__init__(name)
        self.weight = weight

    def kind(self):
        return "branch[%d]" % self.weight


def entry_point(argv):
    root = Branch("root", 3)
    a = Branch("a", 1)
    b = Branch("b", 2)
    a.add(Leaf("a1")).add(Leaf("a2"))
    b.add(Leaf("b1"))
    b.add(Branch("b2", 0).add(Leaf("b21")))
    root.add(a).add(b).add(Leaf("c"))
    root.dump(0)
    print("count", root.count(), a.count(), b.count())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
