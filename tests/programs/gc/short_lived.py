# Many short-lived objects: tuples, small lists and instances made and dropped in a loop.


class Vec(object):
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, o):
        return Vec(self.x + o.x, self.y + o.y)


def entry_point(argv):
    acc = Vec(0, 0)
    step = Vec(1, 2)
    for i in range(100000):
        acc = acc.add(step)
        if i % 3 == 0:
            pair = (i, [i, i + 1])
            acc = acc.add(Vec(pair[1][1] % 5, pair[0] % 7))
    print(acc.x, acc.y)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
