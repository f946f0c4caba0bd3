"""``rpython.rlib.rarithmetic`` for Kiln: the machine-word helpers of ``kiln.rarith``,
and RPython's ``string_to_int``, which raises ``ParseStringOverflowError`` for a number
that does not fit in 64 bits (RPy; the translator reads this same file)."""

from kiln.objectmodel import we_are_translated
from kiln.rarith import (  # noqa: F401
    LONG_BIT,
    intmask,
    is_valid_int,
    maxint,
    ovfcheck,
    r_int,
    r_longlong,
    r_uint,
    r_ulonglong,
)
from rpython.rlib.rstring import ParseStringError, ParseStringOverflowError


def string_to_int(s, base=10):
    """``int(s, base)`` within a machine word: ``ParseStringOverflowError`` when the
    number does not fit, ``ParseStringError`` (a ``ValueError``) when ``s`` is not a
    number."""
    try:
        value = int(s, base)
    except OverflowError:
        raise ParseStringOverflowError(None)
    except ValueError:
        raise ParseStringError("invalid literal for int() with base %d: %r" % (base, s))
    if not we_are_translated():
        # CPython's int() grows; the translated int() raised OverflowError above.
        if value > maxint or value < -maxint - 1:
            raise ParseStringOverflowError(None)
    return value
