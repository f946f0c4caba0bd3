//! The llinterp: runs a low-level program directly, without LLVM. It is the oracle of
//! the differential tests and what `kiln run` uses, so it behaves exactly like the
//! translated binary: the same startup and finish (uncaught exception line on stderr,
//! exit status 1), the same output buffer, the same allocation and heap limit, the same
//! string helpers, because it calls the very runtime (`kiln-runtime`) the binary links.
//!
//! Entry point: [`run`] (or [`run_captured`], which returns the output instead of writing
//! it to fds 1 and 2).
//!
//! It runs graphs *after* the exception transform: exception state is read and written
//! through the `exc_*` ops, and a `LastException` switch or a link to an except block is
//! an internal error. Objects live in real memory with the layouts `lltype` computes, so
//! runtime helpers work on them directly.
//!
//! Modules: `compile` turns each graph into a compact form on its first call;
//! `interp` runs it; `memory` holds loads, stores, function-pointer tags and the
//! materialisation of prebuilt objects; `rtcall` calls runtime functions by symbol.
//!
//! Invariant: the llinterp never dereferences a word that is not an object address
//! (null, a small int, a function tag) and never indexes an array out of bounds; it
//! reports [`LlInterpError::Internal`] instead, since such a program is a Kiln bug.

mod compile;
mod interp;
mod memory;
mod rtcall;

use std::fmt;

use kiln_lltype::{LlProgram, TypeId};
use kiln_runtime::host::Session;

use crate::compile::CompileEnv;
use crate::interp::Interp;
use crate::memory::ProgramData;

/// The runtime settings (heap limit, stack size), shared with translated binaries.
pub use kiln_runtime::config::RtConfig;

/// How to run a program.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// The call depth at which `kiln_stack_check` raises RecursionError: the llinterp's
    /// stand-in for the binary's stack limit. The default, 100 000 frames, makes both
    /// raise RecursionError on unbounded recursion.
    pub max_depth: usize,
    /// The runtime settings; `None` reads them from the environment (`KILN_GC_MAX_HEAP`,
    /// `KILN_STACK_LIMIT`), as a translated binary does.
    pub runtime: Option<RtConfig>,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions { max_depth: 100_000, runtime: None }
    }
}

/// What a captured run produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOutput {
    /// The process exit status a binary would have.
    pub exit_code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Why the llinterp could not run a program to its end. A program that raises an
/// uncaught exception is not an error: it ends with exit status 1, as a binary does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LlInterpError {
    /// The program has no entry point.
    NoEntry,
    /// The graphs break an invariant the llinterp relies on (a bug in Kiln, not in the
    /// user's program): a null dereference, an out-of-bounds index, an unsupported op.
    Internal(String),
    /// Calls nested past the hard depth limit: graphs without stack checks recursing
    /// without bound.
    DepthLimit { depth: usize, function: String },
}

impl fmt::Display for LlInterpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LlInterpError::NoEntry => write!(f, "the program has no entry point"),
            LlInterpError::Internal(m) => write!(f, "internal error in the llinterp (a bug in Kiln): {m}"),
            LlInterpError::DepthLimit { depth, function } => {
                write!(f, "calls nested {depth} deep, calling {function}: the graphs recurse without a stack check")
            }
        }
    }
}

impl std::error::Error for LlInterpError {}

/// Runs `prog.entry` on `args` (`args[0]` is the program name), writing to fds 1 and 2,
/// and returns the exit status a translated binary would have.
pub fn run(prog: &LlProgram, args: &[String], opts: &RunOptions) -> Result<i32, LlInterpError> {
    run_in_session(prog, args, opts, false).map(|out| out.exit_code)
}

/// Like [`run`], but returns what the program wrote instead of writing it.
pub fn run_captured(prog: &LlProgram, args: &[String], opts: &RunOptions) -> Result<RunOutput, LlInterpError> {
    run_in_session(prog, args, opts, true)
}

fn run_in_session(prog: &LlProgram, args: &[String], opts: &RunOptions, capture: bool) -> Result<RunOutput, LlInterpError> {
    let entry = prog.entry.ok_or(LlInterpError::NoEntry)?;
    let entry_func = prog.funcs.get(entry.0 as usize).ok_or(LlInterpError::NoEntry)?;
    let params: Vec<TypeId> = entry_func.graph.params().iter().map(|v| *entry_func.graph.var_type(*v)).collect();
    if params != [TypeId::LIST_STR_PTR] || entry_func.graph.var_type(entry_func.graph.return_var()) != &TypeId::SIGNED {
        return Err(LlInterpError::Internal(format!("the entry point {} must take a list of strings and return an int", entry_func.name)));
    }
    // The llinterp trusts the graphs' types to find fields in memory; a mistyped graph
    // would make it read or write the wrong bytes. Debug builds check first.
    #[cfg(debug_assertions)]
    {
        let problems = kiln_lltype::verify::verify_program(prog);
        if !problems.is_empty() {
            return Err(LlInterpError::Internal(format!("the program does not verify:\n{}", problems.join("\n"))));
        }
    }
    let config = match &opts.runtime {
        Some(c) => Ok(c.clone()),
        None => RtConfig::from_env(),
    };

    // Declared before the session so that it is dropped after it: the runtime holds a
    // pointer to the program info in it until the session ends.
    let mut data_slot: Option<ProgramData> = None;
    let session = Session::begin(capture);
    let data = data_slot.insert(ProgramData::materialise(prog, &session).map_err(LlInterpError::Internal)?);
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = config.map_err(kiln_runtime::start::StartError::BadConfig).and_then(|config| {
        // SAFETY: `data.info` and everything it points to live until `data_slot` is
        // dropped, after the session.
        unsafe { session.start(&arg_refs, &*data.info, &config) }
    });
    let exit_code = match started {
        Err(e) => session.report_start_error(&e),
        Ok(argv) => {
            let interp = Interp::new(CompileEnv { prog, rows: &data.rows, static_addrs: &data.static_addrs }, opts.max_depth);
            let ret = interp.call(entry, &[argv as u64])?;
            session.finish(ret as i64)
        }
    };
    let out = session.take_output();
    drop(session);
    Ok(RunOutput { exit_code, stdout: out.stdout, stderr: out.stderr })
}
