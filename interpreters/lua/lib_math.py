"""The math library (with lua5.4's xoshiro256** random generator) and bit32."""

import math

from kiln.rarith import intmask, r_uint
from kiln.time import time as kiln_time
from operations import RtError, lua_floor, lua_lt, state, tonumber_str
from libutil import (arg, bad_arg, check_any, check_float, check_int, check_number, one,
                     opt_int)
from objects import W_Float, W_Int, W_Nil, W_Str, float_is_int, newbool, w_nil


# ------------------------------------------------------------------ math


def m_floor(args):
    w = check_number(args, 0, "floor")
    if isinstance(w, W_Int):
        return one(w)
    assert isinstance(w, W_Float)
    return one(float_to_intw(lua_floor(w.value), w.value))


def float_to_intw(f, orig):
    """An integer if the float ``f`` fits one, else the float (as math.floor does)."""
    if float_is_int(f):
        return W_Int(int(f))
    return W_Float(f)


def m_ceil(args):
    w = check_number(args, 0, "ceil")
    if isinstance(w, W_Int):
        return one(w)
    assert isinstance(w, W_Float)
    return one(float_to_intw(-lua_floor(-w.value), w.value))


def m_sqrt(args):
    f = check_float(args, 0, "sqrt")
    if f < 0.0:
        return one(W_Float(float("nan")))
    return one(W_Float(math.sqrt(f)))


def m_abs(args):
    w = check_number(args, 0, "abs")
    if isinstance(w, W_Int):
        v = w.value
        if v < 0:
            v = intmask(-v)
        return one(W_Int(v))
    assert isinstance(w, W_Float)
    return one(W_Float(abs(w.value)))


def m_max(args):
    w_best = check_number(args, 0, "max")
    for i in range(1, len(args)):
        w = check_number(args, i, "max")
        if lua_lt(w_best, w):
            w_best = w
    return one(w_best)


def m_min(args):
    w_best = check_number(args, 0, "min")
    for i in range(1, len(args)):
        w = check_number(args, i, "min")
        if lua_lt(w, w_best):
            w_best = w
    return one(w_best)


def m_sin(args):
    return one(W_Float(math.sin(check_float(args, 0, "sin"))))


def m_cos(args):
    return one(W_Float(math.cos(check_float(args, 0, "cos"))))


def m_tan(args):
    return one(W_Float(math.tan(check_float(args, 0, "tan"))))


def m_atan(args):
    y = check_float(args, 0, "atan")
    x = 1.0
    if len(args) >= 2:
        x = check_float(args, 1, "atan")
    return one(W_Float(math.atan2(y, x)))


def m_exp(args):
    try:
        return one(W_Float(math.exp(check_float(args, 0, "exp"))))
    except OverflowError:
        return one(W_Float(float("inf")))


def m_log(args):
    x = check_float(args, 0, "log")
    if x < 0.0:
        return one(W_Float(float("nan")))
    if x == 0.0:
        return one(W_Float(-float("inf")))
    if len(args) >= 2 and not isinstance(args[1], W_Nil):
        b = check_float(args, 1, "log")
        if b == 2.0:
            return one(W_Float(math.log(x) / math.log(2.0)))
        if b == 10.0:
            return one(W_Float(math.log(x) / math.log(10.0)))
        return one(W_Float(math.log(x) / math.log(b)))
    return one(W_Float(math.log(x)))


def m_fmod(args):
    w_a = check_number(args, 0, "fmod")
    w_b = check_number(args, 1, "fmod")
    if isinstance(w_a, W_Int) and isinstance(w_b, W_Int):
        b = w_b.value
        if b == 0:
            raise bad_arg(1, "fmod", "zero")
        if b == -1:
            return one(W_Int(0))
        a = w_a.value
        r = a % b
        if r != 0 and (a < 0) != (b < 0):
            r -= b
        return one(W_Int(r))
    a = check_float(args, 0, "fmod")
    b = check_float(args, 1, "fmod")
    if b == 0.0 or a != a or b != b or a == float("inf") or a == -float("inf"):
        return one(W_Float(float("nan")))
    if b == float("inf") or b == -float("inf"):
        return one(W_Float(a))
    r = a % b
    if r != 0.0 and (a < 0.0) != (b < 0.0):
        r -= b
    if r == 0.0:
        r = 0.0 * a  # C's fmod: a zero result has the sign of the dividend
    return one(W_Float(r))


def m_type(args):
    w = check_any(args, 0, "type")
    if isinstance(w, W_Int):
        return one(W_Str("integer"))
    if isinstance(w, W_Float):
        return one(W_Str("float"))
    return one(w_nil)


