//! The JIT codewriter: turns the lltype graphs the tracer may look into, starting from
//! the portal, into jitcodes and descriptors (`kiln_jitcode`), as RPython's
//! `jit/codewriter` does.
//!
//! Entry point: [`codewrite`]. Input: the low-level program *after the RTyper and before
//! the stack-check, exception and GC transforms* (it needs the raise links, which the
//! exception transform replaces by explicit checks), the portal functions (one
//! per driver), and the function hints. Output: a [`JitCodeSet`] holding one jitcode per
//! function the [`policy`] looks into, portals first, and what it decided for the others.
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
use kiln_jitcode::{JitCodeSet, PortalInfo, Printable};
use kiln_lltype::{FuncId, JitDriverId, LlConst, LlOp, LlProgram};

pub use policy::Residual;

/// What the codewriter made.
#[derive(Debug)]
pub struct Output {
    pub set: JitCodeSet,
    /// Functions called from jitcodes that got none, with the reason, sorted.
    pub residual: Vec<(FuncId, Residual)>,
}

/// Every `jit_merge_point` op of the program: its function, its driver and its span, in
/// function order (what the diagnostics about misplaced merge points point at).
pub fn merge_point_sites(prog: &LlProgram) -> Vec<(FuncId, JitDriverId, kiln_flowgraph::Span)> {
    let mut found: Vec<(FuncId, JitDriverId, kiln_flowgraph::Span)> = Vec::new();
    for f in prog.func_ids() {
        prog.func(f).graph.for_each_op(|_, op| {
            if let LlOp::JitMergePoint(d) = op.op {
                found.push((f, d, op.span.clone()));
            }
        });
    }
    found
}

/// The portals, one per driver that has a `jit_merge_point`, in driver order: the
/// function holding the driver's merge point (RPython's rule: one merge point per
/// driver, so one portal function per driver). A driver with merge points in two
/// functions, or a function with merge points of two drivers, is an error.
pub fn find_portals(prog: &LlProgram) -> Result<Vec<(FuncId, JitDriverId)>, String> {
    let mut portals: Vec<(FuncId, JitDriverId)> = Vec::new();
    let driver_name = |d: JitDriverId| prog.jit_drivers.get(d.0 as usize).map_or("?", |x| x.name.as_str()).to_string();
    for (f, d, _) in merge_point_sites(prog) {
        if portals.contains(&(f, d)) {
            continue;
        }
        if let Some(&(g, _)) = portals.iter().find(|&&(_, e)| e == d) {
            return Err(format!("the driver {} has jit_merge_point in two functions, {} and {}", driver_name(d), prog.func(g).name, prog.func(f).name));
        }
        if let Some(&(_, e)) = portals.iter().find(|&&(g, _)| g == f) {
            return Err(format!("the function {} has jit_merge_point of two drivers, {} and {}", prog.func(f).name, driver_name(e), driver_name(d)));
        }
        portals.push((f, d));
    }
    if portals.is_empty() {
        return Err("no portal: no function calls `jit_merge_point` of a `JitDriver`".into());
    }
    portals.sort_by_key(|&(_, d)| d.0);
    Ok(portals)
}

/// The portal functions reaching each function the tracer looks into, and the calls
/// it inlines. A call to the portal function of another driver is never inlined: the
/// tracer of driver A records it as a residual call, and driver B's merge point runs
/// in it as the program's own code (docs/jit.md, "Several drivers").
pub(crate) struct Reach {
    /// The portal function of each driver with a portal.
    pub portal_fns: HashMap<FuncId, usize>,
    /// For each function with a jitcode, the indices (into the portals) of the
    /// portals whose tracer may look into it.
    pub from: HashMap<FuncId, std::collections::BTreeSet<usize>>,
}

impl Reach {
    /// Whether a trace of portal `p` may look into a call of `callee`: not when the callee
    /// is the portal function of another driver.
    fn may_enter(&self, p: usize, callee: FuncId) -> bool {
        self.portal_fns.get(&callee).is_none_or(|&q| q == p)
    }

    /// Whether the jitcode of `caller` inlines a call of `callee` (which has a jitcode):
    /// a portal function is inlined only from code that only its own tracer looks into
    /// (a recursive call of that portal).
    pub fn inlines(&self, caller: FuncId, callee: FuncId) -> bool {
        match self.portal_fns.get(&callee) {
            None => true,
            Some(&q) => self.from.get(&caller).is_some_and(|s| s.len() == 1 && s.contains(&q)),
        }
    }
}

