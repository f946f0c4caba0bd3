//! Translation aspects on low-level graphs, run between the RTyper and the backends
//! (llinterp or LLVM): the effect analysis, stack checks, the exception transform and the
//! GC transform; backend optimizations will join the same pass list.
//!
//! Entry point: [`run_all`], which runs [`PASSES`] in order on an [`LlProgram`], verifies
//! the program after each pass in debug builds (or with [`TransformOptions::verify`]) and
//! times each pass; [`run_through`] stops after a named pass (for `kiln dump --stage`).
//! Every pass has one shape, [`PassFn`]. Facts a pass computes for later passes (the
//! [`EffectInfo`]) live in the [`TransformCx`], never in the graphs.
//!
//! The passes, in order, and what [`TransformOptions`] changes:
//! 0. `jitportal` ([`jitportal`]): only with `jit` (`kiln translate --jit`): each
//!    `jit_merge_point` becomes a call into the JIT runtime (docs/jit.md, "The portal").
//!    A variable live across a merge point that is neither green nor red is a user
//!    diagnostic ([`TransformError::diagnostics`]).
//! 1. `effects`: the call graph's effect info.
//! 2. `stackcheck` ([`stackcheck`]): stack checks on entry to recursive functions, unless
//!    `stack_checks` is off (`--no-stackcheck`). Before the exception transform, which
//!    adds the propagation after each check. Recomputes the effect info (checked
//!    functions can raise now).
//! 3. `exceptions` ([`exceptions`]): explicit exception checks and propagation.
//! 4. `gc` ([`gc`]): roots, write barriers, inline allocation for the collector `gc`
//!    names; skipped when it is `None` (graphs for the llinterp, `kiln run`).
//!
//! A driver translating to a binary (`kiln translate --gc=NAME`) runs them all with
//! `gc: Some(policy)`; `kiln run` with `gc: None`; `kiln dump --stage gc` is
//! `run_through(prog, &options, "gc")` followed by printing every function.
//!
//! This crate does no I/O, never re-enters the annotator or RTyper, and knows nothing of
//! LLVM.

pub mod effects;
pub mod exceptions;
pub mod gc;
pub mod heap_effects;
pub mod jitportal;
pub mod stackcheck;

use std::fmt;
use std::time::{Duration, Instant};

use kiln_lltype::{GcPolicy, LlProgram};

pub use effects::{analyze, analyze_stack_checked, CallNode, EffectInfo, Effects};
pub use heap_effects::{heap_effects, HeapEffects, HeapLoc, HeapSets};

/// Options of the transform stage.
#[derive(Clone, Debug)]
pub struct TransformOptions {
    /// Verify the program after every pass even in release builds (`--verify`).
    pub verify: bool,
    /// The collector to GC-transform for (`--gc=NAME`, default `incminimark`, for native
    /// translation); `None` leaves allocation to the llinterp's `none` collector.
    pub gc: Option<GcPolicy>,
    /// Insert stack checks in recursive functions; `--no-stackcheck` turns them off.
    pub stack_checks: bool,
    /// Rewrite the portal for the JIT (`--jit`, native translation only).
    pub jit: bool,
}

impl Default for TransformOptions {
    /// For the llinterp: stack checks, no GC transform, no extra verification.
    fn default() -> TransformOptions {
        TransformOptions { verify: false, gc: None, stack_checks: true, jit: false }
    }
}

/// What passes share: the options and facts computed by earlier passes.
pub struct TransformCx {
    pub options: TransformOptions,
    /// The call graph's effects, from the `effects` pass. A pass that changes which
    /// functions call which, or what they may do, must recompute it.
    pub effects: Option<EffectInfo>,
    /// Internal compiler errors a pass found; [`run_passes`] stops after such a pass.
    pub errors: Vec<String>,
    /// What the GC transform did, once it ran.
    pub gc_stats: Option<gc::GcStats>,
    /// Errors in the user's program a pass found (with spans); [`run_passes`] stops
    /// after such a pass too.
    pub diagnostics: Vec<kiln_diagnostics::Diagnostic>,
    /// What the portal rewrite did, once it ran with `jit`.
    pub portal_stats: Option<jitportal::PortalStats>,
}

