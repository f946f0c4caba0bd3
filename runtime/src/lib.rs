//! The Kiln runtime: what is linked into every translated VM (as a static archive) and
//! into the `kiln` tool (as an rlib, so the llinterp calls the very same functions).
//!
//! Generated code calls the `#[no_mangle] extern "C"` functions listed in
//! [`symbols::symbol_table`] by name, and reads and writes the two exception-state
//! globals [`kiln_exc_type`] and [`kiln_exc_value`] directly. Every object it shares with
//! generated code has a layout from `kiln_abi`.
//!
//! Modules:
//! - [`start`]: `kiln_rt_start` and `kiln_rt_finish`, the program's first and last calls.
//! - [`exc`]: the exception state and raising built-in exceptions from the runtime.
//! - [`io`]: the stdout buffer (C-stdio-like) and writes to stderr.
//! - [`alloc`]: object allocation, through the program's collector.
//! - [`gc`]: the collectors (`none`, `semispace`, `marksweep`, `incminimark`), the
//!   shadow stack, and what GC-transformed code calls.
//! - [`rstr`]: string objects and the string helpers.
//! - [`parse_int`]: `int(s, base)` with CPython's rules and messages.
//! - [`mod@format`]: `repr(float)`, `repr(str)` and decimal formatting, as pure functions.
//! - [`utf8`]: encoding and decoding code points, surrogates included.
//! - [`stack`]: the stack-depth check behind `RecursionError`.
//! - [`config`]: runtime settings read from the environment.
//! - [`host`]: the Rust API for running a program in-process (the llinterp).
//! - [`rstrmeth`]: the str methods (find, split, join, strip, replace, case, ...), with
//!   [`unicode_data`], CPython's Unicode tables they use.
//! - [`rdesc`]: `repr`, `hash`, `==` and ordering of any value a `TypeDesc` describes;
//!   [`rformat`]: `format(value, spec)`; [`rpercent`]: `fmt % mapping` with a run-time
//!   format.
//! - [`rlistops`]: list operations (slices, sort via [`listsort`], min/max, ...).
//! - [`rdict`]: insertion-ordered dicts.
//! - [`rmath`]: float `//`, `%`, `**` and the math functions, with CPython's errors.
//! - [`ros`]: file descriptors (`kiln.os`) and clocks (`kiln.time`).
//! - [`symbols`]: the table of every exported function, by symbol name.
//!
//! Invariants: no exported function panics or unwinds on any input a program can
//! produce (they are called from generated code, which cannot catch a Rust panic); the
//! runtime is single-threaded, and in-process users serialise on [`host::Session`].

#![allow(non_upper_case_globals)]

pub mod alloc;
pub mod config;
pub mod exc;
pub mod format;
pub mod gc;
mod global;
pub mod host;
pub mod io;
pub mod parse_int;
pub mod rbytes;
pub mod rstr;
pub mod rconv;
pub mod rlist;
pub mod rdesc;
pub mod rdict;
pub mod rformat;
pub mod rpercent;
pub mod rlistops;
pub mod listsort;
pub mod rmath;
pub mod ros;
pub mod rstrmeth;
pub mod stack;
pub mod start;
pub mod symbols;
#[cfg(test)]
mod testprog;
pub mod unicode_data;
pub mod utf8;

pub use alloc::{kiln_gc_malloc, kiln_gc_malloc_varsize};
pub use exc::{kiln_exc_type, kiln_exc_value};
pub use format::format_float_repr;
pub use gc::kiln_gc_collect;
pub use io::{kiln_flush_stdout, kiln_out_char, kiln_out_float, kiln_out_int, kiln_out_str};
pub use rstr::{kiln_str_char_at, kiln_str_cmp, kiln_str_concat, kiln_str_eq, kiln_str_from_char, kiln_str_from_int, kiln_str_to_int};
pub use stack::kiln_stack_check;
pub use start::{kiln_rt_finish, kiln_rt_start};
pub use symbols::symbol_table;
