# run:
# run: a b
# Every way of showing an exception by its str() (print, str(), %s, f-string), with no,
# one and several arguments, and a __str__: the forms that are translated, while repr()
# of an exception is E0319 (tests/errors/exception_repr.py).


class E(Exception):
    pass


class S(Exception):
    def __init__(self, n):
        self.n = n

    def __str__(self):
        return "S with %d" % self.n


def make(k):
    if k == 0:
        return E()
    if k == 1:
        return E("one")
    if k == 2:
        return E("it's")
    return E(k * 10)


def entry_point(argv):
    for k in range(4):
        try:
            raise make(k + len(argv) - 1)
        except E as e:
            print(e)
            print(str(e), "%s" % e, "[%s]" % (e,), f"<{e}>", f"{e!s}|")
    try:
        raise S(len(argv))
    except S as s:
        print(s, str(s), "%s" % s, f"{s}")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
