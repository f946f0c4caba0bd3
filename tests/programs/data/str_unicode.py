# Non-ASCII text indexed, sliced, measured, compared and searched by code point, not by byte.


def reverse(s):
    out = []
    i = len(s) - 1
    while i >= 0:
        out.append(s[i])
        i -= 1
    return "".join(out)


def entry_point(argv):
    words = ["naïve", "café", "日本語テキスト", "Ελληνικά", "emoji😀x", "Zürich", "zebra", "Ångström", "ß"]
    for w in words:
        print(w, len(w), w[0], w[-1], w[1:3], w[-2:], reverse(w), w.find("é"), w.upper(), w.lower())
    ordered = sorted(words)
    print(" < ".join(ordered))
    print("é" > "z", "日" > "é", "😀" > "日", "Ä" < "a", "café" < "cafë")
    s = "→ arrows ← and ↑ symbols ↓"
    arrows = []
    for i in range(len(s)):
        if ord(s[i]) > 127:
            arrows.append(str(i) + ":" + s[i])
    print(" ".join(arrows))
    print(s.split(" "), s.count("↑"), s.replace("←", "<-"), "↓" in s, s.rfind("a"))
    mixed = "aé日😀"
    total = 0
    for ch in mixed:
        total += ord(ch)
    print(len(mixed), total, mixed[1:], mixed[:-1], mixed[2], mixed * 2)
    padded = f"[{'日本':>6}][{'é':^5}][{'ü':<3}]"
    print(padded, len(padded))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
