"""The run-time values of the Lisp interpreter, and its errors.

Every Lisp value is an instance of a subclass of ``W_Object`` ("wrapped object", the
naming convention of PyPy's interpreters):

    W_Object
    ├── W_Int          a 64-bit integer
    ├── W_Bool         #t and #f (two prebuilt instances)
    ├── W_String       an immutable string
    ├── W_Symbol       an interned symbol (one instance per name, see SymbolTable)
    ├── W_Nil          the empty list () (one prebuilt instance)
    ├── W_Void         the value of forms that have no useful value, e.g. (display x)
    ├── W_Pair         a cons cell
    └── W_Procedure
        ├── W_Builtin  a primitive; each primitive is a subclass (see builtins.py)
        └── W_Closure  a lambda together with the frame it was created in

Behaviour that differs between kinds of value is a method overridden in the subclasses
(``is_true``, ``to_str``, ``to_display``, ``is_eq``, ``equal``, ``call``); the base class
gives every method a default, so that any of them can be called on a ``W_Object``.

Variables live in ``Frame`` objects: the compiler (compiler.py) resolves every local
variable to a (depth, index) pair, so a frame is a list of slots plus the frame of the
enclosing scope. Global variables live in ``GlobalCell`` objects, one per name.

The errors a Lisp program can cause are Python exceptions deriving from ``LispError``;
the top level (lisp.py) catches them and prints ``error: <message>``.
"""

from kiln.rarith import ovfcheck


# ---------------------------------------------------------------------------------------
# Errors


class LispError(Exception):
    """Base class of every error a Lisp program can raise; ``str(e)`` is the message."""


class ReadError(LispError):
    """The program text is not well-formed (unbalanced parentheses, bad literal...)."""


class BadSyntax(LispError):
    """A special form is malformed, e.g. ``(if)`` or ``(lambda (1) x)``."""


class UnboundVariable(LispError):
    """A variable was read or assigned before any definition of it."""


class WrongType(LispError):
    """A primitive got an argument of the wrong type, or a non-procedure was called."""


class WrongArgCount(LispError):
    """A procedure was called with the wrong number of arguments."""


class ArithError(LispError):
    """Division by zero, or a result that does not fit in 64 bits."""


class UserError(LispError):
    """Raised by the Lisp program itself with ``(error "message" irritant ...)``."""


# ---------------------------------------------------------------------------------------
# Values


class W_Object(object):
    """Base class of every Lisp value."""

    def is_true(self):
        """Whether the value counts as true in a test: everything except #f does."""
        return True

    def to_str(self):
        """The external representation, as ``write`` prints it (strings are quoted)."""
        raise NotImplementedError("to_str")

    def to_display(self):
        """The representation ``display`` prints: like ``to_str`` except for strings."""
        return self.to_str()

    def is_eq(self, w_other):
        """``eq?``: identity, except that integers with the same value are ``eq?``."""
        return self is w_other

    def equal(self, w_other):
        """``equal?``: structural equality (pairs and strings compare their contents)."""
        return self.is_eq(w_other)

    def call(self, args):
        """Apply the value to the list of argument values ``args``; only procedures can."""
        raise WrongType("not a procedure: " + self.to_str())


class W_Int(W_Object):
    """A signed 64-bit integer."""

    def __init__(self, intval):
        self.intval = intval

    def to_str(self):
        return str(self.intval)

    def is_eq(self, w_other):
        return isinstance(w_other, W_Int) and w_other.intval == self.intval


class W_Bool(W_Object):
    """A boolean; there are exactly two instances, ``w_true`` and ``w_false``."""

    def __init__(self, boolval):
        self.boolval = boolval

    def is_true(self):
        return self.boolval

    def to_str(self):
        if self.boolval:
            return "#t"
        return "#f"


class W_String(W_Object):
    """An immutable string."""

    def __init__(self, strval):
        self.strval = strval

    def to_str(self):
        return quote_string(self.strval)

    def to_display(self):
        return self.strval

    def equal(self, w_other):
        return isinstance(w_other, W_String) and w_other.strval == self.strval


class W_Symbol(W_Object):
    """A symbol. Symbols are interned (see ``SymbolTable``), so ``eq?`` is identity."""

    def __init__(self, name):
        self.name = name

    def to_str(self):
        return self.name


