# rpython.rlib.rfloat and longlong2float: formatd in every mode and flag, round_double, and the bits of doubles.
from rpython.rlib.longlong2float import float2longlong, longlong2float
from rpython.rlib.rfloat import DTSF_ADD_DOT_0, DTSF_ALT, DTSF_SIGN, DTSF_STR_PRECISION, INFINITY, NAN, formatd, isinf, isnan, round_double

VALUES = [0.0, -0.0, 1.0, -1.5, 0.5, 2.5, 0.125, 2.675, 1e16, 1e22, 1e-5, 1e-4, 123456789012.0, 1234567890123.0,
          5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 1.0 / 3.0, 9.995, 99.95, 0.000123456, 1e100,
          -7.25e-10, 3.141592653589793]


def entry_point(argv):
    for x in VALUES:
        print(formatd(x, "g", DTSF_STR_PRECISION, DTSF_ADD_DOT_0), formatd(x, "r", 0, DTSF_ADD_DOT_0), formatd(x, "r", 0))
        for p in [0, 2, 6, 17]:
            print("  %d: %s %s %s %s %s" % (p, formatd(x, "e", p), formatd(x, "f", p), formatd(x, "g", p), formatd(x, "G", p, DTSF_ALT), formatd(x, "e", p, DTSF_SIGN)))
        print("  round", round_double(x, 0), round_double(x, 2), round_double(x, -1), round_double(x, 3, True))
        bits = float2longlong(x)
        print("  bits", bits, longlong2float(bits) == x, repr(longlong2float(bits)))
    print(formatd(INFINITY, "g", 6), formatd(-INFINITY, "e", 3), formatd(NAN, "f", 2), formatd(INFINITY, "E", 2, DTSF_SIGN))
    print(isinf(INFINITY), isnan(NAN), isinf(1.0), float2longlong(INFINITY), float2longlong(-INFINITY))
    # Every binade from the smallest subnormal to the largest finite double.
    x = 5e-324
    total = 0
    count = 0
    while not isinf(x):
        for y in [x, -x * 1.25]:
            b = float2longlong(y)
            if longlong2float(b) != y:
                print("FAILED: longlong2float(float2longlong(%r))" % y)
            total = (total * 31 + (b >> 12)) & 0xFFFFFFFFFFFF
        count += 1
        x = x * 1.75
    print("sweep", count, total)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
