"""`fmt % {"key": value, ...}` formats str, int, float, bool and None values (each key
its own type); a list value is not supported yet (E0401), and a value that is a bool in
one place and an int in another would show 1 where CPython shows True (E0301) unless
every conversion of a constant format is numeric. A format that may be None gets W0305
(CPython's TypeError when it is). `fmt % d` with a dict variable: keyed by str, with
such values, and never None."""


def flag_or_count(n):
    if n > 2:
        return n > 5
    return n


def fmt_or_none(n):
    if n > 1:
        return None
    return "%(a)s"


def entry_point(argv):
    fmt = "%(items)s " + argv[0]
    print(fmt % {"items": [1, 2], "n": len(argv)})
    x = flag_or_count(len(argv))
    print(("%(x)s" + argv[0]) % {"x": x})
    print("%(x)d %(x)5.1f %%" % {"x": x})
    print("%(x)r" % {"x": x})
    print(fmt_or_none(len(argv)) % {"a": 1})
    by_number = {1: "one"}
    print("%(1)s" % by_number)
    lists = {"a": [1]}
    print(fmt % lists)
    maybe = None
    if len(argv) > 3:
        maybe = {"a": "b"}
    print(fmt % maybe)
    return 0
