# run: 1200
# rpython.rlib.rbigint at thousands of digits: Karatsuba products, Burnikel-Ziegler division and divide-and-conquer str()/fromstr() agree with each other.
from rpython.rlib.rbigint import rbigint


def digits(seed, n):
    chars = []
    state = seed
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2147483648
        chars.append(str((state >> 16) % 10))
    if chars[0] == "0":
        chars[0] = "7"
    return "".join(chars)


def entry_point(argv):
    n = int(argv[1])
    sa = digits(1, n)
    sb = digits(2, n // 2 + 17)
    a = rbigint.fromstr(sa)
    b = rbigint.fromstr(sb)
    print(a.str() == sa, b.str() == sb)
    p = a.mul(b)
    ps = p.str()
    print(len(ps), ps[:30], ps[len(ps) - 30 :])
    q, r = p.add(rbigint.fromint(12345)).divmod(b)
    print(q.eq(a), r.str())
    sq = a.mul(a)
    print(sq.floordiv(a).eq(a), sq.mod(a).str())
    big = rbigint.fromint(7).pow(rbigint.fromint(n * 3))
    bs = big.str()
    print(len(bs), bs[:20], bs[len(bs) - 20 :], rbigint.fromstr(bs).eq(big))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
