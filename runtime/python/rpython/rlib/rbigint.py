"""``rpython.rlib.rbigint`` for Kiln: arbitrary-precision integers with RPython's API,
written in RPy (the translator reads this same file; under CPython it runs as is).

A number is a sign (-1, 0 or 1) and a magnitude: a list of 31-bit digits, least
significant first, with no leading zero digit (zero is the empty list). RPython uses
63-bit digits with 128-bit intermediates; Kiln's ints are 64-bit words, and 31 bits is
the widest digit whose products and carries stay below 2**63: a digit product is below
2**62, and a product plus a digit plus a carry (below 2**32) still fits. Under CPython,
where ints grow, no intermediate ever exceeds 63 bits either, so both runs compute the
same digits.

Speed: multiplication is Karatsuba above ``KARATSUBA_CUTOFF`` digits (and splits
lopsided products into balanced ones); division is Knuth's algorithm D (one digit of
quotient per step) below ``BZ_CUTOFF`` digits and Burnikel-Ziegler recursive division
above it, so dividing costs a few multiplications; ``str()`` and ``fromstr()`` divide
and conquer by powers of ten 10**(9*2**k), so converting n digits costs O(M(n) log n)
rather than O(n**2).
"""

import math

from rpython.rlib.rstring import ParseStringError

SHIFT = 31
BASE = 1 << SHIFT
MASK = BASE - 1

KARATSUBA_CUTOFF = 48
BZ_CUTOFF = 64
# Below this many digits, str() divides by 10**9 digit by digit.
STR_CUTOFF = 48

_DEC_CHUNK = 1000000000  # 10**9 < 2**31: one digit
_MAXINT = (1 << 62) - 1 + (1 << 62)
_MININT = -_MAXINT - 1


# ----- magnitudes: lists of digits, least significant first, no leading zeros -----


def _normalize(a):
    """Drops leading zero digits (in place) and returns ``a``."""
    n = len(a)
    while n > 0 and a[n - 1] == 0:
        n -= 1
    if n < len(a):
        del a[n:]
    return a


def _mag_from_uint(x):
    """The digits of ``0 <= x < 2**63``."""
    digits = []
    while x > 0:
        digits.append(x & MASK)
        x = x >> SHIFT
    return digits


def _cmp(a, b):
    la = len(a)
    lb = len(b)
    if la != lb:
        if la < lb:
            return -1
        return 1
    i = la - 1
    while i >= 0:
        if a[i] != b[i]:
            if a[i] < b[i]:
                return -1
            return 1
        i -= 1
    return 0


def _add(a, b):
    if len(a) < len(b):
        a, b = b, a
    la = len(a)
    lb = len(b)
    z = [0] * (la + 1)
    carry = 0
    i = 0
    while i < lb:
        t = a[i] + b[i] + carry
        z[i] = t & MASK
        carry = t >> SHIFT
        i += 1
    while i < la:
        t = a[i] + carry
        z[i] = t & MASK
        carry = t >> SHIFT
        i += 1
    z[la] = carry
    return _normalize(z)


def _sub(a, b):
    """``a - b`` for ``a >= b``."""
    la = len(a)
    lb = len(b)
    z = [0] * la
    borrow = 0
    i = 0
    while i < lb:
        t = a[i] - b[i] - borrow
        z[i] = t & MASK
        borrow = (t >> SHIFT) & 1
        i += 1
    while i < la:
        t = a[i] - borrow
        z[i] = t & MASK
        borrow = (t >> SHIFT) & 1
        i += 1
    assert borrow == 0
    return _normalize(z)


def _add_small(a, n):
    """``a + n`` for a digit ``0 <= n < BASE``."""
    z = a[:]
    z.append(0)
    i = 0
    carry = n
    while carry != 0:
        t = z[i] + carry
        z[i] = t & MASK
        carry = t >> SHIFT
        i += 1
    return _normalize(z)


def _sub_one(a):
    """``a - 1`` for ``a >= 1``."""
    z = a[:]
    i = 0
    while z[i] == 0:
        z[i] = MASK
        i += 1
    z[i] -= 1
    return _normalize(z)


def _add_into(z, x, offset):
    """``z += x * BASE**offset`` in place; ``z`` is long enough to hold the sum."""
    carry = 0
    i = 0
    lx = len(x)
    while i < lx:
        t = z[offset + i] + x[i] + carry
        z[offset + i] = t & MASK
        carry = t >> SHIFT
        i += 1
    k = offset + lx
    while carry != 0:
        t = z[k] + carry
        z[k] = t & MASK
        carry = t >> SHIFT
        k += 1


