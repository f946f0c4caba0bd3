"""get_printable_location is called with the greens: this one forgets the second green."""
from kiln.jit import JitDriver


def get_location(pc):
    return "pc %d" % pc


driver = JitDriver(greens=["pc", "code"], reds=["acc"], get_printable_location=get_location)


def interpret(code):
    pc = 0
    acc = 0
    while pc < len(code):
        driver.jit_merge_point(pc=pc, code=code, acc=acc)
        acc += ord(code[pc])
        pc += 1
    return acc


def entry_point(argv):
    print(interpret(argv[0]))
    return 0
