//! The warm-up loop at the portal's merge point (RPython's `warmstate.py`
//! `maybe_compile_and_run` and `warmspot.py` `handle_jitexception`): count the green key,
//! trace it when it gets hot, compile the loop, run compiled loops, and on a guard
//! failure rebuild the frames and run them to the next merge point.
//!
//! [`Warm::merge_point`] loops until the interpreter must take over: after a trace closes
//! (the traced iteration ran for real) or a compiled loop leaves and its frames ran to
//! the next merge point, the new greens and reds are in `values` and that merge point is
//! visited at once (which may enter compiled code again). It returns `Continue` when
//! nothing ran, else `Restart`, `Return` or `Raise` (Contract 1).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::time::Instant;

use jit::backend::{Backend, CompiledTrace, ExitInfo, ExitKind};
use jit::descr::DescrTable;
use jit::resume::ResumeData;
use jit::state::JitState;
use jit::warmstate::{Action, Green, GreenKey, KeyState};
use kiln_jitcode::Bank;

use crate::blackhole::{BhFrame, CodeCache};
use crate::tracer::{find_merge_point, merge_slots, Machine, MergeSlot, Stop, Tracer};
use crate::tracer_descr::bank_type;
use crate::{Outcome, Program};

struct LoopCode {
    code: CompiledTrace,
    /// The number of its `TargetToken`.
    token: u32,
}

/// What the warm-up loop knows of one driver's portal.
struct Port {
    slots: Vec<MergeSlot>,
    /// Whether each slot is a register of the portal (constants have no trace input).
    in_register: Vec<bool>,
    /// Whether the driver has a `can_enter_jit` (a `loop_header` in some jitcode). Then,
    /// as in RPython (`opimpl_jit_merge_point` and `seen_loop_header_for_jdindex`), a
    /// trace closes (or jumps to another loop) only at a merge point reached after a
    /// `loop_header`: a merge point reached otherwise, such as PySOM's "retry the
    /// bytecode after patching it", is no loop, and closing there loops forever.
    loop_header: bool,
}

/// The drivers with a `can_enter_jit`: those named by a `loop_header` in some jitcode
/// (one pass over the jitcodes for all drivers).
fn drivers_with_loop_header(prog: &Program) -> Result<HashSet<u32>, String> {
    let mut out = HashSet::new();
    for jc in &prog.set.jitcodes {
        for d in kiln_jitcode::insn::decode_all(&jc.code)? {
            if let ("loop_header", Some(kiln_jitcode::DecodedArg::Imm(n))) = (d.opcode.name(), d.args.first()) {
                out.insert(u32::from(*n));
            }
        }
    }
    Ok(out)
}

/// The JIT's state for the program's portals (one per driver). The green keys of every
/// driver share the warm state's counters and key table, told apart by the driver's
/// number, which leads every key (RPython: one counter table, a hash per driver); loops
/// are numbered by the backend across drivers.
pub struct Warm {
    pub jit: JitState,
    descrs: DescrTable,
    /// Compiled loops by their backend number (what the warm state's keys name).
    loops: HashMap<u32, LoopCode>,
    next_token: u32,
    /// Each driver's portal, by driver number.
    ports: HashMap<u32, Port>,
    /// Guards (trace, op) whose bridge could not be traced or compiled: not tried again.
    no_bridge: HashSet<(u32, usize)>,
    /// The resume data of each guard (trace, op) that failed, with its frames' `live`
    /// entries (`resume::lives` decodes jitcodes: once per guard, not per failure).
    guard_resume: HashMap<(u32, usize), (Rc<std::cell::RefCell<ResumeData>>, Rc<[u16]>)>,
    /// The jitcodes as the blackhole interpreter decoded them for earlier guards.
    bh_codes: CodeCache,
}

enum Traced {
    Closed(jit::ir::Trace, DescrTable, Vec<u64>),
    Done(Outcome, Option<Vec<u64>>),
}

impl Warm {
    pub fn new(prog: &Program, jit: JitState) -> Result<Warm, String> {
        let mut ports = HashMap::new();
        let with_loop_header = drivers_with_loop_header(prog)?;
        for p in &prog.set.portals {
            let (portal, d) = find_merge_point(prog, p.number)?;
            let (_, slots) = merge_slots(&d)?;
            let jc = &prog.set.jitcodes[portal as usize];
            let in_register = slots.iter().map(|s| jc.is_register(s.bank, s.operand)).collect();
            let loop_header = with_loop_header.contains(&p.number);
            ports.insert(p.number, Port { slots, in_register, loop_header });
        }
        Ok(Warm { jit, descrs: crate::descr_table(&prog.set)?, loops: HashMap::new(), next_token: 1, ports, no_bridge: HashSet::new(), guard_resume: HashMap::new(), bh_codes: CodeCache::default() })
    }

