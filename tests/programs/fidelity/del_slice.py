# run:
# run: 1 2
# del lst[a:b], del lst[a:], del lst[:b], del lst[:] with negative and clamped bounds.


def show(label, lst):
    print(label, lst, len(lst))


def entry_point(argv):
    n = len(argv)
    base = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    a = base[:]
    del a[2:5]
    show("2:5", a)
    b = base[:]
    del b[n:]
    show("n:", b)
    c = base[:]
    del c[:n + 3]
    show(":n+3", c)
    d = base[:]
    del d[-3:-1]
    show("-3:-1", d)
    e = base[:]
    del e[7:3]
    show("7:3", e)
    f = base[:]
    del f[-100:100]
    show("all", f)
    g = ["x", "y", "z"]
    del g[:]
    g.append("w")
    print(":", g, len(g))
    h = [[1], [2], [3], [4]]
    del h[1:3]
    print("lists", h, len(h))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
