//! Rebuilding interpreter frames from a failed guard (Contract 3): the guard's resume
//! data (which frames, at which jitcode positions) and the values compiled code left in
//! the dead frame (one word per resume value, in order) give each frame's registers.
//!
//! - The innermost frame resumes at `pc`: either a `live` (the guard followed a call:
//!   its values are that `live`'s registers, and a pending exception is dispatched from
//!   there), or the instruction that made the guard (re-executed; its values are the
//!   registers of the `live` just before it).
//! - An outer frame waits at the `inline_call_*` at `pc`; its values are the registers of
//!   the `live` right after that call.

use jit::ir::{Const, Value};
use jit::resume::{ResumeData, ResumeValue};
use kiln_jitcode::{insn, Bank, DecodedArg, JitCode};

use crate::Program;

/// One interpreter frame rebuilt from resume data.
#[derive(Clone, Debug, PartialEq)]
pub struct ResumedFrame {
    pub jitcode: u16,
    /// The resume position (for an outer frame, its `inline_call_*`).
    pub pc: u32,
    /// Every register of each bank (ints, refs, floats), the live ones set.
    pub regs: [Vec<u64>; 3],
    /// The live registers, in the order of the frame's resume values.
    pub live: Vec<(Bank, u16)>,
    /// For each of `live`: whether the resume data holds a constant for it (the value
    /// is the same at every failure of the guard, so a bridge may fold it).
    pub constant: Vec<bool>,
    /// The `live` entry they come from.
    pub live_entry: u16,
}

fn live_entry(d: &insn::Decoded) -> Option<u16> {
    match (d.opcode.name(), d.args.first()) {
        ("live", Some(DecodedArg::Live(t))) => Some(*t),
        _ => None,
    }
}

/// The `live` entry whose registers a frame resumed at `pc` holds.
pub fn live_for(jc: &JitCode, pc: u32, innermost: bool) -> Result<u16, String> {
    let d = insn::decode(&jc.code, pc)?;
    if innermost {
        if let Some(t) = live_entry(&d) {
            return Ok(t);
        }
        // The instruction that made the guard: the `live` just before it.
        let all = insn::decode_all(&jc.code)?;
        let before = all.iter().find(|x| x.next == pc).ok_or_else(|| format!("no instruction before {pc} in {}", jc.name))?;
        return live_entry(before).ok_or_else(|| format!("no `live` before the guard at {pc} in {}", jc.name));
    }
    if !d.opcode.name().starts_with("inline_call_") {
        return Err(format!("an outer frame resumes at `{}`, not an inline call", d.opcode.name()));
    }
    live_entry(&insn::decode(&jc.code, d.next)?).ok_or_else(|| format!("no `live` after the inline call at {pc} in {}", jc.name))
}

/// The `live` entry of each frame of `resume`, outermost first. Finding the one of the
/// innermost frame decodes its jitcode, so a caller that resumes the same guard often
/// computes them once (per guard) and calls [`rebuild_with`].
pub fn lives(prog: &Program, resume: &ResumeData) -> Result<Vec<u16>, String> {
    let n = resume.frames.len();
    let mut out = Vec::with_capacity(n);
    for (i, f) in resume.frames.iter().enumerate() {
        let pos = f.pos.ok_or("resume data without a position")?;
        let jc = prog.set.jitcodes.get(pos.jitcode as usize).ok_or("resume data names a jitcode that does not exist")?;
        out.push(live_for(jc, pos.pc, i + 1 == n)?);
    }
    Ok(out)
}

/// The frames a failed guard describes, outermost first, with `values[k]` the k-th
/// resume value (constants of the resume data are taken from it, not from `values`).
pub fn rebuild(prog: &Program, resume: &ResumeData, values: &[u64]) -> Result<Vec<ResumedFrame>, String> {
    rebuild_with(prog, resume, &lives(prog, resume)?, values)
}

/// [`rebuild`] with the frames' `live` entries given (what [`lives`] returns).
pub fn rebuild_with(prog: &Program, resume: &ResumeData, lives: &[u16], values: &[u64]) -> Result<Vec<ResumedFrame>, String> {
    let mut out = Vec::new();
    let mut k = 0;
    if lives.len() != resume.frames.len() {
        return Err("a `live` entry per resumed frame is needed".into());
    }
    for (f, &live) in resume.frames.iter().zip(lives) {
        let pos = f.pos.ok_or("resume data without a position")?;
        let jc = prog.set.jitcodes.get(pos.jitcode as usize).ok_or("resume data names a jitcode that does not exist")?;
        let l = jc.liveness.get(live as usize).ok_or("liveness entry out of range")?;
        let mut regs = [0, 1, 2].map(|b| vec![0u64; jc.num_regs[b] as usize]);
        let mut vals = f.values.iter();
        let mut order = Vec::new();
        let mut constant = Vec::new();
        for b in Bank::ALL {
            for &r in &l.regs[b.index()] {
                let v = vals.next().ok_or("fewer resume values than live registers")?;
                let bits = match v {
                    ResumeValue::Value(Value::Const(c)) => match *c {
                        Const::Int(x) => x as u64,
                        Const::Float(x) | Const::Ref(x) => x,
                    },
                    ResumeValue::Value(Value::Box(_)) => *values.get(k).ok_or("fewer dead-frame values than resume values")?,
                    ResumeValue::Virtual(_) => return Err("virtuals in resume data are not supported yet".into()),
                };
                // A constant's word is in the dead frame too; prefer it for references
                // (a moving collector updated the frame, not the resume data).
                let bits = match v {
                    ResumeValue::Value(Value::Const(Const::Ref(_))) => values.get(k).copied().unwrap_or(bits),
                    _ => bits,
                };
                k += 1;
                order.push((b, r));
                constant.push(matches!(v, ResumeValue::Value(Value::Const(_))));
                *regs[b.index()].get_mut(r as usize).ok_or("live register out of range")? = bits;
            }
        }
        if vals.next().is_some() {
            return Err("more resume values than live registers".into());
        }
        out.push(ResumedFrame { jitcode: pos.jitcode as u16, pc: pos.pc, regs, live: order, constant, live_entry: live });
    }
    Ok(out)
}
