//! The blackhole interpreter: executes jitcodes on real values without recording
//! (RPython's `blackhole.py`). It finishes what compiled code or the tracer could not:
//! [`resume`] continues from a failing guard's resume position (Contract 3, docs/jit.md)
//! and [`run_from_merge_point`] runs one iteration of the portal from its merge point
//! (`KILN_JIT_DEBUG=blackhole` runs a whole program that way). Both stop when the
//! outermost (portal) frame reaches its `jit_merge_point` again (`Restart`, the greens and
//! reds written to the values), returns (`Return`), or lets an exception out (`Raise`,
//! left pending).
//!
//! - Frames live on a `Vec` (inline calls do not recurse in Rust), each with three
//!   register banks; an operand at or past a bank's register count names a constant. A
//!   caller's `pc` stays on its `inline_call_*` while the callee runs: the return
//!   decodes it for the result register and continues after it.
//! - Memory, allocation, calls and the exception state go through [`crate::cpu`]. Every
//!   reference register of every frame, and each frame's caught exception, is a GC root
//!   (`roots.rs`) while the interpreter runs.
//! - Exceptions: an instruction that raised (a call, an allocation) is followed, after
//!   its `live`, by `catch_exception L` when the graph catches there; the exception is
//!   then taken from the runtime's state into the frame (`last_exception`,
//!   `last_exc_value`, `goto_if_exception_mismatch` and `reraise` read it) and execution
//!   goes to `L`. Otherwise the frame is left and the caller dispatches it the same way
//!   at its `inline_call_*`. `raise`/`reraise` leave their frame at once.
//! - Hints: `*_guard_value`, `*_assert_green`, `loop_header` do nothing,
//!   `str_guard_value` is the identity, `*_isconstant`/`ref_isvirtual` are false, a
//!   `jit_merge_point` of an inner frame (an inlined recursive portal call) does nothing.
//! - Depth: more than [`MAX_DEPTH`] frames raise `RecursionError`, as the translated
//!   code's stack check does.
//!
//! A malformed jitcode (the compiler's bug, never the user's) stops the process with a
//! message: continuing would compute something else than the program.

use std::collections::HashMap;
use std::rc::Rc;

use kiln_jitcode::{insn, Bank, Decoded, DecodedArg, JitCode};

use crate::{cpu, roots, Outcome, Program};

/// Frames deeper than this raise `RecursionError`.
pub const MAX_DEPTH: usize = 20_000;

/// One interpreter frame: a jitcode, a position and three register banks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BhFrame {
    pub jitcode: u16,
    pub pc: u32,
    pub ints: Vec<i64>,
    pub refs: Vec<u64>,
    pub floats: Vec<u64>,
}

impl BhFrame {
    /// A frame at the start of `jitcode` with every register zero.
    pub fn new(p: &Program, jitcode: u16) -> BhFrame {
        let n = p.set.jitcodes.get(jitcode as usize).map_or([0; 3], |j| j.num_regs);
        BhFrame { jitcode, pc: 0, ints: vec![0; n[0] as usize], refs: vec![0; n[1] as usize], floats: vec![0; n[2] as usize] }
    }
}

/// Resumes execution at `frames` (outermost first; Contract 3) until the portal frame
/// reaches its merge point, returns, or raises. An exception pending on entry is
/// dispatched from the innermost frame's `pc` (a guard after a call that raised).
pub fn resume(p: &Program, frames: Vec<BhFrame>, values: &mut [u64]) -> Outcome {
    resume_with(p, frames, values, &mut CodeCache::default())
}

/// The jitcodes of one program as the blackhole interpreter decodes them, kept from one
/// run to the next: decoding a jitcode costs more than resuming most guards.
#[derive(Default)]
pub struct CodeCache {
    codes: Vec<Option<Rc<Code>>>,
}

/// [`resume`], with the decoded jitcodes of earlier runs on the same program.
pub fn resume_with(p: &Program, frames: Vec<BhFrame>, values: &mut [u64], cache: &mut CodeCache) -> Outcome {
    let mut bh = Box::new(Blackhole::new(p, frames));
    if cache.codes.len() == bh.codes.len() {
        std::mem::swap(&mut bh.codes, &mut cache.codes);
    }
    let _roots = bh.root();
    let r = (|| {
        bh.check_frames()?;
        if cpu::exc_pending(p).is_some() {
            let pc = bh.top()?.pc;
            if let Some(out) = bh.dispatch_exception(pc)? {
                return Ok(out);
            }
        }
        bh.run(values)
    })();
    let out = r.unwrap_or_else(|e| fatal(&e));
    std::mem::swap(&mut bh.codes, &mut cache.codes);
    out
}

