//! Flattening one lltype graph into a jitcode: blocks become straight-line instruction
//! runs with labels, links become register moves and jumps, the exit switches become
//! `goto_if_not` and `switch`, exception links become `catch_exception` handlers, and
//! each low-level op becomes one instruction (or none, for `Void` values).
//!
//! Layout of a block (RPython's `flatten.py` does the same):
//! ```text
//! L_block:
//!   <ops>                       after each call: live [registers live after it]
//!   live [...]; goto_if_not %c, L_false     (or switch %v, {...})
//!   <moves of the true link>; goto L_target
//! L_false:
//!   <moves of the false link>; goto L_target
//! ```
//! A block ending with an operation that can raise and exception links:
//! ```text
//!   residual_call ... -> %x; live [...]; catch_exception L_exc
//!   <moves of the normal link>; goto ...
//! L_exc:
//!   goto_if_exception_mismatch $Class, L_next; last_exc_value -> %r; <moves>; goto ...
//! L_next:
//!   ...
//!   reraise
//! ```
//! A link to the return block is a `*_return`, one to the except block a `raise`.

use std::collections::HashMap;

use kiln_flowgraph::{BlockId, ExitSwitch, Link, LinkCase, Operation, Value, Var};
use kiln_jitcode::{Assembler, Bank, CallTarget, EffectInfo, ExtraEffect, IntConst, JitCode, JitCodeSet, Label, Liveness, Operand, RefConst, SymbolKind};
use kiln_lltype::{FuncId, Ll, LlConst, LlGraph, LlOp, LlProgram, LlType, StaticValue, TypeId};
use kiln_transform::{EffectInfo as CallEffects, HeapEffects, HeapLoc};

use crate::descrs::{self, bank_of};
use crate::regalloc::{allocate, block_order, Allocation};

type R<T> = Result<T, String>;
type C = LlConst;

/// What flattening needs besides the graph.
pub struct Cx<'a> {
    pub prog: &'a LlProgram,
    pub effects: &'a CallEffects,
    pub heap: &'a HeapEffects,
    /// The jitcode index of each function the tracer looks into.
    pub jitcode_of: &'a HashMap<FuncId, u16>,
    /// Every field some op of the program stores into (see [`descrs::field`]).
    pub written: &'a std::collections::HashSet<kiln_lltype::FieldRef>,
    /// Which portals reach which functions: a call of another driver's portal
    /// function is residual, not inlined.
    pub(crate) reach: &'a crate::Reach,
}

impl Cx<'_> {
    /// The jitcode `caller` inlines for a call of `callee`, if it inlines it.
    fn inlined(&self, caller: FuncId, callee: FuncId) -> Option<u16> {
        self.jitcode_of.get(&callee).copied().filter(|_| self.reach.inlines(caller, callee))
    }
}

/// Whether `f`'s graph can be flattened at all: every value fits a register bank and
/// every op and switch has an instruction. Checked before the policy admits a function.
pub fn expressible(prog: &LlProgram, f: FuncId) -> R<()> {
    let g = &prog.func(f).graph;
    for (i, v) in g.vars.iter().enumerate() {
        let _ = bank_of(&prog.types, v.ty).map_err(|e| format!("variable v{i}: {e}"))?;
    }
    for b in block_order(g) {
        let block = g.block(b);
        for op in &block.ops {
            match op.op {
                LlOp::ExcOccurred | LlOp::ExcType | LlOp::ExcValue | LlOp::ExcClear | LlOp::ExcRestore => {
                    return Err(format!("`{}` (the exception transform's ops come after the codewriter)", op.op.name()));
                }
                o if o.is_gc_only() => return Err(format!("`{}` (the GC transform's ops come after the codewriter)", o.name())),
                _ => {}
            }
        }
        if let ExitSwitch::Value(_) = &block.exitswitch {
            let bools = block.exits.iter().all(|l| matches!(l.case, LinkCase::Bool(_)));
            let default = block.exits.iter().any(|l| l.case == LinkCase::Default);
            if !(bools && block.exits.len() == 2) && !default {
                return Err("a switch without a default case".into());
            }
        }
    }
    Ok(())
}

struct Flattener<'a, 'b> {
    cx: &'b Cx<'a>,
    /// The function being flattened.
    f: FuncId,
    set: &'b mut JitCodeSet,
    g: &'a LlGraph,
    alloc: Allocation,
    asm: Assembler,
    labels: HashMap<BlockId, Label>,
    consts_i: Vec<IntConst>,
    consts_r: Vec<RefConst>,
    consts_f: Vec<u64>,
    liveness: Vec<Liveness>,
    /// The scratch register of each bank, for cyclic moves.
    scratch: [u16; 3],
    /// The liveness entry of the `live` just emitted, if nothing came after it.
    last_live: Option<usize>,
}

/// Flattens function `f` into a jitcode of `set`.
pub fn flatten(cx: &Cx<'_>, set: &mut JitCodeSet, f: FuncId) -> R<JitCode> {
    let func = cx.prog.func(f);
    let g = &func.graph;
    let alloc = allocate(g, &cx.prog.types)?;
    // Every bank gets one scratch register after the allocated ones when some link
    // needs it; deciding that would need the moves first, so it is always reserved when
    // the bank has registers at all (it costs one slot of the frame).
    let scratch = alloc.num_regs;
    let mut num_regs = alloc.num_regs;
    for k in 0..3 {
        if num_regs[k] > 0 {
            num_regs[k] += 1;
        }
    }
    let result = bank_of(&cx.prog.types, *g.var_type(g.return_var()))?;
    let num_args = alloc.num_args;
    let mut fl = Flattener {
        cx,
        f,
        set,
        g,
        alloc,
        asm: Assembler::new(),
        labels: HashMap::new(),
        consts_i: Vec::new(),
        consts_r: Vec::new(),
        consts_f: Vec::new(),
        liveness: Vec::new(),
        scratch,
        last_live: None,
    };
    fl.alloc.num_regs = num_regs;
    let order = block_order(g);
    for &b in &order {
        let l = fl.asm.new_label();
        fl.labels.insert(b, l);
    }
    for (i, &b) in order.iter().enumerate() {
        let next = order.get(i + 1).copied();
        fl.block(b, next)?;
    }
    let code = fl.asm.finish()?;
    Ok(JitCode {
        name: func.name.clone(),
        num_regs,
        num_args,
        result,
        consts_i: fl.consts_i,
        consts_r: fl.consts_r,
        consts_f: fl.consts_f,
        code,
        liveness: fl.liveness,
    })
}

