# Collatz sequences: the start below 3000 with the longest chain, and its peak value.


def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def collatz_peak(n):
    peak = n
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        if n > peak:
            peak = n
    return peak


def entry_point(argv):
    best = 1
    best_steps = 0
    n = 1
    while n < 3000:
        s = collatz_steps(n)
        if s > best_steps:
            best = n
            best_steps = s
        n += 1
    print("longest chain below 3000 starts at", best, "with", best_steps, "steps")
    print("peak", collatz_peak(best), collatz_peak(27))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
