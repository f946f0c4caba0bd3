# Values near the ends of the 64-bit range, computed without ever overflowing.

MAX = 9223372036854775807
MIN = -9223372036854775807 - 1


def entry_point(argv):
    print(MAX, MIN, MAX + MIN, -(MIN + 1))
    print(MAX // 3, MAX % 3, MIN // 3, MIN % 3, MIN // -3, MIN % -3)
    print(MAX // MAX, MIN // MIN, MIN // MAX, MAX // MIN, MIN % MAX, MAX % MIN)
    print(MAX > MIN, MIN < 0 < MAX, MAX - 1 < MAX, MIN + 1 > MIN)
    print(MAX >> 32, MIN >> 32, MAX & MIN, MAX | MIN, MAX ^ MIN, ~MAX == MIN)
    half = MAX // 2
    print(half + half + 1 == MAX, -half - half - 2 == MIN)
    print(3037000499 * 3037000499, -3037000499 * 3037000499)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
