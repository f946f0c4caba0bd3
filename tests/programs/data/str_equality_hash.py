# Strings built in different ways compare equal, hash equal and find the same dict entries; hashes are only compared.


def build_slow(parts):
    s = ""
    for p in parts:
        s += p
    return s


def entry_point(argv):
    a = "hello world"
    b = build_slow(["hel", "lo", " ", "wor", "ld"])
    c = " ".join(["hello", "world"])
    d = "HELLO WORLD".lower()
    e = "xxhello worldxx"[2:-2]
    forms = [a, b, c, d, e]
    for f in forms:
        print(f == a, f is not None, hash(f) == hash(a), len(f), f < "hello worle")
    table = {}
    table[a] = 1
    for f in forms:
        table[f] = table[f] + 1
    print(table, len(table))
    chars = {}
    for ch in "mississippi":
        chars[ch] = chars.get(ch, 0) + 1
    print(chars, chars["s"], chars[str("ppi"[0])])
    print(hash(42) == hash(42), hash((1, "a")) == hash((1, "a")), hash("") == hash(""), hash(1.5) == hash(1.5))
    words = "one two three two one".split()
    first = {}
    for i, w in enumerate(words):
        first.setdefault(w, i)
    print(first)
    u1 = "caf" + "é"
    u2 = "café"[:4]
    print(u1 == u2, hash(u1) == hash(u2), {u1: 1}.get(u2, 0))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
