//! Translation aspects on low-level graphs, run between the RTyper and the backends
//! (llinterp or LLVM): today the effect analysis and the exception transform; the GC
//! transform, stack checks and backend optimizations join the same pass list.
//!
//! Entry point: [`run_all`], which runs [`PASSES`] in order on an [`LlProgram`], verifies
//! the program after each pass in debug builds (or with [`TransformOptions::verify`]) and
//! times each pass. Every pass has one shape, [`PassFn`]. Facts a pass computes for later
//! passes (the [`EffectInfo`]) live in the [`TransformCx`], never in the graphs.
//!
//! This crate does no I/O, never re-enters the annotator or RTyper, and knows nothing of
//! LLVM.

pub mod effects;
pub mod exceptions;

use std::fmt;
use std::time::{Duration, Instant};

use kiln_lltype::LlProgram;

pub use effects::{analyze, CallNode, EffectInfo, Effects};

/// Options of the transform stage.
#[derive(Clone, Debug, Default)]
pub struct TransformOptions {
    /// Verify the program after every pass even in release builds (`--verify`).
    pub verify: bool,
}

/// What passes share: the options and facts computed by earlier passes.
pub struct TransformCx {
    pub options: TransformOptions,
    /// The call graph's effects, from the `effects` pass. A pass that changes which
    /// functions call which must recompute it.
    pub effects: Option<EffectInfo>,
}

impl TransformCx {
    pub fn new(options: TransformOptions) -> TransformCx {
        TransformCx { options, effects: None }
    }

    /// The effect info, computed now if no pass has computed it yet.
    pub fn effects(&mut self, prog: &LlProgram) -> &EffectInfo {
        self.effects.get_or_insert_with(|| effects::analyze(prog))
    }
}

/// The one shape of a pass.
pub type PassFn = fn(&mut TransformCx, &mut LlProgram);

/// The passes, in the order they run.
pub const PASSES: &[(&str, PassFn)] = &[("effects", effects_pass), ("exceptions", exceptions_pass)];

fn effects_pass(cx: &mut TransformCx, prog: &mut LlProgram) {
    cx.effects = Some(effects::analyze(prog));
}

fn exceptions_pass(cx: &mut TransformCx, prog: &mut LlProgram) {
    let effects = cx.effects.take().unwrap_or_else(|| effects::analyze(prog));
    exceptions::run(prog, &effects);
    // The transform adds no calls, so the call graph and its effects still hold.
    cx.effects = Some(effects);
}

/// How long one pass took.
#[derive(Clone, Debug)]
pub struct PassTiming {
    pub pass: &'static str,
    pub elapsed: Duration,
}

/// A pass produced an invalid program: a bug in Kiln, not in the user's program.
#[derive(Clone, Debug)]
pub struct TransformError {
    pub pass: &'static str,
    pub errors: Vec<String>,
}

impl fmt::Display for TransformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "internal compiler error: the program is invalid after the `{}` pass:", self.pass)?;
        for e in &self.errors {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransformError {}

/// Runs every pass of [`PASSES`] in order, returning each pass's time.
pub fn run_all(prog: &mut LlProgram, options: &TransformOptions) -> Result<Vec<PassTiming>, TransformError> {
    let mut cx = TransformCx::new(options.clone());
    run_passes(&mut cx, prog, PASSES)
}

/// Runs the given passes in order with a shared context (for tests and for drivers that
/// stop early), verifying after each as [`run_all`] does.
pub fn run_passes(cx: &mut TransformCx, prog: &mut LlProgram, passes: &[(&'static str, PassFn)]) -> Result<Vec<PassTiming>, TransformError> {
    let verify = cfg!(debug_assertions) || cx.options.verify;
    let mut timings = Vec::with_capacity(passes.len());
    for &(pass, run) in passes {
        let start = Instant::now();
        run(cx, prog);
        timings.push(PassTiming { pass, elapsed: start.elapsed() });
        if verify {
            let errors = kiln_lltype::verify::verify_program(prog);
            if !errors.is_empty() {
                return Err(TransformError { pass, errors });
            }
        }
    }
    Ok(timings)
}

/// Runs the exception transform alone (with the effect analysis it needs) and returns
/// the effect info; for tests of later stages that want exception-free graphs.
pub fn run_exception_transform(prog: &mut LlProgram) -> EffectInfo {
    let effects = effects::analyze(prog);
    exceptions::run(prog, &effects);
    effects
}
