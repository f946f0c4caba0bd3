# run:
# run: x
# run: x y
# `<`, `<=`, `>`, `>=` on a str or list that may be None: CPython raises TypeError when
# it is None (with the operand types in the message) and compares otherwise.


def pick(n):
    if n > 1:
        return "m"
    return None


def pick_list(n):
    if n > 2:
        return [n, 1]
    return None


def entry_point(argv):
    n = len(argv)
    p = pick(n)
    for probe in ["a", "m", "z"]:
        try:
            print(p < probe, p <= probe, probe > p, probe >= p)
        except TypeError as e:
            print("TypeError:", e)
    try:
        print("b" < p)
    except TypeError as e:
        print("TypeError:", e)
    q = pick_list(n)
    try:
        print(q < [2], [9] > q)
    except TypeError as e:
        print("TypeError:", e)
    if n == 1:
        print(p > "a")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
