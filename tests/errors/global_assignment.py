"""Run-time code cannot rebind module globals."""
COUNTER = 0


def bump():
    global COUNTER
    COUNTER = COUNTER + 1


def entry_point(argv):
    bump()
    return 0
