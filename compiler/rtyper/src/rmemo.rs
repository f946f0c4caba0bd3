//! `@specialize.memo()`: the annotator makes one graph per constant argument tuple; here
//! each such graph gets a wrapper that runs the body once and returns the cached result
//! afterwards, as RPython's memo functions give one result per argument tuple.
//!
//! The cache is a prebuilt GC struct `{done: Bool, value: T}` in the binary's data. It is
//! written like any prebuilt instance, so the GC transform adds the write barrier a
//! pointer stored into an old object needs.

use kiln_annotator::GraphId;
use kiln_frontend::value::Specialization;
use kiln_lltype::builder::{c, v, LlBuilder};
use kiln_lltype::{FieldRef, FuncId, FuncKind, LlConst, LlFunc, LlOp, StaticObj, StaticValue, TypeId};

use crate::repr::field;
use crate::RTyper;

impl<'a> RTyper<'a> {
    /// Whether a graph is a specialisation of a `@specialize.memo()` function.
    pub fn is_memo_graph(&self, gid: GraphId) -> bool {
        let f = self.ann.graphs[gid.0 as usize].func;
        matches!(self.prog.heap.function(f).and_then(|f| f.specialize.as_ref()), Some(Specialization::Memo))
    }

    /// Builds the caching wrapper `name(params) -> ret` around `body`.
    pub fn memo_wrapper(&mut self, name: &str, body: FuncId, params: &[TypeId], ret: TypeId, span: kiln_diagnostics::Span) -> LlFunc {
        let cell_ty = self.ll.types.new_struct(&format!("memo_{name}"), true);
        self.ll.types.set_fields(cell_ty, vec![field("done", TypeId::BOOL), field("value", ret)]);
        let cell_ptr = self.ll.types.ptr(cell_ty);
        let zero = crate::prebuilt::zero_of(&self.ll.types, ret);
        let cell = self.ll.add_static(StaticObj { ty: cell_ty, value: StaticValue::Struct { fields: vec![LlConst::Bool(false), zero], items: Vec::new() }, name: format!("memo_{name}") });
        let cell = c(LlConst::Static(cell, cell_ptr));
        let done_f = FieldRef { strukt: cell_ty, index: 0 };
        let value_f = FieldRef { strukt: cell_ty, index: 1 };
        let (mut b, ps) = LlBuilder::new(name, params, ret, span);
        let done = b.op(LlOp::GetField(done_f), vec![cell.clone()], TypeId::BOOL);
        let (hit, _) = b.new_block(&[]);
        let (miss, miss_params) = b.new_block(params);
        b.branch(v(done), (hit, vec![]), (miss, ps.iter().map(|p| v(*p)).collect()));
        b.switch_to(hit);
        let cached = b.op(LlOp::GetField(value_f), vec![cell.clone()], ret);
        b.ret(v(cached));
        b.switch_to(miss);
        let mut args = vec![c(self.ll.func_const(body))];
        args.extend(miss_params.iter().map(|p| v(*p)));
        let r = b.op(LlOp::DirectCall, args, ret);
        b.op(LlOp::SetField(value_f), vec![cell.clone(), v(r)], TypeId::VOID);
        b.op(LlOp::SetField(done_f), vec![cell, c(LlConst::Bool(true))], TypeId::VOID);
        b.ret(v(r));
        let ty = self.ll.types.func(params.to_vec(), ret);
        LlFunc { name: name.to_string(), graph: b.finish(), ty, kind: FuncKind::Helper, hints: Default::default() }
    }
}
