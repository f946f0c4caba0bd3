"""A variable assigned only inside a loop is not defined after it in RPy."""


def last_positive(xs):
    for x in xs:
        if x > 0:
            found = x
    return found


def entry_point(argv):
    print(last_positive([1, -2, 3]))
    return 0
