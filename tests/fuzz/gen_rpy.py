#!/usr/bin/env python3
"""Csmith-style generator of random, well-typed, terminating RPy programs.

`generate(seed)` returns the source of one complete program (the corpus format of
tests/programs/README.md) and is deterministic for a seed. The program defines a small
class hierarchy, user exception classes, a linked node class, typed helper functions
(defaults, a bounded recursion, a helper that may return None) and several independent
"cases"; `entry_point` runs every case inside its own `try` and prints what it returns or
raises, so one exception does not hide the others.

The generator only writes what docs/language.md documents as translated, and it keeps
the program inside the subset where CPython is a valid oracle:
- every int stays far inside 64 bits: each expression carries a bound on its magnitude,
  operands are masked before a product could leave 2**50, and every int variable,
  attribute and list item is kept below 2**20;
- strings, lists and dicts have bounded sizes (slices and guarded appends), and every
  loop has a constant trip count (while loops count, for loops run over bounded
  ranges or containers the loop body does not mutate);
- nothing printed depends on hash() or on addresses, and no instance is printed;
- every local has one type, and a name bound inside a branch, loop or try body is not
  read after it (Kiln's E0201).

Run `python3 gen_rpy.py SEED` to print one program.
"""

import random
import sys

MASK = 0xFFFFF          # int variables, attributes and list items stay below 2**20
VAR_BOUND = MASK
BIG = 1 << 50           # operands are masked before a result could pass this
STR_LEN = 120           # string variables are sliced to this length
LIST_LEN = 48           # lists are kept at most this long
DICT_LEN = 48

WORDS = ["", "a", "ab", "xyz", "hello", "Kiln", "a b c", "  pad ", "x,y,z", "42", "-7",
         "MiXeD", "tab\there", "q'uote", "dq\"", "uni\u00e9", "\u4e2d\u6587", "A1b2"]
CHARS = ["a", "b", "z", " ", ",", "1", "\u00e9", "Q"]

INT_T, FLOAT_T, STR_T, BOOL_T = "int", "float", "str", "bool"
LINT, LSTR, DSI, DIS, TUP = "list_int", "list_str", "dict_str_int", "dict_int_str", "tuple_is"
OBJ_BASE, OBJ_MID, OBJ_LEAF = "obj:Shape", "obj:Mid", "obj:Leaf"
LOBJ = "list_obj"
NODE = "node?"          # a Node or None
OPTSTR = "str?"         # a str or None

OBJ_TYPES = [OBJ_BASE, OBJ_MID, OBJ_LEAF]
# Which static object types a value of each class may be stored as.
OBJ_SUPER = {OBJ_BASE: [OBJ_BASE], OBJ_MID: [OBJ_MID, OBJ_BASE], OBJ_LEAF: [OBJ_LEAF, OBJ_MID, OBJ_BASE]}

PRINTABLE = [INT_T, FLOAT_T, STR_T, BOOL_T, LINT, LSTR, DSI, DIS, TUP]
VALUE_TYPES = [INT_T, INT_T, INT_T, FLOAT_T, STR_T, STR_T, BOOL_T, LINT, LSTR, DSI, DIS, TUP,
               OBJ_BASE, OBJ_MID, LOBJ, NODE, OPTSTR]

EXCEPTIONS = ["CodeError", "AppError", "ZeroDivisionError", "IndexError", "KeyError",
              "ValueError", "AssertionError", "OverflowError", "LookupError", "ArithmeticError"]


class Var:
    def __init__(self, name, ty, readonly=False):
        self.name = name
        self.ty = ty
        self.readonly = readonly


class Scope:
    """The names visible at one point, innermost block last."""

    def __init__(self, parent=None):
        self.parent = parent
        self.vars = []

    def all(self):
        """The visible variables; an inner entry for a name hides the outer one."""
        out = {} if self.parent is None else {v.name: v for v in self.parent.all()}
        for v in self.vars:
            out.pop(v.name, None)
            out[v.name] = v
        return list(out.values())

    def of_type(self, ty, writable=False):
        return [v for v in self.all() if v.ty == ty and not (writable and v.readonly)]

    def frozen(self, name):
        """Makes `name` read-only in a child scope (a container a loop iterates over)."""
        for v in self.all():
            if v.name == name:
                return Var(v.name, v.ty, True)
        return None


