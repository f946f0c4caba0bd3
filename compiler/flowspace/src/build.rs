//! Builds the flow graph of one run-time function from its syntax tree.
//!
//! The builder walks statements keeping a *state*: the current value (variable or
//! constant) of every local name, plus a stack of temporaries that an expression is
//! holding while it evaluates another. Whenever control flow splits or merges, the state
//! becomes the link arguments and the next block's input variables (block-argument SSA).
//! Constants stay constants through merges when every incoming path agrees, so
//! import-time constants fold through the whole function.
//!
//! What is folded at flow time: pure operations on constants (with the exact semantics of
//! the import-time evaluator), attribute reads on modules, classes and functions (which
//! are constant after import), `we_are_translated()`, and conditions that are constant —
//! the branch not taken is never built, so CPython-only code under
//! `if not we_are_translated():` is never analysed.
//!
//! Exceptions: inside `try`, an operation that can raise ends its block with a
//! `LastException` switch whose exception link goes to a dispatch block; the dispatch
//! tests the handlers' classes in order with `exc_match` and re-raises when none match.
//! `finally` bodies are built once per way out of the `try` (normal, exception, return,
//! break, continue).

use std::collections::HashSet;
use std::sync::Arc;

use indexmap::IndexMap;
use kiln_diagnostics::{Diagnostic, FileId, Span};
use kiln_flowgraph::{BlockId, ExitSwitch, Graph, Link, LinkCase, Operation, Var};
use kiln_frontend::attrs::{lookup_attr, Attr};
use kiln_frontend::ops::{self as pyops, BinOp, CmpOp};
use kiln_frontend::value::{Env, FuncBody, Function, Heap, Object};
use kiln_frontend::{Builtin, ObjId, Program, Value};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::ops::{CallShape, Hl, HlOp};

mod stdcalls;

/// An operand of a flow operation.
pub type Opnd = kiln_flowgraph::Value<Value>;

/// The result of building one graph.
pub struct Built {
    pub graph: Option<Graph<Hl>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds the graph of function `func`. `const_args[i] = Some(v)` specialises parameter
/// `i` to the constant `v` (for `specialize.arg`); the parameter stays in the signature.
pub fn build_flow_graph(prog: &Program, func: ObjId, const_args: &[Option<Value>]) -> Built {
    let Some(f) = prog.heap.function(func) else {
        return Built { graph: None, diagnostics: vec![Diagnostic::internal(format!("{func} is not a function"))] };
    };
    let mut b = Builder::new(prog, f);
    b.build(const_args);
    let diagnostics = std::mem::take(&mut b.diags);
    if diagnostics.iter().any(|d| d.is_error()) {
        return Built { graph: None, diagnostics };
    }
    let mut g = b.g;
    crate::simplify::simplify(&mut g);
    if cfg!(debug_assertions) {
        if let Err(e) = kiln_flowgraph::verify_graph(&g) {
            return Built { graph: None, diagnostics: vec![Diagnostic::internal(format!("the flowspace built an invalid graph: {e}")).with_primary(g.span, "in this function")] };
        }
    }
    Built { graph: Some(g), diagnostics }
}

#[derive(Clone, Debug, Default)]
struct State {
    names: IndexMap<Arc<str>, Opnd>,
    temps: Vec<Opnd>,
    /// Where each name was last assigned, for diagnostics about merges.
    spans: std::collections::HashMap<Arc<str>, Span>,
}

impl State {
    /// The source of a name's current value: its last assignment.
    fn span_of(&self, name: &Arc<str>) -> Span {
        self.spans.get(name).copied().unwrap_or(Span::DUMMY)
    }
}

/// An edge out of a finished block whose target is not known yet.
struct Pending {
    block: BlockId,
    exit: usize,
    state: State,
    /// Values passed after the state (the exception instance, a loop value...).
    extra: Vec<Opnd>,
}

enum LoopKind {
    /// A real loop: `continue` jumps back to the header with the header's names (and
    /// the temporaries live around the loop, when it is inside an expression).
    Header { block: BlockId, names: Vec<Arc<str>> },
    /// A loop unrolled at flow time: `continue` goes on with the next item.
    Unrolled { continue_edges: Vec<Pending> },
}

struct LoopCtx {
    kind: LoopKind,
    break_edges: Vec<Pending>,
    /// How many try contexts were active when the loop started.
    try_depth: usize,
}

enum TryCtx<'p> {
    /// `try` with `except` handlers: raising edges go to the dispatch.
    Except { edges: Vec<Pending> },
    /// `try` with `finally`: raising edges go to the finally body, then re-raise.
    Finally { body: &'p [Stmt], edges: Vec<Pending> },
}

const PLACEHOLDER: BlockId = BlockId(u32::MAX);

/// The prefix of the hidden state name holding whether a local is bound (`$bound:c`), for
/// locals assigned on some paths only. Absent: the local is bound wherever it is present.
const BOUND_FLAG: &str = "$bound:";

fn bound_flag(name: &str) -> Arc<str> {
    Arc::from(format!("{BOUND_FLAG}{name}"))
}

/// The prefix of hidden state names caching attribute reads (`$attr:self.left`).
const ATTR_CACHE: &str = "$attr:";

pub(crate) struct Builder<'p> {
    prog: &'p Program,
    pub(crate) heap: &'p Heap,
    func: &'p Function,
    file: FileId,
    g: Graph<Hl>,
    cur: Option<(BlockId, State)>,
    locals: HashSet<Arc<str>>,
    loops: Vec<LoopCtx>,
    tries: Vec<TryCtx<'p>>,
    /// Renames of comprehension variables, innermost last.
    comp_scopes: Vec<IndexMap<Arc<str>, Arc<str>>>,
    /// The walrus targets of the comprehensions being built: function locals that the
    /// comprehension's loops assign, so every loop header must carry them.
    comp_walrus: Vec<HashSet<Arc<str>>>,
    bool_vars: HashSet<Var>,
    hidden: u32,
    diags: Vec<Diagnostic>,
    /// The statement being built, for the spans of assignments.
    stmt_span: Span,
    /// Evaluating the argument of `ovfcheck()`.
    in_ovfcheck: bool,
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Obj(_))
}

