//! Unit tests on graphs built by hand: register allocation and parallel moves, inline
//! versus residual calls, and the verifier on every result. Whole-program golden tests
//! are `tests/dumps/jit_*.py`.

use kiln_flowgraph::Span;
use kiln_lltype::builder::{c, int, v, LlBuilder};
use kiln_lltype::{FuncHints, FuncId, FuncKind, JitDriverDesc, JitDriverId, JitVar, LlConst, LlFunc, LlOp, LlProgram, TypeId};

use crate::{codewrite, find_portals, print_output};

fn add(prog: &mut LlProgram, name: &str, b: LlBuilder, params: &[TypeId], ret: TypeId) -> FuncId {
    let ty = prog.types.func(params.to_vec(), ret);
    prog.add_func(LlFunc::new(name, b.finish(), ty, FuncKind::User))
}

/// A driver `d` with these greens and reds (all `Signed`).
fn driver(prog: &mut LlProgram, greens: &[&str], reds: &[&str]) -> JitDriverId {
    let vars = |ns: &[&str]| ns.iter().map(|n| JitVar { name: n.to_string(), ty: TypeId::SIGNED }).collect();
    prog.jit_drivers.push(JitDriverDesc {
        name: "d".into(),
        greens: vars(greens),
        reds: vars(reds),
        reds_auto: false,
        callbacks: vec![],
        is_recursive: false,
        virtualizables: vec![],
        span: Span::DUMMY,
    });
    JitDriverId(prog.jit_drivers.len() as u32 - 1)
}

fn check(prog: &LlProgram, expected: &str) {
    let portals = find_portals(prog).expect("a portal");
    let out = codewrite(prog, &portals).expect("codewrites");
    let errors = kiln_jitcode::verify_set(&out.set);
    assert!(errors.is_empty(), "{errors:?}");
    let back = kiln_jitcode::from_bytes(&kiln_jitcode::to_bytes(&out.set)).expect("round trip");
    assert_eq!(back, out.set);
    let text = print_output(prog, &out);
    assert_eq!(text, expected, "\n{text}");
}

/// `def swap(a, b, n): while n > 0: jit_merge_point(reds=[a, b, n]); a, b = b, a;
/// n -= 1; return a - b`: the loop's link swaps two registers, a cycle the scratch
/// register breaks.
#[test]
fn loop_with_swapped_registers() {
    let mut prog = LlProgram::new();
    let d = driver(&mut prog, &[], &["a", "b", "n"]);
    let s = TypeId::SIGNED;
    let (mut b, params) = LlBuilder::new("swap", &[s, s, s], s, Span::DUMMY);
    let (head, hv) = b.new_block(&[s, s, s]);
    let (body, bv) = b.new_block(&[s, s, s]);
    let (exit, ev) = b.new_block(&[s, s]);
    b.jump(head, vec![v(params[0]), v(params[1]), v(params[2])]);
    b.switch_to(head);
    b.op(LlOp::JitMergePoint(d), vec![v(hv[0]), v(hv[1]), v(hv[2])], TypeId::VOID);
    let cond = b.op(LlOp::IntGt, vec![v(hv[2]), int(0)], TypeId::BOOL);
    b.branch(v(cond), (body, vec![v(hv[0]), v(hv[1]), v(hv[2])]), (exit, vec![v(hv[0]), v(hv[1])]));
    b.switch_to(body);
    let n1 = b.op(LlOp::IntSub, vec![v(bv[2]), int(1)], s);
    b.op(LlOp::JitCanEnterJit(d), vec![v(bv[1]), v(bv[0]), v(n1)], TypeId::VOID);
    b.jump(head, vec![v(bv[1]), v(bv[0]), v(n1)]);
    b.switch_to(exit);
    let r = b.op(LlOp::IntSub, vec![v(ev[0]), v(ev[1])], s);
    b.ret(v(r));
    add(&mut prog, "swap", b, &[s, s, s], s);
    check(
        &prog,
        "\
portal swap: driver d greens [] reds [a, b, n]

jitcode swap (args i3 r0 f0; regs i5 r0 f0) -> i
L0:
  live [%i0, %i1, %i2]
  jit_merge_point 0, I[], R[], F[], I[%i0, %i1, %i2], R[], F[]
  live [%i0, %i1, %i2]
  int_gt %i2, $0 -> %i3
  live [%i0, %i1, %i2, %i3]
  goto_if_not %i3, L42
  goto L52
L42:
  int_sub %i0, %i1 -> %i0
  int_return %i0
L52:
  int_sub %i2, $1 -> %i2
  loop_header 0
  int_copy %i1 -> %i4
  int_copy %i0 -> %i1
  int_copy %i4 -> %i0
  goto L0
",
    );
}

