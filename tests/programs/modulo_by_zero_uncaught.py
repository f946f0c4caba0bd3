# Modulo by zero raises ZeroDivisionError from inside a recursive call; uncaught, it ends
# the program with exit code 1. Expected stderr last line (CPython 3.11 words it
# differently from floor division by zero):
#   ZeroDivisionError: integer modulo by zero


def remainders(n, depth):
    if depth == 0:
        return n % depth
    print("depth", depth, n % depth)
    return remainders(n + 1, depth - 1)


def entry_point(argv):
    print(remainders(17, 4))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
