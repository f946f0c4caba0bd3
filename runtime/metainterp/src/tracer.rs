//! The tracer (RPython's `pyjitpl.py`): it executes the portal's jitcodes from a
//! `jit_merge_point` with the program's real values and records what it does as trace IR
//! (`jit::ir`), until the outermost frame reaches a merge point again.
//!
//! **Registers.** Every register of every frame holds a concrete value (the program's real
//! state: the tracer's execution *is* the program's execution while it traces) and a trace
//! value, a box of the trace or a constant. Greens are constants; an op whose arguments are
//! all constants is computed, not recorded.
//!
//! **Recording.** Each jitcode instruction is recorded as the trace op of the same name
//! (docs/jit-contract: `int_add` → `int_add`, `residual_call_i` → `call_i`, `goto_if_not`
//! → `guard_true`/`guard_false`, `*_guard_value` and `switch` → `guard_value`, ...). An
//! instruction whose trace op does not exist (yet) stops the *recording*, with the reason,
//! but not the execution: the tracer goes on without recording up to the next merge point
//! of the portal (RPython's switch to the blackhole interpreter), so the program's
//! iteration always completes correctly.
//!
//! **Guards** carry resume data (Contract 3): the frames outermost first, each
//! `@jitcode:pc` and the values of one `live` entry's registers (ints, refs, floats).
//!
//! **Inlining.** `inline_call_*` pushes a frame; `*_return` pops it. Exceptions from
//! residual calls become `guard_exception` (and are dispatched to `catch_exception`
//! handlers, in this frame or a caller), the absence of one `guard_no_exception`.
//!
//! The concrete side that touches memory, the collector, calls and the exception state
//! goes through the [`Machine`] trait, so the tracer runs on the real runtime in a VM and
//! on a model in tests.

use jit::descr::{DescrId, DescrTable};
use jit::ir::{BoxId, Const, Op, OpExtra, Trace, Type, Value};
use jit::opcode::OpCode;
use jit::resume::{FrameSnapshot, ResumeData, ResumePos, ResumeValue};
use kiln_jitcode::{insn, ArrayDescr, Bank, CallDescr, DecodedArg, FieldDescr, IntConst, RefConst, SizeDescr};

use crate::tracer_descr::bank_type;
use crate::Program;

/// What the tracer needs of the running program besides registers: memory, the
/// collector, calls and the exception state (J-BH's `cpu.rs` in a VM; a model in tests).
pub trait Machine {
    fn getfield(&mut self, obj: u64, d: &FieldDescr) -> u64;
    fn setfield(&mut self, obj: u64, d: &FieldDescr, value: u64);
    fn getarrayitem(&mut self, arr: u64, index: i64, d: &ArrayDescr) -> u64;
    fn setarrayitem(&mut self, arr: u64, index: i64, d: &ArrayDescr, value: u64);
    fn arraylen(&mut self, arr: u64, d: &ArrayDescr) -> i64;
    /// A new object (0: MemoryError is pending). May collect.
    fn new(&mut self, d: &SizeDescr) -> u64;
    /// A new array (0: MemoryError is pending). May collect.
    fn new_array(&mut self, d: &ArrayDescr, len: i64) -> u64;
    /// Calls `addr` with the arguments in the descriptor's order. May collect and raise.
    fn call(&mut self, addr: u64, d: &CallDescr, ints: &[i64], refs: &[u64], floats: &[u64]) -> u64;
    /// The pending exception: (class vtable, instance); (0, 0) when none.
    fn exception(&mut self) -> (u64, u64);
    fn set_exception(&mut self, cls: u64, value: u64);
    fn clear_exception(&mut self);
    /// The class (vtable address) of an instance.
    fn class_of(&mut self, obj: u64) -> u64;
    /// Whether class `sub` is `cls` or a subclass of it.
    fn is_subclass(&mut self, sub: u64, cls: u64) -> bool;
    /// Whether objects may move at a collection (the tracer then reads its references
    /// back from the roots it pushed around an operation that may collect).
    fn moving(&self) -> bool;
    /// Whether this machine is the runtime itself (`cpu::Cpu`): a failed guard's frames
    /// then run in the blackhole interpreter, which works on the runtime directly. On
    /// a model (tests) the tracer runs them without recording instead.
    fn is_runtime(&self) -> bool {
        false
    }
    /// Makes `slots[..len]` GC roots until [`Machine::pop_roots`] (nested).
    ///
    /// # Safety
    /// `slots` stays valid and in place until the matching `pop_roots`.
    unsafe fn push_roots(&mut self, slots: *mut u64, len: usize);
    fn pop_roots(&mut self);
}

