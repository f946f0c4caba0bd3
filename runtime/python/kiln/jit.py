"""JIT hints, as in RPython's ``rlib.jit``.

An interpreter declares one ``JitDriver`` per dispatch loop, listing its *greens* (the
variables that together say where the interpreted program is: constant within a trace)
and its *reds* (everything else live in the loop), calls ``jit_merge_point`` at the top
of the loop and ``can_enter_jit`` where the interpreted program jumps backwards.
``promote`` makes a run-time value a trace constant behind a guard; ``@elidable``,
``@unroll_safe``, ``@dont_look_inside`` and ``@look_inside`` steer what the tracer does
with calls.

Under CPython every hint is a no-op, but ``JitDriver`` checks its arguments so that
mistakes surface in a quick CPython run rather than at translation time: the keyword
arguments of ``jit_merge_point`` and ``can_enter_jit`` must be exactly the greens and the
reds (only the greens when ``reds='auto'``), otherwise ``TypeError`` is raised. The check
allocates nothing (a dict-keys view compared with a frozenset), so interpreters with a
JitDriver stay fast under CPython and pypy3. As in RPython, the driver is the parameter
``_self`` so that a red variable may be called ``self``; a subclass of ``JitDriver`` may
declare ``greens``/``reds`` as class attributes.

The API follows RPython's ``rpython.rlib.jit``: ``purefunction`` is the old name of
``elidable``; ``elidable_promote``, ``look_inside_iff``, ``loop_invariant``, ``oopspec``
are decorators (identity under CPython); ``isconstant``/``isvirtual`` return False (no
value is a trace constant outside the JIT); ``assert_green`` does nothing.

The decorators set these attributes, which the toolchain reads:
``_kiln_elidable_``, ``_kiln_unroll_safe_`` (True) and ``_kiln_look_inside_`` (False for
``dont_look_inside``, True for ``look_inside``).
"""

import keyword

_JIT_PARAMETERS = (
    "threshold",
    "function_threshold",
    "trace_eagerness",
    "trace_limit",
    "inlining",
    "loop_longevity",
    "retrace_limit",
    "max_unroll_loops",
    "enable_opts",
)


# How many calls of `jit_merge_point` and of `can_enter_jit` each driver checks.
_CHECKED_CALLS = 1000


def _unchecked(**livevars):
    """What a driver's hint methods become once their first calls have been checked."""


def _check_names(what, names):
    names = list(names)
    for name in names:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise TypeError("JitDriver %s must be variable names, got %r" % (what, name))
    if len(set(names)) != len(names):
        raise TypeError("JitDriver %s contain a duplicate name: %r" % (what, names))
    return names


class JitDriver(object):
    """The hints for one interpreter dispatch loop.

    The keyword arguments RPython accepts are accepted; those that only matter to the
    JIT (``is_recursive``, ``should_unroll_one_iteration``, ``get_unique_id``, ...) are
    recorded and otherwise ignored. ``greens`` and ``reds`` default to the class
    attributes of the same names, for subclasses that declare them there.
    """

    greens = None
    reds = None
    virtualizables = None

    def __init__(
        self,
        greens=None,
        reds=None,
        virtualizables=None,
        get_jitcell_at=None,
        set_jitcell_at=None,
        get_printable_location=None,
        confirm_enter_jit=None,
        can_never_inline=None,
        should_unroll_one_iteration=None,
        name="jitdriver",
        check_untranslated=True,
        vectorize=False,
        vec_cost=0,
        is_recursive=False,
        get_unique_id=None,
        get_location=None,
    ):
        if greens is None:
            greens = type(self).greens
        if reds is None:
            reds = type(self).reds
        if virtualizables is None:
            virtualizables = type(self).virtualizables
        if greens is None:
            raise TypeError("JitDriver needs greens=[...]")
        if reds is None:
            raise TypeError("JitDriver needs reds=[...] or reds='auto'")
        for what, f in (
            ("get_jitcell_at", get_jitcell_at),
            ("set_jitcell_at", set_jitcell_at),
            ("confirm_enter_jit", confirm_enter_jit),
            ("can_never_inline", can_never_inline),
            ("should_unroll_one_iteration", should_unroll_one_iteration),
            ("get_unique_id", get_unique_id),
            ("get_location", get_location),
        ):
            if f is not None and not callable(f):
                raise TypeError("JitDriver %s must be a function" % what)
        self.is_recursive = bool(is_recursive)
        self.should_unroll_one_iteration = should_unroll_one_iteration
        self.greens = _check_names("greens", greens)
        if reds == "auto":
            self.reds = "auto"
            red_names = []
        elif isinstance(reds, str):
            raise TypeError("JitDriver reds must be a list of names or 'auto', got %r" % reds)
        else:
            self.reds = _check_names("reds", reds)
            red_names = self.reds
        both = set(self.greens) & set(red_names)
        if both:
            raise TypeError("JitDriver names are both green and red: %s" % sorted(both))
        self.virtualizables = _check_names("virtualizables", virtualizables or [])
        for v in self.virtualizables:
            if v not in red_names:
                raise TypeError("JitDriver virtualizable %r is not one of the reds" % v)
        if get_printable_location is not None and not callable(get_printable_location):
            raise TypeError("JitDriver get_printable_location must be a function")
        self.get_printable_location = get_printable_location
        self.name = name
        self._livevars = frozenset(self.greens) | frozenset(red_names)
        self._merge_checks = _CHECKED_CALLS
        self._enter_checks = _CHECKED_CALLS

    def __repr__(self):
        return "<JitDriver %r greens=%r reds=%r>" % (self.name, self.greens, self.reds)

    def _check_livevars(self, method, livevars):
        given = frozenset(livevars)
        missing = sorted(self._livevars - given)
        unexpected = sorted(given - self._livevars)
        parts = []
        if missing:
            parts.append("missing %s" % ", ".join(missing))
        if unexpected:
            parts.append("unexpected %s" % ", ".join(unexpected))
        expected = "greens + reds" if self.reds != "auto" else "the greens (reds='auto')"
        raise TypeError(
            "%s() of JitDriver %r takes exactly %s as keyword arguments: %s"
            % (method, self.name, expected, "; ".join(parts))
        )

    # The driver is `_self`, as in RPython, so that a red may be named `self`.
    #
    # Checking the names costs more than the rest of a typical dispatch loop under pypy3
    # (any look at the keyword dict makes the JIT allocate it: 35x slower measured on a
    # small bytecode loop). So each method checks its first `_CHECKED_CALLS` calls
    # exactly, then replaces itself on this driver with a function that does nothing.
    # A call site first reached later is not checked under CPython; `kiln translate`
    # checks every call site statically, with a diagnostic.
    def jit_merge_point(_self, **livevars):
        """Mark the top of the dispatch loop; a no-op under CPython."""
        if livevars.keys() != _self._livevars:
            _self._check_livevars("jit_merge_point", livevars)
        _self._merge_checks -= 1
        if _self._merge_checks <= 0:
            _self.jit_merge_point = _unchecked

    def can_enter_jit(_self, **livevars):
        """Mark a backward jump of the interpreted program; a no-op under CPython."""
        if livevars.keys() != _self._livevars:
            _self._check_livevars("can_enter_jit", livevars)
        _self._enter_checks -= 1
        if _self._enter_checks <= 0:
            _self.can_enter_jit = _unchecked

    def loop_header(_self):
        """Mark a loop of the interpreter itself that the JIT should treat as a loop."""


