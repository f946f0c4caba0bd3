# The Takeuchi function: many small recursive calls with three arguments.


def tak(x, y, z):
    if y < x:
        return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
    return z


def entry_point(argv):
    print(tak(6, 4, 2), tak(12, 8, 4), tak(18, 12, 6))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
