# Floor division rounds towards negative infinity for every sign combination.


def show(a, b):
    print(a, "//", b, "=", a // b)


def entry_point(argv):
    show(7, 2)
    show(-7, 2)
    show(7, -2)
    show(-7, -2)
    show(6, 3)
    show(-6, 3)
    show(0, 5)
    show(0, -5)
    show(1, 7)
    show(-1, 7)
    show(1, -7)
    show(9223372036854775807, 2)
    show(-9223372036854775807, 10)
    show(1000000, -3)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
