# run:
# run: %(name)s=%(count)d
# run: %(missing)s
# `fmt % d` with a dict keyed by str, as RPython code formats its messages from a table
# of names: constant and run-time formats, keys missing, `%` inside values, and the
# dict itself shown by a positional `%s`.

from rpython.rlib.objectmodel import specialize


@specialize.argtype(1)
def report(fmt, table):
    try:
        return fmt % table
    except KeyError as e:
        return "missing " + str(e)
    except ValueError as e:
        return "bad format: " + str(e)
    except TypeError as e:
        return "type error: " + str(e)


def entry_point(argv):
    counts = {}
    for word in ["a", "b%", "a", "%(c)s", "a"]:
        counts[word] = counts.get(word, 0) + 1
    print("%(a)d and %(b%)03d" % counts)
    print(report("%s", counts))
    print(report("%(%(c)s)s|%(a)5d|%(a)-5x|%(a)r", counts))
    names = {"name": "x%y", "count": "%d"}
    for fmt in argv[1:]:
        print(report(fmt, names))
        print(report(fmt + "%", names))
    floats = {"pi": 3.14159, "e": 2.71828}
    print(report("%(pi).2f %(e)10.4e %(pi)s %(e)d", floats))
    print(report("%(pi)x", floats))
    empty = {}
    empty["k"] = None
    print(report("%(k)s %(k)r", empty))
    print(report("%(k)d", empty))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
