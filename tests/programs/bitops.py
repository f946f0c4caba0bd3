# Bitwise and, or, xor and invert, including negative operands (two's complement).


def entry_point(argv):
    a = 0b1100
    b = 0b1010
    print(a & b, a | b, a ^ b, ~a)
    print(-1 & 255, -256 | 15, -1 ^ 0xFF, ~-1, ~0)
    print(-12 & 7, -12 | 7, -12 ^ 7, -12 & -7, -12 | -7, -12 ^ -7)
    print(0x7FFFFFFFFFFFFFFF & -2, ~0x7FFFFFFFFFFFFFFF)
    x = 0x123456789ABCDEF
    print(x & 0xFFFF, (x ^ x) | 0, x & ~x, x | ~x)
    mask = 0
    i = 0
    while i < 10:
        mask = mask | (1 & i) << i
        i += 1
    print(mask)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
