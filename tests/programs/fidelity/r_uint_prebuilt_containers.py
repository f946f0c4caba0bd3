# run:
# run: x
# Import-time r_uint values inside prebuilt tuples, dict values and keys, and class
# attributes (overridden in a subclass): each stays unsigned at run time.
from rpython.rlib.rarithmetic import r_uint, intmask

PAIR = (r_uint(-1), 5)
TABLE = {"a": r_uint(-2), "b": r_uint(3)}
KEYS = {r_uint(7): "seven", r_uint(1) << 40: "big"}


class K(object):
    mask = r_uint(-1)

    def __init__(self):
        self.x = r_uint(1)


class L(K):
    mask = r_uint(255)


def entry_point(argv):
    n = len(argv)
    print(PAIR[0], PAIR[1], PAIR[0] >> 60)
    print(TABLE["a"], TABLE["b"] * r_uint(n))
    print(KEYS[r_uint(7)], KEYS[r_uint(n) << 40] if n == 1 else "-", r_uint(n) in KEYS)
    objs = [K(), L()]
    for o in objs:
        print(o.mask, o.mask >> 4, o.x)
    t = (r_uint(n), "x")
    print(t[0] - r_uint(2))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
