"""Indexing a value that is not a sequence."""


def entry_point(argv):
    count = len(argv)
    print(count[0])
    return 0
