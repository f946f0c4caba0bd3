# run:
# Class-level defaults overridden in subclasses and read through instances and base references.


class Op(object):
    name = "op"
    arity = 0
    cost = 1
    commutative = False

    def describe(self):
        c = "comm" if self.commutative else "noncomm"
        return "%s/%d cost=%d %s" % (self.name, self.arity, self.cost, c)


class Add(Op):
    name = "add"
    arity = 2
    commutative = True


class Sub(Op):
    name = "sub"
    arity = 2


class Mul(Add):
    name = "mul"
    cost = 3


class Neg(Op):
    name = "neg"
    arity = 1

    def describe(self):
        return "unary " + Op.describe(self)


class Nop(Op):
    pass


def entry_point(argv):
    ops = [Add(), Sub(), Mul(), Neg(), Nop(), Op()]
    total = 0
    for op in ops:
        print(op.describe())
        total += op.cost * (op.arity + 1)
    print("total", total)
    comm = 0
    for op in ops:
        if op.commutative:
            comm += 1
    print("commutative", comm)
    print(Mul.cost, Add.cost, Mul.name, Op.arity)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
