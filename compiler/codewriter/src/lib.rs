//! The JIT codewriter: turns the lltype graphs the tracer may look into, starting from
//! the portal, into jitcodes and descriptors (`kiln_jitcode`), as RPython's
//! `jit/codewriter` does.
//!
//! Entry point: [`codewrite`]. Input: the low-level program *after the RTyper and before
//! the stack-check, exception and GC transforms* (it needs the raise links, which the
//! exception transform replaces by explicit checks), the portal function, and the
//! function hints. Output: a [`JitCodeSet`] holding one jitcode per function the
//! [`policy`] looks into, portal first, and what it decided for the others.
//!
//! Steps, per function: [`policy::decide`] and [`flatten::expressible`] say whether it
//! gets a jitcode; [`regalloc`] gives every variable a register; [`flatten`] emits the
//! instructions, the liveness at each resume point, and the descriptors ([`descrs`], from
//! lltype's layout) with effect info from `kiln_transform`'s call-graph analyses (can
//! raise, can collect, and the fields and arrays a call may read and write).
//!
//! This crate does no I/O and must not depend on the JIT runtime (`kiln-jit`): only on
//! the jitcode format.

pub mod descrs;
pub mod flatten;
pub mod policy;
pub mod regalloc;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, VecDeque};

use kiln_flowgraph::Value;
use kiln_jitcode::{JitCodeSet, PortalInfo};
use kiln_lltype::{FuncId, JitDriverId, LlConst, LlOp, LlProgram};

pub use policy::Residual;

/// What the codewriter made.
#[derive(Debug)]
pub struct Output {
    pub set: JitCodeSet,
    /// Functions called from jitcodes that got none, with the reason, sorted.
    pub residual: Vec<(FuncId, Residual)>,
}

/// Every (function, driver) pair with a `jit_merge_point` op, in function order, with
/// the span of the first such op (what a diagnostic about several portals points at).
pub fn merge_point_sites(prog: &LlProgram) -> Vec<(FuncId, JitDriverId, kiln_flowgraph::Span)> {
    let mut found: Vec<(FuncId, JitDriverId, kiln_flowgraph::Span)> = Vec::new();
    for f in prog.func_ids() {
        prog.func(f).graph.for_each_op(|_, op| {
            if let LlOp::JitMergePoint(d) = op.op {
                if !found.iter().any(|&(g, e, _)| (g, e) == (f, d)) {
                    found.push((f, d, op.span.clone()));
                }
            }
        });
    }
    found
}

/// The portal: the one function holding `jit_merge_point` ops, and their driver. Until
/// the JIT handles several drivers, more than one portal (or driver) is an error.
pub fn find_portal(prog: &LlProgram) -> Result<(FuncId, JitDriverId), String> {
    let found: Vec<(FuncId, JitDriverId)> = merge_point_sites(prog).into_iter().map(|(f, d, _)| (f, d)).collect();
    match found.as_slice() {
        [] => Err("no portal: no function calls `jit_merge_point` of a `JitDriver`".into()),
        [one] => Ok(*one),
        many => {
            let names: Vec<String> = many.iter().map(|(f, d)| format!("{} (driver {})", prog.func(*f).name, prog.jit_drivers.get(d.0 as usize).map_or("?", |x| x.name.as_str()))).collect();
            Err(format!("more than one jit_merge_point site: {}; the codewriter handles one portal for now", names.join(", ")))
        }
    }
}

