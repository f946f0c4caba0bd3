# Chained comparisons evaluate each operand once and stop at the first false link.


def noisy(x):
    print("eval", x)
    return x


def entry_point(argv):
    a = 1
    b = 2
    c = 3
    print(a < b < c, a < c < b, c > b > a, a <= a < b, a == 1 == a)
    print(a < b > a, a != b != a, 1 < 2 < 3 < 4 < 5, 1 < 2 < 3 < 2 < 5)
    print(noisy(1) < noisy(2) < noisy(3))
    print(noisy(3) < noisy(2) < noisy(1))
    print(noisy(1) <= noisy(1) == noisy(1) >= noisy(0))
    x = 0
    count = 0
    while -5 <= x < 10:
        count += 1
        x += 1
    print(count, x)
    if 0 <= c <= 3 and not 4 <= c <= 10:
        print("in range")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
