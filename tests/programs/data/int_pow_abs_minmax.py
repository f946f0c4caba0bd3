# run:
# run: -17 5
# int extras: ** with non-negative exponents, abs, min and max of two or more ints and of lists, divmod.


def ipow(b, e):
    r = 1
    while e > 0:
        if e & 1:
            r *= b
        b *= b
        e >>= 1
    return r


def entry_point(argv):
    a = 37
    b = -6
    if len(argv) > 2:
        a = int(argv[1])
        b = int(argv[2])
    for base in [2, 3, -3, 10, 0, 1, -1, 7]:
        row = []
        for e in range(0, 8):
            p = base ** e
            if p != ipow(base, e):
                print("mismatch", base, e)
            row.append(p)
        print(base, row)
    print(2 ** 62, -2 ** 62, (-2) ** 63, 3 ** 39, 10 ** 18, 0 ** 0)
    print(abs(a), abs(b), abs(0), abs(-9223372036854775807), abs(a - b), abs(b - a))
    print(min(a, b), max(a, b), min(3, 1, 2), max(3, 1, 2, 9, -4), min(a, b, 0), max(-a, -b))
    nums = [a, b, 12, -100, 55, 0, a * b]
    print(min(nums), max(nums), sorted(nums))
    for x in [a, b, 0, 1, -1, 100, -100]:
        for y in [7, -7, 3, -3, 1]:
            q, r = divmod(x, y)
            if q * y + r != x or q != x // y or r != x % y:
                print("divmod wrong", x, y)
            print(x, y, q, r, divmod(x, y))
    print(divmod(9223372036854775807, 10), divmod(-9223372036854775807 - 1, 7))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
