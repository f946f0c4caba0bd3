//! Effect info (RPython's `canraise`/`collectanalyzer`): the call graph of a low-level
//! program and, for every function, whether a call to it can raise and whether it can run
//! the GC, computed to a fixed point over the call graph's strongly connected components.
//!
//! The exception transform asks which calls need an exception check; the GC transform
//! will ask which calls can collect (so which GC pointers must be saved around them); the
//! stack-check pass asks which functions sit on a recursion cycle; the JIT codewriter
//! copies the facts into its call descriptors.
//!
//! How callees are found:
//! - `direct_call` names its callee.
//! - `indirect_call` may reach every *address-taken* function of the called pointer's
//!   function type. A function is address-taken when a function constant naming it appears
//!   anywhere other than as the callee of a `direct_call`: as an operand, in a link, in a
//!   prebuilt object. Kiln translates whole programs and the runtime never makes pointers
//!   to generated functions, so this set is complete. The one way around it is a
//!   `cast_pointer` that produces a function pointer from another type; if the program has
//!   one, every indirect call is treated as a call to an unknown function, which can raise,
//!   can collect and may call any address-taken function.
//! - `rt_call` takes its facts from the runtime table ([`kiln_lltype::RtFn::info`]); the
//!   runtime never calls back into generated code.
//!
//! A function can raise when any reachable op can raise (conservatively: an op in a
//! catching block counts even when a handler would catch what it raises) or any reachable
//! link goes to the except block. It can collect when any reachable op can collect.

use std::collections::{BTreeSet, HashMap};

use kiln_flowgraph::{Operation, Value};
use kiln_lltype::{FuncId, Ll, LlConst, LlGraph, LlOp, LlProgram, LlType, StaticValue, TypeId};
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

/// What a call to a function (or an operation) may do, as far as the transforms care.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    /// May leave an exception set in the runtime's exception state.
    pub can_raise: bool,
    /// May run the GC (directly or through a callee), moving or freeing objects.
    pub can_collect: bool,
}

impl Effects {
    /// What an unknown callee may do: anything.
    pub const UNKNOWN: Effects = Effects { can_raise: true, can_collect: true };
    pub const NONE: Effects = Effects { can_raise: false, can_collect: false };

    fn union(self, other: Effects) -> Effects {
        Effects { can_raise: self.can_raise || other.can_raise, can_collect: self.can_collect || other.can_collect }
    }
}

/// A node of the call graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CallNode {
    Func(FuncId),
    /// The target of indirect calls that could not be resolved (see the module doc).
    Unknown,
}

/// The call graph with per-function effects and recursion facts.
#[derive(Debug)]
pub struct EffectInfo {
    /// Node `i` is function `i`; the node after the last function is [`CallNode::Unknown`].
    graph: DiGraph<CallNode, ()>,
    effects: Vec<Effects>,
    /// Strongly connected components of functions, callees before callers.
    sccs: Vec<Vec<FuncId>>,
    scc_of: Vec<usize>,
    recursive: Vec<bool>,
    /// Effects of an indirect call, by the called function type.
    indirect: HashMap<TypeId, Effects>,
    /// Possible targets of an indirect call, by the called function type.
    indirect_targets: HashMap<TypeId, Vec<FuncId>>,
    /// Whether indirect calls could not be resolved by type.
    indirect_unknown: bool,
}

/// Builds the call graph of `prog` and computes every function's effects.
pub fn analyze(prog: &LlProgram) -> EffectInfo {
    analyze_with(prog, false)
}

/// [`analyze`] for a program the stack-check pass has not run on yet, as if it had: a
/// function on a recursion cycle can raise (RecursionError from its entry check), and so
/// can its callers. The JIT codewriter works on graphs from before that pass, while the
/// functions its residual calls reach will have their checks (with `--no-stackcheck`
/// this only costs a `guard_no_exception`).
pub fn analyze_stack_checked(prog: &LlProgram) -> EffectInfo {
    analyze_with(prog, true)
}

