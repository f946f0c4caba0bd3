"""Importing a module that does not exist."""
import nosuchmodule


def entry_point(argv):
    return 0
