"""The compiler: the parser's AST to register bytecode (``Proto`` objects).

Instructions are four ints each (opcode, a, b, c) in ``Proto.code``. Locals live in
registers; a local that an inner function captures lives in a ``W_Cell`` kept in its
register (GETCELL/SETCELL), made fresh by NEWCELL each time its declaration runs (so
every loop iteration gets its own variable, as in lua5.4), and closures share the cells.
Temporaries are allocated stack-wise above the locals (``freereg``), as in lcode.c.
"""

from kiln.jit import elidable

from objects import W_Float, W_Int, W_Str
from parser import (EAnd, EBin, ECall, EFalse, EFloat, EFunction, EGlobal, EIndex, EInt,
                    ELocal, EMethCall, ENil, EOr, EParen, EStr, ETable, ETrue, EUn,
                    EUpval, EVararg, SAssign, SBreak, SCall, SDo, SGenFor, SGoto, SIf,
                    SLabel, SLocal, SLocalFunc, SNumFor, SRepeat, SReturn, SWhile)
from lexer import syntax_error

OP_MOVE = 0
OP_LOADK = 1
OP_LOADNIL = 2
OP_LOADTRUE = 3
OP_LOADFALSE = 4
OP_GETUPVAL = 5
OP_SETUPVAL = 6
OP_GETCELL = 7
OP_SETCELL = 8
OP_NEWCELL = 9
OP_GETGLOBAL = 10
OP_SETGLOBAL = 11
OP_GETTABLE = 12
OP_GETFIELD = 13
OP_SETTABLE = 14
OP_SETFIELD = 15
OP_NEWTABLE = 16
OP_SELF = 17
OP_ADD = 18
OP_SUB = 19
OP_MUL = 20
OP_DIV = 21
OP_MOD = 22
OP_POW = 23
OP_IDIV = 24
OP_BAND = 25
OP_BOR = 26
OP_BXOR = 27
OP_SHL = 28
OP_SHR = 29
OP_UNM = 30
OP_NOT = 31
OP_LEN = 32
OP_BNOT = 33
OP_CONCAT = 34
OP_JMP = 35
OP_EQJ = 36
OP_NEQJ = 37
OP_LTJ = 38
OP_NLTJ = 39
OP_LEJ = 40
OP_NLEJ = 41
OP_TESTJ = 42
OP_NTESTJ = 43
OP_CALL = 44
OP_RETURN = 45
OP_VARARG = 46
OP_SETLIST = 47
OP_CLOSURE = 48
OP_FORPREP = 49
OP_FORLOOP = 50
OP_TFORCALL = 51
OP_TFORLOOP = 52
OP_ADDK = 53
OP_SUBK = 54
OP_EQKJ = 55
OP_NEQKJ = 56
OP_GETINDEXI = 57
OP_MULK = 58  # R[a] = R[b] * K[c] (K[c] * R[b] with KLEFT): numeric literals
OP_DIVK = 59
OP_LTKJ = 60  # jump to c if R[a] < K[b] (the N forms: if not)
OP_NLTKJ = 61
OP_LEKJ = 62  # R[a] <= K[b]
OP_NLEKJ = 63
OP_GTKJ = 64  # K[b] < R[a]
OP_NGTKJ = 65
OP_GEKJ = 66  # K[b] <= R[a]
OP_NGEKJ = 67
OPNAMES = ['MOVE', 'LOADK', 'LOADNIL', 'LOADTRUE', 'LOADFALSE', 'GETUPVAL', 'SETUPVAL', 'GETCELL', 'SETCELL', 'NEWCELL', 'GETGLOBAL', 'SETGLOBAL', 'GETTABLE', 'GETFIELD', 'SETTABLE', 'SETFIELD', 'NEWTABLE', 'SELF', 'ADD', 'SUB', 'MUL', 'DIV', 'MOD', 'POW', 'IDIV', 'BAND', 'BOR', 'BXOR', 'SHL', 'SHR', 'UNM', 'NOT', 'LEN', 'BNOT', 'CONCAT', 'JMP', 'EQJ', 'NEQJ', 'LTJ', 'NLTJ', 'LEJ', 'NLEJ', 'TESTJ', 'NTESTJ', 'CALL', 'RETURN', 'VARARG', 'SETLIST', 'CLOSURE', 'FORPREP', 'FORLOOP', 'TFORCALL', 'TFORLOOP', 'ADDK', 'SUBK', 'EQKJ', 'NEQKJ', 'GETINDEXI', 'MULK', 'DIVK', 'LTKJ', 'NLTKJ', 'LEKJ', 'NLEKJ', 'GTKJ',
           'NGTKJ', 'GEKJ', 'NGEKJ']
