# run:
# run: 3
# Graph of vertex objects: instances as dict keys (identity hashing) for visited sets and distances; BFS and DFS.


class Vertex(object):
    def __init__(self, name):
        self.name = name
        self.edges = []

    def connect(self, other):
        self.edges.append(other)
        other.edges.append(self)


def bfs(start):
    dist = {}
    dist[start] = 0
    queue = [start]
    i = 0
    while i < len(queue):
        v = queue[i]
        i += 1
        for w in v.edges:
            if w not in dist:
                dist[w] = dist[v] + 1
                queue.append(w)
    return dist, queue


def dfs(v, seen, order):
    seen[v] = True
    order.append(v.name)
    for w in v.edges:
        if w not in seen:
            dfs(w, seen, order)


def entry_point(argv):
    k = 4
    if len(argv) > 1:
        k = int(argv[1])
    vs = []
    for i in range(10):
        vs.append(Vertex("v%d" % i))
    for i in range(10):
        vs[i].connect(vs[(i + 1) % 10])
        if i % k == 0:
            vs[i].connect(vs[(i * 3 + 5) % 10])
    dist, order = bfs(vs[0])
    line = []
    for v in order:
        line.append("%s:%d" % (v.name, dist[v]))
    print(" ".join(line))
    seen = {}
    names = []
    dfs(vs[5], seen, names)
    print(" ".join(names), len(seen))
    lonely = Vertex("x")
    print(lonely in dist, vs[9] in seen)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
