# run:
# run: 5
# Nullable instance references narrowed by `is None` / `is not None` tests, early returns and loops.


class Node(object):
    def __init__(self, key, parent):
        self.key = key
        self.parent = parent
        self.left = None
        self.right = None


def depth(n):
    d = 0
    p = n.parent
    while p is not None:
        d += 1
        p = p.parent
    return d


def insert(root, key):
    if root is None:
        return Node(key, None)
    cur = root
    while True:
        if key < cur.key:
            nxt = cur.left
            if nxt is None:
                cur.left = Node(key, cur)
                return root
            cur = nxt
        else:
            nxt = cur.right
            if nxt is None:
                cur.right = Node(key, cur)
                return root
            cur = nxt


def find(root, key):
    cur = root
    while cur is not None and cur.key != key:
        if key < cur.key:
            cur = cur.left
        else:
            cur = cur.right
    return cur


def minimum(n):
    if n is None:
        return -1
    nxt = n.left
    while nxt is not None:
        n = nxt
        nxt = n.left
    return n.key


def entry_point(argv):
    k = 3
    if len(argv) > 1:
        k = int(argv[1])
    root = None
    for v in [50, 30, 70, 20, 40, 60, 80, 35, k]:
        root = insert(root, v)
    for v in [35, 80, 99, k]:
        n = find(root, v)
        if n is None:
            print(v, "missing")
        else:
            par = n.parent
            pk = -1 if par is None else par.key
            print(v, "depth", depth(n), "parent", pk)
    print("min", minimum(root), minimum(None))
    r = find(root, 50)
    if r is not None:
        print("root parent none", r.parent is None)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
