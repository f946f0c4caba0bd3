# run:
# run: 2*(3+4)-10/5
# run: 7-2-1+100*2%7
# A tokenizer and recursive-descent evaluator for integer arithmetic built on str indexing and predicates.


def tokenize(src):
    tokens = []
    i = 0
    n = len(src)
    while i < n:
        ch = src[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit():
            j = i
            while j < n and src[j].isdigit():
                j += 1
            tokens.append(src[i:j])
            i = j
        elif ch.isalpha() or ch == "_":
            j = i
            while j < n and (src[j].isalnum() or src[j] == "_"):
                j += 1
            tokens.append(src[i:j])
            i = j
        elif ch in "+-*/%()":
            tokens.append(ch)
            i += 1
        else:
            raise ValueError("unexpected character " + repr(ch) + " at " + str(i))
    return tokens


class Parser(object):
    def __init__(self, tokens, names, values):
        self.tokens = tokens
        self.pos = 0
        self.names = names
        self.values = values

    def peek(self):
        if self.pos < len(self.tokens):
            return self.tokens[self.pos]
        return ""

    def take(self):
        t = self.tokens[self.pos]
        self.pos += 1
        return t

    def expr(self):
        v = self.term()
        while self.peek() == "+" or self.peek() == "-":
            op = self.take()
            r = self.term()
            if op == "+":
                v = v + r
            else:
                v = v - r
        return v

    def term(self):
        v = self.factor()
        while self.peek() in ("*", "/", "%"):
            op = self.take()
            r = self.factor()
            if op == "*":
                v = v * r
            elif op == "/":
                v = v // r
            else:
                v = v % r
        return v

    def factor(self):
        t = self.take()
        if t == "(":
            v = self.expr()
            if self.take() != ")":
                raise ValueError("expected )")
            return v
        if t == "-":
            return -self.factor()
        if t[0].isdigit():
            return int(t)
        for i in range(len(self.names)):
            if self.names[i] == t:
                return self.values[i]
        raise ValueError("unknown name " + t)


def evaluate(src):
    toks = tokenize(src)
    p = Parser(toks, ["x", "y", "big_one"], [6, -4, 1000])
    return p.expr(), len(toks)


def entry_point(argv):
    sources = ["1 + 2 * 3", "(1 + 2) * 3", "x * y - -3", "big_one / 7 % 10", "2*(x+y)*(x-y)", "100 - 3 - 4 - 5"]
    if len(argv) > 1:
        sources = [argv[1]]
    for s in sources:
        print(" ".join(tokenize(s)))
        value, count = evaluate(s)
        print(s, "=", value, "(" + str(count) + " tokens)")
    try:
        evaluate("3 $ 4")
    except ValueError as e:
        print("error:", e)
    try:
        evaluate("zz + 1")
    except ValueError as e:
        print("error:", e)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
