# The Ackermann function for small arguments: deep, irregular recursion.


def ack(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))


def entry_point(argv):
    m = 0
    while m <= 3:
        n = 0
        while n <= 3:
            print("ack", m, n, "=", ack(m, n))
            n += 1
        m += 1
    print(ack(2, 50), ack(3, 5))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
