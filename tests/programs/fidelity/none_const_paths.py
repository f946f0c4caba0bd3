# run:
# run: a
# run: a b c
# A local that is None on some paths and an int on others, where the None only meets
# tests that fold (`== K`, `!= K`, `is None`, `not x`): accepted as RPython's flow space
# accepts it, by keeping the paths apart. Proc2 of PyPy's rpystone has this shape.

ONE = 1
TWO = 2


class Glob(object):
    pass


g = Glob()
g.letter = "A"
g.base = 3


def proc2(par):
    # rpystone's Proc2: `EnumLoc = None` "for the flow space", then a loop that only
    # leaves once the branch has set it to ONE.
    loc = par + 10
    kind = None
    while 1:
        if g.letter == "A":
            loc = loc - 1
            par = loc - g.base
            kind = ONE
        if kind == ONE:
            break
    return par


def first_even(n):
    # None until found; tested with `is None` and `!=` against constants only.
    found = None
    i = 0
    while i < n:
        if i % 2 == 0 and i > 0:
            found = TWO
        if found is not None:
            break
        i += 1
    if found != TWO:
        return -1
    return i


def countdown(n):
    # `not flag` on None and on a folded bool, through several blocks.
    flag = None
    steps = 0
    while not flag:
        steps += 1
        n -= 1
        if n <= 0:
            flag = ONE
    return steps


def entry_point(argv):
    n = len(argv)
    if n > 2:
        g.letter = "A"
    print(proc2(n))
    print(first_even(n), first_even(n + 3), first_even(0))
    print(countdown(n), countdown(5))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
