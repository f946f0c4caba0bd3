"""The Lua 5.4 parser: tokens to an AST (the Expr/Stat classes below), with names
resolved to locals, upvalues (marking the captured locals) and globals as it goes."""

from kiln.rarith import intmask

from lexer import (T_EOF, T_FLOAT, T_INT, T_NAME, T_OP, T_STRING, syntax_error,
                   tokenize)


# ---------------------------------------------------------------- scopes


class VarInfo(object):
    """A local variable declaration. ``captured`` is set when an inner function refers
    to it; the compiler then keeps it in a cell. ``reg`` is its register."""

    def __init__(self, name, func):
        self.name = name
        self.func = func
        self.captured = False
        self.reg = -1
        self.attrib = ""


class FuncScope(object):
    def __init__(self, parent):
        self.parent = parent
        self.actives = []
        self.has_vararg = False


# ---------------------------------------------------------------- AST


class Node(object):
    # Every subclass sets ``line``.
    pass


class Expr(Node):
    pass


class ENil(Expr):
    def __init__(self, line):
        self.line = line


class ETrue(Expr):
    def __init__(self, line):
        self.line = line


class EFalse(Expr):
    def __init__(self, line):
        self.line = line


class EInt(Expr):
    def __init__(self, value, line):
        self.ival = value
        self.line = line


class EFloat(Expr):
    def __init__(self, value, line):
        self.fval = value
        self.line = line


class EStr(Expr):
    def __init__(self, value, line):
        self.sval = value
        self.line = line


class EVararg(Expr):
    def __init__(self, line):
        self.line = line


class ELocal(Expr):
    def __init__(self, var, line):
        self.var = var
        self.line = line


class EUpval(Expr):
    def __init__(self, var, line):
        self.var = var
        self.line = line


class EGlobal(Expr):
    def __init__(self, name, line):
        self.name = name
        self.line = line


class EIndex(Expr):
    def __init__(self, obj, key, line):
        self.obj = obj
        self.key = key
        self.line = line


class ECall(Expr):
    def __init__(self, func, args, line):
        self.func = func
        self.args = args
        self.line = line


class EMethCall(Expr):
    def __init__(self, obj, name, args, line):
        self.obj = obj
        self.name = name
        self.args = args
        self.line = line


class EFunction(Expr):
    def __init__(self, body, line):
        self.body = body
        self.line = line


class EBin(Expr):
    def __init__(self, op, left, right, line):
        self.op = op
        self.left = left
        self.right = right
        self.line = line


class EUn(Expr):
    def __init__(self, op, operand, line):
        self.op = op
        self.operand = operand
        self.line = line


class EAnd(Expr):
    def __init__(self, left, right, line):
        self.left = left
        self.right = right
        self.line = line


class EOr(Expr):
    def __init__(self, left, right, line):
        self.left = left
        self.right = right
        self.line = line


class EParen(Expr):
    def __init__(self, inner, line):
        self.inner = inner
        self.line = line


class TableField(object):
    def __init__(self, key, value):
        self.key = key  # None for a positional item
        self.value = value


class ETable(Expr):
    def __init__(self, fields, line):
        self.fields = fields
        self.line = line


class Stat(Node):
    pass


class Block(object):
    def __init__(self, stats):
        self.stats = stats


class SLocal(Stat):
    def __init__(self, names, exprs, line):
        self.names = names
        self.exprs = exprs
        self.line = line


class SAssign(Stat):
    def __init__(self, targets, exprs, line):
        self.targets = targets
        self.exprs = exprs
        self.line = line


class SCall(Stat):
    def __init__(self, call, line):
        self.call = call
        self.line = line


class SDo(Stat):
    def __init__(self, block, line):
        self.block = block
        self.line = line


class SWhile(Stat):
    def __init__(self, cond, block, line):
        self.cond = cond
        self.block = block
        self.line = line


class SRepeat(Stat):
    def __init__(self, block, cond, line):
        self.block = block
        self.cond = cond
        self.line = line


class SIf(Stat):
    def __init__(self, conds, blocks, orelse, line):
        self.conds = conds
        self.blocks = blocks
        self.orelse = orelse
        self.line = line


