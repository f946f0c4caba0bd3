//! The fixpoint: a worklist of blocks, re-flowed whenever an annotation they depend on
//! generalises (RPython's annotator, with RPython's bookkeeper folded in).
//!
//! A block is flowed when all its input variables have annotations: each operation's
//! result is computed from its arguments' annotations (see `ops.rs`) and generalised into
//! the result variable; then every link that can be taken passes its arguments'
//! annotations to the target's inputs. Dependencies that re-schedule a block:
//! - a callee's return annotation generalises (the callers of the graph);
//! - a list's or dict's contents generalise (the blocks that read them);
//! - a class attribute generalises, or a subclass appears (the blocks that read it).
//!
//! An operation whose argument is still `Impossible` blocks the rest of its block until
//! that argument gets a value. Errors are collected: an erroneous value becomes `Object`,
//! which silently absorbs everything, so each mistake is reported once.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::{BlockId, ExitSwitch, Graph, LinkCase, Var};
use kiln_flowspace::{Hl, Opnd};
use kiln_frontend::{Builtin, BuiltinType, ObjId, Object, Program, Value};

use crate::defs::*;
use crate::model::*;
use crate::GraphSource;

/// Which specialisation of a function a graph is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SpecKey {
    Default,
    /// `specialize.argtype`: one graph per combination of argument kinds.
    ArgTypes(Vec<String>),
    /// `specialize.arg`: one graph per combination of constant arguments.
    Consts(Vec<Value>),
}

/// A function graph with the annotations of its variables.
#[derive(Clone, Debug)]
pub struct AnnGraph {
    pub func: ObjId,
    pub spec: SpecKey,
    /// A unique name: the function's qualified name, plus the specialisation.
    pub name: String,
    pub graph: Arc<Graph<Hl>>,
    pub bindings: Vec<SomeValue>,
    /// Where each variable's annotation first came from.
    pub origins: Vec<Span>,
    /// Where each variable first became possibly-None: a `return None`, an
    /// assignment of None, or (through a call) the callee's own origin.
    pub none_origins: Vec<Span>,
    pub reached: Vec<bool>,
}

impl AnnGraph {
    pub fn binding(&self, v: Var) -> &SomeValue {
        &self.bindings[v.0 as usize]
    }
}

/// Where an operation is: graph, block, index in the block.
pub type OpLoc = (GraphId, BlockId, u32);

/// What a call operation calls, for the RTyper.
#[derive(Clone, Debug, PartialEq)]
pub enum CallTarget {
    /// User functions (several for calls through a variable or to an overridden method).
    Graphs(Vec<GraphId>),
    Builtin(Builtin),
    Type(BuiltinType),
    /// Creating an instance; `init` is the graph of `__init__` when the class has one.
    Instantiate { class: ClassDefId, init: Option<GraphId> },
    /// Creating an instance of one of several classes held in a variable.
    InstantiateFamily(Vec<(ClassDefId, Option<GraphId>)>),
    /// Calling a bound method held in a variable: the method's implementations.
    BoundMethod { name: Arc<str>, graphs: Vec<GraphId> },
    /// A method of a str, list or dict value.
    ValueMethod,
    /// A JIT hint method (`jit_merge_point`, `can_enter_jit`): no run-time effect here.
    JitHint,
}

pub struct Annotator<'a> {
    /// The JIT drivers' callbacks annotated so far (`jit.rs`).
    pub jit_callbacks: Vec<crate::jit::JitCallbackGraph>,
    pub prog: &'a Program,
    source: &'a dyn GraphSource,
    pub graphs: Vec<AnnGraph>,
    by_func: HashMap<(ObjId, SpecKey), GraphId>,
    pending: VecDeque<(GraphId, BlockId)>,
    in_pending: HashSet<(GraphId, BlockId)>,
    pub lists: DefTable<ListDef>,
    pub dicts: DefTable<DictDef>,
    pub classdefs: Vec<ClassDef>,
    pub by_class: HashMap<ObjId, ClassDefId>,
    sites_list: HashMap<OpLoc, u32>,
    sites_dict: HashMap<OpLoc, u32>,
    pub prebuilt_lists: HashMap<ObjId, u32>,
    pub prebuilt_dicts: HashMap<ObjId, u32>,
    prebuilt_instances: HashSet<ObjId>,
    pub(crate) return_deps: HashMap<GraphId, BTreeSet<(GraphId, BlockId)>>,
    pub knowntypes: HashMap<(GraphId, Var), KnownTypes>,
    pub call_targets: HashMap<OpLoc, CallTarget>,
    pub call_args: HashMap<OpLoc, Vec<crate::ops::ArgSource>>,
    /// `obj.name(...)` sites where `name` is an attribute holding a callable (function,
    /// bound method, class), with the attribute's annotation.
    pub attr_calls: HashMap<OpLoc, SomeValue>,
    /// `obj.name(...)` sites that found neither a method nor an attribute yet: an error
    /// unless the attribute is assigned later (checked at the end).
    /// Kept per operation, for its latest flow only (see `attr_reads`).
    pub(crate) method_misses: OpRecords,
    pub diags: Vec<Diagnostic>,
    /// Warnings (the program translates): operations on values that may be None.
    pub warnings: Vec<Diagnostic>,
    /// Operations compiled with null checks on operands that may be None (`nullness.rs`).
    pub null_checks: HashMap<OpLoc, Vec<crate::nullness::NullCheck>>,
    /// Operations that always raise CPython's exception, whatever their operands'
    /// values (`"a" + b"b"`, `bytes.rs`): kept for their latest flow.
    pub certain_raises: HashMap<OpLoc, crate::bytes::CertainRaise>,
    /// `%` operations with a str format that the run-time formatting does (a format
    /// built at run time, or a constant one the inline code would not format as
    /// CPython: `percent.rs`): kept for their latest flow.
    pub percent_runtime: HashSet<OpLoc>,
    /// Set by `none_error`: the operand that may be None, for `retry_with_null_checks`.
    pub(crate) null_pending: Option<Opnd>,
    /// Set by `none_error` when the operand is always None so far.
    pub(crate) always_none: bool,
    /// Operations on a value that is always None so far: during the fixpoint that may only
    /// be because the value has not met its other types yet (a list made as `[None] * 8`
    /// whose items are stored later, a callee whose non-None return is annotated later),
    /// so they wait like an operation without a value, and are errors only if still
    /// failing after the fixpoint.
    pub(crate) deferred_none: std::collections::BTreeMap<OpLoc, Diagnostic>,
    /// Dicts made by `collections.OrderedDict()` (definition ids), and where a dict is
    /// shown as text or compared with `==`: checked once annotation ends, when every
    /// definition has met the others it merges with (an OrderedDict prints as
    /// `OrderedDict({...})` and `==` between two of them respects order).
    pub(crate) ordered_dicts: Vec<u32>,
    /// Classes without `__str__` that `str()` of a base class skipped as never
    /// instantiated, with the error to report if one is after all.
    pub(crate) str_uninstantiated: Vec<(ClassDefId, Diagnostic)>,
    pub(crate) dict_uses: Vec<(u32, Span, &'static str)>,
    /// Where None first went into a list (by definition) or an attribute (by class and
    /// name), for the "it can be None because of this" label of reads.
    pub(crate) list_none_origins: Vec<(u32, Span)>,
    pub(crate) attr_none_origins: Vec<(ClassDefId, Arc<str>, Span)>,
    /// The None origin of the value a `SetAttr` stores, for `write_attr`.
    pub(crate) store_none_origin: Option<Span>,
    /// Block inputs holding a local that is unbound on some path (the flowspace's
    /// `$unbound` constant flows into them): they may stay without a value.
    unbound_vars: HashSet<(GraphId, Var)>,
    /// The block being flowed, for registering it as a reader of what it reads.
    pub(crate) cur: (GraphId, BlockId),
    /// The operation being annotated.
    pub(crate) cur_span: Span,
    /// Its index in `cur`'s block.
    pub(crate) cur_op: u32,
    /// Set by a call's annotation: where the callee's result became
    /// possibly-None, so the call's result can point there too.
    pub(crate) call_none_origin: Option<Span>,
    /// Set by a call's annotation: the callee's name and where its result's type came
    /// from (its first `return`), so union errors can show the chain back to it.
    pub(crate) call_ret_origin: Option<(Arc<str>, Span)>,
    /// Call results: the callee and where the callee's result type came from.
    ret_origins: HashMap<(GraphId, Var), (Arc<str>, Span)>,
    /// Block inputs: the call chain of the value that first gave them their type.
    input_chains: HashMap<(GraphId, Var), (Arc<str>, Span)>,
    failed_graphs: HashSet<(ObjId, SpecKey)>,
    /// Every instance attribute read: (class, name, span), checked after the fixpoint.
    /// Kept per operation, for its latest flow only: a read first annotated on a
    /// narrower receiver (a function first called with an `Array`, later with any
    /// `AbstractObject`) is checked with the class the receiver has in the end.
    pub(crate) attr_reads: OpRecords,
    /// Where ints met bools, for the errors of printing such a value.
    pub(crate) bool_mixes: crate::special::BoolMixes,
}

