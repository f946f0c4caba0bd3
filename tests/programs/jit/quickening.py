# run: 3
# run: 200
# A bytecode interpreter that quickens, as PySOM's does: the first time an instruction
# runs, it rewrites itself into a faster form and the loop retries the same pc without a
# `can_enter_jit`. The bytecode list is declared `code?[*]` and read through an
# `elidable_promote` method, as PySOM declares `_bytecodes?[*]`. The merge point reached
# by the retry is no loop: the JIT may close a loop only at a merge point after a
# `can_enter_jit` (RPython's rule). Closing one at the retry compiled "rewrite, then go
# back to the same pc" with the old instruction folded in: at threshold=1 that loop never
# ended (PySOM's test suite hung).

from kiln import jit
from kiln.jit import JitDriver

LOAD_CONST = 0  # slow: quickens into LOAD_SMALL or LOAD_BIG
LOAD_SMALL = 1
LOAD_BIG = 2
ADD = 3
DEC_JUMP_IF_POS = 4  # counter -= 1; if counter > 0: jump to the operand
HALT = 5


class Method(object):
    _immutable_fields_ = ["code?[*]", "consts[*]"]

    def __init__(self, code, consts):
        self.code = code
        self.consts = consts

    @jit.elidable_promote("all")
    def get_code(self, pc):
        return self.code[pc]

    def quicken(self, pc):
        value = self.consts[self.code[pc + 1]]
        if value < 100:
            self.code[pc] = LOAD_SMALL
        else:
            self.code[pc] = LOAD_BIG


def location(pc, method):
    return "pc %d" % pc


jitdriver = JitDriver(greens=["pc", "method"], reds=["acc", "counter"], get_printable_location=location)


def interpret(method, counter):
    pc = 0
    acc = 0
    while True:
        jitdriver.jit_merge_point(pc=pc, method=method, acc=acc, counter=counter)
        op = method.get_code(pc)
        if op == LOAD_CONST:
            method.quicken(pc)
            # retry the instruction, now quickened
        elif op == LOAD_SMALL:
            acc += method.consts[method.get_code(pc + 1)]
            pc += 2
        elif op == LOAD_BIG:
            acc += 2 * method.consts[method.get_code(pc + 1)]
            pc += 2
        elif op == ADD:
            acc += method.get_code(pc + 1)
            pc += 2
        elif op == DEC_JUMP_IF_POS:
            counter -= 1
            if counter > 0:
                pc = method.get_code(pc + 1)
                jitdriver.can_enter_jit(pc=pc, method=method, acc=acc, counter=counter)
            else:
                pc += 2
        else:
            return acc


def entry_point(argv):
    n = int(argv[1])
    method = Method([LOAD_CONST, 0, LOAD_CONST, 1, ADD, 7, DEC_JUMP_IF_POS, 0, HALT], [5, 1000])
    print(interpret(method, n))
    print(method.code)
    return 0


if __name__ == "__main__":
    import sys

    entry_point(sys.argv)
