# run:
# run: 5
# @always_inline (the backend inlines every call): a fast path that calls out of line for
# its slow path, a method, a function that raises, and one called from a loop.

from kiln.objectmodel import always_inline


class Box(object):
    def __init__(self, items):
        self.items = items
        self.misses = 0

    @always_inline
    def get(self, i):
        if 0 <= i < len(self.items):
            return self.items[i]
        return self.get_slow(i)

    def get_slow(self, i):
        self.misses += 1
        return -1


@always_inline
def checked_div(a, b):
    if b == 0:
        raise ZeroDivisionError("b is zero")
    return a // b


def entry_point(argv):
    n = 3
    if len(argv) > 1:
        n = int(argv[1])
    box = Box([i * i for i in range(n)])
    total = 0
    for i in range(-2, n + 3):
        total += box.get(i)
    print("total", total, "misses", box.misses)
    for b in [3, 0, -2]:
        try:
            print("div", checked_div(17, b))
        except ZeroDivisionError as e:
            print("caught", str(e))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
