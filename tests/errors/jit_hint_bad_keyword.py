"""hint() keywords are read at translation time: they must be the constant True, and known."""
from kiln.jit import hint


def f(x, flag):
    a = hint(x, promote=flag)
    return hint(a, access_directy=True)


def entry_point(argv):
    print(f(len(argv), len(argv) > 1))
    return 0
