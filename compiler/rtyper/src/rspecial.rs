//! `__str__` on exception classes: `str(e)`, `print(e)`, f-strings and `%s` call the
//! method of e's class, and an uncaught exception whose class defines it prints what it
//! returns, as CPython does. `str(x)`, `print(x)` and `f"{x}"` of an ordinary instance
//! whose classes all define `__str__` dispatch the same way. Dispatch is on the exact class id, through one helper per
//! static class (`ll_str_dispatch_*`), so classes without `__str__` keep the message
//! given to the constructor.

use kiln_annotator::{ClassDefId, GraphId};
use kiln_flowgraph::{ExitSwitch, Link, LinkCase};
use kiln_frontend::Value;
use kiln_lltype::builder::{c, v, LlBuilder};
use kiln_lltype::{FieldRef, LlConst, LlOp, TypeId};

use crate::repr::Repr;
use crate::RTyper;

impl RTyper<'_> {
    /// The classes at or below `root` (class-table indices) whose `__str__` is a
    /// user-defined method with an annotated graph, with that graph.
    pub(crate) fn str_impls_below(&mut self, root: ClassDefId) -> Vec<(usize, GraphId)> {
        let ri = self.class_of_cdef(root);
        let mut out = Vec::new();
        let mut stack = vec![ri];
        while let Some(ci) = stack.pop() {
            if let Some((owner, Value::Obj(f))) = self.prog.heap.class_lookup(self.classes[ci].class, "__str__") {
                let user = self.prog.heap.class(owner).is_some_and(|k| !k.builtin) && self.prog.heap.function(f).is_some();
                if let (true, Some(g)) = (user, self.graph_of_func(f)) {
                    out.push((ci, g));
                }
            }
            stack.extend(self.classes[ci].children.iter().copied());
        }
        out
    }

    /// `ll_str_dispatch(obj) -> str`: calls the `__str__` of obj's exact class when it is
    /// one of `impls`; otherwise the exception's message (`raw`: the field itself, null
    /// for none; else `""` for none, as `str(e)`). Not `raw`, a null `obj` is `"None"`
    /// (`str(x)` where x may be None). For a root that is not an exception class
    /// (`exc` false), the annotator checked that every class below finds a user
    /// `__str__`, so the fallback cannot run; it raises TypeError rather than read a
    /// message field such objects do not have.
    pub(crate) fn build_str_dispatch(&mut self, impls: &[(usize, GraphId)], raw: bool, exc: bool, name: &str) -> kiln_lltype::LlGraph {
        let span = kiln_diagnostics::Span::DUMMY;
        let (mut b, p) = LlBuilder::new(name, &[TypeId::OBJECT_PTR], TypeId::STR_PTR, span);
        let obj = v(p[0]);
        let rb = b.graph.returnblock;
        if !raw {
            let null = b.op(LlOp::PtrIsNull, vec![obj.clone()], TypeId::BOOL);
            let (go, _) = b.new_block(&[]);
            let none = self.ll.str_const("None");
            b.branch(v(null), (rb, vec![c(none)]), (go, vec![]));
            b.switch_to(go);
        }
        let vt = b.op(LlOp::GetField(FieldRef { strukt: TypeId::OBJECT, index: 0 }), vec![obj.clone()], TypeId::VTABLE_PTR);
        let id = b.op(LlOp::GetField(FieldRef { strukt: TypeId::VTABLE, index: 0 }), vec![v(vt)], TypeId::SIGNED);
        for &(ci, g) in impls {
            let own_id = self.classes[ci].range.0;
            let is = b.op(LlOp::IntEq, vec![v(id), c(LlConst::Signed(own_id))], TypeId::BOOL);
            let (call, _) = b.new_block(&[]);
            let (next, _) = b.new_block(&[]);
            b.branch(v(is), (call, vec![]), (next, vec![]));
            b.switch_to(call);
            let (params, ret) = self.signature_of(g);
            let f = self.funcs[&g];
            let fc = self.ll.func_const(f);
            let mut args = vec![c(fc)];
            if let Some(p0) = params.first().filter(|r| !r.is_void()) {
                args.push(v(b.op(LlOp::CastPointer, vec![obj.clone()], p0.lltype())));
            }
            let r = b.op(LlOp::DirectCall, args, ret.lltype());
            let s = match ret {
                Repr::Char => v(b.op(LlOp::RtCall(kiln_lltype::RtFn::StrFromChar), vec![v(r)], TypeId::STR_PTR)),
                _ => v(r),
            };
            b.jump(rb, vec![s]);
            b.switch_to(next);
        }
        if !exc {
            let msg = c(self.ll.str_const("str() of an object whose class has no __str__"));
            self.raise_named_with_message(&mut b, "TypeError", msg);
            return b.finish();
        }
        let e = b.op(LlOp::CastPointer, vec![obj], TypeId::BASE_EXCEPTION_PTR);
        let m = b.op(LlOp::GetField(FieldRef { strukt: TypeId::BASE_EXCEPTION, index: 1 }), vec![v(e)], TypeId::STR_PTR);
        if raw {
            b.jump(rb, vec![v(m)]);
        } else {
            let null = b.op(LlOp::PtrIsNull, vec![v(m)], TypeId::BOOL);
            let empty = self.ll.str_const("");
            b.branch(v(null), (rb, vec![c(empty)]), (rb, vec![v(m)]));
        }
        b.finish()
    }

    /// Wraps the call of `entry_point` in `kiln_entry` (its block `call_block`, whose last
    /// operation is the call) so that an uncaught exception of a class defining
    /// `__str__` gets that method's result as its message before it reaches the
    /// runtime's report. Nothing changes for programs without such a class.
    pub(crate) fn catch_uncaught_str(&mut self, b: &mut LlBuilder, result: kiln_flowgraph::Var) -> Option<kiln_flowgraph::Var> {
        let base = *self.ann.by_class.get(&self.prog.classes.get("BaseException"))?;
        let impls = self.str_impls_below(base);
        if impls.is_empty() {
            return None;
        }
        let dispatch = self.build_str_dispatch(&impls, true, true, "ll_uncaught_str");
        let ty = self.ll.types.func(vec![TypeId::OBJECT_PTR], TypeId::STR_PTR);
        let df = self.ll.add_func(kiln_lltype::LlFunc { name: "ll_uncaught_str".into(), graph: dispatch, ty, kind: kiln_lltype::FuncKind::Helper, hints: Default::default() });
        let dc = self.ll.func_const(df);
        let call_block = b.current();
        let rty = *b.graph.var_type(result);
        let void = rty == TypeId::VOID;
        let (normal, nv) = b.new_block(if void { &[] } else { std::slice::from_ref(&rty) });
        let (handler, hv) = b.new_block(&[TypeId::VTABLE_PTR, TypeId::OBJECT_PTR]);
        let et = b.graph.new_var(Some("etype"), TypeId::VTABLE_PTR);
        let ev = b.graph.new_var(Some("evalue"), TypeId::OBJECT_PTR);
        let base_ci = self.class_of_cdef(base);
        let base_vt = self.vtable_const(base_ci, TypeId::VTABLE_PTR);
        {
            let blk = b.graph.block_mut(call_block);
            blk.exitswitch = ExitSwitch::LastException;
            blk.exits = vec![
                Link::new(normal, if void { vec![] } else { vec![v(result)] }),
                Link { target: handler, args: vec![v(et), v(ev)], case: LinkCase::Exception(base_vt), last_exception: Some(et), last_exc_value: Some(ev), arg_spans: Vec::new() },
            ];
        }
        b.switch_to(handler);
        let msg = b.op(LlOp::DirectCall, vec![c(dc), v(hv[1])], TypeId::STR_PTR);
        let e = b.op(LlOp::CastPointer, vec![v(hv[1])], TypeId::BASE_EXCEPTION_PTR);
        b.op(LlOp::SetField(FieldRef { strukt: TypeId::BASE_EXCEPTION, index: 1 }), vec![v(e), v(msg)], TypeId::VOID);
        b.raise(v(hv[0]), v(hv[1]));
        b.switch_to(normal);
        Some(nv.first().copied().unwrap_or(result))
    }
}
