"""Only exception instances can be raised."""


class Fail(object):
    def __init__(self, why):
        self.why = why


def check(n):
    if n < 0:
        raise Fail("negative")
    return n


def entry_point(argv):
    print(check(int(argv[1])))
    return 0
