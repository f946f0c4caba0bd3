"""The string library (``string.*``, also the methods of strings)."""

from interp import W_Closure
from operations import (RtError, W_Builtin, call_function, first, index, prepend,
                    tostring)
from libutil import arg, bad_arg, check_int, check_str, one, opt_int, typename_got
from lstrings import (MatchState, do_match, get_capture, get_captures, has_specials,
                      string_format)
from objects import W_Float, W_Int, W_Nil, W_Str, W_Table, w_nil


# ------------------------------------------------------------------ string


def str_index(n, i):
    """A Lua string position (1-based, negative from the end) to a 0-based start."""
    if i > 0:
        return i
    if i == 0:
        return 1
    if i < -n:
        return 1
    return n + i + 1


def s_len(args):
    return one(W_Int(len(check_str(args, 0, "len"))))


def s_sub(args):
    s = check_str(args, 0, "sub")
    n = len(s)
    i = opt_int(args, 1, "sub", 1)
    j = opt_int(args, 2, "sub", -1)
    if i < 0:
        i = n + i + 1
        if i < 1:
            i = 1
    elif i == 0:
        i = 1
    if j < 0:
        j = n + j + 1
    elif j > n:
        j = n
    if i > j:
        return one(W_Str(""))
    return one(W_Str(s[i - 1:j]))


def s_upper(args):
    return one(W_Str(check_str(args, 0, "upper").upper()))


def s_lower(args):
    return one(W_Str(check_str(args, 0, "lower").lower()))


def s_rep(args):
    s = check_str(args, 0, "rep")
    n = check_int(args, 1, "rep")
    sep = ""
    if len(args) >= 3 and not isinstance(args[2], W_Nil):
        sep = check_str(args, 2, "rep")
    if n <= 0:
        return one(W_Str(""))
    if sep == "":
        return one(W_Str(s * n))
    parts = [s] * n
    return one(W_Str(sep.join(parts)))


def s_reverse(args):
    s = check_str(args, 0, "reverse")
    chars = list(s)
    chars.reverse()
    return one(W_Str("".join(chars)))


def s_byte(args):
    s = check_str(args, 0, "byte")
    n = len(s)
    i = opt_int(args, 1, "byte", 1)
    j = opt_int(args, 2, "byte", i)
    if i < 0:
        i = n + i + 1
        if i < 1:
            i = 1
    elif i == 0:
        i = 1
    if j < 0:
        j = n + j + 1
    elif j > n:
        j = n
    res = []
    for k in range(i, j + 1):
        res.append(W_Int(ord(s[k - 1])))
    return res


def s_char(args):
    parts = []
    for i in range(len(args)):
        c = check_int(args, i, "char")
        if not (0 <= c <= 255):
            raise bad_arg(i, "char", "value out of range")
        parts.append(chr(c))
    return one(W_Str("".join(parts)))


def s_format(args):
    fmt = check_str(args, 0, "format")
    return one(W_Str(string_format(fmt, args)))


def str_find_aux(args, find):
    fname = "match"
    if find:
        fname = "find"
    s = check_str(args, 0, fname)
    p = check_str(args, 1, fname)
    n = len(s)
    init = str_index(n, opt_int(args, 2, fname, 1))
    if init > n + 1:
        return one(w_nil)
    plain = len(args) >= 4 and args[3].is_true()
    if find and (plain or not has_specials(p)):
        k = s.find(p, init - 1)
        if k < 0:
            return one(w_nil)
        return [W_Int(k + 1), W_Int(k + len(p))]
    ms = MatchState(s, p)
    anchor = len(p) > 0 and p[0] == "^"
    pstart = 0
    if anchor:
        pstart = 1
    spos = init - 1
    while True:
        ms.level = 0
        ms.matchdepth = 200
        e = do_match(ms, spos, pstart)
        if e != -1:
            if find:
                return prepend(W_Int(spos + 1), prepend(W_Int(e), get_captures(ms, spos, e, False)))
            return get_captures(ms, spos, e, True)
        spos += 1
        if anchor or spos > n:
            break
    return one(w_nil)


