"""Lua patterns (a port of lstrlib.c's matcher) and ``string.format``."""

from kiln.rarith import r_uint

from operations import RtError, fmt_float, tonumber_str, tostring
from objects import W_Float, W_Int, W_Str, float_is_int

CAP_UNFINISHED = -1
CAP_POSITION = -2
MAXCCALLS = 200
L_ESC = "%"
SPECIALS = "^$*+?.([%-"


class MatchState(object):
    def __init__(self, src, pat):
        self.src = src
        self.pat = pat
        self.level = 0
        self.cap_start = [0] * 32
        self.cap_len = [0] * 32
        self.matchdepth = MAXCCALLS


def class_end(ms, p):
    pat = ms.pat
    if p >= len(pat):
        raise RtError("malformed pattern (ends with '%')", 0)
    c = pat[p]
    p += 1
    if c == L_ESC:
        if p >= len(pat):
            raise RtError("malformed pattern (ends with '%')", 0)
        return p + 1
    if c == "[":
        if p < len(pat) and pat[p] == "^":
            p += 1
        while True:
            if p >= len(pat):
                raise RtError("malformed pattern (missing ']')", 0)
            cc = pat[p]
            p += 1
            if cc == L_ESC:
                if p >= len(pat):
                    raise RtError("malformed pattern (missing ']')", 0)
                p += 1
            if p < len(pat) and pat[p] == "]":
                return p + 1
            if p >= len(pat):
                raise RtError("malformed pattern (missing ']')", 0)
    return p


def is_alpha(c):
    return ("a" <= c <= "z") or ("A" <= c <= "Z")


def is_digit(c):
    return "0" <= c <= "9"


def is_lower(c):
    return "a" <= c <= "z"


def is_upper(c):
    return "A" <= c <= "Z"


def is_space(c):
    return c == " " or ("\t" <= c <= "\r")


def is_cntrl(c):
    return ord(c) < 32 or ord(c) == 127


def is_punct(c):
    o = ord(c)
    return 33 <= o <= 126 and not (is_alpha(c) or is_digit(c))


def is_xdigit(c):
    return is_digit(c) or ("a" <= c <= "f") or ("A" <= c <= "F")


def match_class(c, cl):
    lower = cl.lower()
    if lower == "a":
        res = is_alpha(c)
    elif lower == "c":
        res = is_cntrl(c)
    elif lower == "d":
        res = is_digit(c)
    elif lower == "g":
        res = 33 <= ord(c) <= 126
    elif lower == "l":
        res = is_lower(c)
    elif lower == "p":
        res = is_punct(c)
    elif lower == "s":
        res = is_space(c)
    elif lower == "u":
        res = is_upper(c)
    elif lower == "w":
        res = is_alpha(c) or is_digit(c)
    elif lower == "x":
        res = is_xdigit(c)
    else:
        return cl == c
    if is_upper(cl):
        return not res
    return res


def match_bracket_class(ms, c, p, ec):
    """p is at '[', ec at the closing ']'."""
    pat = ms.pat
    sig = True
    p += 1
    if pat[p] == "^":
        sig = False
        p += 1
    while p < ec:
        if pat[p] == L_ESC:
            p += 1
            if match_class(c, pat[p]):
                return sig
            p += 1
        elif p + 2 < ec and pat[p + 1] == "-":
            if pat[p] <= c <= pat[p + 2]:
                return sig
            p += 3
        else:
            if pat[p] == c:
                return sig
            p += 1
    return not sig


def single_match(ms, s, p, ep):
    if s >= len(ms.src):
        return False
    c = ms.src[s]
    pc = ms.pat[p]
    if pc == ".":
        return True
    if pc == L_ESC:
        return match_class(c, ms.pat[p + 1])
    if pc == "[":
        return match_bracket_class(ms, c, p, ep - 1)
    return pc == c


def do_match(ms, s, p):
    ms.matchdepth -= 1
    if ms.matchdepth == 0:
        raise RtError("pattern too complex", 0)
    try:
        return do_match1(ms, s, p)
    finally:
        ms.matchdepth += 1


