"""The operations of Lua values with lua5.4's semantics: arithmetic with the integer
and float subtypes, comparison, indexing and calls through metatables, concatenation,
length and tostring; plus the interpreter's global state and buffered output."""

import math

from kiln.jit import promote
from kiln.os import write as os_write
from kiln.rarith import intmask, r_uint

from compiler import (OP_ADD, OP_BAND, OP_BOR, OP_BXOR, OP_DIV, OP_IDIV, OP_MOD, OP_MUL,
                      OP_POW, OP_SHL, OP_SHR, OP_SUB)
from lexer import T_INT, str_to_number
from objects import (A_BNOT, A_CALL, A_CONCAT, A_EQ, A_LE, A_LEN, A_LT, A_NAME,
                     A_TOSTRING, A_UNM, atom, W_Bool, W_Float, W_Function, W_Int, W_Nil,
                     W_Str, W_Table, float_is_int, get_metamethod, new_uid, w_nil)


A_INDEX = atom("__index")
A_NEWINDEX = atom("__newindex")


class RtError(Exception):
    """A run-time error raised by an operation; the dispatch loop turns it into a
    LuaError with the current position. ``which`` names the operand whose variable
    description lua5.4 appends (0: none, 1: operand b, 2: operand c)."""

    def __init__(self, msg, which):
        self.msg = msg
        self.which = which

class W_Builtin(W_Function):
    def __init__(self, name, fn):
        self.name = name
        self.fn = fn
        self.uid = new_uid()

    def call(self, args):
        return self.fn(args)

class State(object):
    """The interpreter's mutable global state (a prebuilt instance)."""

    def __init__(self):
        self.globals = W_Table()
        self.string_meta = None
        self.top_frame = None  # the innermost Lua frame (interp.Frame, linked by .back)
        self.depth = 0  # how many Lua frames
        self.out = []
        self.outsize = 0
        self.script = ""
        self.modules = W_Table()
        self.lua_caller = False  # is the function being called called by Lua code?
        # The results of the last Lua function that returned at most one value
        # (interp.collect_results): how many, and the value (nil if none).
        self.ret_n = 0
        self.ret1 = w_nil


state = State()

MAX_DEPTH = 200000

# ------------------------------------------------------------------ output


def write_out(s):
    state.out.append(s)
    state.outsize += len(s)
    if state.outsize > 8192:
        flush_out()


def flush_out():
    if len(state.out) > 0:
        from_kiln_write(1, "".join(state.out))
        state.out = []
        state.outsize = 0


def from_kiln_write(fd, s):
    os_write(fd, s)


# ------------------------------------------------------------------ numbers


def fmt_float(f):
    if f != f:
        return "nan"
    if f == float("inf"):
        return "inf"
    if f == -float("inf"):
        return "-inf"
    s = "%.14g" % f
    for c in s:
        if c == "." or c == "e" or c == "n" or c == "i":
            return s
    return s + ".0"


def tonumber_str(s):
    """Lua's string-to-number conversion (surrounding space and a sign allowed), or
    None."""
    i = 0
    n = len(s)
    while i < n and is_space_char(s[i]):
        i += 1
    while n > i and is_space_char(s[n - 1]):
        n -= 1
    neg = False
    if i < n and (s[i] == "-" or s[i] == "+"):
        neg = s[i] == "-"
        i += 1
    tok = str_to_number(s[i:n])
    if tok is None:
        return None
    if tok.kind == T_INT:
        v = tok.ival
        if neg:
            v = intmask(-v)
        return W_Int(v)
    f = tok.fval
    if neg:
        f = -f
    return W_Float(f)


def is_space_char(c):
    return c == " " or c == "\t" or c == "\n" or c == "\r" or c == "\f" or c == "\v"


def tonumber(w):
    """A number from a number or a convertible string, or None."""
    if isinstance(w, W_Int) or isinstance(w, W_Float):
        return w
    if isinstance(w, W_Str):
        return tonumber_str(w.value)
    return None


def lua_floor(f):
    if not (-4503599627370496.0 < f < 4503599627370496.0):
        return f
    r = float(int(f))
    if r > f:
        r -= 1.0
    return r


