"""``rpython.rlib.rfloat`` for Kiln: ``formatd`` (CPython's ``PyOS_double_to_string``),
``round_double`` and the float constants, written in RPy (the translator reads this same
file).

Both work from the exact decimal expansion of the double: every finite double is a
binary fraction whose expansion has at most 767 significant digits, so ``"%.800e" % x``
prints it exactly (under CPython and translated alike), and rounding that digit string
half to even gives exactly the digits C's correctly rounded ``dtoa`` gives.
"""

import math

INFINITY = 1e200 * 1e200
NAN = INFINITY - INFINITY

DTSF_STR_PRECISION = 12

DTSF_SIGN = 0x1
DTSF_ADD_DOT_0 = 0x2
DTSF_ALT = 0x4
DTSF_NO_NEG_0 = 0x8

DIST_FINITE = 1
DIST_NAN = 2
DIST_INFINITY = 3


def isinf(x):
    return math.isinf(x)


def isnan(x):
    return math.isnan(x)


def isfinite(x):
    return not math.isinf(x) and not math.isnan(x)


def _is_negative(x):
    """Whether the sign bit of ``x`` is set (``-0.0`` too)."""
    if x < 0.0:
        return True
    if x == 0.0:
        return repr(x)[0] == "-"
    return False


def copysign(x, y):
    if _is_negative(x) != _is_negative(y):
        return -x
    return x


def _exact_digits(x):
    """(digits, decpt) of a finite ``x > 0``: ``x == 0.digits * 10**decpt`` exactly, the
    digits without trailing zeros."""
    s = "%.800e" % x
    epos = s.find("e")
    exp = int(s[epos + 1 :])
    digits = s[0:1] + s[2:epos]
    end = len(digits)
    while end > 1 and digits[end - 1] == "0":
        end -= 1
    return digits[:end], exp + 1


def _round_digits(digits, decpt, keep, half_even):
    """Rounds ``0.digits * 10**decpt`` to its first ``keep`` digits (``keep`` may be 0 or
    negative: rounding to a place before the first digit). Ties go to even, or away from
    zero unless ``half_even``. Returns (digits, decpt) without trailing zeros; zero is
    ``("", decpt)``."""
    n = len(digits)
    if keep >= n:
        return digits, decpt
    if keep < 0:
        return "", decpt
    # Compare the dropped part with one half.
    first = ord(digits[keep]) - 48
    rest_nonzero = False
    i = keep + 1
    while i < n:
        if digits[i] != "0":
            rest_nonzero = True
            break
        i += 1
    up = False
    if first > 5 or (first == 5 and rest_nonzero):
        up = True
    elif first == 5:
        if half_even:
            up = keep > 0 and (ord(digits[keep - 1]) - 48) % 2 == 1
        else:
            up = True
    kept = digits[:keep]
    if not up:
        end = len(kept)
        while end > 0 and kept[end - 1] == "0":
            end -= 1
        return kept[:end], decpt
    # Add one unit in the last kept place.
    chars = [c for c in kept]
    i = len(chars) - 1
    while i >= 0 and chars[i] == "9":
        chars[i] = "0"
        i -= 1
    if i < 0:
        # All nines (or nothing kept): 0.999 -> 1.000, one place further left.
        result = "1"
        return result, decpt + 1
    chars[i] = chr(ord(chars[i]) + 1)
    end = i + 1
    return "".join(chars[:end]), decpt


def _zeros(n):
    if n <= 0:
        return ""
    return "0" * n


