# run:
# `except (A, B) as e` with user and built-in classes; the bound exception narrowed by isinstance afterwards.


class NetError(Exception):
    def __init__(self, msg, code):
        Exception.__init__(self, msg)
        self.code = code


class Timeout(NetError):
    pass


class Refused(NetError):
    pass


class Corrupt(Exception):
    pass


def fetch(i):
    if i == 1:
        raise Timeout("timed out", 408)
    if i == 2:
        raise Refused("refused", 111)
    if i == 3:
        raise Corrupt("bad checksum")
    if i == 4:
        raise ZeroDivisionError("div")
    if i == 5:
        d = {}
        return d["missing"]
    if i == 6:
        lst = [1, 2]
        return lst[i]
    return i * 100


def attempt(i):
    try:
        return "got %d" % fetch(i)
    except (Timeout, Refused) as e:
        kind = "timeout" if isinstance(e, Timeout) else "refused"
        return "%s %d %s" % (kind, e.code, str(e))
    except (Corrupt, ZeroDivisionError) as e:
        return "broken: " + str(e)
    except (KeyError, IndexError):
        return "lookup failed"


def entry_point(argv):
    for i in range(8):
        print(i, attempt(i))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