class W_Nil(W_Object):
    """The empty list ``()``; the only instance is ``w_nil``."""

    def to_str(self):
        return "()"


class W_Void(W_Object):
    """The unspecified value of ``define``, ``set!``, ``display`` and one-armed ``if``."""

    def to_str(self):
        return "#<void>"


class W_Pair(W_Object):
    """A cons cell; lists are chains of pairs ending in ``w_nil``."""

    def __init__(self, car, cdr):
        self.car = car
        self.cdr = cdr

    def to_str(self):
        return pair_to_string(self, False)

    def to_display(self):
        return pair_to_string(self, True)

    def equal(self, w_other):
        # Iterate along the cdrs, so that comparing long lists does not recurse deeply.
        w_left = self
        w_right = w_other
        while isinstance(w_left, W_Pair):
            if not isinstance(w_right, W_Pair):
                return False
            if not w_left.car.equal(w_right.car):
                return False
            w_left = w_left.cdr
            w_right = w_right.cdr
        return w_left.equal(w_right)


class W_Procedure(W_Object):
    """Base class of the values that can be called (what ``procedure?`` tests)."""


class W_Builtin(W_Procedure):
    """A primitive procedure.

    Each primitive is a subclass that sets the class attributes ``name``, ``min_args``
    and ``max_args`` (-1: no maximum) and overrides ``invoke``; ``call`` checks the
    argument count first, so ``invoke`` may index ``args`` freely.
    """

    name = "?"
    min_args = 0
    max_args = -1

    def to_str(self):
        return "#<procedure " + self.name + ">"

    def call(self, args):
        nargs = len(args)
        if nargs < self.min_args or (self.max_args >= 0 and nargs > self.max_args):
            raise WrongArgCount(
                arity_message(self.name, self.min_args, self.max_args, nargs)
            )
        return self.invoke(args)

    def invoke(self, args):
        """Compute the primitive's result from a list of the right number of arguments."""
        raise NotImplementedError("invoke")


class Code(object):
    """What the compiler makes of a ``lambda``: everything a closure needs but its frame.

    ``nparams`` is the number of required parameters; when ``has_rest`` is set, one more
    slot receives the list of the remaining arguments. ``frame_size`` counts those slots
    plus one per internal ``define`` of the body. ``body`` is an AST node (interp.py).
    """

    def __init__(self, name, nparams, has_rest, frame_size, body):
        self.name = name
        self.nparams = nparams
        self.has_rest = has_rest
        self.frame_size = frame_size
        self.body = body


class W_Closure(W_Procedure):
    """A user-defined procedure: compiled code plus the frame it closes over."""

    def __init__(self, code, frame):
        self.code = code
        self.frame = frame

    def to_str(self):
        return "#<procedure " + self.code.name + ">"

    def bind(self, args):
        """Return the frame for a call with the argument values ``args``.

        The new frame's parent is the closure's frame. Raises ``WrongArgCount``.
        """
        code = self.code
        nargs = len(args)
        if code.has_rest:
            if nargs < code.nparams:
                raise WrongArgCount(arity_message(code.name, code.nparams, -1, nargs))
        elif nargs != code.nparams:
            raise WrongArgCount(
                arity_message(code.name, code.nparams, code.nparams, nargs)
            )
        # The slots of the internal defines stay None until their define runs.
        values = [None] * code.frame_size
        for i in range(code.nparams):
            values[i] = args[i]
        if code.has_rest:
            values[code.nparams] = list_from_values(args, code.nparams)
        return Frame(values, self.frame)

    def call(self, args):
        # Used when a primitive (apply) calls a closure; calls written in the program
        # are made by the App node, which runs the body as a tail call instead.
        return self.code.body.eval(self.bind(args))


# ---------------------------------------------------------------------------------------
# Environments


class Frame(object):
    """The local variables of one activation of a lambda, ``let`` or ``letrec``.

    ``values`` has one slot per variable of the scope (None while a ``letrec`` or
    internal-``define`` variable is not yet initialised); ``parent`` is the frame of the
    enclosing scope, or None at top level.
    """

    def __init__(self, values, parent):
        self.values = values
        self.parent = parent