# ADDK, MULK, DIVK: the constant is the left operand (`2.0 * x`) when c has this bit;
# the constant's index is c & KMASK (K forms are used for the first 2^18 constants)
KLEFT = 1 << 18
KMASK = KLEFT - 1

ARITHK_OPS = {"+": OP_ADDK, "-": OP_SUBK, "*": OP_MULK, "/": OP_DIVK}
ARITH_OPS = {"+": OP_ADD, "-": OP_SUB, "*": OP_MUL, "/": OP_DIV, "%": OP_MOD,
             "^": OP_POW, "//": OP_IDIV, "&": OP_BAND, "|": OP_BOR, "~": OP_BXOR,
             "<<": OP_SHL, ">>": OP_SHR}

LFIELDS_PER_FLUSH = 50


A_LIMIT = 1 << 16  # the operand ranges of a packed instruction (Proto.pack)
B_LIMIT = 1 << 20
C_LIMIT = 1 << 19  # c is the top field: it stays non-negative


class MethodCache(object):
    """A SELF instruction's method cache: the method found (through table `__index`
    chains only) for a receiver that has no field of that name and whose metatable's
    `__index` is the table w_class; valid while objects.method_epoch.n == epoch (every
    table of the chain from w_class on is watched: a change to one moves the epoch)."""

    def __init__(self):
        self.w_class = None
        self.w_method = None
        self.epoch = -1


class Proto(object):
    """A compiled function. ``code``, ``consts`` and ``protos`` never change after
    compilation (the JIT's green ``proto`` is constant in a trace)."""

    _immutable_fields_ = ["code[*]", "insns[*]", "consts[*]", "protos[*]", "numparams",
                          "is_vararg", "maxstack", "upval_instack[*]", "upval_index[*]"]

    def __init__(self, name, chunk, linedefined):
        self.name = name
        self.chunk = chunk
        self.linedefined = linedefined
        self.code = []
        self.insns = []  # code packed, one int per instruction (see pack)
        self.lines = []
        self.names_b = []
        self.names_c = []
        self.consts = []
        self.protos = []
        self.upval_instack = []
        self.upval_index = []
        self.upval_names = []
        self.numparams = 0
        self.is_vararg = False
        self.maxstack = 2
        self.icache = []  # per instruction: the hash slot last found (GETFIELD...)
        self.mcache = []  # per instruction: a MethodCache for SELF, else None
        self.frame_pool = []  # frames of finished calls, for reuse (interp.py)
        self.pool_n = 0  # how many of frame_pool are free

    def pack(self):
        """Fill insns from code: instruction pc // 4 as one int, op | a << 8 | b << 24 |
        c << 44 (the dispatch loop reads one list item per instruction instead of four).
        False if an operand does not fit."""
        code = self.code
        insns = []
        for pc in range(0, len(code), 4):
            op = code[pc]
            a = code[pc + 1]
            b = code[pc + 2]
            c = code[pc + 3]
            if not (0 <= op < 256 and 0 <= a < A_LIMIT and 0 <= b < B_LIMIT and
                    0 <= c < C_LIMIT):
                return False
            insns.append(op | (a << 8) | (b << 24) | (c << 44))
        self.insns = insns
        return True

    @elidable
    def get_const(self, i):
        return self.consts[i]


class LoopInfo(object):
    def __init__(self):
        self.breaks = []


class FuncState(object):
    def __init__(self, parent, scope, proto):
        self.parent = parent
        self.scope = scope
        self.proto = proto
        self.nactive = 0
        self.freereg = 0
        self.loops = []
        self.upvars = []
        self.kstr = {}
        self.kint = {}
        self.kflt = {}
        self.labels = {}
        self.gotos = []
        self.goto_labels = []
        self.goto_lines = []


def describe(e):
    """lua5.4's variable description of an expression, for error messages."""
    if isinstance(e, ELocal):
        return "local '" + e.var.name + "'"
    if isinstance(e, EUpval):
        return "upvalue '" + e.var.name + "'"
    if isinstance(e, EGlobal):
        return "global '" + e.name + "'"
    if isinstance(e, EIndex):
        k = e.key
        if isinstance(k, EStr):
            return "field '" + k.sval + "'"
    if isinstance(e, EMethCall):
        return "method '" + e.name + "'"
    if isinstance(e, EStr):
        return "constant '" + e.sval + "'"
    return ""


def is_multi(e):
    return isinstance(e, ECall) or isinstance(e, EMethCall) or isinstance(e, EVararg)


