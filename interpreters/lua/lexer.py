"""The Lua 5.4 lexer: source text to a list of tokens (names, keywords, numbers,
strings with their escapes and long brackets, operators), each with its line."""

from kiln.rarith import intmask

from objects import LuaError, W_Str

T_EOF = 0
T_NAME = 1
T_STRING = 2
T_INT = 3
T_FLOAT = 4
T_OP = 5  # operators, punctuation and keywords: the text is in sval

KEYWORDS = {}
for _kw in ("and break do else elseif end false for function goto if in local nil not "
            "or repeat return then true until while").split(" "):
    KEYWORDS[_kw] = True

# Operators, longest first within each starting character.
OPERATORS = ["...", "..", "==", "~=", "<=", ">=", "<<", ">>", "//", "::",
             "+", "-", "*", "/", "%", "^", "#", "&", "~", "|", "<", ">", "=",
             "(", ")", "{", "}", "[", "]", ";", ":", ",", "."]


class Token(object):
    def __init__(self, kind, sval, ival, fval, line):
        self.kind = kind
        self.sval = sval
        self.ival = ival
        self.fval = fval
        self.line = line


def is_digit(c):
    return "0" <= c <= "9"


def is_hex(c):
    return ("0" <= c <= "9") or ("a" <= c <= "f") or ("A" <= c <= "F")


def hex_value(c):
    if "0" <= c <= "9":
        return ord(c) - ord("0")
    if "a" <= c <= "f":
        return ord(c) - ord("a") + 10
    return ord(c) - ord("A") + 10


def is_alpha(c):
    return ("a" <= c <= "z") or ("A" <= c <= "Z") or c == "_"


def is_alnum(c):
    return is_alpha(c) or is_digit(c)


def is_space(c):
    return c == " " or c == "\t" or c == "\n" or c == "\r" or c == "\f" or c == "\v"


def syntax_error(chunk, line, msg, near):
    if near == "":
        text = "%s:%d: %s" % (chunk, line, msg)
    else:
        text = "%s:%d: %s near %s" % (chunk, line, msg, near)
    return LuaError(W_Str(text))


