# Recursion 900 frames deep (inside CPython's default limit of 1000).


def sum_to(n):
    if n == 0:
        return 0
    return n + sum_to(n - 1)


def depth_of_halving(n, depth):
    if n <= 1:
        return depth
    return depth_of_halving(n - 1 if n % 3 == 0 else n // 2 + n // 3, depth + 1)


def entry_point(argv):
    print(sum_to(900), sum_to(10))
    print(depth_of_halving(1000000, 0))
    i = 0
    total = 0
    while i < 50:
        total += sum_to(800)
        i += 1
    print(total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