class Func:
    def __init__(self, name, params, ret, defaults=0):
        self.name = name
        self.params = params        # [(name, type)]
        self.ret = ret
        self.defaults = defaults    # how many trailing parameters have defaults


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.seed = seed
        self.counter = 0
        self.funcs = []             # helpers callable from later code
        self.loop_depth = 0
        self.depth = 0              # statement nesting
        # Inside a method no object is built or called: a method calling itself through
        # a new instance could recurse without bound.
        self.no_obj = False

    # ---- small helpers -------------------------------------------------------------

    def chance(self, p):
        return self.r.random() < p

    def pick(self, seq):
        return self.r.choice(seq)

    def fresh(self, prefix="v"):
        self.counter += 1
        return "%s%d" % (prefix, self.counter)

    def lit_str(self):
        return repr(self.pick(WORDS))

    # ---- expressions: each returns code (and a bound for ints) ----------------------

    def mask(self, code):
        return "((%s) & %d)" % (code, MASK)

    def int_expr(self, sc, d):
        """An int expression and a bound on its absolute value."""
        r = self.r
        if d <= 0 or self.chance(0.25):
            vs = sc.of_type(INT_T)
            if vs and self.chance(0.7):
                return self.pick(vs).name, VAR_BOUND
            c = r.choice([0, 1, 2, 3, 5, 7, 10, 13, 100, -1, -3, -8, 255, 1000, r.randint(-50, 50)])
            return str(c), abs(c)
        k = r.randint(0, 21)
        if k <= 5:
            op = r.choice(["+", "-", "*", "//", "%", "&", "|", "^", "<<", ">>", "+", "-", "*"])
            a, ba = self.int_expr(sc, d - 1)
            if op in ("<<", ">>"):
                sh = r.randint(0, 9)
                if op == "<<":
                    if ba > BIG >> sh:
                        a, ba = self.mask(a), MASK
                    return "(%s << %d)" % (a, sh), ba << sh
                return "(%s >> %d)" % (a, sh), ba
            b, bb = self.int_expr(sc, d - 1)
            if op in ("//", "%") and self.chance(0.8):
                # Mostly a divisor that is not zero, sometimes one that may be.
                b, bb = "(%s %% 9 + 1)" % b, 9
                if self.chance(0.3):
                    b, bb = "(-%s)" % b, 9
            if op == "*" and ba * bb > BIG:
                if ba > 1 << 20:
                    a, ba = self.mask(a), MASK
                if bb > 1 << 20:
                    b, bb = self.mask(b), MASK
            if op in ("+", "-") and ba + bb > BIG:
                a, b, ba, bb = self.mask(a), self.mask(b), MASK, MASK
            bound = {"+": ba + bb, "-": ba + bb, "*": ba * bb, "//": ba, "%": bb,
                     "&": 2 * max(ba, bb) + 1, "|": 2 * max(ba, bb) + 1, "^": 2 * max(ba, bb) + 1}[op]
            return "(%s %s %s)" % (a, op, b), bound
        if k == 6:
            a, ba = self.int_expr(sc, d - 1)
            f = r.choice(["-%s", "abs(%s)", "(~%s)"])
            return f % a if f != "-%s" else "(-%s)" % a, ba + 1
        if k == 7:
            what = r.choice([STR_T, LINT, LSTR, DSI, DIS])
            return "len(%s)" % self.expr(what, sc, d - 1), 10 ** 6
        if k == 8:
            a, ba = self.int_expr(sc, d - 1)
            b, bb = self.int_expr(sc, d - 1)
            return "%s(%s, %s)" % (r.choice(["min", "max"]), a, b), max(ba, bb)
        if k == 9:
            lst = self.expr(LINT, sc, d - 1)
            i, _ = self.int_expr(sc, d - 1)
            if self.chance(0.7):
                return "(%s[%s %% len(%s)] if len(%s) > 0 else %d)" % (lst, i, lst, lst, r.randint(-5, 5)) \
                    if lst.isidentifier() else "%s[%s %% 3]" % (lst, i), VAR_BOUND
            return "%s[%s]" % (lst, i), VAR_BOUND
        if k == 10:
            dct = self.expr(DSI, sc, d - 1)
            key = self.expr(STR_T, sc, d - 1) if self.chance(0.5) else self.lit_str()
            if self.chance(0.6):
                dv, bd = self.int_expr(sc, 0)
                return "%s.get(%s, %s)" % (dct, key, dv), max(bd, VAR_BOUND)
            return "%s[%s]" % (dct, key), VAR_BOUND
        if k == 11:
            c = self.bool_expr(sc, d - 1)
            a, ba = self.int_expr(sc, d - 1)
            b, bb = self.int_expr(sc, d - 1)
            return "(%s if %s else %s)" % (a, c, b), max(ba, bb)
        if k == 12:
            f = self.call_helper(INT_T, sc, d - 1)
            if f:
                return f, VAR_BOUND
            return "0", 0
        if k == 13 and not self.no_obj:
            o = self.obj_expr(OBJ_BASE, sc, d - 1)
            a, _ = self.int_expr(sc, d - 1)
            if self.chance(0.5):
                return "%s.a" % o, VAR_BOUND
            return "%s.val(%s)" % (o, self.mask(a)), VAR_BOUND
        if k == 13:
            return "len(%s)" % self.str_expr(sc, d - 1), 10 ** 6
        if k == 14:
            return "sum(%s)" % self.expr(LINT, sc, d - 1), 1 << 30
        if k == 15:
            t = self.expr(TUP, sc, d - 1)
            return "%s[0]" % t, VAR_BOUND
        if k == 16:
            s = self.expr(STR_T, sc, d - 1)
            return r.choice(["%s.find(%s)", "%s.count(%s)", "%s.rfind(%s)"]) % (s, self.lit_str()), 10 ** 6
        if k == 17:
            f, bf = self.float_expr(sc, d - 1)
            if bf > 1e12:
                f = "(%s) %% 1000.0" % f if self.chance(0.5) else "1.5"
            return "int(%s)" % f, 10 ** 12
        if k == 18:
            a, ba = self.int_expr(sc, d - 1)
            return "int(str(%s))" % a, ba
        if k == 19:
            s = self.expr(STR_T, sc, d - 1)
            return "(ord(%s[0]) if len(%s) > 0 else -1)" % (s, s) if s.isidentifier() else "len(%s)" % s, 1 << 21
        if k == 20:
            lst = self.expr(LINT, sc, d - 1)
            v = self.fresh("x")
            c, _ = self.int_expr(sc, 0)
            return "len([%s for %s in %s if %s > %s])" % (v, v, lst, v, c), 10 ** 6
        p = self.opt_expr(NODE, sc, d - 1)
        return "chain_sum(%s)" % p, 64 * VAR_BOUND

    def float_expr(self, sc, d):
        """A float expression and a rough bound on its magnitude."""
        r = self.r
        if d <= 0 or self.chance(0.3):
            vs = sc.of_type(FLOAT_T)
            if vs and self.chance(0.6):
                return self.pick(vs).name, 1e7
            c = r.choice(["0.5", "1.25", "-2.0", "3.0", "0.1", "1e-3", "100.0", "0.0", "2.5e3"])
            return c, abs(float(c))
        k = r.randint(0, 6)
        if k <= 2:
            a, ba = self.float_expr(sc, d - 1)
            b, bb = self.float_expr(sc, d - 1)
            op = r.choice(["+", "-", "*", "/"])
            if op == "/":
                return "(%s / %s)" % (a, b), 1e300
            return "(%s %s %s)" % (a, op, b), (ba * bb if op == "*" else ba + bb)
        if k == 3:
            a, ba = self.int_expr(sc, d - 1)
            return "float(%s)" % a, float(ba)
        if k == 4:
            a, ba = self.float_expr(sc, d - 1)
            return "math.sqrt(abs(%s))" % a, ba
        if k == 5:
            a, ba = self.int_expr(sc, d - 1)
            b, bb = self.int_expr(sc, d - 1)
            return "(%s / (%s %% 7 + 1))" % (a, b), float(ba)
        c = self.bool_expr(sc, d - 1)
        a, ba = self.float_expr(sc, d - 1)
        b, bb = self.float_expr(sc, d - 1)
        return "(%s if %s else %s)" % (a, c, b), max(ba, bb)

    def str_expr(self, sc, d):
        r = self.r
        if d <= 0 or self.chance(0.25):
            vs = sc.of_type(STR_T)
            if vs and self.chance(0.6):
                return self.pick(vs).name
            return self.lit_str()
        k = r.randint(0, 16)
        if k <= 2:
            return "(%s + %s)" % (self.str_expr(sc, d - 1), self.str_expr(sc, d - 1))
        if k == 3:
            return "str(%s)" % self.int_expr(sc, d - 1)[0]
        if k == 4:
            return "str(%s)" % self.float_expr(sc, d - 1)[0]
        if k == 5:
            s = self.str_expr(sc, d - 1)
            m = r.choice(["upper()", "lower()", "strip()", "lstrip()", "rstrip()",
                          "replace(%s, %s)" % (self.lit_str(), self.lit_str())])
            return "%s.%s" % (s, m)
        if k == 6:
            s = self.str_expr(sc, d - 1)
            a, _ = self.int_expr(sc, 0)
            b, _ = self.int_expr(sc, 0)
            return r.choice(["%s[%s:%s]" % (s, a, b), "%s[%s:]" % (s, a), "%s[:%s]" % (s, b)])
        if k == 7:
            sep = r.choice(["", ",", " ", "-", "::"])
            return "%r.join(%s)" % (sep, self.expr(LSTR, sc, d - 1))
        if k == 8:
            # f-string fields hold names and number literals only: before Python 3.12 a
            # field may not contain the f-string's quote or a backslash.
            i = self.simple(INT_T, sc)
            f = self.simple(FLOAT_T, sc)
            s = self.simple(STR_T, sc)
            fmt = r.choice(["f'{%s}|{%s}|{%s}'", "f'{%s:5d}<{%s:.3f}>{%s:>8}'", "f'[{%s:x}] {%s:.1f} {%s!r}'",
                            "f'{%s:<6d}{%s:10.2f}{%s:^7}'"])
            return fmt % (i, f, s)
        if k == 9:
            i, _ = self.int_expr(sc, d - 1)
            s = self.str_expr(sc, d - 1)
            f, _ = self.float_expr(sc, d - 1)
            fmt = r.choice(["('%%d:%%s' %% (%s, %s))", "('<%%x|%%r>' %% (%s, %s))", "('%%i %%s %%%%' %% (%s, %s))"])
            out = fmt % (i, s)
            if self.chance(0.3):
                out = "('%%.2f/%%s' %% (%s, %s))" % (f, s)
            return out
        if k == 10:
            return "repr(%s)" % self.str_expr(sc, d - 1)
        if k == 11:
            c = self.bool_expr(sc, d - 1)
            return "(%s if %s else %s)" % (self.str_expr(sc, d - 1), c, self.str_expr(sc, d - 1))
        if k == 12 and not self.no_obj:
            o = self.obj_expr(OBJ_BASE, sc, d - 1)
            return r.choice(["%s.s", "%s.name()", "%s.kind"]) % o
        if k == 12:
            return self.lit_str()
        if k == 13:
            f = self.call_helper(STR_T, sc, d - 1)
            return f or self.lit_str()
        if k == 14:
            return "%s[1]" % self.expr(TUP, sc, d - 1)
        if k == 15:
            dct = self.expr(DIS, sc, d - 1)
            i, _ = self.int_expr(sc, 0)
            return "%s.get(%s, %s)" % (dct, i, self.lit_str())
        s = self.str_expr(sc, d - 1)
        n = r.randint(0, 3)
        return "(%s * %d)" % (s, n)

    def simple(self, ty, sc):
        """A variable of type `ty`, or a literal with no quotes in it."""
        vs = sc.of_type(ty)
        if vs and self.chance(0.8):
            return self.pick(vs).name
        if ty == INT_T:
            return str(self.r.randint(-300, 300))
        if ty == FLOAT_T:
            return self.pick(["0.5", "-1.25", "3.0", "1e-3", "12345.678"])
        return "str(%d)" % self.r.randint(-99, 99)

    def bool_expr(self, sc, d):
        r = self.r
        if d <= 0 or self.chance(0.2):
            vs = sc.of_type(BOOL_T)
            if vs and self.chance(0.5):
                return self.pick(vs).name
            a, _ = self.int_expr(sc, 0)
            b, _ = self.int_expr(sc, 0)
            return "(%s %s %s)" % (a, r.choice(["<", "<=", ">", ">=", "==", "!="]), b)
        k = r.randint(0, 12)
        if k <= 2:
            a, _ = self.int_expr(sc, d - 1)
            b, _ = self.int_expr(sc, d - 1)
            if self.chance(0.2):
                c, _ = self.int_expr(sc, d - 1)
                return "(%s < %s <= %s)" % (a, b, c)
            return "(%s %s %s)" % (a, r.choice(["<", "<=", ">", ">=", "==", "!="]), b)
        if k == 3:
            a = self.str_expr(sc, d - 1)
            b = self.str_expr(sc, d - 1)
            return "(%s %s %s)" % (a, r.choice(["<", "==", "!=", ">=", "in"]), b)
        if k == 4:
            a, _ = self.float_expr(sc, d - 1)
            b, _ = self.float_expr(sc, d - 1)
            return "(%s %s %s)" % (a, r.choice(["<", ">=", "=="]), b)
        if k == 5:
            op = r.choice(["and", "or"])
            return "(%s %s %s)" % (self.bool_expr(sc, d - 1), op, self.bool_expr(sc, d - 1))
        if k == 6:
            return "(not %s)" % self.bool_expr(sc, d - 1)
        if k == 7:
            a, _ = self.int_expr(sc, d - 1)
            return "(%s in %s)" % (a, self.expr(LINT, sc, d - 1))
        if k == 8:
            return "(%s in %s)" % (self.str_expr(sc, d - 1), self.expr(DSI, sc, d - 1))
        if k == 9:
            s = self.str_expr(sc, d - 1)
            return r.choice(["%s.startswith(%s)" % (s, self.lit_str()), "%s.endswith(%s)" % (s, self.lit_str()),
                             "%s.isdigit()" % s, "%s.isalpha()" % s, "%s.isspace()" % s, "%s.isalnum()" % s])
        if k == 10 and not self.no_obj:
            o = self.obj_expr(OBJ_BASE, sc, d - 1)
            return "isinstance(%s, %s)" % (o, r.choice(["Shape", "Mid", "Leaf", "(Leaf, Mid)"]))
        if k == 10:
            return "(%s != %s)" % (self.str_expr(sc, d - 1), self.lit_str())
        if k == 11:
            return "(%s == %s)" % (self.expr(LINT, sc, d - 1), self.expr(LINT, sc, d - 1))
        return "(%s %s None)" % (self.opt_expr(r.choice([NODE, OPTSTR]), sc, d - 1), r.choice(["is", "is not"]))

    def obj_expr(self, ty, sc, d):
        """An expression whose static type is `ty` (an obj: type) or a subclass of it."""
        r = self.r
        cands = [v.name for t in OBJ_TYPES if ty in OBJ_SUPER[t] for v in sc.of_type(t)]
        if cands and (d <= 0 or self.chance(0.6)):
            return self.pick(cands)
        if d > 0 and ty == OBJ_BASE and self.chance(0.3):
            lo = self.expr(LOBJ, sc, d - 1)
            i, _ = self.int_expr(sc, d - 1)
            return "%s[%s %% 3]" % (lo, i) if not lo.isidentifier() else \
                "(%s[%s %% len(%s)] if len(%s) > 0 else Shape(1, 'empty'))" % (lo, i, lo, lo)
        choices = [t for t in OBJ_TYPES if ty in OBJ_SUPER[t]]
        t = self.pick(choices)
        a, _ = self.int_expr(sc, max(d - 1, 0))
        s = self.str_expr(sc, max(d - 1, 0))
        a = self.mask(a)
        if t == OBJ_BASE:
            return "Shape(%s, %s)" % (a, s)
        f, bf = self.float_expr(sc, max(d - 1, 0))
        if bf > 1e9:
            f = "0.75"
        cls = "Mid" if t == OBJ_MID else "Leaf"
        if self.chance(0.3):
            return "%s(%s, %s)" % (cls, a, s)        # the default for f
        return "%s(%s, %s, %s)" % (cls, a, s, f)

    def opt_expr(self, ty, sc, d):
        vs = sc.of_type(ty)
        if vs and (d <= 0 or self.chance(0.6)):
            return self.pick(vs).name
        if ty == NODE:
            if self.chance(0.15):
                return "None"
            a, _ = self.int_expr(sc, max(d - 1, 0))
            return "make_chain(%s %% 9)" % a
        lst = self.expr(LSTR, sc, max(d - 1, 0))
        return "find_word(%s, %s)" % (lst, self.lit_str())

    def expr(self, ty, sc, d):
        r = self.r
        if ty == INT_T:
            return self.int_expr(sc, d)[0]
        if ty == FLOAT_T:
            return self.float_expr(sc, d)[0]
        if ty == STR_T:
            return self.str_expr(sc, d)
        if ty == BOOL_T:
            return self.bool_expr(sc, d)
        if ty in OBJ_TYPES:
            return self.obj_expr(ty, sc, d)
        if ty in (NODE, OPTSTR):
            return self.opt_expr(ty, sc, d)
        vs = sc.of_type(ty)
        if vs and (d <= 0 or self.chance(0.5)):
            return self.pick(vs).name
        d = max(d, 1)
        if ty == LINT:
            k = r.randint(0, 6)
            if k <= 1:
                return "[%s]" % ", ".join(self.mask(self.int_expr(sc, d - 1)[0]) for _ in range(r.randint(0, 4)))
            if k == 2:
                x = self.fresh("x")
                inner = Scope(sc)
                inner.vars.append(Var(x, INT_T, True))
                cond = " if %s" % self.bool_expr(inner, 1) if self.chance(0.4) else ""
                return "[%s for %s in range(%d)%s]" % (self.mask(self.int_expr(inner, d - 1)[0]), x, r.randint(0, 6), cond)
            if k == 3:
                return "sorted(%s%s)" % (self.expr(LINT, sc, d - 1), ", reverse=True" if self.chance(0.3) else "")
            if k == 4:
                a, _ = self.int_expr(sc, 0)
                return "%s[%s:]" % (self.expr(LINT, sc, d - 1), a)
            if k == 5:
                return "([%s] * %d)" % (self.mask(self.int_expr(sc, d - 1)[0]), r.randint(0, 4))
            x = self.fresh("x")
            return "[%s for %s in reversed(%s)]" % (x, x, self.expr(LINT, sc, d - 1))
        if ty == LSTR:
            k = r.randint(0, 4)
            if k <= 1:
                return "[%s]" % ", ".join(self.str_expr(sc, d - 1) for _ in range(r.randint(0, 4)))
            if k == 2:
                return "%s.split(%s)" % (self.str_expr(sc, d - 1), r.choice(["", "','", "' '"]))
            if k == 3:
                x = self.fresh("x")
                return "[str(%s) for %s in %s]" % (x, x, self.expr(LINT, sc, d - 1))
            return "sorted(%s)" % self.expr(LSTR, sc, d - 1)
        if ty == DSI:
            k = r.randint(0, 2)
            if k == 0:
                items = ["%s: %s" % (self.lit_str(), self.mask(self.int_expr(sc, d - 1)[0])) for _ in range(r.randint(0, 4))]
                return "{%s}" % ", ".join(items)
            if k == 1:
                x = self.fresh("x")
                return "{%s: len(%s) for %s in %s}" % (x, x, x, self.expr(LSTR, sc, d - 1))
            return "%s.copy()" % self.expr(DSI, sc, d - 1)
        if ty == DIS:
            if self.chance(0.5):
                items = ["%d: %s" % (r.randint(-3, 9), self.str_expr(sc, d - 1)) for _ in range(r.randint(0, 4))]
                return "{%s}" % ", ".join(items)
            x = self.fresh("x")
            return "{%s: str(%s) for %s in %s}" % (x, x, x, self.expr(LINT, sc, d - 1))
        if ty == TUP:
            if self.chance(0.3):
                f = self.call_helper(TUP, sc, d - 1)
                if f:
                    return f
            return "(%s, %s)" % (self.mask(self.int_expr(sc, d - 1)[0]), self.str_expr(sc, d - 1))
        if ty == LOBJ:
            return "[%s]" % ", ".join(self.obj_expr(OBJ_BASE, sc, d - 1) for _ in range(r.randint(1, 3)))
        raise ValueError(ty)

    def call_helper(self, ret, sc, d):
        fs = [f for f in self.funcs if f.ret == ret]
        if not fs:
            return None
        f = self.pick(fs)
        args = []
        n_req = len(f.params) - f.defaults
        n = self.r.randint(n_req, len(f.params))
        kw = self.chance(0.3)
        for i, (pname, pty) in enumerate(f.params[:n]):
            a = self.expr(pty, sc, d)
            if f.name == "rec" and i == 0:
                a = "(%s) %% 40" % a        # far below CPython's recursion limit
            elif pty == INT_T:
                a = self.mask(a)
            if kw and i >= n_req:
                args.append("%s=%s" % (pname, a))
            else:
                args.append(a)
        return "%s(%s)" % (f.name, ", ".join(args))

    # ---- statements ----------------------------------------------------------------

    def assign_value(self, ty, sc, d):
        """An expression fit to store in a variable of type `ty` (within the bounds)."""
        if ty == INT_T:
            code, b = self.int_expr(sc, d)
            return self.mask(code) if b > VAR_BOUND else code
        if ty == STR_T:
            return "(%s)[:%d]" % (self.str_expr(sc, d), STR_LEN)
        if ty in (LINT, LSTR):
            return "(%s)[:%d]" % (self.expr(ty, sc, d), LIST_LEN // 2)
        if ty in (DSI, DIS):
            # A copy, never an alias: a loop may iterate over the original.
            code = self.expr(ty, sc, d)
            return "%s.copy()" % code if code.isidentifier() else code
        if ty == FLOAT_T:
            code, b = self.float_expr(sc, d)
            return code if b <= 1e6 else "min(max(%s, -1e6), 1e6)" % code
        return self.expr(ty, sc, d)

    def block(self, sc, ind, n, ret=None):
        lines = []
        for _ in range(n):
            lines += self.stmt(sc, ind, ret)
        if not lines:
            lines = [ind + "pass"]
        return lines

    def stmt(self, sc, ind, ret):
        r = self.r
        deep = self.depth >= 2
        k = r.randint(0, 24 if not deep else 11)
        if k <= 2:
            ty = self.pick(VALUE_TYPES)
            while self.no_obj and (ty in OBJ_TYPES or ty == LOBJ):
                ty = self.pick(VALUE_TYPES)
            name = self.fresh()
            val = self.assign_value(ty, sc, 2)
            sc.vars.append(Var(name, ty))
            return [ind + "%s = %s" % (name, val)]
        if k == 3:
            vs = [v for v in sc.all() if not v.readonly]
            if vs:
                v = self.pick(vs)
                if v.ty == INT_T and self.chance(0.5):
                    e, _ = self.int_expr(sc, 2)
                    return [ind + "%s = (%s %s %s) & %d" % (v.name, v.name, r.choice(["+", "-", "*", "^"]), self.mask(e), MASK)]
                if v.ty in OBJ_TYPES:
                    return [ind + "%s = %s" % (v.name, self.obj_expr(v.ty, sc, 2))]
                return [ind + "%s = %s" % (v.name, self.assign_value(v.ty, sc, 2))]
        if k <= 5:
            return [ind + self.print_stmt(sc)]
        if k == 6:
            lst = sc.of_type(LINT, writable=True)
            if lst:
                l = self.pick(lst).name
                e = self.mask(self.int_expr(sc, 2)[0])
                i, _ = self.int_expr(sc, 1)
                op = r.choice([
                    "if len(%s) < %d:\n%s    %s.append(%s)" % (l, LIST_LEN, ind, l, e),
                    "%s.pop()" % l, "%s.pop(0)" % l, "%s.sort()" % l, "%s.reverse()" % l,
                    "if len(%s) < %d:\n%s    %s.insert(%s, %s)" % (l, LIST_LEN, ind, l, i, e),
                    "%s[%s] = %s" % (l, i, e), "del %s[%s]" % (l, i), "%s.remove(%s)" % (l, e),
                    "print(%s.index(%s))" % (l, e),
                    "if len(%s) < %d:\n%s    %s.extend(%s)" % (l, LIST_LEN, ind, l, self.expr(LINT, sc, 1)),
                    "if len(%s) < %d:\n%s    %s[%s:%s] = %s" % (l, LIST_LEN, ind, l, i, self.int_expr(sc, 0)[0], self.expr(LINT, sc, 1)),
                    "%s.sort(reverse=True)" % l, "print(%s.count(%s))" % (l, e),
                ])
                return [ind + op]
        if k == 7:
            ds = sc.of_type(DSI, writable=True)
            if ds:
                dn = self.pick(ds).name
                key = self.str_expr(sc, 1)
                e = self.mask(self.int_expr(sc, 2)[0])
                op = r.choice([
                    "if len(%s) < %d:\n%s    %s[%s] = %s" % (dn, DICT_LEN, ind, dn, key, e),
                    "del %s[%s]" % (dn, key), "print(%s.pop(%s, %s))" % (dn, key, e),
                    "print(%s.setdefault(%s, %s))" % (dn, self.lit_str(), e),
                    "%s.update(%s)" % (dn, self.expr(DSI, sc, 1)) if dn != "" else "pass",
                    "print(sorted(%s.keys()), sorted(%s.values()), list(%s.items()))" % (dn, dn, dn),
                    "%s.clear()" % dn,
                ])
                return [ind + op]
        if k == 8:
            os_ = [v.name for t in OBJ_TYPES for v in sc.of_type(t)]
            if os_:
                o = self.pick(os_)
                e = self.mask(self.int_expr(sc, 2)[0])
                return [ind + r.choice(["%s.bump(%s)" % (o, e), "%s.a = %s" % (o, e),
                                        "%s.s = (%s)[:%d]" % (o, self.str_expr(sc, 1), STR_LEN),
                                        "print(%s.describe(%s))" % (o, e)])]
        if k == 9:
            return self.raise_stmt(sc, ind)
        if k == 10 and self.chance(0.3):
            return [ind + "assert %s" % self.bool_expr(sc, 2)]
        if k == 11:
            tv = sc.of_type(TUP)
            if tv:
                a, b = self.fresh(), self.fresh()
                sc.vars += [Var(a, INT_T), Var(b, STR_T)]
                return [ind + "%s, %s = %s" % (a, b, self.pick(tv).name)]
            return [ind + self.print_stmt(sc)]
        if k == 12 and ret is not None and self.chance(0.3):
            return [ind + "if %s:" % self.bool_expr(sc, 2), ind + "    return %s" % self.ret_value(ret, sc)]
        if k <= 12 or deep:
            return [ind + self.print_stmt(sc)]
        self.depth += 1
        try:
            if k <= 14:
                return self.if_stmt(sc, ind, ret)
            if k <= 16:
                return self.while_stmt(sc, ind, ret)
            if k <= 20:
                return self.for_stmt(sc, ind, ret)
            if k <= 23:
                return self.try_stmt(sc, ind, ret)
            return self.none_stmt(sc, ind, ret)
        finally:
            self.depth -= 1

    def print_stmt(self, sc):
        r = self.r
        items = []
        for _ in range(r.randint(1, 3)):
            ty = self.pick(PRINTABLE)
            vs = sc.of_type(ty)
            if vs and self.chance(0.6):
                items.append(self.pick(vs).name)
            else:
                items.append(self.expr(ty, sc, 2))
        tail = ""
        if self.chance(0.15):
            tail = ", sep=%r" % r.choice(["", "|", ", "])
        elif self.chance(0.1):
            tail = ", end=%r" % r.choice(["", ";\n", " <\n"])
        return "print(%s%s)" % (", ".join(items), tail)

    def raise_stmt(self, sc, ind):
        r = self.r
        k = r.randint(0, 4)
        if k == 0:
            e = "CodeError(%s)" % self.mask(self.int_expr(sc, 1)[0])
        elif k == 1:
            e = "AppError(%s)" % self.str_expr(sc, 1)
        elif k == 2:
            e = "%s(%s)" % (r.choice(["ValueError", "KeyError", "IndexError", "OverflowError"]), self.str_expr(sc, 1))
        elif k == 3:
            e = r.choice(["AppError", "ValueError"])
        else:
            e = "CodeError(%s, %s)" % (self.mask(self.int_expr(sc, 1)[0]), self.lit_str())
        cond = self.bool_expr(sc, 2)
        if self.chance(0.6):
            cond = "%s and %s" % (cond, self.bool_expr(sc, 1))
        return [ind + "if %s:" % cond, ind + "    raise %s" % e]

    def ret_value(self, ret, sc):
        if ret in OBJ_TYPES:
            return self.obj_expr(ret, sc, 2)
        return self.assign_value(ret, sc, 2)

    def if_stmt(self, sc, ind, ret):
        lines = [ind + "if %s:" % self.bool_expr(sc, 2)]
        lines += self.block(Scope(sc), ind + "    ", self.r.randint(1, 3), ret)
        if self.chance(0.3):
            lines.append(ind + "elif %s:" % self.bool_expr(sc, 2))
            lines += self.block(Scope(sc), ind + "    ", self.r.randint(1, 2), ret)
        if self.chance(0.5):
            lines.append(ind + "else:")
            lines += self.block(Scope(sc), ind + "    ", self.r.randint(1, 2), ret)
        return lines

    def while_stmt(self, sc, ind, ret):
        if self.loop_depth >= 2:
            return [ind + self.print_stmt(sc)]
        i = self.fresh("i")
        trips = self.r.randint(0, 7)
        lines = [ind + "%s = 0" % i, ind + "while %s < %d:" % (i, trips), ind + "    %s += 1" % i]
        inner = Scope(sc)
        inner.vars.append(Var(i, INT_T, True))
        self.loop_depth += 1
        lines += self.block(inner, ind + "    ", self.r.randint(1, 3), ret)
        if self.chance(0.3):
            lines += [ind + "    if %s:" % self.bool_expr(inner, 1), ind + "        " + self.pick(["break", "continue"])]
        self.loop_depth -= 1
        if self.chance(0.2):
            lines += [ind + "else:", ind + "    " + self.print_stmt(sc)]
        sc.vars.append(Var(i, INT_T, True))
        return lines

    def for_stmt(self, sc, ind, ret):
        r = self.r
        if self.loop_depth >= 2:
            return [ind + self.print_stmt(sc)]
        inner = Scope(sc)
        k = r.randint(0, 6)
        x = self.fresh("x")
        if k <= 1:
            a, b, s = r.randint(-3, 3), r.randint(-3, 9), r.choice([1, 1, 2, -1, 3])
            head = "for %s in range(%d, %d, %d):" % (x, a, b, s) if s != 1 else "for %s in range(%d):" % (x, b)
            inner.vars.append(Var(x, INT_T, True))
        elif k == 2:
            lv = sc.of_type(LINT) or sc.of_type(LSTR)
            if not lv:
                return [ind + self.print_stmt(sc)]
            v = self.pick(lv)
            head = "for %s in %s:" % (x, v.name)
            inner.vars += [Var(x, INT_T if v.ty == LINT else STR_T, True), sc.frozen(v.name)]
        elif k == 3:
            s = self.str_expr(sc, 1)
            head = "for %s in %s:" % (x, s)
            inner.vars.append(Var(x, STR_T, True))
        elif k == 4:
            dv = sc.of_type(DSI)
            if not dv:
                return [ind + self.print_stmt(sc)]
            v = self.pick(dv)
            y = self.fresh("x")
            head = "for %s, %s in %s.items():" % (x, y, v.name)
            inner.vars += [Var(x, STR_T, True), Var(y, INT_T, True), sc.frozen(v.name)]
        elif k == 5:
            lv = sc.of_type(LSTR)
            if not lv:
                return [ind + self.print_stmt(sc)]
            v = self.pick(lv)
            y = self.fresh("x")
            head = "for %s, %s in enumerate(%s):" % (x, y, v.name)
            inner.vars += [Var(x, INT_T, True), Var(y, STR_T, True), sc.frozen(v.name)]
        else:
            la, lb = sc.of_type(LINT), sc.of_type(LSTR)
            if not la or not lb:
                return [ind + self.print_stmt(sc)]
            va, vb = self.pick(la), self.pick(lb)
            y = self.fresh("x")
            head = "for %s, %s in zip(%s, %s):" % (x, y, va.name, vb.name)
            inner.vars += [Var(x, INT_T, True), Var(y, STR_T, True), sc.frozen(va.name), sc.frozen(vb.name)]
        self.loop_depth += 1
        lines = [ind + head] + self.block(inner, ind + "    ", r.randint(1, 3), ret)
        if self.chance(0.25):
            lines += [ind + "    if %s:" % self.bool_expr(inner, 1), ind + "        " + self.pick(["break", "continue"])]
        self.loop_depth -= 1
        if self.chance(0.15):
            lines += [ind + "else:", ind + "    " + self.print_stmt(sc)]
        return lines

    def try_stmt(self, sc, ind, ret):
        r = self.r
        lines = [ind + "try:"]
        lines += self.block(Scope(sc), ind + "    ", r.randint(1, 3), ret)
        if self.chance(0.5):
            lines += self.raise_stmt(Scope(sc), ind + "    ")
        handlers = r.sample(["CodeError", "AppError", "ZeroDivisionError", "IndexError", "KeyError",
                             "ValueError", "LookupError", "(IndexError, KeyError)", "ArithmeticError",
                             "AssertionError", "Exception"], r.randint(0, 3))
        for h in handlers:
            e = self.fresh("e")
            lines.append(ind + "except %s as %s:" % (h, e))
            if h == "CodeError":
                lines.append(ind + "    print('code', %s.code, %s.tag, str(%s))" % (e, e, e))
            else:
                lines.append(ind + "    print('caught', describe(%s), str(%s))" % (e, e))
            if self.chance(0.3):
                lines += self.block(Scope(sc), ind + "    ", 1, ret)
            if self.chance(0.1):
                lines.append(ind + "    raise")
        if handlers and self.chance(0.3):
            lines.append(ind + "else:")
            lines += self.block(Scope(sc), ind + "    ", 1, ret)
        if not handlers or self.chance(0.4):
            lines.append(ind + "finally:")
            lines += [ind + "    print('finally', %s)" % self.int_expr(sc, 1)[0]]
        return lines

    def none_stmt(self, sc, ind, ret):
        r = self.r
        if self.chance(0.5):
            p = self.fresh("p")
            lines = [ind + "%s = %s" % (p, self.opt_expr(NODE, sc, 2))]
            acc = self.fresh("t")
            lines += [ind + "%s = 0" % acc,
                      ind + "while %s is not None:" % p,
                      ind + "    %s = (%s * 3 + %s.val) & %d" % (acc, acc, p, MASK),
                      ind + "    %s = %s.next" % (p, p),
                      ind + "print('chain', %s, %s is None)" % (acc, p)]
            sc.vars.append(Var(acc, INT_T))
            return lines
        w = self.fresh("w")
        lines = [ind + "%s = %s" % (w, self.opt_expr(OPTSTR, sc, 2)),
                 ind + "if %s is not None:" % w,
                 ind + "    print('found', %s.upper(), len(%s))" % (w, w),
                 ind + "else:",
                 ind + "    print('none')"]
        sc.vars.append(Var(w, OPTSTR))
        return lines

    # ---- the program ---------------------------------------------------------------

    def method_body(self, params, ret, attrs):
        sc = Scope()
        sc.vars = [Var(p, t, True) for p, t in params] + [Var(a, t, ro) for a, t, ro in attrs]
        self.loop_depth = 0
        self.depth = 1
        self.no_obj = True
        body = self.block(sc, "        ", self.r.randint(0, 2), ret) + ["        return %s" % self.ret_value(ret, sc)]
        self.no_obj = False
        self.depth = 0
        return body

    def classes(self):
        r = self.r
        out = []
        out += ["class Shape:", "    kind = 'shape'", "",
                "    def __init__(self, a, s):", "        self.a = a", "        self.s = s", "",
                "    def val(self, x):"]
        out += self.method_body([("x", INT_T)], INT_T, [("self.a", INT_T, False), ("self.s", STR_T, False)])
        out += ["", "    def name(self):", "        return self.kind + ':' + self.s", "",
                "    def bump(self, d):", "        self.a = (self.a + d) & %d" % MASK, "",
                "    def describe(self, x):",
                "        return '%s/%d/%d' % (self.name(), self.a, self.val(x))", "", ""]
        out += ["class Mid(Shape):", "    kind = 'mid'", "",
                "    def __init__(self, a, s, f=0.5):",
                "        %s" % r.choice(["Shape.__init__(self, a, s)", "super().__init__(a, s)"]),
                "        self.f = f", ""]
        if self.chance(0.7):
            out += ["    def val(self, x):"]
            out += self.method_body([("x", INT_T)], INT_T, [("self.a", INT_T, False), ("self.s", STR_T, False),
                                                            ("self.f", FLOAT_T, True)])
            out += [""]
        out += ["    def name(self):", "        return 'M' + %s" % r.choice(["Shape.name(self)", "super().name()"]),
                "", ""]
        out += ["class Leaf(Mid):", "    kind = %r" % r.choice(["leaf", "LEAF", "l"]), ""]
        out += ["    def val(self, x):",
                "        return (%s + int(self.f)) & %d" % (r.choice(["Mid.val(self, x) * 3", "super().val(x) + 1", "x * 2"]), MASK),
                "", ""]
        out += ["class AppError(Exception):", "    pass", "", "",
                "class CodeError(AppError):",
                "    def __init__(self, code, tag='t'):",
                "        AppError.__init__(self, 'code %d' % code)",
                "        self.code = code", "        self.tag = tag", "", "",
                "class Node:", "    def __init__(self, val, next):", "        self.val = val",
                "        self.next = next", "", ""]
        out += ["def make_chain(k):", "    head = None", "    i = 0", "    while i < k:",
                "        head = Node(i * 7 - 3, head)", "        i += 1", "    return head", "", "",
                "def chain_sum(p):", "    total = 0", "    while p is not None:",
                "        total += p.val", "        p = p.next", "    return total", "", "",
                "def find_word(words, prefix):", "    for w in words:",
                "        if w.startswith(prefix):", "            return w", "    return None", "", ""]
        out += ["def describe(e):"]
        for cls in ["CodeError", "AppError", "ZeroDivisionError", "KeyError", "IndexError",
                    "LookupError", "ValueError", "AssertionError", "OverflowError", "ArithmeticError"]:
            out += ["    if isinstance(e, %s):" % cls, "        return %r" % cls]
        out += ["    return 'Exception'", "", ""]
        return out

    def helper(self, idx):
        r = self.r
        name = "h%d" % idx
        ret = r.choice([INT_T, INT_T, STR_T, TUP, LINT, FLOAT_T, BOOL_T])
        params = [("a%d" % j, r.choice([INT_T, INT_T, STR_T, LINT, FLOAT_T, DSI])) for j in range(r.randint(1, 3))]
        defaults = {INT_T: lambda: str(r.randint(-9, 9)), STR_T: self.lit_str, FLOAT_T: lambda: "1.5"}
        # Only immutable defaults: a mutable default is shared between calls.
        ndef = 0
        while ndef < len(params) and params[len(params) - 1 - ndef][1] in defaults:
            ndef += 1
        ndef = r.randint(0, ndef)
        sig = []
        for j, (p, t) in enumerate(params):
            if j >= len(params) - ndef:
                sig.append("%s=%s" % (p, defaults[t]()))
            else:
                sig.append(p)
        sc = Scope()
        sc.vars = [Var(p, t, t in (LINT, DSI)) for p, t in params]
        self.loop_depth = 0
        self.depth = 0
        body = self.block(sc, "    ", r.randint(1, 4), ret)
        lines = ["def %s(%s):" % (name, ", ".join(sig))] + body
        lines += ["    return %s" % self.ret_value(ret, sc), "", ""]
        self.funcs.append(Func(name, params, ret, ndef))
        return lines

    def recursive(self):
        # A bounded recursion: the argument shrinks and is masked to a small depth.
        lines = ["def rec(n, acc=1):", "    if n <= 0:", "        return acc",
                 "    return rec(n - 1, (acc * %d + n) & %d)" % (self.r.choice([3, 7, 31]), MASK), "", ""]
        self.funcs.append(Func("rec", [("n", INT_T), ("acc", INT_T)], INT_T, 1))
        return lines

    def case(self, idx):
        sc = Scope()
        sc.vars = [Var("n", INT_T, True)]
        self.loop_depth = 0
        self.depth = 0
        ret = self.pick([INT_T, STR_T, LINT, BOOL_T, TUP])
        body = self.block(sc, "    ", self.r.randint(3, 8), ret)
        return ["def case%d(n):" % idx] + body + ["    return %s" % self.ret_value(ret, sc), "", ""]

    def program(self, n_cases=10):
        r = self.r
        lines = ["# run:", "# Generated by tests/fuzz/gen_rpy.py with seed %d." % self.seed, "",
                 "import math", "", ""]
        lines += self.classes()
        lines += self.recursive()
        for i in range(r.randint(2, 5)):
            lines += self.helper(i)
        for i in range(n_cases):
            lines += self.case(i)
        # Every attribute a handler may read is assigned somewhere (E0325 otherwise).
        lines += ["def entry_point(argv):", "    n = len(argv) + %d" % r.randint(0, 20),
                  "    print(describe(CodeError(n, 'start')))"]
        uncaught = self.chance(0.1)
        for i in range(n_cases):
            if uncaught and i == n_cases - 1:
                lines += ["    print('case%d', case%d(n))" % (i, i)]
                continue
            lines += ["    try:", "        print('case%d', case%d(n))" % (i, i),
                      "    except CodeError as e:", "        print('case%d CodeError', e.code, str(e))" % i,
                      "    except Exception as e:", "        print('case%d raised', describe(e), str(e))" % i]
        lines += ["    return n %% %d" % r.randint(1, 5), "", "",
                  'if __name__ == "__main__":', "    import sys", "    sys.exit(entry_point(sys.argv))", ""]
        return "\n".join(lines)


def generate(seed, n_cases=10):
    return Gen(seed).program(n_cases)


if __name__ == "__main__":
    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
