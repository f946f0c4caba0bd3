# run:
# run: hello
# D.get(e, e) with a prebuilt char->char dict and a one-character slice as key and default.

SWAP = {"a": "b", "b": "a", "h": "j"}


def translate(s):
    out = []
    for i in range(len(s)):
        e = s[i:i + 1]
        out.append(SWAP.get(e, e))
    return "".join(out)


def entry_point(argv):
    print(translate("abcabc"))
    for a in argv[1:]:
        print(translate(a))
    c = "b"
    print(SWAP.get(c, "?"), SWAP.get("zz"[0:1], "zz"))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
