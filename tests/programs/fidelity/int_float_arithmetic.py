# run:
# run: a bb ccc
# Ints mix with floats in arithmetic as in Python (the same numbers); where the mix would
# print differently the program makes the int a float (the diagnostic for the other case
# is tests/errors/int_float_printed.py).


def pick(n):
    if n > 2:
        x = 1.5
    else:
        x = n
    return x


def entry_point(argv):
    fs = [float(len(a)) for a in argv[1:]]
    total = 0.0
    for f in fs:
        total += f
    print(total, sum(fs, 0.0))
    x = pick(len(argv))
    y = x * 3 + 1
    print(y < 5, y == 4, x / 2, "%.3f %d" % (x, x), f"{y:.1f}", int(y), float(x), abs(-x) * 1.0)
    if x > 1:
        print("big")
    n = 0
    for f in fs:
        n += f * 2
    print(int(n), "%.1f" % n, n * 1.0)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