/// A portal calling two functions: one it looks into (inline), one
/// `@dont_look_inside` (residual, with effect info and read/write sets).
#[test]
fn inline_and_residual_calls() {
    let mut prog = LlProgram::new();
    let d = driver(&mut prog, &["pc"], &[]);
    let s = TypeId::SIGNED;
    let (mut b, p) = LlBuilder::new("double", &[s], s, Span::DUMMY);
    let r = b.op(LlOp::IntAdd, vec![v(p[0]), v(p[0])], s);
    b.ret(v(r));
    let double = add(&mut prog, "double", b, &[s], s);
    let (mut b, p) = LlBuilder::new("opaque", &[s], s, Span::DUMMY);
    let r = b.op(LlOp::IntMul, vec![v(p[0]), int(3)], s);
    b.ret(v(r));
    let opaque = add(&mut prog, "opaque", b, &[s], s);
    prog.funcs[opaque.0 as usize].hints.dont_look_inside = true;
    let dt = prog.func(double).ty;
    let dty = prog.types.ptr(dt);
    let ot = prog.func(opaque).ty;
    let oty = prog.types.ptr(ot);
    let (mut b, p) = LlBuilder::new("caller", &[s], s, Span::DUMMY);
    b.op(LlOp::JitMergePoint(d), vec![v(p[0])], TypeId::VOID);
    let x = b.op(LlOp::DirectCall, vec![c(LlConst::Func(double, dty)), v(p[0])], s);
    let y = b.op(LlOp::DirectCall, vec![c(LlConst::Func(opaque, oty)), v(x)], s);
    b.ret(v(y));
    add(&mut prog, "caller", b, &[s], s);
    check(
        &prog,
        "\
descr call opaque: call(args=[i], result=i, func opaque, reads=[], writes=[])
portal caller: driver d greens [pc] reds []

jitcode caller (args i1 r0 f0; regs i2 r0 f0) -> i
  live [%i0]
  jit_merge_point 0, I[%i0], R[], F[], I[], R[], F[]
  live [%i0]
  inline_call_i <jitcode double>, I[%i0], R[], F[] -> %i0
  live [%i0]
  residual_call_i $&opaque, I[%i0], R[], F[], <call opaque> -> %i0
  live [%i0]
  int_return %i0

jitcode double (args i1 r0 f0; regs i2 r0 f0) -> i
  int_add %i0, %i0 -> %i0
  int_return %i0

residual calls:
  opaque: @dont_look_inside
",
    );
}

