"""The standard library: the base functions, and the installation of every library
(lib_string, lib_table, lib_math, lib_os) into the globals table at import time."""

import math

from kiln.os import read_file
from kiln.rarith import intmask
from compiler import compile_chunk
from interp import W_Closure
from operations import (RtError, W_Builtin, call_function, first, fmt_float,
                    index, length, prepend, raw_equal, rawset, state, tonumber, tostring,
                    where, write_out)
from lib_math import (bit_band, bit_bnot, bit_bor, bit_bxor, bit_lshift, bit_rshift,
                      m_abs, m_atan, m_ceil, m_cos, m_exp, m_floor, m_fmod, m_log, m_max,
                      m_min, m_random, m_randomseed, m_sin, m_sqrt, m_tan, m_tointeger,
                      m_type, m_ult)
from lib_os import (io_read, io_write, o_clock, o_exit, o_getenv, o_time, stdin, w_stdin,
                    w_stdout)
from lib_string import (s_byte, s_char, s_find, s_format, s_gmatch, s_gsub, s_len,
                        s_lower, s_match, s_rep, s_reverse, s_sub, s_upper)
from lib_table import t_concat, t_insert, t_pack, t_remove, t_sort
from libutil import (arg, bad_arg, check_any, check_int, check_str, check_table, one,
                     opt_int, register, restore_frames, typename_got)
from objects import (A_PAIRS, LuaError, W_Float, W_Int, W_Nil, W_Str, W_Table,
                     get_metamethod, newbool, w_false, w_nil, w_true)
from parser import parse


# ------------------------------------------------------------------ base


def b_print(args):
    parts = []
    for w in args:
        parts.append(tostring(w))
    write_out("\t".join(parts) + "\n")
    return []


def b_type(args):
    w = check_any(args, 0, "type")
    return one(W_Str(w.typename()))


def b_tostring(args):
    return one(W_Str(tostring(check_any(args, 0, "tostring"))))


def b_tonumber(args):
    w = arg(args, 0)
    if len(args) >= 2 and not isinstance(args[1], W_Nil):
        base = check_int(args, 1, "tonumber")
        if not (2 <= base <= 36):
            raise bad_arg(1, "tonumber", "base out of range")
        s = check_str(args, 0, "tonumber").strip().lower()
        neg = False
        if s.startswith("-"):
            neg = True
            s = s[1:]
        if len(s) == 0:
            return one(w_nil)
        v = 0
        for c in s:
            if "0" <= c <= "9":
                d = ord(c) - ord("0")
            elif "a" <= c <= "z":
                d = ord(c) - ord("a") + 10
            else:
                return one(w_nil)
            if d >= base:
                return one(w_nil)
            v = intmask(v * base + d)
        if neg:
            v = intmask(-v)
        return one(W_Int(v))
    check_any(args, 0, "tonumber")
    w_n = tonumber(w)
    if w_n is None:
        return one(w_nil)
    return one(w_n)


def b_ipairs_aux(args):
    w_t = args[0]
    w_i = args[1]
    assert isinstance(w_i, W_Int)
    i = w_i.value + 1
    if isinstance(w_t, W_Table) and w_t.metatable is None:
        w_v = w_t.getint(i)
    else:
        w_v = index(w_t, W_Int(i))
    if isinstance(w_v, W_Nil):
        return one(w_nil)
    return [W_Int(i), w_v]


def b_ipairs(args):
    w = check_any(args, 0, "ipairs")
    return [ipairs_aux, w, W_Int(0)]


def b_next(args):
    w_t = check_table(args, 0, "next")
    i = w_t.next_index(arg(args, 1))
    if i < 0:
        raise RtError("invalid key to 'next'", 0)
    i = w_t.entry_at(i)
    if i < 0:
        return one(w_nil)
    return [w_t.key_at(i), w_t.value_at(i)]


