# run: 200
# run: 3000
# run: -1
# A small stack VM with a JitDriver (greens pc and the code, reds the frame), promote on
# the opcode's handler class, an elidable constant lookup, calls, and an exception that
# leaves the portal: what `kiln translate --jit` rewrites and the JIT runs.

from kiln.jit import JitDriver, elidable, promote


def get_location(pc, code):
    return "%d:%d" % (pc, code.ops[pc])


jitdriver = JitDriver(greens=["pc", "code"], reds=["frame"], get_printable_location=get_location)

PUSH = 0
ADD = 1
SUB = 2
DUP = 3
JUMP_IF = 4
POP = 5
CALL = 6
CHECK = 7
RET = 8


class Code(object):
    _immutable_fields_ = ["ops[*]", "consts[*]"]

    def __init__(self, ops, consts):
        self.ops = ops
        self.consts = consts


@elidable
def const_at(code, i):
    return code.consts[i]


class Frame(object):
    def __init__(self, n):
        self.stack = [0] * 16
        self.sp = 0
        self.calls = 0
        self.total = 0
        self.n = n

    def push(self, x):
        self.stack[self.sp] = x
        self.sp += 1

    def pop(self):
        self.sp -= 1
        return self.stack[self.sp]


class Handler(object):
    def apply(self, a, b):
        raise NotImplementedError


class Add(Handler):
    def apply(self, a, b):
        return a + b


class Sub(Handler):
    def apply(self, a, b):
        return a - b


HANDLERS = [Add(), Sub()]


class VMError(Exception):
    def __init__(self, msg):
        self.msg = msg


def helper(x):
    return x * 3 % 1000


def run(code, frame):
    pc = 0
    while True:
        jitdriver.jit_merge_point(pc=pc, code=code, frame=frame)
        op = code.ops[pc]
        if op == PUSH:
            frame.push(const_at(code, code.ops[pc + 1]))
            pc += 2
        elif op == ADD or op == SUB:
            h = promote(HANDLERS[op - ADD])
            b = frame.pop()
            a = frame.pop()
            frame.push(h.apply(a, b))
            pc += 1
        elif op == DUP:
            x = frame.pop()
            frame.push(x)
            frame.push(x)
            pc += 1
        elif op == POP:
            frame.pop()
            pc += 1
        elif op == JUMP_IF:
            if frame.pop() != 0:
                pc = code.ops[pc + 1]
            else:
                pc += 2
        elif op == CALL:
            frame.total = helper(frame.total + frame.pop())
            frame.calls += 1
            pc += 1
        elif op == CHECK:
            x = frame.pop()
            if x < 0:
                raise VMError("negative count %d" % x)
            frame.push(x)
            pc += 1
        elif op == RET:
            return frame.pop()
        else:
            raise VMError("bad opcode %d" % op)


def entry_point(argv):
    n = int(argv[1]) if len(argv) > 1 else 10
    # A loop counting n down to zero, adding and calling on the way, in straight code:
    # stack [acc, n]
    #  0 PUSH c0 (0)      acc
    #  2 PUSH c1 (n)      acc n
    #  4 CHECK            acc n
    #  5 DUP              acc n n
    #  6 JUMP_IF 11       acc n
    #  8 POP              acc
    #  9 RET
    # 10 (unused)
    # 11 ... acc n: total = helper(total + n - 1), n -= 1
    ops = [PUSH, 0, PUSH, 1, CHECK, DUP, JUMP_IF, 11, POP, RET, RET,
           # 11: acc n
           DUP,            # 11: acc n n
           PUSH, 2,        # 12: acc n n 1
           SUB,            # 14: acc n n-1
           PUSH, 3,        # 15: acc n n-1 0
           ADD,            # 17: acc n n-1
           CALL,           # 18: acc n (total = helper(total + n - 1))
           PUSH, 2,        # 19: acc n 1
           SUB,            # 21: acc n-1
           DUP,            # 22: acc n-1 n-1
           JUMP_IF, 11,    # 23: acc n-1
           POP,            # 25: acc
           RET]            # 26
    code = Code(ops, [0, n, 1, 0])
    frame = Frame(n)
    try:
        result = run(code, frame)
    except VMError as e:
        print("error: " + e.msg)
        return 1
    print("result %d, total %d after %d calls" % (result, frame.total, frame.calls))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
