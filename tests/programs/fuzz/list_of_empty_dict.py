# run:
# Found by tests/fuzz: list() over a dict that never holds anything was E0401, though list(d.items()) is documented.


def entry_point(argv):
    n = len(argv)
    e = {}
    e.clear()
    print(list(e.items()), list(e), sorted(e.keys()), len(list(e.items())))
    built = {x: len(x) for x in []}
    print(list(built.items()), list(built) == [])
    # The same site later sees a dict that is filled: its type joins.
    filled = {"k": n}
    print(list(filled.items()))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
