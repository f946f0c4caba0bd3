# run:
# run: a b
# Found by tests/fuzz: a dict.get/pop default widens the dict's values, as RPython's method_get does (was an internal error or a wrong result).


def entry_point(argv):
    n = len(argv)
    # An empty dict literal: its values are known only through the default.
    print({}.get(n, "Kiln") + "xyz")
    print({}.get("a", n) + 1)
    empty = {}
    print(empty.get(n, "q"), empty.pop(n, "p"))
    # A dict of one-character values with a longer default.
    chars = {1: "a", 2: "b"}
    print(chars.get(n, "") + "|", chars.get(n + 5, "zz"), chars.pop(n, "none"), len(chars))
    # A None default keeps the values non-nullable and the result nullable.
    words = {"x": "ex"}
    w = words.get(argv[0], None)
    print(w is None, words["x"].upper())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
