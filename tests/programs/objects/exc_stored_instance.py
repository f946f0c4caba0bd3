# run:
# Exception instances created ahead of time (prebuilt and at run time), stored in attributes/lists and raised later.


class Signal(Exception):
    def __init__(self, code):
        Exception.__init__(self, "signal %d" % code)
        self.code = code


PREBUILT_STOP = Signal(99)


class Watcher(object):
    def __init__(self):
        self.pending = []

    def schedule(self, code):
        self.pending.append(Signal(code))

    def fire(self):
        if len(self.pending) == 0:
            raise PREBUILT_STOP
        err = self.pending.pop()
        raise err


def drain(w):
    codes = []
    while True:
        try:
            w.fire()
        except Signal as s:
            codes.append(s.code)
            if s is PREBUILT_STOP:
                break
    return codes


def entry_point(argv):
    w = Watcher()
    for c in [3, 1, 4, 1, 5]:
        w.schedule(c)
    print(drain(w))
    w.schedule(7)
    print(drain(w), str(PREBUILT_STOP))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
