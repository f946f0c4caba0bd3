//! Null checks before operations on values that may be None: the annotator records
//! them (`kiln_annotator::nullness`), and each becomes a call to a small helper graph
//! that raises CPython's exception (`AttributeError: 'NoneType' object has no attribute
//! 'left'`, `TypeError: 'NoneType' object is not subscriptable`, ...) when the operand is
//! null. Operations the annotator proved non-None have no record, hence no check.
//! Operations the annotator found always raise (W0306) become a call of a helper that
//! raises CPython's exception.

use kiln_flowgraph::{Operation, Span};
use kiln_flowspace::Hl;
use kiln_lltype::builder::{c, v, LlBuilder};
use kiln_lltype::{FuncKind, LlConst, LlFunc, LlOp, TypeId};

use crate::lower::Lower;
use crate::RTyper;

impl<'r, 'a> Lower<'r, 'a> {
    /// Emits the null checks the annotator asked for on the current operation's operands.
    pub fn emit_null_checks(&mut self, op: &Operation<Hl>) {
        let Some(checks) = self.rt.ann.null_checks.get(&(self.gid, self.site.0, self.site.1)) else { return };
        for chk in checks.clone() {
            let Some(o) = op.args.get(chk.arg as usize) else { continue };
            let (val, r) = self.arg(o);
            if !r.is_ptr() {
                // A representation with no null (a single function): never None.
                continue;
            }
            let ty = self.value_type(&val);
            let f = self.rt.null_check_fn(ty, chk.exc);
            let msg = c(self.rt.ll.str_const(&chk.message));
            self.call(f, vec![val, msg]);
        }
    }

    /// Lowers the current operation to the raise the annotator found certain
    /// (`kiln_annotator::bytes::CertainRaise`: `"a" + b"b"` is CPython's TypeError
    /// whatever the values), if it found one: a call of a helper that raises. Returns
    /// whether it did.
    pub fn emit_certain_raise(&mut self) -> bool {
        let Some(r) = self.rt.ann.certain_raises.get(&(self.gid, self.site.0, self.site.1)).cloned() else { return false };
        let f = self.rt.raise_fn(r.exc);
        let msg = c(self.rt.ll.str_const(&r.message));
        self.call(f, vec![msg]);
        true
    }
}

impl<'a> RTyper<'a> {
    /// `ll_raise_<exc>(msg)`: raises `exc(msg)`. One per exception class.
    fn raise_fn(&mut self, exc: &'static str) -> kiln_lltype::FuncId {
        if let Some(&f) = self.raise_fns.get(exc) {
            return f;
        }
        let name = format!("ll_raise_{exc}");
        let (mut b, p) = LlBuilder::new(&name, &[TypeId::STR_PTR], TypeId::VOID, Span::DUMMY);
        self.raise_named_with_message(&mut b, exc, v(p[0]));
        let graph = b.finish();
        let fty = self.ll.types.func(vec![TypeId::STR_PTR], TypeId::VOID);
        let f = self.ll.add_func(LlFunc { name, graph, ty: fty, kind: FuncKind::Helper, hints: Default::default() });
        self.raise_fns.insert(exc, f);
        f
    }

    /// `ll_null_check(p, msg)`: raises `exc(msg)` when `p` is null. One per pointer type
    /// and exception class.
    fn null_check_fn(&mut self, ty: TypeId, exc: &'static str) -> kiln_lltype::FuncId {
        if let Some(&f) = self.null_checks.get(&(ty, exc)) {
            return f;
        }
        let name = format!("ll_null_check_{}_{}", exc, self.ll.types.name(ty));
        let (mut b, p) = LlBuilder::new(&name, &[ty, TypeId::STR_PTR], TypeId::VOID, Span::DUMMY);
        let null = b.op(LlOp::PtrIsNull, vec![v(p[0])], TypeId::BOOL);
        let (err, ev) = b.new_block(&[TypeId::STR_PTR]);
        let rb = b.graph.returnblock;
        b.branch(v(null), (err, vec![v(p[1])]), (rb, vec![c(LlConst::Void)]));
        b.switch_to(err);
        self.raise_named_with_message(&mut b, exc, v(ev[0]));
        let graph = b.finish();
        let fty = self.ll.types.func(vec![ty, TypeId::STR_PTR], TypeId::VOID);
        let f = self.ll.add_func(LlFunc { name, graph, ty: fty, kind: FuncKind::Helper, hints: Default::default() });
        self.null_checks.insert((ty, exc), f);
        f
    }
}
