"""Unit tests for the RPy library modules ``rpython.rlib.rfloat``, ``rerased``,
``longlong2float``, ``rstring``, ``rarithmetic.string_to_int`` and ``streamio`` under
CPython, with CPython's own formatting, ``round`` and ``struct`` as oracles.

Run with ``python3 -m unittest discover -s runtime/python/tests``.
"""

import math
import os
import random
import struct
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from rpython.rlib import rerased, rfloat  # noqa: E402
from rpython.rlib.longlong2float import float2longlong, longlong2float  # noqa: E402
from rpython.rlib.rarithmetic import string_to_int  # noqa: E402
from rpython.rlib.rfloat import DTSF_ADD_DOT_0, DTSF_ALT, DTSF_SIGN, DTSF_STR_PRECISION, formatd, round_double  # noqa: E402
from rpython.rlib.rstring import ParseStringError, ParseStringOverflowError, StringBuilder  # noqa: E402
from rpython.rlib.streamio import Stream, StreamError, open_file_as_stream  # noqa: E402


def sample_floats(count, seed):
    rng = random.Random(seed)
    xs = [0.0, -0.0, 1.0, -1.0, 0.5, 2.5, 0.125, 2.675, 1e16, 1e22, 1e-5, 1e-4, 123456789012.0, 1234567890123.0,
          5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 1 / 3, 9.995, 99.95, 0.000123456, 1e100,
          float("inf"), float("-inf"), float("nan")]
    for _ in range(count):
        kind = rng.random()
        if kind < 0.3:
            xs.append(struct.unpack("<d", struct.pack("<Q", rng.getrandbits(63)))[0] * rng.choice((1, -1)))
        elif kind < 0.6:
            xs.append(round(rng.uniform(-1000, 1000), rng.randrange(6)))
        else:
            xs.append(rng.uniform(-1, 1) * 10 ** rng.randrange(-30, 30))
    return xs


class FormatdTest(unittest.TestCase):
    def test_against_cpython_formatting(self):
        for x in sample_floats(150, 1):
            for p in (0, 1, 3, 6, 12, 17, 25):
                self.assertEqual(formatd(x, "e", p), "%.*e" % (p, x), (x, "e", p))
                self.assertEqual(formatd(x, "f", p), "%.*f" % (p, x), (x, "f", p))
                self.assertEqual(formatd(x, "g", p), "%.*g" % (p, x), (x, "g", p))
                self.assertEqual(formatd(x, "G", p), "%.*G" % (p, x), (x, "G", p))
                self.assertEqual(formatd(x, "g", p, DTSF_ALT), "%#.*g" % (p, x), (x, "#g", p))
                self.assertEqual(formatd(x, "e", p, DTSF_SIGN), "%+.*e" % (p, x), (x, "+e", p))
                if p > 0:
                    self.assertEqual(formatd(x, "g", p, DTSF_ADD_DOT_0), format(x, ".%d" % p), (x, "g+.0", p))
            self.assertEqual(formatd(x, "r", 0, DTSF_ADD_DOT_0), repr(x))

    def test_pysoms_float_to_str(self):
        self.assertEqual(formatd(1.0, "g", DTSF_STR_PRECISION, DTSF_ADD_DOT_0), "1.0")
        self.assertEqual(formatd(0.1 + 0.2, "g", DTSF_STR_PRECISION, DTSF_ADD_DOT_0), "0.3")
        self.assertEqual(formatd(1e11, "g", DTSF_STR_PRECISION, DTSF_ADD_DOT_0), "1e+11")
        self.assertEqual(formatd(12345678901.0, "g", DTSF_STR_PRECISION, DTSF_ADD_DOT_0), "12345678901.0")

    def test_round_double(self):
        for x in sample_floats(150, 2):
            for nd in (-3, -1, 0, 1, 2, 5, 15):
                if math.isfinite(x):
                    self.assertEqual(repr(round_double(x, nd, half_even=True)), repr(round(x, nd)), (x, nd))
        # Ties away from zero by default, decided on the exact value.
        self.assertEqual(round_double(0.5, 0), 1.0)
        self.assertEqual(round_double(-2.5, 0), -3.0)
        self.assertEqual(round_double(2.5, 0, half_even=True), 2.0)
        self.assertEqual(round_double(0.125, 2), 0.13)
        self.assertEqual(round_double(2.675, 2), 2.67)  # 2.67499999... exactly
        self.assertEqual(round_double(25.0, -1), 30.0)
        self.assertEqual(round_double(-0.4, 0), -0.0)
        self.assertEqual(repr(round_double(-0.4, 0)), "-0.0")

    def test_constants(self):
        self.assertTrue(rfloat.isinf(rfloat.INFINITY))
        self.assertTrue(rfloat.isnan(rfloat.NAN))
        self.assertTrue(rfloat.isfinite(1.0))
        self.assertFalse(rfloat.isfinite(rfloat.NAN))
        self.assertEqual(rfloat.copysign(2.0, -0.0), -2.0)
        self.assertEqual(rfloat.round_away(2.5), 3.0)
        self.assertEqual(rfloat.round_away(-2.5), -3.0)
        self.assertEqual(rfloat.round_away(2.4), 2.0)


