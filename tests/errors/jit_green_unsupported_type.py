"""A green must be a value the JIT can hold in a register: an iterator is not one."""
from kiln.jit import JitDriver

driver = JitDriver(greens=["it"], reds=["acc"])


def interpret(code):
    acc = 0
    it = iter(code)
    for c in it:
        driver.jit_merge_point(it=it, acc=acc)
        acc += ord(c)
    return acc


def entry_point(argv):
    print(interpret(argv[0]))
    return 0
