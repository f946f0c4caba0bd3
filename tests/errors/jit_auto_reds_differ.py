"""Two merge points of one reds='auto' driver must find the same live variables."""
from kiln.jit import JitDriver

driver = JitDriver(greens=["pc", "code"], reds="auto")


def count(code):
    pc = 0
    acc = 0
    while pc < len(code):
        driver.jit_merge_point(pc=pc, code=code)
        acc += 1
        pc += 1
    return acc


def weigh(code, scale):
    pc = 0
    acc = 0.5
    while pc < len(code):
        driver.jit_merge_point(pc=pc, code=code)
        acc += ord(code[pc]) * scale
        pc += 1
    return acc


def entry_point(argv):
    print(count(argv[0]), weigh(argv[0], 1.5))
    return 0
