# run:
# run: 6
# An AST compiled to instruction objects by a visitor-style compiler, then run by a dispatch loop over instruction classes.


class Node(object):
    def compile(self, c):
        raise NotImplementedError


class Lit(Node):
    def __init__(self, v):
        self.v = v

    def compile(self, c):
        c.emit(PushI(c.const(self.v)))


class Var(Node):
    def __init__(self, name):
        self.name = name

    def compile(self, c):
        c.emit(LoadI(c.slot(self.name)))


class Assign(Node):
    def __init__(self, name, value):
        self.name = name
        self.value = value

    def compile(self, c):
        self.value.compile(c)
        c.emit(StoreI(c.slot(self.name)))


class Op(Node):
    def __init__(self, sym, a, b):
        self.sym = sym
        self.a = a
        self.b = b

    def compile(self, c):
        self.a.compile(c)
        self.b.compile(c)
        if self.sym == "+":
            c.emit(AddI(0))
        else:
            c.emit(MulI(0))


class Seq(Node):
    def __init__(self, items):
        self.items = items

    def compile(self, c):
        for it in self.items:
            it.compile(c)


class Instr(object):
    def __init__(self, arg):
        self.arg = arg

    def run(self, vm):
        pass

    def show(self):
        return "nop"


class PushI(Instr):
    def run(self, vm):
        vm.stack.append(vm.consts[self.arg])

    def show(self):
        return "push_const %d" % self.arg


class LoadI(Instr):
    def run(self, vm):
        vm.stack.append(vm.slots[self.arg])

    def show(self):
        return "load %d" % self.arg


class StoreI(Instr):
    def run(self, vm):
        vm.slots[self.arg] = vm.stack.pop()

    def show(self):
        return "store %d" % self.arg


class AddI(Instr):
    def run(self, vm):
        b = vm.stack.pop()
        vm.stack.append(vm.stack.pop() + b)

    def show(self):
        return "add"


class MulI(Instr):
    def run(self, vm):
        b = vm.stack.pop()
        vm.stack.append(vm.stack.pop() * b)

    def show(self):
        return "mul"


class Compiler(object):
    def __init__(self):
        self.code = []
        self.consts = []
        self.names = {}

    def emit(self, ins):
        self.code.append(ins)

    def const(self, v):
        for i in range(len(self.consts)):
            if self.consts[i] == v:
                return i
        self.consts.append(v)
        return len(self.consts) - 1

    def slot(self, name):
        if name not in self.names:
            self.names[name] = len(self.names)
        return self.names[name]


class VM(object):
    def __init__(self, comp):
        self.consts = comp.consts
        self.slots = [0] * len(comp.names)
        self.stack = []

    def run(self, code):
        for ins in code:
            ins.run(self)


def entry_point(argv):
    n = 3
    if len(argv) > 1:
        n = int(argv[1])
    prog = Seq([
        Assign("x", Lit(n)),
        Assign("y", Op("+", Var("x"), Lit(2))),
        Assign("z", Op("*", Var("y"), Op("+", Var("x"), Lit(n)))),
        Assign("x", Op("*", Var("z"), Lit(2))),
    ])
    c = Compiler()
    prog.compile(c)
    for ins in c.code:
        print(ins.show())
    vm = VM(c)
    vm.run(c.code)
    for name in ["x", "y", "z"]:
        print(name, vm.slots[c.names[name]])
    print("consts", c.consts, "stack", len(vm.stack))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