/// Facts recorded by operations for a check after the fixpoint: (class, name, span)
/// per operation, replaced each time the operation is flowed again, in the order they
/// were first recorded (so diagnostics come out in a stable order).
#[derive(Default)]
pub(crate) struct OpRecords {
    next: u64,
    by_op: HashMap<OpLoc, (u64, Vec<(ClassDefId, Arc<str>, Span)>)>,
}

impl OpRecords {
    /// Drops what `loc` recorded on its previous flow.
    pub(crate) fn forget(&mut self, loc: &OpLoc) {
        if let Some((_, v)) = self.by_op.get_mut(loc) {
            v.clear();
        }
    }

    pub(crate) fn record(&mut self, loc: OpLoc, c: ClassDefId, name: &str, span: Span) {
        let next = &mut self.next;
        let (_, v) = self.by_op.entry(loc).or_insert_with(|| {
            *next += 1;
            (*next, Vec::new())
        });
        if !v.iter().any(|(k, n, s)| *k == c && &**n == name && *s == span) {
            v.push((c, Arc::from(name), span));
        }
    }

    pub(crate) fn into_vec(self) -> Vec<(ClassDefId, Arc<str>, Span)> {
        let mut ops: Vec<_> = self.by_op.into_values().collect();
        ops.sort_by_key(|(seq, _)| *seq);
        let mut out: Vec<(ClassDefId, Arc<str>, Span)> = Vec::new();
        for (_, v) in ops {
            for r in v {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        out
    }
}

/// Two annotations that do not merge.
pub struct Mismatch {
    pub a: String,
    pub b: String,
}

impl<'a> Annotator<'a> {
    pub fn new(prog: &'a Program, source: &'a dyn GraphSource) -> Annotator<'a> {
        Annotator {
            prog,
            source,
            graphs: Vec::new(),
            by_func: HashMap::new(),
            pending: VecDeque::new(),
            in_pending: HashSet::new(),
            lists: DefTable::default(),
            dicts: DefTable::default(),
            classdefs: Vec::new(),
            by_class: HashMap::new(),
            sites_list: HashMap::new(),
            sites_dict: HashMap::new(),
            prebuilt_lists: HashMap::new(),
            prebuilt_dicts: HashMap::new(),
            prebuilt_instances: HashSet::new(),
            return_deps: HashMap::new(),
            knowntypes: HashMap::new(),
            call_targets: HashMap::new(),
            call_args: HashMap::new(),
            jit_callbacks: Vec::new(),
            attr_calls: HashMap::new(),
            method_misses: OpRecords::default(),
            diags: Vec::new(),
            warnings: Vec::new(),
            null_checks: HashMap::new(),
            certain_raises: HashMap::new(),
            percent_runtime: HashSet::new(),
            null_pending: None,
            always_none: false,
            deferred_none: Default::default(),
            ordered_dicts: Vec::new(),
            str_uninstantiated: Vec::new(),
            dict_uses: Vec::new(),
            list_none_origins: Vec::new(),
            attr_none_origins: Vec::new(),
            store_none_origin: None,
            unbound_vars: HashSet::new(),
            cur: (GraphId(0), BlockId(0)),
            cur_span: Span::DUMMY,
            cur_op: 0,
            call_none_origin: None,
            call_ret_origin: None,
            ret_origins: HashMap::new(),
            input_chains: HashMap::new(),
            failed_graphs: HashSet::new(),
            attr_reads: OpRecords::default(),
            bool_mixes: Default::default(),
        }
    }

    pub fn error(&mut self, d: Diagnostic) {
        if !self.diags.contains(&d) {
            self.diags.push(d);
        }
    }

    // ----- graphs ---------------------------------------------------------------------

    /// The graph of `func` specialised by `spec`, created and scheduled on first request.
    pub fn graph_for(&mut self, func: ObjId, spec: SpecKey, const_args: &[Option<Value>]) -> Option<GraphId> {
        if let Some(&g) = self.by_func.get(&(func, spec.clone())) {
            return Some(g);
        }
        if self.failed_graphs.contains(&(func, spec.clone())) {
            return None;
        }
        let graph = match self.source.flow_graph(func, const_args) {
            Ok(g) => g,
            Err(diags) => {
                for d in diags {
                    self.error(d);
                }
                self.failed_graphs.insert((func, spec));
                return None;
            }
        };
        let f = self.prog.heap.function(func).expect("graphs are built for functions");
        let name = match &spec {
            SpecKey::Default => f.qualname.clone(),
            SpecKey::ArgTypes(t) => format!("{}[{}]", f.qualname, t.join(",")),
            SpecKey::Consts(c) => {
                let parts: Vec<String> = c.iter().map(|v| kiln_frontend::ops::repr(&self.prog.heap, v)).collect();
                format!("{}[{}]", f.qualname, parts.join(","))
            }
        };
        let id = GraphId(self.graphs.len() as u32);
        let nvars = graph.vars.len();
        let nblocks = graph.blocks.len();
        self.graphs.push(AnnGraph {
            func,
            spec: spec.clone(),
            name,
            graph,
            bindings: vec![SomeValue::Impossible; nvars],
            origins: vec![Span::DUMMY; nvars],
            none_origins: vec![Span::DUMMY; nvars],
            reached: vec![false; nblocks],
        });
        self.by_func.insert((func, spec), id);
        Some(id)
    }

    pub fn schedule(&mut self, g: GraphId, b: BlockId) {
        if self.in_pending.insert((g, b)) {
            self.pending.push_back((g, b));
        }
    }

    pub fn schedule_all(&mut self, readers: &BTreeSet<Reader>) {
        for &(g, b) in readers {
            self.schedule(g, b);
        }
    }

    pub fn binding(&self, g: GraphId, v: Var) -> &SomeValue {
        &self.graphs[g.0 as usize].bindings[v.0 as usize]
    }

    /// Generalises `v`'s annotation with `new`. Returns whether it changed.
    pub fn generalize(&mut self, g: GraphId, v: Var, new: SomeValue, origin: Span) -> Result<bool, (Mismatch, Span)> {
        self.generalize_tracking_none(g, v, new, origin, origin)
    }

    /// [`Self::generalize`], naming separately where a None in `new` came from.
    pub fn generalize_tracking_none(&mut self, g: GraphId, v: Var, new: SomeValue, origin: Span, none_origin: Span) -> Result<bool, (Mismatch, Span)> {
        let old = self.graphs[g.0 as usize].bindings[v.0 as usize].clone();
        let u = self.union(&old, &new).map_err(|m| (m, self.graphs[g.0 as usize].origins[v.0 as usize]))?;
        if u == old {
            return Ok(false);
        }
        if let Some(new_is_bool) = crate::special::bool_mix(&old, &new, &u) {
            let before = self.graphs[g.0 as usize].origins[v.0 as usize];
            let pair = if new_is_bool { (origin, before) } else { (before, origin) };
            self.bool_mixes.vars.entry((g, v)).or_insert(pair);
        }
        let ag = &mut self.graphs[g.0 as usize];
        if old.is_impossible() {
            ag.origins[v.0 as usize] = origin;
        }
        if u.can_be_none() && (old.is_impossible() || !old.can_be_none()) {
            ag.none_origins[v.0 as usize] = none_origin;
        }
        ag.bindings[v.0 as usize] = u;
        Ok(true)
    }

    /// Annotates a call's arguments into a graph's parameters and returns its result.
    pub fn pass_args(&mut self, callee: GraphId, args: &[SomeValue], span: Span) -> SomeValue {
        let graph = self.graphs[callee.0 as usize].graph.clone();
        let params = graph.params().to_vec();
        if params.len() != args.len() {
            let name = self.graphs[callee.0 as usize].name.clone();
            self.error(Diagnostic::error("E0310", format!("{name}() called with {} arguments but takes {}", args.len(), params.len())).with_primary(span, "in this call").with_label(graph.span, "defined here"));
            return SomeValue::Object;
        }
        let mut changed = false;
        for (p, a) in params.iter().zip(args) {
            match self.generalize(callee, *p, a.without_const_if_needed(), span) {
                Ok(c) => changed |= c,
                Err((m, old_origin)) => {
                    let pname = graph.var_name(*p);
                    let fname = self.graphs[callee.0 as usize].name.clone();
                    self.error(
                        Diagnostic::error("E0301", format!("argument '{}' of {fname}() is {} in one call and {} in another", strip_suffix(&pname), m.a, m.b))
                            .with_primary(span, format!("{} passed here", m.b))
                            .with_label(old_origin, format!("{} passed here", m.a))
                            .with_note("RPy functions are compiled once per specialisation: every call must pass compatible types (see specialize.argtype in docs/language.md)"),
                    );
                    let _ = self.generalize(callee, *p, SomeValue::Object, span);
                }
            }
        }
        let start = graph.startblock;
        if changed || !self.graphs[callee.0 as usize].reached[start.0 as usize] {
            self.schedule(callee, start);
        }
        let caller = self.cur;
        self.return_deps.entry(callee).or_default().insert(caller);
        let rv = graph.return_var();
        let none_origin = self.graphs[callee.0 as usize].none_origins[rv.0 as usize];
        if !none_origin.is_dummy() {
            self.call_none_origin = Some(none_origin);
        }
        let ret_origin = self.graphs[callee.0 as usize].origins[rv.0 as usize];
        if !ret_origin.is_dummy() {
            let name: Arc<str> = Arc::from(self.graphs[callee.0 as usize].graph.name.as_str());
            self.call_ret_origin = Some((name, ret_origin));
        }
        self.binding(callee, rv).clone()
    }

    // ----- the fixpoint ------------------------------------------------------------

    pub fn run(&mut self) {
        let mut steps: u64 = 0;
        while let Some((g, b)) = self.pending.pop_front() {
            self.in_pending.remove(&(g, b));
            steps += 1;
            if steps > 5_000_000 {
                self.error(Diagnostic::internal("the annotator did not reach a fixpoint after 5 million block flows"));
                return;
            }
            self.flow_block(g, b);
        }
        for (_, d) in std::mem::take(&mut self.deferred_none) {
            self.error(d);
        }
    }

    fn value_ann(&mut self, g: GraphId, v: &Opnd) -> SomeValue {
        match v {
            Opnd::Var(x) => self.binding(g, *x).clone(),
            Opnd::Const(c) => self.annotate_const(c),
        }
    }

    fn flow_block(&mut self, g: GraphId, b: BlockId) {
        let graph = self.graphs[g.0 as usize].graph.clone();
        let block = graph.block(b);
        // A local that is unbound on every path so far has no value, and waits at the
        // operations that use it; other inputs without a value wait for one.
        if block.inputargs.iter().any(|v| self.binding(g, *v).is_impossible() && !self.unbound_vars.contains(&(g, *v))) {
            return;
        }
        self.graphs[g.0 as usize].reached[b.0 as usize] = true;
        self.cur = (g, b);
        for (i, op) in block.ops.iter().enumerate() {
            let args: Vec<SomeValue> = op.args.iter().map(|a| self.value_ann(g, a)).collect();
            if args.iter().any(|a| a.is_impossible()) {
                return;
            }
            self.cur_span = op.span;
            self.cur_op = i as u32;
            self.attr_reads.forget(&(g, b, i as u32));
            self.certain_raises.remove(&(g, b, i as u32));
            self.percent_runtime.remove(&(g, b, i as u32));
            self.method_misses.forget(&(g, b, i as u32));
            self.call_none_origin = None;
            self.call_ret_origin = None;
            let result = if args.iter().any(|a| a.is_object()) {
                SomeValue::Object
            } else {
                self.null_pending = None;
                self.always_none = false;
                let r = match self.consider_op(g, b, i as u32, op, &args) {
                    Err(d) if self.null_pending.is_some() => self.retry_with_null_checks(g, b, i as u32, op, &args, d),
                    r => r,
                };
                match r {
                    Ok(s) => {
                        self.deferred_none.remove(&(g, b, i as u32));
                        s
                    }
                    Err(d) if self.always_none && d.code == Some("E0305") => {
                        // Waits for the value to be more than None (see `deferred_none`).
                        self.deferred_none.insert((g, b, i as u32), d);
                        SomeValue::Impossible
                    }
                    Err(d) => {
                        self.error(d);
                        SomeValue::Object
                    }
                }
            };
            if result.is_impossible() {
                // The op does not return (yet): the rest of the block waits. If it is
                // the raising op of a `try`, its handlers run meanwhile: a lookup in a
                // dict that is still empty raises KeyError, and the handler may be what
                // fills the dict.
                if i + 1 == block.ops.len() && block.exitswitch == ExitSwitch::LastException {
                    self.follow_exception_exits(g, b, &block.exits);
                }
                return;
            }
            let result = if let SomeValue::Bool { .. } = result { result } else { result };
            let none_origin = self.call_none_origin.take().unwrap_or(op.span);
            if let Some(chain) = self.call_ret_origin.take() {
                self.ret_origins.insert((g, op.result), chain);
            }
            if let Err((m, _)) = self.generalize_tracking_none(g, op.result, result, op.span, none_origin) {
                self.error(Diagnostic::internal(format!("an operation's result changed from {} to {}", m.a, m.b)).with_primary(op.span, "here"));
                let _ = self.generalize(g, op.result, SomeValue::Object, op.span);
            }
        }
        // Follow the exits.
        match &block.exitswitch {
            ExitSwitch::None => {
                for i in 0..block.exits.len() {
                    self.follow_link(g, b, i, &[], None);
                }
            }
            ExitSwitch::Value(sw) => {
                let s = self.value_ann(g, sw);
                let known = match sw {
                    Opnd::Var(v) => self.knowntypes.get(&(g, *v)).cloned(),
                    _ => None,
                };
                for (i, link) in block.exits.iter().enumerate() {
                    let take = match (&link.case, &s) {
                        (LinkCase::Bool(c), SomeValue::Bool { konst: Some(k) }) => c == k,
                        (LinkCase::Int(c), SomeValue::Int { konst: Some(k), .. }) => c == k,
                        _ => true,
                    };
                    if !take {
                        continue;
                    }
                    let mut narrow: Vec<(Var, SomeValue)> = Vec::new();
                    if let (LinkCase::Bool(c), Some(kt)) = (&link.case, &known) {
                        narrow = if *c { kt.on_true.clone() } else { kt.on_false.clone() };
                    }
                    if let (LinkCase::Bool(c), Opnd::Var(v)) = (&link.case, sw) {
                        narrow.push((*v, SomeValue::Bool { konst: Some(*c) }));
                    }
                    self.follow_link(g, b, i, &narrow, None);
                }
            }
            ExitSwitch::LastException => {
                self.follow_link(g, b, 0, &[], None);
                self.follow_exception_exits(g, b, &block.exits);
            }
        }
    }

    /// Follows the exception links (every exit after the first) of a catching block.
    fn follow_exception_exits(&mut self, g: GraphId, b: BlockId, exits: &[kiln_flowgraph::Link<Value>]) {
        let base = self.classdef(self.prog.classes.get("BaseException"));
        let exc = (SomeValue::ClassOf { class: base }, SomeValue::Instance { class: base, can_be_none: false, konst: None });
        for i in 1..exits.len() {
            self.follow_link(g, b, i, &[], Some(exc.clone()));
        }
    }

    fn follow_link(&mut self, g: GraphId, b: BlockId, i: usize, narrow: &[(Var, SomeValue)], exc: Option<(SomeValue, SomeValue)>) {
        let graph = self.graphs[g.0 as usize].graph.clone();
        let link = &graph.block(b).exits[i];
        if let (Some((et, ev)), Some(lt), Some(lv)) = (&exc, link.last_exception, link.last_exc_value) {
            let _ = self.generalize(g, lt, et.clone(), Span::DUMMY);
            let _ = self.generalize(g, lv, ev.clone(), Span::DUMMY);
        }
        let target = link.target;
        let inputs = graph.block(target).inputargs.clone();
        let mut changed = false;
        for (k, (arg, input)) in link.args.iter().zip(inputs.iter()).enumerate() {
            let mut s = self.value_ann(g, arg);
            if let Opnd::Var(v) = arg {
                if let Some((_, n)) = narrow.iter().rev().find(|(x, _)| x == v) {
                    s = n.clone();
                }
            }
            if s.is_impossible() {
                if self.is_unbound_value(g, arg) {
                    self.unbound_vars.insert((g, *input));
                    continue;
                }
                return;
            }
            let origin = match arg {
                Opnd::Var(v) => {
                    let sp = link.arg_span(k);
                    if sp.is_dummy() {
                        self.graphs[g.0 as usize].origins[v.0 as usize]
                    } else {
                        sp
                    }
                }
                Opnd::Const(_) => link.arg_span(k),
            };
            let none_origin = match arg {
                Opnd::Var(v) if !self.graphs[g.0 as usize].none_origins[v.0 as usize].is_dummy() => self.graphs[g.0 as usize].none_origins[v.0 as usize],
                _ => origin,
            };
            let chain = match arg {
                Opnd::Var(v) => self.ret_origins.get(&(g, *v)).or_else(|| self.input_chains.get(&(g, *v))).cloned(),
                Opnd::Const(_) => None,
            };
            let was_impossible = self.binding(g, *input).is_impossible();
            match self.generalize_tracking_none(g, *input, s, origin, none_origin) {
                Ok(c) => {
                    if was_impossible {
                        if let Some(ch) = chain {
                            self.input_chains.insert((g, *input), ch);
                        }
                    }
                    changed |= c
                }
                Err((m, old_origin)) => {
                    let old_chain = self.input_chains.get(&(g, *input)).cloned();
                    self.merge_error(&graph, *input, &m, (origin, chain), (old_origin, old_chain), target == graph.returnblock);
                    let _ = self.generalize(g, *input, SomeValue::Object, origin);
                    changed = true;
                }
            }
        }
        if target == graph.returnblock && changed {
            let deps = self.return_deps.get(&g).cloned().unwrap_or_default();
            self.schedule_all(&deps);
        }
        if changed || !self.graphs[g.0 as usize].reached[target.0 as usize] {
            if !graph.is_final(target) {
                self.schedule(g, target);
            } else {
                self.graphs[g.0 as usize].reached[target.0 as usize] = true;
            }
        }
    }

    /// Whether a link argument is the value of a local on a path where it is unbound.
    fn is_unbound_value(&self, g: GraphId, arg: &Opnd) -> bool {
        match arg {
            Opnd::Const(Value::Obj(o)) => matches!(self.prog.heap.get(*o), Object::Builtin(Builtin::Unbound)),
            Opnd::Var(v) => self.unbound_vars.contains(&(g, *v)),
            Opnd::Const(_) => false,
        }
    }

    /// A union failure where two links meet: both assignments, and for values that came
    /// from a call, where the callee's result got its type (a short chain to the origin).
    fn merge_error(&mut self, graph: &Graph<Hl>, input: Var, m: &Mismatch, new: (Span, Option<(Arc<str>, Span)>), old: (Span, Option<(Arc<str>, Span)>), is_return: bool) {
        let ((new_origin, new_chain), (old_origin, old_chain)) = (new, old);
        let what = if is_return {
            format!("{}() returns {} here and {} elsewhere", graph.name, m.b, m.a)
        } else {
            match &graph.var(input).name {
                Some(n) if !n.starts_with('$') => format!("variable '{n}' is {} here and {} elsewhere", m.b, m.a),
                _ => format!("a value is {} here and {} elsewhere", m.b, m.a),
            }
        };
        let mut d = Diagnostic::error("E0301", what).with_primary(new_origin, format!("{} here", m.b));
        if !old_origin.is_dummy() {
            d = d.with_label(old_origin, format!("{} here", m.a));
        }
        for (chain, ty) in [(&new_chain, &m.b), (&old_chain, &m.a)] {
            if let Some((name, span)) = chain {
                if !span.is_dummy() && *span != new_origin && *span != old_origin {
                    d = d.with_label(*span, format!("{ty} because {name}() returns it here"));
                }
            }
        }
        d = d.with_note("an RPy variable must keep one type on every path; None mixes only with str, list, dict and instances");
        self.error(d);
    }

    // ----- constants ------------------------------------------------------------------

    /// The annotation of an import-time constant.
    pub fn annotate_const(&mut self, v: &Value) -> SomeValue {
        match v {
            Value::None => SomeValue::None_,
            Value::Bool(b) => SomeValue::Bool { konst: Some(*b) },
            Value::Int(i) => SomeValue::Int { nonneg: *i >= 0, unsigned: false, konst: Some(*i), boolish: false },
            // An import-time r_uint: unsigned. Its value is not recorded as the
            // annotation's (signed) constant, which folding would read as negative.
            Value::UInt(_) => SomeValue::Int { nonneg: true, unsigned: true, konst: None, boolish: false },
            Value::Float(f) => SomeValue::Float { konst: Some(f.to_bits()), intish: false, boolish: false },
            Value::Str(s) => {
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => SomeValue::Char { konst: Some(c) },
                    _ => SomeValue::Str { can_be_none: false, konst: Some(s.clone()) },
                }
            }
            Value::Bytes(b) => SomeValue::Bytes { konst: Some(b.clone()), ascii: b.is_ascii() },
            Value::Obj(o) => {
                let o = *o;
                match self.prog.heap.get(o) {
                    Object::Tuple(items) => {
                        let items = items.clone();
                        SomeValue::Tuple(items.iter().map(|x| self.annotate_const(x).without_const_keep_pbc()).collect())
                    }
                    Object::List(items) => {
                        let items = items.clone();
                        let def = self.prebuilt_list(o, &items);
                        SomeValue::List { def: ListDefId(def), can_be_none: false }
                    }
                    Object::Dict(d) => {
                        let entries: Vec<(Value, Value)> = d.entries.values().cloned().collect();
                        let def = self.prebuilt_dict(o, &entries);
                        SomeValue::Dict { def: DictDefId(def), can_be_none: false }
                    }
                    Object::Function(_) => SomeValue::single(Desc::Function(o)),
                    // `self.helper` where `helper` is a static method: the plain function,
                    // as CPython's descriptor gives it.
                    Object::StaticMethod(f) => {
                        let f = f.clone();
                        self.annotate_const(&f)
                    }
                    Object::Class(_) => SomeValue::single(Desc::Class(o)),
                    Object::Instance(inst) => {
                        let class = inst.class;
                        let cdef = self.classdef(class);
                        self.prebuilt_instance(o);
                        SomeValue::Instance { class: cdef, can_be_none: false, konst: Some(o) }
                    }
                    // A local on a path where it is unbound: no value.
                    Object::Builtin(Builtin::Unbound) => SomeValue::Impossible,
                    _ => SomeValue::single(Desc::Frozen(o)),
                }
            }
        }
    }