    fn port(&self, driver: u32) -> Result<&Port, String> {
        self.ports.get(&driver).ok_or_else(|| format!("a merge point of driver {driver}, which has no portal"))
    }

    /// How many values the portal of `driver` passes.
    pub fn arity(&self, driver: u32) -> Option<usize> {
        self.ports.get(&driver).map(|p| p.slots.len())
    }

    /// The green key of the merge point's values: the driver's number, then its greens.
    fn key(&self, prog: &Program, driver: u32, values: &[u64]) -> Result<GreenKey, String> {
        let mut out = vec![Green::Int(i64::from(driver))];
        for (s, &v) in self.port(driver)?.slots.iter().zip(values) {
            if !s.green {
                continue;
            }
            out.push(match s.bank {
                Bank::Ref if v != 0 => {
                    // SAFETY: `v` is a live object the portal passed.
                    let hash = unsafe { (prog.rt.identity_hash)(v as *mut u8) };
                    Green::Instance { addr: v, hash }
                }
                Bank::Ref => Green::Instance { addr: 0, hash: 0 },
                _ => Green::Int(v as i64),
            });
        }
        Ok(GreenKey(out))
    }

    /// The merge point of driver `driver` with its greens then reds in `values`.
    pub fn merge_point<M: Machine>(&mut self, prog: &Program, m: &mut M, driver: u32, values: &mut [u64]) -> Result<Outcome, String> {
        // The portal may pass more words than the slots (it counts `Void` greens too).
        let n = self.port(driver)?.slots.len();
        let values = values.get_mut(..n).ok_or_else(|| format!("the portal passed fewer values than its {n} greens and reds"))?;
        let mut moved = false;
        loop {
            let key = self.key(prog, driver, values)?;
            let outcome = match self.jit.warm.back_jump(&key) {
                Action::Interpret => return Ok(if moved { Outcome::Restart } else { Outcome::Continue }),
                Action::StartTracing => self.trace(prog, m, driver, key, values)?,
                Action::EnterCompiled(n) => self.run_loop(prog, m, driver, n, values)?,
            };
            match outcome {
                Outcome::Restart => moved = true,
                Outcome::Continue => return Ok(if moved { Outcome::Restart } else { Outcome::Continue }),
                o => return Ok(o),
            }
        }
    }

    /// Traces from the merge point of `values` (the key just got hot). The traced
    /// iteration runs for real; `values` then holds the next merge point's.
    fn trace<M: Machine>(&mut self, prog: &Program, m: &mut M, driver: u32, key: GreenKey, values: &mut [u64]) -> Result<Outcome, String> {
        let t0 = Instant::now();
        // The key names instances by address, and tracing runs the iteration for real,
        // which may move them: the key is a root until it has named the loop or the abort.
        let mut key = Box::new(key);
        let kp: *mut GreenKey = &mut *key;
        // SAFETY: the box outlives the token (dropped at the end of this function, after
        // `_key_root`, declared later); collections visit it only inside calls the tracer
        // makes, while nothing else borrows the key.
        let _key_root = crate::roots::root_source(move |visit| {
            for g in unsafe { &mut *kp }.0.iter_mut() {
                if let Green::Instance { addr, .. } = g {
                    if *addr != 0 {
                        visit(addr as *mut u64);
                    }
                }
            }
        });
        let token = self.next_token;
        self.next_token += 1;
        let limit = self.jit.warm.params.trace_limit as usize;
        let mut tr = Tracer::start(prog, m, driver, &self.descrs, token, limit, values)?;
        tr.set_printable(self.jit.log.is_some());
        let location = tr.location();
        let result = loop {
            match tr.run()? {
                Stop::MergePoint => {
                    let v = tr.merge_values()?;
                    if !tr.recording {
                        break Traced::Done(Outcome::Restart, Some(v));
                    }
                    let header = tr.take_loop_header();
                    let k = self.key(prog, driver, &v)?;
                    let compiled = matches!(self.jit.warm.state(&k), KeyState::Compiled(_));
                    if self.ports.get(&driver).is_some_and(|p| p.loop_header) {
                        if !header && !compiled {
                            tr.pass_merge_point()?;
                            continue;
                        }
                        if header && !compiled && k != *key {
                            // A driver with a `can_enter_jit` counts only at the merge
                            // point after one or after the portal's entry (the portal
                            // rewrite's byte), so its traces start at a loop header or at
                            // a function entry. One that reaches the loop header of
                            // another key with no loop (it left its own loop, or started
                            // at the function's entry) gives way to it: it is aborted,
                            // and this merge point is visited at once.
                            tr.abort("reached a loop header of another green key");
                            break Traced::Done(Outcome::Restart, Some(v));
                        }
                    }
                    if k == *key {
                        let target = tr.token;
                        let trace = tr.close(target)?;
                        break Traced::Closed(trace, tr.descrs.clone(), v);
                    }
                    if let KeyState::Compiled(n) = self.jit.warm.state(&k) {
                        if let Some(lp) = self.loops.get(&n) {
                            // Another loop is hot here: jump into it.
                            let target = tr.descrs.target(lp.token);
                            let trace = tr.close(target)?;
                            break Traced::Closed(trace, tr.descrs.clone(), v);
                        }
                    }
                    tr.pass_merge_point()?;
                }
                Stop::Return(r) => break Traced::Done(Outcome::Return, Some(vec![r])),
                Stop::Raise => break Traced::Done(Outcome::Raise, None),
            }
        };
        let reason = tr.abort_reason.clone();
        drop(tr);
        self.jit.add_tracing_time(t0.elapsed());
        match result {
            Traced::Done(o, v) => {
                self.jit.abort(&key, &location, reason.as_deref().unwrap_or("aborted"));
                if let Some(v) = v {
                    let n = v.len().min(values.len());
                    values[..n].copy_from_slice(&v[..n]);
                }
                Ok(o)
            }
            Traced::Closed(trace, descrs, v) => {
                values.copy_from_slice(&v);
                // An error is logged and leaves the key to be traced again.
                if let Ok(code) = self.jit.compile_loop(&key, &location, trace, &descrs) {
                    self.loops.insert(code.number, LoopCode { code, token });
                }
                Ok(Outcome::Restart)
            }
        }
    }