fn analyze_with(prog: &LlProgram, stack_checked: bool) -> EffectInfo {
    let nfuncs = prog.funcs.len();
    let taken = address_taken(prog);
    let indirect_unknown = casts_to_function_pointers(prog);

    let mut graph: DiGraph<CallNode, ()> = DiGraph::with_capacity(nfuncs + 1, 0);
    for id in prog.func_ids() {
        graph.add_node(CallNode::Func(id));
    }
    let unknown = graph.add_node(CallNode::Unknown);
    let node = |f: FuncId| NodeIndex::new(f.0 as usize);

    // Local effects: what each function's own operations and raises do, calls aside.
    let mut local = vec![Effects::NONE; nfuncs + 1];
    local[unknown.index()] = Effects::UNKNOWN;
    if indirect_unknown {
        for fs in taken.values() {
            for &f in fs {
                graph.update_edge(unknown, node(f), ());
            }
        }
    }
    for id in prog.func_ids() {
        let g = &prog.func(id).graph;
        let mut mine = Effects::NONE;
        for b in g.reachable_blocks() {
            let block = g.block(b);
            for op in &block.ops {
                match op.op {
                    LlOp::DirectCall => {
                        let callee = direct_callee(op);
                        graph.update_edge(node(id), node(callee), ());
                    }
                    LlOp::IndirectCall => {
                        if indirect_unknown {
                            graph.update_edge(node(id), unknown, ());
                        } else if let Some(fty) = called_func_type(prog, g, op) {
                            for &f in taken.get(&fty).map_or(&[][..], |v| v.as_slice()) {
                                graph.update_edge(node(id), node(f), ());
                            }
                        }
                    }
                    other => {
                        let info = other.info();
                        mine = mine.union(Effects { can_raise: info.can_raise, can_collect: info.can_collect });
                    }
                }
            }
            if block.exits.iter().any(|l| l.target == g.exceptblock) {
                mine.can_raise = true;
            }
        }
        local[id.0 as usize] = mine;
    }

    // Tarjan's algorithm yields components callees-first, so every callee outside a
    // component is final by the time the component is visited; inside one, every member
    // may reach every other, so they all share the union of their facts.
    let mut effects = vec![Effects::NONE; nfuncs + 1];
    let mut sccs = Vec::new();
    let mut scc_of = vec![usize::MAX; nfuncs];
    let mut recursive = vec![false; nfuncs];
    let mut done = vec![false; nfuncs + 1];
    for component in tarjan_scc(&graph) {
        let mut e = Effects::NONE;
        for &n in &component {
            e = e.union(local[n.index()]);
            for succ in graph.neighbors(n) {
                if !component.contains(&succ) {
                    assert!(done[succ.index()], "tarjan_scc visits callees before callers");
                    e = e.union(effects[succ.index()]);
                }
            }
        }
        let cyclic = component.len() > 1 || graph.contains_edge(component[0], component[0]);
        if cyclic && stack_checked && component.iter().any(|n| matches!(graph[*n], CallNode::Func(_))) {
            e.can_raise = true;
        }
        let mut funcs: Vec<FuncId> = Vec::new();
        for &n in &component {
            effects[n.index()] = e;
            done[n.index()] = true;
            if let CallNode::Func(f) = graph[n] {
                funcs.push(f);
            }
        }
        if funcs.is_empty() {
            continue;
        }
        funcs.sort();
        for &f in &funcs {
            scc_of[f.0 as usize] = sccs.len();
            recursive[f.0 as usize] = cyclic;
        }
        sccs.push(funcs);
    }

    let mut indirect = HashMap::new();
    for (fty, fs) in &taken {
        let e = if indirect_unknown { Effects::UNKNOWN } else { fs.iter().fold(Effects::NONE, |e, f| e.union(effects[f.0 as usize])) };
        indirect.insert(*fty, e);
    }
    effects.truncate(nfuncs);
    EffectInfo { graph, effects, sccs, scc_of, recursive, indirect, indirect_targets: taken, indirect_unknown }
}

impl EffectInfo {
    /// What a call to `f` may do.
    pub fn func(&self, f: FuncId) -> Effects {
        self.effects[f.0 as usize]
    }

    pub fn func_can_raise(&self, f: FuncId) -> bool {
        self.func(f).can_raise
    }

    pub fn func_can_collect(&self, f: FuncId) -> bool {
        self.func(f).can_collect
    }

    /// What one operation of `graph` may do: for calls, what the callees may do; for
    /// every other op, what the op table says.
    pub fn op(&self, prog: &LlProgram, graph: &LlGraph, op: &Operation<Ll>) -> Effects {
        match op.op {
            LlOp::DirectCall => self.func(direct_callee(op)),
            LlOp::IndirectCall => {
                if self.indirect_unknown {
                    return Effects::UNKNOWN;
                }
                // No address-taken function of this type: the pointer can only be null.
                called_func_type(prog, graph, op).and_then(|t| self.indirect.get(&t).copied()).unwrap_or(Effects::NONE)
            }
            other => {
                let info = other.info();
                Effects { can_raise: info.can_raise, can_collect: info.can_collect }
            }
        }
    }

    pub fn op_can_raise(&self, prog: &LlProgram, graph: &LlGraph, op: &Operation<Ll>) -> bool {
        self.op(prog, graph, op).can_raise
    }

    pub fn op_can_collect(&self, prog: &LlProgram, graph: &LlGraph, op: &Operation<Ll>) -> bool {
        self.op(prog, graph, op).can_collect
    }

