# exit: 0
"""A `[None] * n` frame filled later, as interpreters write them: each read that may be
None is a warning naming the line that made the list, and is compiled with a check."""


class W_Int(object):
    def __init__(self, v):
        self.v = v

    def getvalue(self):
        return self.v


class Frame(object):
    def __init__(self, n):
        self.locals_w = [None] * n

    def load(self, i):
        return self.locals_w[i].getvalue()

    def store(self, i, w):
        self.locals_w[i] = w


def entry_point(argv):
    f = Frame(3)
    f.store(0, W_Int(len(argv)))
    print(f.load(0))
    return 0
