//! The flowspace: turns the syntax tree of each run-time RPy function into a flow graph of
//! high-level operations in block-argument SSA form (the `Hl` dialect of the shared graph
//! model), folding what is constant after import.
//!
//! Entry point: [`build_flow_graph`]. Input: the imported [`kiln_frontend::Program`] and a
//! function object. Output: a verified graph, or diagnostics with spans.
//!
//! Invariants: every operation carries the span of the expression it came from; graphs
//! pass `kiln_flowgraph::verify_graph`; the program's heap is only read. This crate knows
//! nothing about types: that is the annotator's job.

pub mod build;
mod dynattr;
mod nonesplit;
pub mod ops;
pub mod simplify;
mod walrus;

pub use build::{build_flow_graph, Built, Opnd};
pub use ops::{CallShape, Hl, HlOp};
