//! Lowering one annotated flow graph to an lltype graph.
//!
//! Blocks map one to one (unreached blocks are dropped); each high-level operation
//! becomes a few low-level operations in the same block, or a call to a helper graph when
//! it needs control flow of its own (a check that raises, a loop). Variables whose
//! representation is `Void` disappear: they are constants with no run-time value.
//!
//! Link arguments are converted to the target's representation (an int flowing where a
//! float is expected, a char where a str is, None where a pointer is, a subclass instance
//! where a base is); the conversion ops go at the end of the source block, or in a new
//! block on the link when the source block ends with a raising operation.

use std::collections::HashMap;
use std::sync::Arc;

use kiln_annotator::{GraphId, SomeValue};
use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::{BlockId, ExitSwitch, Graph, Link, LinkCase, Operation, Var};
use kiln_flowspace::{Hl, Opnd};
use kiln_frontend::Value;
use kiln_lltype::builder::LlValue;
use kiln_lltype::{FuncId, Ll, LlConst, LlOp, RtFn, TypeId};

use crate::helpers::Helper;
use crate::repr::Repr;
use crate::RTyper;

pub struct Lower<'r, 'a> {
    pub rt: &'r mut RTyper<'a>,
    pub gid: GraphId,
    pub hl: Arc<Graph<Hl>>,
    pub g: Graph<Ll>,
    pub cur: BlockId,
    vars: Vec<Option<LlValue>>,
    reprs: Vec<Option<Repr>>,
    blocks: HashMap<BlockId, BlockId>,
    pub span: Span,
    /// The operation being lowered: (block, index), for the annotator's side tables.
    pub site: (BlockId, u32),
    /// The representations the graph's parameters and result are lowered with.
    params: Vec<Repr>,
    ret: Repr,
    /// While lowering `obj.attr(...)` as a call: the attribute's value, standing for
    /// the call operation's first argument.
    pub callee_override: Option<(LlValue, Repr)>,
    /// Where the lowering of the current block's last operation starts (block, op
    /// index): the ops a `try` covers when the block catches.
    last_op_start: Option<(BlockId, usize)>,
}

fn c(v: LlConst) -> LlValue {
    LlValue::Const(v)
}

impl<'r, 'a> Lower<'r, 'a> {
    pub fn new(rt: &'r mut RTyper<'a>, gid: GraphId) -> Lower<'r, 'a> {
        let ag = &rt.ann.graphs[gid.0 as usize];
        let hl = ag.graph.clone();
        let name = ag.name.clone();
        let (params, ret_repr) = rt.signature_of(gid);
        let ret = ret_repr.lltype();
        let mut g: Graph<Ll> = Graph::new(name, hl.span, ret);
        let eb = g.exceptblock;
        let (et, ev) = (g.block(eb).inputargs[0], g.block(eb).inputargs[1]);
        g.vars[et.0 as usize].ty = TypeId::VTABLE_PTR;
        g.vars[ev.0 as usize].ty = TypeId::OBJECT_PTR;
        let nvars = hl.vars.len();
        let start = g.startblock;
        Lower { rt, gid, hl, g, cur: start, vars: vec![None; nvars], reprs: vec![None; nvars], blocks: HashMap::new(), span: Span::DUMMY, site: (BlockId(0), 0), params, ret: ret_repr, callee_override: None, last_op_start: None }
    }

    // ----- small tools ---------------------------------------------------------------

    pub fn ann(&self, v: Var) -> &SomeValue {
        self.rt.ann.binding(self.gid, v)
    }

    pub fn var_repr(&mut self, v: Var) -> Repr {
        if let Some(r) = &self.reprs[v.0 as usize] {
            return r.clone();
        }
        let a = self.ann(v).clone();
        let r = self.rt.repr_of(&a);
        self.reprs[v.0 as usize] = Some(r.clone());
        r
    }

