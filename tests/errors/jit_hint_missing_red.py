"""A JIT hint that does not pass every red: Kiln checks the names against the driver."""
from kiln.jit import JitDriver

driver = JitDriver(greens=["pc", "code"], reds=["acc", "frame"])


def interpret(code, frame):
    pc = 0
    acc = 0
    while pc < len(code):
        driver.jit_merge_point(pc=pc, code=code, acc=acc)
        acc += ord(code[pc])
        pc += 1
    driver.can_enter_jit(pc=pc, code=code, acc=acc, frame=frame, extra=1)
    return acc


def entry_point(argv):
    return interpret(argv[0], None) & 1
