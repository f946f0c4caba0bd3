# run: 3
# run: 8
# A VM whose green key includes an instance (the code object) that is young when the
# JIT first sees it: the traced iteration allocates more than the nursery holds, so a
# moving collector moves the code object while the tracer holds its key. The key the
# JIT records for the loop must follow the object (a stale address in the key table
# would be a dangling root).

from kiln.jit import JitDriver

jitdriver = JitDriver(greens=["pc", "code"], reds=["acc", "frame"])


class Code(object):
    _immutable_fields_ = ["ops[*]"]

    def __init__(self, ops):
        self.ops = ops


class Frame(object):
    def __init__(self, rounds):
        self.rounds = rounds
        self.chain = [0]


def churn(frame, n):
    # Young blocks of ~12 KB (below the large-object size, so they fill the nursery):
    # 400 of them are more than a 4 MiB nursery holds, so every call collects at least
    # once, and only a few allocations do it (cheap under KILN_GC_DEBUG=1 too).
    total = 0
    i = 0
    while i < n:
        block = [i] * 1500
        frame.chain = block
        total += block[i % 1500] & 7
        i += 1
    return total


def run(code, rounds):
    frame = Frame(rounds)
    pc = 0
    acc = 0
    while True:
        jitdriver.jit_merge_point(pc=pc, code=code, acc=acc, frame=frame)
        op = code.ops[pc]
        if op == 0:
            acc += churn(frame, 400)
            pc += 1
        elif op == 1:
            frame.rounds -= 1
            if frame.rounds <= 0:
                return acc
            pc = 0
        else:
            pc += 1


def entry_point(argv):
    rounds = int(argv[1]) if len(argv) > 1 else 3
    # Codes made one after the other, each young when its loop is first traced.
    for k in range(3):
        code = Code([0, 2, 2, 1])
        print("round", k, run(code, rounds + k))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
