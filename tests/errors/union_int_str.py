"""A variable that is an int on one path and a str on another."""


def describe(n):
    if n > 0:
        label = n
    else:
        label = "negative"
    return label


def entry_point(argv):
    print(describe(len(argv)))
    return 0