    pub fn opnd_repr(&mut self, o: &Opnd) -> Repr {
        match o {
            Opnd::Var(v) => self.var_repr(*v),
            Opnd::Const(c) => self.rt.const_repr(c),
        }
    }

    /// An operand's low-level value in its own representation.
    pub fn arg(&mut self, o: &Opnd) -> (LlValue, Repr) {
        match o {
            Opnd::Var(v) => {
                let r = self.var_repr(*v);
                let val = self.vars[v.0 as usize].clone().unwrap_or(c(LlConst::Void));
                (val, r)
            }
            Opnd::Const(k) => {
                let r = self.rt.const_repr(k);
                (self.constant(k, &r), r)
            }
        }
    }

    /// An operand converted to representation `to`.
    pub fn arg_as(&mut self, o: &Opnd, to: &Repr) -> LlValue {
        if let Opnd::Const(k) = o {
            return self.constant(k, to);
        }
        if let Opnd::Var(x) = o {
            if self.ann(*x).is_impossible() && !to.is_void() {
                // A local unbound on every path here (its flag says so before any read).
                return c(crate::prebuilt::zero_of(&self.rt.ll.types, to.lltype()));
            }
        }
        let (v, r) = self.arg(o);
        if r.is_void() && !to.is_void() {
            if let Opnd::Var(x) = o {
                // A variable that is one known class or function (no run-time value)
                // going where several are possible: that constant, not a null.
                if let SomeValue::Pbc { descs, can_be_none: false } = self.ann(*x) {
                    if let [kiln_annotator::Desc::Class(k) | kiln_annotator::Desc::Function(k)] = descs.iter().collect::<Vec<_>>()[..] {
                        let k = Value::Obj(*k);
                        return self.constant(&k, to);
                    }
                }
            }
        }
        self.convert(v, &r, to)
    }

    pub fn constant(&mut self, k: &Value, r: &Repr) -> LlValue {
        if let Value::Obj(o) = k {
            if matches!(self.rt.prog.heap.get(*o), kiln_frontend::Object::Builtin(kiln_frontend::Builtin::Unbound)) {
                // The value of a local where it is unbound: never read (its flag is false).
                return LlValue::Const(crate::prebuilt::zero_of(&self.rt.ll.types, r.lltype()));
            }
        }
        match self.rt.constant(k, r) {
            Ok(c) => LlValue::Const(c),
            Err(what) => {
                self.internal(format!("cannot make a constant of {what}"));
                LlValue::Const(crate::prebuilt::zero_of(&self.rt.ll.types, r.lltype()))
            }
        }
    }

    /// An internal compiler error, naming the function being lowered and pointing at the
    /// operation (or, outside any operation, at the function's definition).
    pub fn internal(&mut self, msg: String) {
        let name = self.rt.ann.graphs[self.gid.0 as usize].name.clone();
        let d = if self.span.is_dummy() {
            Diagnostic::internal(format!("rtyper: {msg} (in function '{name}')")).with_primary(self.hl.span, format!("while lowering `{name}`"))
        } else {
            Diagnostic::internal(format!("rtyper: {msg} (in function '{name}')")).with_primary(self.span, format!("while lowering this operation of `{name}`"))
        };
        self.rt.error(d);
    }

    pub fn user_error(&mut self, code: &'static str, msg: impl Into<String>, note: &str) {
        let d = Diagnostic::error(code, msg).with_primary(self.span, "here").with_note(note);
        self.rt.error(d);
    }

    /// Appends `op(args) -> ty` to the current block.
    pub fn genop(&mut self, op: LlOp, args: Vec<LlValue>, ty: TypeId) -> LlValue {
        let result = self.g.new_var(None, ty);
        let span = self.span;
        self.g.block_mut(self.cur).ops.push(Operation { op, args, result, span });
        LlValue::Var(result)
    }

    pub fn rtcall(&mut self, f: RtFn, args: Vec<LlValue>, ty: TypeId) -> LlValue {
        self.genop(LlOp::RtCall(f), args, ty)
    }

