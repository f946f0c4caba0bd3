# Integer square roots by Newton's method and by bisection, checked against each other.
# (Newton's first step computes n + 1, so n stays below the largest 64-bit int.)


def isqrt_newton(n):
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


def isqrt_bisect(n):
    lo = 0
    hi = 3037000499
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if mid * mid <= n:
            lo = mid
        else:
            hi = mid - 1
    return lo


def entry_point(argv):
    print(isqrt_newton(0), isqrt_newton(1), isqrt_newton(15), isqrt_newton(16), isqrt_newton(17))
    print(isqrt_newton(1000000007), isqrt_newton(9223372036854775806))
    print(isqrt_bisect(9223372036854775807))
    bad = 0
    n = 0
    while n < 3000:
        r = isqrt_newton(n * 7919)
        if r != isqrt_bisect(n * 7919) or r * r > n * 7919 or (r + 1) * (r + 1) <= n * 7919:
            bad += 1
        n += 1
    print("bad", bad)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
