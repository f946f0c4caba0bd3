# run:
# run: 25
# kiln.rarith.ovfcheck: checked addition, multiplication and subtraction raising OverflowError when caught.
from kiln.rarith import ovfcheck, maxint


def checked_factorial(n):
    r = 1
    for i in range(2, n + 1):
        r = ovfcheck(r * i)
    return r


def checked_sum(xs):
    total = 0
    for x in xs:
        total = ovfcheck(total + x)
    return total


def largest_factorial():
    n = 1
    while True:
        try:
            checked_factorial(n + 1)
        except OverflowError:
            return n
        n += 1


def entry_point(argv):
    limit = 22
    if len(argv) > 1:
        limit = int(argv[1])
    for n in range(15, limit + 1):
        try:
            print(n, checked_factorial(n))
        except OverflowError as e:
            print(n, "overflow:", e)
    print("largest factorial", largest_factorial())
    try:
        print(checked_sum([maxint - 10, 5, 5]))
        print(checked_sum([maxint - 10, 5, 6]))
    except OverflowError:
        print("sum overflowed")
    low = -maxint - 1
    for d in [0, 1]:
        try:
            print(ovfcheck(low + d))
            print(ovfcheck(low - d))
        except OverflowError:
            print("sub overflowed at", d)
    fib_a = 0
    fib_b = 1
    steps = 0
    try:
        while True:
            fib_a, fib_b = fib_b, ovfcheck(fib_a + fib_b)
            steps += 1
    except OverflowError:
        print("fibonacci overflow after", steps, "steps at", fib_b)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
