# Left and right shifts; right shift of a negative number is arithmetic (rounds down).


def entry_point(argv):
    print(1 << 0, 1 << 1, 1 << 10, 1 << 62)
    print(3 << 61, -1 << 63)
    print(1024 >> 3, 1023 >> 3, 1 >> 1, 0 >> 5)
    print(-1 >> 1, -1 >> 63, -17 >> 2, -16 >> 2, -9223372036854775807 >> 62)
    n = 5
    k = 3
    print(n << k, n << k >> k, -n << k, (-n << k) >> k)
    total = 0
    i = 0
    while i < 63:
        total += (1 << i) >> i
        i += 1
    print(total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