def b_pairs(args):
    w = check_any(args, 0, "pairs")
    w_h = get_metamethod(w, A_PAIRS)
    if not isinstance(w_h, W_Nil):
        res = call_function(w_h, [w])
        return [arg(res, 0), arg(res, 1), arg(res, 2)]
    if not isinstance(w, W_Table):
        raise bad_arg(0, "pairs", "table expected, got " + typename_got(args, 0))
    return [next_fn, w, w_nil]


def b_select(args):
    w_n = arg(args, 0)
    if isinstance(w_n, W_Str) and w_n.value == "#":
        return one(W_Int(len(args) - 1))
    n = check_int(args, 0, "select")
    if n < 0:
        n = len(args) - 1 + n
        if n < 0:
            raise bad_arg(0, "select", "index out of range")
        return args[n + 1:]
    if n == 0:
        raise bad_arg(0, "select", "index out of range")
    if n >= len(args):
        return []
    return args[n:]


def b_rawget(args):
    w_t = check_table(args, 0, "rawget")
    return one(w_t.get(arg(args, 1)))


def b_rawset(args):
    w_t = check_table(args, 0, "rawset")
    rawset(w_t, arg(args, 1), arg(args, 2))
    return one(w_t)


def b_rawequal(args):
    check_any(args, 0, "rawequal")
    check_any(args, 1, "rawequal")
    w_a = args[0]
    w_b = args[1]
    return one(newbool(raw_equal(w_a, w_b) or w_a is w_b))


def b_rawlen(args):
    w = arg(args, 0)
    if isinstance(w, W_Table):
        return one(W_Int(w.length()))
    if isinstance(w, W_Str):
        return one(W_Int(len(w.value)))
    raise bad_arg(0, "rawlen", "table or string expected")


def b_setmetatable(args):
    w_t = check_table(args, 0, "setmetatable")
    w_mt = arg(args, 1)
    if isinstance(w_mt, W_Nil):
        w_t.set_metatable(None)
    elif isinstance(w_mt, W_Table):
        w_old = w_t.metatable
        if w_old is not None and not isinstance(w_old.getstr("__metatable"), W_Nil):
            raise RtError("cannot change a protected metatable", 0)
        w_t.set_metatable(w_mt)
    else:
        raise bad_arg(1, "setmetatable", "nil or table expected")
    return one(w_t)


def b_getmetatable(args):
    w = arg(args, 0)
    w_mt = w.get_metatable()
    if isinstance(w, W_Str):
        w_mt = state.string_meta
    if w_mt is None:
        return one(w_nil)
    w_protected = w_mt.getstr("__metatable")
    if not isinstance(w_protected, W_Nil):
        return one(w_protected)
    return one(w_mt)


def b_assert(args):
    w = check_any(args, 0, "assert")
    if w.is_true():
        return args
    if len(args) >= 2:
        w_msg = args[1]
        if isinstance(w_msg, W_Str):
            # lua5.4's assert calls error with level 1
            w_msg = W_Str(error_position(1) + w_msg.value)
        raise LuaError(w_msg)
    raise RtError("assertion failed!", 0)


def b_error(args):
    w = arg(args, 0)
    level = opt_int(args, 1, "error", 1)
    if isinstance(w, W_Str) and level > 0:
        w = W_Str(error_position(level) + w.value)
    raise LuaError(w)


def error_position(level):
    """The position ``error`` adds at ``level``: empty when that level is not a Lua
    function (error called by pcall directly, or a function called from a builtin)."""
    if level == 1:
        if not state.lua_caller:
            return ""
        return where(1)
    if level < 1:
        return ""
    f = state.top_frame  # the frame of level 1 ... of level - 1 (error's caller)
    for _ in range(level - 2):
        if f is None:
            return ""
        f = f.back
    if f is None or not f.from_lua:
        return ""
    return where(level)


