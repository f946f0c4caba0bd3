# run: 3
# run: 40
# A VM whose green key includes an instance (the code object) that is young when the
# JIT first sees it: the traced iteration allocates enough to fill the nursery, so a
# moving collector moves the code object while the tracer holds its key. The key the
# JIT records for the loop must follow the object (a stale address in the key table
# would be a dangling root).

from kiln.jit import JitDriver

jitdriver = JitDriver(greens=["pc", "code"], reds=["acc", "frame"])


class Code(object):
    _immutable_fields_ = ["ops[*]"]

    def __init__(self, ops):
        self.ops = ops


class Cell(object):
    def __init__(self, value, next):
        self.value = value
        self.next = next


class Frame(object):
    def __init__(self, rounds):
        self.rounds = rounds
        self.chain = None


def churn(frame, n):
    # Many small young objects: more than a nursery holds over a few iterations.
    head = None
    i = 0
    while i < n:
        head = Cell(i, head)
        i += 1
    frame.chain = head
    total = 0
    while head is not None:
        total += head.value & 7
        head = head.next
    return total


def run(code, rounds):
    frame = Frame(rounds)
    pc = 0
    acc = 0
    while True:
        jitdriver.jit_merge_point(pc=pc, code=code, acc=acc, frame=frame)
        op = code.ops[pc]
        if op == 0:
            acc += churn(frame, 40000)
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