    pub fn call(&mut self, f: FuncId, args: Vec<LlValue>) -> LlValue {
        let fc = self.rt.ll.func_const(f);
        let ret = match self.rt.ll.types.get(self.rt.ll.func(f).ty) {
            kiln_lltype::LlType::Func { ret, .. } => *ret,
            _ => TypeId::VOID,
        };
        let mut a = vec![c(fc)];
        a.extend(args);
        self.genop(LlOp::DirectCall, a, ret)
    }

    /// Calls a helper graph (built on first use).
    pub fn helper(&mut self, h: Helper, args: Vec<LlValue>) -> LlValue {
        let f = self.rt.helper(h);
        self.call(f, args)
    }

    pub fn cast(&mut self, v: LlValue, to: TypeId) -> LlValue {
        let from = self.value_type(&v);
        if from == to {
            return v;
        }
        if let LlValue::Const(k) = &v {
            match k {
                LlConst::Null(_) => return c(LlConst::Null(to)),
                LlConst::Static(s, _) => return c(LlConst::Static(*s, to)),
                _ => {}
            }
        }
        self.genop(LlOp::CastPointer, vec![v], to)
    }

    pub fn value_type(&self, v: &LlValue) -> TypeId {
        match v {
            LlValue::Var(x) => *self.g.var_type(*x),
            LlValue::Const(k) => k.ty(),
        }
    }

    /// Converts a value between representations of compatible annotations.
    pub fn convert(&mut self, v: LlValue, from: &Repr, to: &Repr) -> LlValue {
        if from == to {
            return v;
        }
        match (from, to) {
            (_, Repr::Void) => c(LlConst::Void),
            (Repr::Void, r) if r.is_ptr() => c(LlConst::Null(r.lltype())),
            (Repr::Bool, Repr::Int) => self.genop(LlOp::CastBoolToInt, vec![v], TypeId::SIGNED),
            (Repr::Bool, Repr::Float) => self.genop(LlOp::CastBoolToFloat, vec![v], TypeId::FLOAT),
            (Repr::Int, Repr::Float) => self.genop(LlOp::CastIntToFloat, vec![v], TypeId::FLOAT),
            (Repr::Int, Repr::Uint) => self.genop(LlOp::CastIntToUint, vec![v], TypeId::UNSIGNED),
            (Repr::Uint, Repr::Int) => self.genop(LlOp::CastUintToInt, vec![v], TypeId::SIGNED),
            (Repr::Int, Repr::Bool) => self.genop(LlOp::IntIsTrue, vec![v], TypeId::BOOL),
            // A float that may be a bool (rboolfloat.rs): a float is itself, a bool its
            // pattern; read as a number, True is 1.0.
            (Repr::Float, Repr::FloatOrBool) => v,
            (Repr::Int, Repr::FloatOrBool) => self.genop(LlOp::CastIntToFloat, vec![v], TypeId::FLOAT),
            (Repr::Bool, Repr::FloatOrBool) => self.box_bool(v),
            (Repr::FloatOrBool, Repr::Float) => self.unbox_float(v),
            (Repr::FloatOrBool, Repr::Bool) => {
                let f = self.unbox_float(v);
                self.genop(LlOp::FloatIsTrue, vec![f], TypeId::BOOL)
            }
            (Repr::Char, Repr::Str) => self.rtcall(RtFn::StrFromChar, vec![v], TypeId::STR_PTR),
            (Repr::Instance { .. }, Repr::Instance { ptr, .. }) | (Repr::ClassOf { .. }, Repr::ClassOf { ptr, .. }) => self.cast(v, *ptr),
            (Repr::List(a), Repr::List(b)) if a.ptr == b.ptr => v,
            (Repr::Tuple(a), Repr::Tuple(b)) if a.items.len() == b.items.len() => {
                if a.ptr == b.ptr {
                    return v;
                }
                // Rebuild the tuple with converted items.
                let (a, b) = (a.clone(), b.clone());
                let mut items = Vec::new();
                for (i, (ra, rb)) in a.items.iter().zip(b.items.iter()).enumerate() {
                    let f = kiln_lltype::FieldRef { strukt: a.strukt, index: i as u32 };
                    let x = if ra.is_void() { c(LlConst::Void) } else { self.genop(LlOp::GetField(f), vec![v.clone()], ra.lltype()) };
                    items.push(self.convert(x, ra, rb));
                }
                self.new_tuple(&b, items)
            }
            _ => {
                self.internal(format!("no conversion from {from:?} to {to:?}"));
                c(crate::prebuilt::zero_of(&self.rt.ll.types, to.lltype()))
            }
        }
    }

