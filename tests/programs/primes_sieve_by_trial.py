# Primes by trial division (no lists in this subset): count, sum and the largest below N.


def is_prime(n):
    if n < 2:
        return False
    if n < 4:
        return True
    if n % 2 == 0 or n % 3 == 0:
        return False
    d = 5
    while d * d <= n:
        if n % d == 0 or n % (d + 2) == 0:
            return False
        d += 6
    return True


def entry_point(argv):
    limit = 20000
    count = 0
    total = 0
    largest = 0
    n = 2
    while n < limit:
        if is_prime(n):
            count += 1
            total += n
            largest = n
        n += 1
    print("primes below", limit, ":", count, "sum", total, "largest", largest)
    n = 0
    while n < 30:
        if is_prime(n):
            print(n)
        n += 1
    print(is_prime(1000000007), is_prime(1000000007 * 3))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
