"""A str method that does not exist."""


def entry_point(argv):
    name = argv[0]
    print(name.reverse())
    return 0
