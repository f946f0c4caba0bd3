# %-formatting: %d %s %x %f %.Nf %r, widths, flags, %% and tuples of mixed arguments.


def table_row(name, count, ratio):
    return "%-10s|%5d|%8.3f|%6.1f%%" % (name, count, ratio, ratio * 100.0)


def entry_point(argv):
    print("%d items" % 5)
    print("%s and %s" % ("salt", "pepper"))
    print("%d %i %s %r" % (-12, 34, "text", "text"))
    print("%x %X %o %#x %#o" % (255, 255, 8, 255, 8))
    print("%f %.2f %.0f %.10f %e %g" % (3.14159, 2.675, 0.5, 1.0 / 3.0, 12345.678, 0.0001))
    print("[%5d] [%-5d] [%05d] [%+d] [% d]" % (42, 42, 42, 42, 42))
    print("[%10s] [%-10s] [%.3s]" % ("right", "left", "truncate"))
    print("%r %r %r" % ("it's", 'say "hi"', "tab\there"))
    print("%s %s %s %s" % (1.5, 10, True, None))
    print("100%% done, %d%% left" % 0)
    print("%c%c%c" % (75, 105, 110))
    print("%s" % [1, 2, 3], "%s" % "é", "%5.1f|%-7.2f|" % (2.25, -1.005))
    rows = [("alpha", 3, 0.25), ("beta", 12, 0.5), ("gamma", 150, 0.125), ("delta", 7, 1.0)]
    for r in rows:
        name, count, ratio = r
        print(table_row(name, count, ratio))
    print("%d/%d = %.4f" % (22, 7, 22.0 / 7.0))
    print("%s=%d" % ("x", -9223372036854775807 - 1))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