def b_pcall(args):
    w_f = check_any(args, 0, "pcall")
    top, depth = state.top_frame, state.depth
    try:
        res = call_function(w_f, args[1:])
    except LuaError as e:
        restore_frames(top, depth)
        return [w_false, e.w_value]
    except RtError as e:
        restore_frames(top, depth)
        return [w_false, W_Str(e.msg)]
    except RecursionError:
        restore_frames(top, depth)
        return [w_false, W_Str("stack overflow")]
    return prepend(w_true, res)


def b_xpcall(args):
    w_f = check_any(args, 0, "xpcall")
    w_h = arg(args, 1)
    top, depth = state.top_frame, state.depth
    try:
        res = call_function(w_f, args[2:])
    except LuaError as e:
        restore_frames(top, depth)
        return prepend(w_false, call_function(w_h, [e.w_value]))
    except RtError as e:
        restore_frames(top, depth)
        return prepend(w_false, call_function(w_h, [W_Str(e.msg)]))
    except RecursionError:
        restore_frames(top, depth)
        return prepend(w_false, call_function(w_h, [W_Str("stack overflow")]))
    return prepend(w_true, res)


def b_unpack(args):
    w_t = arg(args, 0)
    i = opt_int(args, 1, "unpack", 1)
    if len(args) >= 3 and not isinstance(args[2], W_Nil):
        j = check_int(args, 2, "unpack")
    else:
        j = length_of(w_t)
    if i > j:
        return []
    if j - i >= 1000000:
        raise RtError("too many results to unpack", 0)
    res = []
    if isinstance(w_t, W_Table) and w_t.metatable is None:
        for k in range(i, j + 1):
            res.append(w_t.getint(k))
    else:
        for k in range(i, j + 1):
            res.append(index(w_t, W_Int(k)))
    return res


def length_of(w):
    w_len = length(w)
    if isinstance(w_len, W_Int):
        return w_len.value
    raise RtError("object length is not an integer", 0)


def load_source(source, chunk):
    body = parse(source, chunk)
    proto = compile_chunk(body, chunk)
    return W_Closure(proto, [])


def chunkname_of_string(s):
    line = s
    nl = s.find("\n")
    if nl >= 0:
        line = s[:nl] + "..."
    if len(line) > 60:
        line = line[:57] + "..."
    return '[string "' + line + '"]'


def b_load(args):
    w = arg(args, 0)
    if isinstance(w, W_Str):
        source = w.value
    elif isinstance(w, W_Closure) or isinstance(w, W_Builtin):
        parts = []
        while True:
            w_piece = first(call_function(w, []))
            if isinstance(w_piece, W_Str) and w_piece.value != "":
                parts.append(w_piece.value)
            else:
                break
        source = "".join(parts)
    else:
        raise bad_arg(0, "load", "string expected, got " + typename_got(args, 0))
    chunk = chunkname_of_string(source)
    w_name = arg(args, 1)
    if isinstance(w_name, W_Str):
        name = w_name.value
        if name.startswith("=") or name.startswith("@"):
            chunk = name[1:]
        else:
            chunk = chunkname_of_string(name)
    try:
        return one(load_source(source, chunk))
    except LuaError as e:
        return [w_nil, e.w_value]


def b_require(args):
    name = check_str(args, 0, "require")
    w_loaded = state.modules.getstr(name)
    if not isinstance(w_loaded, W_Nil):
        return one(w_loaded)
    path = "./" + name.replace(".", "/") + ".lua"
    try:
        source = read_file(path)
    except OSError:
        raise RtError("module '" + name + "' not found:\n\tno field package.preload['"
                      + name + "']\n\tno file '" + path + "'", 0)
    w_f = load_source(source, path[2:])
    w_res = first(call_function(w_f, [W_Str(name), W_Str(path)]))
    if isinstance(w_res, W_Nil):
        w_res = w_true
    if isinstance(state.modules.getstr(name), W_Nil):
        state.modules.setstr(name, w_res)
    return one(state.modules.getstr(name))


def b_collectgarbage(args):
    opt = "collect"
    if len(args) > 0 and isinstance(args[0], W_Str):
        opt = check_str(args, 0, "collectgarbage")
    if opt == "count":
        return [W_Float(0.0), W_Int(0)]
    return one(W_Int(0))



