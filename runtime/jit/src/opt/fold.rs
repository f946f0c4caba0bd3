//! Constant folding: pure ops on constants become constants, algebraic identities
//! (`x + 0`, `x - x`, `x * 1`, ...) forward to an operand, guards decided by constants that
//! always pass go, and values fixed by guards (`guard_value`, `guard_true`, `guard_false`,
//! `guard_isnull`) are constants after them, and so is x when the guarded box is `x + k` or
//! `x - k` for a constant k (`guard_value(i - 1, 0)` makes i 1). An `_ovf` op on constants that cannot overflow
//! folds with its `guard_no_overflow`; an elidable `call_pure_*` on constants whose result
//! the tracer recorded folds with its `guard_no_exception`. A guard that always fails stays:
//! it is where the trace leaves.

use std::collections::HashMap;

use crate::descr::DescrTable;
use crate::ir::{BoxId, Const, Op, Trace, Value};
use crate::opcode::OpCode;
use crate::opt::{guard_outcome, Rewriter};

pub fn run(_descrs: &DescrTable, trace: &mut Trace) {
    let ops = std::mem::take(&mut trace.ops);
    let mut rw = Rewriter::new(ops.len());
    let mut drop_next: Option<OpCode> = None;
    // `x + k` and `x - k` with a constant k, by result: a guard that fixes the result
    // fixes x too (`guard_value(i - 1, 0)` says `i == 1`).
    let mut offsets: HashMap<BoxId, (BoxId, i64)> = HashMap::new();
    for (i, op) in ops.iter().enumerate() {
        let op = rw.prepare(op.clone());
        if drop_next.take() == Some(op.opcode) {
            continue;
        }
        let next = ops.get(i + 1).map(|o| o.opcode);
        match op.opcode {
            OpCode::Label => {
                rw.emit_label(trace, op);
                offsets.clear();
                continue;
            }
            _ if op.opcode.is_guard() => {
                if guard_outcome(&op) == Some(true) {
                    continue;
                }
                learn_from_guard(&mut rw, &op, &offsets);
                rw.emit(op);
                continue;
            }
            _ => {}
        }
        let Some(result) = op.result else {
            rw.emit(op);
            continue;
        };
        if let Some(base) = op.opcode.without_ovf() {
            // Overflowing or not, on constants the guard after is decided; fold when it
            // passes. When it always fails, keep both: the trace leaves there.
            let folded = match (op.args[0].as_int_const(), op.args[1].as_int_const()) {
                (Some(a), Some(b)) => eval_ovf(op.opcode, a, b).map(|r| (Value::int(r), true)),
                _ => simplify(base, &op.args).map(|v| (v, true)),
            }
            .or_else(|| match (op.args[0].as_int_const(), op.args[1].as_int_const()) {
                (Some(a), Some(b)) => eval(base, &[Const::Int(a), Const::Int(b)]).map(|r| (Value::Const(r), false)),
                _ => None,
            });
            match (folded, next) {
                (Some((v, true)), Some(OpCode::GuardNoOverflow)) | (Some((v, false)), Some(OpCode::GuardOverflow)) => {
                    rw.forward(result, v);
                    drop_next = next;
                }
                _ => rw.emit(op),
            }
            continue;
        }
        if op.opcode.is_pure() {
            let consts: Option<Vec<Const>> = op.args.iter().map(|a| a.as_const()).collect();
            let value = match consts {
                Some(cs) => eval(op.opcode, &cs).map(Value::Const),
                None => simplify(op.opcode, &op.args),
            };
            match value {
                Some(v) => rw.forward(result, v),
                None => {
                    match (op.opcode, op.args.first().and_then(|a| a.as_box()), op.args.get(1).and_then(|a| a.as_int_const())) {
                        (OpCode::IntAdd, Some(x), Some(k)) => {
                            offsets.insert(result, (x, k));
                        }
                        (OpCode::IntSub, Some(x), Some(k)) => {
                            offsets.insert(result, (x, k.wrapping_neg()));
                        }
                        (OpCode::IntAdd, None, _) => {
                            if let (Some(k), Some(x)) = (op.args[0].as_int_const(), op.args[1].as_box()) {
                                offsets.insert(result, (x, k));
                            }
                        }
                        _ => {}
                    }
                    rw.emit(op)
                }
            }
            continue;
        }
        if op.opcode.is_call_pure() && next != Some(OpCode::GuardException) {
            let consts: Option<Vec<Const>> = op.args.iter().map(|a| a.as_const()).collect();
            if let Some(r) = consts.and_then(|cs| trace.pure_result(&cs)) {
                rw.forward(result, Value::Const(r));
                drop_next = Some(OpCode::GuardNoException);
                continue;
            }
        }
        rw.emit(op);
    }
    rw.finish(trace);
}

