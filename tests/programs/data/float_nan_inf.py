# IEEE special values: inf and nan arithmetic, comparisons, min/max, and detecting them with math.
import math


def describe(x):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        if x > 0.0:
            return "+inf"
        return "-inf"
    if x == 0.0:
        if math.atan2(x, -1.0) < 0.0:
            return "-zero"
        return "+zero"
    return "finite"


def entry_point(argv):
    inf = float("inf")
    nan = float("nan")
    big = 1e308
    vals = [inf, -inf, nan, big * 10.0, -big * 10.0, inf - inf, inf * 0.0, 0.0 * -1.0, -0.0, 0.0, 1.0, big]
    for v in vals:
        print(v, describe(v), v == v, v != v, v > 0.0, v < 0.0)
    print(inf + 1.0, inf * -2.0, 1.0 / inf, -1.0 / inf, inf / inf, nan + 1.0, nan * 0.0)
    print(nan == nan, nan < 1.0, nan > 1.0, nan <= nan, inf == inf, inf > big, -inf < -big)
    print(max(1.0, inf), min(1.0, -inf), abs(-inf), abs(-0.0))
    print(math.sqrt(inf), math.exp(-inf), math.exp(-1000.0), math.atan2(inf, inf))
    print(float("inf") == inf, float("-inf") == -inf, float("NaN") != float("nan"), int(1e18))
    count = 0
    for v in vals:
        if v == v and not math.isinf(v):
            count += 1
    print("finite count", count)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
