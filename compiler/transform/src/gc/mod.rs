//! The GC transform: makes a program's memory management explicit for one collector
//! ([`GcPolicy`]), so that the backend only has to lower a handful of simple ops and the
//! runtime's collector can find, move and free objects. RPython's `gctransform`, for a
//! shadow-stack root finder.
//!
//! It runs after the exception transform (it relies on allocation failures and calls
//! that raise having explicit checks after them) and only for native translation: the
//! llinterp runs the graphs before it, with the runtime's `none` collector.
//!
//! What it does to each graph, in order:
//! 1. **Write barriers** (`barrier.rs`), for policies that need them: `gc_write_barrier`
//!    before stores of GC pointers into objects that may be old.
//! 2. **Roots and allocation** (`rewrite.rs`): GC pointers live across an op that can
//!    collect are saved to shadow-stack slots before it and reloaded after it; `malloc`
//!    and `malloc_varsize` become an inline bump-pointer fast path and an out-of-line
//!    slow path (only the slow path saves roots). Which ops can collect comes from the op
//!    table and, for calls, from the call graph's effect info, so calls of functions that
//!    never allocate save nothing. With `none`, nothing collects: no roots at all.
//! 3. **Frame**: a function that saves roots reserves its slots on entry
//!    (`gc_push_frame[n]`, the first op; in a new start block when the old one is a loop
//!    header) and releases them before every return (`gc_pop_frame[n]`, in one epilogue
//!    block that every return goes through).
//!
//! Every inserted op carries the span of the op it serves. The program records the
//! policy (`LlProgram::gc`), which tells the backend which collector's entry points to
//! call and whose descriptor to put in the program info. The protocol on the runtime's
//! side is in `kiln_abi::gc` and `docs/gc.md`.
//!
//! Output contract (checked in debug builds): no `malloc`/`malloc_varsize` remains;
//! every `gc_save_root`/`gc_load_root` slot is below the frame size; a graph with slots
//! starts with `gc_push_frame` and returns only through `gc_pop_frame`; the program
//! verifies.

mod barrier;
mod rewrite;

use kiln_flowgraph::{Graph, Link, Operation, Value};
use kiln_lltype::{GcPolicy, Ll, LlGraph, LlOp, LlProgram, TypeId};

use crate::effects::EffectInfo;

/// What the transform did, for dumps and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GcStats {
    /// Functions that got a shadow-stack frame.
    pub frames: usize,
    /// Slots over all frames.
    pub slots: usize,
    pub barriers: usize,
    pub allocations: usize,
}

/// Runs the GC transform for `policy` on every function. The errors are internal
/// compiler errors (graphs that store GC pointers where no collector can see them).
pub fn run(prog: &mut LlProgram, effects: &EffectInfo, policy: GcPolicy) -> Result<GcStats, Vec<String>> {
    // The graphs are taken out so that the effect info can look at the program (types,
    // callees) while each graph is rewritten.
    let mut graphs: Vec<LlGraph> = prog
        .funcs
        .iter_mut()
        .map(|f| {
            let placeholder = Graph::new(f.name.clone(), f.graph.span, TypeId::VOID);
            std::mem::replace(&mut f.graph, placeholder)
        })
        .collect();
    let mut errors = Vec::new();
    let mut stats = GcStats::default();
    {
        let prog_ref: &LlProgram = prog;
        let collects = |g: &LlGraph, op: &Operation<Ll>| match op.op {
            LlOp::Malloc | LlOp::MallocVarsize => true,
            _ => effects.op(prog_ref, g, op).can_collect,
        };
        for g in &mut graphs {
            kiln_diagnostics::whereabouts::enter_function(&g.name, g.span);
            stats.allocations += count(g, |op| matches!(op, LlOp::Malloc | LlOp::MallocVarsize));
            if policy.needs_write_barrier() {
                errors.extend(barrier::insert(g, &prog_ref.types, policy, &collects));
            }
            let words = rewrite::gc_words(g, &prog_ref.types);
            let nslots = rewrite::Rewriter { g, types: &prog_ref.types, policy, collects: &collects, nslots: 0, words }.run();
            if nslots > 0 {
                add_frame(g, nslots);
                stats.frames += 1;
                stats.slots += nslots as usize;
            }
            stats.barriers += count(g, |op| matches!(op, LlOp::GcWriteBarrier | LlOp::GcWriteBarrierArray));
        }
    }
    for (f, g) in prog.funcs.iter_mut().zip(graphs) {
        f.graph = g;
    }
    prog.gc = Some(policy);
    #[cfg(debug_assertions)]
    errors.extend(check_output(prog));
    if errors.is_empty() {
        Ok(stats)
    } else {
        Err(errors)
    }
}

