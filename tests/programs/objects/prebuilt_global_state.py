# run:
# run: 9
# Prebuilt instances at module level used as mutable global state and mutated at run time.


class Stats(object):
    def __init__(self):
        self.calls = 0
        self.total = 0
        self.maximum = 0
        self.names = []

    def record(self, name, v):
        self.calls += 1
        self.total += v
        if v > self.maximum:
            self.maximum = v
        self.names.append(name)


class Config(object):
    def __init__(self, scale, label):
        self.scale = scale
        self.label = label


STATS = Stats()
CONFIG = Config(3, "cfg")
OTHER = Stats()


def work(name, n):
    v = n * CONFIG.scale
    STATS.record(name, v)
    if v % 2 == 0:
        OTHER.record(name, v // 2)
    return v


def entry_point(argv):
    n = 5
    if len(argv) > 1:
        n = int(argv[1])
    for i in range(n):
        work("w%d" % i, i)
    CONFIG.scale = 10
    CONFIG.label = "changed"
    work("late", 7)
    print(STATS.calls, STATS.total, STATS.maximum, ",".join(STATS.names))
    print(OTHER.calls, OTHER.total, OTHER.maximum, ",".join(OTHER.names))
    print(CONFIG.label, CONFIG.scale)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