def s_find(args):
    return str_find_aux(args, True)


def s_match(args):
    return str_find_aux(args, False)


class W_GmatchIter(W_Builtin):
    def __init__(self, src, pat):
        W_Builtin.__init__(self, "gmatch_iter", s_len)
        self.src = src
        self.pat = pat
        self.pos = 0
        self.lastmatch = -1

    def call(self, args):
        ms = MatchState(self.src, self.pat)
        while self.pos <= len(self.src):
            ms.level = 0
            ms.matchdepth = 200
            start = self.pos
            e = do_match(ms, start, 0)
            if e != -1 and e != self.lastmatch:
                self.pos = e
                self.lastmatch = e
                if e == start:
                    self.pos = e
                return get_captures(ms, start, e, True)
            self.pos += 1
        return one(w_nil)


def s_gmatch(args):
    s = check_str(args, 0, "gmatch")
    p = check_str(args, 1, "gmatch")
    return one(W_GmatchIter(s, p))


def add_value(ms, out, s, e, w_repl):
    if isinstance(w_repl, W_Str) or isinstance(w_repl, W_Int) or isinstance(w_repl, W_Float):
        r = tostring(w_repl)
        i = 0
        while i < len(r):
            c = r[i]
            if c == "%":
                i += 1
                if i >= len(r):
                    raise RtError("invalid use of '%' in replacement string", 0)
                d = r[i]
                if d == "%":
                    out.append("%")
                elif "0" <= d <= "9":
                    if d == "0":
                        out.append(ms.src[s:e])
                    else:
                        w_cap = get_capture(ms, ord(d) - ord("1"), s, e)
                        out.append(tostring(w_cap))
                else:
                    raise RtError("invalid use of '%' in replacement string", 0)
            else:
                out.append(c)
            i += 1
        return
    w_cap = get_capture(ms, 0, s, e)
    if isinstance(w_repl, W_Table):
        w_v = index(w_repl, w_cap)
    else:
        w_v = first(call_function(w_repl, get_captures(ms, s, e, True)))
    if not w_v.is_true():
        out.append(ms.src[s:e])
    elif isinstance(w_v, W_Str) or isinstance(w_v, W_Int) or isinstance(w_v, W_Float):
        out.append(tostring(w_v))
    else:
        raise RtError("invalid replacement value (a " + w_v.typename() + ")", 0)


def s_gsub(args):
    src = check_str(args, 0, "gsub")
    p = check_str(args, 1, "gsub")
    w_repl = arg(args, 2)
    if not (isinstance(w_repl, W_Str) or isinstance(w_repl, W_Int)
            or isinstance(w_repl, W_Float) or isinstance(w_repl, W_Table)
            or isinstance(w_repl, W_Closure) or isinstance(w_repl, W_Builtin)):
        raise bad_arg(2, "gsub", "string/function/table expected, got " + typename_got(args, 2))
    max_s = len(src) + 1
    if len(args) >= 4 and not isinstance(args[3], W_Nil):
        max_s = check_int(args, 3, "gsub")
    anchor = len(p) > 0 and p[0] == "^"
    pstart = 0
    if anchor:
        pstart = 1
    ms = MatchState(src, p)
    out = []
    s = 0
    n = 0
    while n < max_s:
        ms.level = 0
        ms.matchdepth = 200
        e = do_match(ms, s, pstart)
        if e != -1:
            n += 1
            add_value(ms, out, s, e, w_repl)
        if e != -1 and e > s:
            s = e
        elif s < len(src):
            out.append(src[s])
            s += 1
        else:
            break
        if anchor:
            break
    out.append(src[s:])
    return [W_Str("".join(out)), W_Int(n)]
