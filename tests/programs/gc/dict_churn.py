# Dict churn: keys inserted and deleted so the table grows, shrinks and is rebuilt, with
# instance values and str keys made at run time.


class Rec(object):
    def __init__(self, n):
        self.n = n


def entry_point(argv):
    d = {}
    live = 0
    for i in range(6700):
        key = "k" + str(i % 1500)
        if key in d:
            del d[key]
        else:
            d[key] = Rec(i)
        if i % 500 == 499:
            live += len(d)
    s = 0
    for k, v in d.items():
        s += v.n
    ints = {}
    for i in range(5000):
        ints[i] = [i]
        if i >= 100:
            del ints[i - 100]
    print(len(d), live, s, len(ints), ints[4999][0])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
