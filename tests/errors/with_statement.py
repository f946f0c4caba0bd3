"""The with statement is outside the RPy subset."""


def entry_point(argv):
    with open("x") as f:
        print(f)
    return 0
