# The else clause of a while loop runs when the condition becomes false, not after break.


def find_divisor(n):
    d = 2
    while d * d <= n:
        if n % d == 0:
            print(n, "has divisor", d)
            break
        d += 1
    else:
        print(n, "is prime")


def countdown(n):
    while n > 0:
        n -= 1
    else:
        print("countdown done at", n)


def nested(limit):
    i = 0
    while i < limit:
        j = 0
        while j < limit:
            if i * j == 6:
                print("found", i, j)
                break
            j += 1
        else:
            print("row", i, "had no 6")
        i += 1
    else:
        print("outer else")


def entry_point(argv):
    find_divisor(91)
    find_divisor(97)
    find_divisor(2)
    countdown(3)
    countdown(0)
    nested(4)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
