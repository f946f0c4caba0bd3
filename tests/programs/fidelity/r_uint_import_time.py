# run:
# run: 7 99
# r_uint values made at import time keep their type (the Lua VM's "Kiln problems met"):
# `r_uint(1) << 63` and `r_uint(-1)` wrap instead of overflowing or staying signed, a
# prebuilt instance's r_uint attribute stays unsigned (lua5.4's xoshiro256** state), a
# prebuilt list of r_uint masks (and a run-time list of r_uint read back unsigned), and
# import-time r_uint arithmetic and comparisons.
from rpython.rlib.rarithmetic import r_uint, intmask

SIGN_BIT = r_uint(1) << 63
MASKS = [r_uint(1) << i for i in range(64)]
TOP = intmask(r_uint(1) << 63)
MAX = r_uint(-1)
DIFF = r_uint(5) - r_uint(7)
MIXED = [r_uint(3) * 7 - 22, 1 << r_uint(2), (-8) >> r_uint(1), ~r_uint(0), -r_uint(1)]
FACTS = [r_uint(1) < -1, r_uint(-1) == -1, MAX > SIGN_BIT, isinstance(MAX, int),
         r_uint(7) // r_uint(2) == 3, DIFF % r_uint(10) == 4, bool(r_uint(0))]
TEXT = "%d/%s/%s" % (r_uint(42), str(MAX), str(DIFF))


def rotl(x, n):
    return (x << n) | (x >> (64 - n))


class Random(object):
    def __init__(self):
        self.s0 = r_uint(0)
        self.s1 = r_uint(0)
        self.s2 = r_uint(0)
        self.s3 = r_uint(0)

    def seed(self, n1, n2):
        self.s0 = r_uint(n1)
        self.s1 = r_uint(0xff)
        self.s2 = r_uint(n2)
        self.s3 = r_uint(0)
        for i in range(16):
            self.next()

    def next(self):
        state0 = self.s0
        state1 = self.s1
        state2 = self.s2 ^ state0
        state3 = self.s3 ^ state1
        res = rotl(state1 * r_uint(5), 7) * r_uint(9)
        self.s0 = state0 ^ state3
        self.s1 = state1 ^ state2
        self.s2 = state2 ^ (state1 << 17)
        self.s3 = rotl(state3, 45)
        return res


rng = Random()
rng.seed(42, 0)


def bit_of(a):
    return MASKS[a & 63]


def entry_point(argv):
    n1 = 1
    n2 = 2
    if len(argv) > 2:
        n1 = int(argv[1])
        n2 = int(argv[2])
    for i in range(4):
        r = rng.next()
        print(r, intmask(r), r > SIGN_BIT, r & SIGN_BIT == SIGN_BIT, r >> 60)
    rng.seed(n1, n2)
    total = r_uint(0)
    for i in range(5):
        r = rng.next()
        total += r
        print(r, r % r_uint(1000), intmask(r >> 1))
    print(total, intmask(total))
    print(SIGN_BIT, TOP, bit_of(63), bit_of(n1 + 62), intmask(bit_of(127)), bit_of(0))
    print(rng.s0, rng.s1 > rng.s2, intmask(rng.s3) < 0)
    print(MAX, DIFF, MAX >> 1, DIFF // r_uint(n2), MAX + r_uint(n1), intmask(MAX))
    for x in MIXED:
        print(x, x > r_uint(n1), x >> 62)
    for f in FACTS:
        print(f)
    print(TEXT)
    masks = [r_uint(n1) << i for i in range(62, 65)]
    masks.append(MAX)
    print(masks[0], masks[1], masks[2], masks[-1] >> 63, len(masks))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
