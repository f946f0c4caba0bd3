"""An int that may hold a bool prints 1 where CPython prints True: E0301, not a silent difference."""


class Globals:
    def __init__(self):
        self.flag = 0


g = Globals()


def pick(n):
    if n > 2:
        r = n > 5
    else:
        r = n
    return r


def entry_point(argv):
    g.flag = len(argv) > 1
    print(g.flag)
    x = pick(len(argv))
    s = str(x)
    t = f"{x}"
    print(g.flag + 1, f"{x:d}", "%d" % x)
    flags = [0, len(argv) > 3]
    print(flags, sum(flags))
    if isinstance(x, bool):
        return 1
    return len(s) + len(t)
