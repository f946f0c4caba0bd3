# Word frequency counting over a text: lowercase, punctuation stripping, dict counts, sorting by count.

TEXT = """It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief, it was the
epoch of incredulity, it was the season of Light, it was the season of Darkness,
it was the spring of hope, it was the winter of despair."""


def words_of(text):
    out = []
    for raw in text.split():
        w = raw.strip(".,;:!?\"'").lower()
        if w != "":
            out.append(w)
    return out


def entry_point(argv):
    words = words_of(TEXT)
    print("words", len(words))
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    print("distinct", len(counts))
    ranked = []
    for w, c in counts.items():
        ranked.append((-c, w))
    ranked.sort()
    for i in range(8):
        neg, w = ranked[i]
        print(w, -neg)
    longest = ""
    for w in counts:
        if len(w) > len(longest) or (len(w) == len(longest) and w < longest):
            longest = w
    print("longest", longest, len(longest))
    letters = {}
    for w in words:
        for ch in w:
            letters[ch] = letters.get(ch, 0) + 1
    keys = sorted(letters.keys())
    line = ""
    for k in keys:
        line += k + str(letters[k]) + " "
    print(line.rstrip())
    first_seen = []
    seen = {}
    for w in words:
        if w not in seen:
            seen[w] = len(first_seen)
            first_seen.append(w)
    print(" ".join(first_seen[:10]))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