/// After a guard passes, what it checked is a constant. (`guard_true` only says "not 0";
/// the guards pass uses that.) When the box is `x + k` (wrapping) for a constant k, x is
/// the constant minus k, and so on down the chain.
fn learn_from_guard(rw: &mut Rewriter, op: &Op, offsets: &HashMap<BoxId, (BoxId, i64)>) {
    let Some(b) = op.args.first().and_then(|a| a.as_box()) else { return };
    let value = match op.opcode {
        OpCode::GuardValue => op.args[1],
        OpCode::GuardFalse => Value::int(0),
        OpCode::GuardIsnull => Value::Const(Const::Ref(0)),
        _ => return,
    };
    rw.know(b, value);
    let (mut b, mut c) = (b, value.as_int_const());
    while let (Some(&(x, k)), Some(v)) = (offsets.get(&b), c) {
        let vx = v.wrapping_sub(k);
        rw.know(x, Value::int(vx));
        (b, c) = (x, Some(vx));
    }
}

/// The value of an `_ovf` op on constants, or `None` if it overflows.
pub fn eval_ovf(opcode: OpCode, a: i64, b: i64) -> Option<i64> {
    match opcode {
        OpCode::IntAddOvf => a.checked_add(b),
        OpCode::IntSubOvf => a.checked_sub(b),
        OpCode::IntMulOvf => a.checked_mul(b),
        _ => None,
    }
}

