"""Functions cannot be defined inside run-time code."""


def entry_point(argv):
    def helper(x):
        return x + 1
    print(helper(1))
    return 0
