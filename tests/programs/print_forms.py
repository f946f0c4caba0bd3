# print() with no arguments, several arguments of mixed types, and edge-case values.


def nothing_to_say():
    print()


def entry_point(argv):
    print("plain string")
    print()
    print(0, -0, 1, -1)
    print(True, False, 3 > 2, 3 < 2)
    print("mixed", 7, True, "and", -8)
    print("")
    print("", "")
    print("tab\tseparated", "quote\"s", 'single \'quotes\'')
    print("unicode: \u00e9\u00e8 \u2192 \u03bb")
    print(9223372036854775807, -9223372036854775807 - 1)
    nothing_to_say()
    print("done")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
