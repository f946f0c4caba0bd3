"""A float that may hold an int prints 2.0 where CPython prints 2: E0301, not a silent difference."""


class Stats:
    def __init__(self):
        self.mean = 0


stats = Stats()


def pick(n):
    if n > 1:
        x = 1.5
    else:
        x = 2
    return x


def entry_point(argv):
    fs = [float(len(a)) for a in argv]
    total = 0
    for f in fs:
        total += f
    print(total)
    x = pick(len(argv))
    s = str(x * 2)
    t = f"{x}"
    u = f"{x:5}"
    print("%s|%5s|%(x)r" % (x, x, x), "%.2f %d %5.1f" % (x, x, x), f"{x:.2f}")
    stats.mean = total / 2
    print(stats.mean)
    mixed = [1, 2.5]
    print(mixed, sum(fs), sum(fs, 0.0))
    if isinstance(x, float):
        return 1
    return len(s) + len(t) + len(u)
