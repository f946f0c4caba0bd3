# run:
# run: 7
# Methods with default and keyword arguments; an override keeps the same parameters and defaults.


class Formatter(object):
    def __init__(self, prefix):
        self.prefix = prefix

    def fmt(self, value, width=6, fill=" ", sign=False):
        s = str(value)
        if sign and value >= 0:
            s = "+" + s
        while len(s) < width:
            s = fill + s
        return self.prefix + s

    def pair(self, a, b, sep=", "):
        return self.fmt(a, width=0) + sep + self.fmt(b, width=0)


class HexFormatter(Formatter):
    def fmt(self, value, width=6, fill=" ", sign=False):
        digits = "0123456789abcdef"
        s = ""
        v = value
        if v == 0:
            s = "0"
        while v > 0:
            s = digits[v % 16] + s
            v = v // 16
        while len(s) < width:
            s = fill + s
        if sign:
            s = "+" + s
        return self.prefix + s


def show(f, n):
    print(f.fmt(n))
    print(f.fmt(n, 8))
    print(f.fmt(n, fill="*"))
    print(f.fmt(n, sign=True, width=3))
    print(f.fmt(value=n, width=2, fill="."))
    print(f.pair(n, n * 3))
    print(f.pair(n, 1, sep=" | "))


def entry_point(argv):
    n = 42
    if len(argv) > 1:
        n = int(argv[1])
    show(Formatter("d:"), n)
    show(HexFormatter("x:"), n)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
