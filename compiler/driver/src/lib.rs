//! The translation driver: what `kiln` does between parsing its command line and exiting.
//!
//! Entry points: [`translate`], [`run`], [`dump`] and [`check`], one per subcommand; each
//! takes the shared [`Options`] and returns an [`Outcome`] with the process exit code and
//! the time of every task.
//!
//! - [`tasks`]: the ordered task list (import → flow → annotate → rtype → transform →
//!   llinterp | llvm → link), each with its dependencies and a timing.
//! - [`pipeline`]: runs the tasks on one program, keeping what each produces.
//! - [`db`]: the salsa database, a thin index whose query bodies are in `load` and [`flow`].
//! - [`typing`]: the only calls into the annotator and the RTyper.
//! - [`progress`]: cargo-style progress lines on stderr.
//! - [`ice`]: panics inside stages become internal-compiler-error diagnostics.
//! - [`runtime`]: finds `libkiln_runtime.a`.
//!
//! Invariants: diagnostics are rendered here and nowhere else in the compiler; user input
//! never panics the driver (every stage runs under [`ice::catch`]); nothing is written to
//! stdout except by `dump` and by the program `run` runs.

pub mod commands;
pub mod db;
pub mod flow;
pub mod ice;
pub mod jit;
mod load;
pub mod options;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod runtime;
pub mod tasks;
pub mod typing;

pub use commands::{check, dump, run, translate, Outcome};
pub use kiln_diagnostics::ColorChoice;
pub use options::{DumpStage, Emit, Options, TranslateArgs, Verbosity, DEFAULT_GC, GCS};
pub use report::{EXIT_FAILURE, EXIT_ICE, EXIT_OK, EXIT_USAGE};
pub use tasks::{Task, TaskTiming, Timings, TASKS};