/// Starts the portal at its `jit_merge_point` of `driver` with the greens and reds in
/// `values` and runs one iteration: until the portal reaches the merge point again
/// (`Restart`, new values written), returns or raises.
pub fn run_from_merge_point(p: &Program, driver: u32, values: &mut [u64]) -> Outcome {
    run_from_merge_point_with(p, driver, values, &mut DebugCache::default())
}

/// What [`run_from_merge_point`] decodes, kept from one merge point to the next in
/// `KILN_JIT_DEBUG=blackhole` mode: each driver's merge point (its portal, slots and the
/// position after it) and the decoded jitcodes. Without it every merge point decoded the
/// portal's jitcode twice and every jitcode the iteration entered again, which made
/// Lisp's tests (a large portal, a merge point per evaluated node) take many minutes.
#[derive(Default)]
pub struct DebugCache {
    codes: CodeCache,
    merge_points: HashMap<u32, (u16, Rc<[(Bank, u16)]>, u32)>,
}

fn run_from_merge_point_with(p: &Program, driver: u32, values: &mut [u64], cache: &mut DebugCache) -> Outcome {
    let r = (|| {
        let (portal, slots, next) = match cache.merge_points.get(&driver) {
            Some(x) => x.clone(),
            None => {
                let portal = p.set.portal(driver).ok_or_else(|| format!("no portal of driver {driver}"))?.jitcode;
                let jc = p.set.jitcodes.get(portal as usize).ok_or("no portal jitcode")?;
                let mp = find_merge_point(jc, driver)?;
                let x = (portal, Rc::from(merge_slots(p, &mp)?), mp.next);
                cache.merge_points.insert(driver, x.clone());
                x
            }
        };
        let jc = p.set.jitcodes.get(portal as usize).ok_or("no portal jitcode")?;
        if slots.len() != values.len() {
            return Err(format!("the merge point has {} greens and reds, {} values were passed", slots.len(), values.len()));
        }
        let mut frame = BhFrame::new(p, portal);
        for (&(bank, reg), &v) in slots.iter().zip(values.iter()) {
            if jc.is_register(bank, reg) {
                match bank {
                    Bank::Int => frame.ints[reg as usize] = v as i64,
                    Bank::Ref => frame.refs[reg as usize] = v,
                    Bank::Float => frame.floats[reg as usize] = v,
                }
            }
        }
        frame.pc = next;
        let mut bh = Box::new(Blackhole::new(p, vec![frame]));
        if cache.codes.codes.len() == bh.codes.len() {
            std::mem::swap(&mut bh.codes, &mut cache.codes.codes);
        }
        let _roots = bh.root();
        let out = bh.run(values);
        std::mem::swap(&mut bh.codes, &mut cache.codes.codes);
        out
    })();
    r.unwrap_or_else(|e| fatal(&e))
}

/// Whether `KILN_JIT_DEBUG=blackhole` is set: every merge point then runs the next
/// iteration in the blackhole interpreter instead of counting (read once).
pub fn debug_mode() -> bool {
    static MODE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *MODE.get_or_init(|| std::env::var("KILN_JIT_DEBUG").is_ok_and(|v| v.split(',').any(|x| x.trim() == "blackhole")))
}

/// `MetaInterp::merge_point` in `KILN_JIT_DEBUG=blackhole` mode: one iteration in the
/// blackhole interpreter, with the root registry as the runtime's root source.
pub fn debug_merge_point(p: &Program, driver: u32, values: &mut [u64]) -> Outcome {
    thread_local! {
        static CACHE: std::cell::RefCell<DebugCache> = std::cell::RefCell::new(DebugCache::default());
    }
    roots::install(p.rt);
    // Taken out for the iteration: a merge point reached inside it (a residual call of
    // the portal) finds an empty cache, which is correct, only slower.
    let mut cache = CACHE.with(|c| std::mem::take(&mut *c.borrow_mut()));
    let out = run_from_merge_point_with(p, driver, values, &mut cache);
    CACHE.with(|c| *c.borrow_mut() = cache);
    out
}

