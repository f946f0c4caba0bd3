# Integer + - * with precedence, parentheses and unary minus.


def entry_point(argv):
    a = 17
    b = -5
    print(a + b, a - b, a * b)
    print(-a, -b, - -a, -(a + b))
    print(2 + 3 * 4, (2 + 3) * 4, 2 * 3 + 4 * 5)
    print(10 - 4 - 3, 10 - (4 - 3))
    print(a * a * a - b * b, -a * -b)
    x = 0
    x = x + 7
    x = x * 3
    x = x - 30
    print(x)
    print(123456789 * 1000000007)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
