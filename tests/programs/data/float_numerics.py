# run:
# run: 50
# Numerical methods on floats: Newton square roots, Simpson integration, bisection and a series for pi.
import math


def newton_sqrt(a):
    if a == 0.0:
        return 0.0
    x = a
    for i in range(60):
        nx = 0.5 * (x + a / x)
        if nx == x:
            break
        x = nx
    return x


def f_poly(x):
    return x * x * x - 2.0 * x - 5.0


def bisect(lo, hi):
    for i in range(200):
        mid = (lo + hi) / 2.0
        if f_poly(lo) * f_poly(mid) <= 0.0:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2.0


def simpson_sin(a, b, n):
    h = (b - a) / n
    s = math.sin(a) + math.sin(b)
    for i in range(1, n):
        x = a + i * h
        if i % 2 == 1:
            s += 4.0 * math.sin(x)
        else:
            s += 2.0 * math.sin(x)
    return s * h / 3.0


def leibniz(terms):
    total = 0.0
    sign = 1.0
    for k in range(terms):
        total += sign / (2 * k + 1)
        sign = -sign
    return 4.0 * total


def entry_point(argv):
    n = 10
    if len(argv) > 1:
        n = int(argv[1])
    for a in [2.0, 3.0, 10.0, 0.5, 1e6, 12345.678]:
        r = newton_sqrt(a)
        print("%.15f" % r, r == math.sqrt(a), abs(r * r - a) < 1e-9 * a)
    root = bisect(2.0, 3.0)
    print("root %.12f residual %.3e" % (root, abs(f_poly(root))))
    for k in [2, 4, n, n * 2]:
        area = simpson_sin(0.0, math.pi, k)
        print("simpson", k, "%.10f" % area, "err %.2e" % abs(area - 2.0))
    for t in [10, 100, n * 20]:
        p = leibniz(t)
        print("leibniz", t, "%.8f" % p, "%.3e" % abs(p - math.pi))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
