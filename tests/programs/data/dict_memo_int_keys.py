# run:
# run: 80
# dicts keyed by int as memo tables: Fibonacci, Collatz chain lengths, coin-change counts, partition numbers.


def fib(n, memo):
    if n < 2:
        return n
    if n in memo:
        return memo[n]
    r = fib(n - 1, memo) + fib(n - 2, memo)
    memo[n] = r
    return r


def collatz_len(n, cache):
    steps = 0
    path = []
    x = n
    while x != 1 and x not in cache:
        path.append(x)
        if x % 2 == 0:
            x = x // 2
        else:
            x = 3 * x + 1
        steps += 1
    base = 0
    if x != 1:
        base = cache[x]
    total = base + steps
    for i in range(len(path)):
        cache[path[i]] = total - i
    return total


def ways(amount, coins, idx, memo):
    if amount == 0:
        return 1
    if amount < 0 or idx == len(coins):
        return 0
    key = amount * 100 + idx
    if key in memo:
        return memo[key]
    r = ways(amount - coins[idx], coins, idx, memo) + ways(amount, coins, idx + 1, memo)
    memo[key] = r
    return r


def entry_point(argv):
    n = 60
    if len(argv) > 1:
        n = int(argv[1])
    memo = {}
    print("fib", n, fib(n, memo), len(memo))
    cache = {}
    best = 0
    best_n = 0
    for i in range(1, 3000):
        l = collatz_len(i, cache)
        if l > best:
            best = l
            best_n = i
    print("longest collatz below 3000:", best_n, best, "cache size", len(cache))
    print(collatz_len(27, cache), cache[27], cache.get(9232, -1), cache.get(4, -1))
    memo2 = {}
    print("ways to make 100:", ways(100, [1, 5, 10, 25, 50], 0, memo2), len(memo2))
    p = {0: 1}
    for total in range(1, n + 1):
        p[total] = 0
    for part in range(1, n + 1):
        for total in range(part, n + 1):
            p[total] += p[total - part]
    print("partitions", n, p[n], p[10], p[1])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