class GlobalCell(object):
    """The value of one global variable; ``value`` is None until it is defined."""

    def __init__(self, name):
        self.name = name
        self.value = None


class GlobalEnv(object):
    """The global variables: one ``GlobalCell`` per name, created on first mention.

    The compiler resolves every global reference to its cell once, so running a program
    never looks a name up in the dictionary.
    """

    def __init__(self):
        self.cells = {}

    def cell(self, name):
        """Return the cell of ``name``, creating an unbound one if needed."""
        cell = self.cells.get(name, None)
        if cell is None:
            cell = GlobalCell(name)
            self.cells[name] = cell
        return cell

    def define(self, name, w_value):
        """Bind the global variable ``name`` to ``w_value``."""
        self.cell(name).value = w_value


class SymbolTable(object):
    """Interns symbols: one ``W_Symbol`` per distinct name."""

    def __init__(self):
        self.symbols = {}

    def intern(self, name):
        """Return the symbol called ``name``."""
        w_symbol = self.symbols.get(name, None)
        if w_symbol is None:
            w_symbol = W_Symbol(name)
            self.symbols[name] = w_symbol
        return w_symbol


# ---------------------------------------------------------------------------------------
# Prebuilt instances


w_nil = W_Nil()
w_true = W_Bool(True)
w_false = W_Bool(False)
w_void = W_Void()

symbol_table = SymbolTable()
global_env = GlobalEnv()


# ---------------------------------------------------------------------------------------
# Helpers


def wrap_bool(value):
    """The Lisp boolean for the Python bool ``value``."""
    if value:
        return w_true
    return w_false


def list_from_values(values, start):
    """A Lisp list of ``values[start:]``."""
    w_result = w_nil
    i = len(values) - 1
    while i >= start:
        w_result = W_Pair(values[i], w_result)
        i -= 1
    return w_result


def quote_string(s):
    """``s`` as a string literal, with ``"``, ``\\``, newline and tab escaped."""
    parts = ['"']
    for i in range(len(s)):
        c = s[i]
        if c == '"':
            parts.append('\\"')
        elif c == "\\":
            parts.append("\\\\")
        elif c == "\n":
            parts.append("\\n")
        elif c == "\t":
            parts.append("\\t")
        else:
            parts.append(c)
    parts.append('"')
    return "".join(parts)


def pair_to_string(w_pair, display):
    """The representation of a list or improper list, for ``display`` or ``write``."""
    parts = ["("]
    w_item = w_pair
    first = True
    while isinstance(w_item, W_Pair):
        if not first:
            parts.append(" ")
        first = False
        if display:
            parts.append(w_item.car.to_display())
        else:
            parts.append(w_item.car.to_str())
        w_item = w_item.cdr
    if not isinstance(w_item, W_Nil):
        parts.append(" . ")
        if display:
            parts.append(w_item.to_display())
        else:
            parts.append(w_item.to_str())
    parts.append(")")
    return "".join(parts)


def arity_message(name, min_args, max_args, nargs):
    """The message of a ``WrongArgCount`` error."""
    if min_args == max_args:
        expected = str(min_args)
    elif max_args < 0:
        expected = "at least " + str(min_args)
    else:
        expected = "between " + str(min_args) + " and " + str(max_args)
    last = min_args
    if max_args >= 0 and max_args != min_args:
        last = max_args
    plural = "s"
    if last == 1:
        plural = ""
    return "%s: expected %s argument%s, got %d" % (name, expected, plural, nargs)


def checked_add(a, b):
    """``a + b``, raising a Lisp error if it does not fit in 64 bits."""
    try:
        return ovfcheck(a + b)
    except OverflowError:
        raise ArithError("integer overflow")


def checked_sub(a, b):
    """``a - b``, raising a Lisp error if it does not fit in 64 bits."""
    try:
        return ovfcheck(a - b)
    except OverflowError:
        raise ArithError("integer overflow")


def checked_mul(a, b):
    """``a * b``, raising a Lisp error if it does not fit in 64 bits."""
    try:
        return ovfcheck(a * b)
    except OverflowError:
        raise ArithError("integer overflow")
