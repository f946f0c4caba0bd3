# run:
# run: abc
# bytes: literals (ASCII and \xNN), len, slicing, +, *, ==/!= (with str: False), ordering, in, indexing and iteration giving ints, os.write, decode/encode, print/str/repr as b'...'.
import os
import sys

GREETING = b"hello, world"
RAW = b"\x00\x7f\x80\xff"
QUOTES = b"it's"
BOTH = b"it's \"q\""
TABS = b"a\tb\nc\r\\"


def pick(argv):
    if len(argv) > 1:
        return b"---> "
    return b""


def checksum(b):
    total = 0
    for x in b:
        total = total * 31 + x
    return total


def show_ints(b):
    parts = []
    for i in range(len(b)):
        parts.append(str(b[i]))
    return ",".join(parts)


def entry_point(argv):
    prompt = pick(argv)
    print(len(prompt), prompt, repr(prompt), str(prompt))
    print(GREETING, len(GREETING), GREETING[0], GREETING[-1], b"\n"[0])
    print(GREETING[7:], GREETING[:5], GREETING[::2], GREETING[::-1])
    print(show_ints(RAW), checksum(RAW), len(RAW))
    print(show_ints(RAW[1:3]), RAW[2] == 128, RAW[-1])
    print(QUOTES, BOTH, TABS)
    print(repr(b"\x01\x1f ~"), b"")
    joined = prompt + GREETING + b"!"
    print(joined, len(joined), joined * 2, 2 * b"ab")
    print(prompt == b"", prompt != b"", GREETING == b"hello, world", GREETING == "hello, world")
    print(GREETING != "hello, world", b"a" == 97, RAW == b"\x00\x7f\x80\xff")
    print(prompt == "---> ", prompt != "---> ", prompt == len(argv), [prompt] == [prompt + b""])
    print(b"abc" < b"abd", b"b" > b"abc", RAW[2:] > RAW[:2], b"" <= prompt)
    print(b"world" in GREETING, b"xyz" in GREETING, b"" in GREETING, b"\xff" in RAW, b"o, w" not in GREETING)
    print(GREETING.decode(), GREETING.decode("ascii"), prompt.decode("utf-8") + "|")
    enc = "h\u00e9llo".encode()
    print(enc, len(enc), enc[1], enc[1:3] == b"\xc3\xa9", "plain".encode("ascii"))
    if GREETING:
        print("nonempty")
    if not b"":
        print("empty is false")
    for x in b"\x01A":
        print(x, end=" ")
    table = {b"a": 1, b"b\xff": 2}
    table[prompt] = 3
    print(table[b"b\xff"], table[b""] if b"" in table else -1, len(table), (b"t", 1)[0])
    try:
        print(GREETING[len(argv) + 20])
    except IndexError as e:
        print("IndexError:", e)
    words = [b"one", b"two", prompt]
    print(len(words), b"two" in words, words[2] == prompt)
    sys.stdout.flush()
    n = os.write(1, joined + b"\n")
    print(n)
    return 0


if __name__ == "__main__":
    sys.exit(entry_point(sys.argv))