/// One register: its concrete value (ints as `i64` bits, floats as bits, references as
/// addresses) and its value in the trace.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reg {
    pub c: u64,
    pub t: Value,
}

impl Reg {
    pub fn constant(c: Const) -> Reg {
        let bits = match c {
            Const::Int(v) => v as u64,
            Const::Float(b) => b,
            Const::Ref(a) => a,
        };
        Reg { c: bits, t: Value::Const(c) }
    }

    pub fn zero(b: Bank) -> Reg {
        Reg::constant(zero_const(b))
    }

    pub fn is_const(&self) -> bool {
        matches!(self.t, Value::Const(_))
    }
}

pub fn zero_const(b: Bank) -> Const {
    match b {
        Bank::Int => Const::Int(0),
        Bank::Ref => Const::Ref(0),
        Bank::Float => Const::Float(0),
    }
}

/// The constant of bank `b` with these bits.
pub fn const_of(b: Bank, bits: u64) -> Const {
    match b {
        Bank::Int => Const::Int(bits as i64),
        Bank::Ref => Const::Ref(bits),
        Bank::Float => Const::Float(bits),
    }
}

/// Where a caller frame waits for its inlined callee.
#[derive(Clone, Debug)]
pub(crate) struct CallSite {
    /// Offset of the `inline_call_*`.
    pub pc: u32,
    /// Offset of the instruction after it.
    pub next: u32,
    pub result: Option<(Bank, u16)>,
    /// The `live` entry right after the call: the values resume data holds for this frame.
    pub live_after: Option<u16>,
}

/// One interpreter frame the tracer executes.
#[derive(Clone, Debug)]
pub(crate) struct TFrame {
    pub jitcode: u16,
    /// The next instruction to execute.
    pub pc: u32,
    pub regs: [Vec<Reg>; 3],
    /// The `live` entry executed last in this frame (a guard's resume point before it).
    pub last_live: Option<u16>,
    /// Set while a callee runs.
    pub call: Option<CallSite>,
}

/// Why [`Tracer::run`] stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum Stop {
    /// The outermost frame is at a `jit_merge_point` (not executed yet; its greens are
    /// constants by now): read [`Tracer::merge_values`], then close the trace or call
    /// [`Tracer::pass_merge_point`] and run on.
    MergePoint,
    /// The portal returned this value (bits; 0 for a void portal).
    Return(u64),
    /// An exception left the portal: it is pending in the machine's exception state.
    Raise,
}

/// One slot of the portal's merge-point values (`kiln_jit_values`): the greens, then the
/// reds, each group by bank (ints, refs, floats) in the order the `jit_merge_point`
/// instruction lists them. The trace's input boxes and `jump` arguments are the reds in
/// this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MergeSlot {
    pub bank: Bank,
    /// The operand: a register, or a constant of the portal jitcode.
    pub operand: u16,
    pub green: bool,
}

/// The slots of a decoded `jit_merge_point` (see [`MergeSlot`]), and the driver number.
pub fn merge_slots(d: &insn::Decoded) -> Result<(u8, Vec<MergeSlot>), String> {
    let mut out = Vec::new();
    let mut driver = 0;
    for (k, a) in d.args.iter().enumerate() {
        match a {
            DecodedArg::Imm(x) => driver = *x,
            DecodedArg::List(b, regs) if (1..=6).contains(&k) => out.extend(regs.iter().map(|&r| MergeSlot { bank: *b, operand: r, green: k <= 3 })),
            _ => return Err("malformed jit_merge_point".into()),
        }
    }
    Ok((driver, out))
}

