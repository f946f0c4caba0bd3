# run:
# '%' whose right operand is a constant that the inline formatting would not format as
# CPython ('%d' of a str, '%x' of a float, too many values): the run-time formatting,
# which raises CPython's TypeError (was an internal error in the RTyper).


def attempt(which):
    try:
        if which == 0:
            return "%d" % "abc"
        if which == 1:
            return "%x" % 2.5
        if which == 2:
            return "%s" % ("a", "b")
        return "%d|%s" % ("y", which)
    except TypeError as e:
        return "TypeError: " + str(e)


def entry_point(argv):
    for which in range(4):
        print(attempt(which + len(argv) - 1))
    return 0


if __name__ == "__main__":
    import sys
    entry_point(sys.argv)
