# Imports inside run-time functions are resolved when the function is translated, from
# the modules Kiln imported (as RPython does); a module imported only there is imported
# after the main module.
import math


def area(r):
    from math import floor
    import math as m
    return floor(m.pi * r * r)


def helper(x):
    from _rt_helpers import scaled, SCALE
    import _rt_helpers
    return scaled(x) + SCALE + _rt_helpers.SCALE


def clock_is_float():
    import time
    return time.time() > 0.0


def entry_point(argv):
    print(area(len(argv) + 1), helper(len(argv)), clock_is_float(), math.floor(2.5))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