    pub fn new_tuple(&mut self, tr: &crate::repr::TupleRepr, items: Vec<LlValue>) -> LlValue {
        let p = self.genop(LlOp::Malloc, vec![], tr.ptr);
        for (i, (it, r)) in items.into_iter().zip(tr.items.iter()).enumerate() {
            if r.is_void() {
                continue;
            }
            let f = kiln_lltype::FieldRef { strukt: tr.strukt, index: i as u32 };
            self.genop(LlOp::SetField(f), vec![p.clone(), it], TypeId::VOID);
        }
        p
    }

    // ----- the graph ---------------------------------------------------------------

    fn ll_block(&mut self, hb: BlockId) -> BlockId {
        if let Some(&b) = self.blocks.get(&hb) {
            return b;
        }
        let inputs: Vec<Var> = self.hl.block(hb).inputargs.clone();
        let mut ll_inputs = Vec::new();
        let is_start = hb == self.hl.startblock;
        let mut entry_conversions = Vec::new();
        for (k, v) in inputs.into_iter().enumerate() {
            let r = self.var_repr(v);
            // Parameters take the declared signature (a vtable slot's), converted below.
            let declared = if is_start { self.params.get(k).cloned().unwrap_or_else(|| r.clone()) } else { r.clone() };
            if declared.is_void() {
                self.vars[v.0 as usize] = Some(c(LlConst::Void));
                continue;
            }
            let name = self.hl.var(v).name.clone();
            let nv = self.g.new_var(name.as_deref(), declared.lltype());
            self.g.vars[nv.0 as usize].span = self.hl.var(v).span;
            self.vars[v.0 as usize] = Some(LlValue::Var(nv));
            ll_inputs.push(nv);
            if declared != r {
                entry_conversions.push((v, LlValue::Var(nv), declared, r));
            }
        }
        if !entry_conversions.is_empty() {
            let saved = self.cur;
            self.cur = self.g.startblock;
            for (v, val, from, to) in entry_conversions {
                let x = self.convert(val, &from, &to);
                self.vars[v.0 as usize] = Some(x);
            }
            self.cur = saved;
        }
        let b = if hb == self.hl.startblock {
            let s = self.g.startblock;
            self.g.block_mut(s).inputargs = ll_inputs;
            s
        } else if hb == self.hl.returnblock {
            self.g.returnblock
        } else if hb == self.hl.exceptblock {
            self.g.exceptblock
        } else {
            self.g.add_block(ll_inputs)
        };
        self.blocks.insert(hb, b);
        b
    }

    fn reached(&self, hb: BlockId) -> bool {
        self.rt.ann.graphs[self.gid.0 as usize].reached[hb.0 as usize]
    }

    pub fn lower(mut self) -> Graph<Ll> {
        // The return and except blocks keep their fixed identities.
        let rb = self.hl.returnblock;
        self.blocks.insert(rb, self.g.returnblock);
        self.blocks.insert(self.hl.exceptblock, self.g.exceptblock);
        kiln_diagnostics::whereabouts::enter_function(&self.rt.ann.graphs[self.gid.0 as usize].name, self.hl.span);
        let order = self.hl.reachable_blocks();
        for hb in order.iter().copied() {
            if self.hl.is_final(hb) || !self.reached(hb) {
                continue;
            }
            let b = self.ll_block(hb);
            self.cur = b;
            self.lower_block(hb);
        }
        // Blocks created but never lowered would be unreachable; drop them.
        self.g.remove_unreachable();
        // Values used across blocks split after lowering get passed along the links.
        self.g.thread_free_vars();
        self.g
    }

