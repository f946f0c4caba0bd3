# run:
# run: 40
# Exceptions raised at the bottom of a deep recursive call chain and caught near the top; finally blocks on the way.


class Found(Exception):
    def __init__(self, value, depth):
        Exception.__init__(self, "found")
        self.value = value
        self.depth = depth


class Exhausted(Exception):
    pass


class Tracker(object):
    def __init__(self):
        self.unwound = 0


def search(n, target, depth, tracker):
    try:
        if n == target:
            raise Found(n * n, depth)
        if n <= 0:
            raise Exhausted("ran out at depth %d" % depth)
        return search(n - 1, target, depth + 1, tracker)
    finally:
        tracker.unwound += 1


def find(start, target):
    t = Tracker()
    try:
        search(start, target, 0, t)
        return "impossible"
    except Found as f:
        return "found %d at depth %d, unwound %d" % (f.value, f.depth, t.unwound)
    except Exhausted as e:
        return "%s, unwound %d" % (str(e), t.unwound)


def entry_point(argv):
    start = 25
    if len(argv) > 1:
        start = int(argv[1])
    print(find(start, 7))
    print(find(start, -1))
    print(find(start, start))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
