# run:
# run: 3
# An uncaught exception whose class has a custom __init__ passing a formatted message to Exception.__init__.


class LimitExceeded(Exception):
    def __init__(self, what, limit, got):
        Exception.__init__(self, "%s limit %d exceeded (got %d)" % (what, limit, got))
        self.limit = limit
        self.got = got


class Pool(object):
    def __init__(self, limit):
        self.limit = limit
        self.used = 0

    def acquire(self, n):
        if self.used + n > self.limit:
            raise LimitExceeded("pool", self.limit, self.used + n)
        self.used += n
        return self.used


def entry_point(argv):
    step = 2
    if len(argv) > 1:
        step = int(argv[1])
    p = Pool(10)
    try:
        for i in range(10):
            print("used", p.acquire(step))
    except LimitExceeded as e:
        print("caught", e.limit, e.got)
    p2 = Pool(step * 2)
    print(p2.acquire(step))
    print(p2.acquire(step))
    print(p2.acquire(1))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
