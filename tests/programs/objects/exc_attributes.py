# run:
# User exceptions with extra attributes set in __init__ (with defaults), methods on exceptions, and str(e).


class SyntaxProblem(Exception):
    def __init__(self, msg, line, col=0):
        Exception.__init__(self, msg)
        self.msg = msg
        self.line = line
        self.col = col

    def location(self):
        return "%d:%d" % (self.line, self.col)

    def format(self):
        return "line %s: %s" % (self.location(), self.msg)


class IndentProblem(SyntaxProblem):
    def __init__(self, line, expected, got):
        SyntaxProblem.__init__(self, "bad indent", line, got)
        self.expected = expected

    def format(self):
        return SyntaxProblem.format(self) + " (expected %d)" % self.expected


def check(lines):
    depth = 0
    for i in range(len(lines)):
        line = lines[i]
        n = 0
        while n < len(line) and line[n] == " ":
            n += 1
        if n % 4 != 0:
            raise IndentProblem(i + 1, depth, n)
        if n > depth + 4:
            raise SyntaxProblem("unexpected indent", i + 1, col=n)
        depth = n
        if line.endswith(":"):
            depth = n
        if "$" in line:
            raise SyntaxProblem("invalid character", i + 1, line.find("$"))
    return depth


def entry_point(argv):
    sources = [
        ["def f():", "    return 1"],
        ["if x:", "   y"],
        ["a", "        b"],
        ["ok", "    x = $"],
    ]
    for src in sources:
        try:
            print("ok, depth", check(src))
        except SyntaxProblem as e:
            print(e.format(), "|", str(e), "|", e.line)
            if isinstance(e, IndentProblem):
                print("  indent expected", e.expected, "got", e.col)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
