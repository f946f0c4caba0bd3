//! The exception transform (RPython's `exceptiontransform`): makes exception propagation
//! explicit, so that later stages (GC transform, backend, JIT) see only ordinary control
//! flow plus reads and writes of the runtime's exception state.
//!
//! # Input contract (what the RTyper produces)
//! - Every graph is fully typed and passes [`kiln_lltype::verify::verify_program`]. The
//!   except block's two inputs are a vtable pointer and an object pointer.
//! - Raising is a link to the except block passing (vtable pointer, instance pointer).
//! - Catching is a block with [`ExitSwitch::LastException`] whose last op can raise. Its
//!   exits are the normal link (`LinkCase::Always`) followed by exception links whose case
//!   is `LinkCase::Exception(LlConst::Static(vtable, ptr_type))`, in order: the first
//!   whose class matches is taken. A class matches when
//!   `case.subclassrange_min <= raised.subclassrange_min < case.subclassrange_max`; the
//!   vtable static is a `StaticValue::Struct` whose first two fields are those bounds as
//!   Signed constants (see `TypeTable::vtable_prefix`). Exception links bind
//!   `last_exception` (the vtable pointer) and `last_exc_value` (the instance), which their
//!   arguments may use.
//! - Which ops can raise comes from [`EffectInfo`]: a call to a function that cannot
//!   raise is not a raising op.
//!
//! # Runtime exception state
//! Two globals of the runtime, `kiln_exc_type` (a vtable pointer, null when no exception
//! is set) and `kiln_exc_value`, accessed through the ops `exc_occurred() -> Bool`,
//! `exc_type()`, `exc_value()`, `exc_clear()` and `exc_restore(type, value)`. A function
//! that propagates an exception leaves the state set and returns its *error value*: 0,
//! false, 0.0, null or void, by return type. Callers look at the state, never at the
//! error value.
//!
//! # What the transform does
//! 1. Every link to the except block is redirected to one new block per graph that does
//!    `exc_restore(etype, evalue)` and returns the error value.
//! 2. After every op that can raise outside a catching position (any op but the last of a
//!    catching block), the block is split and `exc_occurred()` tested: when set, the
//!    function returns its error value at once.
//! 3. A catching block tests `exc_occurred()` after its last op and takes its normal link
//!    when clear. Otherwise it reads `exc_type()` and `exc_value()`, clears the state, loads
//!    the raised vtable's `subclassrange_min` and tests the handlers' ranges in order with
//!    `int_between` (each case's bounds folded from its vtable static). A match jumps to
//!    the handler with `last_exception`/`last_exc_value` replaced by the values read
//!    (through `cast_pointer` where the handler's variable has another type); no match
//!    restores the state and propagates, through the block of step 1. Clearing before the
//!    tests rather than on each match lets the handler links go straight to their targets.
//!    A catching block whose last op cannot raise (per the effect info) just loses its
//!    exception links.
//!
//! Inserted ops carry the span of the op that raised (of the graph for explicit raises).
//!
//! # Output contract
//! No graph has a `LastException` switch, an exception link or a reachable link to its
//! except block; every graph still passes the verifier (checked in debug builds).

use std::collections::{HashMap, HashSet};

use kiln_flowgraph::{BlockId, ExitSwitch, Link, LinkCase, Operation, Span, Value, Var};
use kiln_lltype::{kind_of, FieldRef, Kind, LlConst, LlGraph, LlOp, LlProgram, StaticObj, StaticValue, TypeId};

use crate::effects::EffectInfo;

