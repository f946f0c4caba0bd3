# A small JSON-style serializer: escaping strings with replace/ord, formatting numbers, nested lists and dicts.


def quote(s):
    out = s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t")
    parts = []
    for ch in out:
        if ord(ch) < 32:
            parts.append("\\u%04x" % ord(ch))
        elif ord(ch) > 126:
            parts.append("\\u%04x" % ord(ch) if ord(ch) < 65536 else "?")
        else:
            parts.append(ch + "")
    result = ""
    for p in parts:
        result += p
    return "\"" + result + "\""


def num(x):
    if abs(x) < 1e15 and x == int(x):
        return str(int(x))
    return repr(x)


def dump_list(xs):
    return "[" + ", ".join([num(x) for x in xs]) + "]"


def dump_record(name, tags, scores, meta):
    fields = []
    fields.append(quote("name") + ": " + quote(name))
    fields.append(quote("tags") + ": [" + ", ".join([quote(t) for t in tags]) + "]")
    fields.append(quote("scores") + ": " + dump_list(scores))
    inner = []
    for k, v in meta.items():
        inner.append(quote(k) + ": " + quote(v))
    fields.append(quote("meta") + ": {" + ", ".join(inner) + "}")
    return "{" + ", ".join(fields) + "}"


def entry_point(argv):
    print(quote("plain"), quote("with \"quotes\""), quote("back\\slash"), quote("line\nbreak\ttab"))
    print(quote("bell\x07"), quote("café"), quote("€uro"), quote(""))
    print(num(3.0), num(-2.5), num(0.1), num(1e20), num(-0.0), num(123456.0))
    print(dump_list([1.0, 2.5, -3.0, 1e-9]), dump_list([]))
    recs = [("Ada", ["math", "engines"], [99.5, 100.0], {"born": "1815", "city": "London"}),
            ("Grace \"Amazing\"", ["cobol"], [88.0], {}),
            ("Zoë", [], [], {"note": "tab\there"})]
    for r in recs:
        name, tags, scores, meta = r
        print(dump_record(name, tags, scores, meta))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
