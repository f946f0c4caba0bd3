# run:
# run: 2
# try/except/else/finally ordering across normal completion, caught exceptions, returns and loops.


class Oops(Exception):
    pass


LOG = []


def risky(i):
    if i % 3 == 1:
        raise Oops("odd %d" % i)
    return i


def one(i):
    try:
        v = risky(i)
    except Oops as e:
        LOG.append("except " + str(e))
        return -1
    else:
        LOG.append("else %d" % v)
        v += 100
    finally:
        LOG.append("finally %d" % i)
    return v


def loop(n):
    total = 0
    for i in range(n):
        try:
            if i == 3:
                continue
            if i == 5:
                break
            total += risky(i)
        except Oops:
            total += 1000
        finally:
            total += 1
    return total


def nested(i):
    try:
        try:
            risky(i)
            LOG.append("inner ok")
        finally:
            LOG.append("inner finally")
    except Oops:
        LOG.append("outer caught")
    else:
        LOG.append("outer else")
    finally:
        LOG.append("outer finally")


def entry_point(argv):
    k = 1
    if len(argv) > 1:
        k = int(argv[1])
    print(one(0), one(1), one(k))
    print(loop(4), loop(9))
    nested(k)
    nested(0)
    for line in LOG:
        print(line)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
