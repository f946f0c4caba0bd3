# run:
# run: 30
# List comprehensions with conditions, over ranges, lists and strings, nested and producing lists of lists.


def entry_point(argv):
    n = 20
    if len(argv) > 1:
        n = int(argv[1])
    squares = [i * i for i in range(n)]
    evens = [x for x in squares if x % 2 == 0]
    print(squares)
    print(evens)
    primes = [p for p in range(2, n) if all([p % d != 0 for d in range(2, p) if d * d <= p])]
    print(primes)
    words = "Kiln makes RPy programs into Native Binaries".split()
    caps = [w for w in words if "A" <= w[0] <= "Z"]
    lens = [len(w) for w in words]
    print(caps, lens)
    print([w.lower() for w in words if len(w) > 4])
    chars = [ch for ch in "hello, world" if ch.isalpha()]
    print(chars, "".join(chars))
    pairs = [(i, j) for i in range(4) for j in range(i) if (i + j) % 2 == 1]
    print(pairs)
    table = [[i * j for j in range(1, 6)] for i in range(1, 6)]
    for row in table:
        print(row)
    flat = [x for row in table for x in row if x > 10]
    print(flat, sum(flat))
    halves = [x / 2.0 for x in range(5)]
    print(halves)
    codes = [ord(c) - ord("a") for c in "abcxyz"]
    print(codes, [chr(c + ord("A")) for c in codes])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
