# check: --strict
"""Concatenating a str that may be None, with --strict: the warning is an error."""


def lookup(key):
    if key == "a":
        return "alpha"
    return None


def entry_point(argv):
    print(lookup(argv[0]) + "!")
    return 0
