# run:
# '%' with a tuple or a single value at import time: the same results and the same exceptions and messages as CPython (the runtime's formatting).


def attempt(fmt, args):
    try:
        return "ok " + fmt % args
    except ValueError as e:
        return "ValueError " + str(e)
    except TypeError as e:
        return "TypeError " + str(e)
    except OverflowError as e:
        return "OverflowError " + str(e)


try:
    MSG = "%d %y" % (1, 2)
except ValueError as e:
    MSG = str(e)

RESULTS = [
    attempt("%d %y", (1, 2)),
    attempt("%s %s", (1,)),
    attempt("%s", (1, 2)),
    attempt("abc", 5),
    attempt("abc", ()),
    attempt("%y", ()),
    attempt("%d", "x"),
    attempt("%x", 1.5),
    attempt("%(a)s", (1,)),
    attempt("%(a)s", 1),
    attempt("%(a)s", [1]),
    attempt("abc", [1]),
    attempt("%s", [1, 2]),
    attempt("%s|%s", [1, 2]),
    attempt("%", (1,)),
    attempt("%*d|%-*d|%.*f", (3, 4, -5, 3, 2, 3.14159)),
    attempt("%*d", ("x", 4)),
    attempt("%c%c", (65, "b")),
    attempt("%c", ("ab",)),
    attempt("%c", (1114112,)),
    attempt("%d", (float("inf"),)),
    attempt("%d", (float("nan"),)),
    attempt("%#x %#o %+05d % d", (255, 8, 42, 7)),
    attempt("%.3e %g %G %r %a", (12345.678, 0.0001, 1e20, "q", "\xe9")),
    attempt("%5.1s|%-5s|%s", ("abc", None, True)),
    attempt("%d %i %u", (True, -3.9, 2.5)),
    attempt("%s", ((1, 2),)),
    attempt("%s %%", "x"),
]


def entry_point(argv):
    print(MSG)
    for r in RESULTS:
        print(r)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
