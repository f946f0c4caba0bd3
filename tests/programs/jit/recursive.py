# run: fib 20
# run: sum 300
# run: tak 12
# run: fail 40
# A recursive interpreter for the JIT, in the style of PyPy's
# `rpython/jit/metainterp/test/test_recursive.py`: the interpreter calls itself (the
# portal) for each call of the interpreted program, and its driver says so
# (`is_recursive=True`). The tracer must not unroll that recursion into one trace: each
# recursive call stays a call of the portal, which runs its own compiled code; a trace
# whose frame returns ends the trace (function-entry traces). The programs recurse
# doubly (fib, tak), linearly and deep (sum), and raise from deep inside the recursion,
# caught by an outer frame (fail).

from kiln.jit import JitDriver, promote

PUSH = 0    # PUSH v: push v
ARG = 1     # ARG i: push argument i
ADD = 2     # a b -> a+b
SUB = 3     # a b -> a-b
LT = 4      # a b -> 1 if a < b else 0
JIF = 5     # JIF t: pop, jump to t when 0
CALL = 6    # CALL f n: pop n arguments, push FUNCS[f](arguments)
RET = 7     # return the top of the stack
RAISE = 8   # raise VMError(top)
TRY = 9     # TRY t: run to the end of the function; on a VMError, jump to t with its value
POP = 10

NAMES = ["PUSH", "ARG", "ADD", "SUB", "LT", "JIF", "CALL", "RET", "RAISE", "TRY", "POP"]


class VMError(Exception):
    def __init__(self, value):
        self.value = value


class Func(object):
    _immutable_fields_ = ["name", "ops[*]", "nargs"]

    def __init__(self, name, ops, nargs):
        self.name = name
        self.ops = ops
        self.nargs = nargs


def get_location(pc, func):
    return "%s:%d %s" % (func.name, pc, NAMES[func.ops[pc]])


driver = JitDriver(greens=["pc", "func"], reds=["stack", "args", "handler"], get_printable_location=get_location, is_recursive=True)

FUNCS = []


def interpret(func, args):
    stack = []
    pc = 0
    handler = -1
    while True:
        driver.jit_merge_point(pc=pc, func=func, stack=stack, args=args, handler=handler)
        op = func.ops[pc]
        if op == PUSH:
            stack.append(func.ops[pc + 1])
            pc += 2
        elif op == ARG:
            stack.append(args[func.ops[pc + 1]])
            pc += 2
        elif op == ADD:
            b = stack.pop()
            a = stack.pop()
            stack.append(a + b)
            pc += 1
        elif op == SUB:
            b = stack.pop()
            a = stack.pop()
            stack.append(a - b)
            pc += 1
        elif op == LT:
            b = stack.pop()
            a = stack.pop()
            stack.append(1 if a < b else 0)
            pc += 1
        elif op == JIF:
            if stack.pop() == 0:
                pc = func.ops[pc + 1]
            else:
                pc += 2
        elif op == CALL:
            callee = FUNCS[func.ops[pc + 1]]
            n = func.ops[pc + 2]
            callargs = [0] * n
            i = n - 1
            while i >= 0:
                callargs[i] = stack.pop()
                i -= 1
            try:
                r = interpret(callee, callargs)
            except VMError as e:
                if handler < 0:
                    raise
                stack = [e.value]
                pc = handler
                handler = -1
                continue
            stack.append(r)
            pc += 3
        elif op == RET:
            return stack.pop()
        elif op == RAISE:
            raise VMError(stack.pop())
        elif op == TRY:
            handler = func.ops[pc + 1]
            pc += 2
        elif op == POP:
            stack.pop()
            pc += 1
        else:
            raise VMError(-1)


def assemble(name, nargs, source):
    ops = []
    labels = {}
    fixups = []
    for word in source.split():
        if word.endswith(":"):
            labels[word[:-1]] = len(ops)
        elif word.startswith("@"):
            fixups.append((len(ops), word[1:]))
            ops.append(0)
        elif word in NAMES:
            ops.append(NAMES.index(word))
        else:
            ops.append(int(word))
    for at, label in fixups:
        ops[at] = labels[label]
    return Func(name, ops, nargs)


# 0: fib(n)
FUNCS.append(assemble("fib", 1, """
    ARG 0 PUSH 2 LT JIF @rec
    ARG 0 RET
rec:
    ARG 0 PUSH 1 SUB CALL 0 1
    ARG 0 PUSH 2 SUB CALL 0 1
    ADD RET
"""))
# 1: sum(n) = n + sum(n - 1), not a tail call
FUNCS.append(assemble("sum", 1, """
    ARG 0 PUSH 1 LT JIF @rec
    PUSH 0 RET
rec:
    ARG 0 ARG 0 PUSH 1 SUB CALL 1 1 ADD RET
"""))
# 2: tak(x, y, z)
FUNCS.append(assemble("tak", 3, """
    ARG 1 ARG 0 LT JIF @done
    ARG 0 PUSH 1 SUB ARG 1 ARG 2 CALL 2 3
    ARG 1 PUSH 1 SUB ARG 2 ARG 0 CALL 2 3
    ARG 2 PUSH 1 SUB ARG 0 ARG 1 CALL 2 3
    CALL 2 3 RET
done:
    ARG 2 RET
"""))
# 3: down(n): raises n * 1000 + 7 at the bottom of a recursion n deep
FUNCS.append(assemble("down", 1, """
    ARG 0 PUSH 1 LT JIF @rec
    PUSH 7 RAISE
rec:
    ARG 0 PUSH 1 SUB CALL 3 1 RET
"""))
# 4: loop(i, acc, n): for i < n, calls down(i) when i < 9 and catches its error (adding
# its value), then recurses on i + 1 (each level catches the error of its own call).
FUNCS.append(assemble("loop", 3, """
    ARG 0 ARG 2 LT JIF @end
    TRY @caught
    ARG 0 PUSH 9 LT JIF @skip
    ARG 0 CALL 3 1 POP
skip:
    ARG 0 PUSH 1 ADD ARG 1 ARG 0 ADD ARG 2 CALL 4 3 RET
caught:
    ARG 1 ADD ARG 0 PUSH 1 ADD ARG 1 ARG 0 ADD ARG 2 CALL 4 3 ADD RET
end:
    ARG 1 RET
"""))


def entry_point(argv):
    if len(argv) < 3:
        print("usage: recursive PROGRAM N")
        return 2
    n = int(argv[2])
    name = argv[1]
    try:
        if name == "fib":
            r = interpret(FUNCS[0], [n])
        elif name == "sum":
            r = interpret(FUNCS[1], [n])
        elif name == "tak":
            r = interpret(FUNCS[2], [n, n * 2 // 3, n // 3])
        elif name == "fail":
            r = interpret(FUNCS[4], [0, 0, n])
        else:
            print("no program %s" % name)
            return 2
    except VMError as e:
        print("uncaught VM error %d" % e.value)
        return 3
    print("%s %d: %d" % (name, n, r))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
