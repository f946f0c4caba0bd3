//! End-to-end runs of hand-built low-level programs (after the exception transform, as
//! the llinterp expects them): each test builds a program with `LlBuilder`, checks it
//! with the verifier, runs it with captured output, and compares exit status, stdout and
//! stderr with what a translated binary would produce.

use kiln_flowgraph::{ExitSwitch, Link, LinkCase, Span};
use kiln_llinterp::{run_captured, LlInterpError, RtConfig, RunOptions, RunOutput};
use kiln_lltype::builder::{c, int, v, LlBuilder, LlValue};
use kiln_lltype::{Field, FieldRef, FuncId, FuncKind, LlConst, LlFunc, LlOp, LlProgram, RtFn, StaticObj, StaticValue, TypeId};

// ---------------------------------------------------------------------------------------
// Helpers

fn builder(name: &str, params: &[TypeId], ret: TypeId) -> (LlBuilder, Vec<kiln_flowgraph::Var>) {
    LlBuilder::new(name, params, ret, Span::DUMMY)
}

/// The id the next added function will get (for recursive and forward calls).
fn next_func(prog: &LlProgram) -> FuncId {
    FuncId(prog.funcs.len() as u32)
}

fn add_func(prog: &mut LlProgram, b: LlBuilder, params: &[TypeId], ret: TypeId) -> FuncId {
    let graph = b.finish();
    let ty = prog.types.func(params.to_vec(), ret);
    prog.add_func(LlFunc { name: graph.name.clone(), graph, ty, kind: FuncKind::User, hints: Default::default() })
}

/// A constant pointer to function `id` of type `(params) -> ret` (which may not exist yet).
fn func_ref(prog: &mut LlProgram, id: FuncId, params: &[TypeId], ret: TypeId) -> LlValue {
    let fty = prog.types.func(params.to_vec(), ret);
    let pty = prog.types.ptr(fty);
    c(LlConst::Func(id, pty))
}

fn rt(b: &mut LlBuilder, f: RtFn, args: Vec<LlValue>, ty: TypeId) -> kiln_flowgraph::Var {
    b.op(LlOp::RtCall(f), args, ty)
}

fn field(strukt: TypeId, index: u32) -> LlOp {
    LlOp::GetField(FieldRef { strukt, index })
}

fn set_field(strukt: TypeId, index: u32) -> LlOp {
    LlOp::SetField(FieldRef { strukt, index })
}

/// `argv[i]` in an entry point.
fn argv_item(b: &mut LlBuilder, argv: kiln_flowgraph::Var, i: i64) -> kiln_flowgraph::Var {
    let items = b.op(field(TypeId::LIST_STR, 1), vec![v(argv)], TypeId::ARRAY_STR_PTR);
    b.op(LlOp::GetArrayItem, vec![v(items), int(i)], TypeId::STR_PTR)
}

/// Makes `build`'s graph the entry point `(argv) -> int`, verifies the program and runs it.
fn run_entry(
    mut prog: LlProgram,
    build: impl FnOnce(&mut LlProgram, &mut LlBuilder, kiln_flowgraph::Var),
    args: &[&str],
    opts: &RunOptions,
) -> Result<RunOutput, LlInterpError> {
    let (mut b, p) = builder("entry_point", &[TypeId::LIST_STR_PTR], TypeId::SIGNED);
    build(&mut prog, &mut b, p[0]);
    let entry = add_func(&mut prog, b, &[TypeId::LIST_STR_PTR], TypeId::SIGNED);
    prog.entry = Some(entry);
    assert_eq!(kiln_lltype::verify::verify_program(&prog), Vec::<String>::new(), "the test program is well formed");
    let args: Vec<String> = std::iter::once("prog").chain(args.iter().copied()).map(String::from).collect();
    run_captured(&prog, &args, opts)
}

/// Runs and compares (exit status, stdout, stderr).
fn check(prog: LlProgram, build: impl FnOnce(&mut LlProgram, &mut LlBuilder, kiln_flowgraph::Var), args: &[&str], expected: (i32, &str, &str)) {
    check_with(prog, build, args, &RunOptions::default(), expected)
}

