//! Before/after snapshots of the GC transform on small hand-built programs: the graphs
//! after the exception transform, then after the GC transform for one policy.

use kiln_flowgraph::Span;
use kiln_lltype::builder::{c, int, v, LlBuilder};
use kiln_lltype::{FieldRef, FuncId, FuncKind, GcPolicy, LlFunc, LlOp, LlProgram, RtFn, TypeId};
use kiln_transform::{run_passes, run_through, TransformCx, TransformOptions, PASSES};

fn add(prog: &mut LlProgram, b: LlBuilder, params: &[TypeId], ret: TypeId) -> FuncId {
    let graph = b.finish();
    let ty = prog.types.func(params.to_vec(), ret);
    prog.add_func(LlFunc { name: graph.name.clone(), graph, ty, kind: FuncKind::User, hints: Default::default() })
}

/// `Node { value: Signed, next: *Node }`, a GC struct.
struct Node {
    ptr: TypeId,
    value: FieldRef,
    next: FieldRef,
}

fn node_type(prog: &mut LlProgram) -> Node {
    let node = prog.types.new_struct("Node", true);
    let ptr = prog.types.ptr(node);
    prog.types.add_field(node, "value", TypeId::SIGNED);
    prog.types.add_field(node, "next", ptr);
    Node { ptr, value: FieldRef { strukt: node, index: 0 }, next: FieldRef { strukt: node, index: 1 } }
}

/// Prints `show` after the exception transform and again after the GC transform for
/// `policy`.
fn check(mut prog: LlProgram, policy: GcPolicy, show: &[FuncId]) -> String {
    assert_eq!(kiln_lltype::verify::verify_program(&prog), Vec::<String>::new(), "the input program is valid");
    let options = TransformOptions { verify: true, gc: Some(policy), stack_checks: true, jit: false };
    run_through(&mut prog, &options, "exceptions").expect("the passes before the GC transform succeed");
    let before: Vec<String> = show.iter().map(|f| prog.print_func(*f)).collect();
    let mut cx = TransformCx::new(options);
    let gc = PASSES.iter().find(|(name, _)| *name == "gc").expect("the gc pass exists");
    run_passes(&mut cx, &mut prog, &[*gc]).expect("the GC transform succeeds");
    assert_eq!(prog.gc, Some(policy));
    let after: Vec<String> = show.iter().map(|f| prog.print_func(*f)).collect();
    format!("---- before\n{}---- after ({policy})\n{}", before.join("\n"), after.join("\n"))
}

/// ```python
/// def cons(x, rest):
///     n = Node(); n.value = x        # a fresh object: no barrier
///     tail = cons_tail(rest)         # can collect: n and rest live across it
///     n.next = tail                  # n may be old now: a barrier
///     return n
/// def cons_tail(rest): return rest if rest else Node()
/// ```
fn cons_program() -> (LlProgram, FuncId, FuncId) {
    let mut prog = LlProgram::new();
    let node = node_type(&mut prog);
    let (mut b, p) = LlBuilder::new("cons_tail", &[node.ptr], node.ptr, Span::DUMMY);
    let is_null = b.op(LlOp::PtrIsNull, vec![v(p[0])], TypeId::BOOL);
    let (fresh, _) = b.new_block(&[]);
    let rb = b.graph.returnblock;
    b.branch(v(is_null), (fresh, vec![]), (rb, vec![v(p[0])]));
    b.switch_to(fresh);
    let n = b.op(LlOp::Malloc, vec![], node.ptr);
    b.ret(v(n));
    let tail = add(&mut prog, b, &[node.ptr], node.ptr);
    let tail_c = prog.func_const(tail);

    let (mut b, p) = LlBuilder::new("cons", &[TypeId::SIGNED, node.ptr], node.ptr, Span::DUMMY);
    let n = b.op(LlOp::Malloc, vec![], node.ptr);
    b.op(LlOp::SetField(node.value), vec![v(n), v(p[0])], TypeId::VOID);
    let t = b.op(LlOp::DirectCall, vec![c(tail_c), v(p[1])], node.ptr);
    b.op(LlOp::SetField(node.next), vec![v(n), v(t)], TypeId::VOID);
    let back = b.op(LlOp::GetField(node.next), vec![v(p[1])], node.ptr);
    b.op(LlOp::SetField(node.next), vec![v(back), v(n)], TypeId::VOID);
    b.ret(v(n));
    let cons = add(&mut prog, b, &[TypeId::SIGNED, node.ptr], node.ptr);
    (prog, cons, tail)
}

#[test]
fn incminimark_saves_roots_inlines_allocation_and_adds_barriers() {
    let (prog, cons, tail) = cons_program();
    insta::assert_snapshot!("cons_incminimark", check(prog, GcPolicy::Incminimark, &[cons, tail]));
}

