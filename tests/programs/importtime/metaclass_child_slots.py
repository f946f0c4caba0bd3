# run:
# run: 5
# Tree nodes whose child-replacing methods a metaclass generates: the metaclass's
# __init__ calls one of its own methods through the class, which walks __base__ and
# reads _children_ with hasattr, and the generated method uses getattr/setattr over
# an unrolling_iterable of slot names (some of them list slots, marked "[*]").
from kiln.objectmodel import unrolling_iterable


class Node(object):
    pass


def _child_slots(clazz):
    cls = clazz
    names = []
    while cls is not Node:
        if hasattr(cls, "_children_"):
            names += cls._children_
        cls = cls.__base__
    return sorted(set(names))


class NodeMeta(type):
    def __init__(cls, name, bases, dic):
        type.__init__(cls, name, bases, dic)
        cls._install_methods()

    def _install_methods(cls):
        slots = unrolling_iterable(_child_slots(cls))

        def replace_child(parent, old, new):
            for slot in slots:
                if slot.endswith("[*]"):
                    items = getattr(parent, slot[:-3])
                    for i, n in enumerate(items):
                        if n is old:
                            items[i] = new
                else:
                    if getattr(parent, slot) is old:
                        setattr(parent, slot, new)
            return new

        cls.replace_child = replace_child
        cls.slot_count = len(_child_slots(cls))


class Expr(Node, metaclass=NodeMeta):
    _children_ = []

    def eval(self):
        return 0


class Lit(Expr):
    def __init__(self, v):
        self.v = v

    def eval(self):
        return self.v


class Add(Expr):
    _children_ = ["left", "right"]

    def __init__(self, left, right):
        self.left = left
        self.right = right

    def eval(self):
        return self.left.eval() + self.right.eval()


class Sum(Add):
    _children_ = ["rest[*]"]

    def __init__(self, left, right, rest):
        Add.__init__(self, left, right)
        self.rest = rest

    def eval(self):
        total = Add.eval(self)
        for e in self.rest:
            total += e.eval()
        return total


def replace(parent, old, new):
    parent.replace_child(old, new)


def entry_point(argv):
    n = len(argv) * 10
    one = Lit(1)
    two = Lit(2)
    add = Add(one, two)
    print(add.eval(), Add.slot_count, Sum.slot_count, Lit.slot_count)
    replace(add, one, Lit(n))
    print(add.eval())
    three = Lit(3)
    s = Sum(Lit(4), add, [three, Lit(5), three])
    replace(s, three, Lit(n + 1))
    print(s.eval())
    replace(s, add, Lit(100))
    print(s.eval())
    replace(Lit(0), one, two)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
