"""ovfcheck() of a value computed earlier (and of abs()): RPython checks only the
operation it wraps directly (+ - * // % << and unary -)."""
from rpython.rlib.rarithmetic import ovfcheck


def entry_point(argv):
    x = len(argv)
    y = ovfcheck(x)
    z = ovfcheck(abs(x - 5))
    return y + z + ovfcheck(-x) + ovfcheck(x // 2) + ovfcheck(x % 2)
