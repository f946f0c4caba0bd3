# run:
# Constructors with default and keyword arguments, through inheritance.


class Token(object):
    def __init__(self, kind, text="", line=1, col=0):
        self.kind = kind
        self.text = text
        self.line = line
        self.col = col

    def show(self):
        return "%s(%r)@%d:%d" % (self.kind, self.text, self.line, self.col)


class NumberToken(Token):
    def __init__(self, value, line=1, col=0, base=10):
        Token.__init__(self, "NUM", str(value), line=line, col=col)
        self.value = value
        self.base = base

    def show(self):
        return Token.show(self) + " base %d" % self.base


def entry_point(argv):
    toks = [
        Token("EOF"),
        Token("NAME", "x"),
        Token("OP", "+", 3),
        Token("OP", text="-", col=9),
        Token(kind="NAME", line=4, text="y"),
        NumberToken(12),
        NumberToken(255, base=16),
        NumberToken(7, 2, 5),
        NumberToken(value=8, col=1, line=9, base=8),
    ]
    for t in toks:
        print(t.show())
    nums = [NumberToken(i, col=i * 2) for i in range(4)]
    total = 0
    for t in nums:
        total += t.value + t.col
    print("total", total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
