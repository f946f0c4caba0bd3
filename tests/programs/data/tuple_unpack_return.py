# run:
# run: 84 36
# Tuples: returning several values, unpacking in assignments and for loops, swaps, nested tuples, comparisons.


def ext_gcd(a, b):
    if b == 0:
        return a, 1, 0
    g, x, y = ext_gcd(b, a % b)
    return g, y, x - (a // b) * y


def min_max_mean(xs):
    lo = xs[0]
    hi = xs[0]
    total = 0
    for x in xs:
        if x < lo:
            lo = x
        if x > hi:
            hi = x
        total += x
    return lo, hi, total / len(xs)


def split_name(full):
    parts = full.split(" ")
    return parts[0], parts[-1], len(parts)


def entry_point(argv):
    a = 240
    b = 46
    if len(argv) > 2:
        a = int(argv[1])
        b = int(argv[2])
    g, x, y = ext_gcd(a, b)
    print("gcd", g, "x", x, "y", y, a * x + b * y == g)
    lo, hi, mean = min_max_mean([4, -2, 17, 8, 0, 3])
    print(lo, hi, mean)
    first, last, n = split_name("Ada King Lovelace")
    print(first, last, n)
    p = 1
    q = 2
    p, q = q, p
    print(p, q)
    u, v, w = 1, 2, 3
    u, v, w = w, u, v
    print(u, v, w)
    fa, fb = 0, 1
    for i in range(10):
        fa, fb = fb, fa + fb
    print("fib", fa, fb)
    point = (3, 4)
    px, py = point
    print(point, px * px + py * py, point[0], point[-1], len(point))
    nested = ((1, "one"), (2, "two"))
    (n1, s1), (n2, s2) = nested
    print(n1, s1, n2, s2, nested)
    pairs = [(1, "b"), (1, "a"), (0, "z"), (2, "a")]
    for num, name in pairs:
        print(num, name)
    print(min(pairs), max(pairs), (1, "a") < (1, "b"), (2, "a") > (1, "z"), (1, 2) == (1, 2), (1, 2) != (2, 1))
    t = (7, "seven", 7.5, True)
    print(t, t[1], t[2] * 2, t[3] and t[0] > 5)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
