"""With reds='auto' only jit_merge_point is possible (as in RPython): can_enter_jit would need the reds."""
from kiln.jit import JitDriver

driver = JitDriver(greens=["pc", "code"], reds="auto")


def interpret(code):
    pc = 0
    acc = 0
    while pc < len(code):
        driver.jit_merge_point(pc=pc, code=code)
        acc += ord(code[pc])
        pc += 1
        driver.can_enter_jit(pc=pc, code=code)
    return acc


def entry_point(argv):
    print(interpret(argv[0]))
    return 0
