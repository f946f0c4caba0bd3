# Functions that return None: falling off the end, bare return, and return from a loop.


def greet():
    print("hello")


def print_until(limit, stop):
    i = 0
    while i < limit:
        if i == stop:
            print("stopping at", i)
            return
        print("at", i)
        i += 1
    print("reached the limit")


def maybe_print(flag):
    if not flag:
        return
    print("flag was set")


def nothing():
    pass


def entry_point(argv):
    greet()
    print_until(5, 2)
    print_until(2, 10)
    maybe_print(False)
    maybe_print(True)
    nothing()
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