fn check_with(
    prog: LlProgram,
    build: impl FnOnce(&mut LlProgram, &mut LlBuilder, kiln_flowgraph::Var),
    args: &[&str],
    opts: &RunOptions,
    expected: (i32, &str, &str),
) {
    let out = run_entry(prog, build, args, opts).expect("the program runs");
    let got = (out.exit_code, String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert_eq!(got, (expected.0, expected.1.to_string(), expected.2.to_string()));
}

/// Runs a program that must fail inside the llinterp; returns the error.
fn internal_error(build: impl FnOnce(&mut LlProgram, &mut LlBuilder, kiln_flowgraph::Var)) -> String {
    match run_entry(LlProgram::new(), build, &[], &RunOptions::default()) {
        Err(LlInterpError::Internal(m)) => m,
        other => panic!("expected an internal error, got {other:?}"),
    }
}

/// Adds `fib(n)`: `n if n < 2 else fib(n - 1) + fib(n - 2)`, with a stack check on entry
/// and the exception checks the exception transform would insert after each call.
fn add_fib(prog: &mut LlProgram) -> FuncId {
    let id = next_func(prog);
    let fib = func_ref(prog, id, &[TypeId::SIGNED], TypeId::SIGNED);
    let (mut b, p) = builder("fib", &[TypeId::SIGNED], TypeId::SIGNED);
    rt(&mut b, RtFn::StackCheck, vec![], TypeId::VOID);
    let raised = b.op(LlOp::ExcOccurred, vec![], TypeId::BOOL);
    let (body, bv) = b.new_block(&[TypeId::SIGNED]);
    let (fail, _) = b.new_block(&[]);
    b.branch(v(raised), (fail, vec![]), (body, vec![v(p[0])]));
    b.switch_to(fail);
    b.ret(int(0));
    b.switch_to(body);
    let small = b.op(LlOp::IntLt, vec![v(bv[0]), int(2)], TypeId::BOOL);
    let (rec, rv) = b.new_block(&[TypeId::SIGNED]);
    let rb = b.graph.returnblock;
    b.branch(v(small), (rb, vec![v(bv[0])]), (rec, vec![v(bv[0])]));
    b.switch_to(rec);
    let n1 = b.op(LlOp::IntSub, vec![v(rv[0]), int(1)], TypeId::SIGNED);
    let a = b.op(LlOp::DirectCall, vec![fib.clone(), v(n1)], TypeId::SIGNED);
    let raised = b.op(LlOp::ExcOccurred, vec![], TypeId::BOOL);
    let (second, sv) = b.new_block(&[TypeId::SIGNED, TypeId::SIGNED]);
    b.branch(v(raised), (rb, vec![int(0)]), (second, vec![v(rv[0]), v(a)]));
    b.switch_to(second);
    let n2 = b.op(LlOp::IntSub, vec![v(sv[0]), int(2)], TypeId::SIGNED);
    let bres = b.op(LlOp::DirectCall, vec![fib, v(n2)], TypeId::SIGNED);
    let sum = b.op(LlOp::IntAdd, vec![v(sv[1]), v(bres)], TypeId::SIGNED);
    b.ret(v(sum));
    add_func(prog, b, &[TypeId::SIGNED], TypeId::SIGNED)
}

/// A prebuilt class vtable with the given subclass range and name.
fn vtable_static(prog: &mut LlProgram, name: &str, range: (i64, i64)) -> LlConst {
    let name_const = prog.str_const(name);
    let id = prog.add_static(StaticObj {
        ty: TypeId::VTABLE,
        value: StaticValue::Struct {
            fields: vec![
                LlConst::Signed(range.0),
                LlConst::Signed(range.1),
                name_const,
                LlConst::Signed(kiln_abi::typeid::BASE_EXCEPTION as i64),
                LlConst::Signed(24),
            ],
            items: vec![],
        },
        name: format!("vtable_{name}"),
    });
    LlConst::Static(id, TypeId::VTABLE_PTR)
}

/// Ends the current block with the check the exception transform inserts after a call
/// that can raise: when an exception is pending, return the error value 0; otherwise
/// continue in a new block, which receives the `live` values (returned, renamed).
fn check_exception(b: &mut LlBuilder, live: &[kiln_flowgraph::Var]) -> Vec<kiln_flowgraph::Var> {
    let types: Vec<TypeId> = live.iter().map(|x| *b.graph.var_type(*x)).collect();
    let raised = b.op(LlOp::ExcOccurred, vec![], TypeId::BOOL);
    let (next, renamed) = b.new_block(&types);
    let rb = b.graph.returnblock;
    b.branch(v(raised), (rb, vec![int(0)]), (next, live.iter().map(|x| v(*x)).collect()));
    b.switch_to(next);
    renamed
}

// ---------------------------------------------------------------------------------------
// Programs

#[test]
fn fib_of_an_argument() {
    let mut prog = LlProgram::new();
    let fib_id = add_fib(&mut prog);
    let fib = func_ref(&mut prog, fib_id, &[TypeId::SIGNED], TypeId::SIGNED);
    check(
        prog,
        |_, b, argv| {
            let arg = argv_item(b, argv, 1);
            let n = rt(b, RtFn::StrToInt, vec![v(arg), int(10)], TypeId::SIGNED);
            let [n] = check_exception(b, &[n])[..] else { unreachable!() };
            let r = b.op(LlOp::DirectCall, vec![fib, v(n)], TypeId::SIGNED);
            let [r] = check_exception(b, &[r])[..] else { unreachable!() };
            rt(b, RtFn::OutInt, vec![v(r)], TypeId::VOID);
            rt(b, RtFn::OutChar, vec![c(LlConst::UniChar('\n' as u32))], TypeId::VOID);
            b.ret(int(0));
        },
        &["20"],
        (0, "6765\n", ""),
    );
}

#[test]
fn a_loop_sums_and_its_result_is_the_exit_status() {
    // i, acc = 0, 0; while i < 10: acc += i; i += 1; print(acc); return acc
    check(
        LlProgram::new(),
        |_, b, _| {
            let (head, hv) = b.new_block(&[TypeId::SIGNED, TypeId::SIGNED]);
            b.jump(head, vec![int(0), int(0)]);
            b.switch_to(head);
            let more = b.op(LlOp::IntLt, vec![v(hv[0]), int(10)], TypeId::BOOL);
            let (body, bv) = b.new_block(&[TypeId::SIGNED, TypeId::SIGNED]);
            let (done, dv) = b.new_block(&[TypeId::SIGNED]);
            b.branch(v(more), (body, vec![v(hv[0]), v(hv[1])]), (done, vec![v(hv[1])]));
            b.switch_to(body);
            let acc = b.op(LlOp::IntAdd, vec![v(bv[1]), v(bv[0])], TypeId::SIGNED);
            let i = b.op(LlOp::IntAdd, vec![v(bv[0]), int(1)], TypeId::SIGNED);
            b.jump(head, vec![v(i), v(acc)]);
            b.switch_to(done);
            rt(b, RtFn::OutInt, vec![v(dv[0])], TypeId::VOID);
            b.ret(v(dv[0]));
        },
        &[],
        (45, "45", ""),
    );
}

#[test]
fn block_arguments_are_passed_in_parallel() {
    // a, b = 1, 2; three times: a, b = b, a; print(a, b)
    check(
        LlProgram::new(),
        |_, b, _| {
            let (head, hv) = b.new_block(&[TypeId::SIGNED, TypeId::SIGNED, TypeId::SIGNED]);
            b.jump(head, vec![int(3), int(1), int(2)]);
            b.switch_to(head);
            let more = b.op(LlOp::IntGt, vec![v(hv[0]), int(0)], TypeId::BOOL);
            let (done, dv) = b.new_block(&[TypeId::SIGNED, TypeId::SIGNED]);
            let n = b.op(LlOp::IntSub, vec![v(hv[0]), int(1)], TypeId::SIGNED);
            // The back edge swaps the head's own inputs: a parallel copy.
            b.branch(v(more), (head, vec![v(n), v(hv[2]), v(hv[1])]), (done, vec![v(hv[1]), v(hv[2])]));
            b.switch_to(done);
            rt(b, RtFn::OutInt, vec![v(dv[0])], TypeId::VOID);
            rt(b, RtFn::OutInt, vec![v(dv[1])], TypeId::VOID);
            b.ret(int(0));
        },
        &[],
        (0, "21", ""),
    );
}

#[test]
fn an_int_switch_with_a_default() {
    // Prints a letter for each of 0..4 through a switch: 0 -> a, 2 -> c, else -> ?.
    check(
        LlProgram::new(),
        |_, b, _| {
            let (head, hv) = b.new_block(&[TypeId::SIGNED]);
            b.jump(head, vec![int(0)]);
            b.switch_to(head);
            let more = b.op(LlOp::IntLt, vec![v(hv[0]), int(4)], TypeId::BOOL);
            let (sw, swv) = b.new_block(&[TypeId::SIGNED]);
            let rb = b.graph.returnblock;
            b.branch(v(more), (sw, vec![v(hv[0])]), (rb, vec![int(0)]));
            let (print, pv) = b.new_block(&[TypeId::SIGNED, TypeId::UNICHAR]);
            let blk = b.graph.block_mut(sw);
            blk.exitswitch = ExitSwitch::Value(v(swv[0]));
            blk.exits = vec![
                Link::new(print, vec![v(swv[0]), c(LlConst::UniChar('a' as u32))]).with_case(LinkCase::Int(0)),
                Link::new(print, vec![v(swv[0]), c(LlConst::UniChar('c' as u32))]).with_case(LinkCase::Int(2)),
                Link::new(print, vec![v(swv[0]), c(LlConst::UniChar('?' as u32))]).with_case(LinkCase::Default),
            ];
            b.switch_to(print);
            rt(b, RtFn::OutChar, vec![v(pv[1])], TypeId::VOID);
            let next = b.op(LlOp::IntAdd, vec![v(pv[0]), int(1)], TypeId::SIGNED);
            b.jump(head, vec![v(next)]);
        },
        &[],
        (0, "a?c?", ""),
    );
}

#[test]
fn strings_concatenate_compare_and_index() {
    check(
        LlProgram::new(),
        |prog, b, argv| {
            let hello = prog.str_const("héllo, ");
            let arg = argv_item(b, argv, 1);
            let s = rt(b, RtFn::StrConcat, vec![c(hello), v(arg)], TypeId::STR_PTR);
            rt(b, RtFn::OutStr, vec![v(s)], TypeId::VOID);
            rt(b, RtFn::OutChar, vec![c(LlConst::UniChar('|' as u32))], TypeId::VOID);
            // The code point at index 1 is 'é'; at 8, past a two-byte character, 'ö'.
            for i in [1, 8] {
                let ch = rt(b, RtFn::StrCharAt, vec![v(s), int(i)], TypeId::UNICHAR);
                rt(b, RtFn::OutChar, vec![v(ch)], TypeId::VOID);
            }
            let len = b.op(LlOp::GetField(FieldRef { strukt: TypeId::STR, index: 1 }), vec![v(s)], TypeId::SIGNED);
            rt(b, RtFn::OutInt, vec![v(len)], TypeId::VOID);
            let bytes = b.op(LlOp::GetInteriorLength(FieldRef { strukt: TypeId::STR, index: 3 }), vec![v(s)], TypeId::SIGNED);
            rt(b, RtFn::OutInt, vec![v(bytes)], TypeId::VOID);
            let first = b.op(LlOp::GetInteriorItem(FieldRef { strukt: TypeId::STR, index: 3 }), vec![v(s), int(0)], TypeId::CHAR);
            let first = b.op(LlOp::CastCharToUniChar, vec![v(first)], TypeId::UNICHAR);
            rt(b, RtFn::OutChar, vec![v(first)], TypeId::VOID);
            let again = prog.str_const("héllo, wörld");
            let eq = rt(b, RtFn::StrEq, vec![v(s), c(again.clone())], TypeId::BOOL);
            let eq = b.op(LlOp::CastBoolToInt, vec![v(eq)], TypeId::SIGNED);
            rt(b, RtFn::OutInt, vec![v(eq)], TypeId::VOID);
            let cmp = rt(b, RtFn::StrCmp, vec![v(arg), c(again)], TypeId::SIGNED);
            rt(b, RtFn::OutInt, vec![v(cmp)], TypeId::VOID);
            let num = rt(b, RtFn::StrFromInt, vec![int(-17)], TypeId::STR_PTR);
            rt(b, RtFn::OutStr, vec![v(num)], TypeId::VOID);
            let x = rt(b, RtFn::StrFromChar, vec![c(LlConst::UniChar('€' as u32))], TypeId::STR_PTR);
            rt(b, RtFn::OutStr, vec![v(x)], TypeId::VOID);
            rt(b, RtFn::OutFloat, vec![c(LlConst::Float(0.1))], TypeId::VOID);
            b.ret(int(0));
        },
        &["wörld"],
        (0, "héllo, wörld|éö1214h11-17€0.1", ""),
    );
}

#[test]
fn structs_are_allocated_written_and_read() {
    let mut prog = LlProgram::new();
    let point = prog.types.new_struct("Point", true);
    let f = |name: &str, ty| Field { name: name.into(), ty, mutability: Default::default() };
    prog.types.set_fields(
        point,
        vec![f("x", TypeId::SIGNED), f("flag", TypeId::BOOL), f("ch", TypeId::UNICHAR), f("y", TypeId::FLOAT), f("name", TypeId::STR_PTR)],
    );
    let point_ptr = prog.types.ptr(point);
    check(
        prog,
        |prog, b, _| {
            let p = b.op(LlOp::Malloc, vec![], point_ptr);
            let [p] = check_exception(b, &[p])[..] else { unreachable!() };
            // Fresh objects are zeroed.
            let x0 = b.op(field(point, 0), vec![v(p)], TypeId::SIGNED);
            rt(b, RtFn::OutInt, vec![v(x0)], TypeId::VOID);
            let name = prog.str_const(" name ");
            b.op(set_field(point, 0), vec![v(p), int(-5)], TypeId::VOID);
            b.op(set_field(point, 1), vec![v(p), c(LlConst::Bool(true))], TypeId::VOID);
            b.op(set_field(point, 2), vec![v(p), c(LlConst::UniChar(0x1F600))], TypeId::VOID);
            b.op(set_field(point, 3), vec![v(p), c(LlConst::Float(2.5e-7))], TypeId::VOID);
            b.op(set_field(point, 4), vec![v(p), c(name)], TypeId::VOID);
            let x = b.op(field(point, 0), vec![v(p)], TypeId::SIGNED);
            rt(b, RtFn::OutInt, vec![v(x)], TypeId::VOID);
            let ch = b.op(field(point, 2), vec![v(p)], TypeId::UNICHAR);
            rt(b, RtFn::OutChar, vec![v(ch)], TypeId::VOID);
            let y = b.op(field(point, 3), vec![v(p)], TypeId::FLOAT);
            rt(b, RtFn::OutFloat, vec![v(y)], TypeId::VOID);
            let s = b.op(field(point, 4), vec![v(p)], TypeId::STR_PTR);
            rt(b, RtFn::OutStr, vec![v(s)], TypeId::VOID);
            let flag = b.op(field(point, 1), vec![v(p)], TypeId::BOOL);
            let flag = b.op(LlOp::CastBoolToInt, vec![v(flag)], TypeId::SIGNED);
            b.ret(v(flag));
        },
        &[],
        (1, "0-5😀2.5e-07 name ", ""),
    );
}

#[test]
fn a_varsize_array_is_filled_and_summed() {
    let mut prog = LlProgram::new();
    let arr = prog.types.gc_array(TypeId::SIGNED);
    let arr_ptr = prog.types.ptr(arr);
    check(
        prog,
        |_, b, _| {
            let a = b.op(LlOp::MallocVarsize, vec![int(100)], arr_ptr);
            let [a] = check_exception(b, &[a])[..] else { unreachable!() };
            // for i in range(len(a)): a[i] = i * i
            let (fill, fv) = b.new_block(&[arr_ptr, TypeId::SIGNED]);
            b.jump(fill, vec![v(a), int(0)]);
            b.switch_to(fill);
            let len = b.op(LlOp::GetArrayLength, vec![v(fv[0])], TypeId::SIGNED);
            let more = b.op(LlOp::IntLt, vec![v(fv[1]), v(len)], TypeId::BOOL);
            let (body, bv) = b.new_block(&[arr_ptr, TypeId::SIGNED]);
            let (sum, sv) = b.new_block(&[arr_ptr, TypeId::SIGNED, TypeId::SIGNED]);
            b.branch(v(more), (body, vec![v(fv[0]), v(fv[1])]), (sum, vec![v(fv[0]), int(0), int(0)]));
            b.switch_to(body);
            let sq = b.op(LlOp::IntMul, vec![v(bv[1]), v(bv[1])], TypeId::SIGNED);
            b.op(LlOp::SetArrayItem, vec![v(bv[0]), v(bv[1]), v(sq)], TypeId::VOID);
            let i = b.op(LlOp::IntAdd, vec![v(bv[1]), int(1)], TypeId::SIGNED);
            b.jump(fill, vec![v(bv[0]), v(i)]);
            // total = sum(a)
            b.switch_to(sum);
            let len = b.op(LlOp::GetArrayLength, vec![v(sv[0])], TypeId::SIGNED);
            let more = b.op(LlOp::IntLt, vec![v(sv[1]), v(len)], TypeId::BOOL);
            let (add, av) = b.new_block(&[arr_ptr, TypeId::SIGNED, TypeId::SIGNED]);
            let (done, dv) = b.new_block(&[TypeId::SIGNED]);
            b.branch(v(more), (add, vec![v(sv[0]), v(sv[1]), v(sv[2])]), (done, vec![v(sv[2])]));
            b.switch_to(add);
            let item = b.op(LlOp::GetArrayItem, vec![v(av[0]), v(av[1])], TypeId::SIGNED);
            let total = b.op(LlOp::IntAdd, vec![v(av[2]), v(item)], TypeId::SIGNED);
            let i = b.op(LlOp::IntAdd, vec![v(av[1]), int(1)], TypeId::SIGNED);
            b.jump(sum, vec![v(av[0]), v(i), v(total)]);
            b.switch_to(done);
            rt(b, RtFn::OutInt, vec![v(dv[0])], TypeId::VOID);
            b.ret(int(0));
        },
        &[],
        (0, "328350", ""),
    );
}

#[test]
fn a_raised_exception_ends_the_run_with_status_1() {
    let mut prog = LlProgram::new();
    let vtable = vtable_static(&mut prog, "MyError", (100, 101));
    let message = prog.str_const("boom");
    // def fail(): raise MyError("boom")   -- after the exception transform
    let (mut b, _) = builder("fail", &[], TypeId::SIGNED);
    let e = b.op(LlOp::Malloc, vec![], TypeId::BASE_EXCEPTION_PTR);
    b.op(set_field(TypeId::BASE_EXCEPTION, 0), vec![v(e), c(vtable.clone())], TypeId::VOID);
    b.op(set_field(TypeId::BASE_EXCEPTION, 1), vec![v(e), c(message)], TypeId::VOID);
    let obj = b.op(LlOp::CastPointer, vec![v(e)], TypeId::OBJECT_PTR);
    b.op(LlOp::ExcRestore, vec![c(vtable), v(obj)], TypeId::VOID);
    b.ret(int(0));
    let fail = add_func(&mut prog, b, &[], TypeId::SIGNED);
    let fail_ref = func_ref(&mut prog, fail, &[], TypeId::SIGNED);
    check(
        prog,
        |_, b, _| {
            rt(b, RtFn::OutStr, vec![c(LlConst::Null(TypeId::STR_PTR))], TypeId::VOID);
            rt(b, RtFn::OutInt, vec![int(1)], TypeId::VOID);
            b.op(LlOp::DirectCall, vec![fail_ref], TypeId::SIGNED);
            check_exception(b, &[]);
            rt(b, RtFn::OutInt, vec![int(2)], TypeId::VOID);
            b.ret(int(0));
        },
        &[],
        (1, "1", "MyError: boom\n"),
    );
}

#[test]
fn a_caught_exception_is_cleared_and_inspected() {
    // try: int("x") except ValueError as e: print(class name); return 3
    let mut prog = LlProgram::new();
    let value_error = vtable_static(&mut prog, "ValueError", (10, 11));
    let LlConst::Static(vid, _) = value_error else { unreachable!() };
    prog.exc_vtables[kiln_abi::BuiltinExc::ValueError as usize] = Some(vid);
    check(
        prog,
        |prog, b, _| {
            let x = prog.str_const("x");
            rt(b, RtFn::StrToInt, vec![c(x), int(10)], TypeId::SIGNED);
            let etype = b.op(LlOp::ExcType, vec![], TypeId::VTABLE_PTR);
            let evalue = b.op(LlOp::ExcValue, vec![], TypeId::OBJECT_PTR);
            b.op(LlOp::ExcClear, vec![], TypeId::VOID);
            let still = b.op(LlOp::ExcOccurred, vec![], TypeId::BOOL);
            let still = b.op(LlOp::CastBoolToInt, vec![v(still)], TypeId::SIGNED);
            rt(b, RtFn::OutInt, vec![v(still)], TypeId::VOID);
            let same = b.op(LlOp::PtrEq, vec![v(etype), c(value_error)], TypeId::BOOL);
            let same = b.op(LlOp::CastBoolToInt, vec![v(same)], TypeId::SIGNED);
            rt(b, RtFn::OutInt, vec![v(same)], TypeId::VOID);
            let name = b.op(field(TypeId::VTABLE, 2), vec![v(etype)], TypeId::STR_PTR);
            rt(b, RtFn::OutStr, vec![v(name)], TypeId::VOID);
            let e = b.op(LlOp::CastPointer, vec![v(evalue)], TypeId::BASE_EXCEPTION_PTR);
            let msg = b.op(field(TypeId::BASE_EXCEPTION, 1), vec![v(e)], TypeId::STR_PTR);
            rt(b, RtFn::OutStr, vec![v(msg)], TypeId::VOID);
            b.ret(int(3));
        },
        &[],
        (3, "01ValueErrorinvalid literal for int() with base 10: 'x'", ""),
    );
}

#[test]
fn runtime_exceptions_without_a_vtable_are_reported_by_name() {
    check(
        LlProgram::new(),
        |prog, b, _| {
            let s = prog.str_const("12");
            let n = rt(b, RtFn::StrToInt, vec![c(s), int(1)], TypeId::SIGNED);
            b.ret(v(n));
        },
        &[],
        (1, "", "ValueError: int() base must be >= 2 and <= 36, or 0\n"),
    );
}

#[test]
fn unbounded_recursion_raises_recursion_error() {
    // def down(n): stack_check(); return down(n + 1)
    let mut prog = LlProgram::new();
    let id = next_func(&prog);
    let down = func_ref(&mut prog, id, &[TypeId::SIGNED], TypeId::SIGNED);
    let (mut b, p) = builder("down", &[TypeId::SIGNED], TypeId::SIGNED);
    rt(&mut b, RtFn::StackCheck, vec![], TypeId::VOID);
    let [n] = check_exception(&mut b, &[p[0]])[..] else { unreachable!() };
    let n = b.op(LlOp::IntAdd, vec![v(n), int(1)], TypeId::SIGNED);
    let r = b.op(LlOp::DirectCall, vec![down.clone(), v(n)], TypeId::SIGNED);
    b.ret(v(r));
    add_func(&mut prog, b, &[TypeId::SIGNED], TypeId::SIGNED);
    let build = |_: &mut LlProgram, b: &mut LlBuilder, _| {
        b.op(LlOp::DirectCall, vec![down, int(0)], TypeId::SIGNED);
        check_exception(b, &[]);
        b.ret(int(0));
    };
    let expected = (1, "", "RecursionError: maximum recursion depth exceeded\n");
    check(prog.clone(), build.clone(), &[], expected);
    check_with(prog, build, &[], &RunOptions { max_depth: 50, runtime: None }, expected);
}

#[test]
fn recursion_without_stack_checks_hits_the_hard_limit() {
    let mut prog = LlProgram::new();
    let id = next_func(&prog);
    let down = func_ref(&mut prog, id, &[], TypeId::SIGNED);
    let (mut b, _) = builder("down", &[], TypeId::SIGNED);
    let r = b.op(LlOp::DirectCall, vec![down.clone()], TypeId::SIGNED);
    b.ret(v(r));
    add_func(&mut prog, b, &[], TypeId::SIGNED);
    let result = run_entry(
        prog,
        |_, b, _| {
            let r = b.op(LlOp::DirectCall, vec![down], TypeId::SIGNED);
            b.ret(v(r));
        },
        &[],
        &RunOptions { max_depth: 10, runtime: None },
    );
    assert!(matches!(result, Err(LlInterpError::DepthLimit { ref function, .. }) if function == "down"), "{result:?}");
}

#[test]
fn the_heap_limit_raises_memory_error() {
    let mut prog = LlProgram::new();
    let arr = prog.types.gc_array(TypeId::SIGNED);
    let arr_ptr = prog.types.ptr(arr);
    let opts = RunOptions { runtime: Some(RtConfig { max_heap: Some(1 << 20), ..RtConfig::default() }), ..RunOptions::default() };
    check_with(
        prog,
        |_, b, _| {
            // while True: allocate 64 KiB
            let (head, _) = b.new_block(&[]);
            b.jump(head, vec![]);
            b.switch_to(head);
            b.op(LlOp::MallocVarsize, vec![int(8192)], arr_ptr);
            let raised = b.op(LlOp::ExcOccurred, vec![], TypeId::BOOL);
            let rb = b.graph.returnblock;
            b.branch(v(raised), (rb, vec![int(0)]), (head, vec![]));
        },
        &[],
        &opts,
        (1, "", "MemoryError\n"),
    );
}

#[test]
fn methods_are_called_through_vtable_slots() {
    // Two "classes" whose vtables extend object_vtable with a method `describe(n) -> int`.
    let mut prog = LlProgram::new();
    let method_ty = prog.types.func(vec![TypeId::SIGNED], TypeId::SIGNED);
    let method_ptr = prog.types.ptr(method_ty);
    let vt = prog.types.new_struct("A_vtable", false);
    let mut fields = kiln_lltype::TypeTable::vtable_prefix(TypeId::STR_PTR);
    fields.push(Field { name: "describe".into(), ty: method_ptr, mutability: Default::default() });
    prog.types.set_fields(vt, fields);
    let vt_ptr = prog.types.ptr(vt);
    let method = |prog: &mut LlProgram, name: &str, factor: i64| {
        let (mut b, p) = builder(name, &[TypeId::SIGNED], TypeId::SIGNED);
        let r = b.op(LlOp::IntMul, vec![v(p[0]), int(factor)], TypeId::SIGNED);
        b.ret(v(r));
        let id = add_func(prog, b, &[TypeId::SIGNED], TypeId::SIGNED);
        let name_const = prog.str_const(name);
        let fields = vec![LlConst::Signed(0), LlConst::Signed(1), name_const, LlConst::Signed(0), LlConst::Signed(0), LlConst::Func(id, method_ptr)];
        let s = prog.add_static(StaticObj { ty: vt, value: StaticValue::Struct { fields, items: vec![] }, name: format!("{name}_vtable") });
        LlConst::Static(s, vt_ptr)
    };
    let double = method(&mut prog, "double", 2);
    let triple = method(&mut prog, "triple", 3);
    // A prebuilt array of the two vtables, pointing at them: patched after allocation.
    let table_ty = prog.types.raw_array(vt_ptr);
    let table_ptr = prog.types.ptr(table_ty);
    let table = prog.add_static(StaticObj { ty: table_ty, value: StaticValue::Array(vec![double, triple]), name: "table".into() });
    check(
        prog,
        |_, b, _| {
            for i in 0..2 {
                let vtable = b.op(LlOp::GetArrayItem, vec![c(LlConst::Static(table, table_ptr)), int(i)], vt_ptr);
                let f = b.op(field(vt, 5), vec![v(vtable)], method_ptr);
                let r = b.op(LlOp::IndirectCall, vec![v(f), int(7)], TypeId::SIGNED);
                rt(b, RtFn::OutInt, vec![v(r)], TypeId::VOID);
                let name = b.op(field(vt, 2), vec![v(vtable)], TypeId::STR_PTR);
                rt(b, RtFn::OutStr, vec![v(name)], TypeId::VOID);
            }
            b.ret(int(0));
        },
        &[],
        (0, "14double21triple", ""),
    );
}

#[test]
fn floats_and_casts_go_through_eval_pure() {
    check(
        LlProgram::new(),
        |_, b, _| {
            let x = b.op(LlOp::CastIntToFloat, vec![int(7)], TypeId::FLOAT);
            let y = b.op(LlOp::FloatTrueDiv, vec![v(x), c(LlConst::Float(2.0))], TypeId::FLOAT);
            rt(b, RtFn::OutFloat, vec![v(y)], TypeId::VOID);
            let z = b.op(LlOp::FloatMul, vec![v(y), c(LlConst::Float(1e20))], TypeId::FLOAT);
            rt(b, RtFn::OutFloat, vec![v(z)], TypeId::VOID);
            let q = b.op(LlOp::IntFloorDiv, vec![int(-7), int(2)], TypeId::SIGNED);
            rt(b, RtFn::OutInt, vec![v(q)], TypeId::VOID);
            let m = b.op(LlOp::IntMod, vec![int(-7), int(2)], TypeId::SIGNED);
            rt(b, RtFn::OutInt, vec![v(m)], TypeId::VOID);
            let t = b.op(LlOp::CastFloatToInt, vec![v(y)], TypeId::SIGNED);
            b.ret(v(t));
        },
        &[],
        (3, "3.53.5e+20-41", ""),
    );
}

#[test]
fn argv_reaches_the_program() {
    check(
        LlProgram::new(),
        |_, b, argv| {
            let n = b.op(field(TypeId::LIST_STR, 0), vec![v(argv)], TypeId::SIGNED);
            rt(b, RtFn::OutInt, vec![v(n)], TypeId::VOID);
            for i in 0..3 {
                let s = argv_item(b, argv, i);
                rt(b, RtFn::OutStr, vec![v(s)], TypeId::VOID);
                rt(b, RtFn::OutChar, vec![c(LlConst::UniChar(' ' as u32))], TypeId::VOID);
            }
            b.ret(int(0));
        },
        &["a b", "ünï"],
        (0, "3prog a b ünï ", ""),
    );
}

// ---------------------------------------------------------------------------------------
// Internal errors: broken graphs are reported, never crash the process.

#[test]
fn a_null_dereference_is_an_internal_error() {
    let m = internal_error(|_, b, _| {
        let x = b.op(field(TypeId::LIST_STR, 0), vec![c(LlConst::Null(TypeId::LIST_STR_PTR))], TypeId::SIGNED);
        b.ret(v(x));
    });
    assert!(m.contains("in entry_point at block0 op 0: getfield through the invalid pointer 0x0"), "{m}");
}

#[test]
fn an_out_of_bounds_index_is_an_internal_error() {
    let m = internal_error(|_, b, argv| {
        argv_item(b, argv, 1);
        b.ret(int(0));
    });
    assert!(m.contains("array read index 1 out of bounds for length 1"), "{m}");
}

#[test]
fn an_op_outside_its_domain_is_an_internal_error() {
    let m = internal_error(|_, b, _| {
        let x = b.op(LlOp::IntFloorDiv, vec![int(1), int(0)], TypeId::SIGNED);
        b.ret(v(x));
    });
    assert!(m.contains("int_floordiv on [1, 0]: outside the op's domain"), "{m}");
}

#[test]
fn graphs_before_the_exception_transform_are_refused() {
    let m = internal_error(|prog, b, _| {
        let vtable = vtable_static(prog, "E", (0, 1));
        b.raise(c(vtable), c(LlConst::Null(TypeId::OBJECT_PTR)));
    });
    assert!(m.contains("a link to the except block"), "{m}");
}

/// The llinterp runs graphs before the GC transform; its ops are refused with a message
/// saying so, and `kiln.rgc.collect()` works (the `none` collector has nothing to do).
#[test]
fn gc_transform_ops_are_refused_and_collect_runs() {
    let m = internal_error(|_, b, _| {
        b.op(LlOp::GcLoadFree, vec![], TypeId::ADDRESS);
        b.ret(int(0));
    });
    assert!(m.contains("gc_load_free is made by the GC transform"), "{m}");
    check(
        LlProgram::new(),
        |_, b, _| {
            rt(b, RtFn::GcCollect, vec![], TypeId::VOID);
            b.ret(int(3));
        },
        &[],
        (3, "", ""),
    );
}

#[test]
fn a_program_without_entry_point_is_refused() {
    assert_eq!(run_captured(&LlProgram::new(), &["p".into()], &RunOptions::default()), Err(LlInterpError::NoEntry));
}

// ---------------------------------------------------------------------------------------
// The runtime table and the runtime library agree.

#[test]
fn every_runtime_function_is_exported_by_the_runtime() {
    let table = kiln_runtime::symbol_table();
    for f in RtFn::ALL {
        let symbol = f.info().symbol;
        assert!(table.iter().any(|(name, addr)| *name == symbol && !addr.is_null()), "{symbol} is missing from the runtime");
    }
}

#[test]
fn fib_27_runs_in_reasonable_time() {
    let mut prog = LlProgram::new();
    let fib_id = add_fib(&mut prog);
    let fib = func_ref(&mut prog, fib_id, &[TypeId::SIGNED], TypeId::SIGNED);
    let start = std::time::Instant::now();
    check(
        prog,
        |_, b, _| {
            let r = b.op(LlOp::DirectCall, vec![fib, int(27)], TypeId::SIGNED);
            rt(b, RtFn::OutInt, vec![v(r)], TypeId::VOID);
            b.ret(int(0));
        },
        &[],
        (0, "196418", ""),
    );
    eprintln!("fib(27) in the llinterp: {:?}", start.elapsed());
}