    fn prebuilt_list(&mut self, o: ObjId, items: &[Value]) -> u32 {
        if let Some(&d) = self.prebuilt_lists.get(&o) {
            return d;
        }
        let def = self.lists.new_def(ListDef { item: SomeValue::Impossible, item_origin: Span::DUMMY, readers: BTreeSet::new(), resized: false, mutated: false });
        self.prebuilt_lists.insert(o, def);
        for it in items {
            let s = self.annotate_const(it).without_const_keep_pbc();
            if let Err(m) = self.list_generalize(def, s, Span::DUMMY) {
                self.error(Diagnostic::error("E0302", format!("a prebuilt list mixes {} and {}", m.a, m.b)).with_note("RPy lists hold items of one type"));
                break;
            }
        }
        def
    }

    fn prebuilt_dict(&mut self, o: ObjId, entries: &[(Value, Value)]) -> u32 {
        if let Some(&d) = self.prebuilt_dicts.get(&o) {
            return d;
        }
        let def = self.dicts.new_def(DictDef {
            key: SomeValue::Impossible,
            value: SomeValue::Impossible,
            key_origin: Span::DUMMY,
            value_origin: Span::DUMMY,
            readers: BTreeSet::new(),
        });
        self.prebuilt_dicts.insert(o, def);
        for (k, v) in entries {
            let ks = self.annotate_const(k).without_const_keep_pbc();
            let vs = self.annotate_const(v).without_const_keep_pbc();
            if let Err(m) = self.dict_generalize(def, Some(ks), Some(vs), Span::DUMMY) {
                self.error(Diagnostic::error("E0303", format!("a prebuilt dict mixes {} and {}", m.a, m.b)).with_note("RPy dicts have one key type and one value type"));
                break;
            }
        }
        def
    }

