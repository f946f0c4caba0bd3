# run:
# run: abracadabra
# String indexing, slicing with negative indices, len and iteration over characters.


def show_slices(s):
    n = len(s)
    print("len", n)
    print("first", s[0], "last", s[-1], "middle", s[n // 2])
    print("[2:]", s[2:], "[:3]", s[:3], "[-4:]", s[-4:], "[:-4]", s[:-4])
    print("[1:-1]", s[1:-1], "[-5:-2]", s[-5:-2])
    print("[100:]", "<" + s[100:] + ">", "[-100:2]", s[-100:2], "[5:2]", "<" + s[5:2] + ">")
    print("[:]", s[:], "[0:0]", "<" + s[0:0] + ">")


def count_vowels(s):
    n = 0
    for ch in s:
        if ch in "aeiouAEIOU":
            n += 1
    return n


def reverse(s):
    out = ""
    i = len(s) - 1
    while i >= 0:
        out += s[i]
        i -= 1
    return out


def rotations(s):
    result = []
    for i in range(len(s)):
        result.append(s[i:] + s[:i])
    return result


def entry_point(argv):
    if len(argv) > 1:
        word = argv[1]
    else:
        word = "slicing strings"
    show_slices(word)
    print("vowels", count_vowels(word))
    print("reversed", reverse(word))
    rots = rotations(word[:5])
    for r in rots:
        print(r)
    print(min(rots), max(rots))
    i = -1
    while i >= -len(word):
        if word[i] == word[len(word) + i]:
            pass
        else:
            print("mismatch at", i)
        i -= 3
    prefixes = 0
    for k in range(len(word) + 1):
        if word[:k] + word[k:] == word:
            prefixes += 1
    print("prefix splits", prefixes)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