fn fatal(msg: &str) -> ! {
    eprintln!("kiln: internal error in the JIT's blackhole interpreter: {msg}");
    std::process::abort()
}

/// The portal's `jit_merge_point` of `driver`.
fn find_merge_point(jc: &JitCode, driver: u32) -> Result<Decoded, String> {
    for d in insn::decode_all(&jc.code)? {
        if d.opcode.name() == "jit_merge_point" && d.args.first() == Some(&DecodedArg::Imm(driver as u8)) {
            return Ok(d);
        }
    }
    Err(format!("the portal has no jit_merge_point of driver {driver}"))
}

/// The operands of a `jit_merge_point`, in the order of the values (Contract 1): the
/// tracer's `merge_slots` order, so that both read and write the values alike.
pub fn merge_slots(p: &Program, d: &Decoded) -> Result<Vec<(Bank, u16)>, String> {
    let _ = p;
    let (_, slots) = crate::tracer::merge_slots(d)?;
    Ok(slots.into_iter().map(|s| (s.bank, s.operand)).collect())
}

/// A decoded jitcode: instructions by position (RPython decodes as it goes; decoding
/// once per run keeps the loop simple).
struct Code {
    insns: Vec<Decoded>,
    /// `at[pc]` is the index in `insns` of the instruction at `pc`, `u32::MAX` elsewhere.
    at: Vec<u32>,
}

impl Code {
    fn new(jc: &JitCode) -> Result<Code, String> {
        let insns = insn::decode_all(&jc.code)?;
        let mut at = vec![u32::MAX; jc.code.len() + 1];
        for (k, d) in insns.iter().enumerate() {
            at[d.pc as usize] = k as u32;
        }
        Ok(Code { insns, at })
    }

    fn get(&self, pc: u32) -> Result<&Decoded, String> {
        match self.at.get(pc as usize) {
            Some(&k) if k != u32::MAX => Ok(&self.insns[k as usize]),
            _ => Err(format!("no instruction at {pc}")),
        }
    }
}

struct Blackhole<'p> {
    p: &'p Program,
    frames: Vec<BhFrame>,
    /// The exception each frame caught (type, value), for its handler.
    caught: Vec<(u64, u64)>,
    codes: Vec<Option<Rc<Code>>>,
}

/// What one instruction did.
enum Step {
    Next,
    Jump(u32),
    /// Stop with this outcome.
    Stop(Outcome),
    /// The frame changed (a call pushed one, a return popped one, an exception moved
    /// execution): the loop re-reads the top frame.
    Frames,
}

type R<T> = Result<T, String>;

