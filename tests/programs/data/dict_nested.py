# Nested dicts (str -> dict of str -> int): an inventory with transfers, totals per item, and sorted reports.


def add(inv, store, item, qty):
    if store not in inv:
        inv[store] = {}
    shelf = inv[store]
    shelf[item] = shelf.get(item, 0) + qty
    if shelf[item] == 0:
        del shelf[item]


def transfer(inv, src, dst, item, qty):
    have = inv.get(src, {}).get(item, 0)
    if have < qty:
        return False
    add(inv, src, item, -qty)
    add(inv, dst, item, qty)
    return True


def entry_point(argv):
    inv = {}
    for line in ["north apples 10", "north pears 4", "south apples 3", "east plums 12", "south figs 7", "north apples 5"]:
        f = line.split()
        add(inv, f[0], f[1], int(f[2]))
    print(inv)
    print(transfer(inv, "north", "east", "apples", 15), transfer(inv, "south", "east", "apples", 5), transfer(inv, "west", "east", "figs", 1))
    print(transfer(inv, "north", "south", "pears", 4))
    print(inv)
    totals = {}
    for store, shelf in inv.items():
        for item, qty in shelf.items():
            totals[item] = totals.get(item, 0) + qty
    for item in sorted(totals.keys()):
        where = sorted([s for s in inv if item in inv[s]])
        print(item, totals[item], where)
    empty_stores = [s for s, shelf in inv.items() if len(shelf) == 0]
    print("empty:", empty_stores)
    copy = {}
    for s, shelf in inv.items():
        copy[s] = shelf.copy()
    copy["east"]["plums"] = 0
    print(inv["east"]["plums"], copy["east"]["plums"])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
