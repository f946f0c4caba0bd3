# dump: lltype jit_drivers
# dump: lltype Interp.interp
"""Dump snapshots: a PyPy-style stack VM (tl.py's shape) with a JitDriver subclass, `self` red."""
from kiln.jit import JitDriver, promote, hint, unroll_safe, dont_look_inside, we_are_jitted

PUSH, ADD, SUB, JUMP_IF, DUP, POP, RETURN = 0, 1, 2, 3, 4, 5, 6


def printable(pc, code):
    return "pc=%d op=%d" % (pc, code[pc])


class TLJitDriver(JitDriver):
    greens = ["pc", "code"]
    reds = ["stack", "self"]


tljitdriver = TLJitDriver(get_printable_location=printable, is_recursive=True)


class Stack(object):

    def __init__(self, size):
        self.items = [0] * size
        self.depth = 0

    def push(self, v):
        self.items[self.depth] = v
        self.depth += 1

    def pop(self):
        self.depth -= 1
        return self.items[self.depth]


class Code(object):
    _immutable_fields_ = ["ops[*]", "name", "version?"]

    def __init__(self, ops, name):
        self.ops = ops
        self.name = name
        self.version = 0


class Interp(object):
    def __init__(self, code):
        self.code = code

    def interp(self, inputarg):
        code = self.code.ops
        pc = 0
        stack = Stack(16)
        stack.push(inputarg)
        while True:
            tljitdriver.jit_merge_point(pc=pc, code=code, stack=stack, self=self)
            op = code[pc]
            pc += 1
            if op == PUSH:
                stack.push(code[pc])
                pc += 1
            elif op == ADD:
                b = stack.pop()
                a = stack.pop()
                stack.push(a + b)
            elif op == SUB:
                b = stack.pop()
                a = stack.pop()
                stack.push(a - b)
            elif op == DUP:
                v = stack.pop()
                stack.push(v)
                stack.push(v)
            elif op == POP:
                stack.pop()
            elif op == JUMP_IF:
                target = code[pc]
                pc += 1
                if stack.pop():
                    old = pc
                    pc = promote(target)
                    if pc < old:
                        tljitdriver.can_enter_jit(pc=pc, code=code, stack=stack, self=self)
            elif op == RETURN:
                return stack.pop()


def entry_point(argv):
    # count down from 10: DUP; JUMP_IF body; RETURN ... body: PUSH 1; SUB; JUMP_IF 0 (always)
    ops = [DUP, JUMP_IF, 4, RETURN, PUSH, 1, SUB, PUSH, 1, JUMP_IF, 0]
    print(Interp(Code(ops, "countdown")).interp(10))
    return 0
