//! Write-barrier insertion: `gc_write_barrier(obj)` before every store of a GC pointer
//! into a GC object that may be old, for policies with a barrier.
//!
//! Not every store needs one:
//! - a store of a constant (null or a prebuilt object, which never moves or dies) does
//!   not create a pointer the collector must learn about;
//! - a store into an object allocated with no collection point between the allocation
//!   and the store needs none: the object is young, or was allocated old and starts
//!   remembered (see `runtime/src/gc/incminimark.rs`). Freshness follows the object
//!   through links (the exception transform puts the check after an allocation between
//!   it and the stores that initialize the object): a block input is fresh when every
//!   link into the block passes a fresh value, the greatest fixpoint over the graph.
//!
//! Stores into items of arrays whose items hold GC pointers get the array form
//! `gc_write_barrier_array(obj, index)` when the policy marks cards, so that a write into
//! a large old array dirties one card instead of the whole array.

use std::collections::HashSet;

use kiln_flowgraph::{Operation, Value, Var};
use kiln_lltype::{GcPolicy, Ll, LlConst, LlGraph, LlOp, LlType, TypeId, TypeTable};

fn value_type(g: &LlGraph, v: &Value<LlConst>) -> TypeId {
    match v {
        Value::Var(v) => *g.var_type(*v),
        Value::Const(c) => c.ty(),
    }
}

/// Inserts the barriers of one graph; `collects` says whether an op can collect.
/// Returns the problems found (GC pointers stored where no collector can see them: a bug
/// of the stage that made the graph).
pub(crate) fn insert(g: &mut LlGraph, types: &TypeTable, policy: GcPolicy, collects: &dyn Fn(&LlGraph, &Operation<Ll>) -> bool) -> Vec<String> {
    let mut errors = Vec::new();
    let fresh_inputs = fresh_inputs(g, collects);
    for b in g.reachable_blocks() {
        let flags: Vec<bool> = g.block(b).ops.iter().map(|op| collects(g, op)).collect();
        let ops = std::mem::take(&mut g.block_mut(b).ops);
        let mut out = Vec::with_capacity(ops.len());
        let mut fresh: HashSet<Var> = g.block(b).inputargs.iter().copied().filter(|v| fresh_inputs.contains(v)).collect();
        for (i, op) in ops.into_iter().enumerate() {
            let store = match op.op {
                LlOp::SetField(_) => Some((1, None)),
                LlOp::SetArrayItem | LlOp::SetInteriorItem(_) => Some((2, Some(1))),
                _ => None,
            };
            if let Some((value_at, index_at)) = store {
                let (obj, value) = (&op.args[0], &op.args[value_at]);
                let stores_gc_pointer = matches!(value, Value::Var(_)) && types.contains_gc_ptr(value_type(g, value));
                let into = value_type(g, obj);
                if stores_gc_pointer {
                    let gc_object = matches!(types.get(into), LlType::Ptr(t) if types.is_gc(*t));
                    if !gc_object {
                        errors.push(format!(
                            "graph {}: {b}: {} stores a GC pointer into {}, which is not a GC object: no collector would see it",
                            g.name,
                            op.op.name(),
                            types.name(into)
                        ));
                    } else if !obj.as_var().is_some_and(|v| fresh.contains(&v)) {
                        let barrier = match index_at {
                            Some(idx) if policy.card_marking() => {
                                let result = g.new_var(None, TypeId::VOID);
                                Operation { op: LlOp::GcWriteBarrierArray, args: vec![obj.clone(), op.args[idx].clone()], result, span: op.span }
                            }
                            _ => {
                                let result = g.new_var(None, TypeId::VOID);
                                Operation { op: LlOp::GcWriteBarrier, args: vec![obj.clone()], result, span: op.span }
                            }
                        };
                        out.push(barrier);
                    }
                }
            }
            step(&mut fresh, &op, flags[i]);
            out.push(op);
        }
        g.block_mut(b).ops = out;
    }
    errors
}

/// How one op changes the set of fresh objects: a collection point ends every
/// freshness, an allocation starts one, casts keep it.
fn step(fresh: &mut HashSet<Var>, op: &Operation<Ll>, collects: bool) {
    if collects {
        fresh.clear();
    }
    match op.op {
        LlOp::Malloc | LlOp::MallocVarsize => {
            fresh.insert(op.result);
        }
        LlOp::SameAs | LlOp::CastPointer if op.args[0].as_var().is_some_and(|v| fresh.contains(&v)) => {
            fresh.insert(op.result);
        }
        _ => {}
    }
}

/// The block inputs that hold a fresh object on every path into their block: the
/// greatest fixpoint, starting from "every input of a block other than the start block
/// is fresh" and removing inputs some link passes a non-fresh value to.
fn fresh_inputs(g: &LlGraph, collects: &dyn Fn(&LlGraph, &Operation<Ll>) -> bool) -> HashSet<Var> {
    let blocks = g.reachable_blocks();
    let mut fresh_in: HashSet<Var> = blocks.iter().filter(|b| **b != g.startblock && !g.is_final(**b)).flat_map(|b| g.block(*b).inputargs.iter().copied()).collect();
    let flags: Vec<Vec<bool>> = blocks.iter().map(|b| g.block(*b).ops.iter().map(|op| collects(g, op)).collect()).collect();
    loop {
        let mut changed = false;
        for (b, flags) in blocks.iter().zip(&flags) {
            let block = g.block(*b);
            let mut fresh: HashSet<Var> = block.inputargs.iter().copied().filter(|v| fresh_in.contains(v)).collect();
            for (op, f) in block.ops.iter().zip(flags) {
                step(&mut fresh, op, *f);
            }
            for l in &block.exits {
                for (a, input) in l.args.iter().zip(&g.block(l.target).inputargs) {
                    let is_fresh = a.as_var().is_some_and(|v| fresh.contains(&v));
                    if !is_fresh && fresh_in.remove(input) {
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            return fresh_in;
        }
    }
}
