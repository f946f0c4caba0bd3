"""Unit tests for ``rpython.rlib.rbigint`` under CPython, with Python's own ints as the
oracle: fixed edge cases, then random operands of up to thousands of digits (fixed seed).

Run with ``python3 -m unittest discover -s runtime/python/tests``.
"""

import math
import os
import random
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from rpython.rlib import rbigint as rb  # noqa: E402
from rpython.rlib.rbigint import _divrem, rbigint  # noqa: E402
from rpython.rlib.rstring import ParseStringError  # noqa: E402

MAXINT = 2**63 - 1
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)
MININT = -(2**63)


def big(x):
    return rbigint.fromstr(str(x))


def val(b):
    """The Python int of an rbigint, read from its digits (independent of str())."""
    n = 0
    for d in reversed(b._digits):
        assert 0 <= d < 2**31
        n = (n << 31) | d
    if b._digits:
        assert b._digits[-1] != 0
        assert b.sign in (-1, 1)
    else:
        assert b.sign == 0
    return -n if b.sign < 0 else n


EDGES = [0, 1, -1, 2, -2, 2**31 - 1, 2**31, -(2**31), 2**62, 2**63 - 1, -(2**63), 2**63, 2**64 - 1, 2**64,
         -(2**64), 10**18, 10**19, -(10**19), 2**93 - 1, 2**93, 3**100, -(7**200), 10**500 + 1]


def rand_int(rng, max_digits):
    ndigits = rng.randint(1, max_digits)
    shape = rng.random()
    if shape < 0.1:
        x = 10**ndigits - 1  # all nines
    elif shape < 0.2:
        x = 2 ** (ndigits * 3) - 1  # all ones in binary
    elif shape < 0.3:
        x = 2 ** (ndigits * 3)  # a power of two
    else:
        x = rng.randrange(10 ** (ndigits - 1), 10**ndigits)
    return -x if rng.random() < 0.5 else x


class EdgeTest(unittest.TestCase):
    def test_fromint_toint(self):
        for x in EDGES:
            if MININT <= x <= MAXINT:
                b = rbigint.fromint(x)
                self.assertEqual(val(b), x)
                self.assertEqual(b.toint(), x)
            else:
                self.assertRaises(OverflowError, big(x).toint)

    def test_str_roundtrip(self):
        for x in EDGES:
            self.assertEqual(big(x).str(), str(x))
            self.assertEqual(val(big(x)), x)

    def test_parse(self):
        for text, base in [("  -123 ", 10), ("+0", 10), ("0x_ff", 0), ("0b101", 0), ("0o17", 0), ("1_000", 10),
                           ("ff", 16), ("0xff", 16), ("z", 36), ("000", 0), ("0_0", 0)]:
            self.assertEqual(val(rbigint.fromstr(text, base)), int(text, base), text)
        for text, base in [("", 10), ("-", 10), ("1__0", 10), ("_1", 10), ("1_", 10), ("12a", 10), ("012", 0),
                           ("0x", 0), ("9", 8), (" ", 10)]:
            with self.assertRaises(ValueError) as cm:
                int(text, base)
            with self.assertRaises(ParseStringError) as mine:
                rbigint.fromstr(text, base)
            self.assertEqual(str(mine.exception), str(cm.exception))
        self.assertEqual(val(rbigint.fromdecimalstr("987654321" * 30)), int("987654321" * 30))

    def test_fromfloat_tofloat(self):
        for f in [0.0, -0.0, 0.5, -0.99, 1.0, 1e15, -1e16 + 1, 2.0**53 + 2, 1.5e300, -1.7976931348623157e308, 12345.678]:
            self.assertEqual(val(rbigint.fromfloat(f)), int(f))
        self.assertRaises(OverflowError, rbigint.fromfloat, math.inf)
        self.assertRaises(ValueError, rbigint.fromfloat, math.nan)
        for x in EDGES + [2**53 + 1, 2**54 + 3, 2**1024 - 2**971, 2**1024 - 2**970 - 1, -(2**1000 + 2**947)]:
            if x.bit_length() <= 1024:
                self.assertEqual(big(x).tofloat(), float(x), x)
        for x in [2**1024, 2**1024 - 2**970, -(10**400), 10**500 + 1]:
            self.assertRaises(OverflowError, float, x)
            self.assertRaises(OverflowError, big(x).tofloat)

    def test_division_by_zero(self):
        zero = rbigint.fromint(0)
        for op in ("floordiv", "mod", "divmod", "truediv"):
            self.assertRaises(ZeroDivisionError, getattr(big(5), op), zero)
        self.assertRaises(ZeroDivisionError, _divrem, big(5), zero)

    def test_shift_errors(self):
        self.assertRaises(ValueError, big(5).lshift, -1)
        self.assertRaises(ValueError, big(5).rshift, -1)

    def test_digit_is_rpythons_63_bit_digit(self):
        for x in EDGES + [3**300]:
            m = abs(x)
            for i in range(4):
                self.assertEqual(big(x).digit(i), (m >> (63 * i)) & (2**63 - 1))

    def test_set_sign(self):
        b = big(12345678901234567890123)
        b._set_sign(-1)
        self.assertEqual(b.str(), "-12345678901234567890123")

    def test_hash_is_cpythons(self):
        for x in EDGES + [-1, 2**61 - 1, 2**61, -(2**61) + 1]:
            self.assertEqual(big(x).hash(), hash(x), x)


