# Helper module (not a program): small integer functions used by the import tests.
# It imports a sibling itself, so importing it exercises a chain of imports.

import _consts


def gcd(a, b):
    if a < 0:
        a = -a
    if b < 0:
        b = -b
    while b != 0:
        t = a % b
        a = b
        b = t
    return a


def lcm(a, b):
    if a == 0 or b == 0:
        return 0
    return a // gcd(a, b) * b


def digit_sum(n, base=_consts.BASE):
    if n < 0:
        n = -n
    total = 0
    while n > 0:
        total += n % base
        n = n // base
    return total


def below_limit(n):
    return n < _consts.LIMIT
