# kiln.rgc.collect() runs a full collection; live objects survive it, garbage does not
# matter, and the program goes on allocating.
from kiln.rgc import collect


class Cell(object):
    def __init__(self, v, next):
        self.v = v
        self.next = next


def chain(n):
    c = None
    for i in range(n):
        c = Cell(i, c)
    return c


def length(c):
    k = 0
    while c is not None:
        k += 1
        c = c.next
    return k


def entry_point(argv):
    keep = chain(500)
    assert keep is not None
    for round in range(5):
        chain(2000)
        collect()
        print(round, length(keep), keep.v)
    d = {}
    for i in range(300):
        d[i] = chain(3)
    collect()
    total = 0
    for k, v in d.items():
        assert v is not None
        total += v.v
    print(total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
