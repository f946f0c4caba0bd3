"""The primitive procedures (builtins), one ``W_Builtin`` subclass each.

Every class sets ``name``, ``min_args`` and ``max_args`` (-1: any number) and overrides
``invoke``; ``W_Builtin.call`` has checked the argument count before ``invoke`` runs.
``install_builtins`` puts one instance of every class in ``BUILTIN_CLASSES`` into the
global environment; it runs at import time.

Integer arithmetic is 64-bit and checked: a result that does not fit raises an error
instead of wrapping around. ``quotient`` and ``remainder`` truncate towards zero,
``modulo`` takes the sign of the divisor (as in Scheme).
"""

from kiln.os import write

from objects import (
    ArithError,
    UserError,
    W_Bool,
    W_Builtin,
    W_Int,
    W_Nil,
    W_Pair,
    W_Procedure,
    W_String,
    W_Symbol,
    WrongType,
    checked_add,
    checked_mul,
    checked_sub,
    global_env,
    w_nil,
    w_void,
    wrap_bool,
)


def int_arg(name, args, i):
    """The value of the integer argument ``args[i]`` of the primitive ``name``."""
    w_arg = args[i]
    if isinstance(w_arg, W_Int):
        return w_arg.intval
    raise WrongType("%s: expected an integer, got %s" % (name, w_arg.to_str()))


def pair_arg(name, args, i):
    """The pair argument ``args[i]`` of the primitive ``name``."""
    w_arg = args[i]
    if isinstance(w_arg, W_Pair):
        return w_arg
    raise WrongType("%s: expected a pair, got %s" % (name, w_arg.to_str()))


def string_arg(name, args, i):
    """The value of the string argument ``args[i]`` of the primitive ``name``."""
    w_arg = args[i]
    if isinstance(w_arg, W_String):
        return w_arg.strval
    raise WrongType("%s: expected a string, got %s" % (name, w_arg.to_str()))


# ---------------------------------------------------------------------------------------
# Arithmetic


class Add(W_Builtin):
    name = "+"
    min_args = 0
    max_args = -1

    def invoke(self, args):
        total = 0
        for i in range(len(args)):
            total = checked_add(total, int_arg(self.name, args, i))
        return W_Int(total)


class Sub(W_Builtin):
    name = "-"
    min_args = 1
    max_args = -1

    def invoke(self, args):
        first = int_arg(self.name, args, 0)
        if len(args) == 1:
            return W_Int(checked_sub(0, first))
        total = first
        for i in range(1, len(args)):
            total = checked_sub(total, int_arg(self.name, args, i))
        return W_Int(total)


class Mul(W_Builtin):
    name = "*"
    min_args = 0
    max_args = -1

    def invoke(self, args):
        product = 1
        for i in range(len(args)):
            product = checked_mul(product, int_arg(self.name, args, i))
        return W_Int(product)


class Division(W_Builtin):
    """Base of the two-argument integer divisions; subclasses override ``divide``."""

    min_args = 2
    max_args = 2

    def invoke(self, args):
        a = int_arg(self.name, args, 0)
        b = int_arg(self.name, args, 1)
        if b == 0:
            raise ArithError(self.name + ": division by zero")
        return W_Int(self.divide(a, b))

    def divide(self, a, b):
        """The result for ``a`` and a divisor ``b`` that is not zero."""
        raise NotImplementedError("divide")


def truncated_remainder(a, b):
    """The remainder of ``a / b`` rounded towards zero (``b`` is neither 0 nor -1)."""
    r = a % b  # Python's remainder has the sign of b
    if r != 0 and (a < 0) != (b < 0):
        r -= b
    return r


class Quotient(Division):
    name = "quotient"

    def divide(self, a, b):
        if b == -1:
            return checked_sub(0, a)  # the only division that can overflow
        return (a - truncated_remainder(a, b)) // b


class Remainder(Division):
    name = "remainder"

    def divide(self, a, b):
        if b == -1:
            return 0
        return truncated_remainder(a, b)


class Modulo(Division):
    name = "modulo"

    def divide(self, a, b):
        if b == -1:
            return 0
        return a % b


class Comparison(W_Builtin):
    """Base of the chained integer comparisons; subclasses override ``holds``."""

    min_args = 1
    max_args = -1

    def invoke(self, args):
        previous = int_arg(self.name, args, 0)
        result = True
        for i in range(1, len(args)):
            current = int_arg(self.name, args, i)
            if not self.holds(previous, current):
                result = False  # keep going: every argument must still be an integer
            previous = current
        return wrap_bool(result)

    def holds(self, a, b):
        """Whether the comparison holds between neighbours ``a`` and ``b``."""
        raise NotImplementedError("holds")


class Less(Comparison):
    name = "<"

    def holds(self, a, b):
        return a < b


class Greater(Comparison):
    name = ">"

    def holds(self, a, b):
        return a > b


class NumEqual(Comparison):
    name = "="

    def holds(self, a, b):
        return a == b


class LessEqual(Comparison):
    name = "<="

    def holds(self, a, b):
        return a <= b


