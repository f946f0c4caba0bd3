"""``rpython.rlib.longlong2float`` for Kiln: the bits of a double as a 64-bit int and
back, written in RPy with exact float arithmetic (scaling by powers of two), so that the
translator and CPython run the same code.

Differs from RPython: a NaN's sign and payload cannot be reached by arithmetic.
``float2longlong`` of any NaN is ``0x7ff8000000000000``, and ``longlong2float`` of any
other NaN bit pattern raises ``ValueError`` rather than return a different NaN.
"""

import math

from kiln.rarith import maxint

_MININT = -maxint - 1
_QUIET_NAN = 0x7FF8000000000000
_TWO52 = 4503599627370496.0
_TWO64 = 18446744073709551616.0
_INF = 1e200 * 1e200


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
    else:
        # ax == m * 2**e with 2**52 <= m < 2**53, or e == -1074 for a subnormal.
        e = 0
        while ax >= _TWO52 * _TWO64:
            ax = ax / _TWO64
            e += 64
        while ax >= 2.0 * _TWO52:
            ax = ax * 0.5
            e += 1
        while ax < _TWO52 / _TWO64 and e - 64 >= -1074:
            ax = ax * _TWO64
            e -= 64
        while ax < _TWO52 and e > -1074:
            ax = ax * 2.0
            e -= 1
        m = int(ax)
        if m < (1 << 52):
            bits = m
        else:
            bits = ((e + 1075) << 52) | (m - (1 << 52))
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
