# for over enumerate, zip (two and three lists, unequal lengths), reversed, and strings, with tuple targets.


def entry_point(argv):
    names = ["ann", "bob", "cy", "dee"]
    scores = [88, 92, 75]
    weights = [1.0, 0.5, 2.0, 3.0]
    for i, n in enumerate(names):
        print(i, n)
    for n, s in zip(names, scores):
        print(n, s)
    for n, s, w in zip(names, scores, weights):
        print(n, s, w, s * w)
    for n in reversed(names):
        print(n, end=" ")
    print()
    for i, ch in enumerate("kiln"):
        print(i, ch, end="; ")
    print()
    for a, b in zip("abc", "xyz"):
        print(a + b, end=" ")
    print()
    for i, s in enumerate(reversed(scores)):
        print(i, s)
    rows = [[1, 2, 3], [4, 5, 6]]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            print("(%d,%d)=%d" % (r, c, v), end=" ")
    print()
    dot = 0
    for x, y in zip([1, 2, 3, 4], [10, 20, 30, 40]):
        dot += x * y
    print("dot", dot)
    nums = [5, 3, 9, 1]
    best_i = 0
    for i, v in enumerate(nums):
        if v > nums[best_i]:
            best_i = i
    print("max at", best_i)
    count = 0
    for v in reversed([]):
        count += 1
    print("empty reversed", count)
    pairs = [(i, v) for i, v in enumerate(names) if i % 2 == 0]
    print(pairs)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
