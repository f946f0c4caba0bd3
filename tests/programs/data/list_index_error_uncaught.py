# run:
# run: 2
# An out-of-range list index escapes entry_point: IndexError: list index out of range.


def nth_square(squares, n):
    return squares[n]


def entry_point(argv):
    k = 5
    if len(argv) > 1:
        k = int(argv[1])
    squares = [i * i for i in range(k)]
    total = 0
    for i in range(k + 3):
        total += nth_square(squares, i)
        print(i, total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