/// The value hints: `promote` of a register (a guard, then the value), of a constant
/// (nothing to guard), `we_are_jitted` (true in jitcodes), `isconstant`, `isvirtual`
/// of an int (false), `hint` (the identity), and a call to an
/// `@elidable_promote('0')` function (a guard on argument 0 before the residual call).
#[test]
fn value_hints_and_elidable_promote() {
    let mut prog = LlProgram::new();
    let d = driver(&mut prog, &["pc"], &["x"]);
    let s = TypeId::SIGNED;
    let (mut b, p) = LlBuilder::new("lookup", &[s, s], s, Span::DUMMY);
    let r = b.op(LlOp::IntAdd, vec![v(p[0]), v(p[1])], s);
    b.ret(v(r));
    let lookup = add(&mut prog, "lookup", b, &[s, s], s);
    prog.funcs[lookup.0 as usize].hints = FuncHints { elidable: true, promote_args: Some("0".into()), ..FuncHints::default() };
    let lt = prog.func(lookup).ty;
    let lty = prog.types.ptr(lt);
    let (mut b, p) = LlBuilder::new("portal", &[s, s], s, Span::DUMMY);
    b.op(LlOp::JitMergePoint(d), vec![v(p[0]), v(p[1])], TypeId::VOID);
    let x = b.op(LlOp::JitPromote, vec![v(p[1])], s);
    let k = b.op(LlOp::JitPromote, vec![int(7)], s);
    let j = b.op(LlOp::JitWeAreJitted, vec![], TypeId::BOOL);
    let ic = b.op(LlOp::JitIsConstant, vec![v(x)], TypeId::BOOL);
    let iv = b.op(LlOp::JitIsVirtual, vec![v(x)], TypeId::BOOL);
    let h = b.op(LlOp::JitHint(kiln_lltype::HintFlags::ACCESS_DIRECTLY), vec![v(k)], s);
    let sum1 = b.op(LlOp::IntAdd, vec![v(x), v(h)], s);
    let jb = b.op(LlOp::CastBoolToInt, vec![v(j)], s);
    let icb = b.op(LlOp::CastBoolToInt, vec![v(ic)], s);
    let ivb = b.op(LlOp::CastBoolToInt, vec![v(iv)], s);
    let sum2 = b.op(LlOp::IntAdd, vec![v(jb), v(icb)], s);
    let sum3 = b.op(LlOp::IntAdd, vec![v(sum2), v(ivb)], s);
    let sum4 = b.op(LlOp::IntAdd, vec![v(sum1), v(sum3)], s);
    let y = b.op(LlOp::DirectCall, vec![c(LlConst::Func(lookup, lty)), v(sum4), v(p[0])], s);
    b.ret(v(y));
    add(&mut prog, "portal", b, &[s, s], s);
    check(
        &prog,
        "\
descr call lookup: call(args=[i, i], result=i, func lookup, elidable, reads=[], writes=[])
portal portal: driver d greens [pc] reds [x]

jitcode portal (args i2 r0 f0; regs i7 r0 f0) -> i
  live [%i0, %i1]
  jit_merge_point 0, I[%i0], R[], F[], I[%i1], R[], F[]
  live [%i0, %i1]
  int_guard_value %i1
  int_copy $7 -> %i2
  int_copy $1 -> %i3
  int_isconstant %i1 -> %i4
  int_copy $0 -> %i5
  int_add %i1, %i2 -> %i1
  cast_bool_to_int %i3 -> %i2
  cast_bool_to_int %i4 -> %i3
  cast_bool_to_int %i5 -> %i4
  int_add %i2, %i3 -> %i2
  int_add %i2, %i4 -> %i2
  int_add %i1, %i2 -> %i1
  live [%i0, %i1]
  int_guard_value %i1
  residual_call_i $&lookup, I[%i1, %i0], R[], F[], <call lookup> -> %i0
  live [%i0]
  int_return %i0

residual calls:
  lookup: @elidable
",
    );
}

/// A residual call returning a `Bool` and one returning a `Char`: the C ABI defines only
/// the low bits of the return register, so each result is masked (`int_and`) before it
/// is used. An inlined call returning a `Bool` is not masked.
#[test]
fn residual_call_results_narrower_than_a_register_are_masked() {
    let mut prog = LlProgram::new();
    let d = driver(&mut prog, &["pc"], &[]);
    let s = TypeId::SIGNED;
    let bl = TypeId::BOOL;
    let ch = TypeId::CHAR;
    let (mut b, p) = LlBuilder::new("is_odd", &[s], bl, Span::DUMMY);
    let a = b.op(LlOp::IntAnd, vec![v(p[0]), int(1)], s);
    let r = b.op(LlOp::IntNe, vec![v(a), int(0)], bl);
    b.ret(v(r));
    let is_odd = add(&mut prog, "is_odd", b, &[s], bl);
    prog.funcs[is_odd.0 as usize].hints.dont_look_inside = true;
    let (mut b, p) = LlBuilder::new("is_even", &[s], bl, Span::DUMMY);
    let a = b.op(LlOp::IntAnd, vec![v(p[0]), int(1)], s);
    let r = b.op(LlOp::IntEq, vec![v(a), int(0)], bl);
    b.ret(v(r));
    let is_even = add(&mut prog, "is_even", b, &[s], bl);
    let (mut b, p) = LlBuilder::new("letter", &[s], ch, Span::DUMMY);
    let r = b.op(LlOp::CastIntToChar, vec![v(p[0])], ch);
    b.ret(v(r));
    let letter = add(&mut prog, "letter", b, &[s], ch);
    prog.funcs[letter.0 as usize].hints.dont_look_inside = true;
    let fty = |prog: &mut LlProgram, f: FuncId| {
        let t = prog.func(f).ty;
        prog.types.ptr(t)
    };
    let (oty, ety, lty) = (fty(&mut prog, is_odd), fty(&mut prog, is_even), fty(&mut prog, letter));
    let (mut b, p) = LlBuilder::new("portal", &[s], s, Span::DUMMY);
    b.op(LlOp::JitMergePoint(d), vec![v(p[0])], TypeId::VOID);
    let o = b.op(LlOp::DirectCall, vec![c(LlConst::Func(is_odd, oty)), v(p[0])], bl);
    let e = b.op(LlOp::DirectCall, vec![c(LlConst::Func(is_even, ety)), v(p[0])], bl);
    let l = b.op(LlOp::DirectCall, vec![c(LlConst::Func(letter, lty)), v(p[0])], ch);
    let oi = b.op(LlOp::CastBoolToInt, vec![v(o)], s);
    let ei = b.op(LlOp::CastBoolToInt, vec![v(e)], s);
    let li = b.op(LlOp::CastCharToInt, vec![v(l)], s);
    let s1 = b.op(LlOp::IntAdd, vec![v(oi), v(ei)], s);
    let s2 = b.op(LlOp::IntAdd, vec![v(s1), v(li)], s);
    b.ret(v(s2));
    add(&mut prog, "portal", b, &[s], s);
    check(
        &prog,
        "\
descr call is_odd: call(args=[i], result=i, func is_odd, reads=[], writes=[])
descr call letter: call(args=[i], result=i, func letter, reads=[], writes=[])
portal portal: driver d greens [pc] reds []

jitcode portal (args i1 r0 f0; regs i4 r0 f0) -> i
  live [%i0]
  jit_merge_point 0, I[%i0], R[], F[], I[], R[], F[]
  live [%i0]
  residual_call_i $&is_odd, I[%i0], R[], F[], <call is_odd> -> %i1
  live [%i0, %i1]
  int_and %i1, $255 -> %i1
  inline_call_i <jitcode is_even>, I[%i0], R[], F[] -> %i2
  live [%i0, %i1, %i2]
  residual_call_i $&letter, I[%i0], R[], F[], <call letter> -> %i0
  live [%i0, %i1, %i2]
  int_and %i0, $255 -> %i0
  cast_bool_to_int %i1 -> %i1
  cast_bool_to_int %i2 -> %i2
  cast_char_to_int %i0 -> %i0
  int_add %i1, %i2 -> %i1
  int_add %i1, %i0 -> %i0
  int_return %i0

jitcode is_even (args i1 r0 f0; regs i2 r0 f0) -> i
  int_and %i0, $1 -> %i0
  int_eq %i0, $0 -> %i0
  int_return %i0

residual calls:
  is_odd: @dont_look_inside
  letter: @dont_look_inside
",
    );
}

