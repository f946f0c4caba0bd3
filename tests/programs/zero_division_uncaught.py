# Floor division by zero raises ZeroDivisionError; uncaught, it ends the program with exit
# code 1 after the output printed so far. Expected stderr last line:
#   ZeroDivisionError: integer division or modulo by zero


def ratio(a, b):
    return a // b


def entry_point(argv):
    print("before", ratio(10, 3))
    d = 3
    while d >= 0:
        print(100 // ratio(9, 3 - d + 2) if d > 1 else 100, ratio(60, d))
        d -= 1
    print("not reached")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