def formatd(x, code, precision, flags=0):
    """CPython's ``PyOS_double_to_string(x, code, precision, flags)``: ``code`` is one of
    ``e f g r`` (``E F G`` for upper case); ``flags`` combine ``DTSF_SIGN``,
    ``DTSF_ADD_DOT_0``, ``DTSF_ALT`` and ``DTSF_NO_NEG_0``."""
    upper = False
    if code == "E" or code == "F" or code == "G":
        upper = True
        if code == "E":
            code = "e"
        elif code == "F":
            code = "f"
        else:
            code = "g"
    if code != "e" and code != "f" and code != "g" and code != "r":
        raise ValueError("formatd: invalid format code")
    add_sign = (flags & DTSF_SIGN) != 0
    add_dot_0 = (flags & DTSF_ADD_DOT_0) != 0
    alt = (flags & DTSF_ALT) != 0
    negative = _is_negative(x)
    if math.isnan(x):
        body = "nan"
        if upper:
            body = "NAN"
        if add_sign:
            return "+" + body
        return body
    if math.isinf(x):
        body = "inf"
        if upper:
            body = "INF"
        if negative:
            return "-" + body
        if add_sign:
            return "+" + body
        return body
    ax = x
    if negative:
        ax = -x
    if code == "e":
        precision += 1
    elif code == "g" and precision == 0:
        precision = 1
    if ax == 0.0:
        digits = "0"
        decpt = 1
    elif code == "r":
        digits, decpt = _shortest_digits(ax)
    else:
        digits, decpt = _exact_digits(ax)
        if code == "f":
            digits, decpt = _round_digits(digits, decpt, decpt + precision, True)
        else:
            digits, decpt = _round_digits(digits, decpt, precision, True)
        if len(digits) == 0:
            digits = "0"
            decpt = 1
    if (flags & DTSF_NO_NEG_0) != 0 and digits == "0":
        negative = False
    digits_len = len(digits)
    vdigits_end = digits_len
    use_exp = False
    if code == "e":
        use_exp = True
        vdigits_end = precision
    elif code == "f":
        vdigits_end = decpt + precision
    elif code == "g":
        limit = precision
        if add_dot_0:
            limit = precision - 1
        if decpt <= -4 or decpt > limit:
            use_exp = True
        if alt:
            vdigits_end = precision
    else:
        if decpt <= -4 or decpt > 16:
            use_exp = True
    exp = 0
    if use_exp:
        exp = decpt - 1
        decpt = 1
    vdigits_start = 0
    if decpt <= 0:
        vdigits_start = decpt - 1
    if not use_exp and add_dot_0:
        if vdigits_end < decpt + 1:
            vdigits_end = decpt + 1
    elif vdigits_end < decpt:
        vdigits_end = decpt
    parts = []
    if negative:
        parts.append("-")
    elif add_sign:
        parts.append("+")
    if decpt <= 0:
        parts.append(_zeros(decpt - vdigits_start))
        parts.append(".")
        parts.append(_zeros(-decpt))
    else:
        parts.append(_zeros(-vdigits_start))
    if 0 < decpt <= digits_len:
        parts.append(digits[:decpt])
        parts.append(".")
        parts.append(digits[decpt:])
    else:
        parts.append(digits)
    if digits_len < decpt:
        parts.append(_zeros(decpt - digits_len))
        parts.append(".")
        parts.append(_zeros(vdigits_end - decpt))
    else:
        parts.append(_zeros(vdigits_end - digits_len))
    s = "".join(parts)
    if len(s) > 0 and s[len(s) - 1] == "." and not alt:
        s = s[: len(s) - 1]
    if use_exp:
        e = "e"
        if upper:
            e = "E"
        if exp < 0:
            s = s + e + "-" + _two_digits(-exp)
        else:
            s = s + e + "+" + _two_digits(exp)
    return s


def _two_digits(n):
    t = str(n)
    if len(t) < 2:
        return "0" + t
    return t


def _shortest_digits(ax):
    """(digits, decpt) of the shortest decimal that reads back as ``ax > 0`` (repr)."""
    s = repr(ax)
    epos = s.find("e")
    exp = 0
    mantissa = s
    if epos >= 0:
        exp = int(s[epos + 1 :])
        mantissa = s[:epos]
    dot = mantissa.find(".")
    if dot < 0:
        intpart = mantissa
        frac = ""
    else:
        intpart = mantissa[:dot]
        frac = mantissa[dot + 1 :]
    all_digits = intpart + frac
    decpt = len(intpart) + exp
    start = 0
    while start < len(all_digits) - 1 and all_digits[start] == "0":
        start += 1
        decpt -= 1
    all_digits = all_digits[start:]
    end = len(all_digits)
    while end > 1 and all_digits[end - 1] == "0":
        end -= 1
    return all_digits[:end], decpt


def double_to_string(value, tp, precision, flags):
    if isfinite(value):
        special = DIST_FINITE
    elif isinf(value):
        special = DIST_INFINITY
    else:
        special = DIST_NAN
    return formatd(value, tp, precision, flags), special


def round_double(value, ndigits, half_even=False):
    """``value`` rounded to ``ndigits`` decimal places (negative: to tens, hundreds...),
    ties away from zero (RPython's default; Python 3's ``round`` is ``half_even=True``).
    Correctly rounded: decided on the exact decimal value of the double."""
    if math.isnan(value) or math.isinf(value) or value == 0.0:
        return value
    if ndigits > 1100:
        return value
    negative = value < 0.0
    ax = value
    if negative:
        ax = -value
    digits, decpt = _exact_digits(ax)
    digits, decpt = _round_digits(digits, decpt, decpt + ndigits, half_even)
    if len(digits) == 0:
        result = 0.0
    else:
        result = float("0." + digits + "e" + str(decpt))
    if negative:
        return -result
    return result


def round_away(x):
    """``round()`` of C's libm: to the nearest integer, halves away from zero."""
    absx = math.fabs(x)
    if not absx < 4503599627370496.0:
        return x  # 2**52 and more (and inf, nan): already an integer
    if absx - math.floor(absx) >= 0.5:
        r = float(math.ceil(absx))
    else:
        r = float(math.floor(absx))
    return copysign(r, x)
