//! The policy: which functions the tracer looks into (they get jitcodes and are called
//! with `inline_call`) and which it calls as they are (`residual_call`, with a call
//! descriptor), as RPython's `JitPolicy.look_inside_graph`.
//!
//! The hints are the function's [`FuncHints`] (`LlFunc::hints`, from the `kiln.jit`
//! decorators). A function is looked into unless
//! - it is `@dont_look_inside`, or `@look_inside_iff(pred)` (the predicate would decide
//!   at trace time; until predicates are translated, the call stays residual);
//! - it is `@elidable` (a residual call the optimizer may fold or share);
//! - its graph has a loop and it is not `@unroll_safe` (tracing it would unroll the loop
//!   into the trace);
//! - it holds an operation jitcodes cannot express (the [`crate::flatten`] error says
//!   which).
//!
//! Runtime helpers (`rt_call`) have no graphs: they are always residual, with their
//! oopspec. Indirect calls are residual too. The portal is always looked into: its loop
//! is the interpreter's dispatch loop, which the merge point cuts.

use kiln_lltype::{FuncHints, FuncId, LlProgram};

/// Why a function is called residually.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Residual {
    DontLookInside,
    LookInsideIff(String),
    Elidable,
    LoopInvariant,
    HasLoop,
    Unsupported(String),
}

impl std::fmt::Display for Residual {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Residual::DontLookInside => write!(f, "@dont_look_inside"),
            Residual::LookInsideIff(p) => write!(f, "@look_inside_iff({p}): predicates are not evaluated yet"),
            Residual::Elidable => write!(f, "@elidable"),
            Residual::LoopInvariant => write!(f, "@loop_invariant"),
            Residual::HasLoop => write!(f, "has a loop and is not @unroll_safe"),
            Residual::Unsupported(why) => write!(f, "not expressible as jitcode: {why}"),
        }
    }
}

/// Whether the graph of `f` has a cycle (a loop of the program, or a retry).
pub fn has_loop(prog: &LlProgram, f: FuncId) -> bool {
    let g = &prog.func(f).graph;
    // Iterative depth-first search with colours: a link to a block still on the stack is
    // a back edge.
    let n = g.blocks.len();
    let mut colour = vec![0u8; n];
    let mut stack: Vec<(usize, usize)> = vec![(g.startblock.0 as usize, 0)];
    colour[g.startblock.0 as usize] = 1;
    while let Some((b, i)) = stack.pop() {
        let exits = &g.blocks[b].exits;
        if i < exits.len() {
            stack.push((b, i + 1));
            let t = exits[i].target.0 as usize;
            match colour[t] {
                0 => {
                    colour[t] = 1;
                    stack.push((t, 0));
                }
                1 => return true,
                _ => {}
            }
        } else {
            colour[b] = 2;
        }
    }
    false
}

/// The policy's answer for `f` from its hints and its graph's shape (the flattener adds
/// [`Residual::Unsupported`] when it cannot express an operation).
pub fn decide(prog: &LlProgram, f: FuncId) -> Result<(), Residual> {
    let hints: &FuncHints = &prog.func(f).hints;
    if hints.dont_look_inside {
        return Err(Residual::DontLookInside);
    }
    if let Some(p) = &hints.look_inside_iff {
        return Err(Residual::LookInsideIff(p.clone()));
    }
    if hints.elidable {
        return Err(Residual::Elidable);
    }
    if hints.loop_invariant {
        return Err(Residual::LoopInvariant);
    }
    // As in RPython, `@look_inside` does not override a loop: only `@unroll_safe` does.
    if !hints.unroll_safe && has_loop(prog, f) {
        return Err(Residual::HasLoop);
    }
    Ok(())
}
