//! The effect analysis on a small hand-built call graph.

use kiln_flowgraph::Span;
use kiln_lltype::builder::{c, int, v, LlBuilder};
use kiln_lltype::{FuncId, FuncKind, LlConst, LlFunc, LlOp, LlProgram, RtFn, TypeId};
use kiln_transform::{analyze, CallNode, Effects};

fn add(prog: &mut LlProgram, b: LlBuilder, params: &[TypeId], ret: TypeId) -> FuncId {
    let graph = b.finish();
    let ty = prog.types.func(params.to_vec(), ret);
    prog.add_func(LlFunc { name: graph.name.clone(), graph, ty, kind: FuncKind::User, hints: Default::default() })
}

/// A function of one Signed that returns `x + 1` after calling `calls`, if any.
fn calling(prog: &mut LlProgram, name: &str, calls: Option<LlConst>) -> FuncId {
    let (mut b, p) = LlBuilder::new(name, &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let mut x = p[0];
    if let Some(callee) = calls {
        x = b.op(LlOp::DirectCall, vec![c(callee), v(x)], TypeId::SIGNED);
    }
    let r = b.op(LlOp::IntAdd, vec![v(x), int(1)], TypeId::SIGNED);
    b.ret(v(r));
    add(prog, b, &[TypeId::SIGNED], TypeId::SIGNED)
}

/// A function of one Signed that raises with a null vtable and instance.
fn raising(prog: &mut LlProgram, name: &str) -> FuncId {
    let (mut b, _) = LlBuilder::new(name, &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    b.raise(c(LlConst::Null(TypeId::VTABLE_PTR)), c(LlConst::Null(TypeId::OBJECT_PTR)));
    add(prog, b, &[TypeId::SIGNED], TypeId::SIGNED)
}

/// A function calling its parameter, a function pointer, with `x`.
fn calling_indirectly(prog: &mut LlProgram, name: &str) -> FuncId {
    let fty = prog.types.func(vec![TypeId::SIGNED], TypeId::SIGNED);
    let fptr = prog.types.ptr(fty);
    let (mut b, p) = LlBuilder::new(name, &[fptr, TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let r = b.op(LlOp::IndirectCall, vec![v(p[0]), v(p[1])], TypeId::SIGNED);
    b.ret(v(r));
    add(prog, b, &[fptr, TypeId::SIGNED], TypeId::SIGNED)
}

#[test]
fn effects_propagate_through_direct_calls_and_cycles() {
    let mut prog = LlProgram::new();
    let leaf = calling(&mut prog, "leaf", None);
    let thrower = raising(&mut prog, "thrower");
    let thrower_c = prog.func_const(thrower);
    let leaf_c = prog.func_const(leaf);
    let calls_leaf = calling(&mut prog, "calls_leaf", Some(leaf_c));
    let calls_thrower = calling(&mut prog, "calls_thrower", Some(thrower_c));
    // `even` and `odd` call each other; `odd` also allocates, so both can collect.
    // `even` is added right after `odd`, so its id is known before it exists.
    let even_c = LlConst::Func(FuncId(prog.funcs.len() as u32 + 1), prog.func_const(leaf).ty());
    let odd = calling(&mut prog, "odd", Some(even_c));
    let odd_c = prog.func_const(odd);
    let even = calling(&mut prog, "even", Some(odd_c));
    let g = &mut prog.func_mut(odd).graph;
    let start = g.startblock;
    let obj = g.new_var(None, TypeId::BASE_EXCEPTION_PTR);
    g.block_mut(start).ops.insert(0, kiln_flowgraph::Operation { op: LlOp::Malloc, args: vec![], result: obj, span: Span::DUMMY });
    assert_eq!(kiln_lltype::verify::verify_program(&prog), Vec::<String>::new());

    let e = analyze(&prog);
    assert_eq!(e.func(leaf), Effects::NONE);
    assert_eq!(e.func(calls_leaf), Effects::NONE);
    assert_eq!(e.func(thrower), Effects { can_raise: true, can_collect: false });
    assert_eq!(e.func(calls_thrower), Effects { can_raise: true, can_collect: false });
    assert_eq!(e.func(even), Effects::UNKNOWN, "malloc can raise MemoryError and collect");
    assert_eq!(e.func(odd), e.func(even));

    assert!(e.is_recursive(even) && e.is_recursive(odd));
    assert!(!e.is_recursive(leaf) && !e.is_recursive(calls_leaf));
    assert_eq!(e.scc_of(even), e.scc_of(odd));
    assert_eq!(e.sccs()[e.scc_of(even)], vec![odd, even]);
    // Callees come before their callers.
    assert!(e.scc_of(leaf) < e.scc_of(calls_leaf));
    assert_eq!(e.callees(calls_thrower), vec![CallNode::Func(thrower)]);
}

#[test]
fn self_recursion_is_a_cycle() {
    let mut prog = LlProgram::new();
    let id = FuncId(0);
    let fty = prog.types.func(vec![TypeId::SIGNED], TypeId::SIGNED);
    let me = LlConst::Func(id, prog.types.ptr(fty));
    let f = calling(&mut prog, "f", Some(me));
    assert_eq!(f, id);
    let e = analyze(&prog);
    assert!(e.is_recursive(f));
    assert_eq!(e.func(f), Effects::NONE);
}

#[test]
fn indirect_calls_reach_the_address_taken_functions_of_their_type() {
    let mut prog = LlProgram::new();
    let quiet = calling(&mut prog, "quiet", None);
    let thrower = raising(&mut prog, "thrower");
    // Of the right type and raising, but never address-taken: no indirect call reaches it.
    let never_taken = raising(&mut prog, "never_taken");
    let dispatch = calling_indirectly(&mut prog, "dispatch");
    // `use_quiet` passes `&quiet` to `dispatch`; nothing takes `&thrower` yet.
    let dispatch_c = prog.func_const(dispatch);
    let quiet_c = prog.func_const(quiet);
    let (mut b, p) = LlBuilder::new("use_quiet", &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let r = b.op(LlOp::DirectCall, vec![c(dispatch_c.clone()), c(quiet_c), v(p[0])], TypeId::SIGNED);
    b.ret(v(r));
    let use_quiet = add(&mut prog, b, &[TypeId::SIGNED], TypeId::SIGNED);
    let e = analyze(&prog);
    assert!(!e.func_can_raise(dispatch), "only `quiet` is address-taken");
    assert!(!e.func_can_raise(use_quiet));
    let g = &prog.func(dispatch).graph;
    let op = &g.block(g.startblock).ops[0];
    assert_eq!(e.indirect_targets(&prog, g, op), Some(&[quiet][..]));

    // Storing `&thrower` in a prebuilt object takes its address too.
    let thrower_c = prog.func_const(thrower);
    let holder_ty = prog.types.new_struct("holder", false);
    let fptr = thrower_c.ty();
    prog.types.add_field(holder_ty, "f", fptr);
    prog.add_static(kiln_lltype::StaticObj { ty: holder_ty, value: kiln_lltype::StaticValue::Struct { fields: vec![thrower_c], items: vec![] }, name: "holder".into() });
    assert_eq!(kiln_lltype::verify::verify_program(&prog), Vec::<String>::new());
    let e = analyze(&prog);
    assert!(e.func_can_raise(dispatch));
    assert!(e.func_can_raise(use_quiet));
    let g = &prog.func(dispatch).graph;
    let op = &g.block(g.startblock).ops[0];
    assert_eq!(e.indirect_targets(&prog, g, op), Some(&[quiet, thrower][..]));
    assert!(!e.indirect_calls_unknown());
    assert!(e.func_can_raise(never_taken));
}

#[test]
fn runtime_calls_take_their_facts_from_the_runtime_table() {
    let mut prog = LlProgram::new();
    let (mut b, p) = LlBuilder::new("printer", &[TypeId::SIGNED], TypeId::VOID, Span::DUMMY);
    let r = b.op(LlOp::RtCall(RtFn::OutInt), vec![v(p[0])], TypeId::VOID);
    b.ret(v(r));
    let printer = add(&mut prog, b, &[TypeId::SIGNED], TypeId::VOID);
    let (mut b, p) = LlBuilder::new("stringify", &[TypeId::SIGNED], TypeId::STR_PTR, Span::DUMMY);
    let r = b.op(LlOp::RtCall(RtFn::StrFromInt), vec![v(p[0])], TypeId::STR_PTR);
    b.ret(v(r));
    let stringify = add(&mut prog, b, &[TypeId::SIGNED], TypeId::STR_PTR);
    let e = analyze(&prog);
    assert_eq!(e.func(printer), Effects::NONE);
    // Allocating can fail with MemoryError, so an allocating call can raise too.
    assert_eq!(e.func(stringify), Effects { can_raise: true, can_collect: true });
}
