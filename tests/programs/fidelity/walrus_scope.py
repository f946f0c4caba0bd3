# run:
# run: a b c
# Walrus targets are locals of the enclosing function, also inside comprehensions.

m = 42


def first_long(words):
    for w in words:
        if (n := len(w)) > 1:
            return n
    return -1


def running_total(xs):
    total = 0
    sums = [total := total + x for x in xs]
    return sums, total


def entry_point(argv):
    if (m := len(argv)) > 0:
        print(m)
    print(m)
    i = 0
    while (k := i * 2) < 7:
        i += 1
    print(i, k)
    print(first_long(argv[1:]), first_long(["x", "yyy"]))
    sums, total = running_total([1, 2, 3, len(argv)])
    print(sums, total)
    big = [y for x in [1, 2, 3, 4] if (y := x * x) > 4]
    print(big)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
