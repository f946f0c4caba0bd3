# run:
# run: 4.5 1.5 9 2.25 7
# Descriptive statistics over floats parsed from argv: mean, variance, median, min/max, histogram.
import math


def mean(xs):
    return sum(xs) / len(xs)


def variance(xs):
    m = mean(xs)
    acc = 0.0
    for x in xs:
        acc += (x - m) * (x - m)
    return acc / (len(xs) - 1)


def median(xs):
    s = sorted(xs)
    n = len(s)
    if n % 2 == 1:
        return s[n // 2]
    return (s[n // 2 - 1] + s[n // 2]) / 2.0


def entry_point(argv):
    data = [2.5, 3.75, 1.0, 8.5, 4.25, 6.0, 3.75, 9.125, 0.5, 5.0]
    if len(argv) > 1:
        data = [float(a) for a in argv[1:]]
    print("n", len(data))
    print("sum", sum(data, 0.0), "mean", mean(data))
    v = variance(data)
    print("variance %.6f stddev %.6f" % (v, math.sqrt(v)))
    print("median", median(data), "min", min(data), "max", max(data))
    lo = min(data)
    hi = max(data)
    buckets = [0] * 4
    width = (hi - lo) / 4.0
    for x in data:
        k = int((x - lo) / width)
        if k > 3:
            k = 3
        buckets[k] += 1
    for i in range(4):
        left = lo + i * width
        print("[%6.3f, %6.3f) %s" % (left, left + width, "*" * buckets[i]))
    norm = [(x - mean(data)) / math.sqrt(v) for x in data]
    print(["%.3f" % z for z in norm])
    print(any([z > 1.0 for z in norm]), all([z > -3.0 for z in norm]))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
