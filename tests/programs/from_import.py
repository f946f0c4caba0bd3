# `from module import name` of sibling helpers: functions and constants.

from _consts import LIMIT, NAMES, PRIMES
from _mathutil import digit_sum, gcd, lcm


def lcm_of_primes():
    result = 1
    i = 0
    while i < len(PRIMES):
        result = lcm(result, PRIMES[i])
        i += 1
    return result


def entry_point(argv):
    print(lcm_of_primes(), gcd(lcm_of_primes(), 1001))
    print(digit_sum(LIMIT - 1), digit_sum(LIMIT - 1, base=2))
    print(NAMES[0], NAMES[1])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
