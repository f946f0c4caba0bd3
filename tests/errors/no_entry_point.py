"""A program without entry_point."""


def main(argv):
    return 0
