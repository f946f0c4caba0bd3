//! Before/after snapshots of the exception transform on small hand-built programs.

use kiln_flowgraph::{ExitSwitch, Link, LinkCase, Span};
use kiln_lltype::builder::{c, int, v, LlBuilder};
use kiln_lltype::{FieldRef, FuncId, FuncKind, LlConst, LlFunc, LlOp, LlProgram, StaticId, StaticObj, StaticValue, TypeId};
use kiln_transform::{analyze, exceptions};

/// A class hierarchy of exceptions with hand-numbered subclass ranges:
/// `Exception [1, 10)` > `ValueError [2, 3)`, `KeyError [3, 4)`, `AppError [4, 6)`.
struct Classes {
    exception: StaticId,
    value_error: StaticId,
    key_error: StaticId,
    app_error: StaticId,
}

fn vtable(prog: &mut LlProgram, name: &str, min: i64, max: i64) -> StaticId {
    let name_str = prog.str_const(name);
    prog.add_static(StaticObj {
        ty: TypeId::VTABLE,
        value: StaticValue::Struct { fields: vec![LlConst::Signed(min), LlConst::Signed(max), name_str, LlConst::Signed(5), LlConst::Signed(24)], items: vec![] },
        name: format!("{name}_vtable"),
    })
}

fn classes(prog: &mut LlProgram) -> Classes {
    Classes {
        exception: vtable(prog, "Exception", 1, 10),
        value_error: vtable(prog, "ValueError", 2, 3),
        key_error: vtable(prog, "KeyError", 3, 4),
        app_error: vtable(prog, "AppError", 4, 6),
    }
}

fn vt(id: StaticId) -> LlConst {
    LlConst::Static(id, TypeId::VTABLE_PTR)
}

fn add(prog: &mut LlProgram, b: LlBuilder, params: &[TypeId], ret: TypeId) -> FuncId {
    let graph = b.finish();
    let ty = prog.types.func(params.to_vec(), ret);
    prog.add_func(LlFunc { name: graph.name.clone(), graph, ty, kind: FuncKind::User, hints: Default::default() })
}

