# str.lower, upper and the character-class predicates isdigit, isalpha, isalnum, isspace.


def classify(s):
    return s.isdigit(), s.isalpha(), s.isalnum(), s.isspace()


def title_words(text):
    out = []
    for w in text.split():
        out.append(w[:1].upper() + w[1:].lower())
    return " ".join(out)


def char_histogram(text):
    digits = 0
    letters = 0
    spaces = 0
    other = 0
    for ch in text:
        if ch.isdigit():
            digits += 1
        elif ch.isalpha():
            letters += 1
        elif ch.isspace():
            spaces += 1
        else:
            other += 1
    return digits, letters, spaces, other


def entry_point(argv):
    samples = ["123", "abc", "abc123", "   ", "", "12.5", "a b", "\t\n", "ABCdef", "-7", "x_y"]
    for s in samples:
        d, a, n, sp = classify(s)
        print(repr(s), d, a, n, sp)
    print("MiXeD CaSe 123!".lower(), "MiXeD CaSe 123!".upper())
    print(title_words("the QUICK brown fOX"))
    d, l, s, o = char_histogram("Room 101, floor 3: open 9am-5pm!")
    print("digits", d, "letters", l, "spaces", s, "other", o)
    word = "Straße"
    print(word.lower(), word.upper(), len(word.upper()))
    print("ÉCOLE".lower(), "café".upper(), "日本".isalpha(), "٣".isdigit(), "Ⅷ".isalnum())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