def do_match1(ms, s, p):
    pat = ms.pat
    plen = len(pat)
    while True:
        if p >= plen:
            return s
        pc = pat[p]
        if pc == "(":
            if p + 1 < plen and pat[p + 1] == ")":
                return start_capture(ms, s, p + 2, CAP_POSITION)
            return start_capture(ms, s, p + 1, CAP_UNFINISHED)
        if pc == ")":
            return end_capture(ms, s, p + 1)
        if pc == "$" and p + 1 == plen:
            if s == len(ms.src):
                return s
            return -1
        if pc == L_ESC and p + 1 < plen:
            nc = pat[p + 1]
            if nc == "b":
                s = match_balance(ms, s, p + 2)
                if s != -1:
                    p += 4
                    continue
                return -1
            if nc == "f":
                p += 2
                if p >= plen or pat[p] != "[":
                    raise RtError("missing '[' after '%f' in pattern", 0)
                ep = class_end(ms, p)
                prev = "\0"
                if s > 0:
                    prev = ms.src[s - 1]
                cur = "\0"
                if s < len(ms.src):
                    cur = ms.src[s]
                if (not match_bracket_class(ms, prev, p, ep - 1)) and \
                        match_bracket_class(ms, cur, p, ep - 1):
                    p = ep
                    continue
                return -1
            if is_digit(nc):
                s = match_capture(ms, s, nc)
                if s != -1:
                    p += 2
                    continue
                return -1
        ep = class_end(ms, p)
        epc = ""
        if ep < plen:
            epc = pat[ep]
        if not single_match(ms, s, p, ep):
            if epc == "*" or epc == "?" or epc == "-":
                p = ep + 1
                continue
            return -1
        if epc == "?":
            res = do_match(ms, s + 1, ep + 1)
            if res != -1:
                return res
            p = ep + 1
            continue
        if epc == "+":
            return max_expand(ms, s + 1, p, ep)
        if epc == "*":
            return max_expand(ms, s, p, ep)
        if epc == "-":
            return min_expand(ms, s, p, ep)
        s += 1
        p = ep


def max_expand(ms, s, p, ep):
    i = 0
    while single_match(ms, s + i, p, ep):
        i += 1
    while i >= 0:
        res = do_match(ms, s + i, ep + 1)
        if res != -1:
            return res
        i -= 1
    return -1


def min_expand(ms, s, p, ep):
    while True:
        res = do_match(ms, s, ep + 1)
        if res != -1:
            return res
        if single_match(ms, s, p, ep):
            s += 1
        else:
            return -1


def start_capture(ms, s, p, what):
    level = ms.level
    if level >= 32:
        raise RtError("too many captures", 0)
    ms.cap_start[level] = s
    ms.cap_len[level] = what
    ms.level = level + 1
    res = do_match(ms, s, p)
    if res == -1:
        ms.level -= 1
    return res


def end_capture(ms, s, p):
    level = capture_to_close(ms)
    ms.cap_len[level] = s - ms.cap_start[level]
    res = do_match(ms, s, p)
    if res == -1:
        ms.cap_len[level] = CAP_UNFINISHED
    return res


def capture_to_close(ms):
    level = ms.level - 1
    while level >= 0:
        if ms.cap_len[level] == CAP_UNFINISHED:
            return level
        level -= 1
    raise RtError("invalid pattern capture", 0)


def match_balance(ms, s, p):
    if p + 1 >= len(ms.pat):
        raise RtError("malformed pattern (missing arguments to '%b')", 0)
    src = ms.src
    if s >= len(src) or src[s] != ms.pat[p]:
        return -1
    b = ms.pat[p]
    e = ms.pat[p + 1]
    cont = 1
    s += 1
    while s < len(src):
        c = src[s]
        if c == e:
            cont -= 1
            if cont == 0:
                return s + 1
        elif c == b:
            cont += 1
        s += 1
    return -1


def match_capture(ms, s, c):
    level = ord(c) - ord("1")
    if level < 0 or level >= ms.level or ms.cap_len[level] == CAP_UNFINISHED:
        raise RtError("invalid capture index %%%d" % (level + 1), 0)
    start = ms.cap_start[level]
    ln = ms.cap_len[level]
    cap = ms.src[start:start + ln]
    if ms.src[s:s + ln] == cap:
        return s + ln
    return -1


def get_capture(ms, i, s, e):
    """Capture i (0-based); the whole match when there are no captures."""
    if i >= ms.level:
        if i == 0:
            return W_Str(ms.src[s:e])
        raise RtError("invalid capture index %%%d" % (i + 1), 0)
    ln = ms.cap_len[i]
    start = ms.cap_start[i]
    if ln == CAP_UNFINISHED:
        raise RtError("unfinished capture", 0)
    if ln == CAP_POSITION:
        return W_Int(start + 1)
    return W_Str(ms.src[start:start + ln])


