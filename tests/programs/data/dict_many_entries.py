# run:
# run: 5000
# Large dicts: thousands of inserts, lookups and deletes through many resizes, checked against lists.


def entry_point(argv):
    n = 5000
    if len(argv) > 1:
        n = int(argv[1])
    d = {}
    for i in range(n):
        d[i * 7919 % 100003] = i
    print(len(d))
    hits = 0
    for i in range(0, 100003, 13):
        if i in d:
            hits += 1
    print("hits", hits)
    removed = 0
    for i in range(n):
        if i % 3 == 0:
            del d[i * 7919 % 100003]
            removed += 1
    print(len(d), removed, len(d) + removed == n)
    total = 0
    for k, v in d.items():
        total += v
    expected = 0
    for i in range(n):
        if i % 3 != 0:
            expected += i
    print(total, total == expected)
    s = {}
    for i in range(n // 2):
        s["key" + str(i)] = i * 2
    ok = True
    for i in range(n // 2):
        if s["key" + str(i)] != i * 2:
            ok = False
    print(len(s), ok, s.get("key17", -1), s.get("key" + str(n), -1))
    first = [k for k in s][:3]
    print(first)
    for i in range(n // 2):
        if i % 2 == 1:
            s.pop("key" + str(i))
    print(len(s), [k for k in s][:3], [v for v in s.values()][-2:])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