/// A residual call to a function that calls itself: the stack-check pass (which runs
/// after the codewriter) gives it a RecursionError check, so the call descriptor says
/// `can_raise` and the tracer records a `guard_no_exception` after it.
#[test]
fn residual_call_to_a_recursive_function_can_raise() {
    let mut prog = LlProgram::new();
    let d = driver(&mut prog, &["pc"], &[]);
    let s = TypeId::SIGNED;
    let (b, _) = LlBuilder::new("rec", &[s], s, Span::DUMMY);
    let rec = add(&mut prog, "rec", b, &[s], s);
    prog.funcs[rec.0 as usize].hints.dont_look_inside = true;
    let rt = prog.func(rec).ty;
    let rty = prog.types.ptr(rt);
    let (mut b, p) = LlBuilder::new("rec", &[s], s, Span::DUMMY);
    let r = b.op(LlOp::DirectCall, vec![c(LlConst::Func(rec, rty)), v(p[0])], s);
    b.ret(v(r));
    prog.funcs[rec.0 as usize].graph = b.finish();
    let (mut b, p) = LlBuilder::new("portal", &[s], s, Span::DUMMY);
    b.op(LlOp::JitMergePoint(d), vec![v(p[0])], TypeId::VOID);
    let y = b.op(LlOp::DirectCall, vec![c(LlConst::Func(rec, rty)), v(p[0])], s);
    b.ret(v(y));
    add(&mut prog, "portal", b, &[s], s);
    check(
        &prog,
        "\
descr call rec: call(args=[i], result=i, func rec, can_raise, reads=[], writes=[])
portal portal: driver d greens [pc] reds []

jitcode portal (args i1 r0 f0; regs i2 r0 f0) -> i
  live [%i0]
  jit_merge_point 0, I[%i0], R[], F[], I[], R[], F[]
  live [%i0]
  residual_call_i $&rec, I[%i0], R[], F[], <call rec> -> %i0
  live [%i0]
  int_return %i0

residual calls:
  rec: @dont_look_inside
",
    );
}