/// `def may_fail(x): if x < 0: raise ValueError(); return x`, the instance allocated
/// with `malloc`.
fn may_fail(prog: &mut LlProgram, cls: &Classes) -> FuncId {
    let (mut b, p) = LlBuilder::new("may_fail", &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let neg = b.op(LlOp::IntLt, vec![v(p[0]), int(0)], TypeId::BOOL);
    let (raise, _) = b.new_block(&[]);
    let rb = b.graph.returnblock;
    b.branch(v(neg), (raise, vec![]), (rb, vec![v(p[0])]));
    b.switch_to(raise);
    let exc = b.op(LlOp::Malloc, vec![], TypeId::BASE_EXCEPTION_PTR);
    let typeptr = FieldRef { strukt: TypeId::BASE_EXCEPTION, index: 0 };
    b.op(LlOp::SetField(typeptr), vec![v(exc), c(vt(cls.value_error))], TypeId::VOID);
    let obj = b.op(LlOp::CastPointer, vec![v(exc)], TypeId::OBJECT_PTR);
    b.raise(c(vt(cls.value_error)), v(obj));
    add(prog, b, &[TypeId::SIGNED], TypeId::SIGNED)
}

/// `def pure(x): return x + 1`: cannot raise.
fn pure(prog: &mut LlProgram) -> FuncId {
    let (mut b, p) = LlBuilder::new("pure", &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let r = b.op(LlOp::IntAdd, vec![v(p[0]), int(1)], TypeId::SIGNED);
    b.ret(v(r));
    add(prog, b, &[TypeId::SIGNED], TypeId::SIGNED)
}

/// Prints the given functions before and after the transform.
fn check(mut prog: LlProgram, show: &[FuncId]) -> String {
    assert_eq!(kiln_lltype::verify::verify_program(&prog), Vec::<String>::new(), "the input program is valid");
    let before: Vec<String> = show.iter().map(|f| prog.print_func(*f)).collect();
    let effects = analyze(&prog);
    exceptions::run(&mut prog, &effects);
    assert_eq!(kiln_lltype::verify::verify_program(&prog), Vec::<String>::new(), "the output program is valid");
    let after: Vec<String> = show.iter().map(|f| prog.print_func(*f)).collect();
    format!("---- before\n{}---- after\n{}", before.join("\n"), after.join("\n"))
}

#[test]
fn raise_restores_and_returns_the_error_value() {
    let mut prog = LlProgram::new();
    let cls = classes(&mut prog);
    let f = may_fail(&mut prog, &cls);
    insta::assert_snapshot!("raise", check(prog, &[f]));
}

#[test]
fn a_call_that_can_raise_is_followed_by_a_check() {
    let mut prog = LlProgram::new();
    let cls = classes(&mut prog);
    let callee = may_fail(&mut prog, &cls);
    let callee_c = prog.func_const(callee);
    // `def caller(x): y = may_fail(x); return y * 2`
    let (mut b, p) = LlBuilder::new("caller", &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let y = b.op(LlOp::DirectCall, vec![c(callee_c), v(p[0])], TypeId::SIGNED);
    let r = b.op(LlOp::IntMul, vec![v(y), int(2)], TypeId::SIGNED);
    b.ret(v(r));
    let caller = add(&mut prog, b, &[TypeId::SIGNED], TypeId::SIGNED);
    insta::assert_snapshot!("propagate", check(prog, &[caller]));
}

/// ```python
/// def handler(x):
///     try:
///         y = may_fail(x)
///     except KeyError:
///         return -1
///     except AppError as e:
///         return keep(e, x)
///     return y
/// ```
/// `may_fail` raises ValueError, which neither handler matches: it propagates.
#[test]
fn unmatched_exceptions_propagate_from_a_catching_block() {
    let mut prog = LlProgram::new();
    let cls = classes(&mut prog);
    let callee = may_fail(&mut prog, &cls);
    let callee_c = prog.func_const(callee);

    let (mut b, p) = LlBuilder::new("handler", &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let start = b.current();
    let y = b.op(LlOp::DirectCall, vec![c(callee_c), v(p[0])], TypeId::SIGNED);
    let (app, app_in) = b.new_block(&[TypeId::BASE_EXCEPTION_PTR, TypeId::SIGNED]);
    b.switch_to(app);
    let msg = b.op(LlOp::GetField(FieldRef { strukt: TypeId::BASE_EXCEPTION, index: 1 }), vec![v(app_in[0])], TypeId::STR_PTR);
    let len = b.op(LlOp::GetInteriorLength(FieldRef { strukt: TypeId::STR, index: 3 }), vec![v(msg)], TypeId::SIGNED);
    let r = b.op(LlOp::IntAdd, vec![v(len), v(app_in[1])], TypeId::SIGNED);
    b.ret(v(r));

    let g = &mut b.graph;
    let rb = g.returnblock;
    let (t1, e1) = (g.new_var(Some("last_exception"), TypeId::VTABLE_PTR), g.new_var(Some("last_exc_value"), TypeId::OBJECT_PTR));
    let (t2, e2) = (g.new_var(Some("last_exception"), TypeId::VTABLE_PTR), g.new_var(Some("last_exc_value"), TypeId::BASE_EXCEPTION_PTR));
    let block = g.block_mut(start);
    block.exitswitch = ExitSwitch::LastException;
    block.exits = vec![
        Link::new(rb, vec![v(y)]),
        Link { target: rb, args: vec![int(-1)], case: LinkCase::Exception(vt(cls.key_error)), last_exception: Some(t1), last_exc_value: Some(e1), arg_spans: Vec::new() },
        Link { target: app, args: vec![v(e2), v(p[0])], case: LinkCase::Exception(vt(cls.app_error)), last_exception: Some(t2), last_exc_value: Some(e2), arg_spans: Vec::new() },
    ];
    let handler = add(&mut prog, b, &[TypeId::SIGNED], TypeId::SIGNED);
    insta::assert_snapshot!("catch_two_handlers", check(prog, &[handler]));
}

/// `def caller(x): try: y = pure(x) except Exception: y = 0; return pure(y)`: neither
/// call can raise, so the checks and the handler disappear.
#[test]
fn calls_that_cannot_raise_get_no_check() {
    let mut prog = LlProgram::new();
    let cls = classes(&mut prog);
    let callee = pure(&mut prog);
    let callee_c = prog.func_const(callee);
    let (mut b, p) = LlBuilder::new("caller", &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let start = b.current();
    let y = b.op(LlOp::DirectCall, vec![c(callee_c.clone()), v(p[0])], TypeId::SIGNED);
    let (after, after_in) = b.new_block(&[TypeId::SIGNED]);
    b.switch_to(after);
    let z = b.op(LlOp::DirectCall, vec![c(callee_c), v(after_in[0])], TypeId::SIGNED);
    b.ret(v(z));
    let g = &mut b.graph;
    let (t, e) = (g.new_var(Some("last_exception"), TypeId::VTABLE_PTR), g.new_var(Some("last_exc_value"), TypeId::OBJECT_PTR));
    let block = g.block_mut(start);
    block.exitswitch = ExitSwitch::LastException;
    block.exits = vec![
        Link::new(after, vec![v(y)]),
        Link { target: after, args: vec![int(0)], case: LinkCase::Exception(vt(cls.exception)), last_exception: Some(t), last_exc_value: Some(e), arg_spans: Vec::new() },
    ];
    let caller = add(&mut prog, b, &[TypeId::SIGNED], TypeId::SIGNED);
    insta::assert_snapshot!("no_check", check(prog, &[caller]));
}

/// A raising op in the middle of a block with a value switch: the rest of the block,
/// switch included, moves to a new block that receives only what it uses.
#[test]
fn a_split_block_carries_only_the_variables_used_later() {
    let mut prog = LlProgram::new();
    let cls = classes(&mut prog);
    let callee = may_fail(&mut prog, &cls);
    let callee_c = prog.func_const(callee);
    // `def f(a, b): unused = a + b; y = may_fail(a); if y < b: return y; return b`
    let (mut b, p) = LlBuilder::new("f", &[TypeId::SIGNED, TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    b.op(LlOp::IntAdd, vec![v(p[0]), v(p[1])], TypeId::SIGNED);
    let y = b.op(LlOp::DirectCall, vec![c(callee_c), v(p[0])], TypeId::SIGNED);
    let lt = b.op(LlOp::IntLt, vec![v(y), v(p[1])], TypeId::BOOL);
    let rb = b.graph.returnblock;
    b.branch(v(lt), (rb, vec![v(y)]), (rb, vec![v(p[1])]));
    let f = add(&mut prog, b, &[TypeId::SIGNED, TypeId::SIGNED], TypeId::SIGNED);
    insta::assert_snapshot!("split", check(prog, &[f]));
}

#[test]
fn error_values_follow_the_return_type() {
    use kiln_transform::exceptions::error_value;
    assert_eq!(error_value(TypeId::VOID), LlConst::Void);
    assert_eq!(error_value(TypeId::BOOL), LlConst::Bool(false));
    assert_eq!(error_value(TypeId::FLOAT), LlConst::Float(0.0));
    assert_eq!(error_value(TypeId::UNICHAR), LlConst::UniChar(0));
    assert_eq!(error_value(TypeId::STR_PTR), LlConst::Null(TypeId::STR_PTR));
}

/// `try: a = may_fail(x); b = may_fail(a) except KeyError: b = 0`, as the flow space
/// builds it when only the second call is inside the `try`: the first call gets a
/// propagation check, the second the handler dispatch.
#[test]
fn a_raising_op_before_the_last_of_a_catching_block_propagates() {
    let mut prog = LlProgram::new();
    let cls = classes(&mut prog);
    let callee = may_fail(&mut prog, &cls);
    let callee_c = prog.func_const(callee);
    let (mut b, p) = LlBuilder::new("twice", &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let start = b.current();
    let a = b.op(LlOp::DirectCall, vec![c(callee_c.clone()), v(p[0])], TypeId::SIGNED);
    let r = b.op(LlOp::DirectCall, vec![c(callee_c), v(a)], TypeId::SIGNED);
    let g = &mut b.graph;
    let rb = g.returnblock;
    let (t, e) = (g.new_var(Some("last_exception"), TypeId::VTABLE_PTR), g.new_var(Some("last_exc_value"), TypeId::OBJECT_PTR));
    let block = g.block_mut(start);
    block.exitswitch = ExitSwitch::LastException;
    block.exits = vec![
        Link::new(rb, vec![v(r)]),
        Link { target: rb, args: vec![v(a)], case: LinkCase::Exception(vt(cls.key_error)), last_exception: Some(t), last_exc_value: Some(e), arg_spans: Vec::new() },
    ];
    let f = add(&mut prog, b, &[TypeId::SIGNED], TypeId::SIGNED);
    insta::assert_snapshot!("catch_after_check", check(prog, &[f]));
}

/// Inserted ops carry the span of the op that raised.
#[test]
fn inserted_ops_keep_the_span_of_the_raising_op() {
    let mut prog = LlProgram::new();
    let cls = classes(&mut prog);
    let callee = may_fail(&mut prog, &cls);
    let callee_c = prog.func_const(callee);
    let call_span = Span::new(kiln_flowgraph::Span::DUMMY.file, 10, 20);
    let (mut b, p) = LlBuilder::new("caller", &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    b.span = call_span;
    let y = b.op(LlOp::DirectCall, vec![c(callee_c), v(p[0])], TypeId::SIGNED);
    b.span = Span::DUMMY;
    let r = b.op(LlOp::IntMul, vec![v(y), int(2)], TypeId::SIGNED);
    b.ret(v(r));
    let caller = add(&mut prog, b, &[TypeId::SIGNED], TypeId::SIGNED);
    let effects = analyze(&prog);
    exceptions::run(&mut prog, &effects);
    let g = &prog.func(caller).graph;
    let ops = &g.block(g.startblock).ops;
    assert_eq!(ops.iter().map(|o| (o.op, o.span)).collect::<Vec<_>>(), vec![(LlOp::DirectCall, call_span), (LlOp::ExcOccurred, call_span)]);
}

/// The pass list runs the effect analysis, the stack checks, the exception transform and
/// the GC transform (a no-op without a collector), verified and timed.
#[test]
fn run_all_runs_every_pass_in_order() {
    let mut prog = LlProgram::new();
    let cls = classes(&mut prog);
    may_fail(&mut prog, &cls);
    let timings = kiln_transform::run_all(&mut prog, &kiln_transform::TransformOptions { verify: true, ..Default::default() }).expect("the passes succeed");
    let names: Vec<&str> = timings.iter().map(|t| t.pass).collect();
    assert_eq!(names, ["effects", "stackcheck", "exceptions", "gc"]);
    assert!(prog.funcs.iter().all(|f| f.graph.reachable_blocks().iter().all(|b| !f.graph.block(*b).catches_exceptions())));
}
