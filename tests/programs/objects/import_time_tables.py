# run:
# run: hello
# Module-level loops and calls compute lookup tables (lists, dicts, strings) at import time; run-time code reads them.


def _popcount(n):
    c = 0
    while n:
        c += n & 1
        n >>= 1
    return c


POPCOUNT = [_popcount(i) for i in range(256)]
SQUARES = {}
for _i in range(1, 20):
    SQUARES[_i * _i] = _i
HEX = "0123456789abcdef"
ROT13 = {}
_lower = "abcdefghijklmnopqrstuvwxyz"
for _i in range(26):
    ROT13[_lower[_i]] = _lower[(_i + 13) % 26]
    ROT13[_lower[_i].upper()] = _lower[(_i + 13) % 26].upper()
PRIMES = []
_n = 2
while len(PRIMES) < 15:
    _is_prime = True
    for _p in PRIMES:
        if _n % _p == 0:
            _is_prime = False
            break
    if _is_prime:
        PRIMES.append(_n)
    _n += 1
del _n, _i


def popcount64(x):
    total = 0
    while x:
        total += POPCOUNT[x & 255]
        x >>= 8
    return total


def rot13(s):
    out = ""
    for ch in s:
        out += ROT13.get(ch, ch)
    return out


def entry_point(argv):
    word = "Kiln"
    if len(argv) > 1:
        word = argv[1]
    print(popcount64(255), popcount64(1 << 40 | 7), popcount64(123456789))
    print(rot13(word), rot13(rot13(word)))
    roots = []
    for k in [1, 4, 10, 49, 361, 400]:
        roots.append(str(SQUARES.get(k, -1)))
    print(" ".join(roots))
    print(PRIMES[-1], len(PRIMES), sum(PRIMES), HEX[11])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
