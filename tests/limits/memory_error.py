# Runs out of memory under a small KILN_GC_MAX_HEAP, catches MemoryError, frees what it
# held and goes on allocating (except with --gc=none, which never frees: there the
# allocation after the handler fails too). Not comparable with CPython (which would use all memory):
# tests/gc_limits.rs runs it translated with every collector.


class Chunk(object):
    def __init__(self, n, next):
        self.items = [n] * 1000
        self.next = next


def grow():
    head = None
    n = 0
    while True:
        head = Chunk(n, head)
        n += 1


def entry_point(argv):
    for attempt in range(3):
        try:
            grow()
        except MemoryError:
            print("caught MemoryError", attempt)
    small = []
    for i in range(100):
        small.append(Chunk(i, None))
    print("after", len(small), small[99].items[0])
    return 0