class Lexer(object):
    def __init__(self, source, chunk):
        self.s = source
        self.pos = 0
        self.line = 1
        self.chunk = chunk
        self.tokens = []

    def error(self, msg, near):
        return syntax_error(self.chunk, self.line, msg, near)

    def peekc(self, k):
        i = self.pos + k
        if i < len(self.s):
            return self.s[i]
        return "\0"

    def add(self, kind, sval, ival, fval, line):
        self.tokens.append(Token(kind, sval, ival, fval, line))

    def tokenize(self):
        s = self.s
        n = len(s)
        if n > 0 and s[0] == "#":
            # a first line starting with '#' is skipped (shebang)
            while self.pos < n and s[self.pos] != "\n":
                self.pos += 1
        while True:
            self.skip_space()
            if self.pos >= n:
                self.add(T_EOF, "<eof>", 0, 0.0, self.line)
                return self.tokens
            c = s[self.pos]
            line = self.line
            if is_alpha(c):
                start = self.pos
                while self.pos < n and is_alnum(s[self.pos]):
                    self.pos += 1
                word = s[start:self.pos]
                if word in KEYWORDS:
                    self.add(T_OP, word, 0, 0.0, line)
                else:
                    self.add(T_NAME, word, 0, 0.0, line)
            elif is_digit(c) or (c == "." and is_digit(self.peekc(1))):
                self.read_number()
            elif c == '"' or c == "'":
                self.add(T_STRING, self.read_string(c), 0, 0.0, line)
            elif c == "[" and (self.peekc(1) == "[" or self.peekc(1) == "="):
                level = self.long_bracket_level()
                if level < 0:
                    self.pos += 1
                    self.add(T_OP, "[", 0, 0.0, line)
                else:
                    self.add(T_STRING, self.read_long(level, True), 0, 0.0, line)
            else:
                found = ""
                for op in OPERATORS:
                    if s[self.pos:self.pos + len(op)] == op:
                        found = op
                        break
                if found == "":
                    raise self.error("unexpected symbol", "'" + c + "'")
                self.pos += len(found)
                self.add(T_OP, found, 0, 0.0, line)

    def skip_space(self):
        s = self.s
        n = len(s)
        while self.pos < n:
            c = s[self.pos]
            if c == "\n":
                self.line += 1
                self.pos += 1
            elif is_space(c):
                self.pos += 1
            elif c == "-" and self.peekc(1) == "-":
                self.pos += 2
                if self.peekc(0) == "[":
                    level = self.long_bracket_level()
                    if level >= 0:
                        self.read_long(level, False)
                        continue
                while self.pos < n and s[self.pos] != "\n":
                    self.pos += 1
            else:
                return

    def long_bracket_level(self):
        """At '[': the level of a long bracket '[==[' starting here, or -1."""
        i = self.pos + 1
        level = 0
        while i < len(self.s) and self.s[i] == "=":
            level += 1
            i += 1
        if i < len(self.s) and self.s[i] == "[":
            return level
        return -1

    def read_long(self, level, is_string):
        start_line = self.line
        self.pos += level + 2
        s = self.s
        n = len(s)
        if self.pos < n and s[self.pos] == "\r":
            self.pos += 1
        if self.pos < n and s[self.pos] == "\n":
            self.line += 1
            self.pos += 1
        parts = []
        start = self.pos
        while True:
            if self.pos >= n:
                what = "unfinished long comment"
                if is_string:
                    what = "unfinished long string"
                raise syntax_error(self.chunk, self.line, what + " (starting at line %d)" % start_line,
                                   "'<eof>'")
            c = s[self.pos]
            if c == "]":
                i = self.pos + 1
                k = 0
                while i < n and s[i] == "=":
                    k += 1
                    i += 1
                if k == level and i < n and s[i] == "]":
                    parts.append(s[start:self.pos])
                    self.pos = i + 1
                    return "".join(parts)
                self.pos += 1
            elif c == "\n":
                self.line += 1
                self.pos += 1
            else:
                self.pos += 1

    def read_string(self, quote):
        s = self.s
        n = len(s)
        self.pos += 1
        parts = []
        start = self.pos
        while True:
            if self.pos >= n:
                raise self.error("unfinished string", "'<eof>'")
            c = s[self.pos]
            if c == quote:
                parts.append(s[start:self.pos])
                self.pos += 1
                return "".join(parts)
            if c == "\n":
                raise self.error("unfinished string", "'" + quote + s[start:self.pos] + "'")
            if c == "\\":
                parts.append(s[start:self.pos])
                self.pos += 1
                parts.append(self.read_escape())
                start = self.pos
            else:
                self.pos += 1

    def read_escape(self):
        s = self.s
        n = len(s)
        if self.pos >= n:
            raise self.error("unfinished string", "'<eof>'")
        c = s[self.pos]
        self.pos += 1
        if c == "n":
            return "\n"
        if c == "t":
            return "\t"
        if c == "r":
            return "\r"
        if c == "a":
            return "\a"
        if c == "b":
            return "\b"
        if c == "f":
            return "\f"
        if c == "v":
            return "\v"
        if c == "\\" or c == '"' or c == "'":
            return c
        if c == "\n":
            self.line += 1
            return "\n"
        if c == "x":
            if self.pos + 1 < n and is_hex(s[self.pos]) and is_hex(s[self.pos + 1]):
                v = hex_value(s[self.pos]) * 16 + hex_value(s[self.pos + 1])
                self.pos += 2
                return chr(v)
            raise self.error("hexadecimal digit expected", "'\\x'")
        if c == "z":
            while self.pos < n and is_space(s[self.pos]):
                if s[self.pos] == "\n":
                    self.line += 1
                self.pos += 1
            return ""
        if c == "u":
            if self.pos < n and s[self.pos] == "{":
                self.pos += 1
                v = 0
                while self.pos < n and is_hex(s[self.pos]):
                    v = v * 16 + hex_value(s[self.pos])
                    self.pos += 1
                if self.pos < n and s[self.pos] == "}" and v <= 0x10FFFF:
                    self.pos += 1
                    return chr(v)
            raise self.error("missing '{' in \\u{xxxx}", "'\\u'")
        if is_digit(c):
            v = ord(c) - ord("0")
            k = 1
            while k < 3 and self.pos < n and is_digit(s[self.pos]):
                v = v * 10 + ord(s[self.pos]) - ord("0")
                self.pos += 1
                k += 1
            if v > 255:
                raise self.error("decimal escape too large", "'\\%d'" % v)
            return chr(v)
        raise self.error("invalid escape sequence", "'\\" + c + "'")

    def read_number(self):
        s = self.s
        n = len(s)
        start = self.pos
        line = self.line
        if s[self.pos] == "0" and (self.peekc(1) == "x" or self.peekc(1) == "X"):
            self.pos += 2
            while self.pos < n and (is_alnum(s[self.pos]) or s[self.pos] == "."
                                    or ((s[self.pos] == "+" or s[self.pos] == "-")
                                        and (s[self.pos - 1] == "p" or s[self.pos - 1] == "P"))):
                self.pos += 1
        else:
            while self.pos < n and (is_alnum(s[self.pos]) or s[self.pos] == "."
                                    or ((s[self.pos] == "+" or s[self.pos] == "-")
                                        and (s[self.pos - 1] == "e" or s[self.pos - 1] == "E"))):
                self.pos += 1
        text = s[start:self.pos]
        tok = str_to_number(text)
        if tok is None:
            raise self.error("malformed number", "'" + text + "'")
        self.tokens.append(Token(tok.kind, text, tok.ival, tok.fval, line))