/// An operand source: a register of a bank or a constant.
#[derive(Clone, Debug, PartialEq)]
enum Src {
    Reg(Bank, u16),
    Const(Bank, C),
}

impl<'a> Flattener<'a, '_> {
    fn types(&self) -> &'a kiln_lltype::TypeTable {
        &self.cx.prog.types
    }

    fn emit(&mut self, key: &str, args: Vec<Operand>, result: Option<u16>) -> R<()> {
        self.last_live = None;
        self.asm.emit(key, args, result)
    }

    fn define(&mut self, l: Label) {
        self.last_live = None;
        self.asm.define(l);
    }

    fn symbol_of_static(&mut self, id: kiln_lltype::StaticId) -> u32 {
        let s = self.cx.prog.static_obj(id);
        let name = match &s.value {
            // Strings are named by their text so that dumps read well; the binary's
            // loader resolves them through the same interning as the backend's data.
            StaticValue::Str(text) => format!("{:?}", &**text),
            _ => s.name.clone(),
        };
        self.set.symbol(&name, SymbolKind::Static)
    }

    /// The operand index of a constant in its bank's pool (after the registers).
    fn const_index(&mut self, bank: Bank, c: &C) -> R<u16> {
        let n = self.alloc.num_regs[bank.index()];
        let idx = match bank {
            Bank::Int => {
                let v = match c {
                    C::Func(f, _) => IntConst::Addr(self.set.symbol(&self.cx.prog.func(*f).name, SymbolKind::Func)),
                    C::Static(s, _) => IntConst::Addr(self.symbol_of_static(*s)),
                    C::Null(_) => IntConst::Value(0),
                    other => IntConst::Value(other.to_bits().ok_or_else(|| format!("int constant {other:?}"))? as i64),
                };
                match self.consts_i.iter().position(|x| *x == v) {
                    Some(i) => i,
                    None => {
                        self.consts_i.push(v);
                        self.consts_i.len() - 1
                    }
                }
            }
            Bank::Ref => {
                let v = match c {
                    C::Null(_) => RefConst::Null,
                    C::Static(s, _) => RefConst::Static(self.symbol_of_static(*s)),
                    other => return Err(format!("ref constant {other:?}")),
                };
                match self.consts_r.iter().position(|x| *x == v) {
                    Some(i) => i,
                    None => {
                        self.consts_r.push(v);
                        self.consts_r.len() - 1
                    }
                }
            }
            Bank::Float => {
                let bits = c.to_bits().ok_or_else(|| format!("float constant {c:?}"))?;
                match self.consts_f.iter().position(|x| *x == bits) {
                    Some(i) => i,
                    None => {
                        self.consts_f.push(bits);
                        self.consts_f.len() - 1
                    }
                }
            }
        };
        u16::try_from(n as usize + idx).map_err(|_| "more than 65535 registers and constants in one bank".to_string())
    }

    fn src(&self, v: &Value<C>) -> R<Option<Src>> {
        match v {
            Value::Var(x) => Ok(self.alloc.reg.get(x).map(|(b, r)| Src::Reg(*b, *r))),
            Value::Const(c) => Ok(bank_of(self.types(), c.ty())?.map(|b| Src::Const(b, c.clone()))),
        }
    }

    fn operand(&mut self, s: &Src) -> R<(Bank, u16)> {
        match s {
            Src::Reg(b, r) => Ok((*b, *r)),
            Src::Const(b, c) => Ok((*b, self.const_index(*b, c)?)),
        }
    }

    /// The operand of a value that must be of `bank`.
    fn arg(&mut self, v: &Value<C>, bank: Bank) -> R<Operand> {
        let s = self.src(v)?.ok_or("a Void operand")?;
        let (b, r) = self.operand(&s)?;
        if b != bank {
            return Err(format!("a {b} operand where {bank} is expected"));
        }
        Ok(Operand::Reg(b, r))
    }

    fn result_reg(&self, v: Var) -> Option<(Bank, u16)> {
        self.alloc.reg.get(&v).copied()
    }

    fn live_regs<'v>(&self, vars: impl IntoIterator<Item = &'v Var>) -> Liveness {
        let mut l = Liveness::default();
        for v in vars {
            if let Some((b, r)) = self.alloc.reg.get(v) {
                l.regs[b.index()].push(*r);
            }
        }
        for r in &mut l.regs {
            r.sort();
            r.dedup();
        }
        l
    }

    fn emit_live(&mut self, l: Liveness) -> R<()> {
        let t = match self.liveness.iter().position(|x| *x == l) {
            Some(t) => t,
            None => {
                self.liveness.push(l);
                self.liveness.len() - 1
            }
        };
        // Two `live` in a row (after a call, before a switch) would say the same thing.
        if self.last_live == Some(t) {
            return Ok(());
        }
        self.emit("live/T", vec![Operand::Live(t as u16)], None)?;
        self.last_live = Some(t);
        Ok(())
    }

    fn block(&mut self, b: BlockId, next: Option<BlockId>) -> R<()> {
        let g = self.g;
        let block = g.block(b);
        let label = self.labels[&b];
        self.define(label);
        let live = kiln_flowgraph::block_liveness(block);
        let catching = block.catches_exceptions() && block.exits.len() > 1;
        for (i, op) in block.ops.iter().enumerate() {
            if op.op.is_jit_hint() {
                // Live before the op: what is live after it, less its result, plus its
                // arguments.
                let mut before = live.after[i].clone();
                before.remove(&op.result);
                before.extend(op.args.iter().filter_map(Value::as_var));
                self.hint(op, &before, &live.after[i])?;
                continue;
            }
            if op.op == LlOp::DirectCall {
                self.promote_args(op, &live.after[i])?;
            }
            if op.op == LlOp::IndirectCall {
                self.promote_indirect_target(op, &live.after[i])?;
            }
            let is_call = self.op(op)?;
            if is_call {
                self.emit_live(self.live_regs(&live.after[i]))?;
                // The exception check must follow the call: a catching block narrows
                // its result on the normal link, after `catch_exception`.
                if !(catching && i + 1 == block.ops.len()) {
                    self.narrow_call_result(op)?;
                }
            }
        }
        match &block.exitswitch {
            ExitSwitch::None => self.link(&block.exits[0], next),
            ExitSwitch::LastException => {
                if !catching {
                    return self.link(&block.exits[0], next);
                }
                let handler = self.asm.new_label();
                let raising = block.ops.last().ok_or("an exception-catching block without operations")?;
                if !self.raises(raising) {
                    return Err(format!("exception links after `{}`, which cannot raise in a jitcode", raising.op.name()));
                }
                self.emit("catch_exception/L", vec![Operand::Label(handler)], None)?;
                if matches!(raising.op, LlOp::DirectCall | LlOp::IndirectCall | LlOp::RtCall(_)) {
                    self.narrow_call_result(raising)?;
                }
                self.link(&block.exits[0], None)?;
                self.define(handler);
                for link in &block.exits[1..] {
                    let LinkCase::Exception(class) = &link.case else { return Err("a non-exception link after the first of a catching block".into()) };
                    let miss = self.asm.new_label();
                    let class = self.arg(&Value::Const(class.clone()), Bank::Int)?;
                    self.emit("goto_if_exception_mismatch/iL", vec![class, Operand::Label(miss)], None)?;
                    if let Some((Bank::Int, r)) = link.last_exception.and_then(|v| self.result_reg(v)) {
                        if link.args.iter().any(|a| a.as_var() == link.last_exception) {
                            self.emit("last_exception/>i", vec![], Some(r))?;
                        }
                    }
                    if let Some((Bank::Ref, r)) = link.last_exc_value.and_then(|v| self.result_reg(v)) {
                        if link.args.iter().any(|a| a.as_var() == link.last_exc_value) {
                            self.emit("last_exc_value/>r", vec![], Some(r))?;
                        }
                    }
                    self.link(link, None)?;
                    self.define(miss);
                }
                self.emit("reraise/", vec![], None)
            }
            ExitSwitch::Value(v) => {
                if let Value::Const(c) = v {
                    // A constant switch: only the matching link is ever taken.
                    let bits = c.to_bits().ok_or("a switch on a non-primitive constant")? as i64;
                    let link = block
                        .exits
                        .iter()
                        .find(|l| match l.case {
                            LinkCase::Bool(x) => x as i64 == bits,
                            LinkCase::Int(x) => x == bits,
                            LinkCase::Char(x) => x as i64 == bits,
                            _ => false,
                        })
                        .or_else(|| block.exits.iter().find(|l| l.case == LinkCase::Default))
                        .ok_or("a constant switch that matches no link")?;
                    return self.link(link, next);
                }
                self.emit_live(self.live_regs(&live.exit))?;
                let cond = self.arg(v, Bank::Int)?;
                let bools = block.exits.len() == 2 && block.exits.iter().all(|l| matches!(l.case, LinkCase::Bool(_)));
                if bools {
                    let t = block.exits.iter().find(|l| l.case == LinkCase::Bool(true)).ok_or("a bool switch without a true link")?;
                    let f = block.exits.iter().find(|l| l.case == LinkCase::Bool(false)).ok_or("a bool switch without a false link")?;
                    let lf = self.asm.new_label();
                    self.emit("goto_if_not/iL", vec![cond, Operand::Label(lf)], None)?;
                    self.link(t, None)?;
                    self.define(lf);
                    return self.link(f, next);
                }
                let mut cases = Vec::new();
                let mut bodies = Vec::new();
                let mut default = None;
                for l in &block.exits {
                    let value = match l.case {
                        LinkCase::Default => {
                            default = Some(l);
                            continue;
                        }
                        LinkCase::Int(x) => x,
                        LinkCase::Char(x) => x as i64,
                        LinkCase::Bool(x) => x as i64,
                        _ => return Err("an exception case in a value switch".into()),
                    };
                    let lab = self.asm.new_label();
                    cases.push((value, lab));
                    bodies.push((lab, l));
                }
                self.emit("switch/iS", vec![cond, Operand::Switch(cases)], None)?;
                self.link(default.ok_or("a switch without a default case")?, None)?;
                for (lab, l) in bodies {
                    self.define(lab);
                    self.link(l, None)?;
                }
                Ok(())
            }
        }
    }

    /// Whether the instruction an op becomes can raise.
    fn raises(&self, op: &Operation<Ll>) -> bool {
        matches!(op.op, LlOp::DirectCall | LlOp::IndirectCall | LlOp::RtCall(_) | LlOp::Malloc | LlOp::MallocVarsize)
    }

    /// The moves of a link, then its jump (or return, or raise). `next` is the block
    /// emitted right after, which needs no jump.
    fn link(&mut self, link: &Link<C>, next: Option<BlockId>) -> R<()> {
        let g = self.g;
        if link.target == g.returnblock {
            return match self.src(&link.args[0])? {
                None => self.emit("void_return/", vec![], None),
                Some(s) => {
                    let (b, r) = self.operand(&s)?;
                    let key = match b {
                        Bank::Int => "int_return/i",
                        Bank::Ref => "ref_return/r",
                        Bank::Float => "float_return/f",
                    };
                    self.emit(key, vec![Operand::Reg(b, r)], None)
                }
            };
        }
        if link.target == g.exceptblock {
            let v = self.arg(&link.args[1], Bank::Ref)?;
            return self.emit("raise/r", vec![v], None);
        }
        let target = g.block(link.target);
        let target_live = kiln_flowgraph::block_liveness(target).entry;
        // Parallel moves: (destination register, source).
        let mut moves: Vec<(Bank, u16, Src)> = Vec::new();
        for (a, input) in link.args.iter().zip(&target.inputargs) {
            if !target_live.contains(input) {
                continue;
            }
            let Some((b, dst)) = self.result_reg(*input) else { continue };
            let Some(s) = self.src(a)? else { continue };
            if s != Src::Reg(b, dst) {
                moves.push((b, dst, s));
            }
        }
        self.parallel_moves(moves)?;
        if Some(link.target) != next {
            let l = self.labels[&link.target];
            self.emit("goto/L", vec![Operand::Label(l)], None)?;
        }
        Ok(())
    }

    fn copy(&mut self, bank: Bank, src: u16, dst: u16) -> R<()> {
        if src == dst {
            return Ok(());
        }
        let key = match bank {
            Bank::Int => "int_copy/i>i",
            Bank::Ref => "ref_copy/r>r",
            Bank::Float => "float_copy/f>f",
        };
        self.emit(key, vec![Operand::Reg(bank, src)], Some(dst))
    }

    /// Sequentialises moves whose destinations are distinct: a move goes once no other
    /// pending move reads its destination; a cycle is broken through the bank's scratch
    /// register. Constants are loaded last (they read no register).
    fn parallel_moves(&mut self, moves: Vec<(Bank, u16, Src)>) -> R<()> {
        let (mut regs, consts): (Vec<_>, Vec<_>) = moves.into_iter().partition(|(_, _, s)| matches!(s, Src::Reg(..)));
        while !regs.is_empty() {
            let ready = regs.iter().position(|(b, dst, _)| !regs.iter().any(|(b2, _, s)| *s == Src::Reg(*b, *dst) && b2 == b));
            match ready {
                Some(i) => {
                    let (b, dst, s) = regs.remove(i);
                    let Src::Reg(_, src) = s else { unreachable!("partitioned") };
                    self.copy(b, src, dst)?;
                }
                None => {
                    // Every destination is still to be read: a cycle. Save one source in
                    // the scratch register and read it from there.
                    let (b, _, s) = regs[0].clone();
                    let Src::Reg(_, src) = s else { unreachable!("partitioned") };
                    let scratch = self.scratch[b.index()];
                    self.copy(b, src, scratch)?;
                    for m in regs.iter_mut() {
                        if m.0 == b && m.2 == Src::Reg(b, src) {
                            m.2 = Src::Reg(b, scratch);
                        }
                    }
                }
            }
        }
        for (b, dst, s) in consts {
            let (_, idx) = self.operand(&s)?;
            self.copy(b, idx, dst)?;
        }
        Ok(())
    }

    /// Emits the instruction of one op; returns whether it was a call (which a `live`
    /// must follow).
    fn op(&mut self, op: &Operation<Ll>) -> R<bool> {
        let types = self.types();
        let res = self.result_reg(op.result);
        let res_reg = res.map(|(_, r)| r);
        let res_bank = res.map(|(b, _)| b);
        let arg_bank = |fl: &Self, i: usize| -> R<Option<Bank>> {
            match op.args.get(i) {
                Some(v) => Ok(fl.src(v)?.map(|s| match s {
                    Src::Reg(b, _) | Src::Const(b, _) => b,
                })),
                None => Err(format!("`{}` without argument {i}", op.op.name())),
            }
        };
        let g = self.g;
        let pointee = |v: &Value<C>| -> R<TypeId> {
            let t = match v {
                Value::Var(x) => *g.var_type(*x),
                Value::Const(c) => c.ty(),
            };
            match types.get(t) {
                LlType::Ptr(p) => Ok(*p),
                _ => Err(format!("`{}` on a non-pointer", op.op.name())),
            }
        };
        let suffix = |b: Bank| b.letter();
        match op.op {
            LlOp::SameAs | LlOp::CastPointer => {
                let Some((b, r)) = res else { return Ok(false) };
                let Operand::Reg(_, a) = self.arg(&op.args[0], b)? else { unreachable!("arg gives registers") };
                self.copy(b, a, r)?;
            }
            LlOp::CastPtrToInt | LlOp::CastIntToPtr => {
                let Some((b, r)) = res else { return Ok(false) };
                let from = arg_bank(self, 0)?.ok_or("a Void cast")?;
                let key = match (from, b) {
                    (Bank::Ref, Bank::Int) => "cast_ptr_to_int/r>i",
                    (Bank::Int, Bank::Ref) => "cast_int_to_ptr/i>r",
                    (Bank::Int, Bank::Int) => "int_copy/i>i",
                    (Bank::Ref, Bank::Ref) => "ref_copy/r>r",
                    _ => return Err(format!("`{}` from {from} to {b}", op.op.name())),
                };
                let a = self.arg(&op.args[0], from)?;
                self.emit(key, vec![a], Some(r))?;
            }
            LlOp::PtrEq | LlOp::PtrNe | LlOp::PtrIsNull | LlOp::PtrNonNull => {
                let r = res_reg.ok_or("a pointer comparison without result")?;
                let from = arg_bank(self, 0)?.ok_or("a Void comparison")?;
                let (key, args) = match (op.op, from) {
                    (LlOp::PtrEq, Bank::Ref) => ("ptr_eq/rr>i", vec![self.arg(&op.args[0], from)?, self.arg(&op.args[1], from)?]),
                    (LlOp::PtrNe, Bank::Ref) => ("ptr_ne/rr>i", vec![self.arg(&op.args[0], from)?, self.arg(&op.args[1], from)?]),
                    (LlOp::PtrIsNull, Bank::Ref) => ("ptr_iszero/r>i", vec![self.arg(&op.args[0], from)?]),
                    (LlOp::PtrNonNull, Bank::Ref) => ("ptr_nonzero/r>i", vec![self.arg(&op.args[0], from)?]),
                    // Pointers to raw data (vtables, functions) are ints.
                    (LlOp::PtrEq, Bank::Int) => ("int_eq/ii>i", vec![self.arg(&op.args[0], from)?, self.arg(&op.args[1], from)?]),
                    (LlOp::PtrNe, Bank::Int) => ("int_ne/ii>i", vec![self.arg(&op.args[0], from)?, self.arg(&op.args[1], from)?]),
                    (LlOp::PtrIsNull, Bank::Int) => ("int_eq/ii>i", vec![self.arg(&op.args[0], from)?, self.arg(&Value::Const(C::Signed(0)), Bank::Int)?]),
                    (LlOp::PtrNonNull, Bank::Int) => ("int_ne/ii>i", vec![self.arg(&op.args[0], from)?, self.arg(&Value::Const(C::Signed(0)), Bank::Int)?]),
                    _ => return Err(format!("`{}` on {from}", op.op.name())),
                };
                self.emit(key, args, Some(r))?;
            }
            LlOp::Malloc => {
                let r = res_reg.ok_or("malloc without result")?;
                let t = types.deref(*self.g.var_type(op.result));
                let d = descrs::size(self.set, types, t)?;
                self.emit("new/d>r", vec![Operand::Descr(d)], Some(r))?;
            }
            LlOp::MallocVarsize => {
                let r = res_reg.ok_or("malloc_varsize without result")?;
                let t = types.deref(*self.g.var_type(op.result));
                let d = match types.get(t) {
                    LlType::Array { .. } => descrs::array(self.set, types, t)?,
                    _ => descrs::inline_array(self.set, types, t)?,
                };
                let n = self.arg(&op.args[0], Bank::Int)?;
                self.emit("new_array/id>r", vec![n, Operand::Descr(d)], Some(r))?;
            }
            LlOp::GetField(f) => {
                let Some(d) = descrs::field(self.set, types, f, self.cx.written)? else { return Ok(false) };
                let Some((b, r)) = res else { return Ok(false) };
                let gc = types.struct_type(f.strukt).gc;
                let obj = self.arg(&op.args[0], if gc { Bank::Ref } else { Bank::Int })?;
                let key = format!("getfield_{}_{}/{}d>{}", if gc { "gc" } else { "raw" }, suffix(b), if gc { 'r' } else { 'i' }, suffix(b));
                self.emit(&key, vec![obj, Operand::Descr(d)], Some(r))?;
            }
            LlOp::SetField(f) => {
                let Some(d) = descrs::field(self.set, types, f, self.cx.written)? else { return Ok(false) };
                let Some(vb) = arg_bank(self, 1)? else { return Ok(false) };
                let gc = types.struct_type(f.strukt).gc;
                let obj = self.arg(&op.args[0], if gc { Bank::Ref } else { Bank::Int })?;
                let val = self.arg(&op.args[1], vb)?;
                let key = format!("setfield_{}_{}/{}{}d", if gc { "gc" } else { "raw" }, suffix(vb), if gc { 'r' } else { 'i' }, suffix(vb));
                self.emit(&key, vec![obj, val, Operand::Descr(d)], None)?;
            }
            LlOp::GetArrayItem | LlOp::SetArrayItem | LlOp::GetArrayLength | LlOp::GetInteriorItem(_) | LlOp::SetInteriorItem(_) | LlOp::GetInteriorLength(_) => {
                let (d, gc) = match op.op {
                    LlOp::GetInteriorItem(f) | LlOp::SetInteriorItem(f) | LlOp::GetInteriorLength(f) => (descrs::inline_array(self.set, types, f.strukt)?, types.struct_type(f.strukt).gc),
                    _ => {
                        let arr = pointee(&op.args[0])?;
                        (descrs::array(self.set, types, arr)?, types.is_gc(arr))
                    }
                };
                let ob = if gc { Bank::Ref } else { Bank::Int };
                let kind = if gc { "gc" } else { "raw" };
                let obj = self.arg(&op.args[0], ob)?;
                match op.op {
                    LlOp::GetArrayLength | LlOp::GetInteriorLength(_) => {
                        let r = res_reg.ok_or("an array length without result")?;
                        self.emit(&format!("arraylen_{kind}/{}d>i", ob.letter()), vec![obj, Operand::Descr(d)], Some(r))?;
                    }
                    LlOp::GetArrayItem | LlOp::GetInteriorItem(_) => {
                        let Some((b, r)) = res else { return Ok(false) };
                        let i = self.arg(&op.args[1], Bank::Int)?;
                        self.emit(&format!("getarrayitem_{kind}_{}/{}id>{}", suffix(b), ob.letter(), suffix(b)), vec![obj, i, Operand::Descr(d)], Some(r))?;
                    }
                    _ => {
                        let Some(vb) = arg_bank(self, 2)? else { return Ok(false) };
                        if !gc {
                            return Err("a store into a raw array".into());
                        }
                        let i = self.arg(&op.args[1], Bank::Int)?;
                        let v = self.arg(&op.args[2], vb)?;
                        self.emit(&format!("setarrayitem_gc_{}/ri{}d", suffix(vb), suffix(vb)), vec![obj, i, v, Operand::Descr(d)], None)?;
                    }
                }
            }
            LlOp::DirectCall | LlOp::IndirectCall | LlOp::RtCall(_) => {
                self.call(op, res)?;
                return Ok(true);
            }
            other => {
                // Ops with a fixed signature and an instruction of the same name.
                let name = other.name();
                let mut codes = String::new();
                let mut args = Vec::new();
                for (i, a) in op.args.iter().enumerate() {
                    let b = arg_bank(self, i)?.ok_or_else(|| format!("a Void operand of `{name}`"))?;
                    codes.push(b.letter());
                    args.push(self.arg(a, b)?);
                }
                let key = match res_bank {
                    Some(b) => format!("{name}/{codes}>{}", b.letter()),
                    None => format!("{name}/{codes}"),
                };
                if kiln_jitcode::Opcode::from_key(&key).is_none() {
                    return Err(format!("no jitcode instruction for `{name}` ({key})"));
                }
                self.emit(&key, args, res_reg)?;
            }
        }
        Ok(false)
    }

    /// A JIT hint op (RPython's `jtransform` of the same markers):
    /// - `jit_merge_point[d](greens..., reds...)`: `live; jit_merge_point d, greens by
    ///   bank, reds by bank; live` (the tracer resumes after it, an inlined short preamble
    ///   before it);
    /// - `jit_can_enter_jit[d]`: `loop_header d`;
    /// - `jit_promote(x)`: `live; X_guard_value x`, then x is the result;
    ///   `jit_promote_string(s)`: `live; str_guard_value s -> result`;
    /// - `jit_we_are_jitted()`: true (jitcodes run only under the JIT);
    /// - `jit_isconstant`, `jit_isvirtual` (false for non-references), `jit_assert_green`:
    ///   instructions of the same name;
    /// - `jit_hint[flags](x)`: x (the flags concern virtualizables, not supported yet).
    fn hint(&mut self, op: &Operation<Ll>, before: &std::collections::BTreeSet<Var>, after: &std::collections::BTreeSet<Var>) -> R<()> {
        let res = self.result_reg(op.result);
        let bank_of_arg = |fl: &Self, i: usize| -> R<Option<Src>> { fl.src(op.args.get(i).ok_or_else(|| format!("`{}` without argument {i}", op.op.name()))?) };
        match op.op {
            LlOp::JitMergePoint(d) | LlOp::JitCanEnterJit(d) => {
                let desc = self.cx.prog.jit_drivers.get(d.0 as usize).ok_or_else(|| format!("`{}` of a driver that does not exist", op.op.name()))?;
                let d8 = u8::try_from(d.0).map_err(|_| "more than 255 JIT drivers")?;
                if op.op != LlOp::JitMergePoint(d) {
                    return self.emit("loop_header/c", vec![Operand::Imm(d8)], None);
                }
                let ngreens = desc.greens.len();
                if op.args.len() != ngreens + desc.reds.len() {
                    return Err(format!("jit_merge_point with {} arguments for {} greens and {} reds", op.args.len(), ngreens, desc.reds.len()));
                }
                let mut lists: [[Vec<u16>; 3]; 2] = Default::default();
                for (i, a) in op.args.iter().enumerate() {
                    let Some(s) = self.src(a)? else { continue };
                    let (b, r) = self.operand(&s)?;
                    lists[usize::from(i >= ngreens)][b.index()].push(r);
                }
                self.emit_live(self.live_regs(before))?;
                let mut operands = vec![Operand::Imm(d8)];
                for part in &lists {
                    operands.push(Operand::List(Bank::Int, part[0].clone()));
                    operands.push(Operand::List(Bank::Ref, part[1].clone()));
                    operands.push(Operand::List(Bank::Float, part[2].clone()));
                }
                self.emit("jit_merge_point/cIRFIRF", operands, None)?;
                self.emit_live(self.live_regs(after))
            }
            LlOp::JitPromote | LlOp::JitHint(_) => {
                let Some(src) = bank_of_arg(self, 0)? else { return Ok(()) };
                let (b, r) = self.operand(&src)?;
                if op.op == LlOp::JitPromote && matches!(src, Src::Reg(..)) {
                    self.emit_live(self.live_regs(before))?;
                    let key = match b {
                        Bank::Int => "int_guard_value/i",
                        Bank::Ref => "ref_guard_value/r",
                        Bank::Float => "float_guard_value/f",
                    };
                    self.emit(key, vec![Operand::Reg(b, r)], None)?;
                }
                match res {
                    Some((rb, dst)) if rb == b && dst != r || rb == b && matches!(src, Src::Const(..)) => self.copy(b, r, dst),
                    Some((rb, _)) if rb != b => Err(format!("`{}` from {b} to {rb}", op.op.name())),
                    _ => Ok(()),
                }
            }
            LlOp::JitPromoteString => {
                let s = self.arg(&op.args[0], Bank::Ref)?;
                let Some((Bank::Ref, dst)) = res else { return Err("promote_string without a string result".into()) };
                self.emit_live(self.live_regs(before))?;
                self.emit("str_guard_value/r>r", vec![s], Some(dst))
            }
            LlOp::JitWeAreJitted => {
                let Some((Bank::Int, dst)) = res else { return Ok(()) };
                let one = self.arg(&Value::Const(C::Bool(true)), Bank::Int)?;
                let Operand::Reg(_, one) = one else { unreachable!("arg gives registers") };
                self.copy(Bank::Int, one, dst)
            }
            LlOp::JitIsConstant | LlOp::JitIsVirtual => {
                let Some((Bank::Int, dst)) = res else { return Ok(()) };
                let src = bank_of_arg(self, 0)?;
                let key = match (op.op, src.as_ref().map(|s| match s {
                    Src::Reg(b, _) | Src::Const(b, _) => *b,
                })) {
                    (LlOp::JitIsConstant, Some(Bank::Int)) => "int_isconstant/i>i",
                    (LlOp::JitIsConstant, Some(Bank::Ref)) => "ref_isconstant/r>i",
                    (LlOp::JitIsConstant, Some(Bank::Float)) => "float_isconstant/f>i",
                    (LlOp::JitIsVirtual, Some(Bank::Ref)) => "ref_isvirtual/r>i",
                    _ => {
                        // A Void value is a constant; only references can be virtual.
                        let v = C::Bool(op.op == LlOp::JitIsConstant);
                        let Operand::Reg(_, c) = self.arg(&Value::Const(v), Bank::Int)? else { unreachable!("arg gives registers") };
                        return self.copy(Bank::Int, c, dst);
                    }
                };
                let (b, r) = self.operand(&src.expect("matched a bank"))?;
                self.emit(key, vec![Operand::Reg(b, r)], Some(dst))
            }
            LlOp::JitAssertGreen => {
                let Some(src) = bank_of_arg(self, 0)? else { return Ok(()) };
                let (b, r) = self.operand(&src)?;
                let key = match b {
                    Bank::Int => "int_assert_green/i",
                    Bank::Ref => "ref_assert_green/r",
                    Bank::Float => "float_assert_green/f",
                };
                self.emit(key, vec![Operand::Reg(b, r)], None)
            }
            other => Err(format!("no jitcode for the hint `{}`", other.name())),
        }
    }

    /// Before a call to an `@elidable_promote(args)` function: a guard on the value of
    /// each promoted argument (as RPython's wrapper does), so the call's arguments are
    /// constants and the optimizer may fold it.
    fn promote_args(&mut self, op: &Operation<Ll>, after: &std::collections::BTreeSet<Var>) -> R<()> {
        let Some(Value::Const(C::Func(f, _))) = op.args.first() else { return Ok(()) };
        let Some(which) = self.cx.prog.func(*f).hints.promote_args.clone() else { return Ok(()) };
        let args = &op.args[1..];
        let positions: Vec<usize> = if which == "all" { (0..args.len()).collect() } else { which.split(',').filter_map(|p| p.trim().parse().ok()).collect() };
        let mut before = after.clone();
        before.remove(&op.result);
        before.extend(op.args.iter().filter_map(Value::as_var));
        let mut first = true;
        for p in positions {
            let Some(Src::Reg(b, r)) = args.get(p).map(|a| self.src(a)).transpose()?.flatten() else { continue };
            if first {
                self.emit_live(self.live_regs(&before))?;
                first = false;
            }
            let key = match b {
                Bank::Int => "int_guard_value/i",
                Bank::Ref => "ref_guard_value/r",
                Bank::Float => "float_guard_value/f",
            };
            self.emit(key, vec![Operand::Reg(b, r)], None)?;
        }
        Ok(())
    }

    /// Before an indirect call whose possible targets all have jitcodes: a guard on the
    /// function pointer (RPython's `handle_regular_indirect_call`). The call stays a
    /// `residual_call`; the tracer, finding a constant function, inlines the jitcode of
    /// that function (jitcodes are named as the function symbols their constants use).
    fn promote_indirect_target(&mut self, op: &Operation<Ll>, after: &std::collections::BTreeSet<Var>) -> R<()> {
        let Some(targets) = self.cx.effects.indirect_targets(self.cx.prog, self.g, op) else { return Ok(()) };
        if targets.is_empty() || !targets.iter().all(|&t| self.cx.inlined(self.f, t).is_some()) {
            return Ok(());
        }
        let Some(Src::Reg(Bank::Int, r)) = self.src(&op.args[0])? else { return Ok(()) };
        let mut before = after.clone();
        before.remove(&op.result);
        before.extend(op.args.iter().filter_map(Value::as_var));
        self.emit_live(self.live_regs(&before))?;
        self.emit("int_guard_value/i", vec![Operand::Reg(Bank::Int, r)], None)
    }

    /// A call: inline when the callee has a jitcode, residual otherwise.
    fn call(&mut self, op: &Operation<Ll>, res: Option<(Bank, u16)>) -> R<()> {
        let prog = self.cx.prog;
        let types = self.types();
        let skip = usize::from(!matches!(op.op, LlOp::RtCall(_)));
        let mut lists: [Vec<u16>; 3] = Default::default();
        let mut arg_banks = Vec::new();
        for a in &op.args[skip..] {
            let Some(s) = self.src(a)? else { continue };
            let (b, r) = self.operand(&s)?;
            lists[b.index()].push(r);
            arg_banks.push(b);
        }
        let list_ops = |lists: &[Vec<u16>; 3]| vec![Operand::List(Bank::Int, lists[0].clone()), Operand::List(Bank::Ref, lists[1].clone()), Operand::List(Bank::Float, lists[2].clone())];
        let suffix = res.map_or('v', |(b, _)| b.letter());
        let res_code = res.map_or(String::new(), |(b, _)| format!(">{}", b.letter()));
        let res_reg = res.map(|(_, r)| r);
        if op.op == LlOp::DirectCall {
            let Some(Value::Const(C::Func(f, _))) = op.args.first() else { return Err("direct_call without a function constant".into()) };
            if let Some(j) = self.cx.inlined(self.f, *f) {
                let mut operands = vec![Operand::JitCode(j)];
                operands.extend(list_ops(&lists));
                return self.emit(&format!("inline_call_{suffix}/jIRF{res_code}"), operands, res_reg);
            }
        }
        let (func, target, name, effects, heap, extra, oopspec) = match op.op {
            LlOp::DirectCall => {
                let Some(Value::Const(c @ C::Func(f, _))) = op.args.first() else { unreachable!("checked above") };
                let h = &prog.func(*f).hints;
                let extra = if h.elidable {
                    ExtraEffect::Elidable
                } else if h.loop_invariant {
                    ExtraEffect::LoopInvariant
                } else {
                    ExtraEffect::None
                };
                let fname = prog.func(*f).name.clone();
                let func = self.arg(&Value::Const(c.clone()), Bank::Int)?;
                (func, CallTarget::Func(fname.clone()), format!("call {fname}"), self.cx.effects.func(*f), self.cx.heap.func(*f).clone(), extra, None)
            }
            LlOp::IndirectCall => {
                let func = self.arg(&op.args[0], Bank::Int)?;
                let e = self.cx.effects.op(prog, self.g, op);
                let h = self.cx.heap.op(prog, self.cx.effects, self.g, op);
                let fty = match &op.args[0] {
                    Value::Var(x) => *self.g.var_type(*x),
                    Value::Const(c) => c.ty(),
                };
                (func, CallTarget::Indirect, format!("call indirect {}", types.name(fty)), e, h, ExtraEffect::None, None)
            }
            LlOp::RtCall(rf) => {
                let info = rf.info();
                let sym = self.set.symbol(info.symbol, SymbolKind::Runtime);
                let idx = self.const_addr(sym)?;
                let e = kiln_transform::Effects { can_raise: info.can_raise, can_collect: info.can_collect };
                let h = self.cx.heap.op(prog, self.cx.effects, self.g, op);
                let extra = if info.elidable { ExtraEffect::Elidable } else { ExtraEffect::None };
                (Operand::Reg(Bank::Int, idx), CallTarget::Runtime(info.symbol.to_string()), format!("call {}", info.symbol), e, h, extra, descrs::oopspec(rf))
            }
            _ => unreachable!("only calls come here"),
        };
        let effect = EffectInfo { can_raise: effects.can_raise, can_collect: effects.can_collect, extra, reads: self.locs(&heap.reads)?, writes: self.locs(&heap.writes)? };
        let d = descrs::call(self.set, name, arg_banks, res.map(|(b, _)| b), target, effect, oopspec);
        let mut operands = vec![func];
        operands.extend(list_ops(&lists));
        operands.push(Operand::Descr(d));
        self.emit(&format!("residual_call_{suffix}/iIRFd{res_code}"), operands, res_reg)
    }

    /// After a residual call returning a `Bool`, `Char` or `UniChar`: an `int_and` that
    /// keeps the result's own bits. The C ABI defines only those bits of the return
    /// register (LLVM returns a `Bool` or a `Char` in `al`, a `UniChar` in `eax`), and a
    /// call returns the whole register: a `Bool` with stale upper bits would be "true"
    /// to `int_is_true` whatever its value. Inlined calls return whole registers already.
    fn narrow_call_result(&mut self, op: &Operation<Ll>) -> R<()> {
        if op.op == LlOp::DirectCall {
            if let Some(Value::Const(C::Func(f, _))) = op.args.first() {
                if self.cx.inlined(self.f, *f).is_some() {
                    return Ok(());
                }
            }
        }
        let mask = match self.types().get(*self.g.var_type(op.result)) {
            LlType::Bool | LlType::Char => 0xff,
            LlType::UniChar => 0xffff_ffff,
            _ => return Ok(()),
        };
        let Some((Bank::Int, r)) = self.result_reg(op.result) else { return Ok(()) };
        let m = self.arg(&Value::Const(C::Signed(mask)), Bank::Int)?;
        self.emit("int_and/ii>i", vec![Operand::Reg(Bank::Int, r), m], Some(r))
    }

    fn const_addr(&mut self, sym: u32) -> R<u16> {
        let v = IntConst::Addr(sym);
        let i = match self.consts_i.iter().position(|x| *x == v) {
            Some(i) => i,
            None => {
                self.consts_i.push(v);
                self.consts_i.len() - 1
            }
        };
        u16::try_from(self.alloc.num_regs[0] as usize + i).map_err(|_| "too many int constants".to_string())
    }

    /// Heap locations as descriptor indices, sorted.
    fn locs(&mut self, s: &Option<std::collections::BTreeSet<HeapLoc>>) -> R<Option<Vec<u16>>> {
        let Some(s) = s else { return Ok(None) };
        let types = self.types();
        let mut out = Vec::new();
        for l in s {
            let d = match *l {
                HeapLoc::Field(f) => descrs::field(self.set, types, f, self.cx.written)?,
                HeapLoc::Array(t) => Some(descrs::array(self.set, types, t)?),
                HeapLoc::Inline(t) => Some(descrs::inline_array(self.set, types, t)?),
            };
            out.extend(d);
        }
        out.sort();
        out.dedup();
        Ok(Some(out))
    }
}