def _shift_digits(a, k):
    """``a * BASE**k``."""
    if len(a) == 0:
        return a
    return [0] * k + a


def _low(a, k):
    """``a mod BASE**k``."""
    return _normalize(a[:k])


def _high(a, k):
    """``a // BASE**k``."""
    return a[k:]


def _mul_school(a, b):
    la = len(a)
    lb = len(b)
    z = [0] * (la + lb)
    i = 0
    while i < la:
        ai = a[i]
        if ai != 0:
            carry = 0
            j = 0
            while j < lb:
                t = z[i + j] + ai * b[j] + carry
                z[i + j] = t & MASK
                carry = t >> SHIFT
                j += 1
            k = i + lb
            while carry != 0:
                t = z[k] + carry
                z[k] = t & MASK
                carry = t >> SHIFT
                k += 1
        i += 1
    return _normalize(z)


def _mul_small(a, n):
    """``a * n`` for a digit ``0 <= n < BASE``."""
    la = len(a)
    z = [0] * (la + 1)
    carry = 0
    i = 0
    while i < la:
        t = a[i] * n + carry
        z[i] = t & MASK
        carry = t >> SHIFT
        i += 1
    z[la] = carry
    return _normalize(z)


def _mul(a, b):
    if len(a) > len(b):
        a, b = b, a
    la = len(a)
    if la == 0:
        return []
    if la == 1:
        return _mul_small(b, a[0])
    if la < KARATSUBA_CUTOFF:
        return _mul_school(a, b)
    lb = len(b)
    if 2 * la <= lb:
        # Lopsided: multiply `a` by slices of `b` as long as `a`.
        z = [0] * (la + lb)
        start = 0
        while start < lb:
            piece = _normalize(b[start : start + la])
            _add_into(z, _mul(a, piece), start)
            start += la
        return _normalize(z)
    # Karatsuba: a = ah*B**k + al, b = bh*B**k + bl.
    k = lb >> 1
    ah = _high(a, k)
    al = _low(a, k)
    bh = _high(b, k)
    bl = _low(b, k)
    hh = _mul(ah, bh)
    ll = _mul(al, bl)
    mid = _sub(_sub(_mul(_add(ah, al), _add(bh, bl)), hh), ll)
    z = [0] * (la + lb + 1)
    _add_into(z, ll, 0)
    _add_into(z, mid, k)
    _add_into(z, hh, 2 * k)
    return _normalize(z)


def _lshift_bits(a, n):
    """``a << n`` for ``0 <= n < SHIFT``."""
    if n == 0:
        return a[:]
    la = len(a)
    z = [0] * (la + 1)
    carry = 0
    i = 0
    while i < la:
        t = (a[i] << n) | carry
        z[i] = t & MASK
        carry = t >> SHIFT
        i += 1
    z[la] = carry
    return _normalize(z)


def _rshift_bits(a, n):
    """``a >> n`` for ``0 <= n < SHIFT``."""
    if n == 0:
        return a[:]
    la = len(a)
    z = [0] * la
    i = 0
    while i < la:
        t = a[i] >> n
        if i + 1 < la:
            t |= (a[i + 1] << (SHIFT - n)) & MASK
        z[i] = t
        i += 1
    return _normalize(z)