class Compiler(object):
    def __init__(self, chunk):
        self.chunk = chunk
        self.fs = None

    def getfs(self):
        fs = self.fs
        assert fs is not None
        return fs

    # ---- emitting

    def emit(self, op, a, b, c, line):
        fs = self.getfs()
        p = fs.proto
        pc = len(p.code)
        p.code.append(op)
        p.code.append(a)
        p.code.append(b)
        p.code.append(c)
        p.lines.append(line)
        p.names_b.append("")
        p.names_c.append("")
        p.icache.append(-1)
        if op == OP_SELF:
            p.mcache.append(MethodCache())
        else:
            p.mcache.append(None)
        return pc

    def set_names(self, pc, nb, nc):
        p = self.getfs().proto
        p.names_b[pc // 4] = nb
        p.names_c[pc // 4] = nc

    def here(self):
        return len(self.getfs().proto.code)

    def patch(self, pc, target):
        """Set the jump target of the jump instruction at pc (its last operand)."""
        self.getfs().proto.code[pc + 3] = target

    def patch_all(self, pcs, target):
        for pc in pcs:
            self.patch(pc, target)

    def jump(self, target, line):
        return self.emit(OP_JMP, 0, 0, target, line)

    def alloc(self, n):
        fs = self.getfs()
        r = fs.freereg
        fs.freereg += n
        if fs.freereg > fs.proto.maxstack:
            fs.proto.maxstack = fs.freereg
        return r

    def set_freereg(self, r):
        fs = self.getfs()
        fs.freereg = r
        if r > fs.proto.maxstack:
            fs.proto.maxstack = r

    # ---- constants

    def kstr(self, s):
        fs = self.getfs()
        i = fs.kstr.get(s, -1)
        if i < 0:
            i = len(fs.proto.consts)
            fs.proto.consts.append(W_Str(s))
            fs.kstr[s] = i
        return i

    def katom(self, s):
        """A string constant used as a field name (GETFIELD, SETFIELD, SELF, GETGLOBAL,
        SETGLOBAL): interned now, so the dispatch loop reads its atom (W_Str.atom)
        without the interning call's path."""
        i = self.kstr(s)
        w_k = self.getfs().proto.consts[i]
        assert isinstance(w_k, W_Str)
        w_k.get_atom()
        return i

    def kint(self, v):
        fs = self.getfs()
        i = fs.kint.get(v, -1)
        if i < 0:
            i = len(fs.proto.consts)
            fs.proto.consts.append(W_Int(v))
            fs.kint[v] = i
        return i

    def kflt(self, v):
        fs = self.getfs()
        i = -1
        if v == v and v != 0.0:
            i = fs.kflt.get(v, -1)
        if i < 0:
            i = len(fs.proto.consts)
            fs.proto.consts.append(W_Float(v))
            if v == v and v != 0.0:
                fs.kflt[v] = i
        return i

    def knum(self, e):
        """The constant index of a numeric literal for the K forms of arithmetic and
        comparisons, or -1 (not a literal, or too many constants)."""
        if isinstance(e, EInt):
            k = self.kint(e.ival)
        elif isinstance(e, EFloat):
            k = self.kflt(e.fval)
        else:
            return -1
        if k >= KLEFT:
            return -1
        return k

    # ---- functions

    def compile_function(self, body, parent):
        proto = Proto(body.name, self.chunk, body.line)
        fs = FuncState(parent, body.scope, proto)
        self.fs = fs
        proto.numparams = len(body.params)
        proto.is_vararg = body.is_vararg
        for v in body.params:
            r = self.alloc(1)
            v.reg = r
            fs.nactive = fs.freereg
        for v in body.params:
            if v.captured:
                self.emit(OP_NEWCELL, v.reg, v.reg, 0, body.line)
        self.block(body.block)
        self.emit(OP_RETURN, 0, 1, 0, body.lastline)
        for i in range(len(fs.gotos)):
            target = fs.labels.get(fs.goto_labels[i], -1)
            if target < 0:
                raise syntax_error(self.chunk, fs.goto_lines[i],
                                   "no visible label '" + fs.goto_labels[i] + "' for goto", "")
            self.patch(fs.gotos[i], target)
        if not proto.pack():
            raise syntax_error(self.chunk, body.line, "function or expression too complex", "")
        self.fs = parent
        return proto

    def upval_index(self, fs, var):
        for i in range(len(fs.upvars)):
            if fs.upvars[i] is var:
                return i
        parent = fs.parent
        assert parent is not None
        if var.func is parent.scope:
            fs.proto.upval_instack.append(True)
            fs.proto.upval_index.append(var.reg)
        else:
            idx = self.upval_index(parent, var)
            fs.proto.upval_instack.append(False)
            fs.proto.upval_index.append(idx)
        fs.proto.upval_names.append(var.name)
        fs.upvars.append(var)
        return len(fs.upvars) - 1

    # ---- blocks and statements

    def block(self, block):
        fs = self.getfs()
        mark = fs.nactive
        for st in block.stats:
            self.stat(st)
            fs.freereg = fs.nactive
        fs.nactive = mark
        fs.freereg = mark

    def declare_local(self, var, reg, line):
        """Make ``var`` live in ``reg`` (which holds its initial value)."""
        fs = self.getfs()
        var.reg = reg
        if var.captured:
            self.emit(OP_NEWCELL, reg, reg, 0, line)
        fs.nactive = reg + 1
        if fs.freereg < fs.nactive:
            self.set_freereg(fs.nactive)

    def stat(self, st):
        fs = self.getfs()
        if isinstance(st, SLocal):
            base = fs.freereg
            n = len(st.names)
            self.explist_to_regs(st.exprs, base, n, st.line)
            for i in range(n):
                self.declare_local(st.names[i], base + i, st.line)
        elif isinstance(st, SAssign):
            self.assign(st)
        elif isinstance(st, SCall):
            self.compile_call(st.call, 0)
        elif isinstance(st, SDo):
            self.block(st.block)
        elif isinstance(st, SWhile):
            start = self.here()
            loop = LoopInfo()
            fs.loops.append(loop)
            exits = self.cond_jump(st.cond, False)
            fs.freereg = fs.nactive
            self.block(st.block)
            self.jump(start, st.line)
            end = self.here()
            self.patch_all(exits, end)
            self.patch_all(loop.breaks, end)
            fs.loops.pop()
        elif isinstance(st, SRepeat):
            start = self.here()
            loop = LoopInfo()
            fs.loops.append(loop)
            mark = fs.nactive
            for s in st.block.stats:
                self.stat(s)
                fs.freereg = fs.nactive
            backs = self.cond_jump(st.cond, False)
            self.patch_all(backs, start)
            fs.nactive = mark
            fs.freereg = mark
            self.patch_all(loop.breaks, self.here())
            fs.loops.pop()
        elif isinstance(st, SIf):
            ends = []
            for i in range(len(st.conds)):
                nexts = self.cond_jump(st.conds[i], False)
                fs.freereg = fs.nactive
                self.block(st.blocks[i])
                if i < len(st.conds) - 1 or st.orelse is not None:
                    ends.append(self.jump(0, st.line))
                self.patch_all(nexts, self.here())
            orelse = st.orelse
            if orelse is not None:
                self.block(orelse)
            self.patch_all(ends, self.here())
        elif isinstance(st, SNumFor):
            self.numfor(st)
        elif isinstance(st, SGenFor):
            self.genfor(st)
        elif isinstance(st, SLocalFunc):
            r = self.alloc(1)
            v = st.var
            v.reg = r
            if v.captured:
                self.emit(OP_LOADNIL, r, 1, 0, st.line)
                self.emit(OP_NEWCELL, r, r, 0, st.line)
                fs.nactive = r + 1
                t = self.alloc(1)
                self.closure(st.func, t, st.line)
                self.emit(OP_SETCELL, r, t, 0, st.line)
            else:
                fs.nactive = r + 1
                self.closure(st.func, r, st.line)
        elif isinstance(st, SReturn):
            self.ret(st)
        elif isinstance(st, SBreak):
            if len(fs.loops) == 0:
                raise syntax_error(self.chunk, st.line, "break outside a loop at line %d" % st.line,
                                   "<eof>")
            fs.loops[len(fs.loops) - 1].breaks.append(self.jump(0, st.line))
        elif isinstance(st, SGoto):
            fs.gotos.append(self.jump(0, st.line))
            fs.goto_labels.append(st.label)
            fs.goto_lines.append(st.line)
        elif isinstance(st, SLabel):
            if st.label in fs.labels:
                raise syntax_error(self.chunk, st.line, "label '" + st.label + "' already defined", "")
            fs.labels[st.label] = self.here()
        else:
            raise syntax_error(self.chunk, st.line, "unsupported statement", "")

    def closure(self, body, target, line):
        fs = self.getfs()
        proto = self.compile_function(body, fs)
        self.fs = fs
        idx = len(fs.proto.protos)
        fs.proto.protos.append(proto)
        self.emit(OP_CLOSURE, target, idx, 0, line)

    def ret(self, st):
        fs = self.getfs()
        n = len(st.exprs)
        if n == 1 and not isinstance(st.exprs[0], EVararg):
            e = st.exprs[0]
            if isinstance(e, ECall) or isinstance(e, EMethCall):
                base = self.compile_call(e, -1)
                self.emit(OP_RETURN, base, 0, 0, st.line)
                return
            r = self.expr_to_anyreg(e)
            self.emit(OP_RETURN, r, 2, 0, st.line)
            return
        base = fs.freereg
        if n > 0 and is_multi(st.exprs[n - 1]):
            self.explist_to_regs(st.exprs, base, -1, st.line)
            self.emit(OP_RETURN, base, 0, 0, st.line)
        else:
            self.explist_to_regs(st.exprs, base, n, st.line)
            self.emit(OP_RETURN, base, n + 1, 0, st.line)

    def numfor(self, st):
        fs = self.getfs()
        base = self.alloc(3)
        self.expr_to_reg(st.start, base)
        self.expr_to_reg(st.stop, base + 1)
        step = st.step
        if step is not None:
            self.expr_to_reg(step, base + 2)
        else:
            self.emit(OP_LOADK, base + 2, self.kint(1), 0, st.line)
        self.set_freereg(base + 3)
        fs.nactive = base + 3
        prep = self.emit(OP_FORPREP, base, 0, 0, st.line)
        loop = LoopInfo()
        fs.loops.append(loop)
        body = self.here()
        r = self.alloc(1)
        self.declare_local(st.var, r, st.line)
        self.block(st.block)
        fs.nactive = base + 3
        fs.freereg = base + 3
        self.emit(OP_FORLOOP, base, 0, body, st.line)
        end = self.here()
        self.patch(prep, end)
        self.patch_all(loop.breaks, end)
        fs.loops.pop()

    def genfor(self, st):
        fs = self.getfs()
        base = fs.freereg
        self.explist_to_regs(st.exprs, base, 3, st.line)
        self.set_freereg(base + 3)
        fs.nactive = base + 3
        jmp = self.jump(0, st.line)
        loop = LoopInfo()
        fs.loops.append(loop)
        body = self.here()
        nvars = len(st.names)
        self.alloc(nvars)
        for i in range(nvars):
            self.declare_local(st.names[i], base + 3 + i, st.line)
        self.block(st.block)
        fs.nactive = base + 3
        fs.freereg = base + 3
        self.patch(jmp, self.here())
        self.emit(OP_TFORCALL, base, nvars, 0, st.line)
        self.set_freereg(base + 3 + nvars)
        self.emit(OP_TFORLOOP, base, 0, body, st.line)
        fs.freereg = base + 3
        end = self.here()
        self.patch_all(loop.breaks, end)
        fs.loops.pop()

    def assign(self, st):
        fs = self.getfs()
        if len(st.targets) == 1 and len(st.exprs) == 1:
            tg = st.targets[0]
            e = st.exprs[0]
            if isinstance(tg, ELocal) and not tg.var.captured:
                if isinstance(e, EAnd) or isinstance(e, EOr) or isinstance(e, ETable) \
                        or isinstance(e, EParen):
                    r = self.expr_to_anyreg(e)
                    self.emit(OP_MOVE, tg.var.reg, r, 0, st.line)
                else:
                    self.expr_to_reg(e, tg.var.reg)
                return
            self.store_prepared(tg, e, st.line)
            return
        # General case: evaluate the targets' table and key subexpressions, then all
        # the values, then assign.
        objregs = []
        keyregs = []
        for tg in st.targets:
            if isinstance(tg, EIndex):
                objregs.append(self.expr_to_anyreg(tg.obj))
                keyregs.append(self.expr_to_anyreg(tg.key))
            else:
                objregs.append(-1)
                keyregs.append(-1)
        n = len(st.targets)
        base = fs.freereg
        self.explist_to_regs(st.exprs, base, n, st.line)
        i = n - 1
        while i >= 0:
            self.store(st.targets[i], objregs[i], keyregs[i], base + i, st.line)
            i -= 1

    def store_prepared(self, tg, e, line):
        if isinstance(tg, EIndex):
            o = self.expr_to_anyreg(tg.obj)
            k = tg.key
            if isinstance(k, EStr):
                v = self.expr_to_anyreg(e)
                pc = self.emit(OP_SETFIELD, o, self.katom(k.sval), v, line)
                self.set_names(pc, describe(tg.obj), "")
                return
            kr = self.expr_to_anyreg(k)
            v = self.expr_to_anyreg(e)
            pc = self.emit(OP_SETTABLE, o, kr, v, line)
            self.set_names(pc, describe(tg.obj), "")
            return
        v = self.expr_to_anyreg(e)
        self.store(tg, -1, -1, v, line)

    def store(self, tg, objreg, keyreg, v, line):
        if isinstance(tg, ELocal):
            if tg.var.captured:
                self.emit(OP_SETCELL, tg.var.reg, v, 0, line)
            elif tg.var.reg != v:
                self.emit(OP_MOVE, tg.var.reg, v, 0, line)
        elif isinstance(tg, EUpval):
            self.emit(OP_SETUPVAL, v, self.upval_index(self.getfs(), tg.var), 0, line)
        elif isinstance(tg, EGlobal):
            self.emit(OP_SETGLOBAL, v, self.katom(tg.name), 0, line)
        elif isinstance(tg, EIndex):
            pc = self.emit(OP_SETTABLE, objreg, keyreg, v, line)
            self.set_names(pc, describe(tg.obj), "")
        else:
            raise syntax_error(self.chunk, line, "syntax error", "")

    # ---- expression lists and calls

    def explist_to_regs(self, exprs, base, want, line):
        """Evaluate ``exprs`` into base, base+1, ...: exactly ``want`` values (nil
        padded, extra values dropped), or all values if want is -1 (then the last
        multi-valued expression sets the top)."""
        n = len(exprs)
        for i in range(n):
            e = exprs[i]
            last = i == n - 1
            if last and is_multi(e) and (want < 0 or want > i):
                nres = -1
                if want >= 0:
                    nres = want - i
                self.set_freereg(base + i)
                self.multi_to(e, base + i, nres)
                if want >= 0:
                    self.set_freereg(base + want)
                return
            if want >= 0 and i >= want:
                saved = self.getfs().freereg
                self.expr_to_anyreg(e)
                self.set_freereg(saved)
                continue
            self.set_freereg(base + i)
            r = self.alloc(1)
            self.expr_to_reg(e, r)
        if want > n:
            self.set_freereg(base + n)
            self.emit(OP_LOADNIL, base + n, want - n, 0, line)
            self.set_freereg(base + want)
        elif want >= 0:
            self.set_freereg(base + want)

    def multi_to(self, e, r, nres):
        """Evaluate a call or '...' with ``nres`` results (-1: all) into r, r+1, ...
        (r is freereg)."""
        if isinstance(e, EVararg):
            self.alloc(1)
            self.emit(OP_VARARG, r, nres + 1, 0, e.line)
        else:
            self.compile_call(e, nres)

    def compile_call(self, e, nres):
        """Compile a call with its function at freereg; return that register."""
        fs = self.getfs()
        base = self.alloc(1)
        if isinstance(e, EMethCall):
            o = self.expr_to_anyreg(e.obj)
            pc = self.emit(OP_SELF, base, o, self.katom(e.name), e.line)
            self.set_names(pc, describe(e.obj), "")
            self.set_freereg(base + 2)
            args = e.args
            fdesc = describe(e)
            nfixed = 2
        elif isinstance(e, ECall):
            self.expr_to_reg(e.func, base)
            self.set_freereg(base + 1)
            args = e.args
            fdesc = describe(e.func)
            nfixed = 1
        else:
            raise syntax_error(self.chunk, e.line, "call expected", "")
        n = len(args)
        b = 0
        if n > 0 and is_multi(args[n - 1]):
            self.explist_to_regs(args, base + nfixed, -1, e.line)
        else:
            self.explist_to_regs(args, base + nfixed, n, e.line)
            b = n + nfixed
        pc = self.emit(OP_CALL, base, b, nres + 1, e.line)
        self.set_names(pc, fdesc, "")
        if nres < 0:
            fs.freereg = base + 1
        else:
            fs.freereg = base + nres
            if fs.freereg < base + 1:
                fs.freereg = base + 1
        return base

    # ---- expressions

    def expr_to_anyreg(self, e):
        if isinstance(e, ELocal) and not e.var.captured:
            return e.var.reg
        r = self.alloc(1)
        self.expr_to_reg(e, r)
        return r

    def expr_to_reg(self, e, r):
        """Evaluate ``e`` into register r; temporaries above freereg are released."""
        fs = self.getfs()
        saved = fs.freereg
        self._expr_to_reg(e, r)
        fs.freereg = saved

    def _expr_to_reg(self, e, r):
        if isinstance(e, ENil):
            self.emit(OP_LOADNIL, r, 1, 0, e.line)
        elif isinstance(e, ETrue):
            self.emit(OP_LOADTRUE, r, 0, 0, e.line)
        elif isinstance(e, EFalse):
            self.emit(OP_LOADFALSE, r, 0, 0, e.line)
        elif isinstance(e, EInt):
            self.emit(OP_LOADK, r, self.kint(e.ival), 0, e.line)
        elif isinstance(e, EFloat):
            self.emit(OP_LOADK, r, self.kflt(e.fval), 0, e.line)
        elif isinstance(e, EStr):
            self.emit(OP_LOADK, r, self.kstr(e.sval), 0, e.line)
        elif isinstance(e, EVararg):
            self.emit(OP_VARARG, r, 2, 0, e.line)
        elif isinstance(e, ELocal):
            if e.var.captured:
                self.emit(OP_GETCELL, r, e.var.reg, 0, e.line)
            elif e.var.reg != r:
                self.emit(OP_MOVE, r, e.var.reg, 0, e.line)
        elif isinstance(e, EUpval):
            self.emit(OP_GETUPVAL, r, self.upval_index(self.getfs(), e.var), 0, e.line)
        elif isinstance(e, EGlobal):
            self.emit(OP_GETGLOBAL, r, self.katom(e.name), 0, e.line)
        elif isinstance(e, EIndex):
            o = self.expr_to_anyreg(e.obj)
            k = e.key
            if isinstance(k, EStr):
                pc = self.emit(OP_GETFIELD, r, o, self.katom(k.sval), e.line)
            else:
                kr = self.expr_to_anyreg(k)
                pc = self.emit(OP_GETTABLE, r, o, kr, e.line)
            self.set_names(pc, describe(e.obj), "")
        elif isinstance(e, ECall) or isinstance(e, EMethCall):
            base = self.compile_call(e, 1)
            if base != r:
                self.emit(OP_MOVE, r, base, 0, e.line)
        elif isinstance(e, EFunction):
            self.closure(e.body, r, e.line)
        elif isinstance(e, EParen):
            self._expr_to_reg(e.inner, r)
        elif isinstance(e, EAnd):
            self.expr_to_reg(e.left, r)
            j = self.emit(OP_NTESTJ, r, 0, 0, e.line)
            self.expr_to_reg(e.right, r)
            self.patch(j, self.here())
        elif isinstance(e, EOr):
            self.expr_to_reg(e.left, r)
            j = self.emit(OP_TESTJ, r, 0, 0, e.line)
            self.expr_to_reg(e.right, r)
            self.patch(j, self.here())
        elif isinstance(e, EUn):
            b = self.expr_to_anyreg(e.operand)
            op = e.op
            if op == "-":
                opc = OP_UNM
            elif op == "not":
                opc = OP_NOT
            elif op == "#":
                opc = OP_LEN
            else:
                opc = OP_BNOT
            pc = self.emit(opc, r, b, 0, e.line)
            self.set_names(pc, describe(e.operand), "")
        elif isinstance(e, EBin):
            self.binop(e, r)
        elif isinstance(e, ETable):
            self.table(e, r)
        else:
            raise syntax_error(self.chunk, e.line, "unsupported expression", "")

    def binop(self, e, r):
        op = e.op
        if op == "..":
            parts = []
            flatten_concat(e, parts)
            base = self.alloc(len(parts))
            for i in range(len(parts)):
                self.expr_to_reg(parts[i], base + i)
            pc = self.emit(OP_CONCAT, r, base, len(parts), e.line)
            return
        if op in ARITH_OPS:
            opk = ARITHK_OPS.get(op, -1)
            if opk >= 0 and op != "-":
                # a numeric literal on the left: the K form with KLEFT (a - is not
                # commutative and has no such form)
                k = self.knum(e.left)
                if k >= 0:
                    b = self.expr_to_anyreg(e.right)
                    pc = self.emit(opk, r, b, k | KLEFT, e.line)
                    self.set_names(pc, "", describe(e.right))
                    return
            b = self.expr_to_anyreg(e.left)
            right = e.right
            opk = ARITHK_OPS.get(op, -1)
            if opk >= 0:
                k = self.knum(right)
                if k >= 0:
                    pc = self.emit(opk, r, b, k, e.line)
                    self.set_names(pc, describe(e.left), "")
                    return
            c = self.expr_to_anyreg(right)
            pc = self.emit(ARITH_OPS[op], r, b, c, e.line)
            self.set_names(pc, describe(e.left), describe(e.right))
            return
        # comparisons: through jumps
        jumps = self.cond_jump(e, False)
        self.emit(OP_LOADTRUE, r, 0, 0, e.line)
        j = self.jump(0, e.line)
        self.patch_all(jumps, self.here())
        self.emit(OP_LOADFALSE, r, 0, 0, e.line)
        self.patch(j, self.here())

    def table(self, e, r):
        fs = self.getfs()
        narr = 0
        nhash = 0
        for f in e.fields:
            if f.key is None:
                narr += 1
            else:
                nhash += 1
        self.emit(OP_NEWTABLE, r, narr, nhash, e.line)
        pending = 0
        stored = 0
        saved = fs.freereg
        nf = len(e.fields)
        for i in range(nf):
            f = e.fields[i]
            key = f.key
            if key is None:
                if i == nf - 1 and is_multi(f.value):
                    self.set_freereg(saved + pending)
                    self.multi_to(f.value, saved + pending, -1)
                    self.emit(OP_SETLIST, r, 0, stored + 1, e.line)
                    pending = 0
                    stored = -1
                    break
                self.set_freereg(saved + pending)
                reg = self.alloc(1)
                self.expr_to_reg(f.value, reg)
                pending += 1
                if pending == LFIELDS_PER_FLUSH:
                    self.emit(OP_SETLIST, r, pending, stored + 1, e.line)
                    stored += pending
                    pending = 0
            else:
                self.set_freereg(saved + pending)
                if isinstance(key, EStr):
                    v = self.expr_to_anyreg(f.value)
                    self.emit(OP_SETFIELD, r, self.katom(key.sval), v, e.line)
                else:
                    kr = self.expr_to_anyreg(key)
                    v = self.expr_to_anyreg(f.value)
                    self.emit(OP_SETTABLE, r, kr, v, e.line)
        if pending > 0:
            self.emit(OP_SETLIST, r, pending, stored + 1, e.line)
        fs.freereg = saved

    def cond_jump(self, e, jump_when):
        """Emit code that jumps when the truth of ``e`` is ``jump_when`` and falls
        through otherwise; return the jumps to patch."""
        fs = self.getfs()
        if isinstance(e, EParen):
            return self.cond_jump(e.inner, jump_when)
        if isinstance(e, EAnd):
            if not jump_when:
                j1 = self.cond_jump(e.left, False)
                j2 = self.cond_jump(e.right, False)
                return j1 + j2
            f = self.cond_jump(e.left, False)
            t = self.cond_jump(e.right, True)
            self.patch_all(f, self.here())
            return t
        if isinstance(e, EOr):
            if jump_when:
                j1 = self.cond_jump(e.left, True)
                j2 = self.cond_jump(e.right, True)
                return j1 + j2
            t = self.cond_jump(e.left, True)
            f = self.cond_jump(e.right, False)
            self.patch_all(t, self.here())
            return f
        if isinstance(e, EUn) and e.op == "not":
            return self.cond_jump(e.operand, not jump_when)
        if isinstance(e, ETrue):
            if jump_when:
                return [self.jump(0, e.line)]
            return []
        if isinstance(e, EFalse) or isinstance(e, ENil):
            if not jump_when:
                return [self.jump(0, e.line)]
            return []
        saved = fs.freereg
        if isinstance(e, EBin):
            op = e.op
            if op == "==" or op == "~=" or op == "<" or op == "<=" or op == ">" or op == ">=":
                left = e.left
                right = e.right
                if op == ">" or op == ">=":
                    left = e.right
                    right = e.left
                is_eq = op == "==" or op == "~="
                if not is_eq:
                    # a numeric literal on either side: the K forms
                    k = self.knum(right)
                    kleft = False
                    if k < 0:
                        k = self.knum(left)
                        kleft = k >= 0
                    if k >= 0:
                        strict = op == "<" or op == ">"
                        if kleft:
                            b = self.expr_to_anyreg(right)
                            opc = OP_GTKJ if strict else OP_GEKJ
                        else:
                            b = self.expr_to_anyreg(left)
                            opc = OP_LTKJ if strict else OP_LEKJ
                        if not jump_when:
                            opc += 1  # the N form
                        pc = self.emit(opc, b, k, 0, e.line)
                        fs.freereg = saved
                        return [pc]
                b = self.expr_to_anyreg(left)
                if is_eq and (isinstance(right, EStr) or isinstance(right, EInt)):
                    if isinstance(right, EStr):
                        k = self.kstr(right.sval)
                    else:
                        assert isinstance(right, EInt)
                        k = self.kint(right.ival)
                    truth = (op == "==") == jump_when
                    opc = OP_EQKJ
                    if not truth:
                        opc = OP_NEQKJ
                    pc = self.emit(opc, b, k, 0, e.line)
                    fs.freereg = saved
                    return [pc]
                c = self.expr_to_anyreg(right)
                if is_eq:
                    truth = (op == "==") == jump_when
                    opc = OP_EQJ
                    if not truth:
                        opc = OP_NEQJ
                elif op == "<" or op == ">":
                    opc = OP_LTJ
                    if not jump_when:
                        opc = OP_NLTJ
                else:
                    opc = OP_LEJ
                    if not jump_when:
                        opc = OP_NLEJ
                pc = self.emit(opc, b, c, 0, e.line)
                self.set_names(pc, describe(left), describe(right))
                fs.freereg = saved
                return [pc]
        r = self.expr_to_anyreg(e)
        opc = OP_TESTJ
        if not jump_when:
            opc = OP_NTESTJ
        pc = self.emit(opc, r, 0, 0, e.line)
        fs.freereg = saved
        return [pc]


def flatten_concat(e, parts):
    if isinstance(e, EBin) and e.op == "..":
        flatten_concat(e.left, parts)
        flatten_concat(e.right, parts)
    else:
        parts.append(e)


def compile_chunk(body, chunk):
    c = Compiler(chunk)
    return c.compile_function(body, None)

