//! Trace backends: an optimized trace in, machine code out, behind one trait so that a
//! second tier (LLVM) can come later. The first backend is Cranelift (`cranelift.rs`).
//!
//! Calling convention of compiled code: one argument, a pointer to the *frame*, a buffer
//! of 64-bit words. On entry, word `k` holds input box `k` (ints as `i64`, floats as their
//! bits, references as addresses). Compiled code returns the index of the exit it left by
//! (a failing guard, or `finish`) after writing that exit's values to the frame, in the
//! order `ExitInfo::values` lists them.

pub mod cranelift;
#[cfg(test)]
mod tests;

use crate::descr::DescrTable;
use crate::ir::{Trace, Value};

/// Why a trace was not compiled. Never a panic: the tracer then keeps interpreting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackendError {
    /// An op (or a form of it) this backend does not compile yet.
    Unsupported(String),
    /// The trace breaks an invariant the backend relies on.
    Malformed(String),
    /// The code generator refused the function.
    Codegen(String),
}

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BackendError::Unsupported(s) => write!(f, "not supported by the backend: {s}"),
            BackendError::Malformed(s) => write!(f, "malformed trace: {s}"),
            BackendError::Codegen(s) => write!(f, "code generation failed: {s}"),
        }
    }
}

impl std::error::Error for BackendError {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitKind {
    /// A guard failed.
    Guard,
    Finish,
}

/// One way out of compiled code.
#[derive(Clone, Debug, PartialEq)]
pub struct ExitInfo {
    pub kind: ExitKind,
    /// Index of the guard or `finish` op in the compiled trace.
    pub op: usize,
    /// What the frame holds after leaving here: the guard's resume values (frames
    /// flattened, outermost first) or `finish`'s arguments.
    pub values: Vec<Value>,
}

/// A compiled trace.
pub struct CompiledTrace {
    entry: unsafe extern "C" fn(*mut u64) -> u64,
    pub exits: Vec<ExitInfo>,
    /// Words the frame must have: inputs and the largest exit.
    pub frame_words: usize,
}

impl CompiledTrace {
    /// Runs the compiled trace on `frame` and returns the exit it left by.
    ///
    /// # Safety
    /// Every reference input must point to a live object whose layout matches the
    /// descriptors the trace was compiled with, as must every reference the code loads.
    pub unsafe fn run(&self, frame: &mut [u64]) -> Result<&ExitInfo, BackendError> {
        if frame.len() < self.frame_words {
            return Err(BackendError::Malformed(format!("frame of {} words, {} needed", frame.len(), self.frame_words)));
        }
        // SAFETY: the frame is large enough; the caller vouches for the references.
        let exit = unsafe { (self.entry)(frame.as_mut_ptr()) };
        self.exits
            .get(exit as usize)
            .ok_or_else(|| BackendError::Codegen(format!("compiled code returned unknown exit {exit}")))
    }
}

/// A trace compiler.
pub trait Backend {
    /// Compiles a trace: a loop (`label` … `jump` to it) or a straight line ending with
    /// `finish`.
    fn compile(&mut self, trace: &Trace, descrs: &DescrTable) -> Result<CompiledTrace, BackendError>;
}
