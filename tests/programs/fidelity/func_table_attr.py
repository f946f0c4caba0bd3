# run:
# run: 5
# A table of builtins stored on an instance and called as self.func(args) (PyPy's tla style).


def op_add(a, b):
    return a + b


def op_mul(a, b):
    return a * b


class Builtin:
    def __init__(self, name, func):
        self.name = name
        self.func = func

    def call(self, a, b):
        return self.func(a, b)


class Machine:
    def __init__(self):
        self.handler = op_add
        self.builtins = [Builtin("add", op_add), Builtin("mul", op_mul)]

    def run(self, a, b):
        total = self.handler(a, b)
        for bi in self.builtins:
            total += bi.call(a, b)
            total += bi.func(b, a)
        return total


def entry_point(argv):
    m = Machine()
    n = len(argv) + 1
    print(m.run(n, 3))
    m.handler = op_mul
    print(m.run(n, 4))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
