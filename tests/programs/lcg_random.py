# A linear congruential generator (the classic ANSI C constants), its distribution over
# ten buckets, and a Monte Carlo count of points in a quarter circle.

MULTIPLIER = 1103515245
INCREMENT = 12345
MODULUS = 2147483648


def next_state(state):
    return (state * MULTIPLIER + INCREMENT) % MODULUS


def bucket_counts(seed, n):
    state = seed
    b0 = 0
    b9 = 0
    total = 0
    i = 0
    while i < n:
        state = next_state(state)
        bucket = (state >> 16) % 10
        if bucket == 0:
            b0 += 1
        elif bucket == 9:
            b9 += 1
        total += bucket
        i += 1
    print("bucket 0:", b0, "bucket 9:", b9, "mean x1000:", total * 1000 // n)
    return state


def quarter_circle(seed, n):
    state = seed
    inside = 0
    i = 0
    while i < n:
        state = next_state(state)
        x = state >> 16
        state = next_state(state)
        y = state >> 16
        if x * x + y * y < 32768 * 32768:
            inside += 1
        i += 1
    return inside


def entry_point(argv):
    print(next_state(0), next_state(next_state(0)))
    final = bucket_counts(42, 20000)
    print("final state", final)
    inside = quarter_circle(7, 20000)
    print("inside", inside, "pi estimate x10000:", inside * 4 * 10000 // 20000)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
