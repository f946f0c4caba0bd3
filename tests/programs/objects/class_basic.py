# run:
# run: 5
# Classes: __init__, methods that read and write attributes, several instances.


class Counter(object):
    def __init__(self, name, start):
        self.name = name
        self.value = start
        self.steps = 0

    def incr(self, by):
        self.value += by
        self.steps += 1
        return self.value

    def reset(self):
        old = self.value
        self.value = 0
        return old

    def describe(self):
        return "%s=%d after %d steps" % (self.name, self.value, self.steps)


class Pair(object):
    def __init__(self, a, b):
        self.first = a
        self.second = b

    def swap(self):
        return Pair(self.second, self.first)

    def total(self):
        return self.first.value + self.second.value


def entry_point(argv):
    n = 3
    if len(argv) > 1:
        n = int(argv[1])
    a = Counter("a", 10)
    b = Counter("b", -4)
    for i in range(n):
        a.incr(i)
        b.incr(2 * i + 1)
    print(a.describe())
    print(b.describe())
    p = Pair(a, b)
    q = p.swap()
    print(q.first.name, q.second.name, q.total())
    print(a.reset(), a.value, a.steps)
    print(p.total())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
