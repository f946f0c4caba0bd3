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

/// Compiled code to run from a merge point: [`Warm::visit`].
pub struct Run {
    code: Rc<LoopCode>,
    frame: jit::backend::JitFrame,
    /// The driver whose merge point entered the code.
    driver: u32,
}

impl Run {
    /// Runs the code (it may call the portal, which may visit the warm-up loop again).
    ///
    /// # Safety
    /// Run at once after [`Warm::visit`] made it (its frame holds the reds, which nothing
    /// roots but the frame); the trace's ops are the program's own on its own objects.
    pub unsafe fn run(&mut self) -> Result<Rc<ExitInfo>, String> {
        unsafe { self.code.code.run_frame(&mut self.frame) }.map_err(|e| e.to_string())
    }
}

/// What [`Warm::visit`] found at a merge point.
pub enum Visit {
    /// The portal goes on (the outcome for the portal).
    Done(Outcome),
    /// Compiled code to run.
    Run(Run),
}

struct LoopCode {
    code: CompiledTrace,
    /// The number of its `TargetToken`.
    token: u32,
}

/// What the warm-up loop knows of one driver's portal.
struct Port {
    slots: Vec<MergeSlot>,
    /// Whether the driver has a `can_enter_jit` (a `loop_header` in some jitcode). Then,
    /// as in RPython (`opimpl_jit_merge_point` and `seen_loop_header_for_jdindex`), a
    /// trace closes (or jumps to another loop) only at a merge point reached after a
    /// `loop_header`: a merge point reached otherwise, such as PySOM's "retry the
    /// bytecode after patching it", is no loop, and closing there loops forever.
    loop_header: bool,
    /// The index into the values of each green, and which of them are instances (bits
    /// for the entry cache).
    greens: Vec<usize>,
    green_refs: u8,
    /// The index into the values and the type of each red that is a trace input (a
    /// register of the portal: constants have none), in the order of the inputs.
    inputs: Vec<(usize, jit::ir::Type)>,
}

/// Each driver's portal, indexed by driver number (small: the program's drivers).
struct Ports(Vec<Option<Port>>);

impl Ports {
    fn get(&self, driver: &u32) -> Option<&Port> {
        self.0.get(*driver as usize).and_then(Option::as_ref)
    }
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
    loops: HashMap<u32, Rc<LoopCode>>,
    next_token: u32,
    /// Each driver's portal, by driver number.
    ports: Ports,
    /// The compiled code entered by recently seen green values (see `entry.rs`).
    entries: crate::entry::EntryCache<LoopCode>,
    /// Guards (trace, op) whose bridge could not be traced or compiled: not tried again.
    no_bridge: HashSet<(u32, usize)>,
    /// The resume data of each guard (trace, op) that failed, with its frames' `live`
    /// entries (`resume::lives` decodes jitcodes: once per guard, not per failure).
    guard_resume: HashMap<(u32, usize), (Rc<std::cell::RefCell<ResumeData>>, Rc<[u16]>)>,
    /// The jitcodes as the blackhole interpreter decoded them for earlier guards.
    bh_codes: CodeCache,
    /// Frames of earlier runs, for the next ones ([`Warm::recycle`]).
    frames: Vec<jit::backend::JitFrame>,
}

enum Traced {
    Closed(jit::ir::Trace, DescrTable, Vec<u64>),
    /// Ended by a `finish` where the outermost frame returned this value.
    Finished(jit::ir::Trace, DescrTable, u64),
    Done(Outcome, Option<Vec<u64>>),
}

