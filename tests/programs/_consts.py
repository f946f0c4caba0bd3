# Helper module (not a program): constants shared by the import tests.

BASE = 10
LIMIT = 1000
GREETING = "hello from _consts"
PRIMES = (2, 3, 5, 7, 11, 13)
NAMES = ("zero", "one", "two")
