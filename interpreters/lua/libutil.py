"""Helpers shared by the standard library modules: argument checks and registration."""

from operations import fmt_float, RtError, W_Builtin, state, tonumber_str, tostring
from objects import W_Float, W_Int, W_Nil, W_Str, W_Table, float_is_int, w_nil


class ExitProgram(Exception):
    def __init__(self, status):
        self.status = status


# ------------------------------------------------------------------ helpers


def arg(args, i):
    if i < len(args):
        return args[i]
    return w_nil


def bad_arg(i, fname, msg):
    return RtError("bad argument #%d to '%s' (%s)" % (i + 1, fname, msg), 0)


def typename_got(args, i):
    if i >= len(args):
        return "no value"
    return args[i].typename()


def check_table(args, i, fname):
    w = arg(args, i)
    if isinstance(w, W_Table):
        return w
    raise bad_arg(i, fname, "table expected, got " + typename_got(args, i))


def check_int(args, i, fname):
    w = arg(args, i)
    if isinstance(w, W_Int):
        return w.value
    if isinstance(w, W_Float):
        if float_is_int(w.value):
            return int(w.value)
        raise bad_arg(i, fname, "number has no integer representation")
    if isinstance(w, W_Str):
        w_n = tonumber_str(w.value)
        if w_n is not None:
            return check_int([w_n], 0, fname)
    raise bad_arg(i, fname, "number expected, got " + typename_got(args, i))


def opt_int(args, i, fname, default):
    if isinstance(arg(args, i), W_Nil):
        return default
    return check_int(args, i, fname)


def check_number(args, i, fname):
    w = arg(args, i)
    if isinstance(w, W_Int) or isinstance(w, W_Float):
        return w
    if isinstance(w, W_Str):
        w_n = tonumber_str(w.value)
        if w_n is not None:
            return w_n
    raise bad_arg(i, fname, "number expected, got " + typename_got(args, i))


def check_float(args, i, fname):
    w = check_number(args, i, fname)
    if isinstance(w, W_Int):
        return float(w.value)
    assert isinstance(w, W_Float)
    return w.value


def check_str(args, i, fname):
    w = arg(args, i)
    if isinstance(w, W_Str):
        return w.value
    if isinstance(w, W_Int) or isinstance(w, W_Float):
        return tostring(w)
    raise bad_arg(i, fname, "string expected, got " + typename_got(args, i))


def check_any(args, i, fname):
    if i >= len(args):
        raise bad_arg(i, fname, "value expected")
    return args[i]


def one(w):
    return [w]


def register(w_table, name, fn):
    w_table.setstr(name, W_Builtin(name, fn))


def restore_frames(top, depth):
    """Unwind the stack of Lua frames to what it was (after an error)."""
    state.top_frame = top
    state.depth = depth


def fmt_g14(f):
    s = fmt_float(f)
    if s.endswith(".0"):
        return s[:len(s) - 2]
    return s
