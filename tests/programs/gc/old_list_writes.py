# A big list of objects that becomes old, then has young objects written into it (the
# write barrier and card marking must keep them alive).


class Box(object):
    def __init__(self, v):
        self.v = v


def entry_point(argv):
    n = 6000
    boxes = [Box(i) for i in range(n)]
    junk = 0
    for i in range(800):
        junk += len([Box(j) for j in range(10)])
    for round in range(5):
        for i in range(0, n, 7):
            boxes[i] = Box(boxes[i].v + round)
        tmp = [Box(j) for j in range(300)]
        junk += len(tmp)
    s = 0
    for b in boxes:
        s += b.v
    print(s, junk)
    holder = Box(0)
    pairs = []
    for i in range(200):
        pairs.append([holder])
    for i in range(200):
        pairs[i][0] = Box(i * i)
    print(sum([p[0].v for p in pairs]))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
