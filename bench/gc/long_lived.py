# A GC benchmark for old-to-young pointers: a large structure that lives for the whole
# run (a list of N cells, each pointing to a leaf, and a table of rows of leaves), into
# which the program keeps writing freshly allocated objects. Every store of a young
# object into an old list item or an old object's field goes through incminimark's write
# barrier (card marking for the big lists); the short-lived garbage allocated alongside
# keeps the nursery turning over, so minor collections must find those old-to-young
# pointers. A checksum over the whole structure is printed after every round.
#
#     kiln translate bench/gc/long_lived.py -o build/bench/long_lived --gc incminimark
#     build/bench/long_lived 300000 8 300000
#     PYTHONPATH=runtime/python python3 bench/gc/long_lived.py 300000 8 300000
#
# Arguments: the number of cells N (default 300000), the number of rounds (default 8)
# and the number of writes per round (default 300000).

ROW_LENGTH = 1000
MODULUS = 1000003


class Leaf(object):
    def __init__(self, value):
        self.value = value


class Cell(object):
    def __init__(self, key, leaf):
        self.key = key
        self.leaf = leaf
        self.link = None


class Random(object):
    """A linear congruential generator that gives the same numbers on every platform."""

    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return (self.state >> 8) % bound


def build(n):
    cells = []
    i = 0
    while i < n:
        cells.append(Cell(i % MODULUS, Leaf(i % 97)))
        i += 1
    # Link every cell to another one, so the structure is a graph, not only a list.
    i = 0
    while i < n:
        cells[i].link = cells[(i * 7 + 1) % n]
        i += 1
    return cells


def build_table(rows):
    table = []
    r = 0
    while r < rows:
        row = [Leaf(r) for _ in range(ROW_LENGTH)]
        table.append(row)
        r += 1
    return table


def checksum(cells, table):
    total = 0
    for cell in cells:
        total += cell.key + cell.leaf.value
        link = cell.link
        if link is not None:
            total += link.key % 7
    for row in table:
        for leaf in row:
            total += leaf.value
    return total % MODULUS


def churn(cells, table, rng, writes, round_number):
    n = len(cells)
    rows = len(table)
    garbage = 0
    w = 0
    while w < writes:
        kind = w % 4
        i = rng.next(n)
        if kind == 0:
            # A young cell into the big list (an item store: card marking).
            fresh = Cell((i + round_number) % MODULUS, Leaf(w % 89))
            fresh.link = cells[rng.next(n)]
            cells[i] = fresh
        elif kind == 1:
            # A young leaf into an old cell (a field store: the object's barrier).
            cells[i].leaf = Leaf((w + round_number) % 101)
        elif kind == 2:
            # A young leaf into a row of the table (item store into a mid-sized list).
            row = table[rng.next(rows)]
            row[rng.next(ROW_LENGTH)] = Leaf(i % 103)
        else:
            # An old cell's link to a fresh cell that links back into the structure.
            fresh = Cell(w % MODULUS, cells[i].leaf)
            fresh.link = cells[rng.next(n)]
            cells[i].link = fresh
        # Short-lived garbage: a small temporary list of leaves, dropped at once.
        temp = [Leaf(w), Leaf(i)]
        garbage += temp[0].value % 3 + temp[1].value % 5
        w += 1
    return garbage


def run(n, rounds, writes):
    rng = Random(42)
    cells = build(n)
    table = build_table(max(1, n // 5000))
    print("built %d cells, %d rows: checksum %d" % (n, len(table), checksum(cells, table)))
    r = 1
    while r <= rounds:
        garbage = churn(cells, table, rng, writes, r)
        print("round %d: checksum %d garbage %d" % (r, checksum(cells, table), garbage))
        r += 1


def entry_point(argv):
    n = 300000
    rounds = 8
    writes = 300000
    if len(argv) > 1:
        n = int(argv[1])
    if len(argv) > 2:
        rounds = int(argv[2])
    if len(argv) > 3:
        writes = int(argv[3])
    if n < 1 or rounds < 0 or writes < 0:
        print("usage: long_lived [CELLS [ROUNDS [WRITES]]]")
        return 2
    run(n, rounds, writes)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
