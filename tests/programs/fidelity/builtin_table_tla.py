# run:
# run: 7
# A toy bytecode interpreter in the style of PyPy's tla/tlc: builtins in a table of
# objects holding plain functions, a bound method in an attribute, opcode constants.

CONST_INT = 1
CALL_BUILTIN = 2
ADD = 3
PRINT = 4
RETURN = 5


def bi_neg(frame, arg):
    return -arg


def bi_double(frame, arg):
    return arg * 2


def bi_depth(frame, arg):
    return len(frame.stack) + arg


class BuiltinFunc:
    def __init__(self, name, func):
        self.name = name
        self.func = func


BUILTINS = [BuiltinFunc("neg", bi_neg), BuiltinFunc("double", bi_double), BuiltinFunc("depth", bi_depth)]


class Frame:
    def __init__(self, code):
        self.code = code
        self.stack = []
        self.verbose = False
        self.trace = self.log

    def log(self, msg):
        if self.verbose:
            print("trace:", msg)

    def push(self, v):
        self.stack.append(v)

    def pop(self):
        return self.stack.pop()

    def run(self):
        pc = 0
        code = self.code
        while pc < len(code):
            op = code[pc]
            arg = code[pc + 1]
            pc += 2
            if op == CONST_INT:
                self.push(arg)
            elif op == CALL_BUILTIN:
                b = BUILTINS[arg]
                self.trace(b.name)
                self.push(b.func(self, self.pop()))
            elif op == ADD:
                y = self.pop()
                x = self.pop()
                self.push(x + y)
            elif op == PRINT:
                print(self.stack[-1])
            elif op == RETURN:
                return self.pop()
        return -1


def entry_point(argv):
    n = 5
    if len(argv) > 1:
        n = int(argv[1])
    f = Frame([CONST_INT, n, CALL_BUILTIN, 1, PRINT, 0, CALL_BUILTIN, 0, CONST_INT, 3, CALL_BUILTIN, 2, ADD, 0, PRINT, 0, RETURN, 0])
    print(f.run())
    g = Frame([CONST_INT, n, CALL_BUILTIN, 1, CALL_BUILTIN, 0, RETURN, 0])
    g.verbose = True
    print(g.run())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
