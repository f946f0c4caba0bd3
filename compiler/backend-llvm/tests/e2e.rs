//! End-to-end tests: hand-built programs go through the exception transform and the
//! backend, are linked with the runtime, run, and their output and exit status checked.
//! Each program runs at O0 and at O2, which must agree.

mod support;

use kiln_abi::BuiltinExc;
use kiln_flowgraph::{ExitSwitch, Link, LinkCase, Span};
use kiln_lltype::builder::{c, int, v, LlBuilder, LlValue};
use kiln_lltype::eval::eval_pure;
use kiln_lltype::{FieldRef, FuncId, LlConst, LlOp, LlProgram, RtFn, StaticObj, StaticValue, TypeId};
use support::*;

/// Builds the program with `make`, runs it at O0 and O2 with `args`, checks that both
/// runs agree and returns one.
fn check_run(make: impl Fn() -> LlProgram, args: &[&str]) -> Run {
    let o0 = build_and_run(make(), 0, args);
    let o2 = build_and_run(make(), 2, args);
    assert_eq!((&o0.stdout, &o0.stderr, o0.code), (&o2.stdout, &o2.stderr, o2.code), "O0 and O2 disagree");
    o0
}

fn print_int(b: &mut LlBuilder, value: LlValue) {
    b.op(LlOp::RtCall(RtFn::OutInt), vec![value], TypeId::VOID);
}

fn print_char(b: &mut LlBuilder, ch: char) {
    b.op(LlOp::RtCall(RtFn::OutChar), vec![c(LlConst::UniChar(ch as u32))], TypeId::VOID);
}

/// `fib(25)` with the naive recursion.
fn fib_program() -> LlProgram {
    let mut prog = LlProgram::new();
    let fty = prog.types.func(vec![TypeId::SIGNED], TypeId::SIGNED);
    let fib = LlConst::Func(FuncId(0), prog.types.ptr(fty));
    let (mut b, p) = LlBuilder::new("fib", &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let small = b.op(LlOp::IntLt, vec![v(p[0]), int(2)], TypeId::BOOL);
    let (rec, n) = b.new_block(&[TypeId::SIGNED]);
    let rb = b.graph.returnblock;
    b.branch(v(small), (rb, vec![v(p[0])]), (rec, vec![v(p[0])]));
    b.switch_to(rec);
    let n1 = b.op(LlOp::IntSub, vec![v(n[0]), int(1)], TypeId::SIGNED);
    let f1 = b.op(LlOp::DirectCall, vec![c(fib.clone()), v(n1)], TypeId::SIGNED);
    let n2 = b.op(LlOp::IntSub, vec![v(n[0]), int(2)], TypeId::SIGNED);
    let f2 = b.op(LlOp::DirectCall, vec![c(fib.clone()), v(n2)], TypeId::SIGNED);
    let sum = b.op(LlOp::IntAdd, vec![v(f1), v(f2)], TypeId::SIGNED);
    b.ret(v(sum));
    assert_eq!(add_func(&mut prog, b, &[TypeId::SIGNED], TypeId::SIGNED), FuncId(0));

    let (mut b, _) = entry_builder();
    let r = b.op(LlOp::DirectCall, vec![c(fib), int(25)], TypeId::SIGNED);
    print_int(&mut b, v(r));
    print_char(&mut b, '\n');
    b.ret(int(0));
    set_entry(&mut prog, b);
    prog
}

#[test]
fn fib_prints_its_result() {
    let run = check_run(fib_program, &[]);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str(), run.code), ("75025\n", "", Some(0)));
}

/// `n = len(argv); for i in range(3 * n): print(i, end=" ")`, returning `n`: a loop whose
/// bound is only known at run time, and the entry point's result as the exit status.
fn loop_program() -> LlProgram {
    let mut prog = LlProgram::new();
    let (mut b, argv) = entry_builder();
    let n = b.op(LlOp::GetField(LIST_LENGTH), vec![v(argv)], TypeId::SIGNED);
    let bound = b.op(LlOp::IntMul, vec![v(n), int(3)], TypeId::SIGNED);
    let (head, hv) = b.new_block(&[TypeId::SIGNED, TypeId::SIGNED, TypeId::SIGNED]);
    b.jump(head, vec![int(0), v(bound), v(n)]);
    b.switch_to(head);
    let more = b.op(LlOp::IntLt, vec![v(hv[0]), v(hv[1])], TypeId::BOOL);
    let (body, bv) = b.new_block(&[TypeId::SIGNED, TypeId::SIGNED, TypeId::SIGNED]);
    let (done, dv) = b.new_block(&[TypeId::SIGNED]);
    b.branch(v(more), (body, vec![v(hv[0]), v(hv[1]), v(hv[2])]), (done, vec![v(hv[2])]));
    b.switch_to(body);
    print_int(&mut b, v(bv[0]));
    print_char(&mut b, ' ');
    let next = b.op(LlOp::IntAdd, vec![v(bv[0]), int(1)], TypeId::SIGNED);
    b.jump(head, vec![v(next), v(bv[1]), v(bv[2])]);
    b.switch_to(done);
    print_char(&mut b, '\n');
    b.ret(v(dv[0]));
    set_entry(&mut prog, b);
    prog
}

