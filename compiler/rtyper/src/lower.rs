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
}

fn c(v: LlConst) -> LlValue {
    LlValue::Const(v)
}

impl<'r, 'a> Lower<'r, 'a> {
    pub fn new(rt: &'r mut RTyper<'a>, gid: GraphId) -> Lower<'r, 'a> {
        let ag = &rt.ann.graphs[gid.0 as usize];
        let hl = ag.graph.clone();
        let ret = ag.binding(hl.return_var()).clone();
        let ret = rt.repr_of(&ret).lltype();
        let mut g: Graph<Ll> = Graph::new(ag.name.clone(), hl.span, ret);
        let eb = g.exceptblock;
        let (et, ev) = (g.block(eb).inputargs[0], g.block(eb).inputargs[1]);
        g.vars[et.0 as usize].ty = TypeId::VTABLE_PTR;
        g.vars[ev.0 as usize].ty = TypeId::OBJECT_PTR;
        let nvars = hl.vars.len();
        let start = g.startblock;
        Lower { rt, gid, hl, g, cur: start, vars: vec![None; nvars], reprs: vec![None; nvars], blocks: HashMap::new(), span: Span::DUMMY, site: (BlockId(0), 0) }
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
        let (v, r) = self.arg(o);
        self.convert(v, &r, to)
    }

    pub fn constant(&mut self, k: &Value, r: &Repr) -> LlValue {
        match self.rt.constant(k, r) {
            Ok(c) => LlValue::Const(c),
            Err(what) => {
                self.internal(format!("cannot make a constant of {what}"));
                LlValue::Const(crate::prebuilt::zero_of(&self.rt.ll.types, r.lltype()))
            }
        }
    }

    pub fn internal(&mut self, msg: String) {
        let d = Diagnostic::internal(format!("rtyper: {msg}")).with_primary(self.span, "while lowering this operation");
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
        for v in inputs {
            let r = self.var_repr(v);
            if r.is_void() {
                self.vars[v.0 as usize] = Some(c(LlConst::Void));
                continue;
            }
            let name = self.hl.var(v).name.clone();
            let nv = self.g.new_var(name.as_deref(), r.lltype());
            self.g.vars[nv.0 as usize].span = self.hl.var(v).span;
            self.vars[v.0 as usize] = Some(LlValue::Var(nv));
            ll_inputs.push(nv);
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
        let rv = self.hl.return_var();
        let rr = self.var_repr(rv);
        if !rr.is_void() {
            self.vars[rv.0 as usize] = Some(LlValue::Var(self.g.return_var()));
        }
        self.blocks.insert(rb, self.g.returnblock);
        self.blocks.insert(self.hl.exceptblock, self.g.exceptblock);
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
        self.g
    }

    fn lower_block(&mut self, hb: BlockId) {
        let hl = self.hl.clone();
        let block = hl.block(hb);
        for (i, op) in block.ops.iter().enumerate() {
            self.span = op.span;
            self.site = (hb, i as u32);
            if self.ann(op.result).is_impossible() && !matches!(self.ann(op.result), SomeValue::Object) {
                // The operation never produces a value (a call that always raises, or a
                // block the annotator never got past): lower it for its effect, then end
                // the block, whose rest is unreachable.
                let _ = self.lower_op(op);
                self.end_unreachable();
                return;
            }
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
            ExitSwitch::LastException => self.lower_catching_exits(hb, &exits),
        }
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
        let mut note = |v: &LlValue, defined: &std::collections::HashSet<Var>, free: &mut Vec<Var>| {
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
    fn lower_catching_exits(&mut self, _hb: BlockId, exits: &[Link<Value>]) {
        let src = self.cur;
        // The raising op must be the last one: move anything lowered after it (result
        // conversions) onto the normal path.
        let ops = &self.g.block(src).ops;
        let last_raising = ops.iter().rposition(|o| o.op.info().can_raise);
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
        let b = self.g.block_mut(src);
        b.exitswitch = ExitSwitch::LastException;
        b.exits = ll_exits;
        self.cur = src;
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
