"""Translation-time helpers, as in RPython's ``rlib.objectmodel``.

- ``we_are_translated()`` is False under CPython and True in a translated binary; use it
  to keep debugging code out of the binary, never to change a program's results.
- ``specialize.argtype(*n)``, ``specialize.arg(*n)`` and ``specialize.memo()`` ask the
  annotator to make one copy of a function per argument type, per constant argument
  value, or one memoised result per constant argument. Under CPython ``argtype`` and
  ``arg`` return the function unchanged; ``memo`` returns a wrapper that caches one
  result per argument tuple, as the translated program does. All record the request as
  ``func._kiln_specialize_``, a tuple ``(kind, argument_indices)`` such as
  ``("argtype", (0,))`` or ``("memo", ())``.
- ``unrolling_iterable(items)`` is a constant sequence whose ``for`` loops Kiln unrolls.
- ``compute_hash(x)`` is the hash Kiln uses for dict keys: the value hash of a str, int,
  float, bool, tuple or None, and the identity hash of any other object.
- ``@not_rpython`` marks import-time-only helpers (``func._not_rpython_ = True``);
  Kiln reports an error if run-time code calls one.
- ``@always_inline`` asks the backend to inline every call
  (``func._kiln_always_inline_ = True``).
- ``specialize.call_location()`` (one copy per call site in RPython; Kiln makes one copy
  per combination of argument types, which types every call site as precisely) and
  ``specialize.arg_or_var(*n)`` (RPython specialises on the constant value where the
  argument is a constant; Kiln specialises on the argument types).
- ``compute_identity_hash(x)`` is an identity hash of an object; ``compute_unique_id(x)``
  a unique id while the object lives (import time only in Kiln).
- ``instantiate(cls)`` makes an instance of ``cls`` without calling ``__init__``
  (import time only in Kiln).
- ``make_sure_not_resized(lst)`` returns ``lst``; RPython uses it to check that a list is
  never resized.
- ``enforceargs(*types)`` is accepted and checks nothing.
"""


def we_are_translated():
    """Return False: this is CPython, not a translated binary."""
    return False


def _check_indices(kind, indices):
    for index in indices:
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise TypeError(
                "specialize.%s() takes argument positions (non-negative ints), got %r"
                % (kind, index)
            )
    return tuple(indices)


def _recorder(kind, indices):
    def decorate(func):
        func._kiln_specialize_ = (kind, indices)
        return func

    return decorate


class specialize(object):
    """Namespace of specialisation requests; each returns an identity decorator."""

    def __init__(self):
        raise TypeError("specialize is a namespace: use specialize.argtype(...) etc.")

    @staticmethod
    def argtype(*indices):
        """One copy of the function per combination of the given arguments' types."""
        if not indices:
            raise TypeError("specialize.argtype() needs at least one argument position")
        return _recorder("argtype", _check_indices("argtype", indices))

    @staticmethod
    def arg(*indices):
        """One copy of the function per combination of the given constant arguments."""
        if not indices:
            raise TypeError("specialize.arg() needs at least one argument position")
        return _recorder("arg", _check_indices("arg", indices))

    @staticmethod
    def call_location():
        """One copy of the function per call site (Kiln: per argument types)."""
        return _recorder("call_location", ())

    @staticmethod
    def arg_or_var(*indices):
        """Specialise on the given arguments where they are constants (Kiln: on their
        types)."""
        if not indices:
            raise TypeError("specialize.arg_or_var() needs at least one argument position")
        return _recorder("arg_or_var", _check_indices("arg_or_var", indices))

    @staticmethod
    def memo():
        """Compute the function once per constant argument tuple; later calls with the
        same arguments return the same result (the same object)."""

        def decorate(func):
            cache = {}

            def memoized(*args):
                try:
                    return cache[args]
                except KeyError:
                    result = cache[args] = func(*args)
                    return result

            memoized.__name__ = func.__name__
            memoized.__qualname__ = getattr(func, "__qualname__", func.__name__)
            memoized.__doc__ = func.__doc__
            memoized.__wrapped__ = func
            memoized._kiln_specialize_ = ("memo", ())
            return memoized

        return decorate


class unrolling_iterable(object):
    """A fixed, constant sequence whose ``for`` loops Kiln unrolls at translation time."""

    __slots__ = ("_items",)

    def __init__(self, iterable):
        self._items = tuple(iterable)

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)

    def __repr__(self):
        return "unrolling_iterable(%r)" % (self._items,)


def compute_hash(x):
    """Return the hash Kiln uses for ``x``: by value for immutable builtins, else by identity."""
    if x is None:
        return 0
    if isinstance(x, (str, int, float, tuple)):
        return hash(x)
    return object.__hash__(x)


def not_rpython(func):
    """Mark ``func`` as import-time only: run-time RPy code must not call it."""
    func._not_rpython_ = True
    return func


def always_inline(func):
    """Ask the backend to inline ``func`` at every call site."""
    func._kiln_always_inline_ = True
    return func


def compute_identity_hash(x):
    """Return a hash of ``x`` by identity, stable while ``x`` lives."""
    return object.__hash__(x)


def compute_unique_id(x):
    """Return an integer unique to ``x`` among the objects alive at the same time."""
    return id(x)


def instantiate(cls, nonmovable=False):
    """Return a new instance of ``cls`` without calling its ``__init__``."""
    return cls.__new__(cls)


def make_sure_not_resized(lst):
    """Return ``lst``; RPython checks that the list is never resized."""
    return lst


def enforceargs(*types, **kwds):
    """Accepted for RPython sources: returns an identity decorator."""

    def decorate(func):
        return func

    return decorate
