//! The heap-effect analysis (which fields and arrays a call may read and write) on a
//! small hand-built call graph.

use std::collections::BTreeSet;

use kiln_flowgraph::Span;
use kiln_lltype::builder::{c, int, v, LlBuilder};
use kiln_lltype::{FieldRef, FuncId, FuncKind, LlFunc, LlOp, LlProgram, RtFn, TypeId};
use kiln_transform::{analyze, heap_effects, HeapLoc};

fn add(prog: &mut LlProgram, b: LlBuilder, params: &[TypeId], ret: TypeId) -> FuncId {
    let graph = b.finish();
    let ty = prog.types.func(params.to_vec(), ret);
    prog.add_func(LlFunc { name: graph.name.clone(), graph, ty, kind: FuncKind::User, hints: Default::default() })
}

fn set(locs: &[HeapLoc]) -> Option<BTreeSet<HeapLoc>> {
    Some(locs.iter().copied().collect())
}

#[test]
fn reads_and_writes_propagate_to_callers() {
    let mut prog = LlProgram::new();
    let cell = prog.types.new_struct("Cell", true);
    let value = FieldRef { strukt: cell, index: prog.types.add_field(cell, "value", TypeId::SIGNED) };
    let other = FieldRef { strukt: cell, index: prog.types.add_field(cell, "other", TypeId::SIGNED) };
    let p = prog.types.ptr(cell);
    let s = TypeId::SIGNED;

    // setter(p): p.value = 1
    let (mut b, a) = LlBuilder::new("setter", &[p], TypeId::VOID, Span::DUMMY);
    b.op(LlOp::SetField(value), vec![v(a[0]), int(1)], TypeId::VOID);
    b.ret(c(kiln_lltype::LlConst::Void));
    let setter = add(&mut prog, b, &[p], TypeId::VOID);
    // getter(p): return p.other, after printing it (a runtime helper that touches nothing)
    let (mut b, a) = LlBuilder::new("getter", &[p], s, Span::DUMMY);
    let x = b.op(LlOp::GetField(other), vec![v(a[0])], s);
    b.op(LlOp::RtCall(RtFn::OutInt), vec![v(x)], TypeId::VOID);
    b.ret(v(x));
    let getter = add(&mut prog, b, &[p], s);
    // caller(p): setter(p); return getter(p)
    let setter_c = prog.func_const(setter);
    let getter_c = prog.func_const(getter);
    let (mut b, a) = LlBuilder::new("caller", &[p], s, Span::DUMMY);
    b.op(LlOp::DirectCall, vec![c(setter_c), v(a[0])], TypeId::VOID);
    let r = b.op(LlOp::DirectCall, vec![c(getter_c), v(a[0])], s);
    b.ret(v(r));
    let caller = add(&mut prog, b, &[p], s);
    // opaque(l): a list helper, which may change anything
    let (mut b, a) = LlBuilder::new("opaque", &[p], TypeId::VOID, Span::DUMMY);
    b.op(LlOp::RtCall(RtFn::ListResize), vec![v(a[0]), int(0), int(0)], TypeId::VOID);
    b.ret(c(kiln_lltype::LlConst::Void));
    let opaque = add(&mut prog, b, &[p], TypeId::VOID);

    let info = analyze(&prog);
    let heap = heap_effects(&prog, &info);
    assert_eq!(heap.func(setter).reads, set(&[]));
    assert_eq!(heap.func(setter).writes, set(&[HeapLoc::Field(value)]));
    assert_eq!(heap.func(getter).reads, set(&[HeapLoc::Field(other)]));
    assert_eq!(heap.func(getter).writes, set(&[]));
    assert_eq!(heap.func(caller).reads, set(&[HeapLoc::Field(other)]));
    assert_eq!(heap.func(caller).writes, set(&[HeapLoc::Field(value)]));
    assert_eq!(heap.func(opaque).reads, None, "a list helper may read anything");
    assert_eq!(heap.func(opaque).writes, None);
}
