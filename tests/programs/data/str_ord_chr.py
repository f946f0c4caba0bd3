# run:
# run: 3 Attack at dawn!
# ord and chr: Caesar cipher, rot13, and code points of ASCII and non-ASCII characters.


def shift_char(ch, k):
    o = ord(ch)
    if ord("a") <= o <= ord("z"):
        return chr((o - ord("a") + k) % 26 + ord("a"))
    if ord("A") <= o <= ord("Z"):
        return chr((o - ord("A") + k) % 26 + ord("A"))
    return ch


def caesar(text, k):
    parts = []
    for ch in text:
        parts.append(shift_char(ch, k))
    return "".join(parts)


def checksum(text):
    h = 0
    for ch in text:
        h = (h * 31 + ord(ch)) % 1000000007
    return h


def entry_point(argv):
    k = 13
    text = "Hello, World! The quick brown fox."
    if len(argv) > 2:
        k = int(argv[1])
        text = " ".join(argv[2:])
    enc = caesar(text, k)
    print(enc)
    print(caesar(enc, 26 - k))
    print(caesar(enc, -k) == text)
    print(ord("A"), ord("z"), ord("0"), ord(" "), ord("\n"), ord("é"), ord("€"), ord("😀"))
    print(chr(65), chr(97) + chr(98), chr(233), chr(8364), chr(128512), repr(chr(10)), repr(chr(0)))
    alphabet = ""
    for i in range(26):
        alphabet += chr(ord("a") + i)
    print(alphabet, len(alphabet))
    print(checksum(text), checksum(enc), checksum("ünïcödé"))
    codes = []
    for ch in "Kiln€":
        codes.append(ord(ch))
    print(codes)
    back = ""
    for c in codes:
        back += chr(c)
    print(back)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
