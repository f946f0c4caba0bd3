# dump: flow total
# dump: annotated total
# dump: lltype total
"""Dump snapshots: a counting loop over range and a list."""


def total(items, n):
    s = 0
    for i in range(n):
        s += items[i] * 2
    for x in items:
        s -= x
    return s


def entry_point(argv):
    print(total([1, 2, 3], 3))
    return 0
