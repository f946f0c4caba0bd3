# print with sep= and end=, printing of every kind of value: floats, None, bools, lists, tuples, dicts, nesting.


def entry_point(argv):
    print("a", "b", "c", sep="-")
    print("a", "b", "c", sep="")
    print("no newline", end="")
    print(" ... continued")
    print(1, 2, 3, sep=", ", end=".\n")
    print("x", end="")
    print("y", end="")
    print("z")
    print(sep="|")
    print(end="")
    print()
    print("multi", "char", sep=" <-> ", end=" [end]\n")
    print(1, 2.5, True, None, "s", sep="|")
    for i in range(5):
        print(i, end=" " if i < 4 else "\n")
    print([1, 2, 3], [], [[1], [2, 3]], ["a", "b'c", 'd"e'])
    print((1,), (1, 2), ((1, "x"), 2.0))
    print({}, {1: "one"}, {"k": [1, 2]}, {(1, 2): None}, {"nested": {"a": 1.5}})
    print([None, None], [1.0, -0.0, 1e20, 1e-20], [True, False])
    print("tab\tsep", "new\nline", "quote'd", sep="#")
    print(["tab\tsep", "new\nline", "quote'd", "both'\"", "back\\slash", "é", "\x01"])
    words = ["alpha", "beta", "gamma"]
    for i in range(len(words)):
        print(words[i], end=", " if i < len(words) - 1 else "\n")
    print(words[0], words[1], words[2], sep="\n")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
