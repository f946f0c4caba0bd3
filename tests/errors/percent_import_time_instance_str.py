"""'%' at import time of an instance whose class defines __str__: CPython calls it, the import-time formatting would not; a diagnostic."""


class Point(object):
    def __init__(self, x):
        self.x = x

    def __str__(self):
        return "Point(%d)" % self.x


LABEL = "at %s" % Point(3)


def entry_point(argv):
    print(LABEL)
    return 0
