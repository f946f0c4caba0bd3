# Lists of tuple records: multi-field sorting, grouping, ranking, and functions returning tuples of aggregates.

RAW = "ann,eng,81000 bob,ops,52000 cat,eng,97000 dan,sales,61000 eve,ops,58000 fay,eng,81000 gus,sales,45000 hal,ops,52000"


def load(raw):
    recs = []
    for item in raw.split():
        f = item.split(",")
        recs.append((f[1], int(f[2]), f[0]))
    return recs


def stats(salaries):
    lo = salaries[0]
    hi = salaries[0]
    total = 0
    for s in salaries:
        lo = min(lo, s)
        hi = max(hi, s)
        total += s
    return len(salaries), lo, hi, total // len(salaries)


def entry_point(argv):
    recs = load(RAW)
    recs.sort()
    for dept, pay, name in recs:
        print("%-6s %-4s %6d" % (dept, name, pay))
    by_pay = sorted([(-pay, name) for dept, pay, name in recs])
    rank = 0
    prev = 0
    for i in range(len(by_pay)):
        neg, name = by_pay[i]
        if i == 0 or neg != prev:
            rank = i + 1
        prev = neg
        print(rank, name, -neg)
    groups = {}
    for dept, pay, name in recs:
        if dept not in groups:
            groups[dept] = []
        groups[dept].append(pay)
    for dept in sorted(groups.keys()):
        n, lo, hi, avg = stats(groups[dept])
        print(dept, n, lo, hi, avg)
    top = max(recs)
    bottom = min(recs)
    print(top, bottom, top > bottom, (top[0], top[2]))
    pairs = [(a[2], b[2]) for a in recs for b in recs if a[0] == b[0] and a[2] < b[2]]
    print(len(pairs), pairs[:4])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