class LongLong2FloatTest(unittest.TestCase):
    def test_against_struct(self):
        for x in sample_floats(2000, 3):
            if math.isnan(x):
                continue
            bits = struct.unpack("<q", struct.pack("<d", x))[0]
            self.assertEqual(float2longlong(x), bits, x)
            self.assertEqual(repr(longlong2float(bits)), repr(x), bits)

    def test_every_exponent(self):
        # The exponent is found by a binary search: check each one, at its edges.
        for e in range(-1074, 1024):
            p = 2.0**e
            for x in (p, p * 1.5, math.nextafter(p, 0.0), math.nextafter(p, math.inf), -p):
                if math.isinf(x):
                    continue
                bits = struct.unpack("<q", struct.pack("<d", x))[0]
                self.assertEqual(float2longlong(x), bits, x)
                self.assertEqual(repr(longlong2float(bits)), repr(x), bits)

    def test_nan(self):
        self.assertEqual(float2longlong(float("nan")), 0x7FF8000000000000)
        self.assertTrue(math.isnan(longlong2float(0x7FF8000000000000)))
        self.assertRaises(ValueError, longlong2float, 0x7FF8000000000001)


class ErasedTest(unittest.TestCase):
    def test_pairs(self):
        erase_l, unerase_l = rerased.new_erasing_pair("test_list")
        erase_s, unerase_s = rerased.new_erasing_pair("test_str")
        lst = [1, 2]
        e = erase_l(lst)
        self.assertIsInstance(e, rerased.Erased)
        self.assertIs(unerase_l(e), lst)
        self.assertIsNone(unerase_s(erase_s(None)))
        with self.assertRaises(AssertionError):
            unerase_s(e)

    def test_ints(self):
        e = rerased.erase_int(-42)
        self.assertTrue(rerased.is_integer(e))
        self.assertEqual(rerased.unerase_int(e), -42)
        erase, _ = rerased.new_erasing_pair("test_other")
        self.assertFalse(rerased.is_integer(erase(3)))
        self.assertRaises(OverflowError, rerased.erase_int, 2**62)
        self.assertEqual(rerased.unerase_int(rerased.erase_int(2**62 - 1)), 2**62 - 1)


class StringTest(unittest.TestCase):
    def test_string_to_int(self):
        self.assertEqual(string_to_int("-123"), -123)
        self.assertEqual(string_to_int("ff", 16), 255)
        self.assertEqual(string_to_int(str(2**63 - 1)), 2**63 - 1)
        self.assertRaises(ParseStringOverflowError, string_to_int, str(2**63))
        self.assertRaises(ParseStringOverflowError, string_to_int, str(-(2**63) - 1))
        with self.assertRaises(ValueError) as cm:
            string_to_int("12x")
        self.assertIsInstance(cm.exception, ParseStringError)
        self.assertEqual(str(cm.exception), "invalid literal for int() with base 10: '12x'")

    def test_builder(self):
        b = StringBuilder()
        b.append("ab")
        b.append_char("c")
        b.append_slice("xyzw", 1, 3)
        b.append_multiple_char("-", 3)
        self.assertEqual(b.getlength(), 8)
        self.assertEqual(b.build(), "abcyz---")
        b.append("!")
        self.assertEqual(b.build(), "abcyz---!")


class OsWriteStrTest(unittest.TestCase):
    """``import rpython`` lets ``os.write`` take a ``str``, as RPython's (and a translated
    program's) ``os.write`` does; bytes are written unchanged."""

    def test_str_and_bytes(self):
        r, w = os.pipe()
        try:
            self.assertEqual(os.write(w, "d\u00e9j\u00e0 \u20ac\n"), len("d\u00e9j\u00e0 \u20ac\n".encode("utf-8")))
            self.assertEqual(os.write(w, b"\xffraw"), 4)
            self.assertEqual(os.write(w, bytearray(b"!")), 1)
            os.close(w)
            w = -1
            data = b""
            while True:
                chunk = os.read(r, 100)
                if not chunk:
                    break
                data += chunk
        finally:
            os.close(r)
            if w >= 0:
                os.close(w)
        self.assertEqual(data, "d\u00e9j\u00e0 \u20ac\n".encode("utf-8") + b"\xffraw!")

    def test_other_types_still_rejected(self):
        r, w = os.pipe()
        try:
            with self.assertRaises(TypeError):
                os.write(w, 42)
        finally:
            os.close(r)
            os.close(w)


class StreamTest(unittest.TestCase):
    def test_read(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "f.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write("line one\nline \u00e9 two\nend")
            s = open_file_as_stream(path, "r")
            self.assertEqual(s.read(4), "line")
            self.assertEqual(s.readline(), " one\n")
            self.assertEqual(s.tell(), 9)
            self.assertEqual(s.readall(), "line \u00e9 two\nend")
            self.assertEqual(s.read(10), "")
            s.close()
            self.assertRaises(StreamError, s.read, 1)
            w = open_file_as_stream(path, "w")
            w.write("new")
            self.assertRaises(StreamError, w.read, 1)
            w.close()
            self.assertEqual(open_file_as_stream(path).readall(), "new")

    def test_errors(self):
        with self.assertRaises(OSError) as cm:
            open_file_as_stream("/nonexistent/file", "r")
        self.assertEqual(cm.exception.errno, 2)
        self.assertRaises(ValueError, open_file_as_stream, "x", "q")
        self.assertRaises(StreamError, Stream().read, 1)


if __name__ == "__main__":
    unittest.main()
