# run:
# run: 12 x3 -4 0x10 7.5
# ValueError caught from int(), int(s, base), float() and list.index, plus raising ValueError with a message.


def parse_int(s):
    try:
        return int(s)
    except ValueError as e:
        print("bad int:", e)
        return 0


def parse_float(s):
    try:
        return float(s)
    except ValueError as e:
        print("bad float:", e)
        return -1.0


def parse_based(s, base):
    try:
        return int(s, base)
    except ValueError as e:
        print("bad base", base, "int:", e)
        return -1


def checked_percent(x):
    if x < 0 or x > 100:
        raise ValueError("percentage out of range: " + str(x))
    return x


def entry_point(argv):
    inputs = ["42", "abc", "", " 7 ", "3.5", "1_0", "_1", "--5", "+", "12a", "٣"]
    if len(argv) > 1:
        inputs = argv[1:]
    total = 0
    for s in inputs:
        total += parse_int(s)
    print("total", total)
    for s in ["1.5", "1e3", "abc", "", "1.2.3", "-inf", " 2 ", "0x10"]:
        print(parse_float(s))
    print(parse_based("ff", 16), parse_based("fg", 16), parse_based("102", 2), parse_based("z", 36), parse_based("9", 8))
    for p in [50, 101, -1, 0]:
        try:
            print("ok", checked_percent(p))
        except ValueError as e:
            print("error", e)
    letters = ["a", "b", "c"]
    try:
        letters.index("d")
    except ValueError as e:
        print("index:", e)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