    /// A prebuilt instance's attributes contribute to its class's attribute annotations.
    fn prebuilt_instance(&mut self, o: ObjId) {
        if !self.prebuilt_instances.insert(o) {
            return;
        }
        let Some(inst) = self.prog.heap.instance(o) else { return };
        let class = inst.class;
        let attrs: Vec<(Arc<str>, Value)> = inst.attrs.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let cdef = self.classdef(class);
        self.classdefs[cdef.0 as usize].instantiated = true;
        if self.is_builtin_exception(cdef) {
            return;
        }
        for (name, v) in attrs {
            let s = self.annotate_const(&v).without_const_keep_pbc();
            let span = self.prog.heap.class(class).map_or(Span::DUMMY, |c| c.span);
            if let Err(d) = self.write_attr(cdef, &name, s, span) {
                self.error(d);
            }
        }
    }

    // ----- definitions --------------------------------------------------------------

    pub fn new_list_at(&mut self, site: OpLoc) -> u32 {
        if let Some(&d) = self.sites_list.get(&site) {
            return d;
        }
        let d = self.lists.new_def(ListDef { item: SomeValue::Impossible, item_origin: Span::DUMMY, readers: BTreeSet::new(), resized: false, mutated: false });
        self.sites_list.insert(site, d);
        d
    }

