# run:
# run: 4 -9 16 0 23
# Builtins over numbers and lists: len, min/max (two args and over a list), abs, sum (with start), any, all.


def entry_point(argv):
    xs = [12, -7, 3, 45, 0, -22, 8]
    if len(argv) > 1:
        xs = [int(a) for a in argv[1:]]
    print(len(xs), min(xs), max(xs), sum(xs), sum(xs, 100), abs(min(xs)))
    print(min(3, 9), max(3, 9), min(-1, -1), max(2.5, -3.5), min("pear", "apple"), max("b", "ab"))
    print(min(4, 2, 8, 6), max(4, 2, 8, 6), min(1.5, 0.5, 2.5))
    mags = [abs(x) for x in xs]
    print(mags, sum(mags), max(mags) - min(mags))
    print(any([x > 40 for x in xs]), all([x > -100 for x in xs]), any([]), all([]))
    print(any([x == 0 for x in xs]), all([x % 2 == 0 for x in xs]))
    fl = [0.25, 1.5, -2.75, 3.0]
    # sum() starts from the int 0: CPython prints 0 for an empty list, so the int/float
    # mix is shown only through float() (E0301 otherwise).
    print(float(sum(fl)), sum(fl, 10.0), min(fl), max(fl), abs(-2.75), abs(2), abs(-0))
    words = "the rain in spain stays mainly in the plain".split()
    print(len(words), min(words), max(words), sum([len(w) for w in words]), len("".join(words)))
    print(max([len(w) for w in words]), [w for w in words if len(w) == max([len(v) for v in words])])
    flags = [True, False, True]
    print(any(flags), all(flags), sum(flags), len(flags), max(flags), min(flags))
    running = []
    acc = 0
    for x in xs:
        acc += x
        running.append(acc)
    print(running, max(running), min(running))
    n = len(xs)
    clamp = [max(-10, min(10, x)) for x in xs]
    print(clamp, n, len(clamp) == n, len([]), len({}), len(""), len("héllo"))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
