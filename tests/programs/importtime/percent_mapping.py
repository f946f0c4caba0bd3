# Import-time `%` with a mapping (a dict display or a dict): the runtime's formatting, so
# import time and run time agree; KeyError and ValueError caught at import time.
MSG = "%(a)s-%(b)05.1f|%(c)r|%(d)s" % {"a": "x", "b": 2.25, "c": None, "d": [1, "y"]}
TABLE = {"n": 3}
try:
    BAD = "%(m)s" % TABLE
except KeyError as e:
    BAD = "missing " + str(e)
try:
    BAD2 = "%(n)" % TABLE
except ValueError as e:
    BAD2 = "bad " + str(e)
POS = "%s|%(n)d" % TABLE


def entry_point(argv):
    print(MSG)
    print(BAD)
    print(BAD2)
    print(POS)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
