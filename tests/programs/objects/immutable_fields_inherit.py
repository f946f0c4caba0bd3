# run:
# _immutable_fields_ on a base class and extended in subclasses; virtual methods reading the immutable fields.


class Instr(object):
    _immutable_fields_ = ["opname", "arg"]

    def __init__(self, opname, arg):
        self.opname = opname
        self.arg = arg

    def execute(self, stack):
        raise NotImplementedError


class Push(Instr):
    def __init__(self, arg):
        Instr.__init__(self, "push", arg)

    def execute(self, stack):
        stack.append(self.arg)


class BinInstr(Instr):
    _immutable_fields_ = Instr._immutable_fields_ + ["sym"]

    def __init__(self, opname, sym):
        Instr.__init__(self, opname, 0)
        self.sym = sym

    def execute(self, stack):
        b = stack.pop()
        a = stack.pop()
        stack.append(self.compute(a, b))

    def compute(self, a, b):
        return 0


class AddI(BinInstr):
    def __init__(self):
        BinInstr.__init__(self, "add", "+")

    def compute(self, a, b):
        return a + b


class MulI(BinInstr):
    def __init__(self):
        BinInstr.__init__(self, "mul", "*")

    def compute(self, a, b):
        return a * b


def entry_point(argv):
    prog = [Push(2), Push(3), AddI(), Push(7), MulI(), Push(-1), AddI()]
    stack = []
    for ins in prog:
        ins.execute(stack)
        line = ins.opname
        if isinstance(ins, BinInstr):
            line += " " + ins.sym
        else:
            line += " %d" % ins.arg
        print(line, stack)
    print(len(BinInstr._immutable_fields_), stack[0])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
