# dicts of lists as graphs: adjacency from edge strings, BFS levels, DFS cycle check, topological order.

EDGES = "shirt>tie tie>jacket socks>shoes pants>shoes pants>belt belt>jacket shirt>belt undershorts>pants undershorts>shoes"


def build(edges):
    adj = {}
    indeg = {}
    for e in edges.split():
        parts = e.split(">")
        a = parts[0]
        b = parts[1]
        if a not in adj:
            adj[a] = []
        if b not in adj:
            adj[b] = []
        adj[a].append(b)
        indeg[b] = indeg.get(b, 0) + 1
        indeg.setdefault(a, 0)
    return adj, indeg


def topo(adj, indeg):
    deg = indeg.copy()
    ready = sorted([n for n in deg if deg[n] == 0])
    order = []
    while ready:
        n = ready.pop(0)
        order.append(n)
        for m in adj[n]:
            deg[m] -= 1
            if deg[m] == 0:
                ready.append(m)
                ready.sort()
    return order


def levels(adj, root):
    level = {root: 0}
    frontier = [root]
    while frontier:
        nxt = []
        for n in frontier:
            for m in adj[n]:
                if m not in level:
                    level[m] = level[n] + 1
                    nxt.append(m)
        frontier = nxt
    return level


def has_cycle(adj):
    state = {}
    for n in adj:
        state[n] = 0
    for start in adj:
        if state[start] != 0:
            continue
        stack = [(start, 0)]
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
            nbrs = adj[node]
            if i < len(nbrs):
                stack.append((node, i + 1))
                m = nbrs[i]
                if state[m] == 1:
                    return True
                if state[m] == 0:
                    stack.append((m, 0))
            else:
                state[node] = 2
    return False


def entry_point(argv):
    adj, indeg = build(EDGES)
    for n in sorted(adj.keys()):
        print(n, "->", adj[n], "indegree", indeg[n])
    print("order:", " ".join(topo(adj, indeg)))
    print("levels from undershorts:", levels(adj, "undershorts"))
    print("cycle:", has_cycle(adj))
    adj["jacket"].append("shirt")
    print("cycle after jacket>shirt:", has_cycle(adj))
    print("order now:", topo(adj, indeg))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
