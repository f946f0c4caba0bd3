# str(float), repr(float) and float(str), including exponents, signs, whitespace and special values.


def entry_point(argv):
    texts = ["3.14", "-2.5", "1e10", "1E-5", "  42  ", ".5", "5.", "-0", "+1.5e+3", "inf", "-Infinity", "nan", "1_000.5", "0.1", "123456789.123456789"]
    for t in texts:
        f = float(t)
        print(repr(t), f, str(f), repr(f))
    values = [1.0, 0.5, 100.0, 1e15, 1e16, 1.5e16, 12345.678, 1e-4, 1e-5, 0.000123, 2.0 ** 60, 1.0 / 3.0, 2.0 / 3.0, 10.0 / 4.0]
    for v in values:
        s = str(v)
        print(s, float(s) == v)
    print(float(7), float(-3), float(2 ** 53), float(2 ** 53 + 1))
    print(int(3.99), int(-3.99), int(1e10), int(-0.5), int(float("12.0")))
    print(str(1.0) + "|" + str(-0.0) + "|" + str(1e308 * 10.0) + "|" + str(-1e308 * 10.0))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