#[test]
fn a_loop_prints_and_the_entry_result_is_the_exit_status() {
    let run = check_run(loop_program, &["a", "b"]);
    assert_eq!((run.stdout.as_str(), run.code), ("0 1 2 3 4 5 6 7 8 \n", Some(3)));
}

/// One case of the differential test: an op and its constant arguments.
fn arith_cases() -> Vec<(LlOp, Vec<LlConst>)> {
    use LlConst::{Bool as B, Char as Ch, Float as F, Signed as S, UniChar as U, Unsigned as Un};
    use LlOp::*;
    let (min, max) = (i64::MIN, i64::MAX);
    let nan = f64::NAN;
    let mut cases = Vec::new();
    for (a, d) in [(-7, 2), (7, -2), (-7, -2), (7, 2), (min, -1), (0, -5), (min, 1), (5, min), (max, -1), (-1, max)] {
        cases.push((IntFloorDiv, vec![S(a), S(d)]));
        cases.push((IntMod, vec![S(a), S(d)]));
    }
    cases.extend([
        (IntMul, vec![S(max), S(2)]),
        (IntNeg, vec![S(min)]),
        (IntAbs, vec![S(min)]),
        (IntAbs, vec![S(-5)]),
        (IntInvert, vec![S(5)]),
        (IntLshift, vec![S(1), S(63)]),
        (IntLshift, vec![S(3), S(0)]),
        (IntRshift, vec![S(-16), S(2)]),
        (IntRshift, vec![S(min), S(63)]),
        (UintRshift, vec![Un(u64::MAX), S(63)]),
        (UintLshift, vec![Un(5), S(62)]),
        (IntAddOverflows, vec![S(max), S(1)]),
        (IntAddOverflows, vec![S(min), S(-1)]),
        (IntAddOverflows, vec![S(1), S(2)]),
        (IntSubOverflows, vec![S(min), S(1)]),
        (IntMulOverflows, vec![S(max / 2 + 1), S(2)]),
        (IntMulOverflows, vec![S(-1), S(min)]),
        (IntMulOverflows, vec![S(3), S(4)]),
        (IntBetween, vec![S(1), S(1), S(2)]),
        (IntBetween, vec![S(1), S(2), S(2)]),
        (IntBetween, vec![S(0), S(-1), S(5)]),
        (UintFloorDiv, vec![Un(u64::MAX), Un(3)]),
        (UintMod, vec![Un(u64::MAX), Un(10)]),
        (UintLt, vec![Un(1), Un(u64::MAX)]),
        (UintGe, vec![Un(u64::MAX), Un(1)]),
        (FloatEq, vec![F(nan), F(nan)]),
        (FloatNe, vec![F(nan), F(nan)]),
        (FloatLt, vec![F(nan), F(1.0)]),
        (FloatGe, vec![F(nan), F(nan)]),
        (FloatLe, vec![F(1.0), F(1.0)]),
        (FloatIsTrue, vec![F(nan)]),
        (FloatIsTrue, vec![F(-0.0)]),
        (FloatAdd, vec![F(2.5), F(0.5)]),
        (FloatTrueDiv, vec![F(-7.0), F(2.0)]),
        (FloatAbs, vec![F(-4.0)]),
        (CastFloatToInt, vec![F(-3.7)]),
        (CastFloatToInt, vec![F(1e18)]),
        (CastIntToChar, vec![S(300)]),
        (CastCharToInt, vec![Ch(200)]),
        (CastIntToUniChar, vec![S(0x1_0001_F600)]),
        (CharLt, vec![Ch(200), Ch(100)]),
        (UniCharLt, vec![U(0x10FFFF), U(65)]),
        (BoolNot, vec![B(true)]),
        (BoolEq, vec![B(false), B(false)]),
        (CastBoolToFloat, vec![B(true)]),
        (CastUintToFloat, vec![Un(1 << 40)]),
    ]);
    cases
}