impl<'p> Builder<'p> {
    fn new(prog: &'p Program, func: &'p Function) -> Builder<'p> {
        let g = Graph::new(func.qualname.clone(), func.span, ());
        Builder {
            prog,
            heap: &prog.heap,
            func,
            file: func.file,
            g,
            cur: None,
            locals: HashSet::new(),
            loops: Vec::new(),
            tries: Vec::new(),
            comp_scopes: Vec::new(),
            comp_walrus: Vec::new(),
            bool_vars: HashSet::new(),
            hidden: 0,
            diags: Vec::new(),
            stmt_span: Span::DUMMY,
            in_ovfcheck: false,
        }
    }

    fn span(&self, r: TextRange) -> Span {
        Span::new(self.file, r.start().into(), r.end().into())
    }

    fn error(&mut self, code: &'static str, msg: impl Into<String>, span: Span, label: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, msg).with_primary(span, label));
    }

    fn hidden_name(&mut self, what: &str) -> Arc<str> {
        self.hidden += 1;
        Arc::from(format!("${what}{}", self.hidden))
    }

    // ----- graph plumbing ------------------------------------------------------------

    fn new_var(&mut self, name: Option<&str>) -> Var {
        self.g.new_var(name, ())
    }

    fn state_mut(&mut self) -> Option<&mut State> {
        self.cur.as_mut().map(|(_, s)| s)
    }

    fn push_temp(&mut self, v: Opnd) {
        if let Some(s) = self.state_mut() {
            s.temps.push(v);
        }
    }

    fn pop_temp(&mut self) -> Opnd {
        self.state_mut().and_then(|s| s.temps.pop()).unwrap_or(Opnd::Const(Value::None))
    }

    /// A new block taking every variable of `state` (and `extra`) as input.
    fn fresh_block(&mut self, state: &State, extra: &[Opnd]) -> (BlockId, State, Vec<Opnd>, Vec<Opnd>) {
        let mut inputs = Vec::new();
        let mut args = Vec::new();
        let mut rename = |g: &mut Graph<Hl>, v: &Opnd| -> Opnd {
            match v {
                Opnd::Var(old) => {
                    let nv = g.copy_var(*old);
                    inputs.push(nv);
                    args.push(v.clone());
                    Opnd::Var(nv)
                }
                c => c.clone(),
            }
        };
        let mut ns = State::default();
        for (k, v) in &state.names {
            let nv = rename(&mut self.g, v);
            ns.names.insert(k.clone(), nv);
        }
        for t in &state.temps {
            let nv = rename(&mut self.g, t);
            ns.temps.push(nv);
        }
        let new_extra: Vec<Opnd> = extra.iter().map(|e| rename(&mut self.g, e)).collect();
        let block = self.g.add_block(inputs);
        ns.spans = state.spans.clone();
        (block, ns, args, new_extra)
    }

    /// Ends the current block with an unconditional edge to a target decided later.
    fn edge(&mut self) -> Option<Pending> {
        let (block, state) = self.cur.take()?;
        let b = self.g.block_mut(block);
        b.exitswitch = ExitSwitch::None;
        b.exits = vec![Link::new(PLACEHOLDER, Vec::new())];
        Some(Pending { block, exit: 0, state, extra: Vec::new() })
    }

    /// Merges pending edges into a new block and continues there. Returns false (and
    /// leaves the builder in unreachable code) when there are no edges.
    fn join(&mut self, mut edges: Vec<Pending>) -> bool {
        if edges.is_empty() {
            self.cur = None;
            return false;
        }
        self.fill_unbound(&mut edges);
        let first = &edges[0];
        let names: Vec<Arc<str>> = first.state.names.keys().filter(|k| edges.iter().all(|e| e.state.names.contains_key(*k))).cloned().collect();
        let ntemps = first.state.temps.len();
        let nextra = first.extra.len();
        debug_assert!(edges.iter().all(|e| e.state.temps.len() == ntemps && e.extra.len() == nextra), "edges into one join agree on temporaries");
        // For each slot: a constant shared by all edges, or a new input variable.
        let slot = |e: &Pending, i: usize| -> Opnd {
            if i < names.len() {
                e.state.names[&names[i]].clone()
            } else if i < names.len() + ntemps {
                e.state.temps[i - names.len()].clone()
            } else {
                e.extra[i - names.len() - ntemps].clone()
            }
        };
        let nslots = names.len() + ntemps + nextra;
        let mut inputs = Vec::new();
        let mut values = Vec::with_capacity(nslots);
        let mut var_slots = Vec::new();
        for i in 0..nslots {
            let v0 = slot(&edges[0], i);
            let same_const = matches!(v0, Opnd::Const(_)) && edges.iter().all(|e| slot(e, i) == v0);
            if same_const {
                values.push(v0);
            } else {
                let name = if i < names.len() && !names[i].starts_with('$') { Some(names[i].to_string()) } else { None };
                let name = name.or_else(|| if let Opnd::Var(v) = &v0 { self.g.var(*v).name.as_ref().map(|n| n.to_string()) } else { None });
                let nv = self.new_var(name.as_deref());
                if i < names.len() && names[i].starts_with(BOUND_FLAG) {
                    self.bool_vars.insert(nv);
                }
                if let Opnd::Var(v) = &v0 {
                    if self.bool_vars.contains(v) && edges.iter().all(|e| matches!(slot(e, i), Opnd::Var(x) if self.bool_vars.contains(&x))) {
                        self.bool_vars.insert(nv);
                    }
                }
                inputs.push(nv);
                var_slots.push(i);
                values.push(Opnd::Var(nv));
            }
        }
        let block = self.g.add_block(inputs);
        for e in &edges {
            let args: Vec<Opnd> = var_slots.iter().map(|&i| slot(e, i)).collect();
            let spans: Vec<Span> = var_slots.iter().map(|&i| if i < names.len() { e.state.span_of(&names[i]) } else { Span::DUMMY }).collect();
            let link = &mut self.g.block_mut(e.block).exits[e.exit];
            debug_assert_eq!(link.target, PLACEHOLDER);
            link.target = block;
            link.args = args;
            link.arg_spans = spans;
        }
        let mut state = State::default();
        for (i, n) in names.iter().enumerate() {
            state.names.insert(n.clone(), values[i].clone());
            if matches!(values[i], Opnd::Const(_)) {
                state.spans.insert(n.clone(), edges[0].state.span_of(n));
            }
        }
        state.temps = values[names.len()..names.len() + ntemps].to_vec();
        let extra = values[names.len() + ntemps..].to_vec();
        self.cur = Some((block, state));
        // Extra values land on the temporaries stack, for the caller to pop.
        for x in extra {
            self.push_temp(x);
        }
        true
    }

    /// Before merging edges: a local bound on some edges only stays a local, with the
    /// `$unbound` constant as its value where it is unbound and a `$bound:` flag saying
    /// which; reading it tests the flag (see `load_name`), as CPython raises
    /// UnboundLocalError only on the paths where it is unbound.
    fn fill_unbound(&self, edges: &mut [Pending]) {
        if edges.len() < 2 {
            return;
        }
        let mut partial: Vec<Arc<str>> = Vec::new();
        for e in edges.iter() {
            for k in e.state.names.keys() {
                if !k.starts_with('$') && !partial.contains(k) && !edges.iter().all(|x| x.state.names.contains_key(k)) {
                    partial.push(k.clone());
                }
            }
        }
        let undef = self.unbound_const();
        for n in &partial {
            for e in edges.iter_mut() {
                if !e.state.names.contains_key(n) {
                    e.state.names.insert(n.clone(), undef.clone());
                    e.state.names.insert(bound_flag(n), Opnd::Const(Value::Bool(false)));
                }
            }
        }
        let mut flags: Vec<Arc<str>> = Vec::new();
        for e in edges.iter() {
            for k in e.state.names.keys().filter(|k| k.starts_with(BOUND_FLAG)) {
                if !flags.contains(k) {
                    flags.push(k.clone());
                }
            }
        }
        for f in flags {
            for e in edges.iter_mut() {
                if !e.state.names.contains_key(&f) {
                    e.state.names.insert(f.clone(), Opnd::Const(Value::Bool(true)));
                }
            }
        }
    }

    /// The value of a local on paths where it is unbound.
    fn unbound_const(&self) -> Opnd {
        Opnd::Const(self.prog.builtins.get("$unbound").cloned().unwrap_or(Value::None))
    }

    /// Raises UnboundLocalError for reading local `name`; ends the current path.
    fn raise_unbound(&mut self, name: &str, span: Span) {
        let cls = Value::Obj(self.prog.classes.get("UnboundLocalError"));
        let msg = Opnd::Const(Value::str(&format!("cannot access local variable '{name}' where it is not associated with a value")));
        let inst = self.emit(HlOp::Call(CallShape::positional(1)), vec![Opnd::Const(cls), msg], span);
        self.raise_value(inst, span);
        self.cur = None;
    }

    fn current_block(&self) -> Option<BlockId> {
        self.cur.as_ref().map(|(b, _)| *b)
    }

    /// Appends an operation; folds it when possible; splits the block when it can raise
    /// inside a `try`.
    pub(crate) fn emit(&mut self, op: HlOp, args: Vec<Opnd>, span: Span) -> Opnd {
        if let Some(v) = self.fold(&op, &args) {
            return Opnd::Const(v);
        }
        let Some(block) = self.current_block() else { return Opnd::Const(Value::None) };
        self.forget_attrs(&op);
        let result = self.new_var(None);
        self.g.vars[result.0 as usize].span = span;
        let is_bool = matches!(op, HlOp::Cmp(_) | HlOp::Not | HlOp::IsTrue | HlOp::ExcMatch);
        let raises = op.can_raise() && !(self.in_ovfcheck && matches!(op, HlOp::Bin(_) | HlOp::Inplace(_)));
        self.g.block_mut(block).ops.push(Operation { op, args, result, span });
        if is_bool {
            self.bool_vars.insert(result);
        }
        if raises && !self.tries.is_empty() {
            let passed = self.split_after_raise(result);
            // A test stays a bool for `branch` across the split.
            if let (true, Opnd::Var(v)) = (is_bool, &passed) {
                self.bool_vars.insert(*v);
            }
            return passed;
        }
        Opnd::Var(result)
    }

    /// Ends the current block after its last (raising) op: the normal exit continues in a
    /// new block, the exception exit goes to the innermost try context.
    fn split_after_raise(&mut self, result: Var) -> Opnd {
        let (block, state) = self.cur.take().expect("called with a current block");
        // fresh_block passes the op's result along as the last input of the continuation.
        let (cont, new_state, args, new_result) = self.fresh_block(&state, &[Opnd::Var(result)]);
        let etype = self.new_var(Some("etype"));
        let evalue = self.new_var(Some("evalue"));
        let base = self.prog.classes.get("BaseException");
        let b = self.g.block_mut(block);
        b.exitswitch = ExitSwitch::LastException;
        b.exits = vec![
            Link::new(cont, args),
            Link { target: PLACEHOLDER, args: Vec::new(), case: LinkCase::Exception(Value::Obj(base)), last_exception: Some(etype), last_exc_value: Some(evalue), arg_spans: Vec::new() },
        ];
        let mut exc_state = state;
        exc_state.temps.clear();
        let pending = Pending { block, exit: 1, state: exc_state, extra: vec![Opnd::Var(evalue)] };
        match self.tries.last_mut() {
            Some(TryCtx::Except { edges }) | Some(TryCtx::Finally { edges, .. }) => edges.push(pending),
            None => unreachable!("split only inside try"),
        }
        self.cur = Some((cont, new_state));
        new_result.into_iter().next().unwrap_or(Opnd::Var(result))
    }

    /// Ends the current block with a two-way branch; returns (true edges, false edges).
    fn branch(&mut self, cond: Opnd, span: Span) -> (Vec<Pending>, Vec<Pending>) {
        if let Opnd::Const(c) = &cond {
            let t = self.const_truth(c);
            if let Some(t) = t {
                let e: Vec<Pending> = self.edge().into_iter().collect();
                return if t { (e, Vec::new()) } else { (Vec::new(), e) };
            }
        }
        let cond = match &cond {
            Opnd::Var(v) if self.bool_vars.contains(v) => cond,
            _ => self.emit(HlOp::IsTrue, vec![cond], span),
        };
        if let Opnd::Const(c) = &cond {
            let t = self.const_truth(c).unwrap_or(true);
            let e: Vec<Pending> = self.edge().into_iter().collect();
            return if t { (e, Vec::new()) } else { (Vec::new(), e) };
        }
        let Some((block, state)) = self.cur.take() else { return (Vec::new(), Vec::new()) };
        let b = self.g.block_mut(block);
        b.exitswitch = ExitSwitch::Value(cond);
        b.exits = vec![
            Link::new(PLACEHOLDER, Vec::new()).with_case(LinkCase::Bool(false)),
            Link::new(PLACEHOLDER, Vec::new()).with_case(LinkCase::Bool(true)),
        ];
        (
            vec![Pending { block, exit: 1, state: state.clone(), extra: Vec::new() }],
            vec![Pending { block, exit: 0, state, extra: Vec::new() }],
        )
    }

    /// The truth of a constant, when it cannot change at run time.
    fn const_truth(&self, c: &Value) -> Option<bool> {
        match c {
            Value::Obj(o) => match self.heap.get(*o) {
                Object::List(_) | Object::Dict(_) => None,
                _ => Some(pyops::truth(self.heap, c)),
            },
            _ => Some(pyops::truth(self.heap, c)),
        }
    }

    // ----- constant folding ------------------------------------------------------------

    fn fold(&self, op: &HlOp, args: &[Opnd]) -> Option<Value> {
        let consts: Vec<&Value> = args.iter().map(|a| a.as_const()).collect::<Option<_>>()?;
        let heap = self.heap;
        match op {
            HlOp::Bin(b) if consts.iter().all(|c| is_scalar(c)) => {
                let mut scratch = Heap::default();
                pyops::binary_op(&mut scratch, *b, consts[0], consts[1]).ok()
            }
            HlOp::Cmp(c) => pyops::compare(heap, *c, consts[0], consts[1]).ok().map(Value::Bool),
            HlOp::Not => self.const_truth(consts[0]).map(|t| Value::Bool(!t)),
            HlOp::IsTrue => self.const_truth(consts[0]).map(Value::Bool),
            HlOp::Neg if is_scalar(consts[0]) => pyops::unary_neg(consts[0]).ok(),
            HlOp::Invert if is_scalar(consts[0]) => pyops::unary_invert(consts[0]).ok(),
            HlOp::Pos if matches!(consts[0], Value::Int(_) | Value::Float(_)) => Some(consts[0].clone()),
            HlOp::GetItem => {
                let immutable = match consts[0] {
                    Value::Str(_) | Value::Bytes(_) => true,
                    Value::Obj(o) => matches!(heap.get(*o), Object::Tuple(_) | Object::UnrollingIterable(_)),
                    _ => false,
                };
                if immutable && is_scalar(consts[1]) {
                    pyops::getitem(heap, consts[0], consts[1]).ok()
                } else {
                    None
                }
            }
            HlOp::GetAttr(name) => match consts[0] {
                Value::Obj(o) if matches!(heap.get(*o), Object::Module(_) | Object::Class(_) | Object::Function(_)) => match lookup_attr(heap, consts[0], name) {
                    Some(Attr::Plain(v)) => Some(v),
                    _ => None,
                },
                _ => None,
            },
            HlOp::BuildString if consts.iter().all(|c| matches!(c, Value::Str(_))) => {
                let mut s = String::new();
                for c in consts {
                    if let Value::Str(x) = c {
                        s.push_str(x);
                    }
                }
                Some(Value::str(&s))
            }
            HlOp::Format { conversion, spec } if is_scalar(consts[0]) => match conversion {
                Some('r') => Some(Value::str(&pyops::repr(heap, consts[0]))),
                _ if spec.is_empty() => Some(Value::str(&pyops::to_str(heap, consts[0]))),
                _ => kiln_frontend::methods::format_spec(heap, consts[0], spec).ok().map(|s| Value::str(&s)),
            },
            HlOp::Call(shape) if shape.kwnames.is_empty() => self.fold_call(consts[0], &consts[1..]),
            // `slot[:-3]` of a constant str (the variable of a loop over an
            // `unrolling_iterable` of names), so that `getattr(obj, slot[:-3])` has a
            // constant name, as in RPython's flow space.
            HlOp::GetSlice if matches!(consts[0], Value::Str(_) | Value::Bytes(_)) => {
                let bound = |v: &Value| match v {
                    Value::None => Some(None),
                    Value::Int(i) => Some(Some(*i)),
                    _ => None,
                };
                let (lo, hi, st) = (bound(consts[1])?, bound(consts[2])?, bound(consts[3])?);
                pyops::getslice(&mut Heap::default(), consts[0], lo, hi, st).ok()
            }
            // The pure str tests on constants, so that the branch not taken is never built.
            HlOp::CallMethod(name, shape) if shape.kwnames.is_empty() => match (consts[0], &consts[1..]) {
                (Value::Str(s), [Value::Str(p)]) if &**name == "startswith" => Some(Value::Bool(s.starts_with(&**p))),
                (Value::Str(s), [Value::Str(p)]) if &**name == "endswith" => Some(Value::Bool(s.ends_with(&**p))),
                // `"...".encode()` and `b"...".decode()`: the constant's bytes or text.
                (Value::Str(_) | Value::Bytes(_), args) if matches!(&**name, "encode" | "decode") => pyops::codec_method(consts[0], name, args),
                _ => None,
            },
            _ => None,
        }
    }

    fn fold_call(&self, callee: &Value, args: &[&Value]) -> Option<Value> {
        let Value::Obj(o) = callee else { return None };
        // `str(k)` of a constant number, bool, str or None (`"_field" + str(field_idx)`
        // in a closure made at import time), so that `getattr(obj, name)` has a constant
        // name, as in RPython's flow space.
        if let (Object::BuiltinType(kiln_frontend::BuiltinType::Str), [v]) = (self.heap.get(*o), args) {
            return if is_scalar(v) { Some(Value::str(&pyops::to_str(self.heap, v))) } else { None };
        }
        let Object::Builtin(b) = self.heap.get(*o) else { return None };
        match (b, args) {
            (Builtin::WeAreTranslated, []) => Some(Value::Bool(true)),
            (Builtin::Len, [v]) => match v {
                Value::Str(_) | Value::Bytes(_) => pyops::len(self.heap, v).ok().map(Value::Int),
                Value::Obj(t) if matches!(self.heap.get(*t), Object::Tuple(_) | Object::UnrollingIterable(_)) => pyops::len(self.heap, v).ok().map(Value::Int),
                _ => None,
            },
            (Builtin::Ord, [Value::Str(s)]) if s.chars().count() == 1 => s.chars().next().map(|c| Value::Int(c as i64)),
            (Builtin::Chr, [Value::Int(i)]) => char::from_u32(*i as u32).map(|c| Value::str(&c.to_string())),
            (Builtin::Intmask, [Value::Int(i)]) => Some(Value::Int(*i)),
            (Builtin::Isinstance, [Value::Obj(x), Value::Obj(c)]) => {
                let inst = self.heap.instance(*x)?;
                match self.heap.get(*c) {
                    Object::Class(_) => Some(Value::Bool(self.heap.is_subclass(inst.class, *c))),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    // ----- names ---------------------------------------------------------------------

    fn resolve_name(&self, name: &str) -> Arc<str> {
        for scope in self.comp_scopes.iter().rev() {
            if let Some(r) = scope.get(name) {
                return r.clone();
            }
        }
        Arc::from(name)
    }

    fn is_local(&self, name: &str) -> bool {
        self.comp_scopes.iter().any(|s| s.contains_key(name)) || self.locals.contains(name)
    }

    /// The import-time value of a global, closure or built-in name.
    fn global_value(&self, name: &str) -> Option<Value> {
        let mut env = self.func.env;
        while let Some(e) = env {
            match self.heap.get(e) {
                Object::Env(Env { vars, parent }) => {
                    if let Some(v) = vars.get(name) {
                        return Some(v.clone());
                    }
                    env = *parent;
                }
                _ => break,
            }
        }
        if let Some(v) = self.heap.module(self.func.module).and_then(|m| m.globals.get(name)) {
            return Some(v.clone());
        }
        self.prog.builtins.get(name).cloned()
    }

    fn load_name(&mut self, name: &str, span: Span) -> Opnd {
        if self.is_local(name) {
            let key = self.resolve_name(name);
            let Some((_, s)) = self.cur.as_ref() else { return Opnd::Const(Value::None) };
            let flag_key = bound_flag(&key);
            let (value, flag) = (s.names.get(&key).cloned(), s.names.get(&flag_key).cloned());
            match (&value, &flag) {
                (Some(v), None | Some(Opnd::Const(Value::Bool(true)))) => return v.clone(),
                (Some(_), Some(Opnd::Var(f))) => {
                    // Bound on some paths only: test the flag, raise where it is unbound.
                    let f = *f;
                    self.warn_unbound(name, span, false);
                    let (t, unbound) = self.branch(Opnd::Var(f), span);
                    if self.join(unbound) {
                        self.raise_unbound(name, span);
                    }
                    if !self.join(t) {
                        return Opnd::Const(Value::None);
                    }
                    let s = self.state_mut().expect("joined above");
                    s.names.shift_remove(&flag_key);
                    return s.names.get(&key).cloned().unwrap_or(Opnd::Const(Value::None));
                }
                _ => {
                    // Unbound on every path that reaches here.
                    self.warn_unbound(name, span, true);
                    self.raise_unbound(name, span);
                    return Opnd::Const(Value::None);
                }
            }
        }
        match self.global_value(name) {
            Some(v) => {
                if self.reject_import_time_value(&v, span) {
                    return Opnd::Const(Value::None);
                }
                Opnd::Const(v)
            }
            None => {
                self.error("E0202", format!("name '{name}' is not defined"), span, "not a local, global or built-in name");
                Opnd::Const(Value::None)
            }
        }
    }

    /// The hidden state name caching `x.attr` when `x` is a bound local (`$attr:x.attr`).
    fn attr_cache_key(&self, obj: &Expr, attr: &str) -> Option<Arc<str>> {
        let Expr::Name(n) = obj else { return None };
        if !self.is_local(n.id.as_str()) {
            return None;
        }
        let local = self.resolve_name(n.id.as_str());
        self.cur.as_ref().filter(|(_, s)| s.names.contains_key(&local))?;
        Some(Arc::from(format!("{ATTR_CACHE}{local}.{attr}")))
    }

    /// Before emitting `op`: forgets the cached attribute reads `op` may change. Only
    /// operations that cannot run user code or store attributes keep them; a store to
    /// attribute `name` forgets `name` on every object (another local may alias it).
    fn forget_attrs(&mut self, op: &HlOp) {
        let keep: Box<dyn Fn(&str) -> bool> = match op {
            HlOp::GetAttr(_) | HlOp::Cmp(CmpOp::Is | CmpOp::IsNot) | HlOp::IsTrue | HlOp::Not | HlOp::NewTuple | HlOp::TypeOf | HlOp::ExcMatch => return,
            HlOp::SetAttr(name) => {
                let suffix = format!(".{name}");
                Box::new(move |k: &str| !k.ends_with(&suffix))
            }
            _ => Box::new(|_| false),
        };
        if let Some(s) = self.state_mut() {
            s.names.retain(|k, _| !k.starts_with(ATTR_CACHE) || keep(k));
        }
    }

    /// W0201: a read of a local that is unbound on some (or every) path reaching it.
    fn warn_unbound(&mut self, name: &str, span: Span, always: bool) {
        let msg = if always { format!("local variable '{name}' is not assigned on any path that reaches this read") } else { format!("local variable '{name}' may be unbound here") };
        self.diags.push(
            Diagnostic::warning("W0201", msg)
                .with_primary(span, "read here")
                .with_note(format!("where it is unbound at run time, this raises `UnboundLocalError: cannot access local variable '{name}' where it is not associated with a value`, as in CPython"))
                .with_note("assign it on every path before the read to remove the check"),
        );
    }

    fn store_name(&mut self, name: &str, v: Opnd) {
        let key = self.resolve_name(name);
        let flag = bound_flag(&key);
        if let Some(s) = self.state_mut() {
            s.names.shift_remove(&flag);
        }
        // A new value of `x`: what was cached about `x.attr` is about the old one.
        let prefix = format!("{ATTR_CACHE}{key}.");
        if let Some(s) = self.state_mut() {
            s.names.retain(|k, _| !k.starts_with(&prefix));
        }
        if let Opnd::Var(var) = &v {
            if self.g.var(*var).name.is_none() && !key.starts_with('$') {
                self.g.vars[var.0 as usize].name = Some(key.clone());
            }
        }
        let span = self.stmt_span;
        if let Some(s) = self.state_mut() {
            s.spans.insert(key.clone(), span);
            s.names.insert(key, v);
        }
    }

    // ----- functions -----------------------------------------------------------------

    fn build(&mut self, const_args: &[Option<Value>]) {
        let f = self.func;
        let mut params = Vec::new();
        if f.params.vararg.is_some() || f.params.kwarg.is_some() {
            self.error("E0203", "*args and **kwargs parameters are not supported in run-time functions", f.span, "in this definition");
        }
        for name in f.params.positional.iter().chain(f.params.kwonly.iter()) {
            let v = self.new_var(Some(name));
            self.g.vars[v.0 as usize].span = f.span;
            params.push(v);
        }
        let start = self.g.startblock;
        self.g.block_mut(start).inputargs = params.clone();
        let mut state = State::default();
        for (i, (name, v)) in f.params.positional.iter().chain(f.params.kwonly.iter()).zip(&params).enumerate() {
            let value = match const_args.get(i) {
                Some(Some(c)) => Opnd::Const(c.clone()),
                _ => Opnd::Var(*v),
            };
            state.names.insert(name.clone(), value);
            state.spans.insert(name.clone(), f.span);
            self.locals.insert(name.clone());
        }
        self.cur = Some((start, state));
        match &f.body {
            FuncBody::Def(def) => {
                let body: &'p [Stmt] = &def.body;
                collect_locals(body, &mut self.locals);
                self.check_globals(body);
                self.exec_block(body);
                if self.cur.is_some() {
                    self.do_return(Opnd::Const(Value::None));
                }
            }
            FuncBody::Lambda(l) => {
                let body: &'p Expr = &l.body;
                let v = self.eval(body);
                self.do_return(v);
            }
        }
    }

    /// Rejects assignments to names declared `global`: module globals are constants.
    fn check_globals(&mut self, body: &'p [Stmt]) {
        let mut declared = Vec::new();
        walk_stmts(body, &mut |s| {
            if let Stmt::Global(g) = s {
                for n in &g.names {
                    declared.push((n.id.to_string(), n.range()));
                }
            }
        });
        for (name, r) in declared {
            // Reads of the name go to the global either way; only assignments are errors.
            if self.locals.remove(name.as_str()) {
                let span = self.span(r);
                self.diags.push(
                    Diagnostic::error("E0204", format!("run-time code cannot assign the global '{name}'"))
                        .with_primary(span, "declared global here and assigned in this function")
                        .with_note("after import, module globals are constants; keep mutable state in a prebuilt instance's attributes"),
                );
            }
        }
    }

    fn do_return(&mut self, v: Opnd) {
        if self.cur.is_none() {
            return;
        }
        let v = self.run_finally_bodies(0, Some(v));
        let span = self.stmt_span;
        if let Some(e) = self.edge() {
            let rb = self.g.returnblock;
            let link = &mut self.g.block_mut(e.block).exits[e.exit];
            link.target = rb;
            link.args = vec![v.unwrap_or(Opnd::Const(Value::None))];
            link.arg_spans = vec![span];
        }
    }

    /// Builds the bodies of the `finally` clauses above try depth `depth`, innermost
    /// first, carrying `keep` across them. Returns `keep` as renamed by the new blocks.
    fn run_finally_bodies(&mut self, depth: usize, keep: Option<Opnd>) -> Option<Opnd> {
        let mut keep = keep;
        let mut i = self.tries.len();
        while i > depth {
            i -= 1;
            if let TryCtx::Finally { body, .. } = &self.tries[i] {
                let body: &'p [Stmt] = body;
                let saved: Vec<TryCtx<'p>> = self.tries.drain(i..).collect();
                let holder = self.hidden_name("keep");
                if let Some(k) = keep.take() {
                    self.store_name(&holder, k);
                }
                self.exec_block(body);
                keep = self.cur.as_ref().and_then(|(_, s)| s.names.get(&holder).cloned());
                if let Some(s) = self.state_mut() {
                    s.names.shift_remove(&holder);
                }
                self.tries.extend(saved);
                if self.cur.is_none() {
                    return None;
                }
            }
        }
        keep
    }

    // ----- statements ----------------------------------------------------------------

    fn exec_block(&mut self, stmts: &'p [Stmt]) {
        for s in stmts {
            if self.cur.is_none() {
                return;
            }
            self.exec(s);
        }
    }

    fn exec(&mut self, stmt: &'p Stmt) {
        let span = self.span(stmt.range());
        self.stmt_span = span;
        match stmt {
            Stmt::Expr(e) => {
                self.eval(&e.value);
            }
            Stmt::Pass(_) => {}
            Stmt::Assign(a) => {
                if a.targets.len() == 1 {
                    if let (Expr::Tuple(t), Expr::Tuple(v)) = (&a.targets[0], &*a.value) {
                        if t.elts.len() == v.elts.len() && !v.elts.iter().any(|x| matches!(x, Expr::Starred(_))) {
                            // `a, b = b, a`: evaluate every value before assigning any.
                            let vals = self.eval_many(&v.elts);
                            for (tgt, val) in t.elts.iter().zip(vals) {
                                self.assign(tgt, val);
                            }
                            return;
                        }
                    }
                }
                let v = self.eval(&a.value);
                for t in &a.targets {
                    self.assign(t, v.clone());
                }
            }
            Stmt::AnnAssign(a) => {
                if let Some(value) = &a.value {
                    let v = self.eval(value);
                    self.assign(&a.target, v);
                }
            }
            Stmt::AugAssign(a) => self.exec_augassign(a, span),
            Stmt::Return(r) => {
                let v = match &r.value {
                    Some(e) => self.eval(e),
                    None => Opnd::Const(Value::None),
                };
                self.do_return(v);
            }
            Stmt::If(i) => self.exec_if(i),
            Stmt::While(w) => self.exec_while(w, span),
            Stmt::For(f) => self.exec_for(f, span),
            Stmt::Break(_) => self.exec_break(span),
            Stmt::Continue(_) => self.exec_continue(span),
            Stmt::Raise(r) => self.exec_raise(r, span),
            Stmt::Try(t) => self.exec_try(t, span),
            Stmt::Assert(a) => {
                let (t, f) = self.eval_cond(&a.test);
                if self.join(f) {
                    let msg: Vec<Opnd> = match &a.msg {
                        Some(m) => {
                            let v = self.eval(m);
                            vec![self.emit(HlOp::Call(CallShape::positional(1)), vec![self.builtin_const("str"), v], span)]
                        }
                        None => Vec::new(),
                    };
                    let cls = Value::Obj(self.prog.classes.get("AssertionError"));
                    let mut args = vec![Opnd::Const(cls)];
                    args.extend(msg.clone());
                    let inst = self.emit(HlOp::Call(CallShape::positional(msg.len())), args, span);
                    self.raise_value(inst, span);
                }
                self.join(t);
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    let tspan = self.span(t.range());
                    match t {
                        Expr::Subscript(s) if matches!(&*s.slice, Expr::Slice(_)) => {
                            // `del lst[a:b]` is `lst[a:b] = []`, which clamps the bounds
                            // and handles negative ones exactly as Python's del does.
                            let Expr::Slice(sl) = &*s.slice else { unreachable!("matched above") };
                            if sl.step.is_some() {
                                self.error("E0209", "del of a slice with a step is not supported", tspan, "here");
                                continue;
                            }
                            let obj = self.eval(&s.value);
                            self.push_temp(obj);
                            let lo = self.eval_opt(sl.lower.as_deref());
                            self.push_temp(lo);
                            let hi = self.eval_opt(sl.upper.as_deref());
                            let lo = self.pop_temp();
                            let obj = self.pop_temp();
                            let empty = self.emit(HlOp::NewList, Vec::new(), tspan);
                            self.emit(HlOp::SetSlice, vec![obj, lo, hi, empty], tspan);
                        }
                        Expr::Subscript(s) => {
                            let obj = self.eval(&s.value);
                            self.push_temp(obj);
                            let key = self.eval(&s.slice);
                            let obj = self.pop_temp();
                            self.emit(HlOp::DelItem, vec![obj, key], tspan);
                        }
                        Expr::Name(n) => {
                            let key = self.resolve_name(n.id.as_str());
                            if let Some(s) = self.state_mut() {
                                s.names.shift_remove(&key);
                            }
                        }
                        _ => self.error("E0205", "this kind of del target is not supported", tspan, "here"),
                    }
                }
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) => {}
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {
                self.diags.push(
                    Diagnostic::error("E0206", "functions and classes cannot be defined inside run-time code")
                        .with_primary(span, "defined inside a function reachable from entry_point")
                        .with_note("define it at module level (a factory called at import time can also create functions)"),
                );
                // Bind the name so its uses do not report a second, misleading error.
                let name = match stmt {
                    Stmt::FunctionDef(d) => d.name.id.to_string(),
                    Stmt::ClassDef(d) => d.name.id.to_string(),
                    _ => unreachable!(),
                };
                self.store_name(&name, Opnd::Const(Value::None));
            }
            Stmt::Import(_) | Stmt::ImportFrom(_) => self.exec_import(stmt, span),
            Stmt::With(_) => self.error("E0208", "the with statement is not supported in RPy", span, "here"),
            Stmt::Match(_) => self.error("E0208", "the match statement is not supported in RPy", span, "here"),
            Stmt::TypeAlias(_) | Stmt::IpyEscapeCommand(_) => self.error("E0208", "this statement is not supported in RPy", span, "here"),
        }
    }

    fn exec_augassign(&mut self, a: &'p ast::StmtAugAssign, span: Span) {
        let Some(op) = BinOp::from_ast(a.op) else {
            self.error("E0208", "the @ operator is not supported", span, "here");
            return;
        };
        match &*a.target {
            Expr::Name(n) => {
                let cur = self.load_name(n.id.as_str(), span);
                self.push_temp(cur);
                let rhs = self.eval(&a.value);
                let cur = self.pop_temp();
                let v = self.emit(HlOp::Inplace(op), vec![cur, rhs], span);
                self.store_name(n.id.as_str(), v);
            }
            Expr::Attribute(at) => {
                let obj = self.eval(&at.value);
                let name: Arc<str> = Arc::from(at.attr.id.as_str());
                let cur = self.emit(HlOp::GetAttr(name.clone()), vec![obj.clone()], span);
                self.push_temp(obj);
                self.push_temp(cur);
                let rhs = self.eval(&a.value);
                let cur = self.pop_temp();
                let obj = self.pop_temp();
                let v = self.emit(HlOp::Inplace(op), vec![cur, rhs], span);
                self.emit(HlOp::SetAttr(name), vec![obj, v], span);
            }
            Expr::Subscript(s) => {
                let obj = self.eval(&s.value);
                self.push_temp(obj);
                let key = self.eval(&s.slice);
                let obj = self.pop_temp();
                self.push_temp(obj.clone());
                self.push_temp(key.clone());
                let cur = self.emit(HlOp::GetItem, vec![obj, key], span);
                self.push_temp(cur);
                let rhs = self.eval(&a.value);
                let cur = self.pop_temp();
                let key = self.pop_temp();
                let obj = self.pop_temp();
                let v = self.emit(HlOp::Inplace(op), vec![cur, rhs], span);
                self.emit(HlOp::SetItem, vec![obj, key, v], span);
            }
            _ => self.error("E0205", "this augmented assignment target is not supported", span, "here"),
        }
    }

    fn assign(&mut self, target: &'p Expr, v: Opnd) {
        let span = self.span(target.range());
        match target {
            Expr::Name(n) => self.store_name(n.id.as_str(), v),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                if elts.iter().any(|e| matches!(e, Expr::Starred(_))) {
                    self.error("E0209", "starred assignment is not supported", span, "here");
                    return;
                }
                let holder = self.hidden_name("unpack");
                self.store_name(&holder, v);
                let n = elts.len() as i64;
                let src = self.load_hidden(&holder);
                let len = self.emit(HlOp::Call(CallShape::positional(1)), vec![self.builtin_const("len"), src.clone()], span);
                // Unpacking a tuple is checked by the annotator; a list must have the
                // right length, as in Python.
                let ok = self.emit(HlOp::Cmp(CmpOp::Eq), vec![len, Opnd::Const(Value::Int(n))], span);
                let (t, f) = self.branch(ok, span);
                if self.join(f) {
                    let cls = Value::Obj(self.prog.classes.get("ValueError"));
                    let msg = Opnd::Const(Value::str(&format!("wrong number of values to unpack (expected {n})")));
                    let inst = self.emit(HlOp::Call(CallShape::positional(1)), vec![Opnd::Const(cls), msg], span);
                    self.raise_value(inst, span);
                }
                self.join(t);
                for (i, t) in elts.iter().enumerate() {
                    let src = self.load_hidden(&holder);
                    let item = self.emit(HlOp::GetItem, vec![src, Opnd::Const(Value::Int(i as i64))], span);
                    self.assign(t, item);
                }
                if let Some(s) = self.state_mut() {
                    s.names.shift_remove(&holder);
                }
            }
            Expr::Attribute(a) => {
                self.push_temp(v);
                let obj = self.eval(&a.value);
                let v = self.pop_temp();
                let name: Arc<str> = Arc::from(a.attr.id.as_str());
                self.emit(HlOp::SetAttr(name.clone()), vec![obj, v.clone()], span);
                if let (Some(k), Some(s)) = (self.attr_cache_key(&a.value, &name), self.state_mut()) {
                    s.names.insert(k, v);
                }
            }
            Expr::Subscript(s) => {
                self.push_temp(v);
                let obj = self.eval(&s.value);
                self.push_temp(obj);
                if let Expr::Slice(sl) = &*s.slice {
                    if sl.step.is_some() {
                        self.error("E0209", "slice assignment with a step is not supported", span, "here");
                    }
                    let lo = self.eval_opt(sl.lower.as_deref());
                    self.push_temp(lo);
                    let hi = self.eval_opt(sl.upper.as_deref());
                    let lo = self.pop_temp();
                    let obj = self.pop_temp();
                    let v = self.pop_temp();
                    self.emit(HlOp::SetSlice, vec![obj, lo, hi, v], span);
                } else {
                    let key = self.eval(&s.slice);
                    let obj = self.pop_temp();
                    let v = self.pop_temp();
                    self.emit(HlOp::SetItem, vec![obj, key, v], span);
                }
            }
            _ => self.error("E0205", "this assignment target is not supported", span, "here"),
        }
    }

    fn load_hidden(&self, name: &Arc<str>) -> Opnd {
        self.cur.as_ref().and_then(|(_, s)| s.names.get(name).cloned()).unwrap_or(Opnd::Const(Value::None))
    }

    fn builtin_const(&self, name: &str) -> Opnd {
        Opnd::Const(self.prog.builtins.get(name).cloned().unwrap_or(Value::None))
    }

    fn exec_if(&mut self, i: &'p ast::StmtIf) {
        let (t, f) = self.eval_cond(&i.test);
        let mut done = Vec::new();
        if self.join(t) {
            self.exec_block(&i.body);
            done.extend(self.edge());
        }
        let mut pending_false = f;
        for clause in &i.elif_else_clauses {
            if !self.join(pending_false) {
                pending_false = Vec::new();
                break;
            }
            match &clause.test {
                Some(test) => {
                    let (t, f) = self.eval_cond(test);
                    if self.join(t) {
                        self.exec_block(&clause.body);
                        done.extend(self.edge());
                    }
                    pending_false = f;
                }
                None => {
                    self.exec_block(&clause.body);
                    done.extend(self.edge());
                    pending_false = Vec::new();
                }
            }
        }
        done.extend(pending_false);
        self.join(done);
    }

    /// Starts a loop: a header block taking every variable the body may change, and the
    /// temporaries of an enclosing expression (a comprehension inside an expression).
    fn loop_header(&mut self, body_assigns: &HashSet<Arc<str>>) -> Option<(BlockId, Vec<Arc<str>>)> {
        // Cached attribute reads do not survive into a loop: the body may change them
        // before the next iteration.
        if let Some(s) = self.state_mut() {
            s.names.retain(|k, _| !k.starts_with(ATTR_CACHE));
        }
        // A local the body assigns but that is unbound before the loop: unbound on the
        // first iteration, bound after an iteration that assigned it.
        let undef = self.unbound_const();
        let mut fresh: Vec<Arc<str>> = body_assigns.iter().filter(|n| self.locals.contains(*n) && !self.comp_scopes.iter().any(|s| s.contains_key(*n))).cloned().collect();
        fresh.sort();
        if let Some(s) = self.state_mut() {
            for n in fresh {
                if !s.names.contains_key(&n) {
                    s.names.insert(n.clone(), undef.clone());
                    s.names.insert(bound_flag(&n), Opnd::Const(Value::Bool(false)));
                }
            }
        }
        let (_, state) = self.cur.as_ref()?;
        let state = state.clone();
        let names: Vec<Arc<str>> = state
            .names
            .iter()
            .filter(|(k, v)| matches!(v, Opnd::Var(_)) || k.starts_with(BOUND_FLAG) || body_assigns.contains(*k) || body_assigns.contains(&self.unresolve(k)) || self.comp_walrus.iter().any(|w| w.contains(*k)))
            .map(|(k, _)| k.clone())
            .collect();
        let e = self.edge()?;
        let mut inputs = Vec::new();
        let mut args = Vec::new();
        let mut new_state = State::default();
        for (k, v) in &state.names {
            if names.contains(k) {
                let nv = self.new_var(if k.starts_with('$') { None } else { Some(k) });
                inputs.push(nv);
                args.push(v.clone());
                new_state.names.insert(k.clone(), Opnd::Var(nv));
            } else {
                new_state.names.insert(k.clone(), v.clone());
            }
        }
        for t in &state.temps {
            match t {
                Opnd::Var(old) => {
                    let nv = self.g.copy_var(*old);
                    inputs.push(nv);
                    args.push(t.clone());
                    new_state.temps.push(Opnd::Var(nv));
                }
                c => new_state.temps.push(c.clone()),
            }
        }
        let header = self.g.add_block(inputs);
        let mut spans: Vec<Span> = names.iter().map(|n| state.span_of(n)).collect();
        spans.resize(args.len(), Span::DUMMY);
        let link = &mut self.g.block_mut(e.block).exits[e.exit];
        link.target = header;
        link.args = args;
        link.arg_spans = spans;
        new_state.spans = state.spans.clone();
        self.cur = Some((header, new_state));
        Some((header, names))
    }

    /// The source name of a possibly renamed comprehension variable.
    fn unresolve(&self, k: &Arc<str>) -> Arc<str> {
        for scope in &self.comp_scopes {
            for (src, renamed) in scope {
                if renamed == k {
                    return src.clone();
                }
            }
        }
        k.clone()
    }

    /// Jumps back to a loop header from the current state.
    fn back_edge(&mut self, header: BlockId, names: &[Arc<str>], span: Span) {
        let Some(e) = self.edge() else { return };
        let mut args = Vec::new();
        for n in names {
            match e.state.names.get(n) {
                Some(v) => args.push(v.clone()),
                // Assigned in the body: bound from now on.
                None if n.starts_with(BOUND_FLAG) => args.push(Opnd::Const(Value::Bool(true))),
                None => {
                    self.error("E0201", format!("'{}' is deleted inside the loop but used by the next iteration", n), span, "in this loop");
                    args.push(Opnd::Const(Value::None));
                }
            }
        }
        let mut spans: Vec<Span> = names.iter().map(|n| e.state.span_of(n)).collect();
        args.extend(e.state.temps.iter().filter(|t| matches!(t, Opnd::Var(_))).cloned());
        spans.resize(args.len(), Span::DUMMY);
        let link = &mut self.g.block_mut(e.block).exits[e.exit];
        link.target = header;
        link.args = args;
        link.arg_spans = spans;
    }

    fn exec_while(&mut self, w: &'p ast::StmtWhile, span: Span) {
        let mut assigns = HashSet::new();
        collect_locals(&w.body, &mut assigns);
        collect_locals(&w.orelse, &mut assigns);
        crate::walrus::in_expr(&w.test, &mut assigns);
        let Some((header, names)) = self.loop_header(&assigns) else { return };
        let (t, f) = self.eval_cond(&w.test);
        self.loops.push(LoopCtx { kind: LoopKind::Header { block: header, names: names.clone() }, break_edges: Vec::new(), try_depth: self.tries.len() });
        if self.join(t) {
            self.exec_block(&w.body);
            self.back_edge(header, &names, span);
        }
        let ctx = self.loops.pop().expect("pushed above");
        let mut after = ctx.break_edges;
        if self.join(f) {
            self.exec_block(&w.orelse);
            after.extend(self.edge());
        }
        self.join(after);
    }

    fn exec_for(&mut self, f: &'p ast::StmtFor, span: Span) {
        if f.is_async {
            self.error("E0208", "async for is not supported", span, "here");
            return;
        }
        self.for_loop(&f.target, &f.iter, span, &mut |b| b.exec_block(&f.body), Some(&f.orelse), &f.body);
    }

    /// A `for` loop over `iter`, binding `target` and running `body` each time. Used by
    /// `for` statements and comprehensions. `body_stmts` is what the body may assign.
    fn for_loop(&mut self, target: &'p Expr, iter: &'p Expr, span: Span, body: &mut dyn FnMut(&mut Self), orelse: Option<&'p [Stmt]>, body_stmts: &'p [Stmt]) {
        let mut assigns = HashSet::new();
        collect_locals(body_stmts, &mut assigns);
        collect_target_names(target, &mut assigns);
        if let Some(o) = orelse {
            collect_locals(o, &mut assigns);
        }
        // range(...) with a constant step becomes a counting loop.
        if let Expr::Call(c) = iter {
            let callee = if let Expr::Name(n) = &*c.func { (!self.is_local(n.id.as_str())).then(|| self.global_value(n.id.as_str())).flatten() } else { None };
            if let Some(Value::Obj(o)) = &callee {
                if matches!(self.heap.get(*o), Object::Builtin(Builtin::Range)) && c.arguments.keywords.is_empty() && (1..=3).contains(&c.arguments.args.len()) {
                    let args = &c.arguments.args;
                    let step = match args.get(2) {
                        None => Some(1),
                        Some(e) => const_int(e),
                    };
                    if let Some(step) = step.filter(|s| *s != 0) {
                        self.range_loop(target, args, step, span, body, orelse, &assigns);
                        return;
                    }
                }
            }
        }
        let it = self.eval(iter);
        // A range object made at import time is a counting loop too.
        if let Opnd::Const(Value::Obj(o)) = &it {
            if let Object::Range { start, stop, step } = self.heap.get(*o) {
                let (start, stop, step) = (*start, *stop, *step);
                self.range_loop_from(target, Opnd::Const(Value::Int(start)), Opnd::Const(Value::Int(stop)), step, span, body, orelse, &assigns);
                return;
            }
        }
        // Constant tuples and unrolling_iterables are unrolled at flow time.
        if let Opnd::Const(Value::Obj(o)) = &it {
            if let Object::Tuple(items) | Object::UnrollingIterable(items) = self.heap.get(*o) {
                self.unrolled_loop(target, items.clone(), body, orelse);
                return;
            }
        }
        let iterator = self.emit(HlOp::Iter, vec![it], span);
        let holder = self.hidden_name("iter");
        self.store_name(&holder, iterator);
        assigns.insert(holder.clone());
        self.generic_loop(target, &holder, assigns, span, body, orelse);
    }

    fn finish_loop(&mut self, breaks: Vec<Pending>, normal_exit: Vec<Pending>, orelse: Option<&'p [Stmt]>, hidden: Option<&Arc<str>>) {
        let mut after = breaks;
        if self.join(normal_exit) {
            if let Some(o) = orelse {
                self.exec_block(o);
            }
            after.extend(self.edge());
        }
        self.join(after);
        if let (Some(h), Some(s)) = (hidden, self.state_mut()) {
            s.names.shift_remove(h);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn range_loop(&mut self, target: &'p Expr, args: &'p [Expr], step: i64, span: Span, body: &mut dyn FnMut(&mut Self), orelse: Option<&'p [Stmt]>, assigns: &HashSet<Arc<str>>) {
        let (start, stop) = if args.len() == 1 {
            (Opnd::Const(Value::Int(0)), self.eval(&args[0]))
        } else {
            let s = self.eval(&args[0]);
            self.push_temp(s);
            let e = self.eval(&args[1]);
            (self.pop_temp(), e)
        };
        self.range_loop_from(target, start, stop, step, span, body, orelse, assigns);
    }

    /// A counting loop from `start` to `stop` by the constant `step`.
    #[allow(clippy::too_many_arguments)]
    fn range_loop_from(&mut self, target: &'p Expr, start: Opnd, stop: Opnd, step: i64, span: Span, body: &mut dyn FnMut(&mut Self), orelse: Option<&'p [Stmt]>, assigns: &HashSet<Arc<str>>) {
        // The counter and bound are hidden locals, so assigning the loop variable in the
        // body does not change the iteration, as in Python.
        let counter = self.hidden_name("i");
        let bound = self.hidden_name("stop");
        // The bound is passed through the header like any variable, but range() must see
        // ints: the annotator checks `lt` on them.
        self.store_name(&counter, start);
        self.store_name(&bound, stop);
        let mut assigns = assigns.clone();
        assigns.insert(counter.clone());
        let Some((header, names)) = self.loop_header(&assigns) else { return };
        let i = self.load_hidden(&counter);
        let b = self.load_hidden(&bound);
        let cmp = if step > 0 { CmpOp::Lt } else { CmpOp::Gt };
        let cond = self.emit(HlOp::Cmp(cmp), vec![i.clone(), b], span);
        let (t, f) = self.branch(cond, span);
        self.loops.push(LoopCtx { kind: LoopKind::Header { block: header, names: names.clone() }, break_edges: Vec::new(), try_depth: self.tries.len() });
        if self.join(t) {
            let i = self.load_hidden(&counter);
            let next = self.emit(HlOp::Bin(BinOp::Add), vec![i.clone(), Opnd::Const(Value::Int(step))], span);
            self.store_name(&counter, next);
            self.assign(target, i);
            body(self);
            self.back_edge(header, &names, span);
        }
        let ctx = self.loops.pop().expect("pushed above");
        self.finish_loop(ctx.break_edges, f, orelse, Some(&counter));
        if let Some(s) = self.state_mut() {
            s.names.shift_remove(&bound);
        }
    }

    fn unrolled_loop(&mut self, target: &'p Expr, items: Vec<Value>, body: &mut dyn FnMut(&mut Self), orelse: Option<&'p [Stmt]>) {
        self.loops.push(LoopCtx { kind: LoopKind::Unrolled { continue_edges: Vec::new() }, break_edges: Vec::new(), try_depth: self.tries.len() });
        for item in items {
            if self.cur.is_none() {
                break;
            }
            self.assign(target, Opnd::Const(item));
            body(self);
            // Fall-through and `continue` both go on with the next item.
            let mut next: Vec<Pending> = self.edge().into_iter().collect();
            if let Some(LoopCtx { kind: LoopKind::Unrolled { continue_edges }, .. }) = self.loops.last_mut() {
                next.append(continue_edges);
            }
            self.join(next);
        }
        let ctx = self.loops.pop().expect("pushed above");
        let normal: Vec<Pending> = self.edge().into_iter().collect();
        self.finish_loop(ctx.break_edges, normal, orelse, None);
    }

    fn exec_break(&mut self, span: Span) {
        let Some(depth) = self.loops.last().map(|l| l.try_depth) else {
            self.error("E0210", "'break' outside a loop", span, "here");
            return;
        };
        self.run_finally_bodies(depth, None);
        if let Some(e) = self.edge() {
            if let Some(l) = self.loops.last_mut() {
                l.break_edges.push(e);
            }
        }
    }

    fn exec_continue(&mut self, span: Span) {
        let Some(depth) = self.loops.last().map(|l| l.try_depth) else {
            self.error("E0210", "'continue' outside a loop", span, "here");
            return;
        };
        self.run_finally_bodies(depth, None);
        let target = match &self.loops.last().expect("checked above").kind {
            LoopKind::Header { block, names } => Some((*block, names.clone())),
            LoopKind::Unrolled { .. } => None,
        };
        match target {
            Some((header, names)) => self.back_edge(header, &names, span),
            None => {
                if let Some(e) = self.edge() {
                    if let Some(LoopCtx { kind: LoopKind::Unrolled { continue_edges }, .. }) = self.loops.last_mut() {
                        continue_edges.push(e);
                    }
                }
            }
        }
    }

    fn exec_raise(&mut self, r: &'p ast::StmtRaise, span: Span) {
        if r.cause.is_some() {
            self.error("E0211", "'raise ... from ...' is not supported", span, "here");
        }
        let Some(exc) = &r.exc else {
            // A bare `raise` re-raises the exception being handled.
            let Some(v) = self.cur.as_ref().and_then(|(_, s)| s.names.iter().rev().find(|(k, _)| k.starts_with("$exc")).map(|(_, v)| v.clone())) else {
                self.error("E0212", "a bare 'raise' must be inside an except block", span, "nothing to re-raise here");
                return;
            };
            self.raise_value(v, span);
            return;
        };
        let v = self.eval(exc);
        // `raise Cls` instantiates the class with no arguments.
        let v = match &v {
            Opnd::Const(Value::Obj(o)) if matches!(self.heap.get(*o), Object::Class(_)) => self.emit(HlOp::Call(CallShape::positional(0)), vec![v.clone()], span),
            _ => v,
        };
        self.raise_value(v, span);
    }

    /// Raises the exception instance `v` from the current point.
    fn raise_value(&mut self, v: Opnd, span: Span) {
        if self.cur.is_none() {
            return;
        }
        if !self.tries.is_empty() {
            // Inside try the class of `v` is not known statically in general: jump to
            // the innermost handler's dispatch, which tests it.
            let Some(mut e) = self.edge() else { return };
            e.state.temps.clear();
            e.extra = vec![v];
            match self.tries.last_mut() {
                Some(TryCtx::Except { edges }) | Some(TryCtx::Finally { edges, .. }) => edges.push(e),
                None => unreachable!("checked above"),
            }
            return;
        }
        let etype = self.emit(HlOp::TypeOf, vec![v.clone()], span);
        if let Some(e) = self.edge() {
            let eb = self.g.exceptblock;
            let link = &mut self.g.block_mut(e.block).exits[e.exit];
            link.target = eb;
            link.args = vec![etype, v];
        }
    }

    fn exec_try(&mut self, t: &'p ast::StmtTry, span: Span) {
        if t.is_star {
            self.error("E0208", "except* is not supported", span, "here");
            return;
        }
        let has_finally = !t.finalbody.is_empty();
        if has_finally {
            self.tries.push(TryCtx::Finally { body: &t.finalbody, edges: Vec::new() });
        }
        let mut after = Vec::new();
        if !t.handlers.is_empty() {
            self.tries.push(TryCtx::Except { edges: Vec::new() });
            self.exec_block(&t.body);
            let Some(TryCtx::Except { edges }) = self.tries.pop() else { unreachable!("pushed above") };
            if self.cur.is_some() {
                self.exec_block(&t.orelse);
            }
            after.extend(self.edge());
            if self.join(edges) {
                let evalue = self.pop_temp();
                let holder = self.hidden_name("exc");
                self.store_name(&holder, evalue);
                self.dispatch(&t.handlers, &holder, &mut after);
                for p in &mut after {
                    p.state.names.shift_remove(&holder);
                }
            }
        } else {
            self.exec_block(&t.body);
            after.extend(self.edge());
        }
        if has_finally {
            let Some(TryCtx::Finally { edges, .. }) = self.tries.pop() else { unreachable!("pushed above") };
            // The exceptional way out: run the finally body, then re-raise.
            if self.join(edges) {
                let evalue = self.pop_temp();
                let holder = self.hidden_name("exc");
                self.store_name(&holder, evalue);
                self.exec_block(&t.finalbody);
                if self.cur.is_some() {
                    let v = self.load_hidden(&holder);
                    self.raise_value(v, span);
                }
            }
            // The normal way out.
            if self.join(after) {
                self.exec_block(&t.finalbody);
            }
        } else {
            self.join(after);
        }
    }

    /// Tests the handlers in order against the exception held in `holder`.
    fn dispatch(&mut self, handlers: &'p [ast::ExceptHandler], holder: &Arc<str>, after: &mut Vec<Pending>) {
        for h in handlers {
            if self.cur.is_none() {
                return;
            }
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let hspan = self.span(h.range());
            let classes: Vec<(Opnd, Span)> = match &h.type_ {
                None => Vec::new(),
                Some(te) => match &**te {
                    Expr::Tuple(tup) => tup.elts.iter().map(|e| (self.eval(e), self.span(e.range()))).collect(),
                    e => vec![(self.eval(e), self.span(e.range()))],
                },
            };
            let mut matched = Vec::new();
            let mut catch_all = classes.is_empty();
            for (c, cspan) in &classes {
                match c {
                    Opnd::Const(Value::Obj(o)) if matches!(self.heap.get(*o), Object::Class(_)) => {
                        if *o == self.prog.classes.get("BaseException") {
                            catch_all = true;
                            break;
                        }
                        let ev = self.load_hidden(holder);
                        let m = self.emit(HlOp::ExcMatch, vec![ev, c.clone()], *cspan);
                        let (t, f) = self.branch(m, *cspan);
                        matched.extend(t);
                        if !self.join(f) {
                            break;
                        }
                    }
                    _ => {
                        self.error("E0213", "an except clause must name exception classes known at import time", *cspan, "not a class");
                    }
                }
            }
            if catch_all {
                matched.extend(self.edge());
            }
            let unmatched = self.edge();
            if self.join(matched) {
                if let Some(name) = &h.name {
                    let ev = self.load_hidden(holder);
                    self.store_name(name.id.as_str(), ev);
                }
                self.exec_block(&h.body);
                after.extend(self.edge());
            }
            let _ = hspan;
            match unmatched {
                Some(u) => {
                    self.join(vec![u]);
                }
                None => return,
            }
        }
        // No handler matched: propagate.
        if self.cur.is_some() {
            let v = self.load_hidden(holder);
            let span = self.g.span;
            self.raise_value(v, span);
        }
    }

    // ----- expressions ---------------------------------------------------------------

    fn eval_opt(&mut self, e: Option<&'p Expr>) -> Opnd {
        match e {
            Some(e) => self.eval(e),
            None => Opnd::Const(Value::None),
        }
    }

    /// Evaluates expressions left to right, keeping earlier results alive across the
    /// control flow later ones may create.
    fn eval_many(&mut self, exprs: &'p [Expr]) -> Vec<Opnd> {
        for e in exprs {
            let v = self.eval(e);
            self.push_temp(v);
        }
        let mut out: Vec<Opnd> = (0..exprs.len()).map(|_| self.pop_temp()).collect();
        out.reverse();
        out
    }

    /// Evaluates a condition into true and false edges, short-circuiting `and`, `or` and
    /// `not` without materialising their values.
    fn eval_cond(&mut self, e: &'p Expr) -> (Vec<Pending>, Vec<Pending>) {
        let span = self.span(e.range());
        match e {
            Expr::BoolOp(b) => {
                let mut trues = Vec::new();
                let mut falses = Vec::new();
                for (i, v) in b.values.iter().enumerate() {
                    let last = i == b.values.len() - 1;
                    let (t, f) = self.eval_cond(v);
                    match b.op {
                        ast::BoolOp::And => {
                            falses.extend(f);
                            if last {
                                trues.extend(t);
                            } else if !self.join(t) {
                                break;
                            }
                        }
                        ast::BoolOp::Or => {
                            trues.extend(t);
                            if last {
                                falses.extend(f);
                            } else if !self.join(f) {
                                break;
                            }
                        }
                    }
                }
                (trues, falses)
            }
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => {
                let (t, f) = self.eval_cond(&u.operand);
                (f, t)
            }
            Expr::Compare(c) if c.ops.len() > 1 => {
                // a < b < c: `a < b and b < c` with b evaluated once.
                let mut falses = Vec::new();
                let mut left = self.eval(&c.left);
                let n = c.ops.len();
                for (i, (op, right)) in c.ops.iter().zip(c.comparators.iter()).enumerate() {
                    self.push_temp(left);
                    let r = self.eval(right);
                    let l = self.pop_temp();
                    let res = self.emit(HlOp::Cmp(CmpOp::from_ast(*op)), vec![l, r.clone()], span);
                    if i == n - 1 {
                        let (t, f) = self.branch(res, span);
                        falses.extend(f);
                        return (t, falses);
                    }
                    self.push_temp(r);
                    let (t, f) = self.branch(res, span);
                    falses.extend(f.into_iter().map(|mut p| {
                        p.state.temps.pop();
                        p
                    }));
                    if !self.join(t) {
                        break;
                    }
                    left = self.pop_temp();
                }
                (Vec::new(), falses)
            }
            _ => {
                let v = self.eval(e);
                self.branch(v, span)
            }
        }
    }

    fn eval(&mut self, e: &'p Expr) -> Opnd {
        if self.cur.is_none() {
            return Opnd::Const(Value::None);
        }
        let span = self.span(e.range());
        match e {
            Expr::NumberLiteral(n) => match &n.value {
                ast::Number::Int(i) => match i.as_i64() {
                    Some(v) => Opnd::Const(Value::Int(v)),
                    None => {
                        self.error("E0214", "integer literal does not fit in 64 bits", span, "RPy ints are 64-bit machine words");
                        Opnd::Const(Value::Int(0))
                    }
                },
                ast::Number::Float(f) => Opnd::Const(Value::Float(*f)),
                ast::Number::Complex { .. } => {
                    self.error("E0208", "complex numbers are not supported", span, "here");
                    Opnd::Const(Value::None)
                }
            },
            Expr::StringLiteral(s) => Opnd::Const(Value::str(s.value.to_str())),
            Expr::BooleanLiteral(b) => Opnd::Const(Value::Bool(b.value)),
            Expr::NoneLiteral(_) => Opnd::Const(Value::None),
            Expr::Name(n) => self.load_name(n.id.as_str(), span),
            Expr::Attribute(a) => {
                let obj = self.eval(&a.value);
                let name: Arc<str> = Arc::from(a.attr.id.as_str());
                if let Opnd::Const(c @ Value::Obj(o)) = &obj {
                    if matches!(self.heap.get(*o), Object::Module(_)) && lookup_attr(self.heap, c, &name).is_none() {
                        let d = self.heap.describe(c);
                        self.error("E0215", format!("{d} has no attribute '{name}'"), span, "unknown attribute");
                        return Opnd::Const(Value::None);
                    }
                }
                // `x.attr` read again with nothing in between that could change it is the
                // same value: reuse it, so `if x.attr is not None:` narrows later reads.
                let key = self.attr_cache_key(&a.value, &name);
                if let Some(v) = key.as_ref().and_then(|k| self.cur.as_ref().and_then(|(_, s)| s.names.get(k)).cloned()) {
                    return v;
                }
                let r = self.emit(HlOp::GetAttr(name), vec![obj], span);
                if let (Some(k), Some(s)) = (key, self.state_mut()) {
                    s.names.insert(k, r.clone());
                }
                r
            }
            Expr::Subscript(s) => {
                let obj = self.eval(&s.value);
                self.push_temp(obj);
                if let Expr::Slice(sl) = &*s.slice {
                    let lo = self.eval_opt(sl.lower.as_deref());
                    self.push_temp(lo);
                    let hi = self.eval_opt(sl.upper.as_deref());
                    self.push_temp(hi);
                    let st = self.eval_opt(sl.step.as_deref());
                    let hi = self.pop_temp();
                    let lo = self.pop_temp();
                    let obj = self.pop_temp();
                    return self.emit(HlOp::GetSlice, vec![obj, lo, hi, st], span);
                }
                let idx = self.eval(&s.slice);
                let obj = self.pop_temp();
                self.emit(HlOp::GetItem, vec![obj, idx], span)
            }
            Expr::BinOp(b) => {
                let Some(op) = BinOp::from_ast(b.op) else {
                    self.error("E0208", "the @ operator is not supported", span, "here");
                    return Opnd::Const(Value::None);
                };
                let l = self.eval(&b.left);
                self.push_temp(l);
                if let (BinOp::Mod, Some((keys, values))) = (op, percent_mapping_display(&b.right)) {
                    // `fmt % {"k": v, ...}`: the values are evaluated in order, as the
                    // display would, and passed to the formatting without a dict.
                    for v in values {
                        let vv = self.eval(v);
                        self.push_temp(vv);
                    }
                    let mut args: Vec<Opnd> = (0..=keys.len()).map(|_| self.pop_temp()).collect();
                    args.reverse();
                    return self.emit(HlOp::PercentMap(keys.into()), args, span);
                }
                let r = self.eval(&b.right);
                let l = self.pop_temp();
                self.emit(HlOp::Bin(op), vec![l, r], span)
            }
            Expr::UnaryOp(u) => {
                let v = self.eval(&u.operand);
                let op = match u.op {
                    ast::UnaryOp::Not => HlOp::Not,
                    ast::UnaryOp::USub => HlOp::Neg,
                    ast::UnaryOp::UAdd => HlOp::Pos,
                    ast::UnaryOp::Invert => HlOp::Invert,
                };
                self.emit(op, vec![v], span)
            }
            Expr::BoolOp(b) => {
                // `a and b` is a or b as a value: join the operands.
                let mut results = Vec::new();
                for (i, v) in b.values.iter().enumerate() {
                    let val = self.eval(v);
                    if i == b.values.len() - 1 {
                        self.push_temp(val);
                        results.extend(self.edge());
                        break;
                    }
                    self.push_temp(val.clone());
                    let (t, f) = self.branch(val, span);
                    let (stop, go) = match b.op {
                        ast::BoolOp::And => (f, t),
                        ast::BoolOp::Or => (t, f),
                    };
                    results.extend(stop);
                    if !self.join(go) {
                        break;
                    }
                    self.pop_temp();
                }
                if self.join(results) {
                    self.pop_temp()
                } else {
                    Opnd::Const(Value::None)
                }
            }
            Expr::Compare(c) => {
                if c.ops.len() == 1 {
                    let l = self.eval(&c.left);
                    self.push_temp(l);
                    let r = self.eval(&c.comparators[0]);
                    let l = self.pop_temp();
                    return self.emit(HlOp::Cmp(CmpOp::from_ast(c.ops[0])), vec![l, r], span);
                }
                let (t, f) = self.eval_cond(e);
                self.materialize_bool(t, f)
            }
            Expr::If(i) => {
                let (t, f) = self.eval_cond(&i.test);
                let mut results = Vec::new();
                if self.join(t) {
                    let v = self.eval(&i.body);
                    self.push_temp(v);
                    results.extend(self.edge());
                }
                if self.join(f) {
                    let v = self.eval(&i.orelse);
                    self.push_temp(v);
                    results.extend(self.edge());
                }
                if self.join(results) {
                    self.pop_temp()
                } else {
                    Opnd::Const(Value::None)
                }
            }
            Expr::Call(c) => self.eval_call(c, span),
            Expr::Tuple(t) => {
                if t.elts.iter().any(|x| matches!(x, Expr::Starred(_))) {
                    self.error("E0209", "starred expressions are not supported here", span, "here");
                }
                let items = self.eval_many(&t.elts);
                self.emit(HlOp::NewTuple, items, span)
            }
            Expr::List(l) => {
                if l.elts.iter().any(|x| matches!(x, Expr::Starred(_))) {
                    self.error("E0209", "starred expressions are not supported here", span, "here");
                }
                let items = self.eval_many(&l.elts);
                self.emit(HlOp::NewList, items, span)
            }
            Expr::Dict(d) => {
                let mut n = 0;
                for item in &d.items {
                    let Some(k) = &item.key else {
                        self.error("E0209", "** in dict displays is not supported", span, "here");
                        continue;
                    };
                    let kv = self.eval(k);
                    self.push_temp(kv);
                    let vv = self.eval(&item.value);
                    self.push_temp(vv);
                    n += 2;
                }
                let mut args: Vec<Opnd> = (0..n).map(|_| self.pop_temp()).collect();
                args.reverse();
                self.emit(HlOp::NewDict, args, span)
            }
            Expr::ListComp(lc) => self.comprehension(&lc.generators, span, CompKind::List(&lc.elt)),
            Expr::Generator(g) => self.comprehension(&g.generators, span, CompKind::List(&g.elt)),
            Expr::DictComp(dc) => match &dc.key {
                Some(k) => self.comprehension(&dc.generators, span, CompKind::Dict(k, &dc.value)),
                None => {
                    self.error("E0209", "** in dict comprehensions is not supported", span, "here");
                    Opnd::Const(Value::None)
                }
            },
            Expr::FString(f) => {
                let mut parts = Vec::new();
                for part in f.value.iter() {
                    match part {
                        ast::FStringPart::Literal(l) => {
                            let v = Opnd::Const(Value::str(&l.value));
                            self.push_temp(v);
                            parts.push(());
                        }
                        ast::FStringPart::FString(fs) => {
                            for el in fs.elements.iter() {
                                match el {
                                    ast::InterpolatedStringElement::Literal(l) => {
                                        self.push_temp(Opnd::Const(Value::str(&l.value)));
                                        parts.push(());
                                    }
                                    ast::InterpolatedStringElement::Interpolation(i) => {
                                        let ispan = self.span(i.range());
                                        let v = self.eval(&i.expression);
                                        let mut spec = String::new();
                                        if let Some(fs) = &i.format_spec {
                                            for sel in fs.elements.iter() {
                                                match sel {
                                                    ast::InterpolatedStringElement::Literal(l) => spec.push_str(&l.value),
                                                    ast::InterpolatedStringElement::Interpolation(_) => {
                                                        self.error("E0216", "nested replacement fields in format specs are not supported", ispan, "here");
                                                    }
                                                }
                                            }
                                        }
                                        if !spec.is_empty() {
                                            if let Err(e) = kiln_runtime::rformat::check_spec(&spec) {
                                                self.error("E0216", format!("invalid format spec: {e}"), ispan, "here");
                                            }
                                        }
                                        let conversion = match i.conversion {
                                            ast::ConversionFlag::None => None,
                                            ast::ConversionFlag::Str => Some('s'),
                                            ast::ConversionFlag::Repr => Some('r'),
                                            ast::ConversionFlag::Ascii => Some('a'),
                                        };
                                        let s = self.emit(HlOp::Format { conversion, spec: Arc::from(spec) }, vec![v], ispan);
                                        self.push_temp(s);
                                        parts.push(());
                                    }
                                }
                            }
                        }
                    }
                }
                let mut args: Vec<Opnd> = parts.iter().map(|_| self.pop_temp()).collect();
                args.reverse();
                match args.len() {
                    0 => Opnd::Const(Value::str("")),
                    _ => self.emit(HlOp::BuildString, args, span),
                }
            }
            Expr::Lambda(_) => {
                self.diags.push(
                    Diagnostic::error("E0206", "lambdas cannot be created inside run-time code")
                        .with_primary(span, "created inside a function reachable from entry_point")
                        .with_note("define the function at module level"),
                );
                Opnd::Const(Value::None)
            }
            Expr::Named(n) => {
                let v = self.eval(&n.value);
                self.assign(&n.target, v.clone());
                v
            }
            Expr::Starred(_) | Expr::Slice(_) => {
                self.error("E0209", "this expression is not supported here", span, "here");
                Opnd::Const(Value::None)
            }
            Expr::Set(_) | Expr::SetComp(_) => {
                self.error("E0208", "sets are not supported in RPy (use a dict)", span, "here");
                Opnd::Const(Value::None)
            }
            Expr::BytesLiteral(b) => Opnd::Const(Value::Bytes(b.value.as_slice().iter().flat_map(|l| l.value.iter().copied()).collect())),
            Expr::EllipsisLiteral(_) | Expr::TString(_) | Expr::IpyEscapeCommand(_) => {
                self.error("E0208", "this literal is not supported in RPy", span, "here");
                Opnd::Const(Value::None)
            }
            Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) => {
                self.error("E0208", "generators and coroutines are not supported in RPy", span, "here");
                Opnd::Const(Value::None)
            }
        }
    }

    /// Turns the edges of a condition into a bool value.
    fn materialize_bool(&mut self, t: Vec<Pending>, f: Vec<Pending>) -> Opnd {
        let mut results = Vec::new();
        if self.join(t) {
            self.push_temp(Opnd::Const(Value::Bool(true)));
            results.extend(self.edge());
        }
        if self.join(f) {
            self.push_temp(Opnd::Const(Value::Bool(false)));
            results.extend(self.edge());
        }
        if !self.join(results) {
            return Opnd::Const(Value::None);
        }
        let v = self.pop_temp();
        if let Opnd::Var(var) = &v {
            self.bool_vars.insert(*var);
        }
        v
    }

    fn comprehension(&mut self, gens: &'p [ast::Comprehension], span: Span, kind: CompKind<'p>) -> Opnd {
        let result = match kind {
            CompKind::List(_) => self.emit(HlOp::NewList, Vec::new(), span),
            CompKind::Dict(..) => self.emit(HlOp::NewDict, Vec::new(), span),
        };
        let holder = self.hidden_name("comp");
        self.store_name(&holder, result);
        // Walrus targets inside the comprehension bind in the enclosing function.
        let mut walrus = HashSet::new();
        for g in gens {
            crate::walrus::in_expr(&g.iter, &mut walrus);
            g.ifs.iter().for_each(|c| crate::walrus::in_expr(c, &mut walrus));
        }
        match &kind {
            CompKind::List(e) => crate::walrus::in_expr(e, &mut walrus),
            CompKind::Dict(k, v) => {
                crate::walrus::in_expr(k, &mut walrus);
                crate::walrus::in_expr(v, &mut walrus);
            }
        }
        self.comp_walrus.push(walrus);
        // Comprehension variables live in a scope of their own.
        let mut scope = IndexMap::new();
        for g in gens {
            let mut names = HashSet::new();
            collect_target_names(&g.target, &mut names);
            for n in names {
                let renamed = self.hidden_name(&format!("{n}."));
                scope.insert(n, renamed);
            }
        }
        self.comp_level(gens, 0, span, &kind, &holder, scope);
        self.comp_walrus.pop();
        let v = self.load_hidden(&holder);
        if let Some(s) = self.state_mut() {
            s.names.shift_remove(&holder);
        }
        v
    }

    fn comp_level(&mut self, gens: &'p [ast::Comprehension], i: usize, span: Span, kind: &CompKind<'p>, holder: &Arc<str>, scope: IndexMap<Arc<str>, Arc<str>>) {
        let g = &gens[i];
        if g.is_async {
            self.error("E0208", "async comprehensions are not supported", span, "here");
            return;
        }
        // The first iterable is evaluated outside the comprehension's scope.
        let pushed = i == 0;
        let iter_expr: &'p Expr = &g.iter;
        let kind_ref: &CompKind<'p> = kind;
        let holder = holder.clone();
        let mut body = |b: &mut Self| {
            for cond in &g.ifs {
                let (t, f) = b.eval_cond(cond);
                if b.join(f) {
                    b.exec_continue(span);
                }
                if !b.join(t) {
                    return;
                }
            }
            if i + 1 < gens.len() {
                b.comp_level(gens, i + 1, span, kind_ref, &holder, IndexMap::new());
            } else {
                let acc = b.load_hidden(&holder);
                match kind_ref {
                    CompKind::List(elt) => {
                        b.push_temp(acc);
                        let v = b.eval(elt);
                        let acc = b.pop_temp();
                        b.emit(HlOp::CallMethod(Arc::from("append"), CallShape::positional(1)), vec![acc, v], span);
                    }
                    CompKind::Dict(k, v) => {
                        b.push_temp(acc);
                        let kv = b.eval(k);
                        b.push_temp(kv);
                        let vv = b.eval(v);
                        let kv = b.pop_temp();
                        let acc = b.pop_temp();
                        b.emit(HlOp::SetItem, vec![acc, kv, vv], span);
                    }
                }
            }
        };
        if pushed {
            // Evaluate the first iterable in the enclosing scope, then enter the scope.
            let it = self.eval(iter_expr);
            let tmp = self.hidden_name("compiter");
            self.store_name(&tmp, it);
            self.comp_scopes.push(scope);
            self.for_loop_over_hidden(&g.target, &tmp, span, &mut body);
            self.comp_scopes.pop();
            if let Some(s) = self.state_mut() {
                s.names.shift_remove(&tmp);
            }
        } else {
            self.for_loop(&g.target, iter_expr, span, &mut body, None, &[]);
        }
    }

    /// A for loop whose iterable was already evaluated into a hidden local.
    fn for_loop_over_hidden(&mut self, target: &'p Expr, hidden: &Arc<str>, span: Span, body: &mut dyn FnMut(&mut Self)) {
        let it = self.load_hidden(hidden);
        if let Opnd::Const(Value::Obj(o)) = &it {
            if let Object::Tuple(items) | Object::UnrollingIterable(items) = self.heap.get(*o) {
                self.unrolled_loop(target, items.clone(), body, None);
                return;
            }
        }
        let iterator = self.emit(HlOp::Iter, vec![it], span);
        let holder = self.hidden_name("iter");
        self.store_name(&holder, iterator);
        let mut assigns = HashSet::new();
        collect_target_names(target, &mut assigns);
        for n in assigns.clone() {
            assigns.insert(self.resolve_name(&n));
        }
        assigns.insert(holder.clone());
        self.generic_loop(target, &holder, assigns, span, body, None);
    }

    /// A loop calling `next` on the iterator in `holder` until StopIteration.
    fn generic_loop(&mut self, target: &'p Expr, holder: &Arc<str>, assigns: HashSet<Arc<str>>, span: Span, body: &mut dyn FnMut(&mut Self), orelse: Option<&'p [Stmt]>) {
        let Some((header, names)) = self.loop_header(&assigns) else { return };
        let itv = self.load_hidden(holder);
        let Some((hb, hstate)) = self.cur.take() else { return };
        let item = self.new_var(None);
        self.g.block_mut(hb).ops.push(Operation { op: HlOp::Next, args: vec![itv], result: item, span });
        // fresh_block passes the item along as the last input of the body block.
        let (body_block, body_state, link_args, renamed) = self.fresh_block(&hstate, &[Opnd::Var(item)]);
        let etype = self.new_var(Some("etype"));
        let evalue = self.new_var(Some("evalue"));
        let stop = Value::Obj(self.prog.classes.get("StopIteration"));
        let b = self.g.block_mut(hb);
        b.exitswitch = ExitSwitch::LastException;
        b.exits = vec![
            Link::new(body_block, link_args),
            Link { target: PLACEHOLDER, args: Vec::new(), case: LinkCase::Exception(stop), last_exception: Some(etype), last_exc_value: Some(evalue), arg_spans: Vec::new() },
        ];
        let exit_edge = Pending { block: hb, exit: 1, state: hstate, extra: Vec::new() };
        self.cur = Some((body_block, body_state));
        self.loops.push(LoopCtx { kind: LoopKind::Header { block: header, names: names.clone() }, break_edges: Vec::new(), try_depth: self.tries.len() });
        let item = renamed.into_iter().next().unwrap_or(Opnd::Var(item));
        self.assign(target, item);
        body(self);
        self.back_edge(header, &names, span);
        let ctx = self.loops.pop().expect("pushed above");
        self.finish_loop(ctx.break_edges, vec![exit_edge], orelse, Some(holder));
    }

    fn eval_call(&mut self, c: &'p ast::ExprCall, span: Span) -> Opnd {
        let mut positional_exprs: Vec<&'p Expr> = Vec::new();
        for a in c.arguments.args.iter() {
            if matches!(a, Expr::Starred(_)) {
                self.error("E0217", "*args in calls is not supported in run-time code", span, "here");
                return Opnd::Const(Value::None);
            }
            positional_exprs.push(a);
        }
        let mut kwnames = Vec::new();
        let mut kw_exprs: Vec<&'p Expr> = Vec::new();
        for k in c.arguments.keywords.iter() {
            match &k.arg {
                Some(n) => {
                    kwnames.push(Arc::from(n.id.as_str()));
                    kw_exprs.push(&k.value);
                }
                None => {
                    self.error("E0217", "**kwargs in calls is not supported in run-time code", span, "here");
                    return Opnd::Const(Value::None);
                }
            }
        }
        // `super().m(args)`: resolved statically from the class defining this method.
        if let Expr::Attribute(a) = &*c.func {
            if let Expr::Call(inner) = &*a.value {
                if matches!(&*inner.func, Expr::Name(n) if n.id.as_str() == "super") && inner.arguments.args.is_empty() && inner.arguments.keywords.is_empty() {
                    return self.super_call(a.attr.id.as_str(), &positional_exprs, kwnames, &kw_exprs, span);
                }
            }
        }
        // Method-call syntax keeps the receiver as the first argument.
        let (callee, receiver) = match &*c.func {
            Expr::Attribute(a) => {
                let obj = self.eval(&a.value);
                let name: Arc<str> = Arc::from(a.attr.id.as_str());
                match &obj {
                    Opnd::Const(cv @ Value::Obj(o)) if matches!(self.heap.get(*o), Object::Module(_) | Object::Class(_) | Object::Function(_)) => {
                        match lookup_attr(self.heap, cv, &name) {
                            Some(Attr::Plain(v)) => (Opnd::Const(v), None),
                            _ => {
                                let d = self.heap.describe(cv);
                                self.error("E0215", format!("{d} has no attribute '{name}'"), span, "unknown attribute");
                                return Opnd::Const(Value::None);
                            }
                        }
                    }
                    _ => {
                        self.push_temp(obj);
                        let mut args = self.eval_many_refs(&positional_exprs);
                        args.extend(self.eval_many_refs(&kw_exprs));
                        let obj = self.pop_temp();
                        self.check_jit_hint(&obj, &name, positional_exprs.len(), &kwnames, span);
                        let mut all = vec![obj];
                        all.extend(args);
                        let shape = CallShape { npos: positional_exprs.len() as u32, kwnames };
                        return self.emit(HlOp::CallMethod(name, shape), all, span);
                    }
                }
            }
            f => (self.eval(f), None::<Opnd>),
        };
        let _ = receiver;
        // `ovfcheck(a + b)`: the arithmetic stays in the block of the call, where the
        // RTyper finds it (its null check cannot apply: it is on ints).
        let ovf = matches!(&callee, Opnd::Const(Value::Obj(o)) if matches!(self.heap.get(*o), Object::Builtin(Builtin::Ovfcheck)));
        let saved_ovf = std::mem::replace(&mut self.in_ovfcheck, ovf);
        self.push_temp(callee);
        let pos = self.eval_many_refs(&positional_exprs);
        self.in_ovfcheck = saved_ovf;
        for p in &pos {
            self.push_temp(p.clone());
        }
        let kws = self.eval_many_refs(&kw_exprs);
        let mut pos: Vec<Opnd> = (0..positional_exprs.len()).map(|_| self.pop_temp()).collect();
        pos.reverse();
        let callee = self.pop_temp();
        self.call(callee, pos, kwnames.into_iter().zip(kws).collect(), span)
    }

    /// `super().name(args)` inside a method: the attribute found after the defining class
    /// in its MRO, called with `self` first.
    fn super_call(&mut self, name: &str, pos: &[&'p Expr], kwnames: Vec<Arc<str>>, kw_exprs: &[&'p Expr], span: Span) -> Opnd {
        let f = self.func;
        let (Some(class), Some(first)) = (f.class, f.params.positional.first().cloned()) else {
            self.error("E0221", "super() is only supported inside a method defined in a class body", span, "here");
            return Opnd::Const(Value::None);
        };
        let mro = self.heap.class(class).map(|c| c.mro.clone()).unwrap_or_default();
        let found = mro.iter().skip(1).find_map(|k| self.heap.class(*k).and_then(|kc| kc.dict.get(name)).cloned());
        let Some(target) = found else {
            let cname = self.heap.class(class).map_or("?".to_string(), |c| c.name.to_string());
            self.error("E0221", format!("no base class of '{cname}' defines '{name}'"), span, "super() call here");
            return Opnd::Const(Value::None);
        };
        let this = self.load_name(&first, span);
        self.push_temp(this);
        let mut args = self.eval_many_refs(pos);
        let kws = self.eval_many_refs(kw_exprs);
        let this = self.pop_temp();
        args.insert(0, this);
        self.call(Opnd::Const(target), args, kwnames.into_iter().zip(kws).collect(), span)
    }

    fn eval_many_refs(&mut self, exprs: &[&'p Expr]) -> Vec<Opnd> {
        for e in exprs {
            let v = self.eval(e);
            self.push_temp(v);
        }
        let mut out: Vec<Opnd> = (0..exprs.len()).map(|_| self.pop_temp()).collect();
        out.reverse();
        out
    }

    /// Emits a call, binding arguments at flow time when the callee is a known function
    /// or class, so later stages see plain positional calls.
    fn call(&mut self, callee: Opnd, pos: Vec<Opnd>, kws: Vec<(Arc<str>, Opnd)>, span: Span) -> Opnd {
        if let Some(r) = self.special_call(&callee, &pos, &kws, span) {
            return r;
        }
        if let Some(r) = self.const_name_attr_call(&callee, &pos, &kws, span) {
            return r;
        }
        if let Opnd::Const(Value::Obj(o)) = &callee {
            match self.heap.get(*o) {
                Object::Function(f) => {
                    if f.hints.not_rpython {
                        self.diags.push(
                            Diagnostic::error("E0218", format!("'{}' is marked @not_rpython but is called from run-time code", f.qualname))
                                .with_primary(span, "called here")
                                .with_label(f.span, "defined here"),
                        );
                        return Opnd::Const(Value::None);
                    }
                    let Some(bound) = self.bind(f, 0, pos, kws, span) else { return Opnd::Const(Value::None) };
                    let mut args = vec![callee];
                    let n = bound.len();
                    args.extend(bound);
                    return self.emit(HlOp::Call(CallShape::positional(n)), args, span);
                }
                Object::Class(cls) => {
                    let init = self.heap.class_lookup(*o, "__init__");
                    let f = init.and_then(|(_, v)| v.as_obj()).and_then(|i| self.heap.function(i));
                    let bound = match f {
                        Some(f) => match self.bind(f, 1, pos, kws, span) {
                            Some(b) => b,
                            None => return Opnd::Const(Value::None),
                        },
                        None => {
                            if !kws.is_empty() {
                                self.error("E0219", format!("{}() takes no keyword arguments", cls.name), span, "here");
                                return Opnd::Const(Value::None);
                            }
                            pos
                        }
                    };
                    let mut args = vec![callee];
                    let n = bound.len();
                    args.extend(bound);
                    return self.emit(HlOp::Call(CallShape::positional(n)), args, span);
                }
                _ => {}
            }
        }
        let npos = pos.len();
        let mut args = vec![callee];
        args.extend(pos);
        let mut kwnames = Vec::new();
        for (k, v) in kws {
            kwnames.push(k);
            args.push(v);
        }
        self.emit(HlOp::Call(CallShape { npos: npos as u32, kwnames }), args, span)
    }

    /// Binds call arguments to `f`'s parameters, skipping the first `skip` (self).
    fn bind(&mut self, f: &Function, skip: usize, pos: Vec<Opnd>, kws: Vec<(Arc<str>, Opnd)>, span: Span) -> Option<Vec<Opnd>> {
        let mut params = f.params.clone();
        let skip = skip.min(params.positional.len());
        params.positional.drain(..skip);
        params.posonly = params.posonly.saturating_sub(skip);
        let ndef = f.defaults.len().min(params.positional.len());
        let defaults: Vec<Opnd> = f.defaults[f.defaults.len() - ndef..].iter().map(|d| Opnd::Const(d.clone())).collect();
        let kwdefaults: Vec<(Arc<str>, Opnd)> = f.kwdefaults.iter().map(|(k, v)| (k.clone(), Opnd::Const(v.clone()))).collect();
        match kiln_frontend::callargs::bind(&f.qualname, &params, &defaults, &kwdefaults, pos, kws) {
            Ok(b) => Some(b),
            Err(e) => {
                self.diags.push(
                    Diagnostic::error("E0220", e.0).with_primary(span, "in this call").with_label(f.span, format!("'{}' is defined here", f.qualname)),
                );
                None
            }
        }
    }
}

enum CompKind<'p> {
    List(&'p Expr),
    Dict(&'p Expr, &'p Expr),
}

fn const_int(e: &Expr) -> Option<i64> {
    match e {
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => i.as_i64(),
            _ => None,
        },
        Expr::UnaryOp(u) if u.op == ast::UnaryOp::USub => const_int(&u.operand).map(|v| -v),
        _ => None,
    }
}

/// A dict display whose keys are all str literals (no `**`), as the right operand of
/// `%`: its keys and value expressions, in order.
fn percent_mapping_display(e: &Expr) -> Option<(Vec<Arc<str>>, Vec<&Expr>)> {
    let Expr::Dict(d) = e else { return None };
    let mut keys = Vec::new();
    let mut values = Vec::new();
    for item in &d.items {
        let Some(Expr::StringLiteral(k)) = &item.key else { return None };
        keys.push(Arc::from(k.value.to_str()));
        values.push(&item.value);
    }
    Some((keys, values))
}

/// Calls `f` on every statement, recursing into compound statements but not into nested
/// function or class bodies.
fn walk_stmts(stmts: &[Stmt], f: &mut dyn FnMut(&Stmt)) {
    for s in stmts {
        f(s);
        match s {
            Stmt::If(i) => {
                walk_stmts(&i.body, f);
                for c in &i.elif_else_clauses {
                    walk_stmts(&c.body, f);
                }
            }
            Stmt::While(w) => {
                walk_stmts(&w.body, f);
                walk_stmts(&w.orelse, f);
            }
            Stmt::For(fr) => {
                walk_stmts(&fr.body, f);
                walk_stmts(&fr.orelse, f);
            }
            Stmt::Try(t) => {
                walk_stmts(&t.body, f);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    walk_stmts(&h.body, f);
                }
                walk_stmts(&t.orelse, f);
                walk_stmts(&t.finalbody, f);
            }
            Stmt::With(w) => walk_stmts(&w.body, f),
            _ => {}
        }
    }
}

fn collect_target_names(t: &Expr, out: &mut HashSet<Arc<str>>) {
    match t {
        Expr::Name(n) => {
            out.insert(Arc::from(n.id.as_str()));
        }
        Expr::Tuple(tp) => tp.elts.iter().for_each(|e| collect_target_names(e, out)),
        Expr::List(l) => l.elts.iter().for_each(|e| collect_target_names(e, out)),
        Expr::Starred(s) => collect_target_names(&s.value, out),
        _ => {}
    }
}

/// The names a function body assigns: its locals (Python's rule).
fn collect_locals(stmts: &[Stmt], out: &mut HashSet<Arc<str>>) {
    walk_stmts(stmts, &mut |s| match s {
        Stmt::Assign(a) => a.targets.iter().for_each(|t| collect_target_names(t, out)),
        Stmt::AugAssign(a) => collect_target_names(&a.target, out),
        Stmt::AnnAssign(a) => collect_target_names(&a.target, out),
        Stmt::For(f) => collect_target_names(&f.target, out),
        Stmt::Try(t) => {
            for h in &t.handlers {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                if let Some(n) = &h.name {
                    out.insert(Arc::from(n.id.as_str()));
                }
            }
        }
        Stmt::FunctionDef(d) => {
            out.insert(Arc::from(d.name.id.as_str()));
        }
        Stmt::ClassDef(d) => {
            out.insert(Arc::from(d.name.id.as_str()));
        }
        Stmt::Import(i) => {
            for a in &i.names {
                let n = a.asname.as_ref().map_or(a.name.id.as_str().split('.').next().unwrap_or(""), |x| x.id.as_str());
                out.insert(Arc::from(n));
            }
        }
        Stmt::ImportFrom(i) => {
            for a in &i.names {
                out.insert(Arc::from(a.asname.as_ref().map_or(a.name.id.as_str(), |x| x.id.as_str())));
            }
        }
        Stmt::Delete(d) => d.targets.iter().for_each(|t| collect_target_names(t, out)),
        Stmt::Expr(_) => {}
        _ => {}
    });
    // `name := value` anywhere in the body (comprehensions included) binds a local.
    crate::walrus::in_stmts(stmts, out);
}
