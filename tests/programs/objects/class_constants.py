# run:
# run: 3 + 4 * 2
# Class-level constants (token kinds, precedence tables) used by methods and other classes.


class Kind(object):
    NUM = 1
    PLUS = 2
    STAR = 3
    MINUS = 4
    END = 5
    NAMES = ("?", "NUM", "PLUS", "STAR", "MINUS", "END")


class Tok(object):
    def __init__(self, kind, value):
        self.kind = kind
        self.value = value

    def show(self):
        if self.kind == Kind.NUM:
            return "NUM(%d)" % self.value
        if self.kind == Kind.PLUS:
            return "PLUS"
        if self.kind == Kind.STAR:
            return "STAR"
        if self.kind == Kind.MINUS:
            return "MINUS"
        return "END"


class Lexer(object):
    OPERATORS = "+*-"
    SPACE = " "

    def __init__(self, words):
        self.words = words

    def tokens(self):
        out = []
        for w in self.words:
            if w == "+":
                out.append(Tok(Kind.PLUS, 0))
            elif w == "*":
                out.append(Tok(Kind.STAR, 0))
            elif w == "-":
                out.append(Tok(Kind.MINUS, 0))
            else:
                out.append(Tok(Kind.NUM, int(w)))
        out.append(Tok(Kind.END, 0))
        return out


class Prec(object):
    LOW = 10
    HIGH = 20

    def of(self, kind):
        if kind == Kind.STAR:
            return Prec.HIGH
        if kind == Kind.PLUS or kind == Kind.MINUS:
            return self.LOW
        return 0


def entry_point(argv):
    words = []
    for i in range(1, len(argv)):
        words.append(argv[i])
    if len(words) == 0:
        words = ["1", "-", "2", "*", "5"]
    toks = Lexer(words).tokens()
    p = Prec()
    parts = []
    for t in toks:
        parts.append(t.show() + ":" + str(p.of(t.kind)))
    print(" ".join(parts))
    print(Kind.END, Prec.HIGH - Prec.LOW, Lexer.OPERATORS, len(Kind.NAMES))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