    pub fn new_dict_at(&mut self, site: OpLoc) -> u32 {
        if let Some(&d) = self.sites_dict.get(&site) {
            return d;
        }
        let d = self.dicts.new_def(DictDef {
            key: SomeValue::Impossible,
            value: SomeValue::Impossible,
            key_origin: Span::DUMMY,
            value_origin: Span::DUMMY,
            readers: BTreeSet::new(),
        });
        self.sites_dict.insert(site, d);
        d
    }

    /// Generalises a list's item annotation; re-flows its readers on change.
    pub fn list_generalize(&mut self, def: u32, item: SomeValue, origin: Span) -> Result<(), Mismatch> {
        if item.can_be_none() {
            self.note_list_none(def, origin);
        }
        let old = self.lists.get(def).item.clone();
        let u = self.union(&old, &item)?;
        if u != old {
            let ld = self.lists.get_mut(def);
            ld.item = u;
            if old.is_impossible() {
                ld.item_origin = origin;
            }
            let readers = ld.readers.clone();
            self.schedule_all(&readers);
        }
        Ok(())
    }

    pub fn list_item(&mut self, def: u32) -> SomeValue {
        let reader = self.cur;
        let ld = self.lists.get_mut(def);
        ld.readers.insert(reader);
        let item = ld.item.clone();
        if item.can_be_none() {
            self.call_none_origin = self.list_none_origin(def);
        }
        item
    }

    pub fn dict_generalize(&mut self, def: u32, key: Option<SomeValue>, value: Option<SomeValue>, origin: Span) -> Result<(), Mismatch> {
        let (ok, ov) = {
            let d = self.dicts.get(def);
            (d.key.clone(), d.value.clone())
        };
        let nk = match key {
            Some(k) => self.union(&ok, &k)?,
            None => ok.clone(),
        };
        let nv = match value {
            Some(v) => self.union(&ov, &v)?,
            None => ov.clone(),
        };
        if nk != ok || nv != ov {
            let d = self.dicts.get_mut(def);
            if ok.is_impossible() && !nk.is_impossible() {
                d.key_origin = origin;
            }
            if ov.is_impossible() && !nv.is_impossible() {
                d.value_origin = origin;
            }
            d.key = nk;
            d.value = nv;
            let readers = d.readers.clone();
            self.schedule_all(&readers);
        }
        Ok(())
    }

    pub fn dict_kv(&mut self, def: u32) -> (SomeValue, SomeValue) {
        let reader = self.cur;
        let d = self.dicts.get_mut(def);
        d.readers.insert(reader);
        (d.key.clone(), d.value.clone())
    }

    // ----- union ------------------------------------------------------------------------

