# run:
# run: a b c d
# r_uint shifts by counts outside 0..63 at run time: 64 and more shift everything out (both
# ways), a negative count raises ValueError, as CPython's rarithmetic (was an invalid
# machine shift: an internal error in the llinterp).
from rpython.rlib.rarithmetic import r_uint, intmask


def entry_point(argv):
    x = r_uint(len(argv) + 6)
    for n in [0, 1, 63, 64, 65, 200, len(argv) + 62]:
        print(x << n, x >> n, (r_uint(0) - x) >> n)
    try:
        print(x << (len(argv) - 3))
    except ValueError as e:
        print("ValueError", e)
    try:
        print(x >> (len(argv) - 3))
    except ValueError as e:
        print("ValueError", e)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
