"""One function called with an int in one place and a str in another."""


def show(value):
    return "<" + str(value) + ">"


def entry_point(argv):
    print(show(len(argv)))
    print(show(argv[0]))
    return 0
