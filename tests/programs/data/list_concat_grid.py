# run:
# run: 7 5
# List + and *, [0] * n preallocation, lists of lists as grids (Game of Life), and aliasing pitfalls.


def make_grid(rows, cols):
    g = []
    for r in range(rows):
        g.append([0] * cols)
    return g


def step(g):
    rows = len(g)
    cols = len(g[0])
    out = make_grid(rows, cols)
    for r in range(rows):
        for c in range(cols):
            n = 0
            for dr in [-1, 0, 1]:
                for dc in [-1, 0, 1]:
                    if dr == 0 and dc == 0:
                        continue
                    rr = (r + dr) % rows
                    cc = (c + dc) % cols
                    n += g[rr][cc]
            if g[r][c] == 1 and (n == 2 or n == 3):
                out[r][c] = 1
            elif g[r][c] == 0 and n == 3:
                out[r][c] = 1
    return out


def show(g):
    for row in g:
        print("".join(["#" if x == 1 else "." for x in row]))


def entry_point(argv):
    rows = 6
    cols = 6
    if len(argv) > 2:
        rows = int(argv[1])
        cols = int(argv[2])
    a = [1, 2, 3]
    b = [4, 5]
    print(a + b, b + a, a * 2, [0] * 5, [] * 3, 2 * b, a + [], len(a * 3))
    c = a
    c.append(4)
    print(a, a is c)
    d = a + []
    d.append(5)
    print(a, d)
    shared = [[0] * 3] * 2
    shared[0][0] = 1
    print(shared)
    g = make_grid(rows, cols)
    g[0][1] = 1
    g[1][2] = 1
    g[2][0] = 1
    g[2][1] = 1
    g[2][2] = 1
    for gen in range(4):
        print("generation", gen)
        show(g)
        g = step(g)
    alive = 0
    for row in g:
        alive += sum(row)
    print("alive", alive)
    counts = [0] * 10
    for x in [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]:
        counts[x] += 1
    print(counts)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
