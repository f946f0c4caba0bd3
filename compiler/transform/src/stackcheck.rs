//! The stack-check pass: `rt_call[kiln_stack_check]()` on entry to every function that
//! sits on a cycle of the call graph (a strongly connected component with more than one
//! function, or a function that may call itself; indirect calls count through their
//! possible targets, see [`crate::effects`]), and only there. Only such functions can
//! nest without bound, so a check on each of their entries catches every runaway
//! recursion, while straight-line call chains pay nothing.
//!
//! The check raises RecursionError when the stack is nearly exhausted (the limit is the
//! runtime's, `KILN_STACK_LIMIT`); the pass runs before the exception transform, which
//! then adds the propagation after the check like after any raising call. The llinterp
//! runs checked graphs too, as a depth check.
//!
//! The check goes first in the start block; when the start block is also a loop header
//! (some link jumps back to it), a new start block holding just the check is put in
//! front, so that the check runs once per call. It carries the span of the function.

use kiln_flowgraph::{Link, Operation, Value};
use kiln_lltype::{LlGraph, LlOp, LlProgram, RtFn, TypeId};

use crate::effects::EffectInfo;

/// Inserts the checks; returns the number of functions checked.
pub fn run(prog: &mut LlProgram, effects: &EffectInfo) -> usize {
    let mut count = 0;
    for id in prog.func_ids().collect::<Vec<_>>() {
        if effects.is_recursive(id) {
            insert_check(&mut prog.func_mut(id).graph);
            count += 1;
        }
    }
    count
}

fn insert_check(g: &mut LlGraph) {
    let span = g.span;
    let result = g.new_var(None, TypeId::VOID);
    let check = Operation { op: LlOp::RtCall(RtFn::StackCheck), args: vec![], result, span };
    let start = g.startblock;
    let loops_back = g.reachable_blocks().iter().any(|b| g.block(*b).exits.iter().any(|l| l.target == start));
    if !loops_back {
        g.block_mut(start).ops.insert(0, check);
        return;
    }
    let params: Vec<_> = g.block(start).inputargs.clone();
    let fresh: Vec<_> = params.iter().map(|v| g.copy_var(*v)).collect();
    let entry = g.add_block(fresh.clone());
    let block = g.block_mut(entry);
    block.ops.push(check);
    block.exits.push(Link::new(start, fresh.into_iter().map(Value::Var).collect()));
    g.startblock = entry;
}