MAXINT_DIGITS = "9223372036854775807"


def parse_decimal_int(digits):
    """The value of a string of decimal digits, or -1 if it does not fit an int64."""
    i = 0
    while i < len(digits) - 1 and digits[i] == "0":
        i += 1
    d = digits[i:]
    if len(d) > len(MAXINT_DIGITS) or (len(d) == len(MAXINT_DIGITS) and d > MAXINT_DIGITS):
        return -1
    v = 0
    for c in d:
        v = v * 10 + (ord(c) - ord("0"))
    return v


def str_to_number(text):
    """Parse a Lua numeral (no sign, no surrounding space): a Token of kind T_INT or
    T_FLOAT, or None if it is not a numeral."""
    n = len(text)
    if n == 0:
        return None
    if n > 2 and text[0] == "0" and (text[1] == "x" or text[1] == "X"):
        return parse_hex(text[2:])
    i = 0
    is_float = False
    ndigits = 0
    while i < n and is_digit(text[i]):
        i += 1
        ndigits += 1
    if i < n and text[i] == ".":
        is_float = True
        i += 1
        while i < n and is_digit(text[i]):
            i += 1
            ndigits += 1
    if ndigits == 0:
        return None
    if i < n and (text[i] == "e" or text[i] == "E"):
        is_float = True
        i += 1
        if i < n and (text[i] == "+" or text[i] == "-"):
            i += 1
        if i >= n or not is_digit(text[i]):
            return None
        while i < n and is_digit(text[i]):
            i += 1
    if i != n:
        return None
    if not is_float:
        v = parse_decimal_int(text)
        if v >= 0:
            return Token(T_INT, "", v, 0.0, 0)
    return Token(T_FLOAT, "", 0, float(text), 0)


def parse_hex(text):
    n = len(text)
    i = 0
    mant = 0
    fmant = 0.0
    exp = 0
    any_digit = False
    is_float = False
    while i < n and is_hex(text[i]):
        mant = mant * 16 + hex_value(text[i])
        fmant = fmant * 16.0 + float(hex_value(text[i]))
        any_digit = True
        i += 1
    if i < n and text[i] == ".":
        is_float = True
        i += 1
        while i < n and is_hex(text[i]):
            fmant = fmant * 16.0 + float(hex_value(text[i]))
            exp -= 4
            any_digit = True
            i += 1
    if not any_digit:
        return None
    if i < n and (text[i] == "p" or text[i] == "P"):
        is_float = True
        i += 1
        sign = 1
        if i < n and (text[i] == "+" or text[i] == "-"):
            if text[i] == "-":
                sign = -1
            i += 1
        if i >= n or not is_digit(text[i]):
            return None
        e = 0
        while i < n and is_digit(text[i]):
            e = e * 10 + ord(text[i]) - ord("0")
            if e > 100000:
                e = 100000
            i += 1
        exp += sign * e
    if i != n:
        return None
    if not is_float:
        return Token(T_INT, "", intmask(mant), 0.0, 0)
    while exp > 0:
        fmant = fmant * 2.0
        exp -= 1
    while exp < 0:
        fmant = fmant * 0.5
        exp += 1
    return Token(T_FLOAT, "", 0, fmant, 0)


def tokenize(source, chunk):
    return Lexer(source, chunk).tokenize()
