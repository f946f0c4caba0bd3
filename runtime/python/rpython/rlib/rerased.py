"""``rpython.rlib.rerased`` for Kiln: erasing pairs, written in RPy (the translator reads
this same file).

RPython erases a value to an untyped pointer and casts it back. Kiln boxes it instead:
each pair made by ``new_erasing_pair(name)`` has its own subclass of ``Erased`` with its
own field, so values of any types can be erased into one ``Erased``-typed slot (a list
of erased storage, an attribute holding lists of ints or of objects by strategy), and
the annotator still knows the exact type behind each pair's ``unerase``. ``unerase``
checks that its argument came from the same pair and raises ``AssertionError``
otherwise, under CPython and translated alike (RPython's translated cast would not
check). The box costs one small allocation per ``erase``.
"""

from kiln.rarith import maxint


class Erased(object):
    """An erased value: only the pair that made it can get the value back."""


class ErasedInt(Erased):
    """An int erased by ``erase_int``."""

    def __init__(self, value):
        self._erased_int = value


_pairs = []


def new_erasing_pair(name):
    """Returns ``(erase, unerase)``: ``unerase(erase(x)) is x`` for values of one
    type (None included)."""
    index = len(_pairs)
    _pairs.append(name)
    attr = "_erased_%d" % index
    cls = type("Erased_" + name, (Erased,), {})

    def erase(x):
        e = cls()
        setattr(e, attr, x)
        return e

    def unerase(y):
        assert isinstance(y, cls), "unerase() of a value erased by another pair"
        return getattr(y, attr)

    return erase, unerase


def new_static_erasing_pair(name):
    return new_erasing_pair(name)


def erase_int(x):
    """Erases an int; as in RPython, it must fit in 63 bits (``OverflowError``
    otherwise)."""
    if x > (maxint >> 1) or x < -(maxint >> 1) - 1:
        raise OverflowError("erase_int: integer does not fit in 63 bits")
    return ErasedInt(x)


def unerase_int(y):
    assert isinstance(y, ErasedInt), "unerase_int() of a value that is not an erased int"
    return y._erased_int


def is_integer(y):
    """Whether ``y`` was made by ``erase_int``."""
    return isinstance(y, ErasedInt)
