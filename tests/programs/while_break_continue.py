# while loops with break and continue, including in nested loops.


def first_multiple(start, k):
    n = start
    while True:
        if n % k == 0:
            break
        n += 1
    return n


def sum_skipping(limit, skip):
    total = 0
    i = 0
    while i < limit:
        i += 1
        if i % skip == 0:
            continue
        total += i
    return total


def pairs_summing_to(target):
    count = 0
    a = 0
    while a <= target:
        b = a
        while b <= target:
            if a + b > target:
                break
            if a + b == target:
                count += 1
            b += 1
        a += 1
    return count


def entry_point(argv):
    print(first_multiple(100, 7), first_multiple(-20, 6))
    print(sum_skipping(100, 3), sum_skipping(10, 1))
    print(pairs_summing_to(10), pairs_summing_to(101))
    i = 0
    while i < 5:
        i += 1
        if i == 2:
            continue
        if i == 4:
            break
        print("i =", i)
    print("after loop", i)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
