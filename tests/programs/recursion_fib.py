# Recursive Fibonacci, checked against an iterative version.


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def fib_iter(n):
    a = 0
    b = 1
    while n > 0:
        t = a + b
        a = b
        b = t
        n -= 1
    return a


def entry_point(argv):
    n = 0
    while n <= 20:
        r = fib(n)
        if r != fib_iter(n):
            print("mismatch at", n)
            return 1
        n += 1
    print(fib(10), fib(20))
    print(fib_iter(90))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