    /// The least annotation covering both; fails when they cannot mix.
    pub fn union(&mut self, a: &SomeValue, b: &SomeValue) -> Result<SomeValue, Mismatch> {
        use SomeValue::*;
        if a == b {
            return Ok(a.clone());
        }
        let mismatch = |s: &mut Self| Mismatch { a: s.describe(a), b: s.describe(b) };
        Ok(match (a, b) {
            (Impossible, x) | (x, Impossible) => x.clone(),
            (Object, _) | (_, Object) => Object,
            (None_, None_) => None_,
            (Bool { konst: x }, Bool { konst: y }) => Bool { konst: if x == y { *x } else { None } },
            (Int { nonneg: n1, unsigned: u1, konst: k1, boolish: b1 }, Int { nonneg: n2, unsigned: u2, konst: k2, boolish: b2 }) => {
                if u1 != u2 {
                    return Err(Mismatch { a: self.describe(a), b: self.describe(b) });
                }
                Int { nonneg: *n1 && *n2, unsigned: *u1, konst: if k1 == k2 { *k1 } else { None }, boolish: *b1 || *b2 }
            }
            // An int that may be a bool: printing it is checked (see `special.rs`).
            (Int { nonneg, unsigned, .. }, Bool { .. }) | (Bool { .. }, Int { nonneg, unsigned, .. }) => Int { nonneg: *nonneg, unsigned: *unsigned, konst: None, boolish: true },
            (Float { konst: x, intish: i1, boolish: b1 }, Float { konst: y, intish: i2, boolish: b2 }) => Float { konst: if x == y { *x } else { None }, intish: *i1 || *i2, boolish: *b1 || *b2 },
            // A float that may be a bool: it keeps its type at run time (NaN-boxed, see
            // `SomeValue::Float`).
            (Float { intish, .. }, Bool { .. }) | (Bool { .. }, Float { intish, .. }) => Float { konst: None, intish: *intish, boolish: true },
            // A float that may be an int: printing it is checked (see `special.rs`).
            (Float { boolish, .. }, Int { unsigned: false, .. }) | (Int { unsigned: false, .. }, Float { boolish, .. }) => Float { konst: None, intish: true, boolish: *boolish },
            (Char { konst: x }, Char { konst: y }) => Char { konst: if x == y { *x } else { None } },
            (Char { .. }, Str { can_be_none, .. }) | (Str { can_be_none, .. }, Char { .. }) => Str { can_be_none: *can_be_none, konst: None },
            (Str { can_be_none: n1, konst: k1 }, Str { can_be_none: n2, konst: k2 }) => Str { can_be_none: *n1 || *n2, konst: if k1 == k2 { k1.clone() } else { None } },
            (Bytes { konst: k1, ascii: a1 }, Bytes { konst: k2, ascii: a2 }) => Bytes { konst: if k1 == k2 { k1.clone() } else { None }, ascii: *a1 && *a2 },
            (None_, x) | (x, None_) => match x.nullable() {
                Some(n) => n,
                None => return Err(mismatch(self)),
            },
            (List { def: d1, can_be_none: n1 }, List { def: d2, can_be_none: n2 }) => {
                self.unify_lists(d1.0, d2.0)?;
                List { def: *d1, can_be_none: *n1 || *n2 }
            }
            (Dict { def: d1, can_be_none: n1 }, Dict { def: d2, can_be_none: n2 }) => {
                self.unify_dicts(d1.0, d2.0)?;
                Dict { def: *d1, can_be_none: *n1 || *n2 }
            }
            (Tuple(x), Tuple(y)) if x.len() == y.len() => {
                let mut items = Vec::with_capacity(x.len());
                for (p, q) in x.iter().zip(y.iter()) {
                    items.push(self.union(p, q)?);
                }
                Tuple(items.into())
            }
            (Instance { class: c1, can_be_none: n1, konst: k1 }, Instance { class: c2, can_be_none: n2, konst: k2 }) => {
                let c = self.common_base(*c1, *c2);
                Instance { class: c, can_be_none: *n1 || *n2, konst: if k1 == k2 { *k1 } else { None } }
            }
            (ClassOf { class: c1 }, ClassOf { class: c2 }) => ClassOf { class: self.common_base(*c1, *c2) },
            (Pbc { descs: d1, can_be_none: n1 }, Pbc { descs: d2, can_be_none: n2 }) => {
                let mut d: BTreeSet<Desc> = (**d1).clone();
                d.extend(d2.iter().copied());
                if d.len() > 1 && d.iter().all(|x| matches!(x, Desc::Class(_))) {
                    // One of several classes is a vtable pointer at run time: every class
                    // in the set needs a classdef (and so a vtable), instantiated or not.
                    for x in &d {
                        if let Desc::Class(o) = x {
                            self.classdef(*o);
                        }
                    }
                }
                Pbc { descs: Arc::new(d), can_be_none: *n1 || *n2 }
            }
            (Iterator { kind: k1, source: s1 }, Iterator { kind: k2, source: s2 }) if k1 == k2 => {
                let s = self.union(s1, s2)?;
                Iterator { kind: *k1, source: Box::new(s) }
            }
            _ => return Err(mismatch(self)),
        })
    }

    fn unify_lists(&mut self, a: u32, b: u32) -> Result<(), Mismatch> {
        let Some((root, da, db)) = self.lists.union(a, b) else { return Ok(()) };
        let item = match self.union(&da.item, &db.item) {
            Ok(i) => i,
            Err(m) => {
                self.lists.set(root, da);
                return Err(m);
            }
        };
        let changed_a = item != da.item;
        let changed_b = item != db.item;
        let mut readers = da.readers.clone();
        readers.extend(db.readers.iter().copied());
        let origin = if da.item.is_impossible() { db.item_origin } else { da.item_origin };
        self.lists.set(root, ListDef { item, item_origin: origin, readers: readers.clone(), resized: da.resized || db.resized, mutated: da.mutated || db.mutated });
        if changed_a || changed_b {
            self.schedule_all(&readers);
        }
        Ok(())
    }

    fn unify_dicts(&mut self, a: u32, b: u32) -> Result<(), Mismatch> {
        let Some((root, da, db)) = self.dicts.union(a, b) else { return Ok(()) };
        let key = self.union(&da.key, &db.key);
        let value = self.union(&da.value, &db.value);
        let (key, value) = match (key, value) {
            (Ok(k), Ok(v)) => (k, v),
            (Err(m), _) | (_, Err(m)) => {
                self.dicts.set(root, da);
                return Err(m);
            }
        };
        let changed = key != da.key || key != db.key || value != da.value || value != db.value;
        let mut readers = da.readers.clone();
        readers.extend(db.readers.iter().copied());
        self.dicts.set(
            root,
            DictDef {
                key,
                value,
                key_origin: if da.key.is_impossible() { db.key_origin } else { da.key_origin },
                value_origin: if da.value.is_impossible() { db.value_origin } else { da.value_origin },
                readers: readers.clone(),
            },
        );
        if changed {
            self.schedule_all(&readers);
        }
        Ok(())
    }

    // ----- classes ---------------------------------------------------------------------

    pub fn classdef(&mut self, class: ObjId) -> ClassDefId {
        if let Some(&c) = self.by_class.get(&class) {
            return c;
        }
        let c = self.prog.heap.class(class).expect("classdefs are made for classes").clone();
        let parent = if class == self.prog.classes.object { None } else { Some(self.classdef(*c.bases.first().unwrap_or(&self.prog.classes.object))) };
        let id = ClassDefId(self.classdefs.len() as u32);
        self.classdefs.push(ClassDef {
            class,
            name: c.name.clone(),
            parent,
            attrs: indexmap::IndexMap::new(),
            subdefs: Vec::new(),
            instantiated: false,
            method_readers: BTreeSet::new(),
            immutable_fields: Vec::new(),
            immutable: false,
        });
        self.by_class.insert(class, id);
        if let Some(p) = parent {
            self.classdefs[p.0 as usize].subdefs.push(id);
            // Method calls on ancestors may now reach an override in this class.
            let mut anc = Some(p);
            while let Some(a) = anc {
                let readers = self.classdefs[a.0 as usize].method_readers.clone();
                self.schedule_all(&readers);
                anc = self.classdefs[a.0 as usize].parent;
            }
        }
        id
    }

    pub fn is_subclassdef(&self, sub: ClassDefId, sup: ClassDefId) -> bool {
        let mut c = Some(sub);
        while let Some(x) = c {
            if x == sup {
                return true;
            }
            c = self.classdefs[x.0 as usize].parent;
        }
        false
    }

    pub fn common_base(&self, a: ClassDefId, b: ClassDefId) -> ClassDefId {
        let mut x = Some(a);
        while let Some(c) = x {
            if self.is_subclassdef(b, c) {
                return c;
            }
            x = self.classdefs[c.0 as usize].parent;
        }
        self.by_class[&self.prog.classes.object]
    }

    pub fn is_builtin_exception(&self, c: ClassDefId) -> bool {
        self.prog.heap.class(self.classdefs[c.0 as usize].class).is_some_and(|k| k.builtin)
    }

