# A method defined only in subclasses, called on an instance of the base: AttributeError,
# caught once, then uncaught (exit 1 with CPython's last line).


class Node(object):
    def __init__(self, v):
        self.v = v


class Add(Node):
    def eval(self):
        return self.v + 1


class Mul(Node):
    def eval(self):
        return self.v * 2


def make(n):
    if n == 0:
        return Add(n)
    if n == 1:
        return Mul(n + 4)
    return Node(n)


def entry_point(argv):
    for i in range(3):
        try:
            print(make(i).eval())
        except AttributeError as e:
            print("caught:", str(e))
    print(make(len(argv) + 1).eval())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
