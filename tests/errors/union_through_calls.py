"""A union failure of values returned by two functions: the message follows each type
back to the return that produced it."""


def parse(s):
    if s.isdigit():
        return int(s)
    return 0


def label(n):
    return "n=%d" % n


def entry_point(argv):
    value = parse(argv[1])
    if len(argv) > 2:
        value = label(value)
    print(value)
    return 0
