# run:
# The visitor pattern: accept() dispatches on the node, visit_* on the visitor; several visitor subclasses.


class Node(object):
    def accept(self, v):
        raise NotImplementedError


class Num(Node):
    def __init__(self, n):
        self.n = n

    def accept(self, v):
        return v.visit_num(self)


class Neg(Node):
    def __init__(self, arg):
        self.arg = arg

    def accept(self, v):
        return v.visit_neg(self)


class Plus(Node):
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def accept(self, v):
        return v.visit_plus(self)


class Visitor(object):
    def visit_num(self, node):
        return 0

    def visit_neg(self, node):
        return node.arg.accept(self)

    def visit_plus(self, node):
        return node.a.accept(self) + node.b.accept(self)


class Evaluator(Visitor):
    def visit_num(self, node):
        return node.n

    def visit_neg(self, node):
        return -node.arg.accept(self)


class Counter(Visitor):
    def __init__(self):
        self.seen = 0

    def visit_num(self, node):
        self.seen += 1
        return 1

    def visit_neg(self, node):
        self.seen += 1
        return Visitor.visit_neg(self, node)

    def visit_plus(self, node):
        self.seen += 1
        return Visitor.visit_plus(self, node)


class Depth(Visitor):
    def visit_num(self, node):
        return 1

    def visit_neg(self, node):
        return 1 + node.arg.accept(self)

    def visit_plus(self, node):
        a = node.a.accept(self)
        b = node.b.accept(self)
        return 1 + (a if a > b else b)


def build(n):
    if n <= 0:
        return Num(1)
    if n % 3 == 0:
        return Neg(build(n - 1))
    return Plus(build(n - 1), Num(n))


def entry_point(argv):
    trees = [Num(7), Neg(Num(2)), Plus(Num(1), Neg(Plus(Num(2), Num(3)))), build(8)]
    c = Counter()
    visitors = [Evaluator(), c, Depth()]
    for t in trees:
        res = []
        for v in visitors:
            res.append(str(t.accept(v)))
        print(" ".join(res))
    print("counter saw", c.seen)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
