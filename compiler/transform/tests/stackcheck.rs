//! Before/after snapshots of the stack-check pass: checks go on entry to the functions
//! on a recursion cycle of the call graph, and only there.

use kiln_flowgraph::Span;
use kiln_lltype::builder::{c, int, v, LlBuilder};
use kiln_lltype::{FuncId, FuncKind, LlConst, LlFunc, LlOp, LlProgram, RtFn, TypeId};
use kiln_transform::{analyze, run_all, stackcheck, TransformOptions};

fn add(prog: &mut LlProgram, b: LlBuilder, params: &[TypeId], ret: TypeId) -> FuncId {
    let graph = b.finish();
    let ty = prog.types.func(params.to_vec(), ret);
    prog.add_func(LlFunc { name: graph.name.clone(), graph, ty, kind: FuncKind::User, hints: Default::default() })
}

fn func_ref(prog: &mut LlProgram, id: u32, params: &[TypeId], ret: TypeId) -> LlConst {
    let fty = prog.types.func(params.to_vec(), ret);
    LlConst::Func(FuncId(id), prog.types.ptr(fty))
}

/// `is_even(n)` and `is_odd(n)` call each other; `main_(n)` calls `is_even` and
/// `double(n)` (a leaf) once each.
fn mutual_program() -> LlProgram {
    let mut prog = LlProgram::new();
    let s = [TypeId::SIGNED];
    let even = func_ref(&mut prog, 0, &s, TypeId::BOOL);
    let odd = func_ref(&mut prog, 1, &s, TypeId::BOOL);
    let double = func_ref(&mut prog, 2, &s, TypeId::SIGNED);
    for (name, other, base) in [("is_even", odd.clone(), true), ("is_odd", even.clone(), false)] {
        let (mut b, p) = LlBuilder::new(name, &s, TypeId::BOOL, Span::DUMMY);
        let zero = b.op(LlOp::IntEq, vec![v(p[0]), int(0)], TypeId::BOOL);
        let (rec, rv) = b.new_block(&s);
        let rb = b.graph.returnblock;
        b.branch(v(zero), (rb, vec![c(LlConst::Bool(base))]), (rec, vec![v(p[0])]));
        b.switch_to(rec);
        let m = b.op(LlOp::IntSub, vec![v(rv[0]), int(1)], TypeId::SIGNED);
        let r = b.op(LlOp::DirectCall, vec![c(other), v(m)], TypeId::BOOL);
        b.ret(v(r));
        add(&mut prog, b, &s, TypeId::BOOL);
    }
    let (mut b, p) = LlBuilder::new("double", &s, TypeId::SIGNED, Span::DUMMY);
    let d = b.op(LlOp::IntAdd, vec![v(p[0]), v(p[0])], TypeId::SIGNED);
    b.ret(v(d));
    add(&mut prog, b, &s, TypeId::SIGNED);
    let (mut b, p) = LlBuilder::new("main_", &s, TypeId::BOOL, Span::DUMMY);
    let d = b.op(LlOp::DirectCall, vec![c(double), v(p[0])], TypeId::SIGNED);
    let r = b.op(LlOp::DirectCall, vec![c(even), v(d)], TypeId::BOOL);
    b.ret(v(r));
    add(&mut prog, b, &s, TypeId::BOOL);
    prog
}

fn print_all(prog: &LlProgram) -> String {
    prog.func_ids().map(|f| prog.print_func(f)).collect::<Vec<_>>().join("\n")
}

fn check(mut prog: LlProgram) -> String {
    let before = print_all(&prog);
    let effects = analyze(&prog);
    let n = stackcheck::run(&mut prog, &effects);
    assert_eq!(kiln_lltype::verify::verify_program(&prog), Vec::<String>::new());
    format!("---- before\n{before}---- after ({n} checked)\n{}", print_all(&prog))
}

#[test]
fn mutual_recursion_is_checked_and_leaves_are_not() {
    insta::assert_snapshot!("mutual", check(mutual_program()));
}

/// `def count(n, f): while n > 0: n = f(n); return n` where `f` may be `count_down`,
/// which calls `count` through the pointer: a cycle through an indirect call. The start
/// block of `count` is the loop header, so its check gets a block of its own.
#[test]
fn recursion_through_an_indirect_call_is_checked_once_per_call() {
    let mut prog = LlProgram::new();
    let s = TypeId::SIGNED;
    let fty = prog.types.func(vec![s], s);
    let fptr = prog.types.ptr(fty);
    let count = func_ref(&mut prog, 0, &[s, fptr], s);
    let down = func_ref(&mut prog, 1, &[s], s);
    let (mut b, p) = LlBuilder::new("count", &[s, fptr], s, Span::DUMMY);
    let head = b.current();
    let more = b.op(LlOp::IntGt, vec![v(p[0]), int(0)], TypeId::BOOL);
    let (body, bv) = b.new_block(&[s, fptr]);
    let rb = b.graph.returnblock;
    b.branch(v(more), (body, vec![v(p[0]), v(p[1])]), (rb, vec![v(p[0])]));
    b.switch_to(body);
    let next = b.op(LlOp::IndirectCall, vec![v(bv[1]), v(bv[0])], s);
    b.jump(head, vec![v(next), v(bv[1])]);
    add(&mut prog, b, &[s, fptr], s);
    let (mut b, p) = LlBuilder::new("count_down", &[s], s, Span::DUMMY);
    let half = b.op(LlOp::IntFloorDiv, vec![v(p[0]), int(2)], s);
    let r = b.op(LlOp::DirectCall, vec![c(count), v(half), c(down)], s);
    let r = b.op(LlOp::IntSub, vec![v(r), int(1)], s);
    b.ret(v(r));
    add(&mut prog, b, &[s], s);
    insta::assert_snapshot!("indirect", check(prog));
}

/// With `stack_checks` off (`--no-stackcheck`) the pass inserts nothing; with it on, the
/// exception transform adds the propagation after each check.
#[test]
fn the_option_turns_the_checks_off_and_the_exception_transform_sees_them() {
    let mut off = mutual_program();
    run_all(&mut off, &TransformOptions { stack_checks: false, ..TransformOptions::default() }).expect("the passes succeed");
    let mut on = mutual_program();
    run_all(&mut on, &TransformOptions::default()).expect("the passes succeed");
    let checks = |prog: &LlProgram| {
        let mut n = 0;
        for f in &prog.funcs {
            f.graph.for_each_op(|_, op| n += usize::from(op.op == LlOp::RtCall(RtFn::StackCheck)));
        }
        n
    };
    assert_eq!((checks(&off), checks(&on)), (0, 2));
    insta::assert_snapshot!("checked_then_propagated", on.print_func(FuncId(0)));
}
