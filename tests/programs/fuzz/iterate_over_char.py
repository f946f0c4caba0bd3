# run:
# run: x
# Found by tests/fuzz: a for loop over a one-character string (a char) was an internal error in the RTyper.


def letters(c):
    out = []
    for x in c:
        out.append(x + "!")
    return out


def entry_point(argv):
    n = len(argv)
    for x in "ab"[n - 1]:
        print(x)
    first = str(n * 7)[0]
    for y in first:
        print(y == "7", len(y))
    print(letters("q"), letters(first) == [first + "!"])
    for i, ch in enumerate("z"[0]):
        print(i, ch)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
