# dict methods: get with a default, setdefault, pop, keys, values, items, update, clear, copy, del, in, len.


def entry_point(argv):
    stock = {"apple": 5, "pear": 0, "fig": 12}
    print(stock, len(stock))
    print(stock["apple"], stock.get("fig", 0), stock.get("kiwi", -1), stock.get("pear", 99))
    print(stock.setdefault("plum", 7), stock.setdefault("apple", 100), stock)
    print(stock.pop("pear"), stock.pop("nope", -5), stock)
    stock["fig"] += 3
    stock["grape"] = 1
    print([k for k in stock.keys()], [v for v in stock.values()], [kv for kv in stock.items()])
    print("fig" in stock, "pear" in stock, "pear" not in stock)
    del stock["apple"]
    print(stock, len(stock))
    extra = {"fig": 0, "melon": 4}
    stock.update(extra)
    print(stock)
    snapshot = stock.copy()
    stock.clear()
    print(stock, len(stock), snapshot)
    stock["new"] = 1
    print(stock, snapshot.get("new", 0))
    ks = [k for k in snapshot.keys()]
    vs = [v for v in snapshot.values()]
    total = 0
    for i in range(len(ks)):
        total += vs[i]
        print(ks[i], vs[i])
    print("total", total, sum(vs), max(vs), sorted(snapshot.keys()), len(snapshot.items()))
    for k, v in snapshot.items():
        snapshot[k] = v * 10
    print(snapshot)
    names = {}
    print(names, len(names), names.get("x", "none"), "x" in names)
    names["x"] = "ex"
    print(names.get("x", "none"), names.pop("x"), names)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
