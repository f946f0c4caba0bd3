# str.strip, lstrip and rstrip, with default whitespace and with explicit character sets.


def brackets(s):
    return "<" + s + ">"


def clean_config(lines):
    result = []
    for raw in lines:
        line = raw.strip()
        if line == "" or line.startswith("#"):
            continue
        result.append(line.rstrip(";").strip())
    return result


def entry_point(argv):
    tests = ["  padded  ", "\t\ntabs and newlines\r\n ", "", "    ", "none", " left", "right "]
    for t in tests:
        print(brackets(t.strip()), brackets(t.lstrip()), brackets(t.rstrip()))
    print(brackets("xxhixx".strip("x")), brackets("xyxhiyx".strip("xy")), brackets("xyz".strip("xyz")))
    print(brackets("0001200".lstrip("0")), brackets("0001200".rstrip("0")), brackets("0001200".strip("0")))
    print(brackets("...hello!!!".strip(".!")), brackets("abc".strip("")), brackets("  abc  ".strip(" a")))
    print(brackets("www.example.com".lstrip("w.")), brackets("example.com/".rstrip("/")))
    config = ["# comment", "  name = demo;  ", "", "size=10;;", "   # another", "  mode = fast  "]
    for c in clean_config(config):
        print(brackets(c))
    total = 0
    for field in [" 12", "7 ", " 30 ", "\t5\n"]:
        total += int(field.strip())
    print("total", total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
