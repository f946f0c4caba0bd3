# run:
# run: 7 word
# '%' with a tuple or a single value and a format string built at run time: the runtime's formatting gives CPython's results, and its exceptions with CPython's messages.
import sys

FORMATS = [
    "%d-%s",
    "%5d|%-6s|",
    "%x %X %o %#x",
    "%s %s",
    "%d %y",
    "%s",
    "%(a)s",
    "%d",
    "%*d|%s",
    "%c%s",
    "%",
    "%r %a",
    "%.2f %e %g",
    "%+05d%%",
]


def fmt_pair(f, a, b):
    return f % (a, b)


def fmt_one(f, a):
    return f % a


def fmt_float(f, x):
    return f % (x, x, x)


def attempt_pair(f, a, b):
    try:
        return "ok " + fmt_pair(f, a, b)
    except ValueError as e:
        return "ValueError " + str(e)
    except TypeError as e:
        return "TypeError " + str(e)


def attempt_one(f, a):
    try:
        return "ok " + fmt_one(f, a)
    except ValueError as e:
        return "ValueError " + str(e)
    except TypeError as e:
        return "TypeError " + str(e)


def attempt_str(f, s):
    try:
        return "ok " + f % s
    except ValueError as e:
        return "ValueError " + str(e)
    except TypeError as e:
        return "TypeError " + str(e)


def attempt_mixed(f, n, s, x, flag, none):
    try:
        return "ok " + f % (n, s, x, flag, none)
    except ValueError as e:
        return "ValueError " + str(e)
    except TypeError as e:
        return "TypeError " + str(e)


def attempt_float(f, x):
    try:
        return "ok " + fmt_float(f, x)
    except ValueError as e:
        return "ValueError " + str(e)
    except TypeError as e:
        return "TypeError " + str(e)


def constant_formats(k, n, word, x):
    # Constant formats the inline code does not compile as CPython formats them go to
    # the run-time formatting too.
    try:
        if k == 0:
            return "%d %y" % (n, n)
        if k == 1:
            return "%s %s" % (word,)
        if k == 2:
            return "%d|" % word
        if k == 3:
            return "%x|" % x
        if k == 4:
            return "%c|" % word
        if k == 5:
            return "%c|" % (n * 100000)
        if k == 6:
            return "%a|" % (word + "\xe9")
        if k == 7:
            return "%*d|%-*s|" % (n, n, n - 50, word)
        if k == 8:
            return "%s|" % (n, word)
        if k == 9:
            return "%f|" % word
        if k == 10:
            return "%(a)s" % (n,)
        return "%c%c|%5%" % (n, word[0])
    except ValueError as e:
        return "ValueError " + str(e)
    except TypeError as e:
        return "TypeError " + str(e)
    except OverflowError as e:
        return "OverflowError " + str(e)


def entry_point(argv):
    n = 42 if len(argv) < 2 else int(argv[1])
    word = "abc" if len(argv) < 3 else argv[2]
    for f in FORMATS:
        print(f, "|", attempt_pair(f, n, word))
        print(f, "|", attempt_one(f, n))
        print(f, "|", attempt_str(f, word))
        print(f, "|", attempt_float(f, n * 1.5))
        print(f, "|", attempt_mixed(f, n, word, 2.5, n > 3, None))
    for k in range(12):
        print(k, constant_formats(k, n, word, n * 0.5))
    c = word[0]
    f = "%c|%c" if n > 0 else "%s"
    print(f % (c, n + 55))
    print(("%s " + word) % c)
    maybe = None if n > 10 else word
    print((f[:1] + "s %s") % (maybe, n))
    print(fmt_pair(f[:0] + "%d [%s]", n, word))
    if len(argv) > 1:
        print(fmt_pair(FORMATS[4], n, word))
    return 0


if __name__ == "__main__":
    sys.exit(entry_point(sys.argv))
