# Default argument values and keyword arguments, in any order and mixed with positionals.


def linear(x, a=2, b=1):
    return a * x + b


def describe(width, height=1, depth=1, verbose=False):
    volume = width * height * depth
    if verbose:
        print("box", width, height, depth, "volume", volume)
    return volume


def report(value, label_first=True):
    if label_first:
        print("value:", value)
    else:
        print(value, "(value)")


def entry_point(argv):
    print(linear(5), linear(5, 3), linear(5, 3, 4))
    print(linear(5, b=10), linear(x=5, a=0), linear(b=0, x=7, a=-1))
    print(describe(2), describe(2, 3), describe(2, depth=4))
    describe(2, 3, 4, True)
    describe(verbose=True, depth=5, width=1)
    report(7)
    report(8, label_first=False)
    report(value=9, label_first=True)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
