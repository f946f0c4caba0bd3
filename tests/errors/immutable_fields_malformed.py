"""_immutable_fields_ must list attribute names."""


class Code(object):
    _immutable_fields_ = ["name", 3]

    def __init__(self, name):
        self.name = name


def entry_point(argv):
    print(Code("f").name)
    return 0
