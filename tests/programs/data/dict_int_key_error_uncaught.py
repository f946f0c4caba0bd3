# A missing int key in a dict of tuples escapes entry_point: KeyError: -3.


def entry_point(argv):
    table = {}
    for i in range(5):
        table[i] = (i, i * i)
    total = 0
    for k in [4, 2, 0, -3, 1]:
        sq = table[k]
        total += sq[1]
        print(k, sq, total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