/// Runs the exception transform on every function of `prog`.
pub fn run(prog: &mut LlProgram, effects: &EffectInfo) {
    // Which ops raise is decided on the untransformed program, before any graph changes.
    let raising: Vec<Vec<(BlockId, Vec<bool>)>> = prog
        .func_ids()
        .map(|id| {
            let g = &prog.func(id).graph;
            g.reachable_blocks()
                .into_iter()
                .map(|b| (b, g.block(b).ops.iter().map(|op| effects.op_can_raise(prog, g, op)).collect()))
                .collect()
        })
        .collect();
    let vtable_min = FieldRef {
        strukt: TypeId::VTABLE,
        index: prog.types.field_index(TypeId::VTABLE, "subclassrange_min").expect("every vtable starts with subclassrange_min"),
    };
    let statics = &prog.statics;
    for (func, raising) in prog.funcs.iter_mut().zip(raising) {
        kiln_diagnostics::whereabouts::enter_function(&func.name, func.graph.span);
        let mut rw = Rewriter::new(&mut func.graph, statics, vtable_min);
        rw.run(raising);
    }
    #[cfg(debug_assertions)]
    check_output(prog);
}

/// Panics with every broken invariant of the output contract; an internal compiler error.
#[cfg(debug_assertions)]
fn check_output(prog: &LlProgram) {
    let mut errors = kiln_lltype::verify::verify_program(prog);
    for f in &prog.funcs {
        let g = &f.graph;
        for b in g.reachable_blocks() {
            let block = g.block(b);
            if block.catches_exceptions() {
                errors.push(format!("graph {}: {b}: still catches exceptions", f.name));
            }
            if block.exits.iter().any(|l| l.target == g.exceptblock || matches!(l.case, LinkCase::Exception(_))) {
                errors.push(format!("graph {}: {b}: still raises or has an exception link", f.name));
            }
        }
    }
    assert!(errors.is_empty(), "internal compiler error: the exception transform produced invalid graphs:\n{}", errors.join("\n"));
}

/// The value a function returns while an exception propagates, by its return type.
pub fn error_value(ret: TypeId) -> LlConst {
    match kind_of(ret) {
        Kind::Void => LlConst::Void,
        Kind::Bool => LlConst::Bool(false),
        Kind::Int => LlConst::Signed(0),
        Kind::Uint => LlConst::Unsigned(0),
        Kind::Float => LlConst::Float(0.0),
        Kind::Char => LlConst::Char(0),
        Kind::UniChar => LlConst::UniChar(0),
        Kind::Ptr | Kind::Any => LlConst::Null(ret),
    }
}

/// The transform of one graph.
struct Rewriter<'a> {
    g: &'a mut LlGraph,
    statics: &'a [StaticObj],
    vtable_min: FieldRef,
    error: LlConst,
    /// The block that restores an exception and propagates it (step 1), made on demand.
    raise_block: Option<BlockId>,
}

