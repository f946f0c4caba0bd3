# run:
# run: 9
# Tuples as dict keys: a sparse grid of (row, col) cells, BFS shortest paths on a maze, and pair counting.

MAZE = (
    "##########",
    "#S...#...#",
    "#.##.#.#.#",
    "#.#..#.#.#",
    "#.#.##.#.#",
    "#...#..#E#",
    "##.#..##.#",
    "#........#",
    "##########",
)


def neighbours(r, c):
    return [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)]


def bfs(walls, start, goal):
    dist = {}
    dist[start] = 0
    queue = [start]
    head = 0
    while head < len(queue):
        cur = queue[head]
        head += 1
        if cur == goal:
            break
        r, c = cur
        for nb in neighbours(r, c):
            if nb in walls or nb in dist:
                continue
            dist[nb] = dist[cur] + 1
            queue.append(nb)
    return dist


def entry_point(argv):
    walls = {}
    start = (0, 0)
    goal = (0, 0)
    for r in range(len(MAZE)):
        row = MAZE[r]
        for c in range(len(row)):
            ch = row[c]
            if ch == "#":
                walls[(r, c)] = True
            elif ch == "S":
                start = (r, c)
            elif ch == "E":
                goal = (r, c)
    print("walls", len(walls), "start", start, "goal", goal)
    dist = bfs(walls, start, goal)
    print("shortest path", dist.get(goal, -1), "cells explored", len(dist))
    for r in range(len(MAZE)):
        line = ""
        for c in range(len(MAZE[r])):
            if (r, c) in walls:
                line += "#"
            elif (r, c) in dist:
                line += str(dist[(r, c)] % 10)
            else:
                line += " "
        print(line)
    n = 7
    if len(argv) > 1:
        n = int(argv[1])
    sums = {}
    for a in range(1, n):
        for b in range(1, n):
            key = (a + b, a * b % n)
            sums[key] = sums.get(key, 0) + 1
    keys = sorted(sums.keys())
    print(len(keys), keys[:6], [sums[k] for k in keys[:6]])
    labels = {}
    labels[(1, "x")] = 1.5
    labels[(2, "y")] = 2.5
    labels[(1, "x")] += 10.0
    print(labels, (1, "x") in labels, (1, "y") in labels, hash((1, "x")) == hash((1, "x")))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
