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
reds (only the greens when ``reds='auto'``), otherwise ``TypeError`` is raised.

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


def _check_names(what, names):
    names = list(names)
    for name in names:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise TypeError("JitDriver %s must be variable names, got %r" % (what, name))
    if len(set(names)) != len(names):
        raise TypeError("JitDriver %s contain a duplicate name: %r" % (what, names))
    return names


class JitDriver(object):
    """The hints for one interpreter dispatch loop."""

    def __init__(
        self,
        greens=None,
        reds=None,
        virtualizables=None,
        get_printable_location=None,
        name="jitdriver",
    ):
        if greens is None:
            raise TypeError("JitDriver needs greens=[...]")
        if reds is None:
            raise TypeError("JitDriver needs reds=[...] or reds='auto'")
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

    def __repr__(self):
        return "<JitDriver %r greens=%r reds=%r>" % (self.name, self.greens, self.reds)

    def _check_livevars(self, method, livevars):
        given = frozenset(livevars)
        if given == self._livevars:
            return
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

    def jit_merge_point(self, **livevars):
        """Mark the top of the dispatch loop; a no-op under CPython."""
        self._check_livevars("jit_merge_point", livevars)

    def can_enter_jit(self, **livevars):
        """Mark a backward jump of the interpreted program; a no-op under CPython."""
        self._check_livevars("can_enter_jit", livevars)


def promote(x):
    """Make ``x`` a constant in the trace (behind a guard); returns ``x`` unchanged."""
    return x


def promote_string(x):
    """Make the string ``x`` a constant in the trace, comparing by value; returns ``x``."""
    return x


def hint(x, **kwds):
    """A general hint about ``x`` for the JIT; returns ``x`` unchanged."""
    return x


def elidable(func):
    """Declare ``func`` free of side effects: calls with constant arguments fold away."""
    func._kiln_elidable_ = True
    return func


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
