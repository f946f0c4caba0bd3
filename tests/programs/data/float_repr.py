# repr and str of floats match CPython's shortest round-trip output, including exponents and specials.
import math


def entry_point(argv):
    values = [0.1 + 0.2, 1e16, 1e-7, -0.0, 0.0, 1.0, -1.5, 1e15, 123456789012345678.0, 1e22, 1e23,
              5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 0.0001, 0.00001, 1.0 / 3.0,
              2.0 / 3.0, 100.0, 1234.5678, 9007199254740993.0, 4.35, 0.3, 1e100, 1.5e-10, 3.0e-5, 12e3]
    for v in values:
        print(v, repr(v), str(v))
    inf = float("inf")
    nan = float("nan")
    print(inf, -inf, nan, repr(inf), str(-inf), math.inf, -math.inf, math.nan)
    print([0.5, -0.0, inf, 1e-7], (1.5, 2.25))
    print({"pi": math.pi, "e": math.e})
    x = 1.0
    for i in range(25):
        x *= 10.0
        if i % 4 == 0:
            print(x, 1.0 / x)
    y = 0.5
    for i in range(6):
        print(y, y * 3.0, -y)
        y /= 7.0
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
