"""Machine-word integer arithmetic, as in RPython's ``rlib.rarithmetic``.

A translated ``int`` is a signed 64-bit machine word, while a CPython ``int`` is unbounded.
The helpers here make the difference explicit so that the same source gives the same
results in both worlds:

- ``intmask(x)`` wraps any integer to a signed 64-bit value (two's complement).
- ``ovfcheck(x)`` returns ``x`` if it fits in a signed 64-bit word and raises
  ``OverflowError`` otherwise; wrap the single arithmetic operation whose overflow you
  want to detect, e.g. ``ovfcheck(a + b)``.
- ``r_uint`` is an unsigned 64-bit word: arithmetic wraps modulo 2**64 and comparisons
  are unsigned. Mixing an ``r_uint`` with a plain ``int`` gives an ``r_uint`` (the
  ``int`` operand is first wrapped to 64 bits).
- ``r_int`` is the signed counterpart: arithmetic wraps to signed 64 bits.
- ``r_longlong`` and ``r_ulonglong`` are ``r_int`` and ``r_uint``: on 64-bit Linux a C
  ``long long`` is a machine word, as in RPython.
- ``is_valid_int(x)`` is True for an int (or bool) that fits in a signed 64-bit word, and
  for an ``r_uint``.
- ``string_to_int(s, base=10)`` is ``int(s, base)``: surrounding whitespace, a sign and
  (with base 16, 8 or 2) a ``0x``/``0o``/``0b`` prefix are accepted, and bad input raises
  ``ValueError`` (RPython raises its own ``ParseStringError``). A number that does not
  fit in 64 bits raises ``OverflowError``, as the translated program does.
"""

LONG_BIT = 64
maxint = (1 << (LONG_BIT - 1)) - 1

_MASK = (1 << LONG_BIT) - 1
_SIGN_BIT = 1 << (LONG_BIT - 1)


def intmask(x):
    """Return ``x`` wrapped to a signed 64-bit integer, as a plain ``int``."""
    n = int(x) & _MASK
    if n & _SIGN_BIT:
        n -= 1 << LONG_BIT
    return n


def ovfcheck(x):
    """Return ``x`` if it fits in a signed 64-bit integer, else raise ``OverflowError``."""
    if isinstance(x, r_uint):
        raise TypeError("ovfcheck() of an unsigned value: r_uint arithmetic never overflows")
    if not isinstance(x, int):
        raise TypeError("ovfcheck() expects an int, got %s" % type(x).__name__)
    if -maxint - 1 <= x <= maxint:
        return int(x)
    raise OverflowError("integer overflow")


class _FixedInt(int):
    """Base of ``r_uint`` and ``r_int``: an ``int`` whose arithmetic wraps to 64 bits.

    Subclasses define ``_wrap(n)``, which maps an unbounded integer into the subclass's
    range. Every operator wraps the other operand with ``_wrap``, computes on unbounded
    integers and wraps the result, so mixing with a plain ``int`` gives the subclass's
    type. Mixing ``r_int`` with ``r_uint`` gives ``r_uint``, as in C and RPython.
    """

    __slots__ = ()

    @classmethod
    def _wrap(cls, n):
        raise NotImplementedError

    def __new__(cls, value=0):
        return int.__new__(cls, cls._wrap(int(value)))

    def __repr__(self):
        return "%s(%d)" % (type(self).__name__, int(self))

    # print() and str() show the number, as a translated program does.
    def __str__(self):
        return str(int(self))

    def _other(self, other):
        """The other operand wrapped to this type's range, or None if it does not mix."""
        if not isinstance(other, int):
            return None
        if isinstance(other, r_uint) and not isinstance(self, r_uint):
            # Let r_uint's reflected operator handle it: unsigned wins.
            return None
        return type(self)._wrap(int(other))

    def __add__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(int(self) + o)

    __radd__ = __add__

    def __sub__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(int(self) - o)

    def __rsub__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(o - int(self))

    def __mul__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(int(self) * o)

    __rmul__ = __mul__

    # Both operands are already in range, so Python's floor division and modulo give
    # unsigned division for r_uint (operands are non-negative) and RPython's floor
    # semantics for r_int.
    def __floordiv__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(int(self) // o)

    def __rfloordiv__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(o // int(self))

    def __mod__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(int(self) % o)

    def __rmod__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(o % int(self))

    def __and__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(int(self) & o)

    __rand__ = __and__

    def __or__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(int(self) | o)

    __ror__ = __or__

    def __xor__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(int(self) ^ o)

    __rxor__ = __xor__

    # The shift count is a plain count, never wrapped; the result has the type of the
    # value being shifted.
    def __lshift__(self, other):
        if not isinstance(other, int):
            return NotImplemented
        return type(self)(int(self) << _shift_count(other))

    def __rlshift__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(o << _shift_count(self))

    def __rshift__(self, other):
        if not isinstance(other, int):
            return NotImplemented
        return type(self)(int(self) >> _shift_count(other))

    def __rrshift__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else type(self)(o >> _shift_count(self))

    def __neg__(self):
        return type(self)(-int(self))

    def __pos__(self):
        return self

    def __abs__(self):
        return type(self)(abs(int(self)))

    def __invert__(self):
        return type(self)(~int(self))

    def __eq__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else int(self) == o

    def __ne__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else int(self) != o

    def __lt__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else int(self) < o

    def __le__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else int(self) <= o

    def __gt__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else int(self) > o

    def __ge__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else int(self) >= o

    __hash__ = int.__hash__


def _shift_count(count):
    count = int(count)
    if count < 0:
        raise ValueError("negative shift count")
    return count


class r_uint(_FixedInt):
    """An unsigned 64-bit machine word.

    ``+ - * // % & | ^ << >>`` and ``~`` wrap modulo 2**64; ``//`` and ``%`` divide as
    unsigned numbers; ``>>`` is a logical shift. A plain ``int`` operand is first wrapped
    to 64 bits, so ``r_uint(0) - 1 == r_uint(2**64 - 1)``, and comparisons are unsigned:
    ``r_uint(1) < -1`` because ``-1`` is compared as ``2**64 - 1``. Equality follows the
    same rule (``r_uint(-1) == -1``) while hashing stays by value, so do not mix the two
    as keys of one dict.
    """

    __slots__ = ()

    @classmethod
    def _wrap(cls, n):
        return n & _MASK


class r_int(_FixedInt):
    """A signed 64-bit machine word whose arithmetic wraps (two's complement).

    ``//`` and ``%`` keep Python's floor semantics, like a translated ``int``; ``>>`` is
    an arithmetic shift.
    """

    __slots__ = ()

    @classmethod
    def _wrap(cls, n):
        return intmask(n)


r_longlong = r_int
r_ulonglong = r_uint


def is_valid_int(x):
    """Whether ``x`` is a machine-word int: an int (or bool) that fits in a signed 64-bit
    word, or an ``r_uint`` (translated, every int value is one)."""
    return isinstance(x, r_uint) or (isinstance(x, int) and -maxint - 1 <= x <= maxint)


def string_to_int(s, base=10):
    """Parse ``s`` as an integer in ``base``, as ``int(s, base)`` does, within 64 bits."""
    value = int(s, base)
    if not -maxint - 1 <= value <= maxint:
        raise OverflowError("int too large to convert")
    return value
