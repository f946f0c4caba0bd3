# run:
# run: 0
# A float division by zero escapes entry_point: ZeroDivisionError: float division by zero.


def average(total, count):
    return total / count


def entry_point(argv):
    count = 3.0
    if len(argv) > 1:
        count = float(argv[1])
    print(average(10.0, 4.0))
    print(average(9.0, count))
    print(average(1.0, count - count))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
