# run: 5
# run: 300
# A driver whose `get_printable_location` allocates (it formats a string) and raises for
# some positions: with KILN_JITLOG, the JIT calls it for every merge point of a trace and
# writes `<error>` where it raised (differential_jit.rs reads the log). The program's own
# output never depends on it. A `can_enter_jit` at the back jump: the JIT counts there.

import sys

from kiln.jit import JitDriver

ADD = 0
DOUBLE_IF_SMALL = 1
DEC_JUMP = 2  # counter -= 1; if counter > 0: jump to the operand
HALT = 3

NAMES = ["add", "double_if_small", "dec_jump", "halt"]


class NoLocation(Exception):
    pass


def where(pc, code):
    if code[pc] == DOUBLE_IF_SMALL:
        raise NoLocation()
    return "at %d: %s" % (pc, NAMES[code[pc]])


driver = JitDriver(greens=["pc", "code"], reds=["acc", "counter"], get_printable_location=where)


def run(code, counter):
    pc = 0
    acc = 0
    while True:
        driver.jit_merge_point(pc=pc, code=code, acc=acc, counter=counter)
        op = code[pc]
        if op == ADD:
            acc += code[pc + 1]
            pc += 2
        elif op == DOUBLE_IF_SMALL:
            if -1000 < acc < 1000:
                acc *= 2
            pc += 1
        elif op == DEC_JUMP:
            counter -= 1
            if counter > 0:
                pc = code[pc + 1]
                driver.can_enter_jit(pc=pc, code=code, acc=acc, counter=counter)
            else:
                pc += 2
        else:
            return acc


def entry_point(argv):
    n = int(argv[1])
    code = [ADD, 3, DOUBLE_IF_SMALL, ADD, -7, DEC_JUMP, 0, HALT]
    print(run(code, n))
    try:
        where(2, code)
    except NoLocation:
        print("position 2 has no location")
    print(where(0, code))
    return 0


if __name__ == "__main__":
    sys.exit(entry_point(sys.argv))
