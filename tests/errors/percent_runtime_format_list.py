"""'%' with a format built at run time and a value the run-time formatting does not show as CPython (a list): E0401."""


def show(fmt, items):
    return fmt % (len(items), items)


def entry_point(argv):
    print(show(argv[0] + " %d %s", [1, 2]))
    return 0
