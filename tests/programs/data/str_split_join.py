# run:
# run: a,b,,c
# str.split with and without a separator, str.join, and round trips between them.


def show(parts):
    out = []
    for p in parts:
        out.append("[" + p + "]")
    return " ".join(out)


def normalize_spaces(text):
    return " ".join(text.split())


def parse_kv(line):
    pairs = line.split(";")
    keys = []
    values = []
    for p in pairs:
        if p == "":
            continue
        kv = p.split("=")
        if len(kv) != 2:
            print("bad pair:", p)
            continue
        keys.append(kv[0].strip())
        values.append(kv[1].strip())
    return keys, values


def entry_point(argv):
    samples = ["  hello   world  ", "one", "", "   ", "a\tb\nc  d\r\ne", "x y z"]
    for s in samples:
        print(len(s.split()), show(s.split()))
    csv = "a,b,,c,"
    if len(argv) > 1:
        csv = argv[1]
    parts = csv.split(",")
    print(len(parts), show(parts))
    print(",".join(parts) == csv)
    print(show("a--b----c".split("--")))
    print(show("--".split("--")))
    print(show("abc".split("abc")))
    print(show("no separator here".split("|")))
    print(normalize_spaces("  too    many\t\tspaces \n here "))
    keys, values = parse_kv("name = kiln; lang=rpy ;; broken; version= 1 ")
    for i in range(len(keys)):
        print(keys[i] + ":" + values[i])
    print("-".join([]) == "", "+".join(["solo"]), ", ".join(["x", "y", "z"]))
    path = "/usr/local/lib/python3"
    comps = path.split("/")
    print(len(comps), show(comps), "/".join(comps[:-1]))
    lines = "line one\nline two\n\nline four".split("\n")
    for i, ln in enumerate(lines):
        print(i, len(ln.split()), ln)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
