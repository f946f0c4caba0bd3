"""A module imported only inside a run-time function fails while it is imported: the
error is reported for the function that imports it."""


def helper():
    from _helpers import broken
    return broken.VALUE


def never_called():
    import _helpers.broken
    return 0


def entry_point(argv):
    return helper()
