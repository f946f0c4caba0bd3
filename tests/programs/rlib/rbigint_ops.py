# run: 6 12
# run: 25 3
# rpython.rlib.rbigint: pseudo-random operands of growing size through every operation; identities checked, results printed as digests.
from rpython.rlib.rbigint import _divrem, rbigint


class Rng(object):
    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return self.state % bound


def random_big(rng, ndigits):
    chars = [str(1 + rng.next(9))]
    for i in range(ndigits - 1):
        chars.append(str(rng.next(10)))
    text = "".join(chars)
    if rng.next(2) == 0:
        text = "-" + text
    return rbigint.fromstr(text)


def digest(b):
    """Length, sign and ends of the decimal form: short output for long numbers."""
    s = b.str()
    if len(s) <= 40:
        return s
    return "%s...%s (%d chars)" % (s[:15], s[len(s) - 15 :], len(s))


def check(cond, what):
    if not cond:
        print("FAILED: " + what)


def exercise(rng, ndigits):
    a = random_big(rng, ndigits)
    b = random_big(rng, 1 + rng.next(ndigits))
    s = a.add(b)
    d = a.sub(b)
    p = a.mul(b)
    q, r = a.divmod(b)
    print("a =", digest(a), " b =", digest(b))
    print("  a+b", digest(s), " a-b", digest(d))
    print("  a*b", digest(p))
    print("  a//b", digest(q), " a%b", digest(r))
    check(s.sub(b).eq(a), "(a+b)-b == a")
    check(d.add(b).eq(a), "(a-b)+b == a")
    check(p.floordiv(b).eq(a), "(a*b)//b == a")
    check(q.mul(b).add(r).eq(a), "q*b+r == a")
    check(r.abs().lt(b.abs()), "|r| < |b|")
    tq, tr = _divrem(a, b)
    check(tq.mul(b).add(tr).eq(a), "_divrem identity")
    check(rbigint.fromstr(a.str()).eq(a), "fromstr(str(a)) == a")
    print("  and", digest(a.and_(b)), " or", digest(a.or_(b)), " xor", digest(a.xor(b)))
    print("  <<7", digest(a.lshift(7)), " >>45", digest(a.rshift(45)))
    print("  cmp", a.lt(b), a.le(b), a.eq(b), a.ne(b), a.gt(b), a.ge(b))
    print("  hash", a.hash(), " digit0", a.digit(0), " bits", a.bit_length())
    try:
        print("  float", a.tofloat(), " a/b", a.truediv(b))
    except OverflowError as e:
        print("  OverflowError:", str(e))
    try:
        print("  toint", a.toint())
    except OverflowError:
        print("  toint overflows")


def entry_point(argv):
    count = int(argv[1])
    step = int(argv[2])
    rng = Rng(42)
    n = 1
    for i in range(count):
        exercise(rng, n)
        n += step + rng.next(step)
    x = rbigint.fromint(1)
    for i in range(1, 101):
        x = x.mul(rbigint.fromint(i))
    print("100! =", x.str())
    # str(), print() and f-strings call rbigint.__str__ (the decimal number).
    print(str(x.neg()) == "-" + x.str(), f"{rbigint.fromint(-7)}", rbigint.fromint(10).pow(rbigint.fromint(20)))
    print("2**200 =", rbigint.fromint(2).pow(rbigint.fromint(200)).str())
    print("3**100 mod 1000007 =", rbigint.fromint(3).pow(rbigint.fromint(100), rbigint.fromint(1000007)).str())
    m = rbigint.fromint(-9223372036854775807 - 1)
    print("minint", m.str(), m.toint(), m.neg().str())
    print("fromfloat", rbigint.fromfloat(1.5e300).str()[:20], rbigint.fromfloat(-2.75).str())
    try:
        rbigint.fromint(1).floordiv(rbigint.fromint(0))
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", str(e))
    try:
        rbigint.fromstr("12x")
    except ValueError as e:
        print("ValueError:", str(e))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