    /// Where attribute `name` of instances of `c` is stored, creating it at `c` (and
    /// moving definitions from subclasses up) when needed.
    fn attr_home(&mut self, c: ClassDefId, name: &str) -> ClassDefId {
        let mut x = Some(c);
        while let Some(k) = x {
            if self.classdefs[k.0 as usize].attrs.contains_key(name) {
                return k;
            }
            x = self.classdefs[k.0 as usize].parent;
        }
        // Defined in subclasses only: move it up to `c`, merging annotations.
        let mut found = Vec::new();
        let mut stack = self.classdefs[c.0 as usize].subdefs.clone();
        while let Some(d) = stack.pop() {
            if let Some(a) = self.classdefs[d.0 as usize].attrs.shift_remove(name) {
                found.push(a);
            } else {
                stack.extend(self.classdefs[d.0 as usize].subdefs.iter().copied());
            }
        }
        let mut merged = AttrDef { ann: SomeValue::Impossible, origin: Span::DUMMY, readers: BTreeSet::new() };
        for a in found {
            match self.union(&merged.ann, &a.ann) {
                Ok(u) => merged.ann = u,
                Err(m) => {
                    let cname = self.classdefs[c.0 as usize].name.clone();
                    self.error(
                        Diagnostic::error("E0304", format!("attribute '{name}' is {} in one subclass of '{cname}' and {} in another", m.a, m.b))
                            .with_primary(a.origin, format!("{} here", m.b))
                            .with_label(merged.origin, format!("{} here", m.a))
                            .with_note("an attribute read through a base class must have one type in all its subclasses"),
                    );
                    merged.ann = SomeValue::Object;
                }
            }
            if merged.origin.is_dummy() {
                merged.origin = a.origin;
            }
            merged.readers.extend(a.readers);
        }
        // Class-level values of `name` (on `c`'s MRO, or defined in a subclass) are the
        // initial values of the field in instances of those classes: the field holds them.
        for v in self.class_level_values(c, name) {
            let k = self.annotate_const(&v).without_const_keep_pbc();
            match self.union(&merged.ann, &k) {
                Ok(u) => merged.ann = u,
                Err(m) => {
                    let cname = self.classdefs[c.0 as usize].name.clone();
                    self.error(
                        Diagnostic::error("E0304", format!("attribute '{name}' of '{cname}' instances is {} but a class attribute of that name is {}", m.a, m.b))
                            .with_primary(merged.origin, format!("{} here", m.a))
                            .with_note("a class attribute that instances also assign is the attribute's initial value, so both must have one type"),
                    );
                    merged.ann = SomeValue::Object;
                }
            }
        }
        let readers = merged.readers.clone();
        self.classdefs[c.0 as usize].attrs.insert(Arc::from(name), merged);
        self.schedule_all(&readers);
        // A read through an ancestor may have taken `name` for a class attribute (a
        // constant); now that instances store it, that read must become a field read.
        let mut anc = self.classdefs[c.0 as usize].parent;
        while let Some(a) = anc {
            let readers = self.classdefs[a.0 as usize].method_readers.clone();
            self.schedule_all(&readers);
            anc = self.classdefs[a.0 as usize].parent;
        }
        c
    }

    pub fn read_attr(&mut self, c: ClassDefId, name: &str) -> SomeValue {
        let span = self.cur_span;
        let loc = (self.cur.0, self.cur.1, self.cur_op);
        self.attr_reads.record(loc, c, name, span);
        let home = self.attr_home(c, name);
        let reader = self.cur;
        let a = self.classdefs[home.0 as usize].attrs.get_mut(name).expect("attr_home creates it");
        a.readers.insert(reader);
        let ann = a.ann.clone();
        if ann.can_be_none() {
            self.call_none_origin = self.attr_none_origin(home, name);
        }
        ann
    }

    /// The non-function class attributes named `name` that instances of `c` or of its
    /// subclasses see: the one `c`'s MRO finds, and those subclasses define.
    fn class_level_values(&self, c: ClassDefId, name: &str) -> Vec<Value> {
        let is_func = |v: &Value| matches!(v, Value::Obj(f) if matches!(self.prog.heap.get(*f), Object::Function(_)));
        let mut out = Vec::new();
        if let Some((_, v)) = self.prog.heap.class_lookup(self.classdefs[c.0 as usize].class, name) {
            if !is_func(&v) {
                out.push(v);
            }
        }
        let mut stack = self.classdefs[c.0 as usize].subdefs.clone();
        while let Some(d) = stack.pop() {
            if let Some(v) = self.prog.heap.class(self.classdefs[d.0 as usize].class).and_then(|k| k.dict.get(name)) {
                if !is_func(v) {
                    out.push(v.clone());
                }
            }
            stack.extend(self.classdefs[d.0 as usize].subdefs.iter().copied());
        }
        out
    }

    /// Whether instances of `c` or of any of its subclasses store attribute `name`: then
    /// a read through `c` is a field read, even where a class attribute of that name
    /// exists (its value is the field's initial value, as in RPython).
    pub fn has_instance_attr_here_or_below(&self, c: ClassDefId, name: &str) -> bool {
        if self.has_instance_attr(c, name) {
            return true;
        }
        let mut stack = self.classdefs[c.0 as usize].subdefs.clone();
        while let Some(d) = stack.pop() {
            if self.classdefs[d.0 as usize].attrs.contains_key(name) {
                return true;
            }
            stack.extend(self.classdefs[d.0 as usize].subdefs.iter().copied());
        }
        false
    }

    /// Whether instances of `c` (or a superclass) have attribute `name` stored so far.
    pub fn has_instance_attr(&self, c: ClassDefId, name: &str) -> bool {
        let mut x = Some(c);
        while let Some(k) = x {
            if self.classdefs[k.0 as usize].attrs.contains_key(name) {
                return true;
            }
            x = self.classdefs[k.0 as usize].parent;
        }
        false
    }

    pub fn write_attr(&mut self, c: ClassDefId, name: &str, value: SomeValue, span: Span) -> Result<(), Diagnostic> {
        let home = self.attr_home(c, name);
        if value.can_be_none() {
            self.note_attr_none(c, name, span);
        }
        let old = self.classdefs[home.0 as usize].attrs[name].ann.clone();
        let new = value.without_const_keep_pbc();
        match self.union(&old, &new) {
            Ok(u) => {
                if let Some(new_is_bool) = crate::special::bool_mix(&old, &new, &u) {
                    let before = self.classdefs[home.0 as usize].attrs[name].origin;
                    let pair = if new_is_bool { (span, before) } else { (before, span) };
                    self.bool_mixes.attrs.entry((home, Arc::from(name))).or_insert(pair);
                }
                if u != old {
                    let a = self.classdefs[home.0 as usize].attrs.get_mut(name).expect("exists");
                    if old.is_impossible() {
                        a.origin = span;
                    }
                    a.ann = u;
                    let readers = a.readers.clone();
                    self.schedule_all(&readers);
                }
                Ok(())
            }
            Err(m) => {
                let origin = self.classdefs[home.0 as usize].attrs[name].origin;
                let cname = self.classdefs[home.0 as usize].name.clone();
                let a = self.classdefs[home.0 as usize].attrs.get_mut(name).expect("exists");
                a.ann = SomeValue::Object;
                Err(Diagnostic::error("E0304", format!("attribute '{cname}.{name}' is assigned {} here and {} elsewhere", m.b, m.a))
                    .with_primary(span, format!("{} here", m.b))
                    .with_label(origin, format!("{} here", m.a))
                    .with_note("an attribute keeps one type for all instances of its class"))
            }
        }
    }

    /// Reports attributes that are read but never given a value (their reading blocks
    /// could not go on), naming the class and what it does have.
    pub fn check_attr_reads(&mut self) {
        let reads = std::mem::take(&mut self.attr_reads).into_vec();
        let misses = std::mem::take(&mut self.method_misses).into_vec();
        for (c, name, span) in reads {
            if misses.iter().any(|(k, n, s)| *k == c && *n == name && *s == span) {
                continue;
            }
            let mut x = Some(c);
            let mut ann = None;
            while let Some(k) = x {
                if let Some(a) = self.classdefs[k.0 as usize].attrs.get(&*name) {
                    ann = Some(a.ann.clone());
                    break;
                }
                x = self.classdefs[k.0 as usize].parent;
            }
            if !matches!(ann, Some(SomeValue::Impossible)) {
                continue;
            }
            let cname = self.classdefs[c.0 as usize].name.clone();
            let (attrs, methods) = self.members_of(c);
            let mut d = Diagnostic::error("E0325", format!("'{cname}' object has no attribute '{name}'")).with_primary(span, "read here, but never assigned on any instance");
            d = d.with_note(if attrs.is_empty() { format!("'{cname}' instances have no attributes") } else { format!("'{cname}' instances have: {}", attrs.join(", ")) });
            if !methods.is_empty() {
                d = d.with_note(format!("'{cname}' has methods: {}", methods.join(", ")));
            }
            self.error(d);
        }
        for (c, name, span) in misses {
            if !self.method_impls(c, &name).is_empty() || !matches!(self.attr_ann(c, &name), Some(SomeValue::Impossible) | None) {
                continue;
            }
            let cname = self.classdefs[c.0 as usize].name.clone();
            let (attrs, methods) = self.members_of(c);
            let note = if methods.is_empty() { format!("'{cname}' has no methods") } else { format!("'{cname}' has methods: {}", methods.join(", ")) };
            let mut d = Diagnostic::error("E0317", format!("'{cname}' object has no method '{name}'")).with_primary(span, "called here").with_note(note);
            if !attrs.is_empty() {
                d = d.with_note(format!("'{cname}' instances have: {}", attrs.join(", ")));
            }
            self.error(d);
        }
    }