impl TransformCx {
    pub fn new(options: TransformOptions) -> TransformCx {
        TransformCx { options, effects: None, errors: Vec::new(), gc_stats: None, diagnostics: Vec::new(), portal_stats: None }
    }

    /// The effect info, computed now if no pass has computed it yet.
    pub fn effects(&mut self, prog: &LlProgram) -> &EffectInfo {
        self.effects.get_or_insert_with(|| effects::analyze(prog))
    }
}

/// The one shape of a pass.
pub type PassFn = fn(&mut TransformCx, &mut LlProgram);

/// The passes, in the order they run.
pub const PASSES: &[(&str, PassFn)] = &[("jitportal", jitportal_pass), ("effects", effects_pass), ("stackcheck", stackcheck_pass), ("exceptions", exceptions_pass), ("gc", gc_pass)];

fn jitportal_pass(cx: &mut TransformCx, prog: &mut LlProgram) {
    if !cx.options.jit {
        return;
    }
    match jitportal::run(prog) {
        Ok(stats) => cx.portal_stats = Some(stats),
        Err(diags) => cx.diagnostics.extend(diags),
    }
    cx.effects = None;
}

fn effects_pass(cx: &mut TransformCx, prog: &mut LlProgram) {
    cx.effects = Some(effects::analyze(prog));
}

fn stackcheck_pass(cx: &mut TransformCx, prog: &mut LlProgram) {
    if !cx.options.stack_checks {
        return;
    }
    let effects = cx.effects.take().unwrap_or_else(|| effects::analyze(prog));
    if stackcheck::run(prog, &effects) > 0 {
        // Checked functions (and their callers) can raise now.
        cx.effects = Some(effects::analyze(prog));
    } else {
        cx.effects = Some(effects);
    }
}

fn gc_pass(cx: &mut TransformCx, prog: &mut LlProgram) {
    let Some(policy) = cx.options.gc else { return };
    let effects = cx.effects.take().unwrap_or_else(|| effects::analyze(prog));
    match gc::run(prog, &effects, policy) {
        Ok(stats) => cx.gc_stats = Some(stats),
        Err(errors) => cx.errors.extend(errors),
    }
    // The transform adds calls to the runtime only: the call graph still holds.
    cx.effects = Some(effects);
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
    /// Internal errors: bugs in Kiln.
    pub errors: Vec<String>,
    /// Errors in the user's program, to report as they are.
    pub diagnostics: Vec<kiln_diagnostics::Diagnostic>,
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
    run_passes(&mut cx, prog, &passes_for(options, PASSES))
}

/// The passes of `passes` that `options` turns on: `jitportal` only with `jit`.
pub fn passes_for(options: &TransformOptions, passes: &[(&'static str, PassFn)]) -> Vec<(&'static str, PassFn)> {
    passes.iter().copied().filter(|(name, _)| options.jit || *name != "jitportal").collect()
}

/// Runs the passes of [`PASSES`] up to and including the one named `last` (all of them
/// when no pass has that name): what `kiln dump --stage NAME` shows the result of.
pub fn run_through(prog: &mut LlProgram, options: &TransformOptions, last: &str) -> Result<Vec<PassTiming>, TransformError> {
    let end = PASSES.iter().position(|(name, _)| *name == last).map_or(PASSES.len(), |i| i + 1);
    let mut cx = TransformCx::new(options.clone());
    run_passes(&mut cx, prog, &passes_for(options, &PASSES[..end]))
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
        if !cx.errors.is_empty() || !cx.diagnostics.is_empty() {
            return Err(TransformError { pass, errors: std::mem::take(&mut cx.errors), diagnostics: std::mem::take(&mut cx.diagnostics) });
        }
        if verify {
            let errors = kiln_lltype::verify::verify_program(prog);
            if !errors.is_empty() {
                return Err(TransformError { pass, errors, diagnostics: Vec::new() });
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