    fn lower_block(&mut self, hb: BlockId) {
        let hl = self.hl.clone();
        let block = hl.block(hb);
        self.last_op_start = None;
        for (i, op) in block.ops.iter().enumerate() {
            self.span = op.span;
            kiln_diagnostics::whereabouts::at(op.span);
            self.site = (hb, i as u32);
            if i + 1 == block.ops.len() && self.last_op_start.is_none() {
                self.last_op_start = Some((self.cur, self.g.block(self.cur).ops.len()));
            }
            // `ovfcheck(a + b)`: the checked operation is the one before the call, and it
            // is what raises inside the `try`.
            if i + 2 == block.ops.len() && self.is_ovfcheck_of(&block.ops[i + 1], op.result) {
                self.last_op_start = Some((self.cur, self.g.block(self.cur).ops.len()));
            }
            if self.ann(op.result).is_impossible() && !matches!(self.ann(op.result), SomeValue::Object) {
                // The operation never produces a value (a call that always raises, a
                // lookup in a dict that never holds anything): lower it for its effect.
                // Its handlers, if it is the raising op of a `try`, stay; the normal
                // path is unreachable.
                self.emit_null_checks(op);
                if !self.emit_certain_raise() {
                    let _ = self.lower_op(op);
                }
                if i + 1 == block.ops.len() && block.exitswitch == ExitSwitch::LastException {
                    // The normal exit (first) stays, leading nowhere; handlers the
                    // annotator reached stay.
                    let exits: Vec<Link<Value>> = block.exits.iter().enumerate().filter(|(k, l)| *k == 0 || self.hl.is_final(l.target) || self.reached(l.target)).map(|(_, l)| l.clone()).collect();
                    self.lower_catching_exits(hb, &exits, true);
                } else {
                    self.end_unreachable();
                }
                return;
            }
            self.emit_null_checks(op);
            let v = self.lower_op(op);
            self.vars[op.result.0 as usize] = Some(v);
        }
        let mut exits: Vec<Link<Value>> = Vec::new();
        for l in &block.exits {
            if self.hl.is_final(l.target) || self.reached(l.target) {
                exits.push(l.clone());
            }
        }
        match &block.exitswitch {
            ExitSwitch::None => {
                if let Some(l) = exits.first() {
                    self.lower_link(l, LinkCase::Always);
                } else {
                    self.end_unreachable();
                }
            }
            ExitSwitch::Value(sw) => {
                // Only the links the annotator could take remain.
                let known = match sw {
                    Opnd::Const(k) => Some(k.clone()),
                    Opnd::Var(v) => match self.ann(*v) {
                        SomeValue::Bool { konst: Some(b) } => Some(Value::Bool(*b)),
                        _ => None,
                    },
                };
                if let Some(k) = known {
                    let taken = exits.iter().find(|l| match (&l.case, &k) {
                        (LinkCase::Bool(b), Value::Bool(x)) => b == x,
                        (LinkCase::Int(i), Value::Int(x)) => i == x,
                        (LinkCase::Default, _) => true,
                        _ => false,
                    });
                    match taken.cloned() {
                        Some(l) => self.lower_link(&l, LinkCase::Always),
                        None => self.end_unreachable(),
                    }
                    return;
                }
                if exits.len() == 1 {
                    let l = exits[0].clone();
                    self.lower_link(&l, LinkCase::Always);
                    return;
                }
                // Conversions for every link happen in this block, before the switch.
                let (swv, _) = self.arg(sw);
                let mut ll_exits = Vec::new();
                for l in &exits {
                    let mut link = self.link_to(l);
                    link.case = l.case.clone().map_const();
                    ll_exits.push(link);
                }
                let b = self.g.block_mut(self.cur);
                b.exitswitch = ExitSwitch::Value(swv);
                b.exits = ll_exits;
            }
            ExitSwitch::LastException => self.lower_catching_exits(hb, &exits, false),
        }
    }

