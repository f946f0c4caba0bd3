# run:
# time.time() at import time is the clock when the module was imported, frozen into
# the binary as every import-time value is; run-time code measures from it.
import time


class Universe(object):
    def __init__(self):
        self.start_time = time.time()


CURRENT = Universe()


def entry_point(argv):
    since_start = time.time() - CURRENT.start_time
    print(since_start >= 0.0, CURRENT.start_time > 1.6e9, int(since_start * 1000) >= 0)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
