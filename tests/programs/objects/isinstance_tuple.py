# run:
# isinstance with tuples of classes, including a module-level tuple constant and overlapping classes.


class Expr(object):
    pass


class Num(Expr):
    def __init__(self, v):
        self.v = v


class Str(Expr):
    def __init__(self, s):
        self.s = s


class Var(Expr):
    def __init__(self, name):
        self.name = name


class BinOp(Expr):
    def __init__(self, op, left, right):
        self.op = op
        self.left = left
        self.right = right


class Call(Expr):
    def __init__(self, fn, arg):
        self.fn = fn
        self.arg = arg


LITERALS = (Num, Str)
COMPOUND = (BinOp, Call)


def kind(e):
    if isinstance(e, LITERALS):
        return "literal"
    if isinstance(e, (Var,)):
        return "name"
    if isinstance(e, COMPOUND):
        return "compound"
    return "other"


def is_leaf(e):
    return isinstance(e, (Num, Str, Var))


def count_leaves(e):
    if is_leaf(e):
        return 1
    if isinstance(e, BinOp):
        return count_leaves(e.left) + count_leaves(e.right)
    if isinstance(e, Call):
        return count_leaves(e.fn) + count_leaves(e.arg)
    return 0


def entry_point(argv):
    tree = BinOp("+", Num(1), Call(Var("f"), BinOp("*", Str("s"), Var("x"))))
    nodes = [tree, tree.left, tree.right, Num(3), Str("a"), Var("y"), Expr()]
    for e in nodes:
        print(kind(e), is_leaf(e), isinstance(e, (BinOp, Num)), isinstance(e, (Expr, Var)))
    print("leaves", count_leaves(tree))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