    /// Whether `call` is `ovfcheck(v)`.
    fn is_ovfcheck_of(&self, call: &Operation<Hl>, v: Var) -> bool {
        matches!(call.op, kiln_flowspace::HlOp::Call(_))
            && matches!(call.args.first(), Some(Opnd::Const(Value::Obj(o))) if matches!(self.rt.prog.heap.get(*o), kiln_frontend::Object::Builtin(kiln_frontend::Builtin::Ovfcheck)))
            && call.args.get(1) == Some(&Opnd::Var(v))
    }

    /// Ends the current block where control cannot continue: returns a zero value
    /// (never reached at run time; the exception transform's check comes first).
    fn end_unreachable(&mut self) {
        let ret = *self.g.var_type(self.g.return_var());
        let z = crate::prebuilt::zero_of(&self.rt.ll.types, ret);
        let rb = self.g.returnblock;
        let b = self.g.block_mut(self.cur);
        b.exitswitch = ExitSwitch::None;
        b.exits = vec![Link::new(rb, vec![c(z)])];
    }

    /// Lowers a link's arguments (with conversions) and ends the current block with an
    /// unconditional jump to its target.
    fn lower_link(&mut self, l: &Link<Value>, case: LinkCase<LlConst>) {
        let link = self.link_to(l).with_case(case);
        let b = self.g.block_mut(self.cur);
        b.exitswitch = ExitSwitch::None;
        b.exits = vec![link];
    }

    /// The low-level link for `l`, its argument conversions appended to the current block.
    fn link_to(&mut self, l: &Link<Value>) -> Link<LlConst> {
        let target = self.ll_block(l.target);
        let args = self.link_args(l);
        let mut link = Link::new(target, args);
        link.arg_spans = l.arg_spans.clone();
        link
    }

    /// Makes block `b` self-contained: every variable it uses but does not define becomes
    /// a new input. Returns the values to pass for those inputs, in order.
    fn close_block(&mut self, b: BlockId) -> Vec<LlValue> {
        let block = self.g.block(b).clone();
        let mut defined: std::collections::HashSet<Var> = block.inputargs.iter().copied().collect();
        let mut free: Vec<Var> = Vec::new();
        let note = |v: &LlValue, defined: &std::collections::HashSet<Var>, free: &mut Vec<Var>| {
            if let LlValue::Var(x) = v {
                if !defined.contains(x) && !free.contains(x) {
                    free.push(*x);
                }
            }
        };
        for op in &block.ops {
            for a in &op.args {
                note(a, &defined, &mut free);
            }
            defined.insert(op.result);
        }
        if let ExitSwitch::Value(v) = &block.exitswitch {
            note(v, &defined, &mut free);
        }
        for l in &block.exits {
            let mut d = defined.clone();
            d.extend(l.last_exception);
            d.extend(l.last_exc_value);
            for a in &l.args {
                note(a, &d, &mut free);
            }
        }
        let renamed: HashMap<Var, Var> = free.iter().map(|v| (*v, self.g.copy_var(*v))).collect();
        let fix = |v: &mut LlValue| {
            if let LlValue::Var(x) = v {
                if let Some(n) = renamed.get(x) {
                    *v = LlValue::Var(*n);
                }
            }
        };
        let blk = self.g.block_mut(b);
        for op in &mut blk.ops {
            op.args.iter_mut().for_each(fix);
        }
        if let ExitSwitch::Value(v) = &mut blk.exitswitch {
            fix(v);
        }
        for l in &mut blk.exits {
            l.args.iter_mut().for_each(fix);
        }
        blk.inputargs.extend(free.iter().map(|v| renamed[v]));
        free.into_iter().map(LlValue::Var).collect()
    }

