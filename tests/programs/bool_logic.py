# and/or/not on bools, with short-circuit evaluation shown by side effects.


def check(label, value):
    print("check", label)
    return value


def entry_point(argv):
    t = True
    f = False
    print(t and f, t or f, not t, not f, not not t)
    print(t and t and f, f or f or t, not (t and f) or f)
    print(check("a", False) and check("b", True))
    print(check("c", True) and check("d", False))
    print(check("e", True) or check("f", False))
    print(check("g", False) or check("h", True))
    print(not check("i", False) and check("j", True) or check("k", False))
    n = 0
    ok = n == 0 or 10 // n > 1
    print(ok)
    ok = n != 0 and 10 // n > 1
    print(ok)
    print(True == 1, False == 0, True != False)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
