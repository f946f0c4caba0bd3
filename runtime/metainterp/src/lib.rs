//! The meta-interpreter: what runs at a translated VM's `jit_merge_point` when it was
//! translated with `--jit`. It loads the jitcodes the binary embeds ([`Program`]),
//! counts green keys, traces hot loops by executing jitcodes while recording trace IR
//! (the tracer), hands the traces to `kiln_jit::state::JitState` to optimize and compile,
//! runs compiled loops, and resumes a failing guard in the blackhole interpreter (the
//! same jitcodes, executed without recording) up to the next merge point.
//!
//! The contract with the rewritten portal (docs/jit.md, "The portal"): the portal calls
//! [`MetaInterp::merge_point`] with the driver's greens then reds, one 64-bit word each
//! (ints as `i64`, floats as their bits, references as addresses), and acts on the
//! [`Outcome`].

pub mod blackhole;
#[cfg(test)]
mod blackhole_tests;
pub mod cpu;
pub mod roots;
pub mod resume;
pub mod tracer;
mod tracer_descr;
mod tracer_insn;
#[cfg(test)]
mod tracer_tests;
pub mod warm;

pub use tracer_descr::descr_table;
pub use tracer_insn::eval_pure;

use kiln_abi::JitRuntime;
use kiln_jitcode::JitCodeSet;

/// What the portal does after a merge point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i64)]
pub enum Outcome {
    /// Go on interpreting from the merge point with the values it passed (unchanged).
    Continue = 0,
    /// Compiled code or the blackhole interpreter ran on to a merge point of the same
    /// driver: `values` now holds its greens and reds; go on interpreting from there.
    Restart = 1,
    /// The portal function returned: its result is in `values[0]` (nothing for a
    /// function returning nothing).
    Return = 2,
    /// An exception is pending in the runtime's exception state: the portal raises it.
    Raise = 3,
}

/// The program's jitcodes with every symbol they name resolved to its address in the
/// running binary.
pub struct Program {
    pub set: JitCodeSet,
    /// `addrs[i]` is the address of `set.symbols[i]`.
    pub addrs: Vec<u64>,
    pub rt: &'static JitRuntime,
    /// Offset of the vtable pointer in every instance.
    pub vtable_offset: i32,
}

impl Program {
    /// Reads the set the binary embeds (`kiln_jitcode::to_bytes`) and pairs it with the
    /// symbols' addresses, in the set's symbol order.
    pub fn load(bytes: &[u8], addrs: &[u64], rt: &'static JitRuntime, vtable_offset: i32) -> Result<Program, String> {
        let set = kiln_jitcode::from_bytes(bytes)?;
        if addrs.len() != set.symbols.len() {
            return Err(format!("the binary has {} symbol addresses for {} symbols", addrs.len(), set.symbols.len()));
        }
        if set.portals.is_empty() {
            return Err("the jitcode set has no portal".to_string());
        }
        Ok(Program { set, addrs: addrs.to_vec(), rt, vtable_offset })
    }
}

/// The JIT of one VM run.
pub struct MetaInterp {
    pub program: Program,
    /// The run's JIT state until the first merge point makes the warm-up loop of it
    /// (`None` when the JIT is off or in tests of the interpreters alone).
    pub state: Option<jit::state::JitState>,
    /// The warm-up loop (boxed: the GC root source of its green keys points into it).
    warm: Option<Box<warm::Warm>>,
    /// The root sources of the backend's constant pools and frames and of the warm
    /// state's green keys.
    _rooted: Vec<roots::Rooted>,
}

impl MetaInterp {
    /// The meta-interpreter of a VM run, its JIT configured by the environment
    /// (`KILN_JIT`, `KILN_JITLOG`, `KILN_JIT_PERFMAP`).
    pub fn new(program: Program) -> MetaInterp {
        let state = jit::state::JitState::from_env(program.rt, program.vtable_offset);
        MetaInterp::with_state_opt(program, state)
    }

    /// The meta-interpreter of a VM run with its JIT state.
    pub fn with_state(program: Program, state: jit::state::JitState) -> MetaInterp {
        MetaInterp::with_state_opt(program, Some(state))
    }

    fn with_state_opt(program: Program, state: Option<jit::state::JitState>) -> MetaInterp {
        MetaInterp { program, state, warm: None, _rooted: Vec::new() }
    }

    /// The warm-up loop, made at the first merge point (the JitState's backend has
    /// installed its root set by then; the metainterp's registry replaces it and keeps
    /// it visited).
    fn warm(&mut self) -> Option<&mut warm::Warm> {
        if self.warm.is_none() {
            let state = self.state.take()?;
            roots::install(self.program.rt);
            let set = state.backend.roots().clone();
            self._rooted.push(roots::root_source(move |v| set.for_each_slot(|s| v(s as *mut u64))));
            match warm::Warm::new(&self.program, state) {
                Ok(w) => {
                    let mut w = Box::new(w);
                    let p: *mut warm::Warm = &mut *w;
                    // SAFETY: the box lives as long as the token (both are fields of self,
                    // dropped together); a collection visits the key table only inside
                    // calls the JIT makes, while nothing else borrows the table.
                    self._rooted.push(roots::root_source(move |v| unsafe { &mut *p }.jit.for_each_ref_slot(|s| v(s as *mut u64))));
                    self.warm = Some(w);
                }
                Err(e) => {
                    eprintln!("kiln: the JIT is off: {e}");
                    return None;
                }
            }
        }
        self.warm.as_deref_mut()
    }

    /// The end of the run (`kiln_jit_exit`): the counters go to the JIT log.
    pub fn finish(&mut self) {
        if let Some(w) = &mut self.warm {
            w.jit.finish();
        } else if let Some(state) = &mut self.state {
            state.finish();
        }
    }

    /// Called by the portal at `jit_merge_point` of driver `driver` with its greens then
    /// reds in `values` (the driver's order, see `tracer::MergeSlot`).
    pub fn merge_point(&mut self, driver: u32, values: &mut [u64]) -> Outcome {
        if blackhole::debug_mode() {
            return blackhole::debug_merge_point(&self.program, driver, values);
        }
        if self.warm().is_none() {
            return Outcome::Continue;
        }
        let Some(w) = self.warm.as_deref_mut() else { return Outcome::Continue };
        let mut m = cpu::Cpu::new(&self.program);
        match w.merge_point(&self.program, &mut m, driver, values) {
            Ok(o) => o,
            Err(e) => fatal(&e),
        }
    }
}

/// A jitcode the binary embeds asked for something impossible in the middle of an
/// iteration (a bug of the toolchain, never of the user's program): the program's state
/// cannot be rolled back, so the run stops with one line on stderr.
fn fatal(msg: &str) -> ! {
    eprintln!("kiln: internal JIT error: {msg}");
    std::process::abort()
}