class SNumFor(Stat):
    def __init__(self, var, start, stop, step, block, line):
        self.var = var
        self.start = start
        self.stop = stop
        self.step = step
        self.block = block
        self.line = line


class SGenFor(Stat):
    def __init__(self, names, exprs, block, line):
        self.names = names
        self.exprs = exprs
        self.block = block
        self.line = line


class SLocalFunc(Stat):
    def __init__(self, var, func, line):
        self.var = var
        self.func = func
        self.line = line


class SReturn(Stat):
    def __init__(self, exprs, line):
        self.exprs = exprs
        self.line = line


class SBreak(Stat):
    def __init__(self, line):
        self.line = line


class SGoto(Stat):
    def __init__(self, label, line):
        self.label = label
        self.line = line


class SLabel(Stat):
    def __init__(self, label, line):
        self.label = label
        self.line = line


class FuncBody(object):
    def __init__(self, params, is_vararg, block, line, lastline, name, scope):
        self.params = params
        self.is_vararg = is_vararg
        self.block = block
        self.line = line
        self.lastline = lastline
        self.name = name
        self.scope = scope


# Binary operator priorities (left, right), as in lparser.c.
LEFT_PRIO = {"+": 10, "-": 10, "*": 11, "%": 11, "^": 14, "/": 11, "//": 11,
             "&": 6, "|": 4, "~": 5, "<<": 7, ">>": 7, "..": 9,
             "==": 3, "<": 3, "<=": 3, "~=": 3, ">": 3, ">=": 3, "and": 2, "or": 1}
RIGHT_PRIO = {"+": 10, "-": 10, "*": 11, "%": 11, "^": 13, "/": 11, "//": 11,
              "&": 6, "|": 4, "~": 5, "<<": 7, ">>": 7, "..": 8,
              "==": 3, "<": 3, "<=": 3, "~=": 3, ">": 3, ">=": 3, "and": 2, "or": 1}
UNARY_PRIO = 12


