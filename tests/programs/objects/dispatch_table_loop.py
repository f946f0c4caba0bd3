# run:
# run: 5
# A dispatch table (a list indexed by opcode) built by a loop over a factory at import time.


def make_binop(kind):
    if kind == "add":
        def f(a, b):
            return a + b
    elif kind == "sub":
        def f(a, b):
            return a - b
    elif kind == "mul":
        def f(a, b):
            return a * b
    elif kind == "max":
        def f(a, b):
            return a if a > b else b
    else:
        def f(a, b):
            return a if a < b else b
    return f


NAMES = ["add", "sub", "mul", "max", "min"]
TABLE = []
OPCODES = {}
for _i in range(len(NAMES)):
    TABLE.append(make_binop(NAMES[_i]))
    OPCODES[NAMES[_i]] = _i


def run(code, a, b):
    acc = a
    for op in code:
        acc = TABLE[op](acc, b)
    return acc


def entry_point(argv):
    b = 3
    if len(argv) > 1:
        b = int(argv[1])
    for name in NAMES:
        print(name, OPCODES[name], TABLE[OPCODES[name]](10, b))
    code = [OPCODES["add"], OPCODES["mul"], OPCODES["sub"], OPCODES["max"], OPCODES["min"]]
    print(run(code, 1, b), run(code, -50, b), len(TABLE))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
