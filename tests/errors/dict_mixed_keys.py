"""A dict keyed by ints, then used with a str key."""


def entry_point(argv):
    counts = {1: 10, 2: 20}
    counts["three"] = 30
    print(len(counts))
    return 0