impl Warm {
    pub fn new(prog: &Program, jit: JitState) -> Result<Warm, String> {
        let mut ports = Ports(Vec::new());
        let with_loop_header = drivers_with_loop_header(prog)?;
        for p in &prog.set.portals {
            let (portal, d) = find_merge_point(prog, p.number)?;
            let (_, slots) = merge_slots(&d)?;
            let jc = &prog.set.jitcodes[portal as usize];
            let in_register: Vec<bool> = slots.iter().map(|s| jc.is_register(s.bank, s.operand)).collect();
            let loop_header = with_loop_header.contains(&p.number);
            let greens: Vec<usize> = slots.iter().enumerate().filter(|(_, s)| s.green).map(|(i, _)| i).collect();
            let green_refs = greens.iter().enumerate().filter(|&(_, &i)| slots[i].bank == Bank::Ref).fold(0u8, |m, (k, _)| if k < 8 { m | (1 << k) } else { m });
            let k = p.number as usize;
            if ports.0.len() <= k {
                ports.0.resize_with(k + 1, || None);
            }
            let mut inputs = Vec::new();
            for (i, s) in slots.iter().enumerate() {
                if !s.green && in_register[i] {
                    inputs.push((i, bank_type(s.bank)));
                }
            }
            ports.0[k] = Some(Port { slots, loop_header, greens, green_refs, inputs });
        }
        Ok(Warm { jit, descrs: crate::descr_table(&prog.set)?, loops: HashMap::new(), next_token: 1, ports, entries: Default::default(), no_bridge: HashSet::new(), guard_resume: HashMap::new(), bh_codes: CodeCache::default(), frames: Vec::new() })
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

    /// The warm-up loop at the merge point of driver `driver` with its greens then reds
    /// in `values`, compiled code run in place (not re-entrant: the tracer's tests and a
    /// VM's nested portal calls use [`Warm::visit`]).
    pub fn merge_point<M: Machine>(&mut self, prog: &Program, m: &mut M, driver: u32, values: &mut [u64]) -> Result<Outcome, String> {
        let mut moved = false;
        loop {
            match self.visit(prog, m, driver, values, &mut moved)? {
                Visit::Done(o) => return Ok(o),
                Visit::Run(mut run) => {
                    // SAFETY: run at once after `visit`.
                    let exit = unsafe { run.run() }?;
                    match self.after_run(prog, m, run, exit, values)? {
                        Outcome::Restart => moved = true,
                        Outcome::Continue => return Ok(if moved { Outcome::Restart } else { Outcome::Continue }),
                        o => return Ok(o),
                    }
                }
            }
        }
    }

    /// One step of the warm-up loop at the merge point of driver `driver` with `values`: count, trace (the
    /// traced iteration runs for real and the loop goes on at the next merge point), or
    /// stop with compiled code to run ([`Visit::Run`]: its frame holds the reds; run it
    /// at once, then give its exit to [`Warm::after_run`]). The caller runs compiled code
    /// without holding the `Warm`, so that the portal, called from it (a recursive
    /// interpreter), may visit its own merge points: count, trace and run code too.
    /// `moved` says whether anything ran since the portal's call.
    pub fn visit<M: Machine>(&mut self, prog: &Program, m: &mut M, driver: u32, values: &mut [u64], moved: &mut bool) -> Result<Visit, String> {
        // The portal may pass more words than the slots (it counts `Void` greens too).
        let n = self.port(driver)?.slots.len();
        let values = values.get_mut(..n).ok_or_else(|| format!("the portal passed fewer values than its {n} greens and reds"))?;
        loop {
            // A key with compiled code: the entry cache finds it from the raw words.
            if let Some(code) = self.cached_entry(driver, values) {
                return Ok(Visit::Run(self.frame_for(code, driver, values)?));
            }
            let key = self.key(prog, driver, values)?;
            let outcome = match self.jit.warm.back_jump(&key) {
                Action::Interpret => return Ok(Visit::Done(if *moved { Outcome::Restart } else { Outcome::Continue })),
                Action::StartTracing => self.trace(prog, m, driver, key, values)?,
                Action::EnterCompiled(n) => {
                    let code = self.loops.get(&n).ok_or_else(|| format!("no compiled loop {n}"))?.clone();
                    self.remember_entry(driver, values, code.clone());
                    return Ok(Visit::Run(self.frame_for(code, driver, values)?));
                }
            };
            match outcome {
                Outcome::Restart => *moved = true,
                Outcome::Continue => return Ok(Visit::Done(if *moved { Outcome::Restart } else { Outcome::Continue })),
                o => return Ok(Visit::Done(o)),
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
                Stop::Return(r) if tr.recording => {
                    let trace = tr.finish()?;
                    break Traced::Finished(trace, tr.descrs.clone(), r);
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
                    self.loops.insert(code.number, Rc::new(LoopCode { code, token }));
                }
                Ok(Outcome::Restart)
            }
            Traced::Finished(trace, descrs, r) => {
                // The portal returned in the traced iteration: a trace from this merge
                // point to the portal's return, entered like a loop.
                if let Some(v0) = values.first_mut() {
                    *v0 = r;
                }
                if let Ok(code) = self.jit.compile_loop(&key, &location, trace, &descrs) {
                    self.loops.insert(code.number, Rc::new(LoopCode { code, token }));
                }
                Ok(Outcome::Return)
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
                Stop::Return(r) if tr.recording => {
                    let trace = tr.finish()?;
                    break Traced::Finished(trace, tr.descrs.clone(), r);
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
            Traced::Finished(trace, descrs, r) => {
                if let Some(v0) = values.first_mut() {
                    *v0 = r;
                }
                if self.jit.compile_bridge(exit, trace, &descrs).is_err() {
                    self.no_bridge.insert(site);
                }
                Ok(Outcome::Return)
            }
        }
    }

    /// The compiled code the greens of `values` enter, when the entry cache knows it
    /// (only keys in state `Compiled`, which they keep: see `entry.rs`).
    #[inline]
    fn cached_entry(&self, driver: u32, values: &[u64]) -> Option<Rc<LoopCode>> {
        if !self.jit.warm.params.enabled {
            return None;
        }
        let port = self.ports.get(&driver)?;
        let mut words = [0u64; crate::entry::MAX_GREENS];
        if port.greens.len() > words.len() {
            return None;
        }
        for (w, &i) in words.iter_mut().zip(&port.greens) {
            *w = *values.get(i)?;
        }
        self.entries.get(driver, &words[..port.greens.len()]).cloned()
    }

    /// Stores in the entry cache that the greens of `values` enter `code`.
    fn remember_entry(&mut self, driver: u32, values: &[u64], code: Rc<LoopCode>) {
        let Some(port) = self.ports.get(&driver) else { return };
        if port.greens.len() > crate::entry::MAX_GREENS {
            return;
        }
        let words: Vec<u64> = port.greens.iter().filter_map(|&i| values.get(i).copied()).collect();
        if words.len() == port.greens.len() {
            let refs = port.green_refs;
            self.entries.insert(driver, &words, refs, code);
        }
    }

    /// Calls `f` with every GC reference slot the warm-up loop holds: the JIT state's
    /// (green keys, constants of resume data) and the entry cache's instances.
    pub fn for_each_ref_slot(&mut self, mut f: impl FnMut(&mut u64)) {
        self.jit.for_each_ref_slot(&mut f);
        self.entries.for_each_ref_slot(&mut f);
    }

    /// The frame to run compiled code `code` from the merge point of `values`: the reds.
    fn frame_for(&mut self, code: Rc<LoopCode>, driver: u32, values: &[u64]) -> Result<Run, String> {
        let mut frame = self.frames.pop().unwrap_or_else(|| self.jit.backend.new_frame());
        let port = self.ports.get(&driver).ok_or_else(|| format!("a merge point of driver {driver}, which has no portal"))?;
        for (k, &(i, ty)) in port.inputs.iter().enumerate() {
            frame.set(k, ty, *values.get(i).ok_or("fewer values than the merge point's")?);
        }
        Ok(Run { code, frame, driver })
    }

    /// The fast path of [`Warm::visit`] for a recursive portal's calls: the green
    /// values' compiled code from the entry cache, with its frame; `None` to take the
    /// whole warm-up loop.
    #[inline]
    pub fn enter_cached(&mut self, driver: u32, values: &[u64]) -> Option<Run> {
        let code = self.cached_entry(driver, values)?;
        self.frame_for(code, driver, values).ok()
    }

    /// The fast path of [`Warm::after_run`]: compiled code that ended with `finish`
    /// (the portal returns its value). Gives the run back when it left otherwise.
    #[inline]
    pub fn finished(&mut self, run: Run, exit: &ExitInfo, values: &mut [u64]) -> Result<Outcome, Run> {
        if exit.kind != ExitKind::Finish {
            return Err(run);
        }
        if let (Some(v0), false) = (values.first_mut(), exit.values.is_empty()) {
            *v0 = run.frame.get(0);
        }
        self.recycle(run.frame);
        Ok(Outcome::Return)
    }

    /// Keeps a frame for the next run (a frame is an allocation, zeroed, and a root
    /// registration: per call of a recursive portal, that cost more than the trace).
    /// Its words are no roots any more; they are set anew before each run.
    fn recycle(&mut self, mut frame: jit::backend::JitFrame) {
        if self.frames.len() < 64 {
            frame.clear_refs();
            self.frames.push(frame);
        }
    }

    /// After compiled code ran from [`Visit::Run`] and left by `exit`: on a guard
    /// failure, the guard's frames run to the next merge point (or a bridge is traced).
    pub fn after_run<M: Machine>(&mut self, prog: &Program, m: &mut M, run: Run, exit: Rc<ExitInfo>, values: &mut [u64]) -> Result<Outcome, String> {
        let Run { frame, driver, .. } = run;
        let port = self.ports.get(&driver).ok_or_else(|| format!("a merge point of driver {driver}, which has no portal"))?;
        let n = port.slots.len();
        let values = values.get_mut(..n).ok_or_else(|| format!("the portal passed fewer values than its {n} greens and reds"))?;
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
                self.recycle(frame);
                Ok(crate::blackhole::resume_with(prog, bh, values, &mut self.bh_codes))
            }
            ExitKind::MemoryError => Ok(Outcome::Raise),
            // A trace that ends where the portal returns: its result is the exit's value.
            ExitKind::Finish => {
                if let (Some(v0), false) = (values.first_mut(), exit.values.is_empty()) {
                    *v0 = frame.get(0);
                }
                self.recycle(frame);
                Ok(Outcome::Return)
            }
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
