# Greatest common divisor: recursive, iterative and binary (Stein's) algorithms agree.


def gcd_rec(a, b):
    if b == 0:
        return a
    return gcd_rec(b, a % b)


def gcd_iter(a, b):
    while b:
        t = a % b
        a = b
        b = t
    return a


def gcd_binary(a, b):
    if a == 0:
        return b
    if b == 0:
        return a
    shift = 0
    while (a | b) & 1 == 0:
        a = a >> 1
        b = b >> 1
        shift += 1
    while a & 1 == 0:
        a = a >> 1
    while b != 0:
        while b & 1 == 0:
            b = b >> 1
        if a > b:
            t = a
            a = b
            b = t
        b = b - a
    return a << shift


def entry_point(argv):
    print(gcd_rec(1071, 462), gcd_iter(1071, 462), gcd_binary(1071, 462))
    print(gcd_rec(0, 9), gcd_iter(9, 0), gcd_binary(0, 0))
    print(gcd_rec(1 << 40, 3656158440062976), gcd_binary(1 << 40, 3656158440062976))
    disagreements = 0
    checksum = 0
    a = 1
    while a < 60:
        b = 1
        while b < 60:
            g = gcd_rec(a, b)
            if g != gcd_iter(a, b) or g != gcd_binary(a, b):
                disagreements += 1
            checksum += g
            b += 1
        a += 1
    print("checksum", checksum, "disagreements", disagreements)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
