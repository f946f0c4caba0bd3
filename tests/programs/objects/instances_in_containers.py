# run:
# run: 6
# Instances stored in lists, as dict values and in attributes of other instances; mutation through each path.


class Item(object):
    def __init__(self, name, qty):
        self.name = name
        self.qty = qty


class Inventory(object):
    def __init__(self):
        self.items = []
        self.by_name = {}
        self.last = None

    def add(self, name, qty):
        if name in self.by_name:
            it = self.by_name[name]
            it.qty += qty
        else:
            it = Item(name, qty)
            self.items.append(it)
            self.by_name[name] = it
        self.last = it
        return it

    def take(self, name, qty):
        it = self.by_name.get(name, None)
        if it is None:
            return 0
        got = min(qty, it.qty)
        it.qty -= got
        return got

    def total(self):
        t = 0
        for it in self.items:
            t += it.qty
        return t


def entry_point(argv):
    n = 4
    if len(argv) > 1:
        n = int(argv[1])
    inv = Inventory()
    names = ["apple", "pear", "fig"]
    for i in range(n):
        inv.add(names[i % 3], i + 1)
    print(inv.total(), len(inv.items), len(inv.by_name))
    print(inv.take("apple", 3), inv.take("kiwi", 1), inv.take("pear", 100))
    last = inv.last
    if last is not None:
        print("last", last.name, last.qty)
    for it in inv.items:
        print(it.name, it.qty, inv.by_name[it.name] is it)
    grid = [[Item("x", 0)], [Item("y", 1), Item("z", 2)]]
    grid[1][0].qty += 5
    for row in grid:
        for it in row:
            print(it.name, it.qty)
    keys = []
    for k in inv.by_name:
        keys.append(k)
    print(",".join(keys))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