def get_captures(ms, s, e, whole_if_none):
    n = ms.level
    if n == 0 and whole_if_none:
        n = 1
    res = []
    for i in range(n):
        res.append(get_capture(ms, i, s, e))
    return res


def has_specials(p):
    for c in p:
        if c in SPECIALS:
            return True
    return False


# ------------------------------------------------------------------ format


def make_float_formatter(conv, prec):
    fmt = "%." + str(prec) + conv

    def formatter(f):
        return fmt % f
    return formatter


FLOAT_CONVS = "feEgG"
MAX_PREC = 40
FLOAT_FORMATTERS = []
for _conv in FLOAT_CONVS:
    for _prec in range(MAX_PREC + 1):
        FLOAT_FORMATTERS.append(make_float_formatter(_conv, _prec))


def format_float(conv, prec, f):
    if f != f or f == float("inf") or f == -float("inf"):
        s = fmt_float(f)
        if s == "-nan":
            s = "nan"
        if conv == "E" or conv == "G":
            s = s.upper()
        return s
    ci = FLOAT_CONVS.find(conv)
    return FLOAT_FORMATTERS[ci * (MAX_PREC + 1) + prec](f)


def to_hex(v, upper):
    u = r_uint(v)
    if u == r_uint(0):
        return "0"
    digits = "0123456789abcdef"
    if upper:
        digits = "0123456789ABCDEF"
    out = []
    while u != r_uint(0):
        out.append(digits[int(u & r_uint(15))])
        u = u >> 4
    out.reverse()
    return "".join(out)


def to_octal(v):
    u = r_uint(v)
    if u == r_uint(0):
        return "0"
    out = []
    while u != r_uint(0):
        out.append(chr(ord("0") + int(u & r_uint(7))))
        u = u >> 3
    out.reverse()
    return "".join(out)


def pad(s, width, left, zero):
    if len(s) >= width:
        return s
    if left:
        return s + " " * (width - len(s))
    if zero:
        sign = ""
        body = s
        if len(s) > 0 and (s[0] == "-" or s[0] == "+" or s[0] == " "):
            sign = s[0]
            body = s[1:]
        return sign + "0" * (width - len(s)) + body
    return " " * (width - len(s)) + s


