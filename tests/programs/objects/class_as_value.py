# run:
# Classes held in variables and attributes and passed as arguments, instantiated later; isinstance against the stored class.


class Token(object):
    def __init__(self, text):
        self.text = text

    def kind(self):
        return "tok"


class Word(Token):
    def kind(self):
        return "word"


class Number(Token):
    def __init__(self, text):
        Token.__init__(self, text)
        self.value = int(text)

    def kind(self):
        return "num"


class Factory(object):
    def __init__(self, cls):
        self.cls = cls
        self.made = 0

    def build(self, text):
        self.made += 1
        return self.cls(text)


def classify(text):
    if text.isdigit():
        return Number
    return Word


def tokenize(s):
    out = []
    for part in s.split(" "):
        if part == "":
            continue
        cls = classify(part)
        out.append(cls(part))
    return out


def entry_point(argv):
    for t in tokenize("let x  = 42 + y7 1"):
        extra = ""
        if isinstance(t, Number):
            extra = " value=%d" % t.value
        print(t.kind(), t.text + extra)
    f = Factory(Word)
    g = Factory(Token)
    toks = [f.build("a"), g.build("b"), f.build("c")]
    for t in toks:
        print(t.kind(), t.text)
    print(f.made, g.made)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