def m_tointeger(args):
    w = arg(args, 0)
    if isinstance(w, W_Int):
        return one(w)
    if isinstance(w, W_Float) and float_is_int(w.value):
        return one(W_Int(int(w.value)))
    if isinstance(w, W_Str):
        # Not m_tointeger([w_n]): tonumber_str may return None, and a list holding it
        # would make every argument list's items "W_Object or None".
        w_n = tonumber_str(w.value)
        if isinstance(w_n, W_Int):
            return one(w_n)
        if isinstance(w_n, W_Float) and float_is_int(w_n.value):
            return one(W_Int(int(w_n.value)))
    return one(w_nil)


def m_ult(args):
    a = check_int(args, 0, "ult")
    b = check_int(args, 1, "ult")
    return one(newbool(r_uint(a) < r_uint(b)))


def rotl(x, n):
    return (x << n) | (x >> (64 - n))


class Random(object):
    """lua5.4's math.random generator, xoshiro256** (lmathlib.c's nextrand).

    kiln: the state is kept as signed ints (a prebuilt instance's r_uint attribute is
    typed int), converted to r_uint for the arithmetic."""

    def __init__(self):
        self.s0 = 0
        self.s1 = 0
        self.s2 = 0
        self.s3 = 0

    def seed(self, n1, n2):
        self.s0 = n1
        self.s1 = 0xff
        self.s2 = n2
        self.s3 = 0
        for i in range(16):
            self.next()

    def next(self):
        state0 = r_uint(self.s0)
        state1 = r_uint(self.s1)
        state2 = r_uint(self.s2) ^ state0
        state3 = r_uint(self.s3) ^ state1
        res = rotl(state1 * r_uint(5), 7) * r_uint(9)
        self.s0 = intmask(state0 ^ state3)
        self.s1 = intmask(state1 ^ state2)
        self.s2 = intmask(state2 ^ (state1 << 17))
        self.s3 = intmask(rotl(state3, 45))
        return res


rng = Random()


def project(ran, n):
    """A random integer in [0, n], as lmathlib.c's project."""
    if n & (n + r_uint(1)) == r_uint(0):
        return ran & n
    lim = n
    lim |= lim >> 1
    lim |= lim >> 2
    lim |= lim >> 4
    lim |= lim >> 8
    lim |= lim >> 16
    lim |= lim >> 32
    ran &= lim
    while ran > n:
        ran = rng.next() & lim
    return ran


def m_random(args):
    rv = rng.next()
    if len(args) == 0:
        return one(W_Float(float(intmask(rv >> 11)) * (0.5 / 4503599627370496.0)))
    if len(args) == 1:
        low = 1
        up = check_int(args, 0, "random")
        if up == 0:
            return one(W_Int(intmask(rv)))
    elif len(args) == 2:
        low = check_int(args, 0, "random")
        up = check_int(args, 1, "random")
    else:
        raise RtError("wrong number of arguments", 0)
    if low > up:
        raise bad_arg(len(args) - 1, "random", "interval is empty")
    r = project(rv, r_uint(up) - r_uint(low))
    return one(W_Int(intmask(r + r_uint(low))))


def m_randomseed(args):
    if len(args) == 0:
        n1 = intmask(int(kiln_time()))
        n2 = 0
    else:
        w = check_number(args, 0, "randomseed")
        if isinstance(w, W_Float):
            n1 = intmask(int(w.value)) if float_is_int(w.value) else 0
        else:
            assert isinstance(w, W_Int)
            n1 = w.value
        n2 = opt_int(args, 1, "randomseed", 0)
    rng.seed(n1, n2)
    return [W_Int(n1), W_Int(n2)]



# ------------------------------------------------------------------ bit32


def bit_arg(args, i, fname):
    return check_int(args, i, fname) & 0xFFFFFFFF


def bit_band(args):
    r = 0xFFFFFFFF
    for i in range(len(args)):
        r &= bit_arg(args, i, "band")
    return one(W_Int(r))


def bit_bor(args):
    r = 0
    for i in range(len(args)):
        r |= bit_arg(args, i, "bor")
    return one(W_Int(r))


def bit_bxor(args):
    r = 0
    for i in range(len(args)):
        r ^= bit_arg(args, i, "bxor")
    return one(W_Int(r))


def bit_bnot(args):
    return one(W_Int((~bit_arg(args, 0, "bnot")) & 0xFFFFFFFF))


def bit_lshift(args):
    x = bit_arg(args, 0, "lshift")
    n = check_int(args, 1, "lshift")
    if n <= -32 or n >= 32:
        return one(W_Int(0))
    if n >= 0:
        return one(W_Int((x << n) & 0xFFFFFFFF))
    return one(W_Int(x >> (-n)))


def bit_rshift(args):
    x = bit_arg(args, 0, "rshift")
    n = check_int(args, 1, "rshift")
    if n <= -32 or n >= 32:
        return one(W_Int(0))
    if n >= 0:
        return one(W_Int(x >> n))
    return one(W_Int((x << (-n)) & 0xFFFFFFFF))
