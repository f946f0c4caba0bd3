"""A function marked @not_rpython (import time only) called from run-time code."""
from kiln.objectmodel import not_rpython


@not_rpython
def build_table():
    return dict((i, i * i) for i in range(10))


TABLE = build_table()


def entry_point(argv):
    print(TABLE[3])
    print(len(build_table()))
    return 0
