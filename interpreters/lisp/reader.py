"""The reader: program text to Lisp data (``W_Object`` trees).

The syntax is the usual Scheme subset:

- integers: an optional sign and decimal digits (``42``, ``-7``, ``+3``), 64-bit;
- booleans ``#t`` and ``#f`` (also ``#true`` and ``#false``);
- strings in double quotes, with the escapes ``\\"``, ``\\\\``, ``\\n`` and ``\\t``;
- lists ``(a b c)``, dotted pairs ``(a . b)``, and ``'x`` for ``(quote x)``;
- every other run of characters up to a delimiter is a symbol (case-sensitive);
- ``;`` starts a comment that runs to the end of the line.

Malformed text raises ``ReadError`` with the line number.
"""

from objects import (
    ArithError,
    ReadError,
    W_Int,
    W_Pair,
    W_String,
    checked_mul,
    checked_sub,
    symbol_table,
    w_false,
    w_nil,
    w_true,
)


def is_delimiter(c):
    """Whether the character ``c`` ends a symbol or number."""
    return c.isspace() or c == "(" or c == ")" or c == '"' or c == ";" or c == "'"


class Reader(object):
    """Reads the data of one program text, left to right."""

    def __init__(self, source):
        self.source = source
        self.pos = 0

    def error(self, message):
        """A ``ReadError`` for ``message`` at the current position's line."""
        return self.error_at(self.pos, message)

    def error_at(self, pos, message):
        """A ``ReadError`` for ``message`` at the line of the position ``pos``."""
        line = 1
        for i in range(pos):
            if self.source[i] == "\n":
                line += 1
        return ReadError("line %d: %s" % (line, message))

    def skip_space(self):
        """Move past whitespace and comments."""
        source = self.source
        n = len(source)
        while self.pos < n:
            c = source[self.pos]
            if c == ";":
                while self.pos < n and source[self.pos] != "\n":
                    self.pos += 1
            elif c.isspace():
                self.pos += 1
            else:
                break

    def at_end(self):
        """Whether only whitespace and comments are left."""
        self.skip_space()
        return self.pos >= len(self.source)

    def read_all(self):
        """Read every datum of the text and return them in order."""
        data = []
        while not self.at_end():
            data.append(self.read())
        return data

    def read(self):
        """Read one datum; the text must not be at its end."""
        self.skip_space()
        if self.pos >= len(self.source):
            raise self.error("unexpected end of input")
        c = self.source[self.pos]
        if c == "(":
            self.pos += 1
            return self.read_list_tail(self.pos - 1)
        if c == ")":
            raise self.error("unexpected ')'")
        if c == "'":
            self.pos += 1
            if self.at_end():
                raise self.error("nothing after quote")
            w_quoted = self.read()
            return W_Pair(symbol_table.intern("quote"), W_Pair(w_quoted, w_nil))
        if c == '"':
            self.pos += 1
            return self.read_string()
        return self.read_atom()

    def read_list_tail(self, start):
        """Read the items of a list whose ``(``, at ``start``, has been consumed, and
        its ``)``."""
        items = []
        w_tail = w_nil
        while True:
            self.skip_space()
            if self.pos >= len(self.source):
                raise self.error_at(start, "missing ')' for this '('")
            c = self.source[self.pos]
            if c == ")":
                self.pos += 1
                break
            if c == "." and self.dot_is_alone():
                if len(items) == 0:
                    raise self.error("'.' at the start of a list")
                self.pos += 1
                if self.at_end():
                    raise self.error("unexpected end of input after '.'")
                w_tail = self.read()
                self.skip_space()
                if self.pos >= len(self.source) or self.source[self.pos] != ")":
                    raise self.error("expected ')' after the datum following '.'")
                self.pos += 1
                break
            items.append(self.read())
        w_result = w_tail
        i = len(items) - 1
        while i >= 0:
            w_result = W_Pair(items[i], w_result)
            i -= 1
        return w_result

    def dot_is_alone(self):
        """Whether the ``.`` at the current position is a dotted-pair marker."""
        next_pos = self.pos + 1
        return next_pos >= len(self.source) or is_delimiter(self.source[next_pos])

    def read_string(self):
        """Read a string literal whose opening quote has been consumed.

        The runs of ordinary characters are copied as slices of the source, with the
        character of each escape sequence between them.
        """
        source = self.source
        n = len(source)
        parts = []
        opening = self.pos - 1
        start = self.pos
        while True:
            if self.pos >= n:
                raise self.error_at(opening, "unterminated string")
            c = source[self.pos]
            if c == '"':
                parts.append(source[start:self.pos])
                self.pos += 1
                break
            if c != "\\":
                self.pos += 1
                continue
            parts.append(source[start:self.pos])
            if self.pos + 1 >= n:
                raise self.error_at(opening, "unterminated string")
            e = source[self.pos + 1]
            if e == "n":
                parts.append("\n")
            elif e == "t":
                parts.append("\t")
            elif e == '"' or e == "\\":
                parts.append(e)
            else:
                raise self.error("unknown escape \\" + e + " in string")
            self.pos += 2
            start = self.pos
        return W_String("".join(parts))

    def read_atom(self):
        """Read a number, a boolean or a symbol."""
        source = self.source
        start = self.pos
        while self.pos < len(source) and not is_delimiter(source[self.pos]):
            self.pos += 1
        token = source[start:self.pos]
        if token[0] == "#":
            if token == "#t" or token == "#true":
                return w_true
            if token == "#f" or token == "#false":
                return w_false
            raise self.error("unknown syntax " + token)
        if is_integer_token(token):
            return W_Int(self.parse_integer(token))
        return symbol_table.intern(token)

    def parse_integer(self, token):
        """The value of a token accepted by ``is_integer_token``; checks for overflow."""
        negative = token[0] == "-"
        start = 0
        if token[0] == "-" or token[0] == "+":
            start = 1
        # Accumulate the negated value, so that the most negative integer can be read.
        value = 0
        try:
            for i in range(start, len(token)):
                digit = ord(token[i]) - ord("0")
                value = checked_sub(checked_mul(value, 10), digit)
            if not negative:
                value = checked_sub(0, value)
        except ArithError:
            raise self.error("integer literal out of range: " + token)
        return value


def is_integer_token(token):
    """Whether ``token`` is an optional sign followed by at least one decimal digit."""
    start = 0
    if token[0] == "-" or token[0] == "+":
        start = 1
    if start >= len(token):
        return False
    for i in range(start, len(token)):
        if not token[i].isdigit():
            return False
    return True


def read_program(source):
    """Read every datum of the program text ``source``."""
    return Reader(source).read_all()
