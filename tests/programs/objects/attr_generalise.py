# run:
# run: 3
# Attributes set in subclasses and read through a base reference generalise to the common base.


class Value(object):
    def __init__(self):
        self.hits = 0


class IntValue(Value):
    def __init__(self, n):
        Value.__init__(self)
        self.n = n
        self.label = "int"


class StrValue(Value):
    def __init__(self, s):
        Value.__init__(self)
        self.s = s
        self.label = "str"


class BigIntValue(IntValue):
    def __init__(self, n):
        IntValue.__init__(self, n)
        self.label = "bigint"


def touch(v):
    v.hits += 1
    return v.label


def entry_point(argv):
    k = 2
    if len(argv) > 1:
        k = int(argv[1])
    vals = [IntValue(1), StrValue("two"), BigIntValue(1 << 40), IntValue(k)]
    for i in range(k):
        for v in vals:
            touch(v)
    vals[0].hits += 10
    for v in vals:
        print(v.label, v.hits)
    labels = ""
    for v in vals:
        labels += v.label[0]
    print(labels)
    iv = vals[2]
    if isinstance(iv, IntValue):
        print(iv.n >> 38)
    sv = vals[1]
    if isinstance(sv, StrValue):
        print(sv.s.upper())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
