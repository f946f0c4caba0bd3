"""A set built at import time and used at run time: sets exist only at import time."""
KEYWORDS = frozenset(["if", "while", "def"])


def entry_point(argv):
    if argv[0] in KEYWORDS:
        return 1
    return 0
