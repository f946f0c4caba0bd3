# run:
# run: 3
# An out-of-range string index escapes entry_point: IndexError: string index out of range.


def char_at(s, i):
    return s[i]


def entry_point(argv):
    word = "kiln"
    extra = 0
    if len(argv) > 1:
        extra = int(argv[1])
    for i in range(len(word)):
        print(i, char_at(word, i))
    print(char_at(word, -4))
    print(char_at(word, len(word) + extra))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
