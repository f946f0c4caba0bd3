# run:
# run: 25
# A binary search tree with Leaf/Node classes (a sentinel leaf instead of None): insert, contains, traversal, height.


class Tree(object):
    def insert(self, k):
        raise NotImplementedError

    def contains(self, k):
        raise NotImplementedError

    def height(self):
        return 0

    def walk(self, out):
        pass

    def size(self):
        return 0


class Empty(Tree):
    def insert(self, k):
        return Node(k, self, self)

    def contains(self, k):
        return False


class Node(Tree):
    def __init__(self, key, left, right):
        self.key = key
        self.left = left
        self.right = right

    def insert(self, k):
        if k < self.key:
            self.left = self.left.insert(k)
        elif k > self.key:
            self.right = self.right.insert(k)
        return self

    def contains(self, k):
        if k == self.key:
            return True
        if k < self.key:
            return self.left.contains(k)
        return self.right.contains(k)

    def height(self):
        a = self.left.height()
        b = self.right.height()
        return 1 + max(a, b)

    def walk(self, out):
        self.left.walk(out)
        out.append(self.key)
        self.right.walk(out)

    def size(self):
        return 1 + self.left.size() + self.right.size()


EMPTY = Empty()


def entry_point(argv):
    n = 15
    if len(argv) > 1:
        n = int(argv[1])
    t = EMPTY
    x = 7
    for i in range(n):
        x = (x * 37 + 11) % 101
        t = t.insert(x)
    out = []
    t.walk(out)
    print(out)
    print("size", t.size(), "height", t.height())
    found = []
    for k in range(0, 101, 10):
        if t.contains(k):
            found.append(k)
    print("found", found)
    print(EMPTY.size(), EMPTY.contains(3), isinstance(t, Node))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
