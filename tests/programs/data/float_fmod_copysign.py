# run:
# math.fmod (C's remainder, with CPython's domain errors) and math.copysign, as a
# Smalltalk VM's Double>>% and round-half-away-from-zero use them.
from math import fmod
import math


def round_half_away(value):
    rounded = math.floor(abs(value) + 0.5)
    return math.copysign(rounded, value)


def entry_point(argv):
    for xy in [(7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (-7.5, -2.0), (1e300, 3.0), (5.0, 1e300), (0.0, 1.0), (-0.0, 1.0)]:
        x, y = xy
        print("fmod", x, y, fmod(x, y))
    print(fmod(3.0, math.inf), fmod(-3.0, -math.inf), math.isnan(fmod(math.nan, 2.0)))
    for xy in [(1.0, 0.0), (math.inf, 2.0)]:
        x, y = xy
        try:
            print(fmod(x, y))
        except ValueError as e:
            print("ValueError", e)
    for v in [2.5, -2.5, 0.4, -0.4, 0.0, -0.0, 1e16]:
        print("round", v, round_half_away(v))
    print(math.copysign(3.0, -0.0), math.copysign(-3.0, 1.0), math.copysign(2.0, -math.nan))
    n = len(argv)
    print(fmod(float(n * 10 + 3), float(n + 3)))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