/// Python's `a // b` for `b != 0` (what lltype's `int_floordiv` means); `i64::MIN // -1`
/// wraps, as in `kiln_lltype::eval` and the LLVM backend.
pub fn py_floordiv(a: i64, b: i64) -> i64 {
    if b == -1 {
        return a.wrapping_neg();
    }
    let q = a / b;
    if a % b != 0 && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

/// Python's `a % b` for `b != 0`: the result has the divisor's sign.
pub fn py_mod(a: i64, b: i64) -> i64 {
    if b == -1 {
        return 0;
    }
    let r = a % b;
    if r != 0 && ((r < 0) != (b < 0)) {
        r + b
    } else {
        r
    }
}

fn b(x: bool) -> Option<Const> {
    Some(Const::Int(x as i64))
}

/// Evaluates a pure op on constants, as the machine would. `None` where the op's result is
/// undefined (shift counts outside 0..64, out-of-range float-to-int) or needs memory.
pub fn eval(opcode: OpCode, args: &[Const]) -> Option<Const> {
    use OpCode::*;
    let i = |k: usize| args.get(k).and_then(|c| c.as_int());
    let f = |k: usize| args.get(k).and_then(|c| c.as_float());
    let int = |v: i64| Some(Const::Int(v));
    let float = |v: f64| Some(Const::float(v));
    match opcode {
        IntAdd => int(i(0)?.wrapping_add(i(1)?)),
        IntSub => int(i(0)?.wrapping_sub(i(1)?)),
        IntMul => int(i(0)?.wrapping_mul(i(1)?)),
        IntAnd => int(i(0)? & i(1)?),
        IntOr => int(i(0)? | i(1)?),
        IntXor => int(i(0)? ^ i(1)?),
        IntLshift => {
            let n = i(1)?;
            let x = i(0)?;
            (0..64).contains(&n).then(|| Const::Int(x << n))
        }
        IntRshift => {
            let n = i(1)?;
            let x = i(0)?;
            (0..64).contains(&n).then(|| Const::Int(x >> n))
        }
        UintRshift => {
            let n = i(1)?;
            let x = i(0)?;
            (0..64).contains(&n).then(|| Const::Int(((x as u64) >> n) as i64))
        }
        IntFloordiv | IntMod => {
            let (x, y) = (i(0)?, i(1)?);
            let r = if opcode == IntFloordiv { py_floordiv } else { py_mod };
            (y != 0).then(|| Const::Int(r(x, y)))
        }
        UintFloordiv => (i(0)? as u64).checked_div(i(1)? as u64).map(|v| Const::Int(v as i64)),
        UintMod => (i(0)? as u64).checked_rem(i(1)? as u64).map(|v| Const::Int(v as i64)),
        IntNeg => int(i(0)?.wrapping_neg()),
        IntAbs => int(i(0)?.wrapping_abs()),
        IntInvert => int(!i(0)?),
        IntBetween => b(i(0)? <= i(1)? && i(1)? < i(2)?),
        IntAddOverflows => b(i(0)?.checked_add(i(1)?).is_none()),
        IntSubOverflows => b(i(0)?.checked_sub(i(1)?).is_none()),
        IntMulOverflows => b(i(0)?.checked_mul(i(1)?).is_none()),
        FloatIsTrue => b(f(0)? != 0.0),
        CastUintToFloat => float(i(0)? as u64 as f64),
        CastFloatToWord => match args.first()? {
            Const::Float(bits) => int(*bits as i64),
            _ => None,
        },
        CastWordToFloat => Some(Const::Float(i(0)? as u64)),
        CastIntToChar => int(i(0)? & 0xff),
        CastIntToUnichar => int(i(0)? & 0xffff_ffff),
        PtrIszero => b(*args.first()? == Const::Ref(0)),
        PtrNonzero => b(*args.first()? != Const::Ref(0)),
        IntIsTrue => b(i(0)? != 0),
        IntIsZero => b(i(0)? == 0),
        IntLt => b(i(0)? < i(1)?),
        IntLe => b(i(0)? <= i(1)?),
        IntEq => b(i(0)? == i(1)?),
        IntNe => b(i(0)? != i(1)?),
        IntGt => b(i(0)? > i(1)?),
        IntGe => b(i(0)? >= i(1)?),
        UintLt => b((i(0)? as u64) < (i(1)? as u64)),
        UintLe => b((i(0)? as u64) <= (i(1)? as u64)),
        UintGt => b((i(0)? as u64) > (i(1)? as u64)),
        UintGe => b((i(0)? as u64) >= (i(1)? as u64)),
        FloatAdd => float(f(0)? + f(1)?),
        FloatSub => float(f(0)? - f(1)?),
        FloatMul => float(f(0)? * f(1)?),
        FloatTrueDiv => float(f(0)? / f(1)?),
        FloatNeg => float(-f(0)?),
        FloatAbs => float(f(0)?.abs()),
        FloatLt => b(f(0)? < f(1)?),
        FloatLe => b(f(0)? <= f(1)?),
        FloatEq => b(f(0)? == f(1)?),
        FloatNe => b(f(0)? != f(1)?),
        FloatGt => b(f(0)? > f(1)?),
        FloatGe => b(f(0)? >= f(1)?),
        CastIntToFloat => float(i(0)? as f64),
        CastFloatToInt => {
            let x = f(0)?;
            // C's conversion truncates toward zero and is undefined out of range.
            (x.is_finite() && x >= -9.223_372_036_854_775_808e18 && x < 9.223_372_036_854_775_808e18)
                .then(|| Const::Int(x as i64))
        }
        PtrEq => b(args.first()? == args.get(1)?),
        PtrNe => b(args.first()? != args.get(1)?),
        SameAsI | SameAsF | SameAsR => args.first().copied(),
        _ => None,
    }
}

/// Algebraic identities that give one of the operands or a constant without evaluating.
/// Every identity here also holds without overflow, so the `_ovf` ops use it too.
pub fn simplify(opcode: OpCode, args: &[Value]) -> Option<Value> {
    use OpCode::*;
    let c = |k: usize| args.get(k).and_then(|v| v.as_int_const());
    let same = args.len() == 2 && args[0] == args[1];
    let zero = Some(Value::int(0));
    let one = Some(Value::int(1));
    match opcode {
        SameAsI | SameAsF | SameAsR => args.first().copied(),
        IntAdd | IntOr | IntXor if c(1) == Some(0) => Some(args[0]),
        IntAdd | IntOr | IntXor if c(0) == Some(0) => Some(args[1]),
        IntSub if c(1) == Some(0) => Some(args[0]),
        IntSub | IntXor if same => zero,
        IntAnd | IntOr if same => Some(args[0]),
        IntMul if c(1) == Some(1) => Some(args[0]),
        IntMul if c(0) == Some(1) => Some(args[1]),
        IntMul | IntAnd if c(0) == Some(0) || c(1) == Some(0) => zero,
        IntAnd if c(1) == Some(-1) => Some(args[0]),
        IntAnd if c(0) == Some(-1) => Some(args[1]),
        IntOr if c(0) == Some(-1) || c(1) == Some(-1) => Some(Value::int(-1)),
        IntLshift | IntRshift | UintRshift if c(1) == Some(0) => Some(args[0]),
        IntFloordiv | UintFloordiv if c(1) == Some(1) => Some(args[0]),
        IntMod | UintMod if c(1) == Some(1) => zero,
        IntMod if c(1) == Some(-1) => zero,
        IntEq | IntLe | IntGe | UintLe | UintGe | PtrEq if same => one,
        IntNe | IntLt | IntGt | UintLt | UintGt | PtrNe if same => zero,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::opt::testing::check;

    #[test]
    fn folds_pure_ops_on_constants_and_removes_decided_guards() {
        check(
            Some("fold"),
            "
            [i0]
            i1 = int_add(3, 4)
            i2 = int_mul(i1, i0)
            i3 = int_lt(i1, 10)
            guard_true(i3) [i0]
            i4 = int_gt(i1, 10)
            guard_true(i4) [i0, i2]
            f5 = cast_int_to_float(i1)
            f6 = float_mul(f5, 0.5)
            i7 = int_lshift(1, 64)
            i8 = uint_rshift(-1, 60)
            finish(i2, f6, i7, i8)
            ",
            "
            [i0]
            i2 = int_mul(7, i0)
            guard_true(0) [i0, i2]
            i7 = int_lshift(1, 64)
            finish(i2, 3.5, i7, 15)
            ",
        );
    }

    #[test]
    fn algebraic_identities() {
        check(
            Some("fold"),
            "
            [i0, i1, p2]
            i3 = int_add(i0, 0)
            i4 = int_sub(i3, i3)
            i5 = int_mul(1, i1)
            i6 = int_and(i5, 0)
            i7 = int_or(i0, i1)
            i8 = int_xor(i7, i7)
            i9 = ptr_eq(p2, p2)
            i10 = int_le(i0, i0)
            i11 = same_as_i(i5)
            finish(i3, i4, i5, i6, i8, i9, i10, i11)
            ",
            "
            [i0, i1, p2]
            i7 = int_or(i0, i1)
            finish(i0, 0, i1, 0, 0, 1, 1, i1)
            ",
        );
    }

    #[test]
    fn float_identities_are_left_alone() {
        // x + 0.0 is not x when x is -0.0, and x == x is false for NaN.
        check(
            Some("fold"),
            "
            [f0]
            f1 = float_add(f0, 0.0)
            i2 = float_eq(f0, f0)
            finish(f1, i2)
            ",
            "
            [f0]
            f1 = float_add(f0, 0.0)
            i2 = float_eq(f0, f0)
            finish(f1, i2)
            ",
        );
    }

    #[test]
    fn overflow_ops_fold_with_their_guard_when_decided() {
        check(
            Some("fold"),
            "
            [i0]
            i1 = int_add_ovf(5, 6)
            guard_no_overflow() [i0]
            i2 = int_mul_ovf(9223372036854775807, 2)
            guard_no_overflow() [i1]
            i3 = int_sub_ovf(i0, 0)
            guard_no_overflow() [i0]
            i4 = int_add_ovf(-9223372036854775808, -1)
            guard_overflow() [i0]
            finish(i1, i2, i3, i4)
            ",
            "
            [i0]
            i2 = int_mul_ovf(9223372036854775807, 2)
            guard_no_overflow() [11]
            finish(11, i2, i0, 9223372036854775807)
            ",
        );
    }

    #[test]
    fn guard_value_makes_a_constant() {
        check(
            Some("fold"),
            "
            [i0, p1]
            guard_value(i0, 5) [i0]
            i2 = int_add(i0, 1)
            guard_value(i0, 5) [i0, i2]
            guard_isnull(p1) [i2]
            i3 = ptr_eq(p1, NULL)
            i4 = int_is_true(i2)
            guard_false(i4) [i2]
            finish(i2, i3, i4)
            ",
            "
            [i0, p1]
            guard_value(i0, 5) [i0]
            guard_isnull(p1) [6]
            guard_false(1) [6]
            finish(6, 1, 1)
            ",
        );
    }

    #[test]
    fn call_pure_on_constants_uses_the_recorded_result() {
        check(
            Some("fold"),
            "
            descr lookup: call(args=[i], result=i, can_raise, elidable, reads=all, writes=[])
            call_pure_result(4096, 7) = 12
            [i0]
            i1 = call_pure_i(4096, 7, descr=lookup)
            guard_no_exception() [i0]
            i2 = call_pure_i(4096, i0, descr=lookup)
            guard_no_exception() [i0]
            i3 = call_pure_i(4096, 8, descr=lookup)
            guard_no_exception() [i0]
            finish(i1, i2, i3)
            ",
            "
            call_pure_result(4096, 7) = 12
            [i0]
            i2 = call_pure_i(4096, i0, descr=lookup)
            guard_no_exception() [i0]
            i3 = call_pure_i(4096, 8, descr=lookup)
            guard_no_exception() [i0]
            finish(12, i2, i3)
            ",
        );
    }

    #[test]
    fn facts_end_at_a_label_and_dropped_label_args_are_redefined() {
        check(
            Some("fold"),
            "
            [i0, i1]
            i2 = int_add(i1, 0)
            guard_value(i0, 3) [i0]
            label(i0, i2, descr=TargetToken(1))
            i3 = int_add(i0, i2)
            jump(i3, i2, descr=TargetToken(1))
            ",
            "
            [i0, i1]
            guard_value(i0, 3) [i0]
            i2 = same_as_i(i1)
            label(i0, i2, descr=TargetToken(1))
            i3 = int_add(i0, i2)
            jump(i3, i2, descr=TargetToken(1))
            ",
        );
    }

    #[test]
    fn jitcode_ops_fold_with_the_jitcodes_semantics() {
        // Python's floor division and modulo, the jitcode aliases (`uint_add` is `int_add`,
        // `bool_not` is `int_is_zero`), narrowing casts, bit casts, int_between, the
        // overflow tests and pointer tests; a zero divisor stays (undefined).
        check(
            Some("fold"),
            "
            [i0, p1]
            i2 = int_floordiv(-7, 2)
            i3 = int_mod(-7, 2)
            i4 = int_mod(7, -2)
            i5 = uint_floordiv(-1, 2)
            i6 = uint_add(i0, 0)
            i7 = bool_not(0)
            i8 = cast_int_to_char(-1)
            i9 = cast_int_to_unichar(-1)
            i10 = int_between(0, 5, 5)
            i11 = int_add_overflows(9223372036854775807, 1)
            i12 = int_abs(-9223372036854775808)
            i13 = cast_float_to_word(-0.0)
            f14 = cast_word_to_float(4611686018427387904)
            i15 = float_is_true(nan)
            i16 = ptr_iszero(NULL)
            i17 = int_floordiv(i0, 1)
            i18 = int_mod(i0, -1)
            i19 = int_floordiv(i0, 0)
            f20 = cast_uint_to_float(-1)
            i21 = cast_ptr_to_int(p1)
            finish(i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, f14, i15, i16, i17, i18, i19, f20, i21)
            ",
            "
            [i0, p1]
            i19 = int_floordiv(i0, 0)
            i21 = cast_ptr_to_int(p1)
            finish(-4, 1, -1, 9223372036854775807, i0, 1, 255, 4294967295, 0, 1, -9223372036854775808, -9223372036854775808, 2.0, 1, 1, i0, 0, i19, 1.8446744073709552e19, i21)
            ",
        );
    }

    #[test]
    fn a_guard_on_x_plus_a_constant_fixes_x() {
        // RPython's test_guard_value_of_int_sub: guard_value(i - 1, 0) means i == 1;
        // chains and guard_false work the same way, wrapping.
        check(
            Some("fold"),
            "
            [i0, i1, i2]
            i3 = int_sub(i0, 1)
            guard_value(i3, 0) [i0]
            i4 = int_mul(i0, 10)
            i5 = int_add(5, i1)
            i6 = int_add(i5, -9223372036854775808)
            guard_false(i6) [i1]
            i7 = int_add(i1, i2)
            finish(i4, i7)
            ",
            "
            [i0, i1, i2]
            i3 = int_sub(i0, 1)
            guard_value(i3, 0) [i0]
            i5 = int_add(5, i1)
            i6 = int_add(i5, -9223372036854775808)
            guard_false(i6) [i1]
            i7 = int_add(9223372036854775803, i2)
            finish(10, i7)
            ",
        );
    }
}
