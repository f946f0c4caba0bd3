"""Concatenating a str that may be None."""


def lookup(key):
    if key == "a":
        return "alpha"
    return None


def entry_point(argv):
    print(lookup(argv[0]) + "!")
    return 0
