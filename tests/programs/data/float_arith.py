# Float arithmetic: + - * / // % **, unary minus, mixing with ints, comparisons and accumulation error.


def entry_point(argv):
    a = 7.5
    b = -2.0
    print(a + b, a - b, a * b, a / b, a // b, a % b, -a, a ** 2)
    print(7.5 // 2.0, -7.5 // 2.0, 7.5 % 2.0, -7.5 % 2.0, 7.5 % -2.0, -7.5 % -2.0)
    print(1 / 2, 7 / 7, -9 / 4, 2 ** 0.5, 10 * 0.1, 3 + 0.5, 0.5 - 1)
    print(0.1 + 0.2, 0.1 + 0.2 == 0.3, 0.1 * 3, 1.1 * 1.1, 1e308 * 10, -1e308 * 10, 2.0 ** -2)
    total = 0.0
    for i in range(10):
        total += 0.1
    print(total, total == 1.0, total < 1.0, abs(total - 1.0) < 1e-9)
    x = 1.0
    steps = 0
    while 1.0 + x != 1.0:
        x /= 2.0
        steps += 1
    print("epsilon", x * 2.0, steps)
    vals = [3.5, -1.25, 0.0, 2.0, -0.0, 1e-3, 100.0]
    for v in vals:
        print(v, v < 1.0, v >= 0.0, v == 0.0, v != 2.0, -v, v * v, v + 1)
    print(3 < 3.5 < 4, 2.0 == 2, 1 <= 1.0, max(1.5, 2.5), min(-0.5, 0.25), abs(-2.25))
    h = 0.0
    n = 1
    while n <= 1000:
        h += 1.0 / n
        n += 1
    print("harmonic", h)
    p = 1.0
    for i in range(1, 21):
        p *= i
    print("20! as float", p, int(p))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
