# run:
# run: 9 -3 7 0 7 2
# list.sort and sorted on ints, floats, strings and tuples, with reverse=, and sort stability via tuples.


def entry_point(argv):
    nums = [31, -4, 15, 9, 2, 6, 5, 35, 8, 9, 7, 9, -3]
    if len(argv) > 1:
        nums = [int(a) for a in argv[1:]]
    s = sorted(nums)
    print(s, nums)
    print(sorted(nums, reverse=True))
    nums.sort()
    print(nums, nums == s)
    nums.sort(reverse=True)
    print(nums)
    fl = [2.5, -1.0, 3.25, 0.0, -0.5, 10.0]
    fl.sort()
    print(fl, sorted(fl, reverse=True))
    zeros = [0.0, -0.0, 1.0, -0.0, 0.0, -1.0, -0.0]
    print(sorted(zeros), sorted(zeros, reverse=True))
    zeros.sort(reverse=True)
    print(zeros)
    words = ["banana", "Apple", "cherry", "apple", "Banana", "date", "", "fig", "éclair"]
    print(sorted(words))
    words.sort(reverse=True)
    print(words)
    people = [("smith", 34, "ann"), ("jones", 28, "bob"), ("smith", 28, "cat"), ("brown", 34, "dan"), ("jones", 28, "abe")]
    people.sort()
    for p in people:
        print(p)
    records = ["d3", "a1", "c3", "b1", "e2", "f1", "g3"]
    keyed = []
    for i in range(len(records)):
        keyed.append((int(records[i][1:]), i, records[i]))
    keyed.sort()
    print([t[2] for t in keyed])
    empty = []
    empty.append(0)
    empty.pop()
    empty.sort()
    print(empty, sorted([1]), sorted([2, 1]))
    big = [(i * 7919) % 1000 for i in range(500)]
    big.sort()
    ok = True
    for i in range(1, len(big)):
        if big[i - 1] > big[i]:
            ok = False
    print("sorted 500:", ok, big[:5], big[-5:])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
