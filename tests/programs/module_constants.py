# Module-level constants: ints, strs and tuples of them, read from functions.

WIDTH = 8
HEIGHT = WIDTH * 2 + 1
MASK = (1 << WIDTH) - 1
TITLE = "constants"
SIZES = (1, 10, 100, 1000)
PAIR = (42, "answer")
EMPTY = ()


def area():
    return WIDTH * HEIGHT


def entry_point(argv):
    print(TITLE)
    print(WIDTH, HEIGHT, MASK, area())
    print(SIZES[0], SIZES[3], SIZES[-1], len(SIZES), len(EMPTY))
    print(PAIR[0], PAIR[1])
    total = 0
    i = 0
    while i < len(SIZES):
        total += SIZES[0] * i
        i += 1
    print(total + SIZES[1] + SIZES[2])
    print(300 & MASK, -1 & MASK)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