#[test]
fn semispace_saves_roots_without_barriers() {
    let (prog, cons, _) = cons_program();
    insta::assert_snapshot!("cons_semispace", check(prog, GcPolicy::Semispace, &[cons]));
}

#[test]
fn none_inlines_allocation_and_saves_nothing() {
    let (prog, cons, _) = cons_program();
    insta::assert_snapshot!("cons_none", check(prog, GcPolicy::None, &[cons]));
}

/// `def f(n): a = [0] * n; print(n); g(a); return a` where `g` only reads: the variable
/// size gets the length test, and neither the print nor `g` can collect, so nothing is
/// saved around them.
#[test]
fn varsize_allocation_and_calls_that_cannot_collect() {
    let mut prog = LlProgram::new();
    let (mut b, p) = LlBuilder::new("length", &[TypeId::ARRAY_SIGNED_PTR], TypeId::SIGNED, Span::DUMMY);
    let n = b.op(LlOp::GetArrayLength, vec![v(p[0])], TypeId::SIGNED);
    b.ret(v(n));
    let length = add(&mut prog, b, &[TypeId::ARRAY_SIGNED_PTR], TypeId::SIGNED);
    let length_c = prog.func_const(length);
    let (mut b, p) = LlBuilder::new("f", &[TypeId::SIGNED], TypeId::ARRAY_SIGNED_PTR, Span::DUMMY);
    let a = b.op(LlOp::MallocVarsize, vec![v(p[0])], TypeId::ARRAY_SIGNED_PTR);
    b.op(LlOp::RtCall(RtFn::OutInt), vec![v(p[0])], TypeId::VOID);
    b.op(LlOp::DirectCall, vec![c(length_c), v(a)], TypeId::SIGNED);
    b.ret(v(a));
    let f = add(&mut prog, b, &[TypeId::SIGNED], TypeId::ARRAY_SIGNED_PTR);
    insta::assert_snapshot!("varsize", check(prog, GcPolicy::Incminimark, &[f]));
}

/// `def put(items, i, s): items[i] = s; items[0] = "x"; return str(i)`: the array form
/// of the barrier for a store of a variable, none for a prebuilt constant; the pointer
/// cast to a word for a runtime helper is saved across the allocating call like a pointer.
#[test]
fn array_stores_get_the_card_barrier_and_words_are_roots() {
    let mut prog = LlProgram::new();
    let x = prog.str_const("x");
    let (mut b, p) = LlBuilder::new("put", &[TypeId::ARRAY_STR_PTR, TypeId::SIGNED, TypeId::STR_PTR], TypeId::SIGNED, Span::DUMMY);
    b.op(LlOp::SetArrayItem, vec![v(p[0]), v(p[1]), v(p[2])], TypeId::VOID);
    b.op(LlOp::SetArrayItem, vec![v(p[0]), int(0), c(x)], TypeId::VOID);
    let w = b.op(LlOp::CastPtrToInt, vec![v(p[2])], TypeId::SIGNED);
    b.op(LlOp::RtCall(RtFn::StrFromInt), vec![v(p[1])], TypeId::STR_PTR);
    b.ret(v(w));
    let put = add(&mut prog, b, &[TypeId::ARRAY_STR_PTR, TypeId::SIGNED, TypeId::STR_PTR], TypeId::SIGNED);
    insta::assert_snapshot!("array_barrier", check(prog, GcPolicy::Incminimark, &[put]));
}

/// An explicit collection in a loop whose header is the start block: the frame is
/// pushed in a new entry block, once per call.
#[test]
fn a_loop_at_the_start_gets_its_frame_in_a_new_entry_block() {
    let mut prog = LlProgram::new();
    let (mut b, p) = LlBuilder::new("spin", &[TypeId::SIGNED, TypeId::STR_PTR], TypeId::STR_PTR, Span::DUMMY);
    let start = b.current();
    let more = b.op(LlOp::IntGt, vec![v(p[0]), int(0)], TypeId::BOOL);
    let (body, bv) = b.new_block(&[TypeId::SIGNED, TypeId::STR_PTR]);
    let rb = b.graph.returnblock;
    b.branch(v(more), (body, vec![v(p[0]), v(p[1])]), (rb, vec![v(p[1])]));
    b.switch_to(body);
    b.op(LlOp::RtCall(RtFn::GcCollect), vec![], TypeId::VOID);
    let next = b.op(LlOp::IntSub, vec![v(bv[0]), int(1)], TypeId::SIGNED);
    b.jump(start, vec![v(next), v(bv[1])]);
    let spin = add(&mut prog, b, &[TypeId::SIGNED, TypeId::STR_PTR], TypeId::STR_PTR);
    insta::assert_snapshot!("loop_frame", check(prog, GcPolicy::Marksweep, &[spin]));
}