def float_div(a, b):
    if b == 0.0:
        if a != a or a == 0.0:
            return float("nan")
        neg = (a < 0.0) != is_neg_zero_or_neg(b)
        if neg:
            return -float("inf")
        return float("inf")
    return a / b


def is_neg_zero_or_neg(b):
    if b < 0.0:
        return True
    if b == 0.0:
        return fmt_zero_sign(b)
    return False


def fmt_zero_sign(b):
    return ("%g" % b).startswith("-")


def float_mod(a, b):
    if b == 0.0 or a != a or b != b:
        return float("nan")
    if a == float("inf") or a == -float("inf"):
        return float("nan")
    if b == float("inf"):
        if a >= 0.0:
            return a
        return b
    if b == -float("inf"):
        if a <= 0.0:
            return a
        return b
    return a % b


def float_pow(a, b):
    if b == 2.0:
        return a * a
    if b == 0.5:
        if a >= 0.0:
            return math.sqrt(a)
    try:
        return math.pow(a, b)
    except ValueError:
        return float("nan")
    except OverflowError:
        if a < 0.0 and float_is_int(b) and int(b) % 2 == 1:
            return -float("inf")
        return float("inf")


def toint_bitwise(w):
    """The integer value of an operand of a bitwise operation; RtError otherwise."""
    if isinstance(w, W_Int):
        return w.value
    if isinstance(w, W_Float):
        if float_is_int(w.value):
            return int(w.value)
        raise RtError("number has no integer representation", 0)
    if isinstance(w, W_Str):
        w_n = tonumber_str(w.value)
        if w_n is not None:
            return toint_bitwise(w_n)
    raise RtError("attempt to perform bitwise operation on a " + w.typename() + " value", -1)


def shift_left(x, n):
    if n <= -64 or n >= 64:
        return 0
    if n >= 0:
        return intmask(x << n)
    return intmask(r_uint(x) >> (-n))


ARITH_EVENTS = ["__add", "__sub", "__mul", "__div", "__mod", "__pow", "__idiv",
                "__band", "__bor", "__bxor", "__shl", "__shr"]
ARITH_ATOMS = [atom(name) for name in ARITH_EVENTS]


def arith(op, w_a, w_b):
    """The generic arithmetic path: numbers, strings coerced to numbers, then the
    metamethods."""
    if OP_BAND <= op <= OP_SHR:
        w_na = tonumber(w_a)
        w_nb = tonumber(w_b)
        if w_na is not None and w_nb is not None:
            a = toint_bitwise(w_na)
            b = toint_bitwise(w_nb)
            if op == OP_BAND:
                return W_Int(a & b)
            if op == OP_BOR:
                return W_Int(a | b)
            if op == OP_BXOR:
                return W_Int(a ^ b)
            if op == OP_SHL:
                return W_Int(shift_left(a, b))
            return W_Int(shift_left(a, intmask(-b)))
    else:
        w_na = tonumber(w_a)
        w_nb = tonumber(w_b)
        if w_na is not None and w_nb is not None:
            return arith_num(op, w_na, w_nb)
    w_h = get_metamethod(w_a, ARITH_ATOMS[op - OP_ADD])
    if isinstance(w_h, W_Nil):
        w_h = get_metamethod(w_b, ARITH_ATOMS[op - OP_ADD])
    if not isinstance(w_h, W_Nil):
        return first(call_function(w_h, [w_a, w_b]))
    # the error: which operand is to blame
    if OP_BAND <= op <= OP_SHR:
        if (isinstance(w_a, W_Int) or isinstance(w_a, W_Float)) and \
                (isinstance(w_b, W_Int) or isinstance(w_b, W_Float)):
            raise RtError("number has no integer representation", 0)
        culprit = 2
        w_bad = w_b
        if tonumber(w_a) is None:
            culprit = 1
            w_bad = w_a
        raise RtError("attempt to perform bitwise operation on a " + w_bad.typename()
                      + " value", culprit)
    if isinstance(w_a, W_Str) or isinstance(w_b, W_Str):
        # lua5.4's string metatable has the arithmetic metamethods (lstrlib.c's
        # trymt), which fail with this message
        raise RtError("attempt to " + ARITH_EVENTS[op - OP_ADD][2:] + " a '" + w_a.typename()
                      + "' with a '" + w_b.typename() + "'", 0)
    culprit = 2
    w_bad = w_b
    if tonumber(w_a) is None:
        culprit = 1
        w_bad = w_a
    raise RtError("attempt to perform arithmetic on a " + w_bad.typename() + " value", culprit)


