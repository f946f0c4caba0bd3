//! The frontend: parses RPy modules and evaluates them at import time, producing the
//! [`Program`]: every prebuilt object (functions, classes, constants, prebuilt instances,
//! JIT drivers) the later stages translate.
//!
//! - [`value`]: the object model and its heap.
//! - [`builtins`]: built-in functions, types, exception classes and Kiln's own modules.
//! - [`eval`]: the import-time evaluator.
//! - [`native`]: sets, `globals()`, `functools`, `operator`, `itertools` and the other
//!   Python objects used at import time only.
//! - [`ops`], [`attrs`], [`methods`], [`callargs`]: Python semantics shared with the
//!   flowspace's constant folding.
//! - [`parse`]: turns source text into a syntax tree or a diagnostic.
//! - [`library`]: the `rpython.rlib` modules written in RPy that the binary carries.
//!
//! Invariants: after [`evaluate`] returns, nothing mutates the heap. This crate knows
//! nothing about flow graphs or types; it reads files only through a [`SourceLoader`].

pub mod attrs;
pub mod builtins;
mod calls;
pub mod callargs;
pub mod eval;
pub mod imports;
mod introspect;
pub mod library;
pub mod memory;
mod meta;
pub mod methods;
pub mod native;
pub mod ops;
pub mod parse;
pub mod target;
pub mod value;

use std::sync::Arc;

use indexmap::IndexMap;
use kiln_diagnostics::Diagnostic;

pub use builtins::{Builtin, BuiltinClasses, BuiltinType};
pub use eval::{evaluate, evaluate_with, EvalOptions, Loaded, SourceLoader};
pub use value::{Class, FuncBody, Function, Heap, Instance, Module, ObjId, Object, Value};

/// The result of importing a program.
#[derive(Clone, Debug)]
pub struct Program {
    pub heap: Heap,
    pub classes: BuiltinClasses,
    /// What every module sees without importing.
    pub builtins: IndexMap<Arc<str>, Value>,
    /// Every imported module, by dotted name.
    pub modules: IndexMap<String, ObjId>,
    pub main: Option<ObjId>,
    /// The main module's `entry_point` function, if it has one, or the entry point its
    /// `target` returned.
    pub entry: Option<ObjId>,
    /// What the main module's `target(driver, args)` gave, when it defines one.
    pub target: Option<target::Target>,
    /// Errors found while importing (at most one per program: import stops at the first).
    pub diagnostics: Vec<Diagnostic>,
    /// Modules named by imports inside functions that failed to import, with why: the
    /// flowspace reports them if such a function is translated.
    pub deferred_import_errors: IndexMap<String, Diagnostic>,
}
