"""The table library, with lua5.4's sort algorithm."""

from interp import W_Closure
from operations import (RtError, W_Builtin, call_function, first, index, length,
                    lua_lt, tostring)
from libutil import (arg, bad_arg, check_int, check_str, check_table, one, opt_int,
                     typename_got)
from objects import W_Float, W_Int, W_Nil, W_Str, W_Table, w_nil


# ------------------------------------------------------------------ table


def t_insert(args):
    w_t = check_table(args, 0, "insert")
    n = w_t.length()
    if len(args) == 2:
        w_t.setint(n + 1, args[1])
        return []
    if len(args) != 3:
        raise RtError("wrong number of arguments to 'insert'", 0)
    pos = check_int(args, 1, "insert")
    if pos < 1 or pos > n + 1:
        raise bad_arg(1, "insert", "position out of bounds")
    i = n
    while i >= pos:
        w_t.setint(i + 1, w_t.getint(i))
        i -= 1
    w_t.setint(pos, args[2])
    return []


def t_remove(args):
    w_t = check_table(args, 0, "remove")
    n = w_t.length()
    if len(args) >= 2:
        pos = check_int(args, 1, "remove")
        if n + 1 == pos:
            w_v = w_t.getint(pos)
            w_t.setint(pos, w_nil)
            return one(w_v)
        if n == 0 and pos == 0:
            return one(w_t.getint(pos))
        if pos < 1 or pos > n + 1:
            raise bad_arg(1, "remove", "position out of bounds")
    else:
        pos = n
        if n == 0:
            return one(w_t.getint(0))
    w_v = w_t.getint(pos)
    i = pos
    while i < n:
        w_t.setint(i, w_t.getint(i + 1))
        i += 1
    if i <= n:
        w_t.setint(n, w_nil)
    return one(w_v)


def t_concat(args):
    w_t = check_table(args, 0, "concat")
    sep = ""
    if len(args) >= 2 and not isinstance(args[1], W_Nil):
        sep = check_str(args, 1, "concat")
    i = opt_int(args, 2, "concat", 1)
    if len(args) >= 4 and not isinstance(args[3], W_Nil):
        j = check_int(args, 3, "concat")
    else:
        j = w_t.length()
    parts = []
    for k in range(i, j + 1):
        w_v = w_t.getint(k)
        if isinstance(w_v, W_Str) or isinstance(w_v, W_Int) or isinstance(w_v, W_Float):
            parts.append(tostring(w_v))
        else:
            raise RtError("invalid value (at index %d) in table for 'concat'" % k, 0)
    return one(W_Str(sep.join(parts)))


def t_pack(args):
    w_t = W_Table()
    for i in range(len(args)):
        w_t.setint(i + 1, args[i])
    w_t.setstr("n", W_Int(len(args)))
    return one(w_t)


class Sorter(object):
    """lua5.4's sort (ltablib.c's auxsort) on a table, so that the order of equal
    elements and of comparator calls is the same as lua5.4's."""

    def __init__(self, w_t, w_cmp):
        self.w_t = w_t
        self.w_cmp = w_cmp

    def get(self, i):
        return self.w_t.getint(i)

    def set(self, i, w_v):
        self.w_t.setint(i, w_v)

    def lt(self, w_a, w_b):
        w_cmp = self.w_cmp
        if isinstance(w_cmp, W_Nil):
            return lua_lt(w_a, w_b)
        return first(call_function(w_cmp, [w_a, w_b])).is_true()

    def partition(self, lo, up):
        i = lo
        j = up - 1
        w_p = self.get(up - 1)
        while True:
            i += 1
            w_a = self.get(i)
            while self.lt(w_a, w_p):
                if i == up - 1:
                    raise RtError("invalid order function for sorting", 0)
                i += 1
                w_a = self.get(i)
            j -= 1
            w_b = self.get(j)
            while self.lt(w_p, w_b):
                if j < i:
                    raise RtError("invalid order function for sorting", 0)
                j -= 1
                w_b = self.get(j)
            if j < i:
                self.set(up - 1, self.get(i))
                self.set(i, w_p)
                return i
            self.set(i, w_b)
            self.set(j, w_a)

    def auxsort(self, lo, up):
        while lo < up:
            w_a = self.get(lo)
            w_b = self.get(up)
            if self.lt(w_b, w_a):
                self.set(lo, w_b)
                self.set(up, w_a)
            if up - lo == 1:
                break
            p = lo + (up - lo) // 2
            w_a = self.get(p)
            w_b = self.get(lo)
            if self.lt(w_a, w_b):
                self.set(p, w_b)
                self.set(lo, w_a)
            else:
                w_b = self.get(up)
                if self.lt(w_b, w_a):
                    self.set(p, w_b)
                    self.set(up, w_a)
            if up - lo == 2:
                break
            w_p = self.get(p)
            self.set(p, self.get(up - 1))
            self.set(up - 1, w_p)
            p = self.partition(lo, up)
            if p - lo < up - p:
                self.auxsort(lo, p - 1)
                lo = p + 1
            else:
                self.auxsort(p + 1, up)
                up = p - 1


def t_sort(args):
    w_t = check_table(args, 0, "sort")
    n = w_t.length()
    w_cmp = arg(args, 1)
    if not isinstance(w_cmp, W_Nil) and not (isinstance(w_cmp, W_Closure)
                                             or isinstance(w_cmp, W_Builtin)):
        raise bad_arg(1, "sort", "function expected, got " + typename_got(args, 1))
    if n > 1:
        Sorter(w_t, w_cmp).auxsort(1, n)
    return []
