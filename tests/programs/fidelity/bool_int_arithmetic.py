# run:
# run: a b c
# Bools mix with ints in arithmetic as in Python; where the mix would print differently
# the program converts explicitly (the diagnostic for the other case is in tests/errors).


class Counter:
    def __init__(self):
        self.hits = 0
        self.seen = False


c = Counter()


def score(n):
    if n > 2:
        r = n > 3
    else:
        r = n
    return r


def entry_point(argv):
    c.hits = c.hits + (len(argv) > 1)
    c.hits += True
    c.seen = len(argv) > 2
    print(c.hits, c.seen)
    total = 0
    for a in argv:
        total += score(len(a)) * 10
        print(int(score(len(a))), bool(score(len(a))), f"{score(len(a)):d}", "%d" % score(len(a)))
    print(total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