/// Makes the jitcodes of every function reachable from `portal` that the policy looks
/// into. An error is a function the codewriter cannot handle that it must look into
/// (the portal), or an internal error; it names the function.
pub fn codewrite(prog: &LlProgram, portal: FuncId, driver: JitDriverId) -> Result<Output, String> {
    let desc = prog.jit_drivers.get(driver.0 as usize).ok_or_else(|| format!("internal error: driver {driver} does not exist"))?;
    // Residual calls reach functions the stack-check pass (which runs after) will give a
    // RecursionError check: those calls can raise.
    let effects = kiln_transform::analyze_stack_checked(prog);
    let heap = kiln_transform::heap_effects(prog, &effects);
    let mut written = std::collections::HashSet::new();
    for f in prog.func_ids() {
        prog.func(f).graph.for_each_op(|_, op| {
            if let LlOp::SetField(fr) = op.op {
                written.insert(fr);
            }
        });
    }
    flatten::expressible(prog, portal).map_err(|e| format!("the portal {} cannot be traced: {e}", prog.func(portal).name))?;

    // Which functions get jitcodes: a breadth-first walk of the calls from the portal
    // (direct calls, and the possible targets of indirect ones), in the order of the
    // calls in the graphs, so the numbering is deterministic.
    let mut jitcode_of: HashMap<FuncId, u16> = HashMap::new();
    let mut order: Vec<FuncId> = Vec::new();
    let mut residual: HashMap<FuncId, Residual> = HashMap::new();
    let mut queue = VecDeque::from([portal]);
    jitcode_of.insert(portal, 0);
    order.push(portal);
    while let Some(f) = queue.pop_front() {
        let g = &prog.func(f).graph;
        let mut callees = Vec::new();
        g.for_each_op(|_, op| {
            if op.op == LlOp::DirectCall {
                if let Some(Value::Const(LlConst::Func(c, _))) = op.args.first() {
                    callees.push(*c);
                }
            } else if op.op == LlOp::IndirectCall {
                // The possible targets of an indirect call (a method dispatch) are
                // candidates too: when all get jitcodes, the tracer can promote the
                // function pointer and inline the one it finds (see `flatten`).
                if let Some(ts) = effects.indirect_targets(prog, g, op) {
                    callees.extend(ts.iter().copied());
                }
            }
        });
        for c in callees {
            if jitcode_of.contains_key(&c) || residual.contains_key(&c) {
                continue;
            }
            // A function is admitted when the policy allows it and it flattens: a trial
            // flattening (into a throwaway set) finds what jitcodes cannot express.
            let verdict = policy::decide(prog, c).and_then(|()| {
                flatten::expressible(prog, c).map_err(Residual::Unsupported)?;
                let trial = flatten::Cx { prog, effects: &effects, heap: &heap, written: &written, jitcode_of: &jitcode_of };
                flatten::flatten(&trial, &mut JitCodeSet::default(), c).map(|_| ()).map_err(Residual::Unsupported)
            });
            match verdict {
                Ok(()) => {
                    let idx = u16::try_from(order.len()).map_err(|_| "more than 65535 jitcodes".to_string())?;
                    jitcode_of.insert(c, idx);
                    order.push(c);
                    queue.push_back(c);
                }
                Err(why) => {
                    residual.insert(c, why);
                }
            }
        }
    }

    let mut set = JitCodeSet::default();
    let cx = flatten::Cx { prog, effects: &effects, heap: &heap, written: &written, jitcode_of: &jitcode_of };
    for &f in &order {
        let j = flatten::flatten(&cx, &mut set, f).map_err(|e| format!("internal error: flattening {}: {e}", prog.func(f).name))?;
        set.jitcodes.push(j);
    }
    let names = |vs: &[kiln_lltype::JitVar]| vs.iter().map(|v| v.name.clone()).collect();
    set.portal = Some(PortalInfo { jitcode: 0, driver: desc.name.clone(), greens: names(&desc.greens), reds: names(&desc.reds) });
    let mut residual: Vec<(FuncId, Residual)> = residual.into_iter().collect();
    residual.sort_by_key(|(f, _)| *f);
    Ok(Output { set, residual })
}

/// The text of a codewriter run: the jitcode set, then the policy's residual decisions.
pub fn print_output(prog: &LlProgram, out: &Output) -> String {
    let mut s = kiln_jitcode::print_set(&out.set);
    if !out.residual.is_empty() {
        s.push_str("\nresidual calls:\n");
        for (f, why) in &out.residual {
            s.push_str(&format!("  {}: {why}\n", prog.func(*f).name));
        }
    }
    s
}