/// The portal jitcode of driver `driver` and its `jit_merge_point` (one merge point per
/// driver).
pub fn find_merge_point(prog: &Program, driver: u32) -> Result<(u16, insn::Decoded), String> {
    let portal = prog.set.portal(driver).ok_or_else(|| format!("no portal of driver {driver}"))?.jitcode;
    let jc = prog.set.jitcodes.get(portal as usize).ok_or("the portal's jitcode does not exist")?;
    let all = insn::decode_all(&jc.code)?;
    let ours = |d: &insn::Decoded| d.opcode.name() == "jit_merge_point" && matches!(d.args.first(), Some(DecodedArg::Imm(x)) if u32::from(*x) == driver);
    let d = all.into_iter().find(ours).ok_or("the portal has no jit_merge_point of its driver")?;
    Ok((portal, d))
}

/// A trace being recorded, and the frames it executes.
pub struct Tracer<'p, M: Machine> {
    pub(crate) prog: &'p Program,
    pub(crate) m: &'p mut M,
    pub trace: Trace,
    pub descrs: DescrTable,
    pub(crate) frames: Vec<TFrame>,
    /// Whether ops are still recorded; false after an abort (the execution goes on).
    pub recording: bool,
    /// Why recording stopped.
    pub abort_reason: Option<String>,
    /// Whether a `loop_header` (`can_enter_jit`) ran since the last merge point the
    /// warm-up loop looked at ([`Tracer::take_loop_header`]).
    pub(crate) seen_loop_header: bool,
    pub(crate) limit: usize,
    /// The exception being dispatched or handled: its class and instance.
    pub(crate) exc: Option<(u64, Reg)>,
    /// The offset of the instruction being executed.
    pub(crate) cur_pc: u32,
    /// The input boxes (the reds at the start).
    pub inputs: Vec<BoxId>,
    /// The greens at the start (concrete values, in slot order).
    pub start_greens: Vec<u64>,
    pub token: DescrId,
    pub(crate) slots: Vec<MergeSlot>,
    /// An exception is pending in the machine and must be dispatched before going on
    /// (a resumed guard after a call that raised).
    pub(crate) pending: bool,
    /// The distinct reference constants of the recorded trace, rooted around every
    /// operation that may collect (see [`Tracer::collecting`]).
    pub(crate) consts: TraceRefs,
    /// Whether [`Tracer::location`] calls the driver's `get_printable_location` (only
    /// when the JIT log is written: the call runs the interpreter's code).
    pub printable: bool,
}

/// The reference constants the trace holds, found incrementally: the ops and elidable
/// results after `ops`/`pure` are not scanned yet. Rooting them costs their number, not
/// the trace's length, so tracing stays linear however many calls may collect.
#[derive(Default)]
pub(crate) struct TraceRefs {
    refs: Vec<u64>,
    seen: std::collections::HashSet<u64>,
    ops: usize,
    pure: usize,
}

impl TraceRefs {
    fn add(&mut self, a: u64) {
        if a != 0 && self.seen.insert(a) {
            self.refs.push(a);
        }
    }

    /// Scans what the trace gained since the last call (all of it if it shrank).
    fn scan(&mut self, trace: &Trace) {
        if trace.ops.len() < self.ops || trace.pure_results.len() < self.pure {
            *self = TraceRefs::default();
        }
        for op in &trace.ops[self.ops..] {
            for v in &op.args {
                if let Value::Const(Const::Ref(a)) = v {
                    self.add(*a);
                }
            }
            if let Some(r) = op.resume() {
                r.for_each_value(&mut |v| {
                    if let Value::Const(Const::Ref(a)) = v {
                        self.add(a);
                    }
                });
            }
        }
        for p in &trace.pure_results[self.pure..] {
            for a in p.args.iter().chain(std::iter::once(&p.result)) {
                if let Const::Ref(x) = a {
                    self.add(*x);
                }
            }
        }
        self.ops = trace.ops.len();
        self.pure = trace.pure_results.len();
    }
}