impl<'p> Blackhole<'p> {
    fn new(p: &'p Program, frames: Vec<BhFrame>) -> Blackhole<'p> {
        let n = frames.len();
        Blackhole { p, frames, caught: vec![(0, 0); n], codes: vec![None; p.set.jitcodes.len()] }
    }

    /// Registers every reference register and caught exception as GC roots.
    fn root(&mut self) -> roots::Rooted {
        let this: *mut Blackhole<'p> = self;
        let this = this as usize;
        roots::root_source(move |visit| {
            // SAFETY: the interpreter is boxed and outlives the token (dropped before it);
            // collections happen only inside calls the interpreter makes, between its
            // changes to the frame stack.
            let bh = unsafe { &mut *(this as *mut Blackhole<'_>) };
            for f in bh.frames.iter_mut() {
                for r in f.refs.iter_mut() {
                    visit(r);
                }
            }
            for (_, v) in bh.caught.iter_mut() {
                visit(v);
            }
        })
    }

    fn check_frames(&self) -> R<()> {
        if self.frames.is_empty() {
            return Err("resume with no frames".into());
        }
        for f in &self.frames {
            let jc = self.p.set.jitcodes.get(f.jitcode as usize).ok_or_else(|| format!("no jitcode {}", f.jitcode))?;
            if f.ints.len() != jc.num_regs[0] as usize || f.refs.len() != jc.num_regs[1] as usize || f.floats.len() != jc.num_regs[2] as usize {
                return Err(format!("a frame of {} with the wrong number of registers", jc.name));
            }
        }
        Ok(())
    }

    fn top(&self) -> R<&BhFrame> {
        self.frames.last().ok_or_else(|| "no frame".to_string())
    }

    fn code(&mut self, j: u16) -> R<Rc<Code>> {
        let slot = self.codes.get_mut(j as usize).ok_or_else(|| format!("no jitcode {j}"))?;
        if slot.is_none() {
            *slot = Some(Rc::new(Code::new(&self.p.set.jitcodes[j as usize])?));
        }
        Ok(slot.clone().expect("made above"))
    }

    fn jitcode(&self, j: u16) -> &'p JitCode {
        &self.p.set.jitcodes[j as usize]
    }

    // Operand access on the top frame.

    fn int(&self, r: u16) -> R<i64> {
        let f = self.frames.last().ok_or("no frame")?;
        let jc = self.jitcode(f.jitcode);
        let n = jc.num_regs[0];
        if r < n {
            f.ints.get(r as usize).copied().ok_or_else(|| format!("no int register {r}"))
        } else {
            jc.consts_i.get((r - n) as usize).map(|c| cpu::int_const(self.p, c)).ok_or_else(|| format!("no int constant {r}"))
        }
    }

    fn reff(&self, r: u16) -> R<u64> {
        let f = self.frames.last().ok_or("no frame")?;
        let jc = self.jitcode(f.jitcode);
        let n = jc.num_regs[1];
        if r < n {
            f.refs.get(r as usize).copied().ok_or_else(|| format!("no ref register {r}"))
        } else {
            jc.consts_r.get((r - n) as usize).map(|c| cpu::ref_const(self.p, c)).ok_or_else(|| format!("no ref constant {r}"))
        }
    }

    fn float(&self, r: u16) -> R<u64> {
        let f = self.frames.last().ok_or("no frame")?;
        let jc = self.jitcode(f.jitcode);
        let n = jc.num_regs[2];
        if r < n {
            f.floats.get(r as usize).copied().ok_or_else(|| format!("no float register {r}"))
        } else {
            jc.consts_f.get((r - n) as usize).copied().ok_or_else(|| format!("no float constant {r}"))
        }
    }

    fn get(&self, bank: Bank, r: u16) -> R<u64> {
        match bank {
            Bank::Int => self.int(r).map(|v| v as u64),
            Bank::Ref => self.reff(r),
            Bank::Float => self.float(r),
        }
    }

    fn set(&mut self, bank: Bank, r: u16, v: u64) -> R<()> {
        let f = self.frames.last_mut().ok_or("no frame")?;
        let slot = match bank {
            Bank::Int => f.ints.get_mut(r as usize).map(|s| s as *mut i64 as *mut u64),
            Bank::Ref => f.refs.get_mut(r as usize).map(|s| s as *mut u64),
            Bank::Float => f.floats.get_mut(r as usize).map(|s| s as *mut u64),
        };
        let slot = slot.ok_or_else(|| format!("a result in {bank}{r}, which is not a register"))?;
        // SAFETY: a register of the top frame, borrowed just above.
        unsafe { *slot = v };
        Ok(())
    }

    fn result(&mut self, d: &Decoded, v: u64) -> R<()> {
        let (b, r) = d.result.ok_or("an instruction without result register")?;
        self.set(b, r, v)
    }

    /// Runs until the portal frame stops.
    fn run(&mut self, values: &mut [u64]) -> R<Outcome> {
        loop {
            let (j, pc) = {
                let f = self.top()?;
                (f.jitcode, f.pc)
            };
            let code = self.code(j)?;
            let mut pc = pc;
            loop {
                let d = code.get(pc)?;
                match self.step(d, values)? {
                    Step::Next => pc = d.next,
                    Step::Jump(l) => pc = l,
                    Step::Stop(o) => return Ok(o),
                    Step::Frames => break,
                }
            }
        }
    }

    fn label(d: &Decoded, k: usize) -> R<u32> {
        match d.args.get(k) {
            Some(DecodedArg::Label(l)) => Ok(*l),
            _ => Err(format!("{} without label", d.opcode)),
        }
    }

    fn reg(d: &Decoded, k: usize) -> R<(Bank, u16)> {
        match d.args.get(k) {
            Some(DecodedArg::Reg(b, r)) => Ok((*b, *r)),
            _ => Err(format!("{} without register operand {k}", d.opcode)),
        }
    }

    fn list(d: &Decoded, k: usize) -> R<&[u16]> {
        match d.args.get(k) {
            Some(DecodedArg::List(_, l)) => Ok(l),
            _ => Err(format!("{} without list operand {k}", d.opcode)),
        }
    }

    fn descr(&self, d: &Decoded, k: usize) -> R<&'p kiln_jitcode::DescrKind> {
        match d.args.get(k) {
            Some(DecodedArg::Descr(i)) => self.p.set.descrs.get(*i as usize).map(|x| &x.kind).ok_or_else(|| format!("no descriptor {i}")),
            _ => Err(format!("{} without descriptor", d.opcode)),
        }
    }

    fn arg(&self, d: &Decoded, k: usize) -> R<u64> {
        let (b, r) = Self::reg(d, k)?;
        self.get(b, r)
    }

    /// Saves the position of the top frame (before anything that may switch frames).
    fn set_pc(&mut self, pc: u32) -> R<()> {
        self.frames.last_mut().ok_or("no frame")?.pc = pc;
        Ok(())
    }

    fn step(&mut self, d: &Decoded, values: &mut [u64]) -> R<Step> {
        use kiln_jitcode::DescrKind as K;
        let name = d.opcode.name();
        match name {
            "live" | "catch_exception" | "loop_header" | "int_guard_value" | "ref_guard_value" | "float_guard_value" | "int_assert_green" | "ref_assert_green" | "float_assert_green" => Ok(Step::Next),
            "goto" => Ok(Step::Jump(Self::label(d, 0)?)),
            "goto_if_not" => {
                if self.arg(d, 0)? == 0 {
                    Ok(Step::Jump(Self::label(d, 1)?))
                } else {
                    Ok(Step::Next)
                }
            }
            "switch" => {
                let v = self.arg(d, 0)? as i64;
                let Some(DecodedArg::Switch(cases)) = d.args.get(1) else { return Err("switch without cases".into()) };
                Ok(match cases.iter().find(|(x, _)| *x == v) {
                    Some((_, l)) => Step::Jump(*l),
                    None => Step::Next,
                })
            }
            "int_return" | "ref_return" | "float_return" => {
                let v = self.arg(d, 0)?;
                self.do_return(Some(v), values)
            }
            "void_return" => self.do_return(None, values),
            "goto_if_exception_mismatch" => {
                let cls = self.arg(d, 0)?;
                let (t, _) = *self.caught.last().ok_or("no frame")?;
                // SAFETY: both are vtables of the program.
                if unsafe { cpu::is_subclass(t, cls) } {
                    Ok(Step::Next)
                } else {
                    Ok(Step::Jump(Self::label(d, 1)?))
                }
            }
            "last_exception" => {
                let (t, _) = *self.caught.last().ok_or("no frame")?;
                self.result(d, t)?;
                Ok(Step::Next)
            }
            "last_exc_value" => {
                let (_, v) = *self.caught.last().ok_or("no frame")?;
                self.result(d, v)?;
                Ok(Step::Next)
            }
            "raise" => {
                let obj = self.arg(d, 0)?;
                if obj == 0 {
                    return Err("raise of null".into());
                }
                // SAFETY: a live exception instance.
                unsafe { cpu::raise(self.p, obj) };
                self.set_pc(d.pc)?;
                self.leave_with_exception()
            }
            "reraise" => {
                let (t, v) = *self.caught.last().ok_or("no frame")?;
                cpu::exc_set(self.p, t, v);
                self.set_pc(d.pc)?;
                self.leave_with_exception()
            }
            "int_copy" | "ref_copy" | "float_copy" | "str_guard_value" => {
                let v = self.arg(d, 0)?;
                self.result(d, v)?;
                Ok(Step::Next)
            }
            "int_isconstant" | "ref_isconstant" | "float_isconstant" | "ref_isvirtual" => {
                self.result(d, 0)?;
                Ok(Step::Next)
            }
            "getfield_gc_i" | "getfield_gc_r" | "getfield_gc_f" | "getfield_raw_i" | "getfield_raw_r" | "getfield_raw_f" => {
                let obj = self.arg(d, 0)?;
                let K::Field(fd) = self.descr(d, 1)? else { return Err(format!("{name} without field descriptor")) };
                // SAFETY: the jitcode's access is the translated program's.
                let v = unsafe { cpu::getfield(obj, fd) };
                self.result(d, v)?;
                Ok(Step::Next)
            }
            "setfield_gc_i" | "setfield_gc_r" | "setfield_gc_f" | "setfield_raw_i" | "setfield_raw_r" | "setfield_raw_f" => {
                let obj = self.arg(d, 0)?;
                let v = self.arg(d, 1)?;
                let K::Field(fd) = self.descr(d, 2)? else { return Err(format!("{name} without field descriptor")) };
                // SAFETY: as above.
                unsafe { cpu::setfield(self.p, obj, fd, v) };
                Ok(Step::Next)
            }
            "getarrayitem_gc_i" | "getarrayitem_gc_r" | "getarrayitem_gc_f" | "getarrayitem_raw_i" | "getarrayitem_raw_r" | "getarrayitem_raw_f" => {
                let arr = self.arg(d, 0)?;
                let i = self.arg(d, 1)? as i64;
                let K::Array(ad) = self.descr(d, 2)? else { return Err(format!("{name} without array descriptor")) };
                // SAFETY: as above.
                let v = unsafe { cpu::getarrayitem(arr, ad, i) };
                self.result(d, v)?;
                Ok(Step::Next)
            }
            "setarrayitem_gc_i" | "setarrayitem_gc_r" | "setarrayitem_gc_f" => {
                let arr = self.arg(d, 0)?;
                let i = self.arg(d, 1)? as i64;
                let v = self.arg(d, 2)?;
                let K::Array(ad) = self.descr(d, 3)? else { return Err(format!("{name} without array descriptor")) };
                // SAFETY: as above.
                unsafe { cpu::setarrayitem(self.p, arr, ad, i, v) };
                Ok(Step::Next)
            }
            "arraylen_gc" | "arraylen_raw" => {
                let arr = self.arg(d, 0)?;
                let K::Array(ad) = self.descr(d, 1)? else { return Err(format!("{name} without array descriptor")) };
                // SAFETY: as above.
                let v = unsafe { cpu::arraylen(arr, ad) };
                self.result(d, v as u64)?;
                Ok(Step::Next)
            }
            "new" => {
                let K::Size(sd) = self.descr(d, 0)? else { return Err("new without size descriptor".into()) };
                self.set_pc(d.pc)?;
                let o = cpu::new(self.p, sd);
                self.after_raising(d, o)
            }
            "new_array" => {
                let n = self.arg(d, 0)? as i64;
                let K::Array(ad) = self.descr(d, 1)? else { return Err("new_array without array descriptor".into()) };
                self.set_pc(d.pc)?;
                let o = cpu::new_array(self.p, ad, n)?;
                self.after_raising(d, o)
            }
            "residual_call_i" | "residual_call_r" | "residual_call_f" | "residual_call_v" => {
                let addr = self.arg(d, 0)?;
                let ints = Self::list(d, 1)?.iter().map(|&r| self.int(r)).collect::<R<Vec<_>>>()?;
                let refs = Self::list(d, 2)?.iter().map(|&r| self.reff(r)).collect::<R<Vec<_>>>()?;
                let floats = Self::list(d, 3)?.iter().map(|&r| self.float(r)).collect::<R<Vec<_>>>()?;
                let K::Call(cd) = self.descr(d, 4)? else { return Err(format!("{name} without call descriptor")) };
                self.set_pc(d.pc)?;
                // SAFETY: the call is the translated program's, with its arguments.
                let v = unsafe { cpu::call(addr, cd, &ints, &refs, &floats) }?;
                self.after_raising(d, v)
            }
            "inline_call_i" | "inline_call_r" | "inline_call_f" | "inline_call_v" => {
                let Some(DecodedArg::JitCode(j)) = d.args.first() else { return Err(format!("{name} without jitcode")) };
                let j = *j;
                let callee = self.p.set.jitcodes.get(j as usize).ok_or_else(|| format!("no jitcode {j}"))?;
                let mut frame = BhFrame::new(self.p, j);
                for (k, bank) in Bank::ALL.iter().enumerate() {
                    let args = Self::list(d, 1 + k)?;
                    if args.len() != callee.num_args[k] as usize || args.len() > callee.num_regs[k] as usize {
                        return Err(format!("a call of {} with {} {bank} arguments", callee.name, args.len()));
                    }
                    for (i, &r) in args.iter().enumerate() {
                        let v = self.get(*bank, r)?;
                        match bank {
                            Bank::Int => frame.ints[i] = v as i64,
                            Bank::Ref => frame.refs[i] = v,
                            Bank::Float => frame.floats[i] = v,
                        }
                    }
                }
                self.set_pc(d.pc)?;
                if self.frames.len() >= MAX_DEPTH {
                    (self.p.rt.raise_recursion_error)();
                    return self.dispatch_exception(d.next).map(|o| o.map_or(Step::Frames, Step::Stop));
                }
                self.frames.push(frame);
                self.caught.push((0, 0));
                Ok(Step::Frames)
            }
            "jit_merge_point" => {
                if self.frames.len() > 1 {
                    return Ok(Step::Next);
                }
                let slots = merge_slots(self.p, d)?;
                if slots.len() != values.len() {
                    return Err(format!("the merge point has {} greens and reds, {} values were passed", slots.len(), values.len()));
                }
                for (k, &(b, r)) in slots.iter().enumerate() {
                    values[k] = self.get(b, r)?;
                }
                self.set_pc(d.pc)?;
                Ok(Step::Stop(Outcome::Restart))
            }
            _ => {
                let args = d.args.iter().map(|a| match a {
                    DecodedArg::Reg(b, r) => self.get(*b, *r),
                    _ => Err(format!("{name}: a non-register operand")),
                });
                let args = args.collect::<R<Vec<u64>>>()?;
                let v = crate::eval_pure(name, &args).ok_or_else(|| format!("the blackhole interpreter has no `{}`", d.opcode.key()))?;
                self.result(d, v)?;
                Ok(Step::Next)
            }
        }
    }

    /// After an instruction that may raise: its result, or the exception dispatched.
    fn after_raising(&mut self, d: &Decoded, v: u64) -> R<Step> {
        if cpu::exc_pending(self.p).is_some() {
            return Ok(match self.dispatch_exception(d.next)? {
                Some(o) => Step::Stop(o),
                None => Step::Frames,
            });
        }
        if d.result.is_some() {
            self.result(d, v)?;
        }
        Ok(Step::Next)
    }

    /// An exception is pending; the top frame is at `pc`, right after what raised: to its
    /// `catch_exception` there (past `live`), else out to the callers. `Some` when it
    /// leaves the portal.
    fn dispatch_exception(&mut self, mut pc: u32) -> R<Option<Outcome>> {
        loop {
            let j = self.top()?.jitcode;
            let code = self.code(j)?;
            let mut at = pc;
            loop {
                let d = code.get(at)?;
                match d.opcode.name() {
                    "live" => at = d.next,
                    "catch_exception" => {
                        let e = cpu::exc_pending(self.p).ok_or("no exception to catch")?;
                        cpu::exc_clear(self.p);
                        *self.caught.last_mut().ok_or("no frame")? = e;
                        let l = Self::label(d, 0)?;
                        self.set_pc(l)?;
                        return Ok(None);
                    }
                    _ => break,
                }
            }
            match self.pop_to_caller()? {
                None => return Ok(Some(Outcome::Raise)),
                Some(call) => pc = call.next,
            }
        }
    }

    /// Leaves the top frame with the pending exception.
    fn leave_with_exception(&mut self) -> R<Step> {
        match self.pop_to_caller()? {
            None => Ok(Step::Stop(Outcome::Raise)),
            Some(call) => Ok(match self.dispatch_exception(call.next)? {
                Some(o) => Step::Stop(o),
                None => Step::Frames,
            }),
        }
    }

    /// Pops the top frame; returns the caller's `inline_call_*`, or `None` when the
    /// portal frame was popped.
    fn pop_to_caller(&mut self) -> R<Option<Decoded>> {
        self.frames.pop();
        self.caught.pop();
        let Some(f) = self.frames.last() else { return Ok(None) };
        let (j, pc) = (f.jitcode, f.pc);
        let call = self.code(j)?.get(pc)?.clone();
        if !call.opcode.name().starts_with("inline_call") {
            return Err(format!("a caller frame at {} ({}), not at an inline call", pc, call.opcode));
        }
        Ok(Some(call))
    }

    fn do_return(&mut self, v: Option<u64>, values: &mut [u64]) -> R<Step> {
        match self.pop_to_caller()? {
            None => {
                if let (Some(v), Some(slot)) = (v, values.first_mut()) {
                    *slot = v;
                }
                Ok(Step::Stop(Outcome::Return))
            }
            Some(call) => {
                if let Some((b, r)) = call.result {
                    self.set(b, r, v.ok_or("a void return to a call with a result")?)?;
                }
                self.set_pc(call.next)?;
                Ok(Step::Frames)
            }
        }
    }
}
