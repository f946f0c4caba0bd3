# run:
# run: wörld
# run: é -3
# str.startswith/endswith with start and end, as CPython normalises them: negative
# bounds count from the end, an end past the string is clamped, and a window shorter
# than the prefix never matches, even an empty one.


def show(s, p):
    n = len(s)
    line = []
    for a in [0, 1, 3, 6, -1, -5, -100, n, n + 1]:
        line.append("1" if s.startswith(p, a) else "0")
        line.append("1" if s.endswith(p, 0, a) else "0")
        for b in [2, 7, -2, 100]:
            line.append("1" if s.startswith(p, a, b) else "0")
            line.append("1" if s.endswith(p, a, b) else "0")
    print(p, "".join(line))


def entry_point(argv):
    s = "hello wörld é"
    for p in ["", "h", "hello", "wö", "ld", "é", "l", "zz"]:
        show(s, p)
    if len(argv) > 1:
        show(s, argv[1])
    if len(argv) > 2:
        k = int(argv[2])
        print(s.startswith(argv[1], k), s.endswith(argv[1], k), s.endswith(argv[1], k, -k))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
