# Mutually recursive functions (a recursion cycle spanning two functions).


def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


def hofstadter_f(n):
    if n == 0:
        return 1
    return n - hofstadter_m(hofstadter_f(n - 1))


def hofstadter_m(n):
    if n == 0:
        return 0
    return n - hofstadter_f(hofstadter_m(n - 1))


def entry_point(argv):
    print(is_even(10), is_odd(10), is_even(7), is_odd(7), is_even(0))
    print(is_even(500), is_odd(301))
    i = 0
    while i < 15:
        print(i, hofstadter_f(i), hofstadter_m(i))
        i += 1
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
