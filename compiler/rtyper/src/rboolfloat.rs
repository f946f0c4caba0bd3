//! A float that may be a bool (`Repr::FloatOrBool`, for `SomeValue::Float { boolish }`):
//! a machine float in which True and False are two reserved signalling-NaN bit patterns.
//! Nothing else makes those patterns (hardware arithmetic gives quiet NaNs, parsing and
//! constants the canonical NaN, and `longlong2float` refuses every other NaN), so a list
//! of them is still a float array to the GC and the JIT, and the value keeps its Python
//! type: read as a number it is 1.0/0.0 (straight-line bit operations, no branch for the
//! JIT to guard), shown or type-tested it is True/False.

use kiln_lltype::builder::{c, v as var, LlBuilder};
use kiln_lltype::{LlConst, LlOp, RtFn, TypeId};

use crate::lower::Lower;
use crate::repr::Repr;
use crate::RTyper;
use kiln_lltype::builder::LlValue;

/// The bit pattern of False: a signalling NaN (exponent all ones, quiet bit clear).
pub const FALSE_BITS: i64 = 0x7FF0_0000_0000_0B0E;
/// The bit pattern of True: False's plus one, so `bits | 1 == TRUE_BITS` tests both.
pub const TRUE_BITS: i64 = FALSE_BITS + 1;
const ONE_BITS: i64 = 0x3FF0_0000_0000_0000;

/// A constant of the representation.
pub fn bool_const(b: bool) -> LlConst {
    LlConst::Float(f64::from_bits((if b { TRUE_BITS } else { FALSE_BITS }) as u64))
}

impl<'r, 'a> Lower<'r, 'a> {
    /// bool -> float-or-bool: the pattern.
    pub fn box_bool(&mut self, b: LlValue) -> LlValue {
        let i = self.genop(LlOp::CastBoolToInt, vec![b], TypeId::SIGNED);
        let w = self.genop(LlOp::IntAdd, vec![i, c(LlConst::Signed(FALSE_BITS))], TypeId::SIGNED);
        self.genop(LlOp::CastWordToFloat, vec![w], TypeId::FLOAT)
    }

    /// Whether a float-or-bool holds a bool.
    pub fn boxed_is_bool(&mut self, x: LlValue) -> LlValue {
        let w = self.genop(LlOp::CastFloatToWord, vec![x], TypeId::SIGNED);
        let w1 = self.genop(LlOp::IntOr, vec![w, c(LlConst::Signed(1))], TypeId::SIGNED);
        self.genop(LlOp::IntEq, vec![w1, c(LlConst::Signed(TRUE_BITS))], TypeId::BOOL)
    }

    /// float-or-bool -> float, where a number is read: True is 1.0, False 0.0, a float
    /// itself. `(w & !m) | (one & m)` with `m` all ones for a bool.
    pub fn unbox_float(&mut self, x: LlValue) -> LlValue {
        let w = self.genop(LlOp::CastFloatToWord, vec![x], TypeId::SIGNED);
        let w1 = self.genop(LlOp::IntOr, vec![w.clone(), c(LlConst::Signed(1))], TypeId::SIGNED);
        let isb = self.genop(LlOp::IntEq, vec![w1, c(LlConst::Signed(TRUE_BITS))], TypeId::BOOL);
        let isb = self.genop(LlOp::CastBoolToInt, vec![isb], TypeId::SIGNED);
        let m = self.genop(LlOp::IntNeg, vec![isb], TypeId::SIGNED);
        let ist = self.genop(LlOp::IntEq, vec![w.clone(), c(LlConst::Signed(TRUE_BITS))], TypeId::BOOL);
        let ist = self.genop(LlOp::CastBoolToInt, vec![ist], TypeId::SIGNED);
        let one = self.genop(LlOp::IntMul, vec![ist, c(LlConst::Signed(ONE_BITS))], TypeId::SIGNED);
        let nm = self.genop(LlOp::IntInvert, vec![m.clone()], TypeId::SIGNED);
        let keep = self.genop(LlOp::IntAnd, vec![w, nm], TypeId::SIGNED);
        let b = self.genop(LlOp::IntAnd, vec![one, m], TypeId::SIGNED);
        let r = self.genop(LlOp::IntOr, vec![keep, b], TypeId::SIGNED);
        self.genop(LlOp::CastWordToFloat, vec![r], TypeId::FLOAT)
    }

    /// `str()` / `repr()` of a float-or-bool: "True"/"False" or the float's text.
    pub fn boxed_to_str(&mut self, x: LlValue) -> LlValue {
        self.helper(crate::helpers::Helper::FloatOrBoolToStr, vec![x])
    }
}

impl<'a> RTyper<'a> {
    /// The helper graph behind [`Lower::boxed_to_str`].
    pub(crate) fn build_float_or_bool_to_str(&mut self) -> (String, kiln_lltype::LlGraph) {
        let name = "ll_float_or_bool_to_str";
        let (mut b, p) = LlBuilder::new(name, &[TypeId::FLOAT], TypeId::STR_PTR, kiln_flowgraph::Span::DUMMY);
        let w = b.op(LlOp::CastFloatToWord, vec![var(p[0])], TypeId::SIGNED);
        let is_t = b.op(LlOp::IntEq, vec![var(w), c(LlConst::Signed(TRUE_BITS))], TypeId::BOOL);
        let is_f = b.op(LlOp::IntEq, vec![var(w), c(LlConst::Signed(FALSE_BITS))], TypeId::BOOL);
        let rb = b.graph.returnblock;
        let t = self.ll.str_const("True");
        let f = self.ll.str_const("False");
        let (not_t, nt) = b.new_block(&[TypeId::FLOAT]);
        b.branch(var(is_t), (rb, vec![c(t)]), (not_t, vec![var(p[0])]));
        b.switch_to(not_t);
        let (num, nv) = b.new_block(&[TypeId::FLOAT]);
        b.branch(var(is_f), (rb, vec![c(f)]), (num, vec![var(nt[0])]));
        b.switch_to(num);
        let s = b.op(LlOp::RtCall(RtFn::StrFromFloat), vec![var(nv[0])], TypeId::STR_PTR);
        b.ret(var(s));
        (name.into(), b.finish())
    }
}

/// Whether a representation is read as a float: a float, or a float-or-bool (unboxed).
pub fn is_floatish(r: &Repr) -> bool {
    matches!(r, Repr::Float | Repr::FloatOrBool)
}