/// Turns a constant into a value computed at run time from `one` (the length of argv,
/// 1), so that neither LLVM nor anything else can fold the op under test.
fn hide(b: &mut LlBuilder, k: &LlConst, one: kiln_flowgraph::Var) -> LlValue {
    let times_one = |b: &mut LlBuilder, x: i64| b.op(LlOp::IntMul, vec![int(x), v(one)], TypeId::SIGNED);
    match k {
        LlConst::Signed(x) => v(times_one(b, *x)),
        LlConst::Unsigned(x) => {
            let i = times_one(b, *x as i64);
            v(b.op(LlOp::CastIntToUint, vec![v(i)], TypeId::UNSIGNED))
        }
        LlConst::Float(x) => {
            let f = b.op(LlOp::CastIntToFloat, vec![v(one)], TypeId::FLOAT);
            v(b.op(LlOp::FloatMul, vec![c(LlConst::Float(*x)), v(f)], TypeId::FLOAT))
        }
        LlConst::Bool(x) => v(b.op(LlOp::IntEq, vec![v(one), int(*x as i64)], TypeId::BOOL)),
        LlConst::Char(x) => {
            let i = times_one(b, *x as i64);
            v(b.op(LlOp::CastIntToChar, vec![v(i)], TypeId::CHAR))
        }
        LlConst::UniChar(x) => {
            let i = times_one(b, *x as i64);
            v(b.op(LlOp::CastIntToUniChar, vec![v(i)], TypeId::UNICHAR))
        }
        other => panic!("no hidden form for {other:?}"),
    }
}

/// The result type of a case's op.
fn result_type(op: LlOp) -> TypeId {
    use kiln_lltype::Kind;
    match op.signature().expect("the cases use ops with fixed signatures").1 {
        Kind::Int => TypeId::SIGNED,
        Kind::Uint => TypeId::UNSIGNED,
        Kind::Float => TypeId::FLOAT,
        Kind::Bool => TypeId::BOOL,
        Kind::Char => TypeId::CHAR,
        Kind::UniChar => TypeId::UNICHAR,
        other => panic!("no cases with {other:?} results"),
    }
}

fn arith_program() -> LlProgram {
    let mut prog = LlProgram::new();
    let (mut b, argv) = entry_builder();
    let one = b.op(LlOp::GetField(LIST_LENGTH), vec![v(argv)], TypeId::SIGNED);
    for (op, args) in arith_cases() {
        let hidden: Vec<LlValue> = args.iter().map(|k| hide(&mut b, k, one)).collect();
        let ty = result_type(op);
        let r = b.op(op, hidden, ty);
        let printed = match ty {
            TypeId::SIGNED => r,
            TypeId::UNSIGNED => b.op(LlOp::CastUintToInt, vec![v(r)], TypeId::SIGNED),
            TypeId::FLOAT => b.op(LlOp::CastFloatToInt, vec![v(r)], TypeId::SIGNED),
            TypeId::BOOL => b.op(LlOp::CastBoolToInt, vec![v(r)], TypeId::SIGNED),
            TypeId::CHAR => b.op(LlOp::CastCharToInt, vec![v(r)], TypeId::SIGNED),
            _ => b.op(LlOp::CastUniCharToInt, vec![v(r)], TypeId::SIGNED),
        };
        print_int(&mut b, v(printed));
        print_char(&mut b, '\n');
    }
    b.ret(int(0));
    set_entry(&mut prog, b);
    prog
}

/// What `kiln_lltype::eval` (the llinterp's semantics) says each case prints.
fn arith_expected() -> String {
    let mut out = String::new();
    for (op, args) in arith_cases() {
        let raw: Vec<u64> = args.iter().map(|a| a.to_bits().expect("primitive constants")).collect();
        let r = eval_pure(op, &raw).unwrap_or_else(|| panic!("{op:?}{args:?} breaks a precondition"));
        let printed = match result_type(op) {
            TypeId::FLOAT => f64::from_bits(r) as i64,
            _ => r as i64,
        };
        out.push_str(&format!("{printed}\n"));
    }
    out
}

