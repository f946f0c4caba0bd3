# Augmented assignment with every integer operator of the subset.


def entry_point(argv):
    x = 100
    x += 23
    print(x)
    x -= 200
    print(x)
    x *= 3
    print(x)
    x //= 7
    print(x)
    x %= 10
    print(x)
    x <<= 5
    print(x)
    x >>= 2
    print(x)
    x &= 0b11110
    print(x)
    x |= 0b10001
    print(x)
    x ^= 0b11111
    print(x)
    y = -9
    y //= 4
    print(y)
    y = -9
    y %= 4
    print(y)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
