# Nullable str items in lists and dict values: sparse tables, defaults filled in, and None-aware joins.


def fill(values, default):
    out = []
    for v in values:
        if v is None:
            out.append(default)
        else:
            out.append(v)
    return out


def first_present(values):
    for v in values:
        if v is not None:
            return v
    return None


def entry_point(argv):
    cells = [None, "b", None, "d", "e", None]
    print(cells, len(cells), cells.count(None))
    print(fill(cells, "-"), "".join(fill(cells, ".")))
    print(first_present(cells), first_present([None, None]), first_present([]))
    nick = {"ann": "annie", "bob": None, "cat": "kitty", "dan": None}
    for name, n in nick.items():
        if n is None:
            print(name, "has no nickname")
        else:
            print(name, "is called", n.upper())
    present = [k for k, v in nick.items() if v is not None]
    print(present, nick.get("eve", None) is None, nick.get("bob", "x") is None)
    nick["bob"] = "bobby"
    nick["cat"] = None
    print(nick)
    grid = [[None] * 3 for i in range(2)]
    grid[0][1] = "x"
    grid[1][2] = "o"
    for row in grid:
        print(" ".join(fill(row, ".")))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
