# Conditional expressions, nested and with side effects only in the chosen branch.


def loud(x):
    print("loud", x)
    return x


def sign(x):
    return 1 if x > 0 else -1 if x < 0 else 0


def clamp(x, lo, hi):
    return lo if x < lo else (hi if x > hi else x)


def entry_point(argv):
    print(sign(42), sign(-42), sign(0))
    print(clamp(-5, 0, 10), clamp(5, 0, 10), clamp(50, 0, 10))
    print(loud(1) if sign(3) == 1 else loud(2))
    print(loud(3) if sign(-3) == 1 else loud(4))
    total = 0
    i = 0
    while i < 10:
        total += i if i % 2 == 0 else -i
        i += 1
    print(total)
    print(True if total < 0 else False)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
