"""The VM: closures, call frames, and the dispatch loop over the register bytecode,
with the JIT hints (the driver's greens are the pc and the function prototype)."""

from kiln.jit import JitDriver, promote, unroll_safe
from kiln.objectmodel import always_inline
from kiln.rarith import intmask, r_uint

from compiler import (KLEFT, KMASK, OP_DIVK, OP_GEKJ, OP_GTKJ, OP_LEKJ, OP_LTKJ, OP_MULK,
                      OP_NGEKJ, OP_NGTKJ, OP_NLEKJ, OP_NLTKJ, OP_ADD, OP_ADDK, OP_BNOT, OP_CALL, OP_CLOSURE, OP_CONCAT, OP_DIV,
                      OP_EQJ, OP_EQKJ, OP_FORLOOP, OP_FORPREP, OP_GETCELL, OP_GETFIELD,
                      OP_GETGLOBAL, OP_GETTABLE, OP_GETUPVAL, OP_JMP, OP_LEJ, OP_LEN,
                      OP_LOADFALSE, OP_LOADK, OP_LOADNIL, OP_LOADTRUE, OP_LTJ, OP_MOD,
                      OP_MOVE, OP_MUL, OP_NEQJ, OP_NEQKJ, OP_NEWCELL, OP_NEWTABLE, OP_NLEJ,
                      OP_NLTJ, OP_NOT, OP_NTESTJ, OP_POW, OP_RETURN, OP_SELF, OP_SETCELL,
                      OP_SETFIELD, OP_SETGLOBAL, OP_SETLIST, OP_SETTABLE, OP_SETUPVAL,
                      OP_SHR, OP_SUB, OP_SUBK, OP_TESTJ, OP_TFORCALL, OP_TFORLOOP, OP_UNM,
                      OP_VARARG, OPNAMES)
from objects import (LuaError, method_epoch, W_Cell, W_Float, W_Function, W_Int, W_Nil, W_Object, W_Str,
                     W_Table,
                     new_uid, newbool, w_false, w_nil, w_true)
from operations import (RtError, W_Builtin, arith, bnot, call_function, concat2,
                        concat_str, index, index_str, length, lua_eq, lua_floor, lua_le,
                        lua_lt, MAX_DEPTH, raw_equal, setindex, state, tofloat, tonumber,
                        unm, where)


class W_Closure(W_Function):
    def __init__(self, proto, upvals):
        self.proto = proto
        self.upvals = upvals
        self.uid = new_uid()

    def call(self, args):
        return execute(self, args)


NO_VALUES = []


class W_Count(W_Object):
    """The iteration count of a running integer `for` loop, in the loop's hidden
    register a + 1 (FORPREP makes one per loop entry, FORLOOP decrements it in place:
    no allocation per iteration for it). Lua code never sees it."""

    def __init__(self, count):
        self.count = count

    def typename(self):
        return "count"


class Frame(object):
    def __init__(self, closure, regs):
        self.closure = closure
        self.proto = closure.proto
        self.regs = regs
        self.top = 0
        self.varargs = NO_VALUES  # never mutated: shared
        self.pc = 0
        self.from_lua = state.lua_caller
        self.back = None  # the calling Lua frame (state.top_frame is the innermost)

    @always_inline
    def reset(self, closure):
        """A pooled frame (of this prototype) for a new call of closure."""
        self.closure = closure
        self.top = 0
        self.varargs = NO_VALUES
        self.pc = 0
        self.from_lua = state.lua_caller

    def ensure(self, n):
        while len(self.regs) < n:
            self.regs.append(w_nil)


