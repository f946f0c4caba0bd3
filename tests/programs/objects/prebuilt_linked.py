# run:
# A prebuilt linked structure of instances built at import time, walked and relinked at run time.


class Station(object):
    def __init__(self, name, dist):
        self.name = name
        self.dist = dist
        self.next = None
        self.visits = 0


def _build(names):
    first = None
    prev = None
    for i in range(len(names)):
        s = Station(names[i], (i + 1) * 7)
        if prev is None:
            first = s
        else:
            prev.next = s
        prev = s
    return first


LINE = _build(["alpha", "beta", "gamma", "delta"])
EXTRA = Station("omega", 99)


def walk(start):
    total = 0
    names = []
    s = start
    while s is not None:
        s.visits += 1
        total += s.dist
        names.append(s.name)
        s = s.next
    return "%s total=%d" % ("->".join(names), total)


def append_station(start, st):
    s = start
    nxt = s.next
    while nxt is not None:
        s = nxt
        nxt = s.next
    s.next = st


def entry_point(argv):
    print(walk(LINE))
    append_station(LINE, EXTRA)
    print(walk(LINE))
    second = LINE.next
    if second is not None:
        print(walk(second))
        LINE.next = second.next
    print(walk(LINE))
    s = LINE
    counts = []
    while s is not None:
        counts.append("%s:%d" % (s.name, s.visits))
        s = s.next
    print(" ".join(counts))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
