# run:
# run: 5 six 7
# int() of a non-numeric string escapes entry_point: ValueError: invalid literal for int() with base 10: 'six'.


def total_of(args):
    t = 0
    for a in args:
        t += int(a)
        print("running total", t)
    return t


def entry_point(argv):
    args = ["10", "20", "thirty", "40"]
    if len(argv) > 1:
        args = argv[1:]
    print(total_of(args))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