def promote(x):
    """Make ``x`` a constant in the trace (behind a guard); returns ``x`` unchanged."""
    return x


def promote_string(x):
    """Make the string ``x`` a constant in the trace, comparing by value; returns ``x``."""
    return x


def hint(x, **kwds):
    """A general hint about ``x`` for the JIT (``promote=True``,
    ``access_directly=True``, ``force_virtualizable=True``, ...); returns ``x``."""
    return x


def isconstant(value):
    """Whether ``value`` is a constant in the trace being compiled: never, outside the
    JIT."""
    return False


def isvirtual(value):
    """Whether ``value`` is a virtual (not yet allocated) object in the trace: never,
    outside the JIT."""
    return False


def assert_green(value):
    """Assert that ``value`` is a trace constant when tracing; a no-op otherwise."""


def elidable(func):
    """Declare ``func`` free of side effects: calls with constant arguments fold away."""
    func._kiln_elidable_ = True
    return func


purefunction = elidable


def elidable_promote(promote_args="all"):
    """Decorator: ``elidable``, with the arguments promoted first (all of them, or the
    comma-separated positions in ``promote_args``)."""

    def decorate(func):
        func._kiln_elidable_ = True
        func._kiln_promote_args_ = promote_args
        return func

    return decorate


def look_inside_iff(predicate):
    """Decorator: trace into the function only when ``predicate(*args)`` holds; the
    tracer calls it as a black box otherwise."""
    if not callable(predicate):
        raise TypeError("look_inside_iff() takes a predicate function")

    def decorate(func):
        func._kiln_look_inside_iff_ = predicate
        return func

    return decorate


def loop_invariant(func):
    """Declare that ``func`` returns the same result within one loop of a trace."""
    func._kiln_loop_invariant_ = True
    return func


def oopspec(spec):
    """Decorator naming the operation the JIT may treat ``func`` as."""

    def decorate(func):
        func.oopspec = spec
        return func

    return decorate


def unroll_safe(func):
    """Let the tracer inline ``func`` even though it contains a loop."""
    func._kiln_unroll_safe_ = True
    return func


def dont_look_inside(func):
    """Make the tracer call ``func`` as a black box instead of tracing into it."""
    func._kiln_look_inside_ = False
    return func


def look_inside(func):
    """Make the tracer trace into ``func`` (the default, stated explicitly)."""
    func._kiln_look_inside_ = True
    return func


def we_are_jitted():
    """Return False: under CPython no code is ever running inside a trace."""
    return False


def set_param(driver, name, value):
    """Set a JIT parameter (``threshold``, ``trace_limit``, ...); a no-op under CPython.

    ``driver`` is a ``JitDriver`` or None for all drivers. Unknown parameter names raise
    ``ValueError`` so that typos show up in CPython runs.
    """
    if driver is not None and not isinstance(driver, JitDriver):
        raise TypeError("set_param() expects a JitDriver or None, got %r" % (driver,))
    if name not in _JIT_PARAMETERS:
        raise ValueError(
            "unknown JIT parameter %r (known: %s)" % (name, ", ".join(_JIT_PARAMETERS))
        )
