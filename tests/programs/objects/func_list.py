# run:
# run: 11
# A list of module-level functions iterated and called; functions passed as arguments and returned.


def inc(x):
    return x + 1


def dbl(x):
    return x * 2


def sq(x):
    return x * x


def neg(x):
    return -x


PIPELINE = [inc, dbl, sq, neg]


def apply_all(funcs, x):
    for f in funcs:
        x = f(x)
    return x


def compose_apply(f, g, x):
    return f(g(x))


def pick(n):
    if n % 2 == 0:
        return dbl
    return sq


def entry_point(argv):
    x = 3
    if len(argv) > 1:
        x = int(argv[1])
    print(apply_all(PIPELINE, x))
    fs = [neg, inc]
    fs.append(pick(x))
    fs.append(pick(x + 1))
    print(apply_all(fs, x))
    for f in PIPELINE:
        print(f(x), compose_apply(f, inc, x), compose_apply(inc, f, x))
    best = PIPELINE[0]
    for f in PIPELINE:
        if f(x) > best(x):
            best = f
    print("best", best(x), best is sq)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