class GreaterEqual(Comparison):
    name = ">="

    def holds(self, a, b):
        return a >= b


# ---------------------------------------------------------------------------------------
# Equivalence and type predicates


class Eq(W_Builtin):
    name = "eq?"
    min_args = 2
    max_args = 2

    def invoke(self, args):
        return wrap_bool(args[0].is_eq(args[1]))


class Equal(W_Builtin):
    name = "equal?"
    min_args = 2
    max_args = 2

    def invoke(self, args):
        return wrap_bool(args[0].equal(args[1]))


class Not(W_Builtin):
    name = "not"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        return wrap_bool(not args[0].is_true())


class NullP(W_Builtin):
    name = "null?"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        return wrap_bool(isinstance(args[0], W_Nil))


class PairP(W_Builtin):
    name = "pair?"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        return wrap_bool(isinstance(args[0], W_Pair))


class NumberP(W_Builtin):
    name = "number?"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        return wrap_bool(isinstance(args[0], W_Int))


class BooleanP(W_Builtin):
    name = "boolean?"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        return wrap_bool(isinstance(args[0], W_Bool))


class StringP(W_Builtin):
    name = "string?"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        return wrap_bool(isinstance(args[0], W_String))


class SymbolP(W_Builtin):
    name = "symbol?"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        return wrap_bool(isinstance(args[0], W_Symbol))


class ProcedureP(W_Builtin):
    name = "procedure?"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        return wrap_bool(isinstance(args[0], W_Procedure))


# ---------------------------------------------------------------------------------------
# Pairs and lists


class Cons(W_Builtin):
    name = "cons"
    min_args = 2
    max_args = 2

    def invoke(self, args):
        return W_Pair(args[0], args[1])


class Car(W_Builtin):
    name = "car"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        return pair_arg(self.name, args, 0).car


class Cdr(W_Builtin):
    name = "cdr"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        return pair_arg(self.name, args, 0).cdr


class List(W_Builtin):
    name = "list"
    min_args = 0
    max_args = -1

    def invoke(self, args):
        w_result = w_nil
        i = len(args) - 1
        while i >= 0:
            w_result = W_Pair(args[i], w_result)
            i -= 1
        return w_result


class Length(W_Builtin):
    name = "length"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        count = 0
        w_list = args[0]
        while isinstance(w_list, W_Pair):
            count += 1
            w_list = w_list.cdr
        if not isinstance(w_list, W_Nil):
            raise WrongType("length: expected a list, got " + args[0].to_str())
        return W_Int(count)


class Apply(W_Builtin):
    """``(apply f arg ... list)``: calls ``f`` with the args followed by the list's items."""

    name = "apply"
    min_args = 2
    max_args = -1

    def invoke(self, args):
        call_args = []
        last = len(args) - 1
        for i in range(1, last):
            call_args.append(args[i])
        w_list = args[last]
        while isinstance(w_list, W_Pair):
            call_args.append(w_list.car)
            w_list = w_list.cdr
        if not isinstance(w_list, W_Nil):
            raise WrongType("apply: expected a list, got " + args[last].to_str())
        return args[0].call(call_args)


# ---------------------------------------------------------------------------------------
# Strings and output


class StringAppend(W_Builtin):
    name = "string-append"
    min_args = 0
    max_args = -1

    def invoke(self, args):
        parts = []
        for i in range(len(args)):
            parts.append(string_arg(self.name, args, i))
        return W_String("".join(parts))


class NumberToString(W_Builtin):
    name = "number->string"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        return W_String(str(int_arg(self.name, args, 0)))


class Display(W_Builtin):
    name = "display"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        write(1, args[0].to_display())
        return w_void


class Write(W_Builtin):
    name = "write"
    min_args = 1
    max_args = 1

    def invoke(self, args):
        write(1, args[0].to_str())
        return w_void


class Newline(W_Builtin):
    name = "newline"
    min_args = 0
    max_args = 0

    def invoke(self, args):
        write(1, "\n")
        return w_void


class Error(W_Builtin):
    """``(error message irritant ...)``: the message is displayed, the irritants written."""

    name = "error"
    min_args = 1
    max_args = -1

    def invoke(self, args):
        parts = [args[0].to_display()]
        for i in range(1, len(args)):
            parts.append(args[i].to_str())
        raise UserError(" ".join(parts))


BUILTIN_CLASSES = [
    Add,
    Sub,
    Mul,
    Quotient,
    Remainder,
    Modulo,
    Less,
    Greater,
    NumEqual,
    LessEqual,
    GreaterEqual,
    Eq,
    Equal,
    Not,
    NullP,
    PairP,
    NumberP,
    BooleanP,
    StringP,
    SymbolP,
    ProcedureP,
    Cons,
    Car,
    Cdr,
    List,
    Length,
    Apply,
    StringAppend,
    NumberToString,
    Display,
    Write,
    Newline,
    Error,
]


def install_builtins(env):
    """Bind every primitive in the global environment ``env``; runs at import time."""
    for cls in BUILTIN_CLASSES:
        env.define(cls.name, cls())


install_builtins(global_env)
