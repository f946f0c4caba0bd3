"""A name that is not defined anywhere."""


def entry_point(argv):
    print(totl)
    return 0
