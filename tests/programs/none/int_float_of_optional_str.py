# run: 12 2.5
# run: 12
# int() and float() of a str attribute that starts as None (a parser's current token):
# a null check raising CPython's TypeError, caught here; and str.join of a list whose
# items may be None.


class Parser(object):
    def __init__(self, tokens):
        self._tokens = tokens
        self._pos = 0
        self._text = None

    def advance(self):
        if self._pos < len(self._tokens):
            self._text = self._tokens[self._pos]
            self._pos += 1
        else:
            self._text = None

    def integer(self):
        return int(self._text)

    def double(self):
        return float(self._text)

    def keyword(self):
        return self._text


def join_parts(p, extra):
    parts = [p.keyword()]
    parts.append(extra)
    try:
        return "-".join(parts)
    except TypeError as e:
        return "TypeError: " + str(e)


def entry_point(argv):
    p = Parser(argv[1:])
    p.advance()
    print(p.integer() * 2, join_parts(p, "x"))
    p.advance()
    try:
        print(p.double() * 2.0)
    except TypeError as e:
        print("TypeError:", e)
    p.advance()
    try:
        print(p.integer())
    except TypeError as e:
        print("TypeError:", e)
    print(join_parts(p, "y"))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
