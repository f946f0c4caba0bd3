# Allocations too large for any heap raise MemoryError (OverflowError where CPython's
# size computation overflows first), caught where they happen; the program goes on.


def attempt(kind, n):
    try:
        if kind == 0:
            x = [0] * n
            return len(x)
        elif kind == 1:
            y = [1, 2, 3] * n
            return len(y)
        elif kind == 2:
            s = "ab" * n
            return len(s)
        elif kind == 3:
            z = list(range(n))
            return len(z)
        elif kind == 4:
            w = [None] * n
            return len(w)
        else:
            t = ["x"] * n
            u = t + t
            return len(u)
    except MemoryError:
        print("kind", kind, "MemoryError")
    except OverflowError as e:
        print("kind", kind, "OverflowError", str(e))
    return -1


def entry_point(argv):
    big = 1 << 60
    for kind in range(6):
        attempt(kind, big)
        print("then", attempt(kind, 5))
    print("huge", attempt(2, 1 << 62))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
