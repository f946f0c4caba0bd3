# List slicing with negative bounds, slice assignment that grows and shrinks, del of items and slices.


def entry_point(argv):
    l = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    print(l[2:5], l[:3], l[7:], l[-3:], l[:-7], l[-5:-2], l[3:3], l[8:2], l[-100:100], l[:])
    c = l[:]
    c[0] = 99
    print(l[0], c[0])
    m = l[:]
    m[2:5] = [20, 30]
    print(m, len(m))
    m[0:0] = [-1, -2, -3]
    print(m)
    m[-2:] = []
    print(m)
    m[1:3] = [7, 7, 7, 7, 7]
    print(m)
    m[:] = [1, 2]
    print(m)
    d = [10, 11, 12, 13, 14, 15, 16]
    del d[0]
    print(d)
    del d[-1]
    print(d)
    del d[2]
    print(d)
    d[1:3] = []
    print(d)
    d[len(d):] = [100, 200]
    print(d)
    words = "the cat sat on the mat today".split()
    print(words[1:-1], " ".join(words[-3:]))
    window = 3
    for i in range(len(words) - window + 1):
        print(i, words[i:i + window])
    chunks = []
    nums = [i * 3 for i in range(11)]
    i = 0
    while i < len(nums):
        chunks.append(nums[i:i + 4])
        i += 4
    print(chunks)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