impl<'p, M: Machine> Tracer<'p, M> {
    /// Starts a trace at the merge point of driver `driver`'s portal with `values`
    /// (greens then reds, see [`MergeSlot`]): the greens become constants, the reds the
    /// input boxes, and the trace begins with `label(reds, TargetToken(token))`.
    pub fn start(prog: &'p Program, m: &'p mut M, driver: u32, base_descrs: &DescrTable, token: u32, limit: usize, values: &[u64]) -> Result<Tracer<'p, M>, String> {
        let (portal, d) = find_merge_point(prog, driver)?;
        let (_, slots) = merge_slots(&d)?;
        if values.len() != slots.len() {
            return Err(format!("the merge point has {} greens and reds, {} values were passed", slots.len(), values.len()));
        }
        let jc = &prog.set.jitcodes[portal as usize];
        let regs = [0, 1, 2].map(|b| vec![Reg::zero(Bank::ALL[b]); jc.num_regs[b] as usize]);
        let mut descrs = base_descrs.clone();
        let token = descrs.target(token);
        let mut t = Tracer {
            prog,
            m,
            trace: Trace::default(),
            descrs,
            frames: vec![TFrame { jitcode: portal, pc: d.next, regs, last_live: None, call: None }],
            recording: true,
            seen_loop_header: false,
            printable: false,
            abort_reason: None,
            limit,
            exc: None,
            cur_pc: d.pc,
            inputs: vec![],
            start_greens: vec![],
            token,
            slots: slots.clone(),
            pending: false,
            consts: TraceRefs::default(),
        };
        for (s, &v) in slots.iter().zip(values) {
            if s.green {
                t.start_greens.push(v);
            }
            if !jc.is_register(s.bank, s.operand) {
                continue;
            }
            let tv = if s.green {
                Value::Const(const_of(s.bank, v))
            } else {
                let b = t.trace.new_box(bank_type(s.bank));
                t.inputs.push(b);
                Value::Box(b)
            };
            t.frames[0].regs[s.bank.index()][s.operand as usize] = Reg { c: v, t: tv };
        }
        t.trace.inputargs = t.inputs.clone();
        t.trace.ops.push(Op::new(OpCode::Label, t.inputs.iter().map(|&b| Value::Box(b)).collect(), None).with_descr(token));
        t.debug_merge_point();
        Ok(t)
    }

    /// A tracer that does not record, executing the frames of a failed guard from their
    /// resume positions (`resume::rebuild`) up to the next merge point of the portal:
    /// the blackhole interpreter's job, done by the tracer's own instructions. A pending
    /// exception (a guard after a call failed on it) is dispatched first.
    /// `slots` are the portal's merge-point slots (`merge_slots`).
    pub fn resume(prog: &'p Program, m: &'p mut M, frames: Vec<crate::resume::ResumedFrame>, slots: &[MergeSlot]) -> Result<Tracer<'p, M>, String> {
        Tracer::resume_inner(prog, m, frames, slots, None)
    }

    /// The same, recording a bridge: each resume value (of the guard's `types`, in order)
    /// is an input box of the trace, and the frames' live registers hold them.
    pub fn resume_recording(prog: &'p Program, m: &'p mut M, frames: Vec<crate::resume::ResumedFrame>, slots: &[MergeSlot], descrs: &DescrTable, limit: usize, types: &[Type]) -> Result<Tracer<'p, M>, String> {
        Tracer::resume_inner(prog, m, frames, slots, Some((descrs, limit, types)))
    }

    fn resume_inner(prog: &'p Program, m: &'p mut M, frames: Vec<crate::resume::ResumedFrame>, slots: &[MergeSlot], record: Option<(&DescrTable, usize, &[Type])>) -> Result<Tracer<'p, M>, String> {
        let slots = slots.to_vec();
        let n = frames.len();
        let mut tf = Vec::new();
        let mut trace = Trace::default();
        let mut inputs = Vec::new();
        for (i, f) in frames.into_iter().enumerate() {
            let regs = [0, 1, 2].map(|b| f.regs[b].iter().map(|&c| Reg::constant(const_of(Bank::ALL[b], c))).collect());
            let mut frame = TFrame { jitcode: f.jitcode, pc: f.pc, regs, last_live: Some(f.live_entry), call: None };
            if i + 1 < n {
                let jc = prog.set.jitcodes.get(f.jitcode as usize).ok_or("no such jitcode")?;
                let call = insn::decode(&jc.code, f.pc)?;
                frame.call = Some(CallSite { pc: call.pc, next: call.next, result: call.result, live_after: Some(f.live_entry) });
                frame.pc = call.next;
            }
            if let Some((_, _, types)) = record {
                for (&(b, r), &constant) in f.live.iter().zip(&f.constant) {
                    let ty = *types.get(inputs.len()).ok_or("fewer guard values than resume values")?;
                    if ty != bank_type(b) {
                        return Err("a guard value of another type than its register".into());
                    }
                    let bx = trace.new_box(ty);
                    inputs.push(bx);
                    // A value the guard's resume data holds as a constant is that
                    // constant at every failure: the bridge folds it (a green such as the
                    // interpreter's position stays green). The register already holds
                    // it, as the dead frame's word (where a moving collector put it).
                    if !constant {
                        frame.regs[b.index()][r as usize].t = Value::Box(bx);
                    }
                }
            }
            tf.push(frame);
        }
        if tf.is_empty() {
            return Err("resume data without frames".into());
        }
        if record.is_some() && inputs.len() != record.map_or(0, |r| r.2.len()) {
            return Err("more guard values than resume values".into());
        }
        trace.inputargs = inputs.clone();
        let mut t = Tracer {
            prog,
            m,
            trace,
            descrs: record.map_or_else(DescrTable::new, |r| r.0.clone()),
            frames: tf,
            recording: record.is_some(),
            seen_loop_header: false,
            printable: false,
            abort_reason: if record.is_some() { None } else { Some("resuming a guard".into()) },
            limit: record.map_or(0, |r| r.1),
            exc: None,
            cur_pc: 0,
            inputs,
            start_greens: vec![],
            token: DescrId(0),
            slots,
            pending: false,
            consts: TraceRefs::default(),
        };
        t.pending = t.m.exception().0 != 0;
        Ok(t)
    }

    pub(crate) fn frame(&self) -> &TFrame {
        self.frames.last().expect("the tracer always has a frame")
    }

    pub(crate) fn frame_mut(&mut self) -> &mut TFrame {
        self.frames.last_mut().expect("the tracer always has a frame")
    }

    pub(crate) fn jitcode(&self, f: &TFrame) -> &'p kiln_jitcode::JitCode {
        &self.prog.set.jitcodes[f.jitcode as usize]
    }

    /// The value of operand `r` of bank `b` in the current frame: a register or one of
    /// the jitcode's constants.
    pub(crate) fn get(&self, b: Bank, r: u16) -> Result<Reg, String> {
        let f = self.frame();
        let jc = self.jitcode(f);
        let n = jc.num_regs[b.index()];
        if r < n {
            return f.regs[b.index()].get(r as usize).copied().ok_or_else(|| format!("register %{}{r} out of range", b.letter()));
        }
        let k = (r - n) as usize;
        let c = match b {
            Bank::Int => match jc.consts_i.get(k) {
                Some(IntConst::Value(v)) => Const::Int(*v),
                Some(IntConst::Addr(s)) => Const::Int(*self.prog.addrs.get(*s as usize).ok_or("symbol out of range")? as i64),
                None => return Err(format!("int constant {k} out of range")),
            },
            Bank::Ref => match jc.consts_r.get(k) {
                Some(RefConst::Null) => Const::Ref(0),
                Some(RefConst::Static(s)) => Const::Ref(*self.prog.addrs.get(*s as usize).ok_or("symbol out of range")?),
                None => return Err(format!("ref constant {k} out of range")),
            },
            Bank::Float => Const::Float(*jc.consts_f.get(k).ok_or_else(|| format!("float constant {k} out of range"))?),
        };
        Ok(Reg::constant(c))
    }

    pub(crate) fn set(&mut self, b: Bank, r: u16, v: Reg) -> Result<(), String> {
        let slot = self.frame_mut().regs[b.index()].get_mut(r as usize).ok_or_else(|| format!("result register %{}{r} out of range", b.letter()))?;
        *slot = v;
        Ok(())
    }

    /// Stops recording (the execution goes on to the next merge point).
    pub fn abort(&mut self, reason: impl Into<String>) {
        if self.recording {
            self.recording = false;
            self.abort_reason = Some(reason.into());
        }
    }

    fn check_limit(&mut self) {
        if self.recording && self.trace.ops.len() >= self.limit {
            self.abort("trace too long");
        }
    }

    /// Records an op with a fresh result box of type `ty`; `None` when not recording.
    pub(crate) fn record(&mut self, op: OpCode, args: Vec<Value>, descr: Option<DescrId>, ty: Option<Type>) -> Option<BoxId> {
        if !self.recording {
            return None;
        }
        let result = ty.map(|t| self.trace.new_box(t));
        let mut o = Op::new(op, args, result);
        o.descr = descr;
        self.trace.ops.push(o);
        self.check_limit();
        result
    }

    /// The register for a result: a constant when `fold`, else a recorded op's box.
    pub(crate) fn result(&mut self, b: Bank, c: u64, op: OpCode, args: Vec<Value>, descr: Option<DescrId>) -> Reg {
        match self.record(op, args, descr, Some(bank_type(b))) {
            Some(bx) => Reg { c, t: Value::Box(bx) },
            None => Reg::constant(const_of(b, c)),
        }
    }

    pub(crate) fn record_guard(&mut self, op: OpCode, args: Vec<Value>, resume: ResumeData, result: Option<Type>) -> Option<BoxId> {
        if !self.recording {
            return None;
        }
        let r = result.map(|t| self.trace.new_box(t));
        let mut o = Op::new(op, args, r);
        o.extra = OpExtra::Resume(Box::new(resume));
        self.trace.ops.push(o);
        self.check_limit();
        r
    }

    fn live_values(&self, f: &TFrame, live: u16) -> Result<Vec<ResumeValue>, String> {
        let jc = self.jitcode(f);
        let l = jc.liveness.get(live as usize).ok_or("liveness entry out of range")?;
        let mut out = Vec::new();
        for b in Bank::ALL {
            for &r in &l.regs[b.index()] {
                let v = f.regs[b.index()].get(r as usize).ok_or("live register out of range")?;
                out.push(ResumeValue::Value(v.t));
            }
        }
        Ok(out)
    }

    /// Resume data whose innermost frame resumes at `pc` with the registers of `live`.
    pub(crate) fn snapshot(&self, pc: u32, live: u16) -> Result<ResumeData, String> {
        let mut frames = Vec::new();
        let n = self.frames.len();
        for (k, f) in self.frames.iter().enumerate() {
            let (pc, live) = if k + 1 == n {
                (pc, live)
            } else {
                let site = f.call.as_ref().ok_or("an outer frame without a call site")?;
                (site.pc, site.live_after.ok_or("no `live` after an inline call")?)
            };
            frames.push(FrameSnapshot { pos: Some(ResumePos { jitcode: f.jitcode as u32, pc }), values: self.live_values(f, live)? });
        }
        Ok(ResumeData { frames, virtuals: vec![] })
    }

    /// Resume data for a guard produced by the instruction being executed: it is
    /// re-executed with the values of the `live` just before it.
    pub(crate) fn snapshot_here(&self) -> Result<ResumeData, String> {
        let live = self.frame().last_live.ok_or("a guard without a `live` before it")?;
        self.snapshot(self.cur_pc, live)
    }

    /// Resume data after a call: at `next` (the `live` after the call), with its values.
    pub(crate) fn snapshot_after_call(&self, next: u32) -> Result<ResumeData, String> {
        let live = self.live_at(self.frame(), next).ok_or("no `live` after a call")?;
        self.snapshot(next, live)
    }

    /// The `live` entry of the instruction at `pc` of `f`'s jitcode, if it is a `live`.
    pub(crate) fn live_at(&self, f: &TFrame, pc: u32) -> Option<u16> {
        let d = insn::decode(&self.jitcode(f).code, pc).ok()?;
        match (d.opcode.name(), d.args.first()) {
            ("live", Some(DecodedArg::Live(t))) => Some(*t),
            _ => None,
        }
    }

    /// Records a guard made by the current instruction; recording stops when its resume
    /// data cannot be built.
    pub(crate) fn guard_here(&mut self, op: OpCode, args: Vec<Value>) {
        if !self.recording {
            return;
        }
        match self.snapshot_here() {
            Ok(r) => {
                self.record_guard(op, args, r, None);
            }
            Err(e) => self.abort(e),
        }
    }

    /// Makes `v` a constant by a `guard_value` (the current instruction's resume point),
    /// replacing its box everywhere in the frames.
    pub(crate) fn promote(&mut self, b: Bank, v: Reg) -> Reg {
        let Value::Box(bx) = v.t else { return v };
        let c = const_of(b, v.c);
        self.guard_here(OpCode::GuardValue, vec![Value::Box(bx), Value::Const(c)]);
        let new = Reg::constant(c);
        for f in &mut self.frames {
            for r in f.regs[b.index()].iter_mut() {
                if r.t == Value::Box(bx) {
                    *r = new;
                }
            }
        }
        new
    }

    pub(crate) fn debug_merge_point(&mut self) {
        if !self.recording {
            return;
        }
        let depth = self.frames.len() as i64 - 1;
        let loc = self.location();
        let mut o = Op::new(OpCode::DebugMergePoint, vec![Value::int(0), Value::int(depth)], None);
        o.extra = OpExtra::Location(loc.into_boxed_str());
        self.trace.ops.push(o);
    }

    /// The printable location of the current merge point: the driver (of the outermost
    /// frame's portal), then what its `get_printable_location` returns for the greens
    /// when [`Tracer::printable`] is set (`<error>` if it raised), else the greens.
    pub fn location(&mut self) -> String {
        let portal = self.frames.first().and_then(|f| self.prog.set.portal_at(f.jitcode));
        let driver = portal.map_or("portal", |p| p.driver.as_str()).to_string();
        if self.printable {
            if let Some(pr) = portal.and_then(|p| p.printable.clone()) {
                if let Some(text) = self.call_printable(&pr) {
                    return format!("{driver}: {text}");
                }
            }
        }
        let parts: Vec<String> = self
            .slots
            .iter()
            .filter(|s| s.green)
            .map(|s| self.get(s.bank, s.operand).map_or_else(|_| "?".to_string(), |r| fmt_green(s.bank, r.c)))
            .collect();
        format!("{driver}: {}", parts.join(", "))
    }

    /// Turns [`Tracer::printable`] on or off; the `debug_merge_point` a fresh trace
    /// starts with gets the location in the new form.
    pub fn set_printable(&mut self, on: bool) {
        self.printable = on;
        if on && self.recording && matches!(self.trace.ops.last(), Some(o) if o.opcode == OpCode::DebugMergePoint) {
            let loc = self.location();
            if let Some(o) = self.trace.ops.last_mut() {
                o.extra = OpExtra::Location(loc.into_boxed_str());
            }
        }
    }

    /// Calls the driver's `get_printable_location` with the greens of the merge point
    /// (through the CPU layer's trampolines, the tracer's references rooted: it may
    /// allocate) and reads the string it returns. `None` when it cannot be called here
    /// (a model machine, an exception already pending, a malformed descriptor).
    fn call_printable(&mut self, pr: &kiln_jitcode::Printable) -> Option<String> {
        if !self.m.is_runtime() || self.m.exception().0 != 0 {
            return None;
        }
        let addr = *self.prog.addrs.get(pr.symbol as usize)?;
        let name = self.prog.set.symbols.get(pr.symbol as usize)?.name.clone();
        let greens: Vec<MergeSlot> = self.slots.iter().filter(|s| s.green).cloned().collect();
        let mut args = Vec::with_capacity(pr.greens.len());
        let (mut ints, mut refs, mut floats) = (Vec::new(), Vec::new(), Vec::new());
        for &g in &pr.greens {
            let s = greens.get(usize::from(g))?;
            let v = self.get(s.bank, s.operand).ok()?.c;
            args.push(s.bank);
            match s.bank {
                Bank::Int => ints.push(v as i64),
                Bank::Ref => refs.push(v),
                Bank::Float => floats.push(v),
            }
        }
        let cd = CallDescr {
            args,
            result: Some(Bank::Ref),
            target: kiln_jitcode::CallTarget::Func(name),
            effect: kiln_jitcode::EffectInfo { can_raise: true, can_collect: true, ..Default::default() },
            oopspec: None,
        };
        let s = self.collecting(|m| m.call(addr, &cd, &ints, &refs, &floats));
        if self.m.exception().0 != 0 {
            self.m.clear_exception();
            return Some("<error>".into());
        }
        if s == 0 {
            return Some("None".into());
        }
        // SAFETY: the function returns an RPy str (the annotator checked it), read at
        // once, before anything else may allocate.
        let text = unsafe {
            let rs = s as *const kiln_abi::RStr;
            let len = usize::try_from((*rs).length).ok()?;
            let bytes = std::slice::from_raw_parts(core::ptr::addr_of!((*rs).chars) as *const u8, len);
            String::from_utf8_lossy(bytes).into_owned()
        };
        Some(text)
    }

    /// The outermost frame is at its merge point: the values of its greens and reds, in
    /// slot order.
    pub fn merge_values(&self) -> Result<Vec<u64>, String> {
        let slots = self.slots.clone();
        slots.iter().map(|s| self.get(s.bank, s.operand).map(|r| r.c)).collect()
    }

    /// The reds' trace values at the merge point (what a `jump` passes).
    fn red_values(&self) -> Result<Vec<Value>, String> {
        let mut out = Vec::new();
        let f = self.frame();
        for s in self.slots.iter().filter(|s| !s.green) {
            if self.jitcode(f).is_register(s.bank, s.operand) {
                out.push(self.get(s.bank, s.operand)?.t);
            }
        }
        Ok(out)
    }

    /// Ends the trace at the merge point with a `jump` to `target` (this trace's own
    /// label, or another loop's) and returns it.
    pub fn close(&mut self, target: DescrId) -> Result<Trace, String> {
        let reds = self.red_values()?;
        self.trace.ops.push(Op::new(OpCode::Jump, reds, None).with_descr(target));
        Ok(std::mem::take(&mut self.trace))
    }

    /// The references in registers (concrete and constant) and the exception.
    fn for_each_reg_ref(&mut self, f: &mut dyn FnMut(&mut u64)) {
        for fr in &mut self.frames {
            for r in fr.regs[Bank::Ref.index()].iter_mut() {
                visit_reg(r, f);
            }
        }
        if let Some((_, r)) = &mut self.exc {
            visit_reg(r, f);
        }
    }

    /// The reference constants of the recorded trace (ops, snapshots, elidable results).
    fn for_each_trace_ref(&mut self, f: &mut dyn FnMut(&mut u64)) {
        for op in &mut self.trace.ops {
            op.map_uses(|v| match v {
                Value::Const(Const::Ref(mut a)) if a != 0 => {
                    f(&mut a);
                    Value::Const(Const::Ref(a))
                }
                v => v,
            });
        }
        for p in &mut self.trace.pure_results {
            for a in p.args.iter_mut().chain(std::iter::once(&mut p.result)) {
                if let Const::Ref(x) = a {
                    f(x);
                }
            }
        }
    }

    /// Runs `op` (which may collect) with every reference the tracer holds rooted, and
    /// puts back where a moving collector put them. Every collector needs the roots: the
    /// tracer's registers may hold the only reference to an object (one it allocated, or
    /// popped from a list), which a non-moving collector (marksweep) would free.
    pub(crate) fn collecting<R>(&mut self, op: impl FnOnce(&mut M) -> R) -> R {
        // The registers and the exception, then the trace's distinct constants.
        let mut slots = Vec::new();
        self.for_each_reg_ref(&mut |a| slots.push(*a));
        let n_regs = slots.len();
        self.consts.scan(&self.trace);
        slots.extend_from_slice(&self.consts.refs);
        // SAFETY: `slots` is neither moved nor resized until `pop_roots`.
        unsafe { self.m.push_roots(slots.as_mut_ptr(), slots.len()) };
        let r = op(self.m);
        self.m.pop_roots();
        if self.m.moving() {
            let mut it = slots[..n_regs].iter();
            self.for_each_reg_ref(&mut |a| *a = it.next().copied().unwrap_or(*a));
            // Constants that moved are rewritten in the trace (rare: an object moves
            // once under incminimark, at each collection under semispace).
            let moved: std::collections::HashMap<u64, u64> = self.consts.refs.iter().zip(&slots[n_regs..]).filter(|(a, b)| a != b).map(|(&a, &b)| (a, b)).collect();
            if !moved.is_empty() {
                self.for_each_trace_ref(&mut |a| {
                    if let Some(&b) = moved.get(a) {
                        *a = b;
                    }
                });
                self.consts = TraceRefs::default();
            }
        }
        r
    }
}

fn visit_reg(r: &mut Reg, f: &mut dyn FnMut(&mut u64)) {
    if r.c != 0 {
        f(&mut r.c);
    }
    if let Value::Const(Const::Ref(a)) = &mut r.t {
        if *a != 0 {
            f(a);
        }
    }
}

fn fmt_green(b: Bank, bits: u64) -> String {
    match b {
        Bank::Int => (bits as i64).to_string(),
        Bank::Ref => format!("0x{bits:x}"),
        Bank::Float => f64::from_bits(bits).to_string(),
    }
}
