# run:
# Built-in exceptions raised by operations (IndexError, KeyError, ZeroDivisionError) caught through user-facing wrappers.


class EvalError(Exception):
    pass


class Machine(object):
    def __init__(self):
        self.regs = [0, 0, 0, 0]
        self.mem = {}

    def get(self, r):
        try:
            return self.regs[r]
        except IndexError:
            raise EvalError("bad register %d" % r)

    def load(self, addr):
        try:
            return self.mem[addr]
        except KeyError:
            raise EvalError("unmapped address %d" % addr)

    def div(self, a, b):
        try:
            return a // b
        except ZeroDivisionError as e:
            raise EvalError("division: " + str(e))


def run(m, op, x, y):
    try:
        if op == "get":
            return str(m.get(x))
        if op == "load":
            return str(m.load(x))
        if op == "div":
            return str(m.div(x, y))
        m.mem[x] = y
        m.regs[x % 4] = y
        return "stored"
    except EvalError as e:
        return "error: " + str(e)


def entry_point(argv):
    m = Machine()
    script = [("store", 5, 50), ("get", 1, 0), ("get", 9, 0), ("load", 5, 0),
              ("load", 6, 0), ("div", 7, 2), ("div", 7, 0), ("div", -7, 2)]
    for op, x, y in script:
        print(op, x, y, "->", run(m, op, x, y))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
