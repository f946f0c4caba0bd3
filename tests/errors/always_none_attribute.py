"""Reading an attribute of a value that is always None stays an error: it can only fail."""


class Box(object):
    def __init__(self):
        self.v = 1


def entry_point(argv):
    b = None
    if len(argv) > 5:
        b = None
    print(b.v)
    return 0
