# ZeroDivisionError from float /, //, % and int / by zero, caught and reported with CPython's messages.


def safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError as e:
        print("div:", e)
        return 0.0


def safe_floordiv(a, b):
    try:
        return a // b
    except ZeroDivisionError as e:
        print("floordiv:", e)
        return -1.0


def safe_mod(a, b):
    try:
        return a % b
    except ZeroDivisionError as e:
        print("mod:", e)
        return -2.0


def int_true_div(a, b):
    try:
        return a / b
    except ZeroDivisionError as e:
        print("int div:", e)
        return float("nan")


def entry_point(argv):
    print(safe_div(1.0, 4.0), safe_div(1.0, 0.0), safe_div(-3.0, -0.0))
    print(safe_floordiv(7.0, 2.0), safe_floordiv(7.0, 0.0))
    print(safe_mod(7.0, 2.5), safe_mod(7.0, 0.0))
    print(int_true_div(7, 2), int_true_div(7, 0))
    for d in [2.0, 1.0, 0.5, 0.0, -1.0]:
        try:
            print(10.0 / d)
        except ZeroDivisionError:
            print("skipped zero")
    count = 0
    for d in range(-2, 3):
        try:
            x = 12 // d
            y = 12 % d
            print(d, x, y)
        except ZeroDivisionError as e:
            count += 1
            print(d, "error", e)
    print("errors", count)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
