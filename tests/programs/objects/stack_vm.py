# run:
# run: 10
# A small stack-based bytecode VM: instruction classes with execute(), a frame object, jumps, calls and an error class.


class VMError(Exception):
    pass


class Frame(object):
    def __init__(self, code, nlocals):
        self.code = code
        self.pc = 0
        self.stack = []
        self.locals = [0] * nlocals
        self.output = []

    def push(self, v):
        self.stack.append(v)

    def pop(self):
        if len(self.stack) == 0:
            raise VMError("stack underflow at pc %d" % self.pc)
        return self.stack.pop()


class Instr(object):
    _immutable_fields_ = ["arg"]
    name = "?"

    def __init__(self, arg=0):
        self.arg = arg

    def execute(self, frame):
        raise NotImplementedError

    def show(self):
        return "%s %d" % (self.name, self.arg)


class Const(Instr):
    name = "CONST"

    def execute(self, frame):
        frame.push(self.arg)


class Load(Instr):
    name = "LOAD"

    def execute(self, frame):
        frame.push(frame.locals[self.arg])


class Store(Instr):
    name = "STORE"

    def execute(self, frame):
        frame.locals[self.arg] = frame.pop()


class BinOp(Instr):
    def execute(self, frame):
        b = frame.pop()
        a = frame.pop()
        frame.push(self.compute(a, b))

    def compute(self, a, b):
        return 0

    def show(self):
        return self.name


class Add(BinOp):
    name = "ADD"

    def compute(self, a, b):
        return a + b


class Sub(BinOp):
    name = "SUB"

    def compute(self, a, b):
        return a - b


class Mul(BinOp):
    name = "MUL"

    def compute(self, a, b):
        return a * b


class Lt(BinOp):
    name = "LT"

    def compute(self, a, b):
        return 1 if a < b else 0


class JumpIfFalse(Instr):
    name = "JIF"

    def execute(self, frame):
        if frame.pop() == 0:
            frame.pc = self.arg - 1


class Jump(Instr):
    name = "JMP"

    def execute(self, frame):
        frame.pc = self.arg - 1


class Print(Instr):
    name = "PRINT"

    def execute(self, frame):
        frame.output.append(str(frame.pop()))


class Halt(Instr):
    name = "HALT"

    def execute(self, frame):
        frame.pc = len(frame.code)


def run(code, nlocals, max_steps):
    f = Frame(code, nlocals)
    steps = 0
    while f.pc < len(code):
        ins = code[f.pc]
        ins.execute(f)
        f.pc += 1
        steps += 1
        if steps > max_steps:
            raise VMError("step limit")
    return f, steps


def factorial_code(n):
    # locals: 0 = i, 1 = acc
    return [
        Const(1), Store(1),
        Const(1), Store(0),
        Load(0), Const(n + 1), Lt(), JumpIfFalse(17),
        Load(1), Load(0), Mul(), Store(1),
        Load(0), Const(1), Add(), Store(0),
        Jump(4),
        Load(1), Print(), Halt(),
    ]


def entry_point(argv):
    n = 6
    if len(argv) > 1:
        n = int(argv[1])
    code = factorial_code(n)
    for i in range(len(code)):
        print(i, code[i].show())
    f, steps = run(code, 2, 100000)
    print("output", " ".join(f.output), "steps", steps)
    bad = [Const(1), Add(), Print()]
    try:
        run(bad, 0, 10)
    except VMError as e:
        print("error:", str(e))
    loop = [Jump(0)]
    try:
        run(loop, 0, 50)
    except VMError as e:
        print("error:", str(e))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
