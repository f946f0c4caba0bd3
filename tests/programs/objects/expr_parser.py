# run:
# run: (1+2)*3-4/2
# run: 2*(3+4)*(5-1)
# run: 1+
# An expression-tree evaluator: tokenizer, recursive-descent parser building node classes, eval and printing.


class ParseError(Exception):
    pass


class Expr(object):
    def eval(self):
        raise NotImplementedError

    def to_str(self):
        raise NotImplementedError


class Num(Expr):
    def __init__(self, value):
        self.value = value

    def eval(self):
        return self.value

    def to_str(self):
        return str(self.value)


class Neg(Expr):
    def __init__(self, operand):
        self.operand = operand

    def eval(self):
        return -self.operand.eval()

    def to_str(self):
        return "(-" + self.operand.to_str() + ")"


class Bin(Expr):
    def __init__(self, op, left, right):
        self.op = op
        self.left = left
        self.right = right

    def eval(self):
        a = self.left.eval()
        b = self.right.eval()
        if self.op == "+":
            return a + b
        if self.op == "-":
            return a - b
        if self.op == "*":
            return a * b
        if b == 0:
            raise ParseError("division by zero")
        return a // b

    def to_str(self):
        return "(" + self.left.to_str() + " " + self.op + " " + self.right.to_str() + ")"


class Token(object):
    def __init__(self, kind, text):
        self.kind = kind
        self.text = text


def tokenize(s):
    toks = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == " ":
            i += 1
        elif c.isdigit():
            j = i
            while j < len(s) and s[j].isdigit():
                j += 1
            toks.append(Token("num", s[i:j]))
            i = j
        elif c in "+-*/()":
            toks.append(Token("op", c))
            i += 1
        else:
            raise ParseError("bad character '%s'" % c)
    toks.append(Token("end", ""))
    return toks


class Parser(object):
    def __init__(self, toks):
        self.toks = toks
        self.pos = 0

    def peek(self):
        return self.toks[self.pos]

    def next(self):
        t = self.toks[self.pos]
        self.pos += 1
        return t

    def expect(self, text):
        t = self.next()
        if t.text != text:
            raise ParseError("expected '%s' at token %d" % (text, self.pos - 1))

    def parse_expr(self):
        left = self.parse_term()
        while self.peek().text == "+" or self.peek().text == "-":
            op = self.next().text
            left = Bin(op, left, self.parse_term())
        return left

    def parse_term(self):
        left = self.parse_factor()
        while self.peek().text == "*" or self.peek().text == "/":
            op = self.next().text
            left = Bin(op, left, self.parse_factor())
        return left

    def parse_factor(self):
        t = self.next()
        if t.kind == "num":
            return Num(int(t.text))
        if t.text == "-":
            return Neg(self.parse_factor())
        if t.text == "(":
            e = self.parse_expr()
            self.expect(")")
            return e
        raise ParseError("unexpected token %d '%s'" % (self.pos - 1, t.text))


def parse(s):
    p = Parser(tokenize(s))
    e = p.parse_expr()
    if p.peek().kind != "end":
        raise ParseError("trailing input")
    return e


def entry_point(argv):
    srcs = ["1 + 2 * 3", "-(4 - 10) * 2", "100 / 7 / 2", "8 / (3 - 3)", "2 $ 3", "(1"]
    if len(argv) > 1:
        srcs = [argv[1]]
    for s in srcs:
        try:
            e = parse(s)
            print(e.to_str(), "=", e.eval())
        except ParseError as err:
            print("error:", str(err))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
