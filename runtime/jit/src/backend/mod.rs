//! Trace backends: an optimized trace in, machine code out, behind one trait so that a
//! second tier (LLVM) can come later. The first backend is Cranelift (`cranelift.rs`).
//!
//! Calling convention of compiled code: a pointer to the *frame*, a buffer of 64-bit
//! words, and an entry selector (0: the start; 1: the loop's `label`, for bridges that
//! jump to it). On entry, word `k` holds input box `k` (ints as `i64`, floats as their
//! bits, references as addresses). Compiled code returns the global number of the exit it
//! left by (a failing guard, `finish`, or a failed allocation) after writing that exit's
//! values to the frame, in the order `ExitInfo::values` lists them. Traces use Cranelift's
//! `tail` calling convention, so that a guard with a bridge and a bridge's jump to a loop
//! are tail calls (no native stack grows however often they are taken); Rust enters them
//! through a per-backend trampoline.

pub mod cranelift;
pub mod frame;
mod lower;
mod lower_gc;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod gc_tests;

use std::rc::Rc;

pub use frame::{ExitInfo, ExitKind, ExitTable, GuardSlot, JitFrame, RootSet};

use crate::descr::DescrTable;
use crate::ir::{Trace, Type};

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

/// A compiled trace (a loop, a straight line or a bridge).
pub struct CompiledTrace {
    /// The backend's number for it (`ExitInfo::trace`).
    pub number: u32,
    /// Its entry, in the `tail` calling convention: `fn(frame, entry) -> exit`.
    pub(crate) code: u64,
    /// The backend's `fn(frame, code, entry) -> exit` that calls traces from Rust.
    pub(crate) trampoline: unsafe extern "C" fn(*mut u64, u64, i64) -> u64,
    /// Its own exits.
    pub exits: Vec<Rc<ExitInfo>>,
    /// Words the frame must have: inputs and the largest exit of this trace.
    pub frame_words: usize,
    /// The types of its inputs.
    pub input_types: Vec<Type>,
    pub(crate) table: Rc<ExitTable>,
}

impl CompiledTrace {
    /// Runs the compiled trace on `frame` and returns the exit it left by (possibly an
    /// exit of a bridge attached to one of its guards).
    ///
    /// # Safety
    /// Every reference input must point to a live object whose layout matches the
    /// descriptors the trace was compiled with, as must every reference the code loads;
    /// every function a call op names must have the call descriptor's signature. A plain
    /// frame's references are not GC roots: use [`CompiledTrace::run_frame`] when the
    /// code can collect.
    pub unsafe fn run(&self, frame: &mut [u64]) -> Result<Rc<ExitInfo>, BackendError> {
        let need = self.frame_words.max(self.table.frame_words());
        if frame.len() < need {
            return Err(BackendError::Malformed(format!("frame of {} words, {} needed", frame.len(), need)));
        }
        // SAFETY: the frame is large enough; the caller vouches for the rest.
        let exit = unsafe { (self.trampoline)(frame.as_mut_ptr(), self.code, 0) };
        self.table.get(exit).ok_or_else(|| BackendError::Codegen(format!("compiled code returned unknown exit {exit}")))
    }

    /// Runs the compiled trace on a frame whose words `0..n` hold its inputs (set with
    /// their types); afterwards the frame holds the exit's values, with their types, so
    /// references stay GC roots as long as the frame lives.
    ///
    /// # Safety
    /// As for [`CompiledTrace::run`].
    pub unsafe fn run_frame(&self, frame: &mut JitFrame) -> Result<Rc<ExitInfo>, BackendError> {
        frame.reserve(self.frame_words.max(self.table.frame_words()));
        // While compiled code runs, the frame is no root: the code reads its inputs on
        // entry and keeps the live references in its shadow-stack slots, and a guard
        // exit overwrites the words with values of other types before it tail-calls a
        // bridge, which can collect. With the entry's types kept, an int there (the
        // exit's green pc) was a root: `fatal GC error: root: 0x31 is not an object
        // address` under KILN_GC_DEBUG, and a word a collector may rewrite.
        frame.retype(&[]);
        // SAFETY: the frame is large enough; the caller vouches for the rest.
        let exit = unsafe { (self.trampoline)(frame.as_mut_ptr(), self.code, 0) };
        let info = self.table.get(exit).ok_or_else(|| BackendError::Codegen(format!("compiled code returned unknown exit {exit}")))?;
        frame.retype(&info.types);
        Ok(info)
    }
}

/// A trace compiler.
pub trait Backend {
    /// Compiles a trace: a loop (`label` … `jump` to it) or a straight line ending with
    /// `finish`.
    fn compile(&mut self, trace: &Trace, descrs: &DescrTable) -> Result<CompiledTrace, BackendError>;

    /// Compiles a bridge from the guard exit `guard` (its inputs are the guard's values,
    /// in order, with the same types) and attaches it: from then on the guard continues
    /// in the bridge instead of leaving. A bridge may end with `finish` or jump to the
    /// label of a loop compiled before.
    fn compile_bridge(&mut self, guard: &ExitInfo, trace: &Trace, descrs: &DescrTable) -> Result<CompiledTrace, BackendError>;

    /// A frame whose references are GC roots, large enough for every trace so far.
    fn new_frame(&self) -> JitFrame;
}