fn count(g: &LlGraph, pred: impl Fn(LlOp) -> bool) -> usize {
    let mut n = 0;
    g.for_each_op(|_, op| n += usize::from(pred(op.op)));
    n
}

/// Step 3 of the module doc.
fn add_frame(g: &mut LlGraph, nslots: u32) {
    let span = g.span;
    let start = g.startblock;
    let loops_back = g.reachable_blocks().iter().any(|b| g.block(*b).exits.iter().any(|l| l.target == start));
    let push_result = g.new_var(None, TypeId::VOID);
    let push = Operation { op: LlOp::GcPushFrame(nslots), args: vec![], result: push_result, span };
    if loops_back {
        let params = g.block(start).inputargs.clone();
        let fresh: Vec<_> = params.iter().map(|v| g.copy_var(*v)).collect();
        let entry = g.add_block(fresh.clone());
        let block = g.block_mut(entry);
        block.ops.push(push);
        block.exits.push(Link::new(start, fresh.into_iter().map(Value::Var).collect()));
        g.startblock = entry;
    } else {
        g.block_mut(start).ops.insert(0, push);
    }
    let rb = g.returnblock;
    let rv = g.copy_var(g.return_var());
    let epilogue = g.add_block(vec![rv]);
    for b in g.reachable_blocks() {
        if b == epilogue {
            continue;
        }
        for l in &mut g.block_mut(b).exits {
            if l.target == rb {
                l.target = epilogue;
            }
        }
    }
    let pop_result = g.new_var(None, TypeId::VOID);
    let block = g.block_mut(epilogue);
    block.ops.push(Operation { op: LlOp::GcPopFrame(nslots), args: vec![], result: pop_result, span });
    block.exits.push(Link::new(rb, vec![Value::Var(rv)]));
}

/// The output contract of the module doc; every message is an internal compiler error.
#[cfg(debug_assertions)]
fn check_output(prog: &LlProgram) -> Vec<String> {
    let mut errors = Vec::new();
    for f in &prog.funcs {
        let g = &f.graph;
        let start_ops = &g.block(g.startblock).ops;
        let frame = match start_ops.first().map(|op| op.op) {
            Some(LlOp::GcPushFrame(n)) => n,
            _ => 0,
        };
        g.for_each_op(|b, op| match op.op {
            LlOp::Malloc | LlOp::MallocVarsize => errors.push(format!("graph {}: {b}: {} was not expanded", f.name, op.op.name())),
            LlOp::GcSaveRoot(k) | LlOp::GcLoadRoot(k) if k >= frame => {
                errors.push(format!("graph {}: {b}: slot {k} is outside the frame of {frame} slots", f.name))
            }
            LlOp::GcPushFrame(_) if !std::ptr::eq(op, &start_ops[0]) => errors.push(format!("graph {}: {b}: gc_push_frame is not the first op", f.name)),
            _ => {}
        });
        if frame > 0 {
            for b in g.reachable_blocks() {
                let block = g.block(b);
                let pops = block.ops.iter().any(|op| op.op == LlOp::GcPopFrame(frame));
                if block.exits.iter().any(|l| l.target == g.returnblock) && !pops {
                    errors.push(format!("graph {}: {b}: returns without gc_pop_frame", f.name));
                }
            }
        }
    }
    errors
}
