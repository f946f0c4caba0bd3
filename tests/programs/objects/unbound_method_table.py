# run:
# run: 4
# A dispatch table of unbound methods built at import time with getattr over opcode names, called as table[op](self, arg).


class Interp(object):
    def __init__(self):
        self.acc = 0
        self.trace = []

    def op_load(self, arg):
        self.acc = arg

    def op_add(self, arg):
        self.acc += arg

    def op_mul(self, arg):
        self.acc *= arg

    def op_neg(self, arg):
        self.acc = -self.acc

    def op_log(self, arg):
        self.trace.append(self.acc)

    def run(self, code):
        for opnum, arg in code:
            DISPATCH[opnum](self, arg)
        return self.acc


OPNAMES = ["load", "add", "mul", "neg", "log"]
DISPATCH = []
OPNUM = {}
for _name in OPNAMES:
    OPNUM[_name] = len(DISPATCH)
    DISPATCH.append(getattr(Interp, "op_" + _name))


def assemble(text):
    code = []
    for line in text.split(";"):
        words = line.strip().split(" ")
        arg = 0
        if len(words) > 1:
            arg = int(words[1])
        code.append((OPNUM[words[0]], arg))
    return code


def entry_point(argv):
    k = 3
    if len(argv) > 1:
        k = int(argv[1])
    interp = Interp()
    code = assemble("load 5; log; add %d; log; mul 7; neg; log; add 100; log" % k)
    print(interp.run(code), interp.trace)
    print(len(DISPATCH), OPNUM["neg"])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
