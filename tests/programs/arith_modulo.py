# Modulo takes the sign of the divisor, and (a // b) * b + a % b == a always holds.


def show(a, b):
    print(a, "%", b, "=", a % b)


def check_identity(limit):
    bad = 0
    a = -limit
    while a <= limit:
        b = -limit
        while b <= limit:
            if b != 0:
                q = a // b
                r = a % b
                if q * b + r != a:
                    bad += 1
                if r != 0 and (r < 0) != (b < 0):
                    bad += 1
            b += 1
        a += 1
    return bad


def entry_point(argv):
    show(7, 3)
    show(-7, 3)
    show(7, -3)
    show(-7, -3)
    show(9, 3)
    show(-9, 3)
    show(0, -4)
    show(-1, 1000)
    show(1, -1000)
    show(-9223372036854775807, 1000000007)
    print("identity violations:", check_identity(25))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