def get_printable_location(pc, proto):
    return "%s:%d %s" % (proto.name, pc // 4, OPNAMES[proto.code[pc]])


jitdriver = JitDriver(greens=["pc", "proto"], reds=["frame"],
                      get_printable_location=get_printable_location, name="lua")


def error_with_position(frame, pc, e):
    p = frame.proto
    idx = pc // 4 - 1
    line = 0
    if 0 <= idx < len(p.lines):
        line = p.lines[idx]
    msg = e.msg
    name = ""
    if e.which == 1 or e.which == -1:
        name = p.names_b[idx]
    elif e.which == 2 or e.which == -2:
        name = p.names_c[idx]
    if name != "":
        msg = msg + " (" + name + ")"
    if msg.startswith("bad argument #") and p.names_b[idx].startswith("method "):
        msg = method_arg_message(msg)
    return LuaError(W_Str("%s:%d: %s" % (p.chunk, line, msg)))


def method_arg_message(msg):
    """A builtin called as a method: lua5.4 does not count self among the arguments."""
    k = len("bad argument #")
    j = k
    n = 0
    while j < len(msg) and "0" <= msg[j] <= "9":
        n = n * 10 + ord(msg[j]) - ord("0")
        j += 1
    if n == 1:
        q = msg.find("'", j)
        q2 = msg.find("'", q + 1)
        if q >= 0 and q2 > q:
            return "calling '" + msg[q + 1:q2] + "' on bad self"
    return msg[:k] + str(n - 1) + msg[j:]


def execute(closure, args):
    """Call a Lua closure with a list of arguments; return the list of results."""
    results = execute_regs(closure, args, 0, len(args))
    if results is None:
        return returned_list()
    return results


def returned_list():
    """The results of a call whose RETURN left them in the state (at most one)."""
    if state.ret_n == 1:
        return [state.ret1]
    return []


def execute_regs(closure, src, start, nargs):
    """Call a Lua closure with the arguments src[start:start + nargs] (a caller's
    registers), without making a list of them. Returns the list of results, or None
    when the call returned at most one value: then state.ret_n is how many and
    state.ret1 the value (see collect_results).

    One function for the whole call (register list, frame, Lua stack, dispatch), as
    each function level costs a shadow-stack frame and a stack check."""
    proto = closure.proto
    # The frame and its register list: one of a finished call's, or new ones. Compiled
    # code writes every register before reading it, except the parameters, set here,
    # so a reused list needs no clearing. The free frames are frame_pool[:pool_n] (the
    # pool never shrinks: no list operation but an index). Nothing refers to a frame
    # once its call has returned (closures hold cells, not frames; the Lua stack,
    # state.top_frame, holds running calls only).
    n = proto.pool_n
    if n > 0:
        n -= 1
        proto.pool_n = n
        frame = proto.frame_pool[n]
        assert isinstance(frame, Frame)
        frame.reset(closure)
    else:
        frame = Frame(closure, [w_nil] * (proto.maxstack + 1))
    regs = frame.regs
    np = proto.numparams
    for i in range(np):
        if i < nargs:
            regs[i] = src[start + i]
        else:
            regs[i] = w_nil
    if proto.is_vararg and nargs > np:
        frame.varargs = src[start + np:start + nargs]
    depth = state.depth
    if depth >= MAX_DEPTH:
        raise LuaError(W_Str(where(1) + "stack overflow"))
    # the stack of Lua frames is a linked list (no list operations per call); an error
    # leaves it as it is, and pcall restores it (lib.b_pcall)
    frame.back = state.top_frame
    state.top_frame = frame
    state.depth = depth + 1
    try:
        results = dispatch(frame, proto)
    except RtError as e:
        raise error_with_position(frame, frame.pc, e)
    except RecursionError:
        raise LuaError(W_Str(where(1) + "stack overflow"))
    state.top_frame = frame.back
    state.depth = depth
    # give the frame back, with its registers (ensure may have grown them)
    pool = proto.frame_pool
    n = proto.pool_n
    if n < len(pool):
        # usually the slot it was taken from: no store (a call, with its write
        # barrier) then
        if pool[n] is not frame:
            pool[n] = frame
    else:
        pool.append(frame)
    proto.pool_n = n + 1
    return results


def dispatch(frame, proto):
    pc = 0
    while True:
        # nothing but the greens and reds may be live across the merge point (--jit,
        # E0951): the closure is read from the frame, which sets it once
        jitdriver.jit_merge_point(pc=pc, proto=proto, frame=frame)
        regs = frame.regs
        ipc = pc >> 2  # this instruction's index (its inline cache slot)
        insn = proto.insns[ipc]
        op = insn & 0xff
        a = (insn >> 8) & 0xffff
        b = (insn >> 24) & 0xfffff
        c = (insn >> 44) & 0xfffff  # masked: known non-negative, as pc = c keeps pc
        pc += 4
        frame.pc = pc
        if op == OP_MOVE:
            regs[a] = regs[b]
        elif op == OP_LOADK:
            regs[a] = proto.get_const(b)
        elif op == OP_GETFIELD:
            w_o = regs[b]
            w_k = proto.get_const(c)
            if isinstance(w_o, W_Table):
                assert isinstance(w_k, W_Str)
                # the field names of GETFIELD, SETFIELD, SELF, GETGLOBAL and SETGLOBAL
                # are interned by the compiler (Compiler.katom): w_k.atom is set
                w_v = w_o.getatom_ic(w_k.atom, proto.icache, ipc)
                if isinstance(w_v, W_Nil) and w_o.metatable is not None:
                    w_v = index_str(w_o, w_k)
                regs[a] = w_v
            else:
                regs[a] = index(w_o, w_k)
        elif op == OP_GETTABLE:
            w_o = regs[b]
            w_k = regs[c]
            if isinstance(w_o, W_Table) and isinstance(w_k, W_Int):
                w_v = w_o.getint(w_k.value)
                if isinstance(w_v, W_Nil) and w_o.metatable is not None:
                    w_v = index(w_o, w_k)
                regs[a] = w_v
            else:
                regs[a] = index(w_o, w_k)
        elif op == OP_GETUPVAL:
            regs[a] = frame.closure.upvals[b].w_value
        elif op == OP_GETCELL:
            w_cell = regs[b]
            assert isinstance(w_cell, W_Cell)
            regs[a] = w_cell.w_value
        elif op == OP_ADD:
            w_x = regs[b]
            w_y = regs[c]
            if isinstance(w_x, W_Int) and isinstance(w_y, W_Int):
                regs[a] = W_Int(intmask(w_x.value + w_y.value))
            elif isinstance(w_x, W_Float) and isinstance(w_y, W_Float):
                regs[a] = W_Float(w_x.value + w_y.value)
            elif is_number(w_x) and is_number(w_y):  # an int and a float
                regs[a] = W_Float(float_value(w_x) + float_value(w_y))
            else:
                regs[a] = arith(OP_ADD, w_x, w_y)
        elif op == OP_ADDK or op == OP_SUBK or op == OP_MULK:
            # a numeric literal operand (on the left with KLEFT: + and * only, where
            # the order matters only to the metamethods)
            w_x = regs[b]
            w_y = proto.get_const(c & KMASK)
            if isinstance(w_x, W_Int) and isinstance(w_y, W_Int):
                if op == OP_ADDK:
                    regs[a] = W_Int(intmask(w_x.value + w_y.value))
                elif op == OP_SUBK:
                    regs[a] = W_Int(intmask(w_x.value - w_y.value))
                else:
                    regs[a] = W_Int(intmask(w_x.value * w_y.value))
            elif is_number(w_x):
                # a float and a number (the constant is one)
                x = float_value(w_x)
                y = float_value(w_y)
                if op == OP_ADDK:
                    regs[a] = W_Float(x + y)
                elif op == OP_SUBK:
                    regs[a] = W_Float(x - y)
                else:
                    regs[a] = W_Float(x * y)
            else:
                regs[a] = arithk(op, w_x, w_y, c)
        elif op == OP_DIVK:
            w_x = regs[b]
            w_y = proto.get_const(c & KMASK)
            if is_number(w_x):
                x = float_value(w_x)
                y = float_value(w_y)
                if c & KLEFT:
                    if x != 0.0:
                        regs[a] = W_Float(y / x)
                    else:
                        regs[a] = arith(OP_DIV, w_y, w_x)
                elif y != 0.0:
                    regs[a] = W_Float(x / y)
                else:
                    regs[a] = arith(OP_DIV, w_x, w_y)
            else:
                regs[a] = arithk(op, w_x, w_y, c)
        elif op == OP_SUB:
            w_x = regs[b]
            w_y = regs[c]
            if isinstance(w_x, W_Int) and isinstance(w_y, W_Int):
                regs[a] = W_Int(intmask(w_x.value - w_y.value))
            elif isinstance(w_x, W_Float) and isinstance(w_y, W_Float):
                regs[a] = W_Float(w_x.value - w_y.value)
            elif is_number(w_x) and is_number(w_y):  # an int and a float
                regs[a] = W_Float(float_value(w_x) - float_value(w_y))
            else:
                regs[a] = arith(OP_SUB, w_x, w_y)
        elif op == OP_MUL:
            w_x = regs[b]
            w_y = regs[c]
            if isinstance(w_x, W_Int) and isinstance(w_y, W_Int):
                regs[a] = W_Int(intmask(w_x.value * w_y.value))
            elif isinstance(w_x, W_Float) and isinstance(w_y, W_Float):
                regs[a] = W_Float(w_x.value * w_y.value)
            elif is_number(w_x) and is_number(w_y):  # an int and a float
                regs[a] = W_Float(float_value(w_x) * float_value(w_y))
            else:
                regs[a] = arith(OP_MUL, w_x, w_y)
        elif op == OP_DIV:
            w_x = regs[b]
            w_y = regs[c]
            if is_number(w_x) and is_number(w_y) and float_value(w_y) != 0.0:
                # / converts both operands to floats
                regs[a] = W_Float(float_value(w_x) / float_value(w_y))
            else:
                regs[a] = arith(OP_DIV, w_x, w_y)
        elif op == OP_EQJ or op == OP_NEQJ:
            w_x = regs[a]
            w_y = regs[b]
            if isinstance(w_x, W_Int) and isinstance(w_y, W_Int):
                res = w_x.value == w_y.value
            else:
                res = lua_eq(w_x, w_y)
            if res == (op == OP_EQJ):
                pc = c
        elif op == OP_EQKJ or op == OP_NEQKJ:
            if raw_equal(regs[a], proto.get_const(b)) == (op == OP_EQKJ):
                pc = c
        elif op == OP_LTJ or op == OP_NLTJ:
            w_x = regs[a]
            w_y = regs[b]
            if isinstance(w_x, W_Int) and isinstance(w_y, W_Int):
                res = w_x.value < w_y.value
            elif isinstance(w_x, W_Float) and isinstance(w_y, W_Float):
                res = w_x.value < w_y.value
            else:
                res = lua_lt(w_x, w_y)
            if res == (op == OP_LTJ):
                if c < pc:
                    jitdriver.can_enter_jit(pc=c, proto=proto, frame=frame)
                pc = c
        elif op == OP_LEJ or op == OP_NLEJ:
            w_x = regs[a]
            w_y = regs[b]
            if isinstance(w_x, W_Int) and isinstance(w_y, W_Int):
                res = w_x.value <= w_y.value
            elif isinstance(w_x, W_Float) and isinstance(w_y, W_Float):
                res = w_x.value <= w_y.value
            else:
                res = lua_le(w_x, w_y)
            if res == (op == OP_LEJ):
                if c < pc:
                    jitdriver.can_enter_jit(pc=c, proto=proto, frame=frame)
                pc = c
        elif op == OP_LTKJ or op == OP_NLTKJ or op == OP_GTKJ or op == OP_NGTKJ:
            # R[a] < K[b] (LT), K[b] < R[a] (GT): a numeric literal operand
            w_x = regs[a]
            w_k = proto.get_const(b)
            gt = op == OP_GTKJ or op == OP_NGTKJ
            if isinstance(w_x, W_Int) and isinstance(w_k, W_Int):
                if gt:
                    res = w_k.value < w_x.value
                else:
                    res = w_x.value < w_k.value
            elif isinstance(w_x, W_Float) and isinstance(w_k, W_Float):
                if gt:
                    res = w_k.value < w_x.value
                else:
                    res = w_x.value < w_k.value
            elif gt:
                res = lua_lt(w_k, w_x)
            else:
                res = lua_lt(w_x, w_k)
            if res == (op == OP_LTKJ or op == OP_GTKJ):
                if c < pc:
                    jitdriver.can_enter_jit(pc=c, proto=proto, frame=frame)
                pc = c
        elif op == OP_LEKJ or op == OP_NLEKJ or op == OP_GEKJ or op == OP_NGEKJ:
            # R[a] <= K[b] (LE), K[b] <= R[a] (GE)
            w_x = regs[a]
            w_k = proto.get_const(b)
            ge = op == OP_GEKJ or op == OP_NGEKJ
            if isinstance(w_x, W_Int) and isinstance(w_k, W_Int):
                if ge:
                    res = w_k.value <= w_x.value
                else:
                    res = w_x.value <= w_k.value
            elif isinstance(w_x, W_Float) and isinstance(w_k, W_Float):
                if ge:
                    res = w_k.value <= w_x.value
                else:
                    res = w_x.value <= w_k.value
            elif ge:
                res = lua_le(w_k, w_x)
            else:
                res = lua_le(w_x, w_k)
            if res == (op == OP_LEKJ or op == OP_GEKJ):
                if c < pc:
                    jitdriver.can_enter_jit(pc=c, proto=proto, frame=frame)
                pc = c
        elif op == OP_TESTJ:
            w_t = regs[a]
            # nil and false are the prebuilt w_nil and w_false, the only false values
            if not (w_t is w_nil or w_t is w_false):
                pc = c
        elif op == OP_NTESTJ:
            w_t = regs[a]
            if w_t is w_nil or w_t is w_false:
                if c < pc:
                    jitdriver.can_enter_jit(pc=c, proto=proto, frame=frame)
                pc = c
        elif op == OP_JMP:
            if c < pc:
                jitdriver.can_enter_jit(pc=c, proto=proto, frame=frame)
            pc = c
        elif op == OP_CALL:
            call_op(frame, a, b, c)
        elif op == OP_SELF:
            w_o = regs[b]
            regs[a + 1] = w_o
            w_k = proto.get_const(c)
            if isinstance(w_o, W_Table):
                assert isinstance(w_k, W_Str)
                at = w_k.atom  # interned by the compiler
                mc = proto.mcache[ipc]
                assert mc is not None
                w_mt = w_o.metatable
                # an object's method: the receiver has no such field (its Bloom
                # filter says so), its metatable's __index is the class the method
                # was cached for, and the class chain has not changed since
                w_v = None
                if w_mt is not None and mc.epoch == method_epoch.n \
                        and not w_o.may_have(at) and w_mt.get_index_mm() is mc.w_class:
                    w_v = mc.w_method
                if w_v is None:
                    w_v = self_lookup(w_o, w_k, proto, ipc)
                regs[a] = w_v
            else:
                regs[a] = index(w_o, w_k)
        elif op == OP_RETURN:
            return collect_results(frame, a, b)
        elif op == OP_SETFIELD:
            w_o = regs[a]
            w_k = proto.get_const(b)
            if not (isinstance(w_o, W_Table) and isinstance(w_k, W_Str)
                    and w_o.setatom_ic(w_k, w_k.atom, regs[c], proto.icache, ipc)):
                setindex(w_o, w_k, regs[c])
        elif op == OP_SETTABLE:
            w_o = regs[a]
            w_k = regs[b]
            if isinstance(w_o, W_Table) and w_o.metatable is None and isinstance(w_k, W_Int):
                w_o.setint(w_k.value, regs[c])
            else:
                setindex(w_o, w_k, regs[c])
        elif op == OP_SETCELL:
            w_cell = regs[a]
            assert isinstance(w_cell, W_Cell)
            w_cell.w_value = regs[b]
        elif op == OP_SETUPVAL:
            frame.closure.upvals[b].w_value = regs[a]
        elif op == OP_NEWCELL:
            regs[a] = W_Cell(regs[b])
        elif op == OP_GETGLOBAL:
            w_k = proto.get_const(b)
            assert isinstance(w_k, W_Str)
            w_g = state.globals
            w_v = w_g.getatom_ic(w_k.atom, proto.icache, ipc)  # interned
            if isinstance(w_v, W_Nil) and w_g.metatable is not None:
                w_v = index(w_g, w_k)
            regs[a] = w_v
        elif op == OP_SETGLOBAL:
            setindex(state.globals, proto.get_const(b), regs[a])
        elif op == OP_FORLOOP:
            w_i = regs[a]
            if isinstance(w_i, W_Int):
                w_count = regs[a + 1]
                assert isinstance(w_count, W_Count)
                count = w_count.count
                if count > 0:
                    w_step = regs[a + 2]
                    assert isinstance(w_step, W_Int)
                    w_count.count = count - 1
                    w_n = W_Int(intmask(w_i.value + w_step.value))
                    regs[a] = w_n
                    regs[a + 3] = w_n
                    jitdriver.can_enter_jit(pc=c, proto=proto, frame=frame)
                    pc = c
            else:
                assert isinstance(w_i, W_Float)
                w_lim = regs[a + 1]
                w_step = regs[a + 2]
                assert isinstance(w_lim, W_Float)
                assert isinstance(w_step, W_Float)
                x = w_i.value + w_step.value
                if (w_step.value > 0.0 and x <= w_lim.value) or \
                        (w_step.value < 0.0 and x >= w_lim.value):
                    w_n2 = W_Float(x)
                    regs[a] = w_n2
                    regs[a + 3] = w_n2
                    jitdriver.can_enter_jit(pc=c, proto=proto, frame=frame)
                    pc = c
        elif op == OP_FORPREP:
            if not forprep(regs, a):
                pc = c
        elif op == OP_TFORCALL:
            tforcall(frame, a, b)
        elif op == OP_TFORLOOP:
            w_v = regs[a + 3]
            if not isinstance(w_v, W_Nil):
                regs[a + 2] = w_v
                jitdriver.can_enter_jit(pc=c, proto=proto, frame=frame)
                pc = c
        elif op == OP_LOADNIL:
            for k in range(b):
                regs[a + k] = w_nil
        elif op == OP_LOADTRUE:
            regs[a] = w_true
        elif op == OP_LOADFALSE:
            regs[a] = w_false
        elif op == OP_NEWTABLE:
            regs[a] = W_Table()
        elif op == OP_SETLIST:
            setlist(frame, a, b, c)
        elif op == OP_CLOSURE:
            regs[a] = make_closure(frame, proto.protos[b])
        elif op == OP_NOT:
            regs[a] = newbool(not regs[b].is_true())
        elif op == OP_UNM:
            regs[a] = unm(regs[b])
        elif op == OP_LEN:
            w_o = regs[b]
            if isinstance(w_o, W_Table) and w_o.metatable is None:
                regs[a] = W_Int(w_o.length())
            else:
                regs[a] = length(w_o)
        elif op == OP_BNOT:
            regs[a] = bnot(regs[b])
        elif op == OP_CONCAT:
            regs[a] = concat(regs, b, c)
        elif op == OP_POW:
            regs[a] = arith(OP_POW, regs[b], regs[c])
        elif op == OP_VARARG:
            vararg(frame, a, b)
        elif OP_MOD <= op <= OP_SHR:
            # last: a range test among the `op ==` tests would split the switch LLVM
            # makes of this chain in two (two indirect jumps for the ops after it)
            regs[a] = arith(op, regs[b], regs[c])
        else:
            raise RtError("bad opcode %d" % op, 0)


def arithk(op, w_x, w_k, c):
    """The generic path of ADDK, SUBK, MULK, DIVK: R[b] op K, or K op R[b] with KLEFT."""
    if op == OP_ADDK:
        aop = OP_ADD
    elif op == OP_SUBK:
        aop = OP_SUB
    elif op == OP_MULK:
        aop = OP_MUL
    else:
        aop = OP_DIV
    if c & KLEFT:
        return arith(aop, w_k, w_x)
    return arith(aop, w_x, w_k)


@always_inline
def is_number(w):
    return isinstance(w, W_Int) or isinstance(w, W_Float)


@always_inline
def float_value(w_num):
    """The float value of an int or a float (is_number)."""
    if isinstance(w_num, W_Float):
        return w_num.value
    assert isinstance(w_num, W_Int)
    return float(w_num.value)


def self_lookup(w_o, w_k, proto, ipc):
    """SELF's lookup of the method w_k in the table w_o, without the method cache
    (which it fills when the method is found through tables only)."""
    # the inline cache usually holds the method's slot in the class; it hits here too
    # when the receiver is the class itself (no slot of an instance's fields holds the
    # method's name, so a miss costs a compare)
    w_v = w_o.getatom_ic(w_k.get_atom(), proto.icache, ipc)
    if isinstance(w_v, W_Nil) and w_o.metatable is not None:
        w_v = method_lookup(w_o, w_k, proto, ipc)
    return w_v


def method_lookup(w_obj, w_key, proto, idx):
    """obj:name() where obj (a table with a metatable) has no field name: the lookup
    through the __index chain, with the inline cache of the SELF instruction used for
    the table that has the method (the class, usually). A method found through tables
    only goes into the instruction's method cache, and the tables of the chain are
    watched from then on (any change to them invalidates every method cache)."""
    a = w_key.get_atom()
    cache = proto.icache
    w_t = w_obj
    w_class = None
    for _ in range(100):
        w_mt = w_t.metatable
        if w_mt is None:
            return w_nil
        w_mt = promote(w_mt)
        w_h = w_mt.get_index_mm()
        if not isinstance(w_h, W_Table):
            return index(w_t, w_key)
        if w_class is None:
            # the receiver's metatable is not watched (objects often get one each,
            # {__index = Class}): SELF reads its __index every time
            w_class = w_h
        else:
            w_mt.watched = True
        w_h.watched = True
        w_v = w_h.getatom_ic(a, cache, idx)
        if not isinstance(w_v, W_Nil):
            mc = proto.mcache[idx]
            assert mc is not None
            mc.w_class = w_class
            mc.w_method = w_v
            mc.epoch = method_epoch.n
            return w_v
        w_t = w_h
    return index(w_t, w_key)


@always_inline
def collect_results(frame, a, b):
    """The results of RETURN a b: a list, or None for zero or one result, which are
    left in state.ret_n and state.ret1 (most calls return one value or none, and
    call_op stores it in a register without a list)."""
    regs = frame.regs
    if b == 0:
        n = frame.top - a
    else:
        n = b - 1
    if n == 1:
        state.ret_n = 1
        state.ret1 = regs[a]
        return None
    if n == 0:
        state.ret_n = 0
        state.ret1 = w_nil
        return None
    return regs[a:a + n]


@unroll_safe
def make_closure(frame, p):
    n = len(p.upval_index)
    upvals = [None] * n
    outer = frame.closure
    for i in range(n):
        idx = p.upval_index[i]
        if p.upval_instack[i]:
            w_cell = frame.regs[idx]
            assert isinstance(w_cell, W_Cell)
            upvals[i] = w_cell
        else:
            upvals[i] = outer.upvals[idx]
    cells = []
    for u in upvals:
        assert u is not None
        cells.append(u)
    return W_Closure(p, cells)


@always_inline  # in the dispatch loop: one native call level fewer per Lua call
def call_op(frame, a, b, c):
    regs = frame.regs
    w_f = regs[a]
    if b == 0:
        nargs = frame.top - a - 1
    else:
        nargs = b - 1
    state.lua_caller = True
    if isinstance(w_f, W_Closure):
        results = execute_regs(w_f, regs, a + 1, nargs)
        if results is None:
            if c == 2:  # one result wanted
                w_r = state.ret1  # nil when the call returned nothing
                frame.regs[a] = w_r
                return
            if c == 1:  # none wanted
                return
            if c == 0:  # all wanted (f(g()), return g()): 0 or 1 of them
                n = state.ret_n
                frame.ensure(a + n + 1)  # as store_results
                if n == 1:
                    frame.regs[a] = state.ret1
                frame.top = a + n
                return
            results = returned_list()
    elif isinstance(w_f, W_Builtin):
        results = w_f.call(regs[a + 1:a + 1 + nargs])
    else:
        results = call_function(w_f, regs[a + 1:a + 1 + nargs])
    store_results(frame, a, c, results)


def store_results(frame, a, c, results):
    regs = frame.regs
    if c == 0:
        n = len(results)
        frame.ensure(a + n + 1)
        regs = frame.regs
        for i in range(n):
            regs[a + i] = results[i]
        frame.top = a + n
        return
    want = c - 1
    n = len(results)
    for i in range(want):
        if i < n:
            regs[a + i] = results[i]
        else:
            regs[a + i] = w_nil


def vararg(frame, a, b):
    va = frame.varargs
    if b == 0:
        n = len(va)
        frame.ensure(a + n + 1)
        regs = frame.regs
        for i in range(n):
            regs[a + i] = va[i]
        frame.top = a + n
        return
    regs = frame.regs
    for i in range(b - 1):
        if i < len(va):
            regs[a + i] = va[i]
        else:
            regs[a + i] = w_nil


def setlist(frame, a, b, c):
    regs = frame.regs
    w_t = regs[a]
    assert isinstance(w_t, W_Table)
    if b == 0:
        n = frame.top - a - 1
    else:
        n = b
    for i in range(n):
        w_t.setint(c + i, regs[a + 1 + i])


def concat(regs, b, n):
    parts = []
    all_str = True
    for i in range(n):
        s = concat_str(regs[b + i])
        if s is None:
            all_str = False
            break
        parts.append(s)
    if all_str:
        return W_Str("".join(parts))
    w_acc = regs[b + n - 1]
    i = n - 2
    while i >= 0:
        w_acc = concat2(regs[b + i], w_acc)
        i -= 1
    return w_acc


def forprep(regs, a):
    """Prepare a numeric for loop; False if it runs no iteration."""
    w_init = regs[a]
    w_limit = regs[a + 1]
    w_step = regs[a + 2]
    if isinstance(w_init, W_Int) and isinstance(w_step, W_Int):
        init = w_init.value
        step = w_step.value
        if step == 0:
            raise RtError("'for' step is zero", 0)
        if isinstance(w_limit, W_Int):
            limit = w_limit.value
        elif isinstance(w_limit, W_Float):
            f = w_limit.value
            if f != f:
                return False
            if step > 0:
                f = lua_floor(f)
                if f >= 9.2233720368547758e18:
                    limit = 9223372036854775807
                elif f < -9.2233720368547758e18:
                    return False
                else:
                    limit = int(f)
            else:
                f = -lua_floor(-f)
                if f < -9.2233720368547758e18:
                    limit = -9223372036854775807 - 1
                elif f >= 9.2233720368547758e18:
                    return False
                else:
                    limit = int(f)
        else:
            w_n = tonumber(w_limit) if isinstance(w_limit, W_Str) else None
            if w_n is None:
                raise RtError("'for' limit must be a number", 0)
            regs[a + 1] = w_n
            return forprep(regs, a)
        if step > 0:
            if init > limit:
                return False
            count = r_uint(limit) - r_uint(init)
            if step != 1:
                count = count // r_uint(step)
        else:
            if init < limit:
                return False
            count = r_uint(init) - r_uint(limit)
            count = count // (r_uint(-(step + 1)) + r_uint(1))
        if intmask(count) < 0:
            regs[a + 1] = W_Count(9223372036854775807)
        else:
            regs[a + 1] = W_Count(intmask(count))
        regs[a + 3] = w_init
        return True
    # float loop
    w_i = number_for(w_init, "initial")
    w_l = number_for(w_limit, "limit")
    w_s = number_for(w_step, "step")
    fi = tofloat(w_i)
    fl = tofloat(w_l)
    fs = tofloat(w_s)
    if fs == 0.0:
        raise RtError("'for' step is zero", 0)
    if (fs > 0.0 and fi > fl) or (fs < 0.0 and fi < fl):
        return False
    w_fi = W_Float(fi)
    regs[a] = w_fi
    regs[a + 1] = W_Float(fl)
    regs[a + 2] = W_Float(fs)
    regs[a + 3] = w_fi
    return True


def number_for(w, what):
    if isinstance(w, W_Int) or isinstance(w, W_Float):
        return w
    raise RtError("'for' " + what + " value must be a number", 0)


def tforcall(frame, a, nvars):
    regs = frame.regs
    w_f = regs[a]
    if isinstance(w_f, W_Builtin) and w_f.name == "next":
        w_t = regs[a + 1]
        if isinstance(w_t, W_Table):
            i = w_t.next_index(regs[a + 2])
            if i < 0:
                raise RtError("invalid key to 'next'", 0)
            i = w_t.entry_at(i)
            if i < 0:
                regs[a + 3] = w_nil
                for k in range(1, nvars):
                    regs[a + 3 + k] = w_nil
                return
            regs[a + 3] = w_t.key_at(i)
            if nvars > 1:
                regs[a + 4] = w_t.value_at(i)
                for k in range(2, nvars):
                    regs[a + 3 + k] = w_nil
            return
    results = call_function(w_f, [regs[a + 1], regs[a + 2]])
    regs = frame.regs
    for k in range(nvars):
        if k < len(results):
            regs[a + 3 + k] = results[k]
        else:
            regs[a + 3 + k] = w_nil


