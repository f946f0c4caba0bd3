# dict iteration follows insertion order through deletes, re-inserts, overwrites, update and heavy churn.


def keys_of(d):
    return " ".join([k for k in d])


def entry_point(argv):
    d = {}
    for w in "one two three four five six".split():
        d[w] = len(w)
    print(keys_of(d))
    d["two"] = 22
    print(keys_of(d), d["two"])
    del d["three"]
    d["three"] = 3
    print(keys_of(d))
    d.pop("one")
    d["seven"] = 7
    d["one"] = 1
    print(keys_of(d))
    d.update({"four": 44, "eight": 8, "two": 2})
    print(d)
    churn = {}
    for i in range(200):
        churn[i] = i * i
        if i % 3 == 0:
            del churn[i]
        if i % 5 == 0 and i // 2 in churn:
            del churn[i // 2]
    ks = [k for k in churn]
    print(len(churn), ks[:10], ks[-5:])
    for i in range(0, 200, 7):
        churn[i] = -i
    ks = [k for k in churn.keys()]
    print(len(churn), ks[:10], ks[-10:])
    vals = [v for v in churn.values()]
    print(sum(vals), vals[-3:])
    neg = {}
    for k in [-5, 3, -1, 0, 7, -9223372036854775807, 9223372036854775807]:
        neg[k] = str(k)
    print(neg)
    for k in [3, 0]:
        del neg[k]
    neg[3] = "three"
    print([k for k in neg], [v for v in neg.values()])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