    /// Records a bridge from a failing guard with `tr` (set up at the guard's resume
    /// position), up to a merge point whose key has a loop, and attaches it. The
    /// iteration runs for real either way; `values` then holds the next merge point's.
    fn trace_bridge<M: Machine>(&mut self, prog: &Program, mut tr: Tracer<'_, M>, driver: u32, exit: &ExitInfo, values: &mut [u64], t0: Instant) -> Result<Outcome, String> {
        let result = loop {
            match tr.run()? {
                Stop::MergePoint => {
                    let v = tr.merge_values()?;
                    if !tr.recording {
                        break Traced::Done(Outcome::Restart, Some(v));
                    }
                    let header = tr.take_loop_header();
                    let k = self.key(prog, driver, &v)?;
                    let compiled = matches!(self.jit.warm.state(&k), KeyState::Compiled(_));
                    if !header && !compiled && self.ports.get(&driver).is_some_and(|p| p.loop_header) {
                        tr.pass_merge_point()?;
                        continue;
                    }
                    if let KeyState::Compiled(n) = self.jit.warm.state(&k) {
                        if let Some(lp) = self.loops.get(&n) {
                            let target = tr.descrs.target(lp.token);
                            let trace = tr.close(target)?;
                            break Traced::Closed(trace, tr.descrs.clone(), v);
                        }
                    }
                    tr.pass_merge_point()?;
                }
                Stop::Return(r) => break Traced::Done(Outcome::Return, Some(vec![r])),
                Stop::Raise => break Traced::Done(Outcome::Raise, None),
            }
        };
        drop(tr);
        self.jit.add_tracing_time(t0.elapsed());
        let site = (exit.trace, exit.op);
        match result {
            Traced::Done(o, v) => {
                self.no_bridge.insert(site);
                if let Some(v) = v {
                    let n = v.len().min(values.len());
                    values[..n].copy_from_slice(&v[..n]);
                }
                Ok(o)
            }
            Traced::Closed(trace, descrs, v) => {
                values.copy_from_slice(&v);
                if self.jit.compile_bridge(exit, trace, &descrs).is_err() {
                    self.no_bridge.insert(site);
                }
                Ok(Outcome::Restart)
            }
        }
    }

