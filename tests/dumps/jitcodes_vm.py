# dump: jitcodes interpret
# dump: jitcodes Frame.push
# dump: jitcodes Frame.pop
# dump: jitcodes checked_div
# dump: jitcodes call_builtin
# dump: jitcodes sum_args
"""Codewriter golden test: a small stack VM. Its portal `interpret` inlines the frame's
stack operations (fields, lists), catches the exceptions of a helper (raise links become
`catch_exception` handlers), calls an unroll-safe loop, residual helpers
(`dont_look_inside`, a loop without `unroll_safe`), and string and dict operations of the
runtime (residual calls with oopspecs); a code object's fields are immutable."""

from kiln.jit import JitDriver, dont_look_inside, unroll_safe

PUSH, ADD, DIV, JUMP_IF, NAME, CALL, PRINT, HALT = 0, 1, 2, 3, 4, 5, 6, 7


class VMError(Exception):
    def __init__(self, msg):
        self.msg = msg


class Code(object):
    _immutable_fields_ = ["ops[*]", "consts[*]", "name"]

    def __init__(self, ops, consts, name):
        self.ops = ops
        self.consts = consts
        self.name = name


class Frame(object):
    def __init__(self, code):
        self.code = code
        self.stack = []
        self.names = {}

    def push(self, v):
        self.stack.append(v)

    def pop(self):
        if not self.stack:
            raise VMError("pop from an empty stack")
        return self.stack.pop()


def checked_div(a, b):
    if b == 0:
        raise VMError("division by zero")
    return a // b


@unroll_safe
def sum_args(frame, n):
    total = 0
    i = 0
    while i < n:
        total += frame.pop()
        i += 1
    return total


@dont_look_inside
def call_builtin(name, arg):
    if name == "double":
        return arg * 2
    return len(str(arg))


def count_digits(n):
    digits = 0
    while n > 0:
        n = n // 10
        digits += 1
    return digits


driver = JitDriver(greens=["pc", "code"], reds=["frame"])


def interpret(code):
    frame = Frame(code)
    pc = 0
    while True:
        driver.jit_merge_point(pc=pc, code=code, frame=frame)
        op = code.ops[pc]
        arg = code.ops[pc + 1]
        pc += 2
        if op == PUSH:
            frame.push(code.consts[arg])
        elif op == ADD:
            frame.push(sum_args(frame, arg))
        elif op == DIV:
            b = frame.pop()
            a = frame.pop()
            try:
                frame.push(checked_div(a, b))
            except VMError as e:
                print("error: " + e.msg)
                frame.push(0)
        elif op == JUMP_IF:
            if frame.pop() != 0:
                pc = arg
        elif op == NAME:
            key = code.name + str(arg)
            frame.names[key] = frame.pop()
            frame.push(frame.names.get(key, 0) + count_digits(arg))
        elif op == CALL:
            frame.push(call_builtin("double", frame.pop()))
        elif op == PRINT:
            print(frame.pop())
        else:
            return frame.pop()


def entry_point(argv):
    code = Code([PUSH, 0, PUSH, 1, ADD, 2, PUSH, 2, DIV, 0, CALL, 0, NAME, 123, PRINT, 0, PUSH, 1, HALT, 0], [7, 5, 0], "main")
    interpret(code)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