/// Makes the jitcodes of every portal and of every function reachable from one that the
/// policy looks into: portal `k` of `portals` (see [`find_portals`]) is jitcode `k`. An
/// error is a function the codewriter cannot handle that it must look into (a portal),
/// or an internal error; it names the function.
pub fn codewrite(prog: &LlProgram, portals: &[(FuncId, JitDriverId)]) -> Result<Output, String> {
    let mut descs = Vec::new();
    for &(_, d) in portals {
        descs.push(prog.jit_drivers.get(d.0 as usize).ok_or_else(|| format!("internal error: driver {d} does not exist"))?);
    }
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
    for &(portal, _) in portals {
        flatten::expressible(prog, portal).map_err(|e| format!("the portal {} cannot be traced: {e}", prog.func(portal).name))?;
    }

    // Which functions get jitcodes: the portals, then a breadth-first walk of the calls
    // from each portal in turn (direct calls, and the possible targets of indirect ones),
    // in the order of the calls in the graphs, so the numbering is deterministic. The
    // walk from one portal does not enter another driver's portal function.
    let mut jitcode_of: HashMap<FuncId, u16> = HashMap::new();
    let mut order: Vec<FuncId> = Vec::new();
    let mut residual: HashMap<FuncId, Residual> = HashMap::new();
    let mut reach = Reach { portal_fns: portals.iter().enumerate().map(|(k, &(f, _))| (f, k)).collect(), from: HashMap::new() };
    for &(portal, _) in portals {
        let idx = u16::try_from(order.len()).map_err(|_| "more than 65535 jitcodes".to_string())?;
        jitcode_of.insert(portal, idx);
        order.push(portal);
    }
    for (p, &(portal, _)) in portals.iter().enumerate() {
        let mut seen = std::collections::HashSet::from([portal]);
        reach.from.entry(portal).or_default().insert(p);
        let mut queue = VecDeque::from([portal]);
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
                if !reach.may_enter(p, c) || residual.contains_key(&c) || !seen.insert(c) {
                    continue;
                }
                if jitcode_of.contains_key(&c) {
                    reach.from.entry(c).or_default().insert(p);
                    queue.push_back(c);
                    continue;
                }
                // A function is admitted when the policy allows it and it flattens: a
                // trial flattening (into a throwaway set) finds what jitcodes cannot
                // express.
                let verdict = policy::decide(prog, c).and_then(|()| {
                    flatten::expressible(prog, c).map_err(Residual::Unsupported)?;
                    let trial = flatten::Cx { prog, effects: &effects, heap: &heap, written: &written, jitcode_of: &jitcode_of, reach: &reach };
                    flatten::flatten(&trial, &mut JitCodeSet::default(), c).map(|_| ()).map_err(Residual::Unsupported)
                });
                match verdict {
                    Ok(()) => {
                        let idx = u16::try_from(order.len()).map_err(|_| "more than 65535 jitcodes".to_string())?;
                        jitcode_of.insert(c, idx);
                        order.push(c);
                        reach.from.entry(c).or_default().insert(p);
                        queue.push_back(c);
                    }
                    Err(why) => {
                        residual.insert(c, why);
                    }
                }
            }
        }
    }

    let mut set = JitCodeSet::default();
    let cx = flatten::Cx { prog, effects: &effects, heap: &heap, written: &written, jitcode_of: &jitcode_of, reach: &reach };
    for &f in &order {
        let j = flatten::flatten(&cx, &mut set, f).map_err(|e| format!("internal error: flattening {}: {e}", prog.func(f).name))?;
        set.jitcodes.push(j);
    }
    let names = |vs: &[kiln_lltype::JitVar]| vs.iter().map(|v| v.name.clone()).collect();
    for (k, (&(portal, d), desc)) in portals.iter().zip(&descs).enumerate() {
        // Two drivers of one name (a factory that makes a driver per call, as PyPy's tl
        // does) are told apart in the log by their portal function.
        let twin = descs.iter().filter(|e| e.name == desc.name).count() > 1;
        let driver = if twin { format!("{}@{}", desc.name, prog.func(portal).name) } else { desc.name.clone() };
        let printable = printable_location(prog, &mut set, portal, d, desc)?;
        set.portals.push(PortalInfo { jitcode: k as u16, number: d.0, driver, greens: names(&desc.greens), reds: names(&desc.reds), printable });
    }
    let mut residual: Vec<(FuncId, Residual)> = residual.into_iter().collect();
    residual.sort_by_key(|(f, _)| *f);
    Ok(Output { set, residual })
}

/// The driver's `get_printable_location` for the JIT log: its symbol, and for each of
/// its arguments (a green, in the driver's order; `Void` ones are not passed) the
/// green's slot at the merge point (the greens by bank, then in the driver's order).
/// `None` without one, or when a green the function takes has no slot (the annotator
/// made it `Void` at the merge point but not in the function).
fn printable_location(prog: &LlProgram, set: &mut JitCodeSet, portal: FuncId, d: JitDriverId, desc: &kiln_lltype::JitDriverDesc) -> Result<Option<Printable>, String> {
    let Some(f) = desc.callback(kiln_lltype::JitCallback::GetPrintableLocation) else { return Ok(None) };
    let g = &prog.func(portal).graph;
    let Some(mp) = g.reachable_blocks().into_iter().flat_map(|b| g.block(b).ops.iter()).find(|op| op.op == LlOp::JitMergePoint(d)) else { return Ok(None) };
    let n = desc.greens.len().min(mp.args.len());
    let arg_ty = |v: &Value<LlConst>| match v {
        Value::Var(v) => *g.var_type(*v),
        Value::Const(c) => c.ty(),
    };
    let banks: Vec<Option<kiln_jitcode::Bank>> = mp.args[..n].iter().map(|a| descrs::bank_of(&prog.types, arg_ty(a))).collect::<Result<_, _>>()?;
    // Slot of each green: by bank, then in order.
    let mut slot: Vec<Option<u16>> = vec![None; n];
    let mut next = 0u16;
    for want in kiln_jitcode::Bank::ALL {
        for (i, b) in banks.iter().enumerate() {
            if *b == Some(want) {
                slot[i] = Some(next);
                next += 1;
            }
        }
    }
    let kiln_lltype::LlType::Func { args, .. } = prog.types.get(prog.func(f).ty) else { return Ok(None) };
    if args.len() != n {
        return Ok(None);
    }
    let mut greens = Vec::new();
    for (i, &a) in args.iter().enumerate() {
        if descrs::bank_of(&prog.types, a)?.is_none() {
            continue;
        }
        match slot[i] {
            Some(s) if descrs::bank_of(&prog.types, a)? == banks[i] => greens.push(s),
            _ => return Ok(None),
        }
    }
    let symbol = set.symbol(&prog.func(f).name, kiln_jitcode::SymbolKind::Func);
    Ok(Some(Printable { symbol, greens }))
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
