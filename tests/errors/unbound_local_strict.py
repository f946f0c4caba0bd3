# check: --strict
"""With --strict, a local that may be unbound (assigned in one branch only) is an error."""


def first_word(argv):
    if len(argv) > 1:
        word = argv[1]
    return word


def entry_point(argv):
    print(first_word(argv))
    return 0
