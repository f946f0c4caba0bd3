"""``rpython.rlib.rstring`` for Kiln: ``StringBuilder`` and the parse errors of
``string_to_int``, written in RPy (the translator reads this same file).

``ParseStringError`` derives from ``ValueError`` here (RPython's derives from
``Exception``), so that code catching either catches it: ``string_to_int`` raises it for
text that is not a number, where ``int()`` raises ``ValueError``.
"""


class ParseStringError(ValueError):
    """Text that is not a number (``string_to_int("x")``)."""

    def __init__(self, msg):
        ValueError.__init__(self, msg)
        self.msg = msg


class ParseStringOverflowError(Exception):
    """A number that does not fit in a machine word (``string_to_int``). RPython passes
    the parser that stopped; Kiln's parser is ``int()``, so ``parser`` is None."""

    def __init__(self, parser=None):
        Exception.__init__(self, "integer too large to fit in a machine word")
        self.parser = parser


class StringBuilder(object):
    """Builds a str from pieces in time linear in the result's length."""

    def __init__(self, init_size=100):
        self._pieces = []
        self._length = 0

    def append(self, s):
        self._pieces.append(s)
        self._length += len(s)

    def append_char(self, c):
        assert len(c) == 1
        self._pieces.append(c)
        self._length += 1

    def append_slice(self, s, start, end):
        assert 0 <= start <= end <= len(s)
        self._pieces.append(s[start:end])
        self._length += end - start

    def append_multiple_char(self, c, times):
        assert len(c) == 1
        if times > 0:
            self._pieces.append(c * times)
            self._length += times

    def getlength(self):
        return self._length

    def build(self):
        s = "".join(self._pieces)
        # Later appends go on from the result, as RPython's builder does.
        self._pieces = [s]
        return s


UnicodeBuilder = StringBuilder
