# run: 5 3
# Opcode constants defined through globals(), the classic interpreter idiom, and a
# dispatch on them at run time.
from __future__ import absolute_import, division, print_function

OPNAMES = ["PUSH", "ADD", "MUL", "DUP", "PRINT", "HALT"]
for _i, _name in enumerate(OPNAMES):
    globals()[_name] = _i
del _i, _name

g = globals()
assert "PUSH" in g and g["HALT"] == 5
g.setdefault("EXTRA", 42)
NUM_GLOBALS_AT_LEAST_8 = len(globals()) >= 8
HAS_MISSING = g.get("NO_SUCH_NAME", "absent")


def run(code, a, b):
    stack = []
    pc = 0
    while True:
        op = code[pc]
        if op == PUSH:
            pc += 1
            stack.append(a if code[pc] == 0 else b)
        elif op == ADD:
            y = stack.pop()
            stack.append(stack.pop() + y)
        elif op == MUL:
            y = stack.pop()
            stack.append(stack.pop() * y)
        elif op == DUP:
            stack.append(stack[-1])
        elif op == PRINT:
            print("top", stack[-1])
        elif op == HALT:
            return stack[-1]
        pc += 1


def entry_point(argv):
    a = int(argv[1]) if len(argv) > 1 else 2
    b = int(argv[2]) if len(argv) > 2 else 3
    code = [PUSH, 0, PUSH, 1, ADD, DUP, MUL, PRINT, HALT]
    print(run(code, a, b), EXTRA, NUM_GLOBALS_AT_LEAST_8, HAS_MISSING)
    print(OPNAMES[MUL], MUL)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