class RandomTest(unittest.TestCase):
    """Random operands up to thousands of digits, checked against Python's ints."""

    def check_truediv(self, a, b, x, y):
        if y == 0:
            self.assertRaises(ZeroDivisionError, a.truediv, b)
            return
        try:
            q = x / y
        except OverflowError:
            self.assertRaises(OverflowError, a.truediv, b)
        else:
            self.assertEqual(repr(a.truediv(b)), repr(q), (x, y))

    def check_pairs(self, max_digits, count, seed):
        rng = random.Random(seed)
        for _ in range(count):
            x = rand_int(rng, max_digits)
            y = rand_int(rng, max_digits if rng.random() < 0.7 else 30)
            a, b = big(x), big(y)
            self.assertEqual(val(a.add(b)), x + y)
            self.assertEqual(val(a.sub(b)), x - y)
            self.assertEqual(val(a.mul(b)), x * y)
            for p, q in ((x, y), (x * y + rng.randrange(abs(y) + 1), y), (y, x)):
                pa, qa = big(p), big(q)
                self.assertEqual(val(pa.floordiv(qa)), p // q)
                self.assertEqual(val(pa.mod(qa)), p % q)
                d, m = pa.divmod(qa)
                self.assertEqual((val(d), val(m)), divmod(p, q))
                tq, tr = _divrem(pa, qa)
                self.assertEqual(val(tq), abs(p) // abs(q) * (1 if (p < 0) == (q < 0) else -1))
                self.assertEqual(val(tr), p - val(tq) * q)
            self.check_truediv(a, b, x, y)
            self.check_truediv(b, a, y, x)
            self.check_truediv(a, big(y >> 1000), x, y >> 1000)
            self.assertEqual(a.and_(b).str(), str(x & y))
            self.assertEqual(val(a.or_(b)), x | y)
            self.assertEqual(val(a.xor(b)), x ^ y)
            self.assertEqual(val(a.invert()), ~x)
            self.assertEqual(val(a.neg()), -x)
            self.assertEqual(val(a.abs()), abs(x))
            n = rng.randrange(200)
            self.assertEqual(val(a.lshift(n)), x << n)
            self.assertEqual(val(a.rshift(n)), x >> n)
            for name, op in (("eq", "__eq__"), ("ne", "__ne__"), ("lt", "__lt__"), ("le", "__le__"), ("gt", "__gt__"), ("ge", "__ge__")):
                self.assertEqual(getattr(a, name)(b), getattr(x, op)(y))
                self.assertEqual(getattr(a, name)(a), getattr(x, op)(x))
            self.assertEqual(a.str(), str(x))
            self.assertEqual(a.hash(), hash(x))
            self.assertEqual(a.bit_length(), x.bit_length())
            try:
                f = float(x)
            except OverflowError:
                self.assertRaises(OverflowError, a.tofloat)
            else:
                self.assertEqual(a.tofloat(), f)

    def test_small(self):
        self.check_pairs(40, 300, 1)

    def test_medium(self):
        self.check_pairs(700, 60, 2)

    def test_large(self):
        self.check_pairs(4000, 8, 3)

    def test_pow(self):
        rng = random.Random(4)
        for _ in range(30):
            x = rand_int(rng, 30)
            e = rng.randrange(60)
            self.assertEqual(val(big(x).pow(rbigint.fromint(e))), x**e)
            m = rand_int(rng, 20)
            self.assertEqual(val(big(x).pow(rbigint.fromint(e), big(m))), pow(x, e, m))
        self.assertRaises(ValueError, big(2).pow, rbigint.fromint(-1))

    def test_huge_str_and_mul(self):
        rng = random.Random(5)
        x = rng.randrange(10**9999, 10**10000)
        y = rng.randrange(10**9999, 10**10000)
        self.assertEqual(rbigint.fromstr(str(x)).str(), str(x))
        self.assertEqual(val(big(x).mul(big(y))), x * y)
        self.assertEqual(val(big(x * y + 12345).floordiv(big(y))), (x * y + 12345) // y)


if __name__ == "__main__":
    unittest.main()
