# run:
# run: a b c
# Values that never reach a use need not agree on a type: `x = None` as a dead store
# before a loop that assigns an int, and a constant-bounded loop that assigns a local.


def dead_store(n):
    y = None
    total = 0
    for k in range(n):
        y = k * 2
        total += y + 1
    return total


def overwritten():
    x = None
    x = 5
    return x + 1


def constant_loop(n):
    i = 0
    while i <= 1:
        c = i + n
        i += 1
    return c


def entry_point(argv):
    print(dead_store(len(argv)))
    print(overwritten())
    print(constant_loop(len(argv)))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
