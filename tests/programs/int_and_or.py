# and/or on ints return one of their operands, and ints are tested for truth in conditions.


def first_nonzero(a, b, c):
    return a or b or c


def all_or_zero(a, b):
    return a and b


def entry_point(argv):
    print(first_nonzero(0, 0, 7), first_nonzero(0, -3, 7), first_nonzero(4, 0, 0))
    print(first_nonzero(0, 0, 0))
    print(all_or_zero(3, 5), all_or_zero(0, 5), all_or_zero(3, 0))
    x = 12
    if x:
        print("12 is true")
    x = 0
    if not x:
        print("0 is false")
    n = 5
    steps = 0
    while n:
        n -= 1
        steps += 1
    print("steps", steps)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
