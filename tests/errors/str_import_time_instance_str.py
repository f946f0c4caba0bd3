"""str(), repr(), print() and f-strings at import time of an instance whose class defines __str__: CPython calls it, the import-time evaluator would show `<Point object>`; a diagnostic."""


class Point(object):
    def __init__(self, x):
        self.x = x

    def __str__(self):
        return "Point(%d)" % self.x


LABELS = [str(Point(3)), f"{[Point(4)]}"]


def entry_point(argv):
    print(LABELS[0])
    return 0