    /// The annotation of instance attribute `name` of `c` (stored at `c` or above).
    fn attr_ann(&self, c: ClassDefId, name: &str) -> Option<SomeValue> {
        let mut x = Some(c);
        while let Some(k) = x {
            if let Some(a) = self.classdefs[k.0 as usize].attrs.get(name) {
                return Some(a.ann.clone());
            }
            x = self.classdefs[k.0 as usize].parent;
        }
        None
    }

    /// Records each class's `_immutable_fields_`: a list or tuple of attribute names,
    /// optionally suffixed `[*]` (an immutable list) or `?` (quasi-immutable), as in
    /// RPython. Anything else there is an error.
    pub fn check_immutable_fields(&mut self) {
        for i in 0..self.classdefs.len() {
            let cls = self.classdefs[i].class;
            let Some(k) = self.prog.heap.class(cls) else { continue };
            match k.dict.get("_immutable_") {
                None => {}
                Some(Value::Bool(b)) => self.classdefs[i].immutable = *b,
                Some(_) => {
                    let d = Diagnostic::error("E0329", format!("'{}._immutable_' must be True or False", k.name)).with_primary(k.span, "in this class");
                    self.error(d);
                }
            }
            let Some(k) = self.prog.heap.class(cls) else { continue };
            let Some(v) = k.dict.get("_immutable_fields_") else { continue };
            let span = k.span;
            let cname = k.name.clone();
            let items: Option<Vec<Value>> = match v {
                Value::Obj(o) => match self.prog.heap.get(*o) {
                    Object::Tuple(t) => Some(t.to_vec()),
                    Object::List(l) => Some(l.clone()),
                    _ => None,
                },
                _ => None,
            };
            let mut names = Vec::new();
            let mut ok = items.is_some();
            for it in items.unwrap_or_default() {
                match it {
                    Value::Str(s) => {
                        let (rest, items) = match s.strip_suffix("[*]") {
                            Some(r) => (r, true),
                            None => (&*s, false),
                        };
                        let (n, quasi) = match rest.strip_suffix('?') {
                            Some(r) => (r, true),
                            None => (rest, false),
                        };
                        if n.is_empty() || !n.chars().all(|c| c == '_' || c.is_alphanumeric()) {
                            ok = false;
                        } else {
                            names.push(crate::defs::ImmutableField { name: Arc::from(n), quasi, items });
                        }
                    }
                    _ => ok = false,
                }
            }
            if !ok {
                self.error(
                    Diagnostic::error("E0329", format!("'{cname}._immutable_fields_' must be a list or tuple of attribute names"))
                        .with_primary(span, "in this class")
                        .with_note("for example: _immutable_fields_ = [\"code\", \"consts[*]\"]"),
                );
            }
            self.classdefs[i].immutable_fields = names;
        }
    }

    /// The instance attributes (own, inherited and of subclasses) and methods of a class.
    pub fn members_of(&self, c: ClassDefId) -> (Vec<String>, Vec<String>) {
        let mut attrs = Vec::new();
        let add = |k: ClassDefId, attrs: &mut Vec<String>| {
            for (n, a) in &self.classdefs[k.0 as usize].attrs {
                if !a.ann.is_impossible() && !attrs.contains(&n.to_string()) {
                    attrs.push(n.to_string());
                }
            }
        };
        let mut x = Some(c);
        while let Some(k) = x {
            add(k, &mut attrs);
            x = self.classdefs[k.0 as usize].parent;
        }
        attrs.sort();
        let mut methods = Vec::new();
        if let Some(k) = self.prog.heap.class(self.classdefs[c.0 as usize].class) {
            for m in &k.mro {
                if let Some(kc) = self.prog.heap.class(*m) {
                    if kc.builtin {
                        continue;
                    }
                    for (n, v) in &kc.dict {
                        if v.as_obj().is_some_and(|o| self.prog.heap.function(o).is_some()) && !methods.contains(&n.to_string()) {
                            methods.push(n.to_string());
                        }
                    }
                }
            }
        }
        methods.sort();
        (attrs, methods)
    }

    // ----- descriptions ---------------------------------------------------------------

    /// A short description of an annotation for messages: `int`, `list[str]`, `A or None`.
    pub fn describe(&mut self, s: &SomeValue) -> String {
        let none = |n: bool, s: String| if n { format!("{s} or None") } else { s };
        match s {
            SomeValue::Impossible => "nothing".into(),
            SomeValue::Object => "(error)".into(),
            SomeValue::None_ => "None".into(),
            SomeValue::Bool { .. } => "bool".into(),
            SomeValue::Int { unsigned: true, .. } => "r_uint".into(),
            SomeValue::Int { .. } => "int".into(),
            SomeValue::Float { .. } => "float".into(),
            SomeValue::Char { .. } => "str".into(),
            SomeValue::Str { can_be_none, .. } => none(*can_be_none, "str".into()),
            SomeValue::Bytes { .. } => "bytes".into(),
            SomeValue::List { def, can_be_none } => {
                let item = self.lists.get(def.0).item.clone();
                let d = self.describe(&item);
                none(*can_be_none, format!("list[{d}]"))
            }
            SomeValue::Dict { def, can_be_none } => {
                let (k, v) = {
                    let d = self.dicts.get(def.0);
                    (d.key.clone(), d.value.clone())
                };
                let (kd, vd) = (self.describe(&k), self.describe(&v));
                none(*can_be_none, format!("dict[{kd}, {vd}]"))
            }
            SomeValue::Tuple(items) => {
                let parts: Vec<String> = items.iter().map(|i| self.describe(i)).collect();
                format!("tuple[{}]", parts.join(", "))
            }
            SomeValue::Instance { class, can_be_none, .. } => none(*can_be_none, format!("'{}' instance", self.classdefs[class.0 as usize].name)),
            SomeValue::ClassOf { class } => format!("type of '{}'", self.classdefs[class.0 as usize].name),
            SomeValue::Pbc { descs, can_be_none } => {
                let parts: Vec<String> = descs.iter().map(|d| self.describe_desc(d)).collect();
                none(*can_be_none, parts.join(" or "))
            }
            SomeValue::Iterator { .. } => "iterator".into(),
        }
    }

    pub fn describe_desc(&self, d: &Desc) -> String {
        let heap = &self.prog.heap;
        match d {
            Desc::Function(f) => format!("function '{}'", heap.function(*f).map_or("?", |f| &f.qualname)),
            Desc::Class(c) => format!("class '{}'", heap.class(*c).map_or("?", |c| &c.qualname)),
            Desc::Method { func, .. } => format!("method '{}'", heap.function(*func).map_or("?", |f| &f.qualname)),
            Desc::Frozen(o) => heap.describe(&Value::Obj(*o)),
        }
    }
}

fn strip_suffix(name: &str) -> &str {
    name.rsplit_once('_').map_or(name, |(a, _)| a)
}

impl SomeValue {
    /// Constants passed into a function's parameters lose their constness unless the
    /// value has no run-time representation (functions, classes...), so that a second
    /// call with another constant does not look like a type change.
    pub fn without_const_if_needed(&self) -> SomeValue {
        self.without_const_keep_pbc()
    }

    /// Drops constants, except for prebuilt-object descriptions.
    pub fn without_const_keep_pbc(&self) -> SomeValue {
        match self {
            SomeValue::Pbc { .. } => self.clone(),
            SomeValue::Tuple(items) => SomeValue::Tuple(items.iter().map(|i| i.without_const_keep_pbc()).collect()),
            other => other.without_const(),
        }
    }
}
