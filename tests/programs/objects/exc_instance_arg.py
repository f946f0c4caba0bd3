# run:
# run: 200
# An exception class with its own __init__ taking an instance (no __str__): CPython keeps
# the instance in args; Kiln's message for it once read the instance as if it were an
# exception, a GC pointer made of an int field, which crashed the collectors (and a JIT
# that kept the exception alive). The exceptions are kept alive across allocations.


class Box(object):
    def __init__(self, v):
        self.v = v


class BoxError(Exception):
    def __init__(self, box):
        self.box = box


def fail(i):
    raise BoxError(Box(i + 1))


def entry_point(argv):
    n = int(argv[1]) if len(argv) > 1 else 3
    keep = []
    for i in range(n):
        try:
            fail(i)
        except BoxError as e:
            keep.append(e)
    total = 0
    for e in keep:
        total += len(str(total)) + e.box.v
    print(total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
