# run:
# run: 1000
# Sieve of Eratosthenes with [True] * n, prime gaps, twin primes and Goldbach pairs from list lookups.


def sieve(n):
    is_prime = [True] * (n + 1)
    is_prime[0] = False
    if n >= 1:
        is_prime[1] = False
    i = 2
    while i * i <= n:
        if is_prime[i]:
            for j in range(i * i, n + 1, i):
                is_prime[j] = False
        i += 1
    return is_prime


def entry_point(argv):
    n = 200
    if len(argv) > 1:
        n = int(argv[1])
    flags = sieve(n)
    primes = [i for i in range(n + 1) if flags[i]]
    print(len(primes), "primes up to", n)
    print(primes[:15], primes[-3:])
    gaps = [primes[i + 1] - primes[i] for i in range(len(primes) - 1)]
    print("max gap", max(gaps), "at", primes[gaps.index(max(gaps))])
    twins = []
    for p in primes:
        if p + 2 <= n and flags[p + 2]:
            twins.append((p, p + 2))
    print(len(twins), "twin pairs, last", twins[-1])
    for even in range(4, 41, 6):
        for p in primes:
            if flags[even - p]:
                print(even, "=", p, "+", even - p)
                break
    print(sum(primes), sum(flags), any(flags[n - 10:]), all([p % 2 == 1 for p in primes[1:]]))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