/// The transform reports a GC pointer stored into a non-GC struct instead of producing
/// a program whose collector cannot see it.
#[test]
fn a_gc_pointer_in_a_raw_struct_is_an_internal_error() {
    let mut prog = LlProgram::new();
    let raw = prog.types.new_struct("Raw", false);
    prog.types.add_field(raw, "s", TypeId::STR_PTR);
    let raw_ptr = prog.types.ptr(raw);
    let (mut b, p) = LlBuilder::new("leak", &[raw_ptr, TypeId::STR_PTR], TypeId::VOID, Span::DUMMY);
    b.op(LlOp::SetField(FieldRef { strukt: raw, index: 0 }), vec![v(p[0]), v(p[1])], TypeId::VOID);
    b.ret(c(kiln_lltype::LlConst::Void));
    add(&mut prog, b, &[raw_ptr, TypeId::STR_PTR], TypeId::VOID);
    let options = TransformOptions { verify: true, gc: Some(GcPolicy::Incminimark), stack_checks: true, jit: false };
    let err = kiln_transform::run_all(&mut prog, &options).expect_err("the store is refused");
    assert_eq!(err.pass, "gc");
    assert!(err.errors[0].contains("stores a GC pointer into *Raw, which is not a GC object"), "{}", err.errors[0]);
}

/// `def pair(a, b): n = Node(); n.next = a; n.value = len(b); return n`: the exception
/// check after the allocation splits the block, but nothing can collect between the
/// allocation and the stores, so the object is still fresh and needs no barrier.
#[test]
fn fresh_objects_need_no_barrier_across_the_exception_check() {
    let mut prog = LlProgram::new();
    let node = node_type(&mut prog);
    let (mut b, p) = LlBuilder::new("pair", &[node.ptr, TypeId::STR_PTR], node.ptr, Span::DUMMY);
    let n = b.op(LlOp::Malloc, vec![], node.ptr);
    b.op(LlOp::SetField(node.next), vec![v(n), v(p[0])], TypeId::VOID);
    let len = b.op(LlOp::GetInteriorLength(FieldRef { strukt: TypeId::STR, index: 3 }), vec![v(p[1])], TypeId::SIGNED);
    b.op(LlOp::SetField(node.value), vec![v(n), v(len)], TypeId::VOID);
    b.ret(v(n));
    let pair = add(&mut prog, b, &[node.ptr, TypeId::STR_PTR], node.ptr);
    let out = check(prog, GcPolicy::Incminimark, &[pair]);
    assert!(!out.contains("gc_write_barrier"), "{out}");
    insta::assert_snapshot!("fresh_across_check", out);
}

/// `def depth(n): return 0 if n is None else 1 + depth(n.next)`: recursive, so it gets a
/// stack check, which raises a preallocated RecursionError and so is no collection point.
/// Nothing else in it allocates: no frame, no root saved, and calls to it are not
/// collection points for its callers either.
#[test]
fn a_recursive_function_that_never_allocates_saves_no_roots() {
    let mut prog = LlProgram::new();
    let node = node_type(&mut prog);
    let fty = prog.types.func(vec![node.ptr], TypeId::SIGNED);
    let depth_c = kiln_lltype::LlConst::Func(FuncId(0), prog.types.ptr(fty));
    let (mut b, p) = LlBuilder::new("depth", &[node.ptr], TypeId::SIGNED, Span::DUMMY);
    let end = b.op(LlOp::PtrIsNull, vec![v(p[0])], TypeId::BOOL);
    let (rec, rv) = b.new_block(&[node.ptr]);
    let rb = b.graph.returnblock;
    b.branch(v(end), (rb, vec![int(0)]), (rec, vec![v(p[0])]));
    b.switch_to(rec);
    let next = b.op(LlOp::GetField(node.next), vec![v(rv[0])], node.ptr);
    let d = b.op(LlOp::DirectCall, vec![c(depth_c.clone()), v(next)], TypeId::SIGNED);
    let d = b.op(LlOp::IntAdd, vec![v(d), int(1)], TypeId::SIGNED);
    b.ret(v(d));
    let depth = add(&mut prog, b, &[node.ptr], TypeId::SIGNED);
    let (mut b, p) = LlBuilder::new("twice", &[node.ptr], TypeId::SIGNED, Span::DUMMY);
    let a = b.op(LlOp::DirectCall, vec![c(depth_c.clone()), v(p[0])], TypeId::SIGNED);
    let x = b.op(LlOp::DirectCall, vec![c(depth_c), v(p[0])], TypeId::SIGNED);
    let s = b.op(LlOp::IntAdd, vec![v(a), v(x)], TypeId::SIGNED);
    b.ret(v(s));
    let twice = add(&mut prog, b, &[node.ptr], TypeId::SIGNED);
    let out = check(prog, GcPolicy::Semispace, &[depth, twice]);
    let after = out.split("---- after").nth(1).expect("an after part");
    assert!(after.contains("kiln_stack_check"), "{out}");
    assert!(!after.contains("gc_push_frame") && !after.contains("gc_save_root"), "{out}");
}
