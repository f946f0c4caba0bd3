# Recursive fib(27): about 300,000 calls, the timing sample used in the top-level README.


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def entry_point(argv):
    print(fib(27))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
