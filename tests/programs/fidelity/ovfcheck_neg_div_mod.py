# run:
# run: -9223372036854775807 -1
# run: 9223372036854775807 0
# ovfcheck around unary minus, // and % (RPython's int_neg_ovf, int_floordiv_ovf,
# int_mod_ovf, as PyPy's int objects use them): OverflowError exactly where CPython's
# result leaves 64 bits (-MININT, MININT // -1; MININT % -1 is 0), ZeroDivisionError
# for a zero divisor.
from rpython.rlib.rarithmetic import ovfcheck

MININT = -9223372036854775807 - 1


def neg(a):
    try:
        return ovfcheck(-a)
    except OverflowError:
        return 7


def floordiv(a, b):
    try:
        z = ovfcheck(a // b)
    except OverflowError:
        return "ovf"
    except ZeroDivisionError:
        return "zero"
    return str(z)


def mod(a, b):
    try:
        z = ovfcheck(a % b)
    except OverflowError:
        return "ovf"
    except ZeroDivisionError:
        return "zero"
    return str(z)


def entry_point(argv):
    a = 17
    b = -5
    if len(argv) > 2:
        a = int(argv[1])
        b = int(argv[2])
    vals = [a, b, a - 1, 0, 1, -1, 3, MININT, MININT + 1, 9223372036854775807]
    for x in vals:
        print(x, neg(x))
        line = []
        for y in vals:
            line.append(floordiv(x, y) + "/" + mod(x, y))
        print(" ".join(line))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
