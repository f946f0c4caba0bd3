//! The jitcode format: what Kiln's codewriter produces at translation time and the JIT
//! runtime (tracer and blackhole interpreter) executes, emitted into a `--jit` binary as
//! bytes.
//!
//! - [`insn`]: the instruction table (name and operand codes of every opcode) and the
//!   decoder every consumer uses.
//! - [`descr`]: field, array, size and call descriptors, with effect info and oopspecs.
//! - [`code`]: [`JitCode`] (one function's bytecode, constant pools and liveness) and
//!   [`JitCodeSet`] (every jitcode of a program, the descriptors, the symbols).
//! - [`assemble`]: turns symbolic instructions with labels into bytecode.
//! - [`print`]: the deterministic text form used by `kiln dump --stage jitcodes` and the
//!   golden tests.
//! - [`serial`]: the byte form, and reading it back without trusting it.
//! - [`verify`]: the invariants of a jitcode set (listed in its module doc).
//!
//! This crate has no dependencies and does no I/O, so the compiler's crates can use it
//! without compiling the JIT backend.

pub mod assemble;
pub mod code;
pub mod descr;
pub mod insn;
pub mod print;
pub mod serial;
pub mod verify;

#[cfg(test)]
mod tests;

pub use assemble::{Assembler, Label, Operand};
pub use code::{Bank, IntConst, JitCode, JitCodeSet, Liveness, PortalInfo, Printable, RefConst, Symbol, SymbolKind};
pub use descr::{ArrayDescr, CallDescr, CallTarget, Descr, DescrKind, EffectInfo, ExtraEffect, FieldDescr, Mutability, SizeDescr};
pub use insn::{decode, ArgCode, Decoded, DecodedArg, Opcode, INSNS};
pub use print::print_set;
pub use serial::{from_bytes, to_bytes, FORMAT_VERSION};
pub use verify::verify_set;