#[test]
fn ops_compute_what_the_eval_module_says() {
    let run = check_run(arith_program, &[]);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    let expected = arith_expected();
    for (i, ((got, want), (op, args))) in run.stdout.lines().zip(expected.lines()).zip(arith_cases()).enumerate() {
        assert_eq!(got, want, "case {i}: {op:?}{args:?}");
    }
    assert_eq!(run.stdout, expected);
}

/// Raises `cls` with `message` from the current block (allocating the instance).
fn raise_new(prog: &mut LlProgram, b: &mut LlBuilder, cls: kiln_lltype::StaticId, message: &str) {
    let msg = prog.str_const(message);
    let e = b.op(LlOp::Malloc, vec![], TypeId::BASE_EXCEPTION_PTR);
    b.op(LlOp::SetField(TYPEPTR), vec![v(e), c(vt(cls))], TypeId::VOID);
    b.op(LlOp::SetField(MESSAGE), vec![v(e), c(msg)], TypeId::VOID);
    let obj = b.op(LlOp::CastPointer, vec![v(e)], TypeId::OBJECT_PTR);
    b.raise(c(vt(cls)), v(obj));
}

/// `print("before"); raise ValueError("bad")` in the entry point.
fn uncaught_program() -> LlProgram {
    let mut prog = LlProgram::new();
    let value_error = exc_vtable(&mut prog, "ValueError", 2, 3);
    prog.exc_vtables[BuiltinExc::ValueError as usize] = Some(value_error);
    let before = prog.str_const("before\n");
    let (mut b, _) = entry_builder();
    b.op(LlOp::RtCall(RtFn::OutStr), vec![c(before)], TypeId::VOID);
    raise_new(&mut prog, &mut b, value_error, "bad");
    set_entry(&mut prog, b);
    prog
}

#[test]
fn an_exception_escaping_the_entry_point_is_reported_with_status_1() {
    let run = check_run(uncaught_program, &[]);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str(), run.code), ("before\n", "ValueError: bad\n", Some(1)));
}

/// ```python
/// def may_fail(n):
///     if n < 0: raise ValueError("negative")
///     return n
/// def entry_point(argv):
///     try: n = int("12x")                       # the runtime raises ValueError
///     except KeyError: n = -2
///     except ValueError: n = -1
///     print(n)
///     try: n = may_fail(n * 5)
///     except KeyError: n = -3                    # does not match: ValueError escapes
///     print(n)
///     return 0
/// ```
fn handlers_program() -> LlProgram {
    let mut prog = LlProgram::new();
    let value_error = exc_vtable(&mut prog, "ValueError", 2, 3);
    let key_error = exc_vtable(&mut prog, "KeyError", 3, 4);
    prog.exc_vtables[BuiltinExc::ValueError as usize] = Some(value_error);
    prog.exc_vtables[BuiltinExc::KeyError as usize] = Some(key_error);

    let (mut b, p) = LlBuilder::new("may_fail", &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let neg = b.op(LlOp::IntLt, vec![v(p[0]), int(0)], TypeId::BOOL);
    let (raise, _) = b.new_block(&[]);
    let rb = b.graph.returnblock;
    b.branch(v(neg), (raise, vec![]), (rb, vec![v(p[0])]));
    b.switch_to(raise);
    raise_new(&mut prog, &mut b, value_error, "negative");
    let may_fail = add_func(&mut prog, b, &[TypeId::SIGNED], TypeId::SIGNED);
    let may_fail = prog.func_const(may_fail);

    let text = prog.str_const("12x");
    let (mut b, _) = entry_builder();
    let first = b.current();
    let parsed = b.op(LlOp::RtCall(RtFn::StrToInt), vec![c(text), int(10)], TypeId::SIGNED);
    let (after, n) = b.new_block(&[TypeId::SIGNED]);
    let handlers = |g: &mut kiln_lltype::LlGraph, block, normal: Link<LlConst>, cases: Vec<(kiln_lltype::StaticId, Link<LlConst>)>| {
        let mut exits = vec![normal];
        for (cls, mut link) in cases {
            link.case = LinkCase::Exception(vt(cls));
            link.last_exception = Some(g.new_var(Some("last_exception"), TypeId::VTABLE_PTR));
            link.last_exc_value = Some(g.new_var(Some("last_exc_value"), TypeId::OBJECT_PTR));
            exits.push(link);
        }
        let bl = g.block_mut(block);
        bl.exitswitch = ExitSwitch::LastException;
        bl.exits = exits;
    };
    handlers(
        &mut b.graph,
        first,
        Link::new(after, vec![v(parsed)]),
        vec![(key_error, Link::new(after, vec![int(-2)])), (value_error, Link::new(after, vec![int(-1)]))],
    );
    b.switch_to(after);
    print_int(&mut b, v(n[0]));
    print_char(&mut b, '\n');
    let times5 = b.op(LlOp::IntMul, vec![v(n[0]), int(5)], TypeId::SIGNED);
    let second = b.current();
    let r = b.op(LlOp::DirectCall, vec![c(may_fail), v(times5)], TypeId::SIGNED);
    let (end, m) = b.new_block(&[TypeId::SIGNED]);
    handlers(&mut b.graph, second, Link::new(end, vec![v(r)]), vec![(key_error, Link::new(end, vec![int(-3)]))]);
    b.switch_to(end);
    print_int(&mut b, v(m[0]));
    print_char(&mut b, '\n');
    b.ret(int(0));
    set_entry(&mut prog, b);
    prog
}

#[test]
fn handlers_catch_matching_exceptions_and_let_others_propagate() {
    let run = check_run(handlers_program, &[]);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str(), run.code), ("-1\n", "ValueError: negative\n", Some(1)));
}