def quote_string(s):
    out = ['"']
    n = len(s)
    for i in range(n):
        c = s[i]
        if c == '"' or c == "\\":
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\0":
            if i + 1 < n and is_digit(s[i + 1]):
                out.append("\\000")
            else:
                out.append("\\0")
        elif is_cntrl(c):
            if i + 1 < n and is_digit(s[i + 1]):
                out.append("\\%03d" % ord(c))
            else:
                out.append("\\%d" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def arg_error(n, fname, msg):
    return RtError("bad argument #%d to '%s' (%s)" % (n, fname, msg), 0)


def format_int_arg(args, argi, fname):
    if argi >= len(args):
        raise arg_error(argi + 1, fname, "number expected, got no value")
    w = args[argi]
    if isinstance(w, W_Int):
        return w.value
    if isinstance(w, W_Float):
        if float_is_int(w.value):
            return int(w.value)
        raise arg_error(argi + 1, fname, "number has no integer representation")
    if isinstance(w, W_Str):
        from_str = str_to_num(w.value)
        if from_str is not None:
            return format_int_arg([from_str], 0, fname)
    raise arg_error(argi + 1, fname, "number expected, got " + typename_of(w))


def format_float_arg(args, argi, fname):
    if argi >= len(args):
        raise arg_error(argi + 1, fname, "number expected, got no value")
    w = args[argi]
    if isinstance(w, W_Int):
        return float(w.value)
    if isinstance(w, W_Float):
        return w.value
    if isinstance(w, W_Str):
        from_str = str_to_num(w.value)
        if from_str is not None:
            return format_float_arg([from_str], 0, fname)
    raise arg_error(argi + 1, fname, "number expected, got " + typename_of(w))


def typename_of(w):
    from_nil = w.typename()
    if from_nil == "nil":
        return "nil"
    return from_nil


def str_to_num(s):
    return tonumber_str(s)


def string_format(fmt, args):
    out = []
    i = 0
    n = len(fmt)
    argi = 1
    while i < n:
        c = fmt[i]
        if c != "%":
            j = fmt.find("%", i)
            if j < 0:
                j = n
            out.append(fmt[i:j])
            i = j
            continue
        i += 1
        if i < n and fmt[i] == "%":
            out.append("%")
            i += 1
            continue
        left = False
        zero = False
        plus = False
        space = False
        alt = False
        while i < n and fmt[i] in "-0+ #":
            f = fmt[i]
            if f == "-":
                left = True
            elif f == "0":
                zero = True
            elif f == "+":
                plus = True
            elif f == " ":
                space = True
            else:
                alt = True
            i += 1
        width = 0
        nd = 0
        while i < n and is_digit(fmt[i]):
            width = width * 10 + ord(fmt[i]) - ord("0")
            i += 1
            nd += 1
        prec = -1
        if i < n and fmt[i] == ".":
            i += 1
            prec = 0
            nd2 = 0
            while i < n and is_digit(fmt[i]):
                prec = prec * 10 + ord(fmt[i]) - ord("0")
                i += 1
                nd2 += 1
            if nd2 > 2:
                raise RtError("invalid conversion '%" + fmt[i - nd2 - 1:i] + "' to 'format'", 0)
        if nd > 2:
            raise RtError("invalid conversion to 'format'", 0)
        if i >= n:
            raise RtError("invalid conversion '%' to 'format'", 0)
        conv = fmt[i]
        i += 1
        if conv == "d" or conv == "i":
            v = format_int_arg(args, argi, "format")
            argi += 1
            s = str(v)
            if prec >= 0:
                neg = v < 0
                digits = s
                if neg:
                    digits = s[1:]
                if len(digits) < prec:
                    digits = "0" * (prec - len(digits)) + digits
                if prec == 0 and v == 0:
                    digits = ""
                s = digits
                if neg:
                    s = "-" + digits
                zero = False
            if v >= 0:
                if plus:
                    s = "+" + s
                elif space:
                    s = " " + s
            out.append(pad(s, width, left, zero))
        elif conv == "u":
            v = format_int_arg(args, argi, "format")
            argi += 1
            out.append(pad(str(v), width, left, zero))
        elif conv == "x" or conv == "X" or conv == "o":
            v = format_int_arg(args, argi, "format")
            argi += 1
            if conv == "o":
                s = to_octal(v)
            else:
                s = to_hex(v, conv == "X")
            if prec >= 0 and len(s) < prec:
                s = "0" * (prec - len(s)) + s
            if alt and v != 0:
                if conv == "x":
                    s = "0x" + s
                elif conv == "X":
                    s = "0X" + s
                else:
                    s = "0" + s
            out.append(pad(s, width, left, zero))
        elif conv == "c":
            v = format_int_arg(args, argi, "format")
            argi += 1
            out.append(pad(chr(v & 255), width, left, False))
        elif conv in FLOAT_CONVS or conv == "F":
            f = format_float_arg(args, argi, "format")
            argi += 1
            if prec < 0:
                prec = 6
            if conv == "F":
                conv = "f"
            if alt:
                raise RtError("invalid conversion '%#" + conv + "' to 'format'", 0)
            s = format_float(conv, prec, f)
            if not s.startswith("-"):
                if plus:
                    s = "+" + s
                elif space:
                    s = " " + s
            if f != f or f == float("inf") or f == -float("inf"):
                zero = False
            out.append(pad(s, width, left, zero))
        elif conv == "s":
            if argi >= len(args):
                raise arg_error(argi + 1, "format", "no value")
            s = tostring(args[argi])
            argi += 1
            if prec >= 0 and len(s) > prec:
                s = s[:prec]
            out.append(pad(s, width, left, False))
        elif conv == "q":
            if argi >= len(args):
                raise arg_error(argi + 1, "format", "no value")
            w = args[argi]
            argi += 1
            if isinstance(w, W_Str):
                out.append(quote_string(w.value))
            elif isinstance(w, W_Int):
                if w.value == -9223372036854775807 - 1:
                    out.append("0x8000000000000000")
                else:
                    out.append(str(w.value))
            elif isinstance(w, W_Float):
                fv = w.value
                if fv == float("inf"):
                    out.append("1e9999")
                elif fv == -float("inf"):
                    out.append("-1e9999")
                elif fv != fv:
                    out.append("(0/0)")
                elif float_is_int(fv):
                    out.append("%d" % int(fv) + "e0")
                else:
                    raise RtError("'%q' of a non-integral float is not supported", 0)
            else:
                s = tostring(w)
                if s == "nil" or s == "true" or s == "false":
                    out.append(s)
                else:
                    raise arg_error(argi, "format", "value has no literal form")
        else:
            raise RtError("invalid conversion '%" + conv + "' to 'format'", 0)
    return "".join(out)
