# run:
# run: 5
# A `[None] * n` frame as interpreters write them: slots filled later, read without
# narrowing; reading an empty slot raises AttributeError as under CPython.


class W_Object(object):
    def add(self, other):
        raise NotImplementedError

    def str(self):
        return "?"


class W_Int(W_Object):
    def __init__(self, v):
        self.intval = v

    def add(self, other):
        assert isinstance(other, W_Int)
        return W_Int(self.intval + other.intval)

    def str(self):
        return str(self.intval)


class Frame(object):
    def __init__(self, nlocals, depth):
        self.locals_w = [None] * nlocals
        self.stack_w = [None] * depth
        self.sp = 0

    def push(self, w):
        self.stack_w[self.sp] = w
        self.sp += 1

    def pop(self):
        self.sp -= 1
        w = self.stack_w[self.sp]
        self.stack_w[self.sp] = None
        return w

    def load(self, i):
        self.push(self.locals_w[i])

    def store(self, i):
        self.locals_w[i] = self.pop()


LOAD_CONST, LOAD, STORE, ADD, PRINT = 0, 1, 2, 3, 4


def run(code, consts, nlocals):
    f = Frame(nlocals, 8)
    pc = 0
    while pc < len(code):
        op = code[pc]
        arg = code[pc + 1]
        pc += 2
        if op == LOAD_CONST:
            f.push(W_Int(consts[arg]))
        elif op == LOAD:
            f.load(arg)
        elif op == STORE:
            f.store(arg)
        elif op == ADD:
            b = f.pop()
            a = f.pop()
            f.push(a.add(b))
        elif op == PRINT:
            print(f.pop().str())
    return 0


def entry_point(argv):
    n = 3
    if len(argv) > 1:
        n = int(argv[1])
    code = [LOAD_CONST, 0, STORE, 0, LOAD, 0, LOAD_CONST, 1, ADD, 0, STORE, 1, LOAD, 1, PRINT, 0]
    run(code, [n, 4], 2)
    try:
        # Local 1 was never stored: the frame slot is None.
        run([LOAD, 1, LOAD, 1, ADD, 0, PRINT, 0], [], 2)
    except AttributeError as e:
        print("AttributeError:", str(e))
    # And uncaught, with argv: exit 1 with CPython's last line.
    if n == 5:
        run([LOAD, 0, PRINT, 0], [], 1)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
