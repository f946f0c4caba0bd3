//! Evaluation of pure low-level operations on raw 64-bit values: the single definition of
//! integer and float semantics, shared by constant folding and the llinterp. The LLVM
//! backend must produce the same results; the differential tests check that it does.

use crate::ops::LlOp;

/// Python's floor division for a non-zero divisor; `i64::MIN // -1` wraps.
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

/// Python's modulo for a non-zero divisor: the result has the divisor's sign.
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

/// Evaluates a pure op on raw values (floats as bits, bools as 0/1). Returns `None` for
/// ops that are not pure, and where the op's precondition does not hold (a zero divisor,
/// a shift count outside 0..64): those cases never reach the op in a correct program.
pub fn eval_pure(op: LlOp, args: &[u64]) -> Option<u64> {
    let a = || args[0];
    let b = || args[1];
    let ia = || args[0] as i64;
    let ib = || args[1] as i64;
    let fa = || f64::from_bits(args[0]);
    let fb = || f64::from_bits(args[1]);
    let flt = |x: f64| x.to_bits();
    Some(match op {
        LlOp::IntAdd => ia().wrapping_add(ib()) as u64,
        LlOp::IntSub => ia().wrapping_sub(ib()) as u64,
        LlOp::IntMul => ia().wrapping_mul(ib()) as u64,
        LlOp::IntFloorDiv => {
            if ib() == 0 {
                return None;
            }
            py_floordiv(ia(), ib()) as u64
        }
        LlOp::IntMod => {
            if ib() == 0 {
                return None;
            }
            py_mod(ia(), ib()) as u64
        }
        LlOp::IntNeg => ia().wrapping_neg() as u64,
        LlOp::IntAbs => ia().wrapping_abs() as u64,
        LlOp::IntInvert => !a(),
        LlOp::IntAnd => a() & b(),
        LlOp::IntOr => a() | b(),
        LlOp::IntXor => a() ^ b(),
        LlOp::IntLshift => {
            if !(0..64).contains(&ib()) {
                return None;
            }
            (ia() << ib()) as u64
        }
        LlOp::IntRshift => {
            if !(0..64).contains(&ib()) {
                return None;
            }
            (ia() >> ib()) as u64
        }
        LlOp::IntEq => (ia() == ib()) as u64,
        LlOp::IntNe => (ia() != ib()) as u64,
        LlOp::IntLt => (ia() < ib()) as u64,
        LlOp::IntLe => (ia() <= ib()) as u64,
        LlOp::IntGt => (ia() > ib()) as u64,
        LlOp::IntGe => (ia() >= ib()) as u64,
        LlOp::IntIsTrue => (ia() != 0) as u64,
        LlOp::IntAddOverflows => ia().checked_add(ib()).is_none() as u64,
        LlOp::IntSubOverflows => ia().checked_sub(ib()).is_none() as u64,
        LlOp::IntMulOverflows => ia().checked_mul(ib()).is_none() as u64,
        LlOp::IntBetween => (ia() <= ib() && ib() < args[2] as i64) as u64,
        LlOp::UintAdd => a().wrapping_add(b()),
        LlOp::UintSub => a().wrapping_sub(b()),
        LlOp::UintMul => a().wrapping_mul(b()),
        LlOp::UintFloorDiv => a().checked_div(b())?,
        LlOp::UintMod => a().checked_rem(b())?,
        LlOp::UintAnd => a() & b(),
        LlOp::UintOr => a() | b(),
        LlOp::UintXor => a() ^ b(),
        LlOp::UintInvert => !a(),
        LlOp::UintLshift => {
            if !(0..64).contains(&ib()) {
                return None;
            }
            a() << b()
        }
        LlOp::UintRshift => {
            if !(0..64).contains(&ib()) {
                return None;
            }
            a() >> b()
        }
        LlOp::UintEq => (a() == b()) as u64,
        LlOp::UintNe => (a() != b()) as u64,
        LlOp::UintLt => (a() < b()) as u64,
        LlOp::UintLe => (a() <= b()) as u64,
        LlOp::UintGt => (a() > b()) as u64,
        LlOp::UintGe => (a() >= b()) as u64,
        LlOp::FloatAdd => flt(fa() + fb()),
        LlOp::FloatSub => flt(fa() - fb()),
        LlOp::FloatMul => flt(fa() * fb()),
        LlOp::FloatTrueDiv => {
            if fb() == 0.0 {
                return None;
            }
            flt(fa() / fb())
        }
        LlOp::FloatNeg => flt(-fa()),
        LlOp::FloatAbs => flt(fa().abs()),
        LlOp::FloatEq => (fa() == fb()) as u64,
        LlOp::FloatNe => (fa() != fb()) as u64,
        LlOp::FloatLt => (fa() < fb()) as u64,
        LlOp::FloatLe => (fa() <= fb()) as u64,
        LlOp::FloatGt => (fa() > fb()) as u64,
        LlOp::FloatGe => (fa() >= fb()) as u64,
        LlOp::FloatIsTrue => (fa() != 0.0) as u64,
        LlOp::BoolNot => (a() == 0) as u64,
        LlOp::BoolEq => ((a() != 0) == (b() != 0)) as u64,
        LlOp::CharEq | LlOp::UniCharEq => (a() == b()) as u64,
        LlOp::UniCharNe => (a() != b()) as u64,
        LlOp::CharLt | LlOp::UniCharLt => (a() < b()) as u64,
        LlOp::UniCharLe => (a() <= b()) as u64,
        LlOp::UniCharGt => (a() > b()) as u64,
        LlOp::UniCharGe => (a() >= b()) as u64,
        LlOp::CastBoolToInt | LlOp::CastCharToInt | LlOp::CastUniCharToInt | LlOp::CastCharToUniChar => a(),
        LlOp::CastBoolToFloat => flt(if a() != 0 { 1.0 } else { 0.0 }),
        LlOp::CastIntToFloat => flt(ia() as f64),
        LlOp::CastUintToFloat => flt(a() as f64),
        LlOp::CastFloatToInt => {
            let f = fa();
            if !(f >= -9.223_372_036_854_776e18 && f < 9.223_372_036_854_776e18) {
                return None;
            }
            (f as i64) as u64
        }
        LlOp::CastIntToChar => a() & 0xff,
        LlOp::CastIntToUniChar => a() & 0xffff_ffff,
        LlOp::CastIntToUint | LlOp::CastUintToInt => a(),
        LlOp::CastFloatToWord | LlOp::CastWordToFloat => a(),
        LlOp::SameAs => a(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_division_and_modulo_follow_python() {
        // (a, b, a // b, a % b) as CPython computes them.
        let cases = [(7, 2, 3, 1), (-7, 2, -4, 1), (7, -2, -4, -1), (-7, -2, 3, -1), (6, 3, 2, 0), (-6, 3, -2, 0), (0, -5, 0, 0)];
        for (a, b, q, r) in cases {
            assert_eq!(py_floordiv(a, b), q, "{a} // {b}");
            assert_eq!(py_mod(a, b), r, "{a} % {b}");
        }
        assert_eq!(py_floordiv(i64::MIN, -1), i64::MIN);
        assert_eq!(py_mod(i64::MIN, -1), 0);
    }

    #[test]
    fn preconditions_are_not_folded() {
        assert_eq!(eval_pure(LlOp::IntFloorDiv, &[1, 0]), None);
        assert_eq!(eval_pure(LlOp::IntLshift, &[1, 64]), None);
        assert_eq!(eval_pure(LlOp::IntLshift, &[1, 3]), Some(8));
        assert_eq!(eval_pure(LlOp::IntRshift, &[(-16i64) as u64, 2]), Some((-4i64) as u64));
    }
}
