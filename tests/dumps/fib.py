# dump: flow fib
# dump: annotated fib
# dump: lltype fib
# dump: gc fib
# dump: transformed fib
# dump: flow entry_point
# dump: lltype entry_point
"""Dump snapshots: a recursive function and an entry point with a try/except."""


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def entry_point(argv):
    try:
        n = int(argv[1])
    except IndexError:
        n = 10
    print(fib(n))
    return 0
