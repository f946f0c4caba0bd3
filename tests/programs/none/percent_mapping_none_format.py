# run:
# A format that may be None, formatted with a mapping: CPython's TypeError when it is.


def format_for(n):
    if n > 1:
        return None
    return "%(a)s=%(b)d!"


def entry_point(argv):
    print(format_for(1) % {"a": "x", "b": 3})
    print(format_for(len(argv) + 1) % {"a": "x", "b": 3})
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