    /// The functions an indirect call may reach; `None` when they are unknown (see the
    /// module doc).
    pub fn indirect_targets(&self, prog: &LlProgram, graph: &LlGraph, op: &Operation<Ll>) -> Option<&[FuncId]> {
        if self.indirect_unknown {
            return None;
        }
        let fty = called_func_type(prog, graph, op)?;
        Some(self.indirect_targets.get(&fty).map_or(&[][..], |v| v.as_slice()))
    }

    /// The direct successors of `f` in the call graph, sorted.
    pub fn callees(&self, f: FuncId) -> Vec<CallNode> {
        let mut v: Vec<CallNode> = self.graph.neighbors(NodeIndex::new(f.0 as usize)).map(|n| self.graph[n]).collect();
        v.sort();
        v.dedup();
        v
    }

    /// The strongly connected components of the call graph, callees before callers,
    /// each sorted by function id.
    pub fn sccs(&self) -> &[Vec<FuncId>] {
        &self.sccs
    }

    /// The index in [`Self::sccs`] of `f`'s component.
    pub fn scc_of(&self, f: FuncId) -> usize {
        self.scc_of[f.0 as usize]
    }

    /// Whether `f` sits on a cycle of the call graph (it may call itself, directly or
    /// not): where the stack-check pass puts its checks.
    pub fn is_recursive(&self, f: FuncId) -> bool {
        self.recursive[f.0 as usize]
    }

    /// Whether indirect calls are treated as calls to unknown functions.
    pub fn indirect_calls_unknown(&self) -> bool {
        self.indirect_unknown
    }
}

/// The callee of a `direct_call`; the verifier guarantees it is a function constant.
fn direct_callee(op: &Operation<Ll>) -> FuncId {
    match op.args.first() {
        Some(Value::Const(LlConst::Func(f, _))) => *f,
        other => panic!("direct_call without a function constant callee: {other:?}"),
    }
}

/// The function type an `indirect_call` calls through.
fn called_func_type(prog: &LlProgram, g: &LlGraph, op: &Operation<Ll>) -> Option<TypeId> {
    let ptr_ty = match op.args.first()? {
        Value::Var(v) => *g.var_type(*v),
        Value::Const(c) => c.ty(),
    };
    match prog.types.get(ptr_ty) {
        LlType::Ptr(f) if matches!(prog.types.get(*f), LlType::Func { .. }) => Some(*f),
        _ => None,
    }
}

/// Every function whose address is taken, grouped by function type; each list sorted.
fn address_taken(prog: &LlProgram) -> HashMap<TypeId, Vec<FuncId>> {
    let mut taken: BTreeSet<FuncId> = BTreeSet::new();
    let mut note = |c: &LlConst| {
        if let LlConst::Func(f, _) = c {
            taken.insert(*f);
        }
    };
    for f in &prog.funcs {
        let g = &f.graph;
        for b in g.reachable_blocks() {
            let block = g.block(b);
            for op in &block.ops {
                let skip = usize::from(op.op == LlOp::DirectCall);
                for a in &op.args[skip.min(op.args.len())..] {
                    if let Value::Const(c) = a {
                        note(c);
                    }
                }
            }
            if let kiln_flowgraph::ExitSwitch::Value(Value::Const(c)) = &block.exitswitch {
                note(c);
            }
            for link in &block.exits {
                for a in &link.args {
                    if let Value::Const(c) = a {
                        note(c);
                    }
                }
            }
        }
    }
    for s in &prog.statics {
        match &s.value {
            StaticValue::Struct { fields, items } => fields.iter().chain(items).for_each(&mut note),
            StaticValue::Array(items) => items.iter().for_each(&mut note),
            StaticValue::Str(_) => {}
        }
    }
    let mut by_type: HashMap<TypeId, Vec<FuncId>> = HashMap::new();
    for f in taken {
        by_type.entry(prog.func(f).ty).or_default().push(f);
    }
    by_type
}

/// Whether some `cast_pointer` produces a function pointer from a value of another type,
/// which would let an indirect call reach a function of a different type.
fn casts_to_function_pointers(prog: &LlProgram) -> bool {
    let is_fn_ptr = |t: TypeId| matches!(prog.types.get(t), LlType::Ptr(p) if matches!(prog.types.get(*p), LlType::Func { .. }));
    prog.funcs.iter().any(|f| {
        let g = &f.graph;
        let mut found = false;
        g.for_each_op(|_, op| {
            if op.op == LlOp::CastPointer {
                let from = match &op.args[0] {
                    Value::Var(v) => *g.var_type(*v),
                    Value::Const(c) => c.ty(),
                };
                let to = *g.var_type(op.result);
                if from != to && is_fn_ptr(to) {
                    found = true;
                }
            }
        });
        found
    })
}
