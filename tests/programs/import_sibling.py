# `import module` of sibling helper modules, reading their functions and constants.

import _consts
import _mathutil


def entry_point(argv):
    print(_consts.GREETING)
    print(_mathutil.gcd(84, 36), _mathutil.gcd(-84, 36), _mathutil.gcd(17, 0))
    print(_mathutil.lcm(4, 6), _mathutil.lcm(21, 6), _mathutil.lcm(0, 5))
    print(_mathutil.digit_sum(9875), _mathutil.digit_sum(255, 16), _mathutil.digit_sum(-123))
    print(_mathutil.below_limit(999), _mathutil.below_limit(_consts.LIMIT))
    print(_consts.PRIMES[5], len(_consts.PRIMES), _consts.NAMES[2])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
