# run:
# run: 9
# Recursive and mutually recursive methods across objects, including recursion through base-class references.


class Parity(object):
    def __init__(self, other):
        self.other = other
        self.calls = 0


class Even(Parity):
    def check(self, n):
        self.calls += 1
        if n == 0:
            return True
        o = self.other
        if o is None:
            return False
        return o.check(n - 1)


class Odd(Parity):
    def check(self, n):
        self.calls += 1
        if n == 0:
            return False
        o = self.other
        if o is None:
            return False
        return o.check(n - 1)


class Fib(object):
    def __init__(self):
        self.memo = {}

    def get(self, n):
        if n < 2:
            return n
        if n in self.memo:
            return self.memo[n]
        r = self.get(n - 1) + self.get(n - 2)
        self.memo[n] = r
        return r


def entry_point(argv):
    n = 10
    if len(argv) > 1:
        n = int(argv[1])
    e = Even(None)
    o = Odd(e)
    e.other = o
    for k in range(n):
        print(k, e.check(k), o.check(k))
    print("calls", e.calls, o.calls)
    f = Fib()
    print(f.get(n * 5), len(f.memo))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
