# run:
# run: port
# None as a null str: functions returning str or None, `is None` / `is not None` narrowing, defaults.

CONFIG = "host=example.org\nport=8080\n# comment\nuser=admin\nempty=\n"


def find_setting(text, key):
    for line in text.split("\n"):
        if line.startswith("#") or "=" not in line:
            continue
        eq = line.find("=")
        if line[:eq] == key:
            return line[eq + 1:]
    return None


def first_word(s):
    if s is None:
        return None
    parts = s.split()
    if len(parts) == 0:
        return None
    return parts[0]


def describe(value, default=None):
    if value is not None:
        return "value " + repr(value) + " (" + str(len(value)) + " chars)"
    if default is not None:
        return "default " + default
    return "nothing"


def entry_point(argv):
    keys = ["host", "port", "user", "empty", "missing", "# comment"]
    if len(argv) > 1:
        keys = [argv[1]]
    for k in keys:
        v = find_setting(CONFIG, k)
        print(k, "->", describe(v), "|", describe(v, "none-given"), v is None, v)
    print(first_word(None), first_word(""), first_word("  hello world"))
    names = ["x", "y"]
    best = None
    for n in names + ["zz", "a"]:
        if best is None or len(n) > len(best):
            best = n
    print("best", best)
    maybe = None
    if len(argv) > 5:
        maybe = "never"
    print(maybe is None, maybe == None, maybe)
    maybe = find_setting(CONFIG, "user")
    if maybe is not None:
        print(maybe.upper(), len(maybe))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
