# run:
# run: 9
# specialize.arg(n): a copy per constant argument value, e.g. a constant class or a constant flag selecting behaviour.

from kiln.objectmodel import specialize


class W_Int(object):
    def __init__(self, n):
        self.n = n


class W_Neg(W_Int):
    pass


@specialize.arg(1)
def convert(n, negate):
    if negate:
        return -n
    return n


@specialize.arg(0)
def build(cls, n):
    return cls(n)


@specialize.arg(1)
def repeat(s, times):
    out = ""
    for i in range(times):
        out += s
    return out


def entry_point(argv):
    x = 4
    if len(argv) > 1:
        x = int(argv[1])
    print(convert(x, True), convert(x, False))
    a = build(W_Int, x)
    b = build(W_Neg, x + 1)
    print(a.n, b.n, isinstance(b, W_Neg), isinstance(a, W_Neg))
    print(repeat("ab", 3), repeat("-", 5), repeat("x", 0) == "")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
