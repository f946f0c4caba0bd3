//! Kiln's tracing JIT runtime: the trace IR, its printer, parser and verifier, and the
//! trace optimizer.
//!
//! This crate is linked only into VMs translated with `--jit`; no compiler crate and not
//! `kiln-runtime` depend on it (docs/jit.md, docs/architecture.md).

pub mod backend;
pub mod descr;
pub mod interp;
pub mod jitlog;
pub mod ir;
pub mod opcode;
pub mod opt;
pub mod parse;
pub mod print;
pub mod resume;
pub mod state;
pub mod verify;
pub mod warmstate;

pub use descr::{DescrId, DescrTable};
pub use ir::{BoxId, Const, Op, Trace, Type, Value};
pub use opcode::OpCode;
pub use parse::{parse_trace, parse_trace_file, ParseError};
pub use print::{print_trace, print_trace_file};
pub use verify::{verify, VerifyError};

#[cfg(test)]
mod semantics_tests;
#[cfg(test)]
mod tests;
