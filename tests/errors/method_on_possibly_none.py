# exit: 0
"""Calling a method on an instance that may be None: a warning (W0305) that shows where None
came in; the call is compiled with a check that raises AttributeError as CPython does."""


class Frame(object):
    def __init__(self, parent):
        self.parent = parent

    def depth(self):
        return 1


def find(frames, n):
    for f in frames:
        if n == 0:
            return f
        n -= 1
    return None


def entry_point(argv):
    frames = [Frame(None), Frame(None)]
    print(find(frames, len(argv)).depth())
    return 0
