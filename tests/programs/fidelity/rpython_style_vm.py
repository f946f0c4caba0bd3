# run:
# run: 12
# run: 30 x
# A small stack VM written the way RPython's users write them, with no edits for Kiln:
# opcodes defined through globals(), a frame whose stack is `[None] * n`, builtins kept
# as plain functions in a table and an attribute, a JitDriver with `self` among its reds,
# a JitDriver subclass with class-level greens/reds, and a `None` flag tested only
# against a constant (rpystone's Proc2 shape).

import sys

try:
    from rpython.rlib.jit import JitDriver, hint
except ImportError:
    from kiln.jit import JitDriver, hint

OPNAMES = ["PUSH", "ADD", "SUB", "DUP", "JNZ", "CALL", "PRINT", "HALT", "POP", "SWAP", "ROT"]
for _i, _name in enumerate(OPNAMES):
    globals()[_name] = _i


class VMDriver(JitDriver):
    greens = ["pc", "code"]
    reds = ["self"]


driver = VMDriver()


def bi_double(x):
    return x * 2


def bi_negate(x):
    return -x


BUILTINS = [bi_double, bi_negate]


class Frame(object):
    _virtualizable_ = ["sp", "stack[*]"]

    def __init__(self, size):
        self = hint(self, access_directly=True, fresh_virtualizable=True)
        self.stack = [None] * size
        self.sp = 0
        self.builtin = BUILTINS[0]
        self.out = []

    def push(self, w):
        self.stack[self.sp] = w
        self.sp += 1

    def pop(self):
        self.sp -= 1
        w = self.stack[self.sp]
        self.stack[self.sp] = None
        return w


class Int(object):
    def __init__(self, v):
        self.v = v


class Interp(Frame):
    def run(self, code):
        pc = 0
        while True:
            driver.jit_merge_point(pc=pc, code=code, self=self)
            op = code[pc]
            arg = code[pc + 1]
            pc += 2
            if op == PUSH:
                self.push(Int(arg))
            elif op == ADD:
                b = self.pop()
                a = self.pop()
                self.push(Int(a.v + b.v))
            elif op == SUB:
                b = self.pop()
                a = self.pop()
                self.push(Int(a.v - b.v))
            elif op == DUP:
                a = self.pop()
                self.push(a)
                self.push(a)
            elif op == POP:
                self.pop()
            elif op == SWAP:
                b = self.pop()
                a = self.pop()
                self.push(b)
                self.push(a)
            elif op == ROT:
                c = self.pop()
                b = self.pop()
                a = self.pop()
                self.push(b)
                self.push(c)
                self.push(a)
            elif op == JNZ:
                if self.pop().v != 0:
                    pc = arg
            elif op == CALL:
                if arg == 0:
                    f = self.builtin
                else:
                    f = BUILTINS[arg]
                self.push(Int(f(self.pop().v)))
            elif op == PRINT:
                self.out.append(str(self.stack[self.sp - 1].v))
            elif op == HALT:
                return self.pop()


def find_halt(code):
    # `where = None` then tested only against a constant, as in rpystone's Proc2.
    where = None
    pc = 0
    while 1:
        if code[pc] == HALT:
            where = HALT
        if where == HALT:
            break
        pc += 2
    return pc


def entry_point(argv):
    n = 5
    if len(argv) > 1:
        n = int(argv[1])
    # acc = 0; while n: print(n); acc += n; n -= 1
    code = [PUSH, 0, PUSH, n,
            DUP, 0, PRINT, 0, POP, 0,
            DUP, 0, ROT, 0, ADD, 0, SWAP, 0,
            PUSH, 1, SUB, 0, DUP, 0, JNZ, 4,
            POP, 0, HALT, 0]
    vm = Interp(16)
    w = vm.run(code)
    print(w.v, vm.sp, " ".join(vm.out), find_halt(code))
    vm2 = Interp(8)
    w2 = vm2.run([PUSH, 21, CALL, 0, CALL, 1, HALT, 0])
    print(w2.v, len(argv))
    return 0


if __name__ == "__main__":
    sys.exit(entry_point(sys.argv))