# ------------------------------------------------------------------ installation


def new_lib(name):
    w_t = W_Table()
    state.globals.setstr(name, w_t)
    return w_t


G = state.globals
for _name, _fn in [("print", b_print), ("type", b_type), ("tostring", b_tostring),
                   ("tonumber", b_tonumber), ("ipairs", b_ipairs), ("pairs", b_pairs),
                   ("select", b_select), ("rawget", b_rawget), ("rawset", b_rawset),
                   ("rawequal", b_rawequal), ("rawlen", b_rawlen),
                   ("setmetatable", b_setmetatable), ("getmetatable", b_getmetatable),
                   ("assert", b_assert), ("error", b_error), ("pcall", b_pcall),
                   ("xpcall", b_xpcall), ("load", b_load),
                   ("require", b_require), ("collectgarbage", b_collectgarbage)]:
    register(G, _name, _fn)
next_fn = W_Builtin("next", b_next)
G.setstr("next", next_fn)
ipairs_aux = W_Builtin("ipairs_aux", b_ipairs_aux)
G.setstr("_G", G)
G.setstr("_VERSION", W_Str("Lua 5.4"))

STRING = new_lib("string")
for _name, _fn in [("len", s_len), ("sub", s_sub), ("upper", s_upper), ("lower", s_lower),
                   ("rep", s_rep), ("reverse", s_reverse), ("byte", s_byte),
                   ("char", s_char), ("format", s_format), ("find", s_find),
                   ("match", s_match), ("gmatch", s_gmatch), ("gsub", s_gsub)]:
    register(STRING, _name, _fn)
_smt = W_Table()
_smt.setstr("__index", STRING)
state.string_meta = _smt

TABLE = new_lib("table")
for _name, _fn in [("insert", t_insert), ("remove", t_remove), ("concat", t_concat),
                   ("sort", t_sort), ("unpack", b_unpack), ("pack", t_pack)]:
    register(TABLE, _name, _fn)

MATH = new_lib("math")
for _name, _fn in [("floor", m_floor), ("ceil", m_ceil), ("sqrt", m_sqrt), ("abs", m_abs),
                   ("max", m_max), ("min", m_min), ("sin", m_sin), ("cos", m_cos),
                   ("tan", m_tan), ("atan", m_atan), ("exp", m_exp), ("log", m_log),
                   ("fmod", m_fmod), ("type", m_type), ("tointeger", m_tointeger),
                   ("ult", m_ult), ("random", m_random), ("randomseed", m_randomseed)]:
    register(MATH, _name, _fn)
MATH.setstr("pi", W_Float(math.pi))
MATH.setstr("huge", W_Float(float("inf")))
MATH.setstr("maxinteger", W_Int(9223372036854775807))
MATH.setstr("mininteger", W_Int(-9223372036854775807 - 1))

OS = new_lib("os")
for _name, _fn in [("clock", o_clock), ("time", o_time), ("exit", o_exit),
                   ("getenv", o_getenv)]:
    register(OS, _name, _fn)

IO = new_lib("io")
register(IO, "write", io_write)
register(IO, "read", io_read)
IO.setstr("stdout", w_stdout)
IO.setstr("stdin", w_stdin)

BIT32 = new_lib("bit32")
for _name, _fn in [("band", bit_band), ("bor", bit_bor), ("bxor", bit_bxor),
                   ("bnot", bit_bnot), ("lshift", bit_lshift), ("rshift", bit_rshift)]:
    register(BIT32, _name, _fn)

PACKAGE = new_lib("package")
PACKAGE.setstr("loaded", state.modules)
PACKAGE.setstr("path", W_Str("./?.lua"))
for _lib_name in ["string", "table", "math", "os", "io", "bit32", "package"]:
    state.modules.setstr(_lib_name, G.getstr(_lib_name))
state.modules.setstr("_G", G)

_unused = [rawset, fmt_float]