class Parser(object):
    def __init__(self, tokens, chunk):
        self.tokens = tokens
        self.i = 0
        self.chunk = chunk
        self.fs = FuncScope(None)

    # ---- token helpers

    def tok(self):
        return self.tokens[self.i]

    def line(self):
        return self.tokens[self.i].line

    def advance(self):
        t = self.tokens[self.i]
        if t.kind != T_EOF:
            self.i += 1
        return t

    def check_op(self, op):
        t = self.tokens[self.i]
        return t.kind == T_OP and t.sval == op

    def accept(self, op):
        if self.check_op(op):
            self.i += 1
            return True
        return False

    def near(self):
        t = self.tokens[self.i]
        if t.kind == T_EOF:
            return "<eof>"
        if t.kind == T_STRING:
            return t.sval
        return t.sval

    def error(self, msg):
        return syntax_error(self.chunk, self.line(), msg, "'" + self.near() + "'")

    def expect(self, op):
        if not self.accept(op):
            raise self.error("'" + op + "' expected")

    def expect_match(self, what, who, line):
        if not self.accept(what):
            if line == self.line():
                raise self.error("'" + what + "' expected")
            raise self.error("'%s' expected (to close '%s' at line %d)" % (what, who, line))

    def expect_name(self):
        t = self.tokens[self.i]
        if t.kind != T_NAME:
            raise self.error("<name> expected")
        self.i += 1
        return t.sval

    # ---- scopes

    def declare(self, name):
        v = VarInfo(name, self.fs)
        return v

    def activate(self, v):
        self.fs.actives.append(v)

    def resolve(self, name, line):
        fs = self.fs
        acts = fs.actives
        i = len(acts) - 1
        while i >= 0:
            v = acts[i]
            if v.name == name:
                return ELocal(v, line)
            i -= 1
        outer = fs.parent
        while outer is not None:
            acts = outer.actives
            i = len(acts) - 1
            while i >= 0:
                v = acts[i]
                if v.name == name:
                    v.captured = True
                    return EUpval(v, line)
                i -= 1
            outer = outer.parent
        return EGlobal(name, line)

    # ---- blocks and statements

    def parse_chunk(self):
        self.fs.has_vararg = True
        block = self.block()
        if self.tok().kind != T_EOF:
            raise self.error("'<eof>' expected")
        return FuncBody([], True, block, 0, self.line(), "main chunk", self.fs)

    def block_follow(self, with_until):
        t = self.tok()
        if t.kind == T_EOF:
            return True
        if t.kind != T_OP:
            return False
        s = t.sval
        if s == "else" or s == "elseif" or s == "end":
            return True
        if s == "until":
            return with_until
        return False

    def block(self):
        """A block in its own scope."""
        mark = len(self.fs.actives)
        b = self.block_noscope()
        self.close_scope(mark)
        return b

    def close_scope(self, mark):
        acts = self.fs.actives
        while len(acts) > mark:
            acts.pop()

    def block_noscope(self):
        stats = []
        while not self.block_follow(True):
            if self.check_op("return"):
                stats.append(self.retstat())
                break
            st = self.statement()
            if st is not None:
                stats.append(st)
        return Block(stats)

    def retstat(self):
        line = self.line()
        self.advance()
        exprs = []
        if not self.block_follow(True) and not self.check_op(";"):
            exprs = self.exprlist()
        self.accept(";")
        return SReturn(exprs, line)

    def statement(self):
        t = self.tok()
        line = t.line
        if t.kind == T_OP:
            s = t.sval
            if s == ";":
                self.advance()
                return None
            if s == "if":
                return self.ifstat(line)
            if s == "while":
                self.advance()
                cond = self.expr()
                self.expect("do")
                body = self.block()
                self.expect_match("end", "while", line)
                return SWhile(cond, body, line)
            if s == "do":
                self.advance()
                body = self.block()
                self.expect_match("end", "do", line)
                return SDo(body, line)
            if s == "for":
                return self.forstat(line)
            if s == "repeat":
                self.advance()
                mark = len(self.fs.actives)
                body = self.block_noscope()
                self.expect_match("until", "repeat", line)
                cond = self.expr()  # sees the body's locals
                self.close_scope(mark)
                return SRepeat(body, cond, line)
            if s == "function":
                return self.funcstat(line)
            if s == "local":
                self.advance()
                if self.accept("function"):
                    name = self.expect_name()
                    v = self.declare(name)
                    self.activate(v)  # visible in its own body (recursion)
                    body = self.funcbody(False, line, name)
                    return SLocalFunc(v, body, line)
                return self.localstat(line)
            if s == "::":
                self.advance()
                name = self.expect_name()
                self.expect("::")
                return SLabel(name, line)
            if s == "return":
                raise self.error("'<eof>' expected")
            if s == "break":
                self.advance()
                return SBreak(line)
            if s == "goto":
                self.advance()
                name = self.expect_name()
                return SGoto(name, line)
        return self.exprstat(line)

    def ifstat(self, line):
        conds = []
        blocks = []
        self.advance()
        conds.append(self.expr())
        self.expect("then")
        blocks.append(self.block())
        orelse = None
        while True:
            if self.check_op("elseif"):
                self.advance()
                conds.append(self.expr())
                self.expect("then")
                blocks.append(self.block())
            elif self.check_op("else"):
                self.advance()
                orelse = self.block()
                self.expect_match("end", "if", line)
                break
            else:
                self.expect_match("end", "if", line)
                break
        return SIf(conds, blocks, orelse, line)

    def forstat(self, line):
        self.advance()
        name1 = self.expect_name()
        if self.check_op("="):
            self.advance()
            start = self.expr()
            self.expect(",")
            stop = self.expr()
            step = None
            if self.accept(","):
                step = self.expr()
            self.expect("do")
            mark = len(self.fs.actives)
            v = self.declare(name1)
            self.activate(v)
            body = self.block()
            self.close_scope(mark)
            self.expect_match("end", "for", line)
            return SNumFor(v, start, stop, step, body, line)
        if self.check_op(",") or self.check_op("in"):
            names = [name1]
            while self.accept(","):
                names.append(self.expect_name())
            self.expect("in")
            exprs = self.exprlist()
            self.expect("do")
            mark = len(self.fs.actives)
            vars = []
            for nm in names:
                v = self.declare(nm)
                vars.append(v)
                self.activate(v)
            body = self.block()
            self.close_scope(mark)
            self.expect_match("end", "for", line)
            return SGenFor(vars, exprs, body, line)
        raise self.error("'=' or 'in' expected")

    def funcstat(self, line):
        self.advance()
        nline = self.line()
        name = self.expect_name()
        target = self.resolve(name, nline)
        fullname = name
        is_method = False
        while self.check_op(".") or self.check_op(":"):
            sep = self.advance().sval
            kline = self.line()
            key = self.expect_name()
            target = EIndex(target, EStr(key, kline), kline)
            fullname = fullname + sep + key
            if sep == ":":
                is_method = True
                break
        body = self.funcbody(is_method, line, fullname)
        return SAssign([target], [EFunction(body, line)], line)

    def localstat(self, line):
        names = []
        while True:
            name = self.expect_name()
            v = self.declare(name)
            if self.accept("<"):
                attr = self.expect_name()
                if attr == "close":
                    raise syntax_error(self.chunk, self.line(),
                                       "to-be-closed variables are not supported", "")
                if attr != "const":
                    raise syntax_error(self.chunk, self.line(),
                                       "unknown attribute '" + attr + "'", "")
                v.attrib = attr
                self.expect(">")
            names.append(v)
            if not self.accept(","):
                break
        exprs = []
        if self.accept("="):
            exprs = self.exprlist()
        for v in names:
            self.activate(v)
        return SLocal(names, exprs, line)

    def exprstat(self, line):
        e = self.suffixedexp()
        if self.check_op("=") or self.check_op(","):
            targets = [e]
            while self.accept(","):
                targets.append(self.suffixedexp())
            self.expect("=")
            exprs = self.exprlist()
            for tg in targets:
                if isinstance(tg, ELocal):
                    if tg.var.attrib != "":
                        raise syntax_error(self.chunk, line, "attempt to assign to const variable '"
                                           + tg.var.name + "'", "")
                elif not (isinstance(tg, EUpval) or isinstance(tg, EGlobal)
                          or isinstance(tg, EIndex)):
                    raise self.error("syntax error")
            return SAssign(targets, exprs, line)
        if not (isinstance(e, ECall) or isinstance(e, EMethCall)):
            raise self.error("syntax error")
        return SCall(e, line)

    # ---- functions

    def funcbody(self, is_method, line, name):
        fs = FuncScope(self.fs)
        self.fs = fs
        params = []
        if is_method:
            v = self.declare("self")
            params.append(v)
            self.activate(v)
        self.expect("(")
        is_vararg = False
        if not self.check_op(")"):
            while True:
                if self.accept("..."):
                    is_vararg = True
                    break
                pname = self.expect_name()
                v = self.declare(pname)
                params.append(v)
                self.activate(v)
                if not self.accept(","):
                    break
        fs.has_vararg = is_vararg
        self.expect(")")
        block = self.block()
        lastline = self.line()
        self.expect_match("end", "function", line)
        parent = fs.parent
        assert parent is not None
        self.fs = parent
        return FuncBody(params, is_vararg, block, line, lastline, name, fs)

    # ---- expressions

    def exprlist(self):
        exprs = [self.expr()]
        while self.accept(","):
            exprs.append(self.expr())
        return exprs

    def expr(self):
        return self.subexpr(0)

    def subexpr(self, limit):
        t = self.tok()
        if t.kind == T_OP and (t.sval == "not" or t.sval == "-" or t.sval == "#"
                               or t.sval == "~"):
            self.advance()
            operand = self.subexpr(UNARY_PRIO)
            e = fold_unary(t.sval, operand, t.line)
        else:
            e = self.simpleexp()
        while True:
            t = self.tok()
            if t.kind != T_OP:
                break
            op = t.sval
            lp = LEFT_PRIO.get(op, -1)
            if lp <= limit:
                break
            self.advance()
            right = self.subexpr(RIGHT_PRIO[op])
            if op == "and":
                e = EAnd(e, right, t.line)
            elif op == "or":
                e = EOr(e, right, t.line)
            else:
                e = EBin(op, e, right, t.line)
        return e

    def simpleexp(self):
        t = self.tok()
        line = t.line
        if t.kind == T_INT:
            self.advance()
            return EInt(t.ival, line)
        if t.kind == T_FLOAT:
            self.advance()
            return EFloat(t.fval, line)
        if t.kind == T_STRING:
            self.advance()
            return EStr(t.sval, line)
        if t.kind == T_OP:
            s = t.sval
            if s == "nil":
                self.advance()
                return ENil(line)
            if s == "true":
                self.advance()
                return ETrue(line)
            if s == "false":
                self.advance()
                return EFalse(line)
            if s == "...":
                if not self.fs.has_vararg:
                    raise self.error("cannot use '...' outside a vararg function")
                self.advance()
                return EVararg(line)
            if s == "{":
                return self.constructor()
            if s == "function":
                self.advance()
                body = self.funcbody(False, line, "anonymous")
                return EFunction(body, line)
        return self.suffixedexp()

    def primaryexp(self):
        t = self.tok()
        if t.kind == T_NAME:
            self.advance()
            return self.resolve(t.sval, t.line)
        if t.kind == T_OP and t.sval == "(":
            self.advance()
            e = self.expr()
            self.expect_match(")", "(", t.line)
            return EParen(e, t.line)
        raise self.error("unexpected symbol")

    def suffixedexp(self):
        e = self.primaryexp()
        while True:
            t = self.tok()
            if t.kind == T_OP:
                s = t.sval
                if s == ".":
                    self.advance()
                    kline = self.line()
                    name = self.expect_name()
                    e = EIndex(e, EStr(name, kline), t.line)
                    continue
                if s == "[":
                    self.advance()
                    key = self.expr()
                    self.expect("]")
                    e = EIndex(e, key, t.line)
                    continue
                if s == ":":
                    self.advance()
                    name = self.expect_name()
                    line = self.line()
                    args = self.callargs()
                    e = EMethCall(e, name, args, line)
                    continue
                if s == "(" or s == "{":
                    line = self.line()
                    args = self.callargs()
                    e = ECall(e, args, line)
                    continue
            elif t.kind == T_STRING:
                line = self.line()
                args = self.callargs()
                e = ECall(e, args, line)
                continue
            return e

    def callargs(self):
        t = self.tok()
        if t.kind == T_STRING:
            self.advance()
            return [EStr(t.sval, t.line)]
        if t.kind == T_OP and t.sval == "{":
            res = [self.constructor()]
            return res
        if t.kind == T_OP and t.sval == "(":
            self.advance()
            if self.accept(")"):
                return []
            args = self.exprlist()
            self.expect_match(")", "(", t.line)
            return args
        raise self.error("function arguments expected")

    def constructor(self):
        line = self.line()
        self.expect("{")
        fields = []
        while not self.check_op("}"):
            t = self.tok()
            if t.kind == T_NAME and self.tokens[self.i + 1].kind == T_OP \
                    and self.tokens[self.i + 1].sval == "=":
                self.advance()
                self.advance()
                fields.append(TableField(EStr(t.sval, t.line), self.expr()))
            elif t.kind == T_OP and t.sval == "[":
                self.advance()
                key = self.expr()
                self.expect("]")
                self.expect("=")
                fields.append(TableField(key, self.expr()))
            else:
                fields.append(TableField(None, self.expr()))
            if not (self.accept(",") or self.accept(";")):
                break
        self.expect_match("}", "{", line)
        return ETable(fields, line)


def fold_unary(op, e, line):
    if op == "-":
        if isinstance(e, EInt):
            return EInt(intmask(-e.ival), e.line)
        if isinstance(e, EFloat):
            return EFloat(-e.fval, e.line)
    return EUn(op, e, line)


def parse(source, chunk):
    tokens = tokenize(source, chunk)
    return Parser(tokens, chunk).parse_chunk()
