# Lists of str: building, joining, min/max, membership, dedup, grouping anagrams via sorted letters.


def sort_letters(w):
    letters = [ch for ch in w]
    letters.sort()
    return "".join(letters)


def entry_point(argv):
    words = "listen silent enlist google gogole cat act tac dog god odg banana".split()
    print(len(words), min(words), max(words), "cat" in words, "cow" in words)
    groups = {}
    order = []
    for w in words:
        key = sort_letters(w)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(w)
    for key in order:
        print(key, groups[key], len(groups[key]))
    unique = []
    for w in words + ["cat", "dog", "eel"]:
        if w not in unique:
            unique.append(w)
    print(unique)
    lines = []
    line = []
    for w in unique:
        line.append(w)
        if len(line) == 4:
            lines.append(", ".join(line))
            line = []
    if line:
        lines.append(", ".join(line))
    for l in lines:
        print(l)
    initials = "".join([w[0].upper() for w in unique])
    print(initials, sorted(unique)[:3], sorted(unique, reverse=True)[:3])
    longest = max([len(w) for w in unique])
    print([w for w in unique if len(w) == longest])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
