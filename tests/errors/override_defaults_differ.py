"""Overrides reached from one call site must fill the call's arguments the same way."""


class Shape(object):
    def scaled(self, size, factor=1):
        return size * factor


class Square(Shape):
    def scaled(self, size, factor=2):
        return size * size * factor


def pick(n):
    if n > 1:
        return Square()
    return Shape()


def entry_point(argv):
    print(pick(len(argv)).scaled(3))
    return 0
