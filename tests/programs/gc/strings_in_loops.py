# Strings built in loops: concatenation, joins, slices and formatting, most of it garbage.


def entry_point(argv):
    s = ""
    for i in range(3000):
        s = s + str(i % 10)
        if len(s) > 200:
            s = s[100:]
    parts = []
    for i in range(5000):
        parts.append("%d:%s" % (i, "x" * (i % 7)))
    joined = ",".join(parts)
    words = joined.split(",")
    total = 0
    for w in words:
        total += len(w.upper())
    print(len(s), s[:20], len(joined), len(words), total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
