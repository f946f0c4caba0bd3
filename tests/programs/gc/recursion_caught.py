# Unbounded recursion raises RecursionError, which RPy code catches, through direct,
# mutual, method and function-value recursion; the program then goes on normally.


def down(n):
    return down(n + 1) + 1


def ping(n):
    return pong(n + 1)


def pong(n):
    return ping(n + 1)


class Walker(object):
    def step(self, n):
        return self.step(n + 1)


def via_value(f, n):
    return f(f, n + 1)


def apply_self(f, n):
    return via_value(f, n)


def attempt(which):
    try:
        if which == 0:
            down(0)
        elif which == 1:
            ping(0)
        elif which == 2:
            Walker().step(0)
        else:
            apply_self(apply_self, 0)
    except RecursionError:
        return "caught"
    return "returned"


def entry_point(argv):
    for which in range(4):
        print(which, attempt(which))
    print(attempt(0), "again")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
