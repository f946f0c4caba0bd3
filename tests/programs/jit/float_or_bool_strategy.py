# run: 5
# run: 300
# PySOM's array-strategy fill loop under the JIT: a storage list that is a float list
# in one call and a bool list in another (the filler is shared, as PySOM's
# `_set_remaining_with_block_as_double` is), filled in a jitted loop, then read back as
# numbers and shown by type. NaN-boxed bools are plain float slots to the JIT: a trace
# through the loop must keep them bools.

from kiln.jit import JitDriver

driver = JitDriver(greens=[], reds=["i", "n", "storage", "step"])


def fill(storage, n, step):
    i = 1
    while i < n:
        driver.jit_merge_point(i=i, n=n, storage=storage, step=step)
        if step > 0.0:
            storage[i] = storage[i - 1] + step
        else:
            storage[i] = storage[i - 1]
        i += 1


def summarise(storage):
    total = 0.0
    bools = 0
    for x in storage:
        total += x
        if isinstance(x, bool):
            bools += 1
    return total, bools


def entry_point(argv):
    n = int(argv[1])
    floats = [0.5] * n
    fill(floats, n, 0.25)
    flags = [True] * n
    fill(flags, n, 0.0)
    t, b = summarise(floats)
    print("floats", t, b, floats[n - 1], isinstance(floats[n - 1], float))
    t, b = summarise(flags)
    print("flags", t, b, flags[n - 1], flags[0] == 1.0)
    flags[n - 1] = False
    print(flags[n - 1], flags[n - 2], "%s %s" % (flags[0], floats[0]))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
