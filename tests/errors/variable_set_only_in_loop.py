# exit: 0
"""A variable assigned only inside a loop may be unbound after it: a warning (W0201); the
read raises UnboundLocalError where it is unbound, as in CPython."""


def last_positive(xs):
    for x in xs:
        if x > 0:
            found = x
    return found


def entry_point(argv):
    print(last_positive([1, -2, 3]))
    return 0