def _lshift(a, n):
    if len(a) == 0:
        return []
    return _shift_digits(_lshift_bits(a, n % SHIFT), n // SHIFT)


def _rshift(a, n):
    return _rshift_bits(_high(a, n // SHIFT), n % SHIFT)


def _bit_length_digit(d):
    n = 0
    while d > 0:
        d = d >> 1
        n += 1
    return n


def _bit_length(a):
    if len(a) == 0:
        return 0
    return (len(a) - 1) * SHIFT + _bit_length_digit(a[len(a) - 1])


def _divrem_small(a, n):
    """``divmod(a, n)`` for a digit ``0 < n < BASE``: (quotient digits, remainder)."""
    la = len(a)
    q = [0] * la
    rem = 0
    i = la - 1
    while i >= 0:
        t = (rem << SHIFT) | a[i]
        q[i] = t // n
        rem = t - q[i] * n
        i -= 1
    return _normalize(q), rem


def _divrem_knuth(a, b):
    """``divmod(a, b)`` by Knuth's algorithm D, for ``len(b) >= 2``."""
    n = len(b)
    if _cmp(a, b) < 0:
        return [], a[:]
    d = SHIFT - _bit_length_digit(b[n - 1])
    v = _lshift_bits(b, d)
    u = _lshift_bits(a, d)
    if len(u) == len(a):
        u.append(0)
    m = len(u) - n - 1
    q = [0] * (m + 1)
    vtop = v[n - 1]
    vnext = v[n - 2]
    j = m
    while j >= 0:
        top = (u[j + n] << SHIFT) | u[j + n - 1]
        qhat = top // vtop
        rhat = top - qhat * vtop
        while qhat >= BASE or qhat * vnext > ((rhat << SHIFT) | u[j + n - 2]):
            qhat -= 1
            rhat += vtop
            if rhat >= BASE:
                break
        # u[j:j+n+1] -= qhat * v
        borrow = 0
        carry = 0
        i = 0
        while i < n:
            p = qhat * v[i] + carry
            carry = p >> SHIFT
            t = u[i + j] - (p & MASK) + borrow
            u[i + j] = t & MASK
            borrow = t >> SHIFT
            i += 1
        t = u[j + n] - carry + borrow
        u[j + n] = t & MASK
        if t < 0:
            qhat -= 1
            carry = 0
            i = 0
            while i < n:
                t = u[i + j] + v[i] + carry
                u[i + j] = t & MASK
                carry = t >> SHIFT
                i += 1
            u[j + n] = (u[j + n] + carry) & MASK
        q[j] = qhat
        j -= 1
    rem = _rshift_bits(_normalize(u[:n]), d)
    return _normalize(q), rem


def _divrem_mag(a, b):
    """``divmod(a, b)`` of magnitudes, ``b`` not zero."""
    lb = len(b)
    assert lb > 0
    if lb == 1:
        q, r = _divrem_small(a, b[0])
        if r == 0:
            return q, []
        return q, [r]
    if lb < BZ_CUTOFF or len(a) - lb < BZ_CUTOFF:
        return _divrem_knuth(a, b)
    # Burnikel-Ziegler: normalise b (top bit set), cut a into chunks of len(b) digits
    # and divide chunk by chunk from the top, each a 2n-by-n division.
    d = SHIFT - _bit_length_digit(b[lb - 1])
    bn = _lshift_bits(b, d)
    an = _lshift_bits(a, d)
    n = len(bn)
    nchunks = (len(an) + n - 1) // n
    q = [0] * (nchunks * n)
    r = []
    c = nchunks - 1
    while c >= 0:
        chunk = _normalize(an[c * n : (c + 1) * n])
        x = _concat(chunk, r, n)
        qc, r = _div2n1n(x, bn, n)
        i = 0
        while i < len(qc):
            q[c * n + i] = qc[i]
            i += 1
        c -= 1
    return _normalize(q), _rshift_bits(r, d)


def _concat(low, high, n):
    """``low + high * BASE**n`` for ``low < BASE**n``."""
    if len(high) == 0:
        return low[:]
    z = low + [0] * (n - len(low))
    return z + high


def _div2n1n(a, b, n):
    """``divmod(a, b)`` for ``b`` of ``n`` digits with its top bit set and
    ``a < b * BASE**n``."""
    if n < BZ_CUTOFF:
        return _divrem_knuth(a, b)
    pad = n & 1
    if pad:
        a = _shift_digits(a, 1)
        b = _shift_digits(b, 1)
        n += 1
    half = n >> 1
    b1 = _high(b, half)
    b2 = _low(b, half)
    q1, r = _div3n2n(_high(a, n), _low(_high(a, half), half), b, b1, b2, half)
    q2, r = _div3n2n(r, _low(a, half), b, b1, b2, half)
    if pad:
        r = _high(r, 1)
    return _concat(q2, q1, half), r


def _div3n2n(a12, a3, b, b1, b2, n):
    """Divides ``a12 * BASE**n + a3`` by ``b = b1 * BASE**n + b2``; the quotient fits in
    ``n`` digits."""
    if _cmp(_high(a12, n), b1) == 0:
        q = [MASK] * n
        r = _add(_low(a12, n), b1)
    else:
        q, r = _div2n1n(a12, b1, n)
    t = _concat(a3, r, n)
    qb2 = _mul(q, b2)
    while _cmp(t, qb2) < 0:
        q = _sub_one(q)
        t = _add(t, b)
    return q, _sub(t, qb2)


def _mag_to_decimal(a):
    """The decimal digits of the magnitude ``a``, no leading zeros (``"0"`` for 0)."""
    if len(a) == 0:
        return "0"
    # pows[k] = 10**(9 * 2**k), until one exceeds a.
    pows = [[_DEC_CHUNK]]
    while _cmp(pows[len(pows) - 1], a) <= 0:
        last = pows[len(pows) - 1]
        pows.append(_mul(last, last))
    # pows[level] <= a < pows[level + 1] (level -1: a < 10**9)
    level = len(pows) - 2
    pieces = []
    _decimal_rec(a, level, pows, False, pieces)
    return "".join(pieces)


def _decimal_rec(a, level, pows, pad, pieces):
    """Appends the digits of ``a < pows[level + 1]`` to ``pieces``: exactly
    ``18 * 2**level`` digits if ``pad``, else without leading zeros."""
    if level < 0 or len(a) <= STR_CUTOFF:
        width = 9
        k = level
        while k >= 0:
            width *= 2
            k -= 1
        _decimal_small(a, width, pad, pieces)
        return
    q, r = _divrem_mag(a, pows[level])
    if pad or len(q) > 0:
        _decimal_rec(q, level - 1, pows, pad, pieces)
        _decimal_rec(r, level - 1, pows, True, pieces)
    else:
        _decimal_rec(r, level - 1, pows, False, pieces)


def _decimal_small(a, width, pad, pieces):
    chunks = []
    while len(a) > 0:
        a, rem = _divrem_small(a, _DEC_CHUNK)
        chunks.append(rem)
    ndigits = 0
    text = []
    i = len(chunks) - 1
    while i >= 0:
        s = str(chunks[i])
        if len(text) > 0:
            s = "0" * (9 - len(s)) + s
        text.append(s)
        ndigits += len(s)
        i -= 1
    if pad and ndigits < width:
        pieces.append("0" * (width - ndigits))
    for s in text:
        pieces.append(s)


def _mag_from_decimal(s, start, end):
    """The magnitude of the decimal digits ``s[start:end]`` (all digits)."""
    n = end - start
    if n <= 9 * STR_CUTOFF:
        a = []
        i = start
        while i < end:
            stop = i + 9
            first = (end - start) % 9
            if i == start and first != 0:
                stop = start + first
            chunk = 0
            power = 1
            j = i
            while j < stop:
                chunk = chunk * 10 + (ord(s[j]) - 48)
                power *= 10
                j += 1
            a = _add_small(_mul_small(a, power), chunk)
            i = stop
        return a
    # Split off the low 9 * 2**k digits, the largest such block shorter than s.
    width = 9
    while 2 * width < n:
        width *= 2
    high = _mag_from_decimal(s, start, end - width)
    low = _mag_from_decimal(s, end - width, end)
    return _add(_mul(high, _pow10(width)), low)


def _pow10(n):
    result = [1]
    base = [10]
    while n > 0:
        if n & 1:
            result = _mul(result, base)
        n = n >> 1
        if n > 0:
            base = _mul(base, base)
    return result


def _ldexp(x, e):
    """``x * 2**e`` for a float ``x``, exact when the result is representable."""
    while e > 1000:
        x = x * math.pow(2.0, 1000.0)
        e -= 1000
    while e < -1000:
        x = x * math.pow(2.0, -1000.0)
        e += 1000
    return x * math.pow(2.0, float(e))


def _mag_to_float_exact(a):
    """The float of a magnitude below 2**55 whose value is exactly representable."""
    x = 0.0
    i = len(a) - 1
    while i >= 0:
        x = x * 2147483648.0 + float(a[i])
        i -= 1
    return x


# ----- two's complement views for the bitwise operations ---------------------------


_AND = 0
_OR = 1
_XOR = 2


def _bitwise(a, op, b):
    """``a op b`` for ``op`` one of ``_AND``, ``_OR``, ``_XOR`` with Python's semantics on
    negative numbers (infinite two's complement)."""
    nega = a.sign < 0
    negb = b.sign < 0
    ma = a._digits
    if nega:
        ma = _sub_one(ma)
    mb = b._digits
    if negb:
        mb = _sub_one(mb)
    size = len(ma)
    if len(mb) > size:
        size = len(mb)
    z = [0] * size
    i = 0
    while i < size:
        x = 0
        if i < len(ma):
            x = ma[i]
        if nega:
            x = x ^ MASK
        y = 0
        if i < len(mb):
            y = mb[i]
        if negb:
            y = y ^ MASK
        if op == _AND:
            z[i] = x & y
        elif op == _OR:
            z[i] = x | y
        else:
            z[i] = x ^ y
        i += 1
    if op == _AND:
        negz = nega and negb
    elif op == _OR:
        negz = nega or negb
    else:
        negz = nega != negb
    if negz:
        i = 0
        while i < size:
            z[i] = z[i] ^ MASK
            i += 1
        return rbigint(_add_small(_normalize(z), 1), -1)
    return rbigint._from_mag(_normalize(z), 1)


# ----- the class ------------------------------------------------------------------


class rbigint(object):
    """An immutable arbitrary-precision integer (``_set_sign`` aside, as in RPython)."""

    _immutable_fields_ = ["_digits[*]"]

    def __init__(self, digits, sign):
        self._digits = digits
        if len(digits) == 0:
            sign = 0
        self.sign = sign

    @staticmethod
    def _from_mag(digits, sign):
        if len(digits) == 0:
            return rbigint(digits, 0)
        return rbigint(digits, sign)

    # -- conversions --

    @staticmethod
    def fromint(i):
        if i == 0:
            return rbigint([], 0)
        if i == _MININT:
            return rbigint([0, 0, 2], -1)
        if i < 0:
            return rbigint(_mag_from_uint(-i), -1)
        return rbigint(_mag_from_uint(i), 1)

    @staticmethod
    def frombool(b):
        if b:
            return rbigint([1], 1)
        return rbigint([], 0)

    @staticmethod
    def fromfloat(f):
        """The integer part of ``f``; ``OverflowError`` for an infinity and
        ``ValueError`` for a NaN, as ``int(f)``."""
        if math.isinf(f):
            raise OverflowError("cannot convert float infinity to integer")
        if math.isnan(f):
            raise ValueError("cannot convert float NaN to integer")
        sign = 1
        if f < 0.0:
            sign = -1
            f = -f
        if f < 1.0:
            return rbigint([], 0)
        # Exact: dividing by a power of two and subtracting a multiple of one.
        powers = [1.0]
        while powers[len(powers) - 1] * 2147483648.0 <= f:
            powers.append(powers[len(powers) - 1] * 2147483648.0)
        digits = [0] * len(powers)
        i = len(powers) - 1
        while i >= 0:
            d = int(f / powers[i])
            digits[i] = d
            f -= float(d) * powers[i]
            i -= 1
        return rbigint(_normalize(digits), sign)

    @staticmethod
    def fromstr(s, base=0):
        """Parses ``s`` as ``int(s, base)`` does for bases 0, 2, 8, 10 and 16 (with the
        base prefixes, underscores between digits, and surrounding whitespace)."""
        return _parse(s, base)

    @staticmethod
    def fromdecimalstr(s):
        return _parse(s, 10)

    def toint(self):
        """The value as an int; ``OverflowError`` if it does not fit in a machine word."""
        d = self._digits
        n = len(d)
        if n == 0:
            return 0
        if n > 3 or (n == 3 and d[2] > 2):
            raise OverflowError("int too large to convert to int")
        if n == 3 and d[2] == 2:
            if self.sign < 0 and d[1] == 0 and d[0] == 0:
                return _MININT
            raise OverflowError("int too large to convert to int")
        x = 0
        i = n - 1
        while i >= 0:
            x = (x << SHIFT) | d[i]
            i -= 1
        if self.sign < 0:
            return -x
        return x

    tolonglong = toint

    def fits_int(self):
        try:
            self.toint()
        except OverflowError:
            return False
        return True

    def tofloat(self):
        """The nearest float (ties to even), as ``float(n)``; ``OverflowError`` if it is
        too large."""
        x = _mag_tofloat(self._digits)
        if self.sign < 0:
            return -x
        return x

    def str(self):
        s = _mag_to_decimal(self._digits)
        if self.sign < 0:
            return "-" + s
        return s

    def repr(self):
        return self.str()

    def __str__(self):
        # `str(big)` is the decimal number, under CPython and translated alike
        # (RPython's shows a debugging repr; PySOM's BigInteger.__str__ calls it).
        return self.str()

    def digit(self, i):
        """RPython's ``digit(i)`` on 64-bit machines: the i-th 63-bit digit of the
        magnitude (so ``digit(0)`` is the magnitude's low 63 bits)."""
        bit = i * 63
        return _digit63(self._digits, bit // SHIFT, bit % SHIFT)

    def numdigits(self):
        return len(self._digits)

    def bit_length(self):
        return _bit_length(self._digits)

    def _set_sign(self, sign):
        if len(self._digits) != 0:
            self.sign = sign

    def hash(self):
        """CPython's ``hash()`` of the number."""
        modulus = (1 << 61) - 1
        x = 0
        i = len(self._digits) - 1
        while i >= 0:
            x = ((x << SHIFT) & modulus) | (x >> (61 - SHIFT))
            x += self._digits[i]
            if x >= modulus:
                x -= modulus
            i -= 1
        if self.sign < 0:
            x = -x
        if x == -1:
            x = -2
        return x

    # -- comparisons --

    def _compare(self, other):
        if self.sign != other.sign:
            if self.sign < other.sign:
                return -1
            return 1
        c = _cmp(self._digits, other._digits)
        if self.sign < 0:
            return -c
        return c

    def eq(self, other):
        return self.sign == other.sign and _cmp(self._digits, other._digits) == 0

    def ne(self, other):
        return not self.eq(other)

    def lt(self, other):
        return self._compare(other) < 0

    def le(self, other):
        return self._compare(other) <= 0

    def gt(self, other):
        return self._compare(other) > 0

    def ge(self, other):
        return self._compare(other) >= 0

    def int_eq(self, i):
        return self.eq(rbigint.fromint(i))

    def int_ne(self, i):
        return not self.eq(rbigint.fromint(i))

    def int_lt(self, i):
        return self.lt(rbigint.fromint(i))

    def int_le(self, i):
        return self.le(rbigint.fromint(i))

    def int_gt(self, i):
        return self.gt(rbigint.fromint(i))

    def int_ge(self, i):
        return self.ge(rbigint.fromint(i))

    def tobool(self):
        return self.sign != 0

    # -- arithmetic --

    def neg(self):
        return rbigint(self._digits, -self.sign)

    def abs(self):
        if self.sign < 0:
            return rbigint(self._digits, 1)
        return self

    def add(self, other):
        if self.sign == 0:
            return other
        if other.sign == 0:
            return self
        if self.sign == other.sign:
            return rbigint(_add(self._digits, other._digits), self.sign)
        c = _cmp(self._digits, other._digits)
        if c == 0:
            return rbigint([], 0)
        if c > 0:
            return rbigint(_sub(self._digits, other._digits), self.sign)
        return rbigint(_sub(other._digits, self._digits), other.sign)

    def sub(self, other):
        return self.add(other.neg())

    def mul(self, other):
        if self.sign == 0 or other.sign == 0:
            return rbigint([], 0)
        return rbigint(_mul(self._digits, other._digits), self.sign * other.sign)

    def int_add(self, i):
        return self.add(rbigint.fromint(i))

    def int_sub(self, i):
        return self.sub(rbigint.fromint(i))

    def int_mul(self, i):
        return self.mul(rbigint.fromint(i))

    def divmod(self, other):
        """``(self // other, self % other)``, flooring as Python does."""
        if other.sign == 0:
            raise ZeroDivisionError("integer division or modulo by zero")
        q, r = _divrem_mag(self._digits, other._digits)
        qsign = self.sign * other.sign
        if qsign < 0 and len(r) != 0:
            q = _add_small(q, 1)
            r = _sub(other._digits, r)
        return rbigint._from_mag(q, qsign), rbigint._from_mag(r, other.sign)

    def floordiv(self, other):
        q, r = self.divmod(other)
        return q

    def mod(self, other):
        if other.sign == 0:
            raise ZeroDivisionError("integer modulo by zero")
        q, r = self.divmod(other)
        return r

    def int_floordiv(self, i):
        return self.floordiv(rbigint.fromint(i))

    def int_mod(self, i):
        return self.mod(rbigint.fromint(i))

    def truediv(self, other):
        """``self / other`` correctly rounded, as CPython's int division."""
        if other.sign == 0:
            raise ZeroDivisionError("division by zero")
        x = _truediv_mag(self._digits, other._digits)
        if (self.sign < 0) != (other.sign < 0):
            return -x
        return x

    def pow(self, other, modulus=None):
        """``self ** other`` (``other >= 0``), or ``pow(self, other, modulus)``."""
        if other.sign < 0:
            raise ValueError("pow() negative exponent is not supported for big integers")
        if modulus is not None and modulus.sign == 0:
            raise ValueError("pow() 3rd argument cannot be 0")
        result = rbigint([1], 1)
        base = self
        if modulus is not None:
            base = base.mod(modulus)
        bits = other.bit_length()
        i = bits - 1
        while i >= 0:
            result = result.mul(result)
            if modulus is not None:
                result = result.mod(modulus)
            if (other._digits[i // SHIFT] >> (i % SHIFT)) & 1:
                result = result.mul(base)
                if modulus is not None:
                    result = result.mod(modulus)
            i -= 1
        if modulus is not None:
            return result.mod(modulus)
        return result

    def int_pow(self, i):
        return self.pow(rbigint.fromint(i))

    def lshift(self, n):
        if n < 0:
            raise ValueError("negative shift count")
        return rbigint._from_mag(_lshift(self._digits, n), self.sign)

    def rshift(self, n):
        """``self >> n``, flooring for negative numbers as Python does."""
        if n < 0:
            raise ValueError("negative shift count")
        if self.sign >= 0:
            return rbigint._from_mag(_rshift(self._digits, n), self.sign)
        # -a >> n == -((a - 1) >> n) - 1
        m = _rshift(_sub_one(self._digits), n)
        return rbigint(_add_small(m, 1), -1)

    def and_(self, other):
        return _bitwise(self, _AND, other)

    def or_(self, other):
        return _bitwise(self, _OR, other)

    def xor(self, other):
        return _bitwise(self, _XOR, other)

    def invert(self):
        # ~x == -x - 1
        return self.neg().sub(rbigint([1], 1))


def _digit63(digits, first, off):
    """Bits ``off .. off+62`` of the digits from ``first`` on, as a non-negative int."""
    x = 0
    j = first
    shift = -off
    while shift < 63 and j < len(digits):
        d = digits[j]
        if shift < 0:
            x = d >> (-shift)
        else:
            # Bits past 63 are dropped (they wrap away in a machine word).
            x |= (d << shift) & _MAXINT
        shift += SHIFT
        j += 1
    return x & _MAXINT


def _mag_tofloat(a):
    nbits = _bit_length(a)
    if nbits <= 53:
        return _mag_to_float_exact(a)
    if nbits > 1024:
        raise OverflowError("int too large to convert to float")
    # The top 55 bits, with a sticky bit for what lies below, rounded half to even.
    shift = nbits - 55
    if shift < 0:
        top = _lshift(a, -shift)
        sticky = False
    else:
        top = _rshift(a, shift)
        sticky = _cmp(_lshift(top, shift), a) != 0
    x = _small_toint(top)
    if sticky:
        x |= 1
    x = _round_half_even_2(x)
    result = _ldexp(float(x), shift)
    if math.isinf(result):
        raise OverflowError("int too large to convert to float")
    return result


def _round_half_even_2(x):
    """Rounds off the two low bits of ``x`` (plus its sticky bit 0) to even."""
    low = x & 7
    if low == 1:
        x -= 1
    elif low == 2:
        x -= 2
    elif low == 3:
        x += 1
    elif low == 5:
        x -= 1
    elif low == 6:
        x += 2
    elif low == 7:
        x += 1
    return x


def _small_toint(a):
    """The int of a magnitude below 2**63."""
    x = 0
    i = len(a) - 1
    while i >= 0:
        x = (x << SHIFT) | a[i]
        i -= 1
    return x


def _truediv_mag(a, b):
    """``a / b`` for magnitudes, ``b`` not zero, correctly rounded (CPython's
    ``long_true_divide``)."""
    abits = _bit_length(a)
    bbits = _bit_length(b)
    if abits == 0:
        return 0.0
    if abits <= 53 and bbits <= 53:
        return _mag_to_float_exact(a) / _mag_to_float_exact(b)
    diff = abits - bbits
    if diff > 1024:
        raise OverflowError("integer division result too large for a float")
    if diff < -1021 - 53 - 1:
        return 0.0
    # x = a / b * 2**-shift with 55 or 56 significant bits; round it to 53 (fewer in
    # the subnormal range), ties to even, and scale back.
    emin = diff
    if emin < -1021:
        emin = -1021
    shift = emin - 53 - 2
    inexact = False
    if shift <= 0:
        x = _lshift(a, -shift)
    else:
        x = _rshift(a, shift)
        inexact = _cmp(_lshift(x, shift), a) != 0
    q, r = _divrem_mag(x, b)
    if len(r) != 0:
        inexact = True
    qbits = _bit_length(q)
    extra = qbits
    if -1021 - shift > extra:
        extra = -1021 - shift
    extra -= 53
    xi = _small_toint(q)
    mask = 1 << (extra - 1)
    low = (xi & (4 * mask - 1)) | (1 if inexact else 0)
    if (low & mask) != 0 and (low & (3 * mask - 1)) != 0:
        xi += mask
    xi = xi & ~(2 * mask - 1)
    if shift + qbits >= 1024:
        if shift + _bit_length(_mag_from_uint(xi)) > 1024:
            raise OverflowError("integer division result too large for a float")
    result = _ldexp(float(xi), shift)
    if math.isinf(result):
        raise OverflowError("integer division result too large for a float")
    return result


def _parse(s, base):
    """``int(s, base)`` as a big integer; ``ParseStringError`` (a ``ValueError``) with
    CPython's message on bad input."""
    original = s
    given_base = base
    s = s.strip()
    sign = 1
    i = 0
    n = len(s)
    if i < n and (s[i] == "+" or s[i] == "-"):
        if s[i] == "-":
            sign = -1
        i += 1
    if base == 0:
        base = 10
        if i + 1 < n and s[i] == "0":
            p = s[i + 1]
            if p == "x" or p == "X":
                base = 16
                i += 2
            elif p == "o" or p == "O":
                base = 8
                i += 2
            elif p == "b" or p == "B":
                base = 2
                i += 2
            else:
                # A decimal literal other than zero may not start with 0.
                j = i
                while j < n and (s[j] == "0" or s[j] == "_"):
                    j += 1
                if j < n:
                    raise _bad_literal(original, 0)
            if base != 10 and i < n and s[i] == "_":
                i += 1
    elif base == 16 or base == 8 or base == 2:
        if i + 1 < n and s[i] == "0":
            p = s[i + 1]
            if (base == 16 and (p == "x" or p == "X")) or (base == 8 and (p == "o" or p == "O")) or (base == 2 and (p == "b" or p == "B")):
                i += 2
                if i < n and s[i] == "_":
                    i += 1
    elif base < 2 or base > 36:
        raise ValueError("int() base must be >= 2 and <= 36, or 0")
    # The digits, with single underscores between them.
    digits = []
    prev_underscore = True
    while i < n:
        c = s[i]
        if c == "_":
            if prev_underscore:
                raise _bad_literal(original, given_base)
            prev_underscore = True
        else:
            v = _digit_value(c)
            if v < 0 or v >= base:
                raise _bad_literal(original, given_base)
            digits.append(c)
            prev_underscore = False
        i += 1
    if len(digits) == 0 or prev_underscore:
        raise _bad_literal(original, given_base)
    text = "".join(digits)
    if base == 10:
        mag = _normalize(_mag_from_decimal(text, 0, len(text)))
    else:
        mag = []
        for c in text:
            mag = _add_small(_mul_small(mag, base), _digit_value(c))
    return rbigint._from_mag(mag, sign)


def _digit_value(c):
    o = ord(c)
    if 48 <= o <= 57:
        return o - 48
    if 97 <= o <= 122:
        return o - 97 + 10
    if 65 <= o <= 90:
        return o - 65 + 10
    return -1


def _bad_literal(s, base):
    # (called with the base as given: 0 stays 0 in the message, as in CPython)
    return ParseStringError("invalid literal for int() with base %d: %s" % (base, _quote(s)))


def _quote(s):
    return repr(s)


def _divrem(a, b):
    """RPython's ``_divrem``: the quotient truncated toward zero and the remainder with
    the sign of ``a`` (C's division), as a tuple."""
    if b.sign == 0:
        raise ZeroDivisionError("integer division or modulo by zero")
    q, r = _divrem_mag(a._digits, b._digits)
    return rbigint._from_mag(q, a.sign * b.sign), rbigint._from_mag(r, a.sign)
