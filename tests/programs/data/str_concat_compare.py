# String +, *, ordering comparisons, equality and the `in` operator on substrings and characters.


def banner(text, width):
    pad = width - len(text) - 2
    left = pad // 2
    right = pad - left
    line = "*" * width
    return line + "\n" + "*" + " " * left + text + " " * right + "*" + "\n" + line


def compare(a, b):
    if a < b:
        return "<"
    elif a > b:
        return ">"
    return "=="


def entry_point(argv):
    print(banner("hello", 13))
    print(banner("kiln", 10))
    words = ["pear", "apple", "Apple", "app", "apple", "", "zebra", "a", "ab", "b"]
    for i in range(len(words) - 1):
        a = words[i]
        b = words[i + 1]
        print(repr(a), compare(a, b), repr(b), a <= b, a >= b, a != b, a == b)
    print("ab" * 3, "x" * 0 == "", "-" * -2 == "", 3 * "ha")
    acc = ""
    for w in words:
        acc = acc + w + ","
    print(acc)
    hay = "the quick brown fox jumps over the lazy dog"
    for needle in ["quick", "fox j", "cat", "", "dog", "the l", "g", "Q"]:
        print(repr(needle), needle in hay, needle not in hay)
    ch = hay[4]
    print(ch, ch in "aeiou", ch in "qrs", ch == "q", ch < "r", "p" < ch)
    s = "abc"
    t = "ab" + "c"
    print(s == t, s is not None, s < "abcd", "abcd" < "abd", "B" < "a", "" < "a")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
