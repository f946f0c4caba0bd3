# run:
# run: 30
# Exceptions used for control flow inside loops: break/continue from handlers, a per-iteration exception instance.


class Skip(Exception):
    pass


class Done(Exception):
    def __init__(self, total):
        Exception.__init__(self)
        self.total = total


def check(i, limit, total):
    if total > limit:
        raise Done(total)
    if i % 4 == 0:
        raise Skip()
    return i * 3


def process(limit):
    total = 0
    skipped = 0
    i = 0
    while True:
        i += 1
        try:
            total += check(i, limit, total)
        except Skip:
            skipped += 1
            continue
        except Done as d:
            print("done", d.total, "at", i)
            break
        if i > 1000:
            break
    return total, skipped


def entry_point(argv):
    limit = 100
    if len(argv) > 1:
        limit = int(argv[1])
    t, s = process(limit)
    print(t, s)
    t, s = process(limit * 3)
    print(t, s)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
