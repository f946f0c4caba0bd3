"""An exception raised while the module is imported."""


def table_size(n):
    return 100 // n


SIZE = table_size(0)


def entry_point(argv):
    return SIZE
