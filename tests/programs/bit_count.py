# Bit tricks: population count, parity, lowest set bit and highest set bit position.
# Population counts take non-negative values only: on a negative number CPython's unbounded
# ints would never run out of bits.


def popcount(x):
    count = 0
    while x != 0:
        x = x & (x - 1)
        count += 1
    return count


def popcount_shift(x):
    count = 0
    while x > 0:
        count += x & 1
        x = x >> 1
    return count


def lowest_bit(x):
    return x & -x


def highest_bit_index(x):
    index = -1
    while x > 0:
        x = x >> 1
        index += 1
    return index


def entry_point(argv):
    print(popcount(0), popcount(1), popcount(255), popcount(0x5555555555555555))
    print(popcount(0x7FFFFFFFFFFFFFFF), popcount(1 << 62), popcount(0x0F0F0F0F0F0F0F0F))
    print(popcount_shift(0x7FFFFFFFFFFFFFFF), popcount_shift(1 << 62))
    print(popcount(12345) % 2, popcount(12346) % 2)
    print(lowest_bit(12), lowest_bit(1 << 40), lowest_bit(7), lowest_bit(-8))
    print(highest_bit_index(1), highest_bit_index(1000), highest_bit_index(0))
    total = 0
    n = 0
    while n < 4096:
        total += popcount(n) * popcount_shift(n)
        n += 1
    print("checksum", total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