    fn link_args(&mut self, l: &Link<Value>) -> Vec<LlValue> {
        let inputs = self.hl.block(l.target).inputargs.clone();
        let mut args = Vec::new();
        if l.target == self.hl.exceptblock {
            // Raising: the class and instance as the exception transform expects them.
            let (t, _) = self.arg(&l.args[0]);
            let (v, _) = self.arg(&l.args[1]);
            let t = self.cast(t, TypeId::VTABLE_PTR);
            let v = self.cast(v, TypeId::OBJECT_PTR);
            return vec![t, v];
        }
        if l.target == self.hl.returnblock {
            // The return block always has its one input, typed Void for None results, and
            // the declared result representation.
            let to = self.ret.clone();
            let v = if to.is_void() { c(LlConst::Void) } else { self.arg_as(&l.args[0], &to) };
            return vec![v];
        }
        for (a, input) in l.args.iter().zip(inputs) {
            let to = self.var_repr(input);
            if to.is_void() {
                continue;
            }
            let v = self.arg_as(a, &to);
            args.push(v);
        }
        args
    }

    /// A block whose last operation may raise: the normal link, then the exception links
    /// with their classes as vtable constants.
    /// Ends a block whose last op raises into handlers. With `normal_unreachable`, the
    /// op never returns normally (the annotator found no result), so the normal exit
    /// leads nowhere.
    fn lower_catching_exits(&mut self, _hb: BlockId, exits: &[Link<Value>], normal_unreachable: bool) {
        let src = self.cur;
        // The raising op must be the last one: move anything lowered after it (result
        // conversions) onto the normal path.
        let ops = &self.g.block(src).ops;
        let first = match self.last_op_start {
            Some((b, i)) if b == src => i,
            _ => ops.len(),
        };
        let last_raising = ops.iter().rposition(|o| o.op.info().can_raise).filter(|&i| i >= first);
        let Some(lr) = last_raising else {
            // Lowered to something that cannot raise: the handlers are unreachable.
            if let Some(l) = exits.first().filter(|l| l.case == LinkCase::Always) {
                let l = l.clone();
                self.lower_link(&l, LinkCase::Always);
            } else {
                self.end_unreachable();
            }
            return;
        };
        let tail: Vec<Operation<Ll>> = self.g.block_mut(src).ops.drain(lr + 1..).collect();
        let mut ll_exits = Vec::new();
        for l in exits {
            let nb = self.g.add_block(Vec::new());
            self.cur = nb;
            match &l.case {
                LinkCase::Always if normal_unreachable => {
                    self.end_unreachable();
                    ll_exits.push(Link::new(nb, Vec::new()));
                }
                LinkCase::Always => {
                    self.g.block_mut(nb).ops.extend(tail.iter().cloned());
                    self.lower_link(l, LinkCase::Always);
                    let free = self.close_block(nb);
                    ll_exits.push(Link::new(nb, free));
                }
                LinkCase::Exception(Value::Obj(cls)) => {
                    // The handler's first block receives the exception, then whatever
                    // else its link needs.
                    let er = match l.last_exc_value {
                        Some(v) => self.var_repr(v),
                        None => Repr::Void,
                    };
                    let ev_ty = if er.is_void() { TypeId::OBJECT_PTR } else { er.lltype() };
                    let (in_t, in_v) = (self.g.new_var(Some("etype"), TypeId::VTABLE_PTR), self.g.new_var(Some("evalue"), ev_ty));
                    self.g.block_mut(nb).inputargs = vec![in_t, in_v];
                    if let Some(v) = l.last_exception {
                        self.vars[v.0 as usize] = Some(LlValue::Var(in_t));
                        self.reprs[v.0 as usize] = Some(Repr::Void);
                    }
                    if let Some(v) = l.last_exc_value {
                        self.vars[v.0 as usize] = Some(LlValue::Var(in_v));
                    }
                    self.lower_link(l, LinkCase::Always);
                    let free = self.close_block(nb);
                    let Some(ci) = self.rt.class_of_obj(*cls) else {
                        self.internal("an exception class without a class repr".into());
                        continue;
                    };
                    let vt = self.rt.vtable_const(ci, TypeId::VTABLE_PTR);
                    let et = self.g.new_var(Some("etype"), TypeId::VTABLE_PTR);
                    let ev = self.g.new_var(Some("evalue"), ev_ty);
                    let mut args = vec![LlValue::Var(et), LlValue::Var(ev)];
                    args.extend(free);
                    ll_exits.push(Link { target: nb, args, case: LinkCase::Exception(vt), last_exception: Some(et), last_exc_value: Some(ev), arg_spans: Vec::new() });
                }
                other => self.internal(format!("unexpected exception link case {other:?}")),
            }
        }
        // Several ops that raise (a check, then the operation itself): each one ends a
        // block with the same handlers, and the next continues on its normal path.
        // Only the ops of the catching operation itself: earlier raising ops of the block
        // are outside the `try` and propagate.
        let raising: Vec<usize> = self.g.block(src).ops.iter().enumerate().filter(|(i, o)| *i >= first && o.op.info().can_raise).map(|(i, _)| i).collect();
        let mut last = src;
        if raising.len() > 1 {
            let ops = std::mem::take(&mut self.g.block_mut(src).ops);
            let mut segments: Vec<Vec<Operation<Ll>>> = Vec::new();
            let mut start = 0;
            // The first segment also holds everything before the catching operation.
            for &r in &raising {
                segments.push(ops[start..=r].to_vec());
                start = r + 1;
            }
            segments.last_mut().expect("at least two segments").extend(ops[start..].iter().cloned());
            let mut cur = src;
            for (k, seg) in segments.into_iter().enumerate() {
                if k > 0 {
                    let nb = self.g.add_block(Vec::new());
                    let handlers = self.fresh_exception_links(&ll_exits[1..]);
                    let prev = self.g.block_mut(cur);
                    prev.exitswitch = ExitSwitch::LastException;
                    prev.exits = std::iter::once(Link::new(nb, Vec::new())).chain(handlers).collect();
                    cur = nb;
                }
                self.g.block_mut(cur).ops = seg;
            }
            last = cur;
        }
        let b = self.g.block_mut(last);
        b.exitswitch = ExitSwitch::LastException;
        b.exits = ll_exits;
        self.cur = src;
    }

