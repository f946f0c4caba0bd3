# The math subset: sqrt, floor, ceil, sin, cos, tan, atan2, exp, log, pow, fabs, pi, e, isnan, isinf.
import math


def entry_point(argv):
    print(math.pi, math.e)
    for x in [0.0, 1.0, 2.0, 10.0, 0.25, 1e10]:
        print("sqrt", x, math.sqrt(x))
    for x in [2.5, -2.5, 3.0, -0.5, 0.999999, 1e15 + 0.5]:
        print("floor/ceil", x, math.floor(x), math.ceil(x))
    print(math.floor(7), math.ceil(-7))
    for t in [0.0, math.pi / 6.0, math.pi / 4.0, math.pi / 2.0, math.pi, 1.0, -2.0]:
        print("trig %.6f %.12f %.12f %.6e" % (t, math.sin(t), math.cos(t), math.tan(t)))
    print(math.sin(0.5), math.cos(0.5), math.tan(0.5))
    for yx in [(1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (0.0, -1.0), (-0.0, -1.0), (3.0, 0.0)]:
        y, x = yx
        print("atan2", y, x, math.atan2(y, x))
    for x in [0.0, 1.0, -1.0, 0.5, 10.0, 700.0]:
        print("exp", x, math.exp(x))
    for x in [1.0, math.e, 10.0, 0.5, 1e-10, 1e300]:
        print("log", x, math.log(x))
    print(math.pow(2.0, 10.0), math.pow(2.0, 0.5), math.pow(10.0, -3.0), math.pow(-2.0, 3.0), math.pow(0.0, 0.0))
    print(math.fabs(-3.5), math.fabs(2.0), math.fabs(-0.0))
    print(math.isnan(float("nan")), math.isnan(1.0), math.isinf(float("-inf")), math.isinf(1e308), math.isinf(1e308 * 10.0))
    print(math.exp(math.log(5.0)), math.sqrt(2.0) * math.sqrt(2.0), math.sin(math.pi) == 0.0)
    deg = 0
    while deg <= 360:
        r = deg * math.pi / 180.0
        print("%3d %8.5f %8.5f" % (deg, math.cos(r), math.sin(r)))
        deg += 45
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