    /// Runs compiled loop `n` from the merge point of `values`; on a guard failure, the
    /// guard's frames run to the next merge point.
    fn run_loop<M: Machine>(&mut self, prog: &Program, m: &mut M, driver: u32, n: u32, values: &mut [u64]) -> Result<Outcome, String> {
        let lp = self.loops.get(&n).ok_or_else(|| format!("no compiled loop {n}"))?;
        let port = self.ports.get(&driver).ok_or_else(|| format!("a merge point of driver {driver}, which has no portal"))?;
        let mut frame = self.jit.backend.new_frame();
        let mut k = 0;
        for ((s, &v), &reg) in port.slots.iter().zip(values.iter()).zip(&port.in_register) {
            if !s.green && reg {
                frame.set(k, bank_type(s.bank), v);
                k += 1;
            }
        }
        // SAFETY: the inputs are the reds the portal passed, of the types the trace was
        // recorded with; the trace's ops are the program's own on its own objects.
        let exit = unsafe { lp.code.run_frame(&mut frame) }.map_err(|e| e.to_string())?;
        match exit.kind {
            ExitKind::Guard => {
                let site = (exit.trace, exit.op);
                let (resume, lives) = match self.guard_resume.get(&site) {
                    Some(r) => r.clone(),
                    None => {
                        let resume = self.jit.resume_data(exit.trace, exit.op).ok_or("a guard without resume data")?;
                        let lives: Rc<[u16]> = crate::resume::lives(prog, &resume.borrow())?.into();
                        self.guard_resume.insert(site, (resume.clone(), lives.clone()));
                        (resume, lives)
                    }
                };
                let dead: Vec<u64> = (0..exit.values.len()).map(|k| frame.get(k)).collect();
                let frames = crate::resume::rebuild_with(prog, &resume.borrow(), &lives, &dead)?;
                // A guard that failed often gets a bridge (not one whose exception is
                // pending: bridges start in normal flow).
                if self.jit.warm.bridge_wanted(exit.failures()) && !exit.has_bridge() && !self.no_bridge.contains(&site) && m.exception().0 == 0 {
                    let t0 = Instant::now();
                    let limit = self.jit.warm.params.trace_limit as usize;
                    let mut tr = Tracer::resume_recording(prog, m, frames, &port.slots, &self.descrs, limit, &exit.types)?;
                    tr.set_printable(self.jit.log.is_some());
                    drop(frame);
                    return self.trace_bridge(prog, tr, driver, &exit, values, t0);
                }
                if !m.is_runtime() {
                    return Self::resume_in_tracer(prog, m, frames, &port.slots, frame, values);
                }
                // The frames run in the blackhole interpreter to the next merge point
                // (RPython's `resume_in_blackhole`). The values are in its registers,
                // rooted from its start: nothing allocates before.
                let bh: Vec<BhFrame> = frames.into_iter().map(|f| {
                    let [ints, refs, floats] = f.regs;
                    BhFrame { jitcode: f.jitcode, pc: f.pc, ints: ints.into_iter().map(|x| x as i64).collect(), refs, floats }
                }).collect();
                drop(frame);
                Ok(crate::blackhole::resume_with(prog, bh, values, &mut self.bh_codes))
            }
            ExitKind::MemoryError => Ok(Outcome::Raise),
            ExitKind::Finish => Err("a compiled loop finished".into()),
        }
    }
}

impl Warm {
    /// A failed guard's frames run to the next merge point in the tracer without
    /// recording (on a model machine, which the blackhole interpreter cannot use).
    fn resume_in_tracer<M: Machine>(prog: &Program, m: &mut M, frames: Vec<crate::resume::ResumedFrame>, slots: &[MergeSlot], frame: jit::backend::JitFrame, values: &mut [u64]) -> Result<Outcome, String> {
        let mut tr = Tracer::resume(prog, m, frames, slots)?;
        // The values are in the tracer's registers (rooted from now on).
        drop(frame);
        run_to_merge_point(&mut tr, values)
    }
}

/// Runs one iteration of the portal from the merge point of `values` to the next one
/// without recording (`KILN_JIT_DEBUG=blackhole`: the whole program then runs in the
/// jitcodes' concrete execution).
pub fn run_one_iteration<M: Machine>(prog: &Program, m: &mut M, driver: u32, values: &mut [u64]) -> Result<Outcome, String> {
    let (_, d) = find_merge_point(prog, driver)?;
    let n = merge_slots(&d)?.1.len();
    let values = values.get_mut(..n).ok_or("fewer values than greens and reds")?;
    let mut tr = Tracer::start(prog, m, driver, &DescrTable::new(), 0, 0, values)?;
    tr.abort("KILN_JIT_DEBUG=blackhole");
    run_to_merge_point(&mut tr, values)
}

/// Runs a non-recording tracer to the next merge point of the portal: its values go to
/// `values` (`Restart`), or the portal's result to `values[0]` (`Return`), or the
/// exception stays pending (`Raise`).
fn run_to_merge_point<M: Machine>(tr: &mut Tracer<'_, M>, values: &mut [u64]) -> Result<Outcome, String> {
    Ok(match tr.run()? {
        Stop::MergePoint => {
            let v = tr.merge_values()?;
            values.copy_from_slice(&v);
            Outcome::Restart
        }
        Stop::Return(r) => {
            if let Some(v0) = values.first_mut() {
                *v0 = r;
            }
            Outcome::Return
        }
        Stop::Raise => Outcome::Raise,
    })
}