/// Two drivers (both named `d`, as a factory called twice makes them): `main` is the
/// portal of the first and calls `inner`, the portal of the second, and `shared`, which
/// `inner` calls too. Each portal is a jitcode with its own `PortalInfo` (number,
/// greens, reds, a name told apart by the portal function); `main`'s call of `inner`
/// stays residual (a trace of one driver does not enter another's portal), and `shared`
/// is one jitcode that both inline.
#[test]
fn two_drivers_are_two_portals_and_a_call_between_them_is_residual() {
    let mut prog = LlProgram::new();
    let d0 = driver(&mut prog, &["pc"], &["n"]);
    let d1 = driver(&mut prog, &["k"], &[]);
    let s = TypeId::SIGNED;
    let (mut b, p) = LlBuilder::new("shared", &[s], s, Span::DUMMY);
    let r = b.op(LlOp::IntMul, vec![v(p[0]), int(2)], s);
    b.ret(v(r));
    let shared = add(&mut prog, "shared", b, &[s], s);
    let sty = prog.types.ptr(prog.func(shared).ty);
    let (mut b, p) = LlBuilder::new("inner", &[s], s, Span::DUMMY);
    b.op(LlOp::JitMergePoint(d1), vec![v(p[0])], TypeId::VOID);
    let r = b.op(LlOp::DirectCall, vec![c(LlConst::Func(shared, sty)), v(p[0])], s);
    b.ret(v(r));
    let inner = add(&mut prog, "inner", b, &[s], s);
    let ity = prog.types.ptr(prog.func(inner).ty);
    let (mut b, p) = LlBuilder::new("main", &[s, s], s, Span::DUMMY);
    b.op(LlOp::JitMergePoint(d0), vec![v(p[0]), v(p[1])], TypeId::VOID);
    let x = b.op(LlOp::DirectCall, vec![c(LlConst::Func(inner, ity)), v(p[1])], s);
    let y = b.op(LlOp::DirectCall, vec![c(LlConst::Func(shared, sty)), v(x)], s);
    b.ret(v(y));
    add(&mut prog, "main", b, &[s, s], s);
    check(
        &prog,
        "\
descr call inner: call(args=[i], result=i, func inner, reads=[], writes=[])
portal main: driver d@main greens [pc] reds [n]
portal inner: driver d@inner greens [k] reds []

jitcode main (args i2 r0 f0; regs i3 r0 f0) -> i
  live [%i0, %i1]
  jit_merge_point 0, I[%i0], R[], F[], I[%i1], R[], F[]
  live [%i1]
  residual_call_i $&inner, I[%i1], R[], F[], <call inner> -> %i0
  live [%i0]
  inline_call_i <jitcode shared>, I[%i0], R[], F[] -> %i0
  live [%i0]
  int_return %i0

jitcode inner (args i1 r0 f0; regs i2 r0 f0) -> i
  live [%i0]
  jit_merge_point 1, I[%i0], R[], F[], I[], R[], F[]
  live [%i0]
  inline_call_i <jitcode shared>, I[%i0], R[], F[] -> %i0
  live [%i0]
  int_return %i0

jitcode shared (args i1 r0 f0; regs i2 r0 f0) -> i
  int_mul %i0, $2 -> %i0
  int_return %i0
",
    );
}

/// RPython's rule: one merge point per driver, and a function is the portal of one
/// driver; anything else is refused with both functions or drivers named.
#[test]
fn a_driver_in_two_functions_or_two_drivers_in_one_function_are_refused() {
    let s = TypeId::SIGNED;
    let mut prog = LlProgram::new();
    let d = driver(&mut prog, &[], &["n"]);
    for name in ["f", "g"] {
        let (mut b, p) = LlBuilder::new(name, &[s], s, Span::DUMMY);
        b.op(LlOp::JitMergePoint(d), vec![v(p[0])], TypeId::VOID);
        b.ret(v(p[0]));
        add(&mut prog, name, b, &[s], s);
    }
    let e = find_portals(&prog).expect_err("two functions");
    assert!(e.contains("the driver d has jit_merge_point in two functions, f and g"), "{e}");

    let mut prog = LlProgram::new();
    let d0 = driver(&mut prog, &[], &["n"]);
    let d1 = driver(&mut prog, &[], &["n"]);
    prog.jit_drivers[1].name = "e".into();
    let (mut b, p) = LlBuilder::new("f", &[s], s, Span::DUMMY);
    b.op(LlOp::JitMergePoint(d0), vec![v(p[0])], TypeId::VOID);
    b.op(LlOp::JitMergePoint(d1), vec![v(p[0])], TypeId::VOID);
    b.ret(v(p[0]));
    add(&mut prog, "f", b, &[s], s);
    let e = find_portals(&prog).expect_err("two drivers");
    assert!(e.contains("the function f has jit_merge_point of two drivers, d and e"), "{e}");
}
