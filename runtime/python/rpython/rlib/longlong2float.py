"""``rpython.rlib.longlong2float`` for Kiln: the bits of a double as a 64-bit int and
back, written in RPy with exact float arithmetic (a binary search over scalings by
powers of two), so that the translator and CPython run the same code.

Differs from RPython: a NaN's sign and payload cannot be reached by arithmetic.
``float2longlong`` of any NaN is ``0x7ff8000000000000``, and ``longlong2float`` of any
other NaN bit pattern raises ``ValueError`` rather than return a different NaN.
"""

import math

from kiln.rarith import maxint

_MININT = -maxint - 1
_QUIET_NAN = 0x7FF8000000000000
_TWO52 = 4503599627370496.0
_INF = 1e200 * 1e200
# 2.0**(2**k) for k = 9 .. 0, and their inverses: every power of two from 2**-1023 to
# 2**1023 is a product of a few of them, and scaling by one is exact for a normal double.
_UP = [2.0**512, 2.0**256, 2.0**128, 2.0**64, 2.0**32, 2.0**16, 2.0**8, 2.0**4, 2.0**2, 2.0]
_DOWN = [2.0**-512, 2.0**-256, 2.0**-128, 2.0**-64, 2.0**-32, 2.0**-16, 2.0**-8, 2.0**-4, 2.0**-2, 0.5]
_SHIFTS = [512, 256, 128, 64, 32, 16, 8, 4, 2, 1]
_MIN_NORMAL = 2.2250738585072014e-308  # 2.0**-1022
_TWO537 = 2.0**537


def float2longlong(x):
    if math.isnan(x):
        return _QUIET_NAN
    negative = x < 0.0 or (x == 0.0 and repr(x)[0] == "-")
    ax = x
    if negative:
        ax = -x
    if math.isinf(ax):
        bits = 2047 << 52
    elif ax == 0.0:
        bits = 0
    elif ax < _MIN_NORMAL:
        # A subnormal is m * 2**-1074 with m < 2**52: scale it up exactly, in two steps
        # (2.0**1074 is not a double).
        bits = int(ax * _TWO537 * _TWO537)
    else:
        # Binary search for e with 1 <= ax / 2**e < 2: ten exact scalings, not a loop
        # over the exponent.
        e = 0
        i = 0
        if ax >= 2.0:
            while i < 10:
                if ax >= _UP[i]:
                    ax = ax * _DOWN[i]
                    e += _SHIFTS[i]
                i += 1
        elif ax < 1.0:
            while i < 10:
                if ax * _UP[i] < 2.0:
                    ax = ax * _UP[i]
                    e -= _SHIFTS[i]
                i += 1
        m = int(ax * _TWO52)
        bits = ((e + 1023) << 52) | (m - (1 << 52))
    if negative:
        return bits + _MININT
    return bits


def longlong2float(i):
    negative = i < 0
    bits = i & maxint
    biased = bits >> 52
    mant = bits & ((1 << 52) - 1)
    if biased == 2047:
        if mant != 0:
            if bits == _QUIET_NAN:
                return _INF - _INF
            raise ValueError("longlong2float: NaN payloads are not supported by Kiln")
        x = _INF
    elif biased == 0:
        x = float(mant) * math.pow(2.0, -537.0) * math.pow(2.0, -537.0)
    else:
        x = float(mant + (1 << 52)) * _pow2(biased - 1075)
    if negative:
        return -x
    return x


def _pow2(e):
    """``2.0 ** e`` for -1074 <= e <= 1023, exactly."""
    if e < -1000:
        return math.pow(2.0, -1000.0) * math.pow(2.0, float(e + 1000))
    return math.pow(2.0, float(e))
