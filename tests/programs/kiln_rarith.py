# Imports from the kiln support package: machine-word constants and intmask.

from kiln.rarith import LONG_BIT, intmask, maxint


def entry_point(argv):
    print(LONG_BIT, maxint, -maxint - 1)
    print(intmask(12345), intmask(-7), intmask(maxint), intmask(-maxint - 1))
    print(maxint // 2 + maxint // 2 + 1 == maxint)
    top = 1 << (LONG_BIT - 2)
    print(top, intmask(top - 1 + top) == maxint, intmask(top + top - 1))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