    /// Copies of exception links with fresh variables for the exception they bind (each
    /// link defines its own).
    fn fresh_exception_links(&mut self, links: &[Link<LlConst>]) -> Vec<Link<LlConst>> {
        let mut out = Vec::new();
        for l in links {
            let mut l = l.clone();
            for slot in [&mut l.last_exception, &mut l.last_exc_value] {
                if let Some(old) = *slot {
                    let nv = self.g.copy_var(old);
                    for a in &mut l.args {
                        if *a == LlValue::Var(old) {
                            *a = LlValue::Var(nv);
                        }
                    }
                    *slot = Some(nv);
                }
            }
            out.push(l);
        }
        out
    }
}

trait MapConst {
    fn map_const(self) -> LinkCase<LlConst>;
}

impl MapConst for LinkCase<Value> {
    /// Switch cases carry no constants except exception cases, handled separately.
    fn map_const(self) -> LinkCase<LlConst> {
        match self {
            LinkCase::Always => LinkCase::Always,
            LinkCase::Bool(b) => LinkCase::Bool(b),
            LinkCase::Int(i) => LinkCase::Int(i),
            LinkCase::Char(ch) => LinkCase::Char(ch),
            LinkCase::Default => LinkCase::Default,
            LinkCase::Exception(_) => LinkCase::Default,
        }
    }
}