/// Heap and data: a GC array filled in a loop and summed, a prebuilt non-ASCII string,
/// a user struct with Bool and UniChar fields (allocated and prebuilt), a variable-size
/// struct with inline code points, and an indirect call through a function pointer.
fn heap_program() -> LlProgram {
    let mut prog = LlProgram::new();
    let (mut b, p) = LlBuilder::new("square", &[TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let sq = b.op(LlOp::IntMul, vec![v(p[0]), v(p[0])], TypeId::SIGNED);
    b.ret(v(sq));
    let square = add_func(&mut prog, b, &[TypeId::SIGNED], TypeId::SIGNED);
    let square = prog.func_const(square);

    let point = prog.types.new_struct("Point", true);
    prog.types.add_field(point, "x", TypeId::SIGNED);
    prog.types.add_field(point, "flag", TypeId::BOOL);
    prog.types.add_field(point, "ch", TypeId::UNICHAR);
    let point_ptr = prog.types.ptr(point);
    let field = |index| FieldRef { strukt: point, index };
    let origin = prog.add_static(StaticObj { ty: point, value: StaticValue::Struct { fields: vec![LlConst::Signed(-42), LlConst::Bool(true), LlConst::UniChar('λ' as u32)], items: vec![] }, name: "origin".into() });
    let ubuf_items = prog.types.raw_array(TypeId::UNICHAR);
    let ubuf = prog.types.new_struct("UBuf", true);
    prog.types.add_field(ubuf, "flag", TypeId::BOOL);
    prog.types.add_field(ubuf, "chars", ubuf_items);
    let ubuf_ptr = prog.types.ptr(ubuf);
    let chars = FieldRef { strukt: ubuf, index: 1 };
    let text = prog.str_const("héllo ✓\n");

    let (mut b, _) = entry_builder();
    // squares = [i * i for i in range(10)]; print(sum(squares))
    let arr = b.op(LlOp::MallocVarsize, vec![int(10)], TypeId::ARRAY_SIGNED_PTR);
    let (fill, fv) = b.new_block(&[TypeId::ARRAY_SIGNED_PTR, TypeId::SIGNED]);
    b.jump(fill, vec![v(arr), int(0)]);
    b.switch_to(fill);
    let len = b.op(LlOp::GetArrayLength, vec![v(fv[0])], TypeId::SIGNED);
    let more = b.op(LlOp::IntLt, vec![v(fv[1]), v(len)], TypeId::BOOL);
    let (store, sv) = b.new_block(&[TypeId::ARRAY_SIGNED_PTR, TypeId::SIGNED]);
    let (sum, uv) = b.new_block(&[TypeId::ARRAY_SIGNED_PTR, TypeId::SIGNED, TypeId::SIGNED]);
    b.branch(v(more), (store, vec![v(fv[0]), v(fv[1])]), (sum, vec![v(fv[0]), int(0), int(0)]));
    b.switch_to(store);
    let sq = b.op(LlOp::IntMul, vec![v(sv[1]), v(sv[1])], TypeId::SIGNED);
    b.op(LlOp::SetArrayItem, vec![v(sv[0]), v(sv[1]), v(sq)], TypeId::VOID);
    let next = b.op(LlOp::IntAdd, vec![v(sv[1]), int(1)], TypeId::SIGNED);
    b.jump(fill, vec![v(sv[0]), v(next)]);
    b.switch_to(sum);
    let more = b.op(LlOp::IntLt, vec![v(uv[1]), int(10)], TypeId::BOOL);
    let (add, av) = b.new_block(&[TypeId::ARRAY_SIGNED_PTR, TypeId::SIGNED, TypeId::SIGNED]);
    let (rest, rv) = b.new_block(&[TypeId::SIGNED]);
    b.branch(v(more), (add, vec![v(uv[0]), v(uv[1]), v(uv[2])]), (rest, vec![v(uv[2])]));
    b.switch_to(add);
    let item = b.op(LlOp::GetArrayItem, vec![v(av[0]), v(av[1])], TypeId::SIGNED);
    let total = b.op(LlOp::IntAdd, vec![v(av[2]), v(item)], TypeId::SIGNED);
    let next = b.op(LlOp::IntAdd, vec![v(av[1]), int(1)], TypeId::SIGNED);
    b.jump(sum, vec![v(av[0]), v(next), v(total)]);
    b.switch_to(rest);
    print_int(&mut b, v(rv[0]));
    print_char(&mut b, '\n');
    b.op(LlOp::RtCall(RtFn::OutStr), vec![c(text)], TypeId::VOID);
    // An indirect call: `f = square; print(f(7))`.
    let f = b.op(LlOp::SameAs, vec![c(square.clone())], square.ty());
    let r = b.op(LlOp::IndirectCall, vec![v(f), int(7)], TypeId::SIGNED);
    print_int(&mut b, v(r));
    print_char(&mut b, '\n');
    // A new Point with a Bool and a code point, and the prebuilt origin.
    let pt = b.op(LlOp::Malloc, vec![], point_ptr);
    b.op(LlOp::SetField(field(1)), vec![v(pt), c(LlConst::Bool(true))], TypeId::VOID);
    b.op(LlOp::SetField(field(2)), vec![v(pt), c(LlConst::UniChar('é' as u32))], TypeId::VOID);
    let flag = b.op(LlOp::GetField(field(1)), vec![v(pt)], TypeId::BOOL);
    let flag = b.op(LlOp::CastBoolToInt, vec![v(flag)], TypeId::SIGNED);
    print_int(&mut b, v(flag));
    let ch = b.op(LlOp::GetField(field(2)), vec![v(pt)], TypeId::UNICHAR);
    b.op(LlOp::RtCall(RtFn::OutChar), vec![v(ch)], TypeId::VOID);
    let x = b.op(LlOp::GetField(field(0)), vec![c(LlConst::Static(origin, point_ptr))], TypeId::SIGNED);
    print_int(&mut b, v(x));
    let ch = b.op(LlOp::GetField(field(2)), vec![c(LlConst::Static(origin, point_ptr))], TypeId::UNICHAR);
    b.op(LlOp::RtCall(RtFn::OutChar), vec![v(ch)], TypeId::VOID);
    print_char(&mut b, '\n');
    // A UBuf of 3 code points: store 'a', 'b', '✓' and print them back with the length.
    let buf = b.op(LlOp::MallocVarsize, vec![int(3)], ubuf_ptr);
    for (i, ch) in ['a', 'b', '✓'].into_iter().enumerate() {
        b.op(LlOp::SetInteriorItem(chars), vec![v(buf), int(i as i64), c(LlConst::UniChar(ch as u32))], TypeId::VOID);
    }
    let n = b.op(LlOp::GetInteriorLength(chars), vec![v(buf)], TypeId::SIGNED);
    print_int(&mut b, v(n));
    for i in [2, 1, 0] {
        let ch = b.op(LlOp::GetInteriorItem(chars), vec![v(buf), int(i)], TypeId::UNICHAR);
        b.op(LlOp::RtCall(RtFn::OutChar), vec![v(ch)], TypeId::VOID);
    }
    print_char(&mut b, '\n');
    b.ret(int(0));
    set_entry(&mut prog, b);
    prog
}

#[test]
fn heap_objects_statics_and_indirect_calls_work() {
    let run = check_run(heap_program, &[]);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str(), run.code), ("285\nhéllo ✓\n49\n1é-42λ\n3✓ba\n", "", Some(0)));
}