def arith_num(op, w_a, w_b):
    if isinstance(w_a, W_Int) and isinstance(w_b, W_Int):
        a = w_a.value
        b = w_b.value
        if op == OP_ADD:
            return W_Int(intmask(a + b))
        if op == OP_SUB:
            return W_Int(intmask(a - b))
        if op == OP_MUL:
            return W_Int(intmask(a * b))
        if op == OP_MOD:
            if b == 0:
                raise RtError("attempt to perform 'n%0'", 0)
            if b == -1:
                return W_Int(0)
            return W_Int(a % b)
        if op == OP_IDIV:
            if b == 0:
                raise RtError("attempt to divide by zero", 0)
            if b == -1:
                return W_Int(intmask(-a))
            return W_Int(a // b)
    x = tofloat(w_a)
    y = tofloat(w_b)
    if op == OP_ADD:
        return W_Float(x + y)
    if op == OP_SUB:
        return W_Float(x - y)
    if op == OP_MUL:
        return W_Float(x * y)
    if op == OP_DIV:
        return W_Float(float_div(x, y))
    if op == OP_MOD:
        return W_Float(float_mod(x, y))
    if op == OP_POW:
        return W_Float(float_pow(x, y))
    if op == OP_IDIV:
        return W_Float(lua_floor(float_div(x, y)))
    raise RtError("bad arithmetic operator", 0)


def tofloat(w):
    if isinstance(w, W_Int):
        return float(w.value)
    if isinstance(w, W_Float):
        return w.value
    raise RtError("number expected", 0)


def unm(w_a):
    if isinstance(w_a, W_Int):
        return W_Int(intmask(-w_a.value))
    if isinstance(w_a, W_Float):
        return W_Float(-w_a.value)
    w_n = tonumber(w_a)
    if w_n is not None:
        return unm(w_n)
    w_h = get_metamethod(w_a, A_UNM)
    if not isinstance(w_h, W_Nil):
        return first(call_function(w_h, [w_a, w_a]))
    raise RtError("attempt to perform arithmetic on a " + w_a.typename() + " value", 1)


def bnot(w_a):
    w_n = tonumber(w_a)
    if w_n is not None:
        return W_Int(~toint_bitwise(w_n))
    w_h = get_metamethod(w_a, A_BNOT)
    if not isinstance(w_h, W_Nil):
        return first(call_function(w_h, [w_a, w_a]))
    raise RtError("attempt to perform bitwise operation on a " + w_a.typename() + " value", 1)


# ------------------------------------------------------------------ comparison


def raw_equal(w_a, w_b):
    if w_a is w_b:
        # one boxed NaN is not equal to itself
        return not (isinstance(w_a, W_Float) and w_a.value != w_a.value)
    if isinstance(w_a, W_Int):
        if isinstance(w_b, W_Int):
            return w_a.value == w_b.value
        if isinstance(w_b, W_Float):
            return float(w_a.value) == w_b.value
        return False
    if isinstance(w_a, W_Float):
        if isinstance(w_b, W_Float):
            return w_a.value == w_b.value
        if isinstance(w_b, W_Int):
            return w_a.value == float(w_b.value)
        return False
    if isinstance(w_a, W_Str):
        if isinstance(w_b, W_Str):
            return w_a.value == w_b.value
        return False
    return False


def lua_eq(w_a, w_b):
    if raw_equal(w_a, w_b):
        return True
    if isinstance(w_a, W_Table) and isinstance(w_b, W_Table):
        w_h = get_metamethod(w_a, A_EQ)
        if isinstance(w_h, W_Nil):
            w_h = get_metamethod(w_b, A_EQ)
        if not isinstance(w_h, W_Nil):
            return first(call_function(w_h, [w_a, w_b])).is_true()
    return False


def compare_error(w_a, w_b):
    ta = w_a.typename()
    tb = w_b.typename()
    if ta == tb:
        return RtError("attempt to compare two " + ta + " values", 0)
    return RtError("attempt to compare " + ta + " with " + tb, 0)


def lua_lt(w_a, w_b):
    if isinstance(w_a, W_Int) and isinstance(w_b, W_Int):
        return w_a.value < w_b.value
    if (isinstance(w_a, W_Int) or isinstance(w_a, W_Float)) and \
            (isinstance(w_b, W_Int) or isinstance(w_b, W_Float)):
        return tofloat(w_a) < tofloat(w_b)
    if isinstance(w_a, W_Str) and isinstance(w_b, W_Str):
        return w_a.value < w_b.value
    w_h = get_metamethod(w_a, A_LT)
    if isinstance(w_h, W_Nil):
        w_h = get_metamethod(w_b, A_LT)
    if not isinstance(w_h, W_Nil):
        return first(call_function(w_h, [w_a, w_b])).is_true()
    raise compare_error(w_a, w_b)


def lua_le(w_a, w_b):
    if isinstance(w_a, W_Int) and isinstance(w_b, W_Int):
        return w_a.value <= w_b.value
    if (isinstance(w_a, W_Int) or isinstance(w_a, W_Float)) and \
            (isinstance(w_b, W_Int) or isinstance(w_b, W_Float)):
        return tofloat(w_a) <= tofloat(w_b)
    if isinstance(w_a, W_Str) and isinstance(w_b, W_Str):
        return w_a.value <= w_b.value
    w_h = get_metamethod(w_a, A_LE)
    if isinstance(w_h, W_Nil):
        w_h = get_metamethod(w_b, A_LE)
    if not isinstance(w_h, W_Nil):
        return first(call_function(w_h, [w_a, w_b])).is_true()
    raise compare_error(w_a, w_b)


# ------------------------------------------------------------------ tables


def index(w_obj, w_key):
    """w_obj[w_key] with the __index metamethod."""
    for _ in range(2000):
        if isinstance(w_obj, W_Table):
            w_v = w_obj.get(w_key)
            if not isinstance(w_v, W_Nil):
                return w_v
            w_mt = w_obj.metatable
            if w_mt is None:
                return w_v
            w_mt = promote(w_mt)
            w_h = w_mt.get_index_mm()
            if isinstance(w_h, W_Nil):
                return w_v
        elif isinstance(w_obj, W_Str):
            w_smt = state.string_meta
            assert w_smt is not None
            w_h = w_smt.getatom(A_INDEX)
        else:
            raise RtError("attempt to index a " + w_obj.typename() + " value", 1)
        if isinstance(w_h, W_Function):
            return first(call_function(w_h, [w_obj, w_key]))
        w_obj = w_h
    raise RtError("'__index' chain too long; possible loop", 0)


def index_str(w_obj, w_key):
    """index(w_obj, w_key) for a table w_obj that has no field w_key (a string): the
    __index chain, looked up by the key's atom (the Bloom filters of the tables on the
    way make most misses cheap)."""
    a = w_key.get_atom()
    w_t = w_obj
    for _ in range(2000):
        w_mt = w_t.metatable
        if w_mt is None:
            return w_nil
        w_mt = promote(w_mt)
        w_h = w_mt.get_index_mm()
        if isinstance(w_h, W_Table):
            w_v = w_h.getatom(a)
            if not isinstance(w_v, W_Nil):
                return w_v
            w_t = w_h
        elif isinstance(w_h, W_Nil):
            return w_nil
        else:  # a function, or a value indexed through its own metatable
            return index_from(w_t, w_h, w_key)
    raise RtError("'__index' chain too long; possible loop", 0)


def index_from(w_obj, w_h, w_key):
    """w_obj[w_key] where w_obj has no field w_key and its __index is w_h."""
    if isinstance(w_h, W_Function):
        return first(call_function(w_h, [w_obj, w_key]))
    return index(w_h, w_key)


def setindex(w_obj, w_key, w_value):
    for _ in range(2000):
        if isinstance(w_obj, W_Table):
            w_mt = w_obj.metatable
            if w_mt is None:
                rawset(w_obj, w_key, w_value)
                return
            if not isinstance(w_obj.get(w_key), W_Nil):
                rawset(w_obj, w_key, w_value)
                return
            w_h = w_mt.getatom(A_NEWINDEX)
            if isinstance(w_h, W_Nil):
                rawset(w_obj, w_key, w_value)
                return
        else:
            raise RtError("attempt to index a " + w_obj.typename() + " value", 1)
        if isinstance(w_h, W_Function):
            call_function(w_h, [w_obj, w_key, w_value])
            return
        w_obj = w_h
    raise RtError("'__newindex' chain too long; possible loop", 0)


def rawset(w_t, w_key, w_value):
    if isinstance(w_key, W_Nil):
        raise RtError("table index is nil", 0)
    if isinstance(w_key, W_Float) and w_key.value != w_key.value:
        raise RtError("table index is NaN", 0)
    w_t.set(w_key, w_value)


def length(w_obj):
    if isinstance(w_obj, W_Str):
        return W_Int(len(w_obj.value))
    w_h = get_metamethod(w_obj, A_LEN)
    if not isinstance(w_h, W_Nil):
        return first(call_function(w_h, [w_obj]))
    if isinstance(w_obj, W_Table):
        return W_Int(w_obj.length())
    raise RtError("attempt to get length of a " + w_obj.typename() + " value", 1)


# ------------------------------------------------------------------ strings


def tostring_basic(w):
    if isinstance(w, W_Str):
        return w.value
    if isinstance(w, W_Int):
        return str(w.value)
    if isinstance(w, W_Float):
        return fmt_float(w.value)
    if isinstance(w, W_Nil):
        return "nil"
    if isinstance(w, W_Bool):
        if w.value:
            return "true"
        return "false"
    if isinstance(w, W_Builtin):
        return "builtin: 0x%08x" % w.uid
    return w.typename() + ": 0x%08x" % w.uid


def tostring(w):
    w_h = get_metamethod(w, A_TOSTRING)
    if not isinstance(w_h, W_Nil):
        w_r = first(call_function(w_h, [w]))
        if not isinstance(w_r, W_Str):
            if isinstance(w_r, W_Int) or isinstance(w_r, W_Float):
                return tostring_basic(w_r)
            raise RtError("'__tostring' must return a string", 0)
        return w_r.value
    w_name = get_metamethod(w, A_NAME)
    if isinstance(w_name, W_Str) and isinstance(w, W_Table):
        return w_name.value + ": 0x%08x" % w.uid
    return tostring_basic(w)


def concat_str(w):
    """The string for a concatenation operand, or None."""
    if isinstance(w, W_Str):
        return w.value
    if isinstance(w, W_Int):
        return str(w.value)
    if isinstance(w, W_Float):
        return fmt_float(w.value)
    return None


def concat2(w_a, w_b):
    sa = concat_str(w_a)
    sb = concat_str(w_b)
    if sa is not None and sb is not None:
        return W_Str(sa + sb)
    w_h = get_metamethod(w_a, A_CONCAT)
    if isinstance(w_h, W_Nil):
        w_h = get_metamethod(w_b, A_CONCAT)
    if not isinstance(w_h, W_Nil):
        return first(call_function(w_h, [w_a, w_b]))
    w_bad = w_a
    if sa is not None:
        w_bad = w_b
    raise RtError("attempt to concatenate a " + w_bad.typename() + " value", 0)


# ------------------------------------------------------------------ calls


def prepend(w_first, rest):
    return [w_first] + rest


def first(results):
    if len(results) == 0:
        return w_nil
    return results[0]


def call_function(w_f, args):
    state.lua_caller = False
    if isinstance(w_f, W_Function):
        return w_f.call(args)
    w_h = get_metamethod(w_f, A_CALL)
    if not isinstance(w_h, W_Nil):
        return call_function(w_h, prepend(w_f, args))
    raise RtError("attempt to call a " + w_f.typename() + " value", 1)


def where(level):
    """'chunk:line:' for the Lua function ``level`` levels up (1 = the innermost)."""
    f = state.top_frame
    for _ in range(level - 1):
        if f is None:
            return ""
        f = f.back
    if f is None:
        return ""
    p = f.proto
    idx = f.pc // 4 - 1
    if idx < 0:
        idx = 0
    if idx >= len(p.lines):
        return ""
    return "%s:%d: " % (p.chunk, p.lines[idx])


