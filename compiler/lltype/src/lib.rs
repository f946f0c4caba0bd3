//! Low-level types and operations: the vocabulary of lltype graphs, which the RTyper
//! produces and every later stage (transforms, llinterp, LLVM backend, JIT codewriter)
//! consumes.
//!
//! - [`types`]: the type table and the x86-64 layout of every type, computed once here.
//! - [`ops`]: the op enum and its property table (pure, can raise, can collect, effects).
//! - [`rtfn`]: the runtime library's entry points with their signatures and effects.
//! - [`jit`]: JIT drivers, function hints and field mutability, for the codewriter.
//! - [`gc`]: the GC policies and what each asks of the GC transform and the backend.
//! - [`program`]: constants, prebuilt objects, functions, and the `Ll` dialect.
//! - [`eval`]: the meaning of pure ops, shared by folding and the llinterp.
//! - [`verify`]: checks a whole program against its type table.
//!
//! This crate does no I/O and knows nothing of Python or of annotations.

pub mod builder;
pub mod eval;
pub mod gc;
pub mod jit;
pub mod ops;
pub mod program;
pub mod rtfn;
pub mod typeinfo;
pub mod types;
pub mod verify;

pub use gc::GcPolicy;
pub use jit::{FuncHints, HintFlags, JitCallback, JitDriverDesc, JitDriverId, JitVar, Mutability};
pub use ops::{Effect, FieldRef, Kind, LlOp, OpInfo};
pub use program::{kind_of, FuncId, FuncKind, Ll, LlConst, LlFunc, LlProgram, StaticId, StaticObj, StaticValue};
pub use rtfn::{RtFn, RtInfo};
pub use types::{Field, Layout, LlType, StructLayout, StructType, TypeId, TypeTable, VarsizeLayout};

/// A graph of the low-level dialect.
pub type LlGraph = kiln_flowgraph::Graph<Ll>;
