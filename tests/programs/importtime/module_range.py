# run:
# run: a b c
# A range object made at import time and iterated at run time.
ROWS = range(3)
EVENS = range(0, 10, 2)
DOWN = range(5, 0, -2)
EMPTY = range(4, 4)


def entry_point(argv):
    total = 0
    for i in ROWS:
        for j in EVENS:
            total += i * j + len(argv)
    for k in DOWN:
        print("down", k)
    for _ in EMPTY:
        print("never")
    else:
        print("empty done")
    print(total)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