impl<'a> Rewriter<'a> {
    fn new(g: &'a mut LlGraph, statics: &'a [StaticObj], vtable_min: FieldRef) -> Rewriter<'a> {
        let error = error_value(*g.var_type(g.return_var()));
        Rewriter { g, statics, vtable_min, error, raise_block: None }
    }

    /// `raising[i]` lists, for the reachable block it names, which of its ops can raise.
    fn run(&mut self, raising: Vec<(BlockId, Vec<bool>)>) {
        let exceptblock = self.g.exceptblock;
        for (b, _) in &raising {
            if self.g.block(*b).exits.iter().any(|l| l.target == exceptblock) {
                let rb = self.raise_block();
                for link in &mut self.g.block_mut(*b).exits {
                    if link.target == exceptblock {
                        link.target = rb;
                    }
                }
            }
        }
        // Each split moves the rest of a block, with its raising flags, to a new block
        // that is processed in turn.
        let mut work: Vec<(BlockId, Vec<bool>)> = raising.into_iter().filter(|(b, _)| !self.g.is_final(*b)).collect();
        work.reverse();
        while let Some((b, flags)) = work.pop() {
            let catching = self.g.block(b).catches_exceptions();
            let last = flags.len().checked_sub(1);
            let split_at = flags.iter().enumerate().position(|(i, &raises)| raises && !(catching && Some(i) == last));
            match split_at {
                Some(i) => {
                    if let Some(rest) = self.check_after(b, i) {
                        work.push((rest, flags[i + 1..].to_vec()));
                    }
                }
                None if catching => {
                    if flags.last() == Some(&true) {
                        self.expand_catch(b);
                    } else {
                        let block = self.g.block_mut(b);
                        block.exitswitch = ExitSwitch::None;
                        block.exits.truncate(1);
                    }
                }
                None => {}
            }
        }
    }

    fn raise_block(&mut self) -> BlockId {
        if let Some(b) = self.raise_block {
            return b;
        }
        let eb = self.g.exceptblock;
        let [et, ev] = [0, 1].map(|i| {
            let v = self.g.block(eb).inputargs[i];
            self.g.copy_var(v)
        });
        let b = self.g.add_block(vec![et, ev]);
        let span = self.g.span;
        let done = self.g.new_var(None, TypeId::VOID);
        let rb = self.g.returnblock;
        let block = self.g.block_mut(b);
        block.ops.push(Operation { op: LlOp::ExcRestore, args: vec![Value::Var(et), Value::Var(ev)], result: done, span });
        block.exits.push(Link::new(rb, vec![Value::Const(self.error.clone())]));
        self.raise_block = Some(b);
        b
    }

    /// Appends `result: ty = op(args)` to `b`.
    fn emit(&mut self, b: BlockId, op: LlOp, args: Vec<Value<LlConst>>, ty: TypeId, span: Span) -> Var {
        let result = self.g.new_var(None, ty);
        self.g.block_mut(b).ops.push(Operation { op, args, result, span });
        result
    }

    /// Appends `name: ty = op()` to `b`: the exception type and value read from the
    /// runtime, named for readable dumps.
    fn emit_named(&mut self, b: BlockId, name: &str, op: LlOp, ty: TypeId, span: Span) -> Var {
        let result = self.g.new_var(Some(name), ty);
        self.g.block_mut(b).ops.push(Operation { op, args: vec![], result, span });
        result
    }

    fn propagate_link(&self) -> Link<LlConst> {
        Link::new(self.g.returnblock, vec![Value::Const(self.error.clone())])
    }

    /// Inserts the propagation check after op `i` of `b`, which can raise. Returns the
    /// block holding the rest of `b`'s ops and exits, if one had to be made.
    fn check_after(&mut self, b: BlockId, i: usize) -> Option<BlockId> {
        let span = self.g.block(b).ops[i].span;
        let block = self.g.block(b);
        let nothing_follows = i + 1 == block.ops.len() && matches!(block.exitswitch, ExitSwitch::None);
        let (rest, normal) = if nothing_follows {
            // The block's only exit can become the no-exception branch as it is.
            let normal = self.g.block_mut(b).exits.pop().expect("a non-final block has an exit");
            (None, normal)
        } else {
            let (rest, carried) = self.split_after(b, i);
            (Some(rest), Link::new(rest, carried.into_iter().map(Value::Var).collect()))
        };
        let occurred = self.emit(b, LlOp::ExcOccurred, vec![], TypeId::BOOL, span);
        let propagate = self.propagate_link();
        let block = self.g.block_mut(b);
        block.exitswitch = ExitSwitch::Value(Value::Var(occurred));
        block.exits = vec![normal.with_case(LinkCase::Bool(false)), propagate.with_case(LinkCase::Bool(true))];
        rest
    }

    /// Moves the ops after op `i` of `b`, its exit switch and its exits into a new block.
    /// Returns the new block and the variables of `b` to pass to it (its inputs are fresh
    /// copies of them, in the same order).
    fn split_after(&mut self, b: BlockId, i: usize) -> (BlockId, Vec<Var>) {
        let block = self.g.block_mut(b);
        let ops = block.ops.split_off(i + 1);
        let exitswitch = std::mem::replace(&mut block.exitswitch, ExitSwitch::None);
        let exits = std::mem::take(&mut block.exits);

        let mut used: HashSet<Var> = HashSet::new();
        let mut defined: HashSet<Var> = HashSet::new();
        for op in &ops {
            used.extend(op.args.iter().filter_map(Value::as_var));
            defined.insert(op.result);
        }
        if let ExitSwitch::Value(Value::Var(v)) = &exitswitch {
            used.insert(*v);
        }
        for link in &exits {
            used.extend(link.args.iter().filter_map(Value::as_var));
            defined.extend(link.last_exception);
            defined.extend(link.last_exc_value);
        }
        let carried = self.defined_in_order(b, |v| used.contains(&v) && !defined.contains(&v));
        let (rest, rename) = self.block_carrying(&carried);

        let subst = |v: &mut Value<LlConst>| rename_value(v, &rename);
        let mut ops = ops;
        for op in &mut ops {
            op.args.iter_mut().for_each(subst);
        }
        let mut exitswitch = exitswitch;
        if let ExitSwitch::Value(v) = &mut exitswitch {
            subst(v);
        }
        let mut exits = exits;
        for link in &mut exits {
            link.args.iter_mut().for_each(subst);
        }
        let r = self.g.block_mut(rest);
        r.ops = ops;
        r.exitswitch = exitswitch;
        r.exits = exits;
        (rest, carried)
    }

    /// The variables defined in `b` (inputs, then op results) that satisfy `keep`, in
    /// definition order, so that printed graphs are deterministic.
    fn defined_in_order(&self, b: BlockId, keep: impl Fn(Var) -> bool) -> Vec<Var> {
        let block = self.g.block(b);
        block.inputargs.iter().copied().chain(block.ops.iter().map(|op| op.result)).filter(|v| keep(*v)).collect()
    }

    /// A new block whose inputs are fresh copies of `vars`; returns the renaming.
    fn block_carrying(&mut self, vars: &[Var]) -> (BlockId, HashMap<Var, Var>) {
        let fresh: Vec<Var> = vars.iter().map(|v| self.g.copy_var(*v)).collect();
        let rename = vars.iter().copied().zip(fresh.iter().copied()).collect();
        (self.g.add_block(fresh), rename)
    }

    /// Step 3 of the module doc, on a catching block whose last op can raise.
    fn expand_catch(&mut self, b: BlockId) {
        let span = self.g.block(b).ops.last().expect("a catching block has a last op").span;
        let mut exits = std::mem::take(&mut self.g.block_mut(b).exits);
        let handlers = exits.split_off(1);
        let normal = exits.pop().expect("a catching block has a normal exit");
        let occurred = self.emit(b, LlOp::ExcOccurred, vec![], TypeId::BOOL, span);
        self.g.block_mut(b).exitswitch = ExitSwitch::Value(Value::Var(occurred));
        if handlers.is_empty() {
            let propagate = self.propagate_link();
            self.g.block_mut(b).exits = vec![normal.with_case(LinkCase::Bool(false)), propagate.with_case(LinkCase::Bool(true))];
            return;
        }

        // `later_uses[k]`: the variables of `b` that handlers after the k-th pass on.
        let uses: Vec<HashSet<Var>> = handlers
            .iter()
            .map(|l| l.args.iter().filter_map(Value::as_var).filter(|v| Some(*v) != l.last_exception && Some(*v) != l.last_exc_value).collect())
            .collect();
        let mut later_uses = vec![HashSet::new(); handlers.len()];
        for k in (0..handlers.len().saturating_sub(1)).rev() {
            later_uses[k] = later_uses[k + 1].union(&uses[k + 1]).copied().collect();
        }
        let all_uses: HashSet<Var> = uses.iter().flatten().copied().collect();
        let carried = self.defined_in_order(b, |v| all_uses.contains(&v));
        let (dispatch, mut rename) = self.block_carrying(&carried);
        self.g.block_mut(b).exits = vec![
            normal.with_case(LinkCase::Bool(false)),
            Link::new(dispatch, carried.iter().copied().map(Value::Var).collect()).with_case(LinkCase::Bool(true)),
        ];

        let eb = self.g.exceptblock;
        let etype_ty = *self.g.var_type(self.g.block(eb).inputargs[0]);
        let evalue_ty = *self.g.var_type(self.g.block(eb).inputargs[1]);
        let mut etype = self.emit_named(dispatch, "etype", LlOp::ExcType, etype_ty, span);
        let mut evalue = self.emit_named(dispatch, "evalue", LlOp::ExcValue, evalue_ty, span);
        self.emit(dispatch, LlOp::ExcClear, vec![], TypeId::VOID, span);
        let mut raised_min = self.emit(dispatch, LlOp::GetField(self.vtable_min), vec![Value::Var(etype)], TypeId::SIGNED, span);

        // One test block per handler, in order; each passes the exception and what the
        // later handlers use on to the next test.
        let count = handlers.len();
        let mut test = dispatch;
        for (k, mut handler) in handlers.into_iter().enumerate() {
            let (lo, hi) = self.case_range(&handler.case);
            let bounds = vec![Value::Const(LlConst::Signed(lo)), Value::Var(raised_min), Value::Const(LlConst::Signed(hi))];
            let matches = self.emit(test, LlOp::IntBetween, bounds, TypeId::BOOL, span);
            let mut bind = rename.clone();
            for (var, value) in [(handler.last_exception.take(), etype), (handler.last_exc_value.take(), evalue)] {
                let Some(var) = var else { continue };
                if self.g.var_type(var) == self.g.var_type(value) {
                    bind.insert(var, value);
                } else {
                    // The handler's variable keeps its name, now defined by the cast.
                    self.g.block_mut(test).ops.push(Operation { op: LlOp::CastPointer, args: vec![Value::Var(value)], result: var, span });
                }
            }
            handler.args.iter_mut().for_each(|v| rename_value(v, &bind));

            let (no_match, next) = if k + 1 == count {
                let rb = self.raise_block();
                (Link::new(rb, vec![Value::Var(etype), Value::Var(evalue)]), None)
            } else {
                let mut passed = vec![etype, evalue, raised_min];
                passed.extend(carried.iter().filter(|v| later_uses[k].contains(v)).map(|v| rename[v]));
                let (next, step) = self.block_carrying(&passed);
                for cur in rename.values_mut() {
                    if let Some(n) = step.get(cur) {
                        *cur = *n;
                    }
                }
                (etype, evalue, raised_min) = (step[&etype], step[&evalue], step[&raised_min]);
                (Link::new(next, passed.into_iter().map(Value::Var).collect()), Some(next))
            };
            let t = self.g.block_mut(test);
            t.exitswitch = ExitSwitch::Value(Value::Var(matches));
            t.exits = vec![no_match.with_case(LinkCase::Bool(false)), handler.with_case(LinkCase::Bool(true))];
            if let Some(next) = next {
                test = next;
            }
        }
    }

    /// The `[min, max)` bounds of an exception link's class, folded from its vtable.
    fn case_range(&self, case: &LinkCase<LlConst>) -> (i64, i64) {
        let LinkCase::Exception(LlConst::Static(id, _)) = case else {
            panic!("internal compiler error: an exception link's case is not a vtable constant: {case:?}");
        };
        match &self.statics[id.0 as usize].value {
            StaticValue::Struct { fields, .. } => match (fields.first().and_then(LlConst::as_signed), fields.get(1).and_then(LlConst::as_signed)) {
                (Some(lo), Some(hi)) => (lo, hi),
                _ => panic!("internal compiler error: vtable s{} does not start with its subclass range", id.0),
            },
            other => panic!("internal compiler error: exception case s{} is not a vtable struct: {other:?}", id.0),
        }
    }
}

fn rename_value(v: &mut Value<LlConst>, rename: &HashMap<Var, Var>) {
    if let Value::Var(x) = v {
        if let Some(n) = rename.get(x) {
            *x = *n;
        }
    }
}
