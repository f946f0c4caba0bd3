# Reference cycles (doubly linked rings, self loops) created and dropped in a loop; only
# the last ring stays reachable.


class Ring(object):
    def __init__(self, tag):
        self.tag = tag
        self.prev = self
        self.next = self


def ring_of(n, tag):
    first = Ring(tag)
    last = first
    for i in range(1, n):
        r = Ring(tag + i)
        r.prev = last
        last.next = r
        last = r
    last.next = first
    first.prev = last
    return first


def walk(r, steps):
    s = 0
    for i in range(steps):
        s += r.tag
        r = r.next
    return s


def entry_point(argv):
    keep = ring_of(3, 0)
    checksum = 0
    for k in range(2000):
        r = ring_of(20, k)
        checksum += walk(r, 45) % 1000
    print(checksum, walk(keep, 7), walk(keep.prev, 2))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
