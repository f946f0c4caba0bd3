# KeyError caught for missing str, int and tuple keys in [], del and pop, with str(e) showing the key's repr.


def lookup(d, k):
    try:
        return d[k]
    except KeyError as e:
        print("missing", e)
        return -1


def entry_point(argv):
    ages = {"ann": 31, "bob": 27}
    print(lookup(ages, "ann"), lookup(ages, "zed"), lookup(ages, ""), lookup(ages, "it's"))
    try:
        del ages["carl"]
    except KeyError as e:
        print("del failed:", e)
    try:
        ages.pop("dora")
    except KeyError as e:
        print("pop failed:", e)
    print(ages.pop("bob"), ages)
    squares = {1: 1, 2: 4, 3: 9}
    found = 0
    missing = 0
    for i in range(-1, 6):
        try:
            found += squares[i]
        except KeyError as e:
            missing += 1
            print("no square for", e)
    print(found, missing)
    grid = {(0, 0): "origin", (1, 0): "east"}
    try:
        print(grid[(0, 1)])
    except KeyError as e:
        print("no cell", e)
    counts = {}
    text = "abracadabra"
    for ch in text:
        try:
            counts[ch] += 1
        except KeyError:
            counts[ch] = 1
    print(counts)
    try:
        x = ages["ann"] + ages["bob"]
        print("unreachable", x)
    except KeyError as e:
        print("partial:", e, ages)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
