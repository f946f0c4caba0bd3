"""Writes the CPython-generated test corpora of the runtime's unit tests:
runtime/src/testdata/format_cases.txt (`format(value, spec)`) and
runtime/src/testdata/str_cases.txt (the str methods), pseudo-random cases whose expected
results come from the running CPython. Run it with the CPython version the project
targets (3.11) from the repository root:

    python3 runtime/tools/gen_cpython_cases.py

Line format (tab-separated): the operation, its arguments, then the result. A value is
`i:<decimal int>`, `f:<16 hex digits of the float's bits, little-endian>`, `s:<text>` or
`n:` for None, or `l:<text>` for a list of strings (joined with NUL); a result is
`R:<value>` or `E:<ExceptionName: message>`. Text escapes
backslash, tab, newline and other control characters (`\\\\`, `\\t`, `\\n`, `\\xNN`).
"""

import random
import struct

COUNT = 1500


def esc(s):
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def val(x):
    if x is None:
        return "n:"
    if isinstance(x, bool):
        return "i:%d" % x
    if isinstance(x, int):
        return "i:%d" % x
    if isinstance(x, float):
        return "f:" + struct.pack("<d", x).hex()
    return "s:" + esc(x)


def outcome(f):
    try:
        r = f()
    except Exception as e:  # the message is what the test compares
        return "E:" + esc("%s: %s" % (type(e).__name__, e))
    if isinstance(r, list):
        return "R:l:" + esc("\x00".join(r))
    return "R:" + val(r)


def format_cases(rng):
    ints = [0, 1, -1, 7, -42, 255, 1234567, -9876543210, 2**63 - 1, -(2**63), 65, 0x10FFFF]
    floats = [0.0, -0.0, 1.0, -1.5, 0.1, 123.456, 1e16, 1.5e-7, 1e300, 5e-324, float("inf"),
              float("-inf"), float("nan"), 2 / 3, 999.9999, 0.5, 2.5, 1234567.891, -0.00001, 9.5, 99.5]
    strs = ["", "a", "héllo", "xyz", "a\x85b"]

    def rfloat():
        r = rng.random()
        if r < 0.4:
            return rng.choice(floats)
        if r < 0.6:
            return rng.choice([-1, 1]) * 10 ** rng.uniform(-30, 30)
        if r < 0.7:
            return struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        return round(rng.uniform(-1000, 1000), rng.randint(0, 4))

    lines = []
    for _ in range(COUNT):
        kind = rng.choice(["int", "float", "float", "str", "bool"])
        spec = (rng.choice(["", "", "<", ">", "^", "=", "*<", "0>", "é^", "x="]) + rng.choice(["", "", "+", "-", " "])
                + rng.choice(["", "", "z"]) + rng.choice(["", "", "#"]) + rng.choice(["", "", "0"])
                + rng.choice(["", "", "1", "8", "15", str(rng.randint(0, 30))]) + rng.choice(["", "", "", ",", "_"])
                + rng.choice(["", "", ".0", ".1", ".3", ".10", ".", "." + str(rng.randint(0, 20))]))
        if kind == "int":
            v = rng.choice(ints + [rng.randint(-(2**63), 2**63 - 1)])
            spec += rng.choice(["", "d", "x", "X", "o", "b", "c", "n", "e", "f", "g", "%", "E", "G", "F", "s"])
        elif kind == "bool":
            v = rng.choice([True, False])
            spec += rng.choice(["", "d", "x", "c", "f", "s"])
        elif kind == "float":
            v = rfloat()
            spec += rng.choice(["", "e", "f", "g", "%", "E", "F", "G", "n", "d", "x"])
        else:
            v = rng.choice(strs)
            spec += rng.choice(["", "s", "d"])
        lines.append("\t".join([kind, val(v), esc(spec), outcome(lambda: format(v, spec))]))
    return lines


def str_cases(rng):
    alpha = ["a", "b", "c", "A", " ", " ", "\t", "é", "ß", "Σ", "ς", "İ", "\u3000", "\x85", "1", "²", "½",
             "€", "😀", ",", ",", "\u0345", "ǅ", "\x1c", "ab", "Σa"]
    big = 2**63 - 1

    def rs(n=None):
        return "".join(rng.choice(alpha) for _ in range(rng.randint(0, 12) if n is None else n))

    def idx():
        return rng.choice([0, 0, 1, 2, -1, -3, 5, 100, -100, big, -(2**63)])

    lines = []
    for _ in range(COUNT):
        op = rng.choice(["find", "rfind", "count", "index", "split", "split", "strip", "replace", "lower", "upper",
                         "isdigit", "isalpha", "isalnum", "isspace", "slice_step", "startswith", "endswith", "contains"])
        s = rs()
        if op in ("find", "rfind", "count", "index"):
            sub = rng.choice([rs(rng.randint(0, 2)), s[1:3]])
            args = [s, sub, idx(), idx()]
            f = lambda: getattr(args[0], op)(*args[1:])
        elif op == "split":
            args = [s, rng.choice([None, None, " ", ",", "a", "Σa", "", "é"]), rng.choice([-1, -1, 0, 1, 2])]
            f = lambda: args[0].split(args[1], args[2])
        elif op == "strip":
            args = [s, rng.choice([None, None, " a", "é,", "", "Σ"]), rng.choice([0, 1, 2])]
            f = lambda: [args[0].strip, args[0].lstrip, args[0].rstrip][args[2]](args[1])
        elif op == "replace":
            args = [s, rng.choice([rs(rng.randint(0, 2)), "a", "", "Σ"]), rs(rng.randint(0, 2)), rng.choice([-1, -1, 0, 1, 2])]
            f = lambda: args[0].replace(*args[1:])
        elif op in ("lower", "upper", "isdigit", "isalpha", "isalnum", "isspace"):
            if op.startswith("is") and rng.random() < 0.5:
                s = "".join(rng.choice(["1", "²", "½", "a", "é", "Σ", " ", "\u3000", "\x85", "٣", "Ⅻ"]) for _ in range(rng.randint(0, 3)))
            args = [s]
            f = lambda: getattr(args[0], op)()
        elif op == "slice_step":
            args = [s, rng.choice([None, 0, 1, -1, 3, -5, 100]), rng.choice([None, 0, 2, -2, 100, -100]), rng.choice([1, 2, -1, -2, 3, -3])]
            f = lambda: args[0][args[1]:args[2]:args[3]]
        else:
            args = [s, rng.choice([rs(rng.randint(0, 2)), s[:2], s[-2:]])]
            f = lambda: {"startswith": args[0].startswith, "endswith": args[0].endswith, "contains": args[0].__contains__}[op](args[1])
        lines.append("\t".join([op] + [val(a) for a in args] + [outcome(f)]))
    return lines


def main():
    rng = random.Random(20240611)
    for name, lines in (("format_cases", format_cases(rng)), ("str_cases", str_cases(rng))):
        with open("runtime/src/testdata/%s.txt" % name, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")


main()
