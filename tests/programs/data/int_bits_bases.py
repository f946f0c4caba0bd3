# run:
# run: 1000000007
# Bit manipulation and base formatting: popcount, bit reversal, powers of two, %x/%o and f-string b/x/o output.


def popcount(x):
    n = 0
    while x:
        x &= x - 1
        n += 1
    return n


def reverse_bits(x, width):
    r = 0
    for i in range(width):
        r = (r << 1) | ((x >> i) & 1)
    return r


def bits(x, width):
    out = ""
    for i in range(width - 1, -1, -1):
        out += "1" if (x >> i) & 1 else "0"
    return out


def entry_point(argv):
    n = 2024
    if len(argv) > 1:
        n = int(argv[1])
    for x in [0, 1, 5, 255, 256, 1023, n, 9223372036854775807]:
        print(x, popcount(x), "%x" % x, "%o" % x, f"{x:b}"[-16:], f"{x:>20x}", x & -x, len(f"{x:b}"))
    for x in [1, 6, 13, 0b1011, 0o17, 0xF0]:
        print(bits(x, 8), bits(reverse_bits(x, 8), 8), reverse_bits(reverse_bits(x, 8), 8) == x)
    p = 1
    k = 0
    while p * 2 <= n:
        p *= 2
        k += 1
    print("largest power of two <=", n, "is 2 **", k, "=", p, p == 1 << k, (n & (n - 1)) == 0)
    mask = 0
    for b in [0, 3, 5, 63 - 1]:
        mask |= 1 << b
    print(mask, "%x" % mask, f"{mask:b}"[:4], mask >> 60, ~mask & 0xFF)
    print(-5 >> 1, -5 // 2, -1 >> 10, 5 ^ 3, ~0, -(~7), 0xFF & -256, 7 | -8)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
