# run:
# run: a b c
# r_uint values formatted at run time: '%d', '%x', '%X', '%o' with flags and widths,
# repr() and f-strings show the unsigned number (2**64 - 1, not -1), as
# CPython does with the support package; repr() is the support package's r_uint(N).
from rpython.rlib.rarithmetic import r_uint, intmask


def show(u):
    print("%d|%x|%X|%o" % (u, u, u, u))
    print("[%24d] [%-20x] [%#x] [%+d] [%020d]" % (u, u, u, u, u))
    print("%s %r" % (u, u))
    print(repr(u), str(u))
    print(f"{u} {u!r} {u:x} {u:>22}")
    print(intmask(u))


def entry_point(argv):
    n = len(argv)
    show(r_uint(n) - r_uint(2))
    show(r_uint(n) << 62)
    show(r_uint(n) * r_uint(1000))
    return 0


if __name__ == "__main__":
    import sys
    entry_point(sys.argv)
