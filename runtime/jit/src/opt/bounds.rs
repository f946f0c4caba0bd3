//! Integer bounds: an interval per int box, from constants, from what ops can produce
//! (`arraylen_gc >= 0`, comparisons in 0..1, narrow fields), and from what passed guards
//! say (`guard_true(int_lt(i, n))`). With them, an `_ovf` op that cannot overflow becomes
//! the plain op and its `guard_no_overflow` goes, and a comparison the intervals decide
//! becomes a constant (so the index checks of an interpreter loop fold away).

use std::collections::HashMap;

use crate::descr::DescrTable;
use crate::ir::{BoxId, Op, Trace, Value};
use crate::opcode::{flags, OpCode};
use crate::opt::intbound::IntBound;
use crate::opt::{guard_outcome, Rewriter};

struct Bounds {
    bounds: HashMap<BoxId, IntBound>,
    /// Comparisons that defined int boxes, to learn from guards on them.
    defs: HashMap<BoxId, (OpCode, Value, Value)>,
    /// `int_between(a, b, c)` results: a passed `guard_true` on one says `a <= b < c`.
    between: HashMap<BoxId, (Value, Value, Value)>,
}

impl Bounds {
    fn get(&self, v: Value) -> IntBound {
        match v {
            Value::Const(c) => c.as_int().map_or(IntBound::FULL, IntBound::exact),
            Value::Box(b) => self.bounds.get(&b).copied().unwrap_or(IntBound::FULL),
        }
    }

    /// Narrows the bound of `v` (if a box); a constant result becomes a known value.
    fn narrow(&mut self, rw: &mut Rewriter, v: Value, new: IntBound) {
        let Value::Box(b) = v else { return };
        if let Some(nb) = self.get(v).intersect(new) {
            self.bounds.insert(b, nb);
            if let Some(c) = nb.constant() {
                rw.know(b, Value::int(c));
            }
        }
    }

    /// Learns that `op(a, b)` is `truth`.
    fn learn(&mut self, rw: &mut Rewriter, op: OpCode, a: Value, b: Value, truth: bool) {
        use OpCode::*;
        // Reduce to "lt/le/eq/ne/ult/ule (x, y) holds".
        let (op, a, b) = match (op, truth) {
            // a > b is b < a; not (a > b) is a <= b; and so on.
            (IntGt, true) | (IntLe, false) => (IntLt, b, a),
            (IntGt, false) => (IntLe, a, b),
            (IntGe, true) | (IntLt, false) => (IntLe, b, a),
            (IntGe, false) => (IntLt, a, b),
            (UintGt, true) | (UintLe, false) => (UintLt, b, a),
            (UintGt, false) => (UintLe, a, b),
            (UintGe, true) | (UintLt, false) => (UintLe, b, a),
            (UintGe, false) => (UintLt, a, b),
            (IntEq, false) => (IntNe, a, b),
            (IntNe, false) => (IntEq, a, b),
            (op, _) => (op, a, b),
        };
        let (ba, bb) = (self.get(a), self.get(b));
        match op {
            IntLt => {
                if let (Some(h), Some(l)) = (bb.hi.checked_sub(1), ba.lo.checked_add(1)) {
                    self.narrow(rw, a, IntBound { lo: i64::MIN, hi: h });
                    self.narrow(rw, b, IntBound { lo: l, hi: i64::MAX });
                }
            }
            IntLe => {
                self.narrow(rw, a, IntBound { lo: i64::MIN, hi: bb.hi });
                self.narrow(rw, b, IntBound { lo: ba.lo, hi: i64::MAX });
            }
            IntEq => {
                self.narrow(rw, a, bb);
                self.narrow(rw, b, ba);
            }
            IntNe => {
                for (x, bx, other) in [(a, ba, bb), (b, bb, ba)] {
                    if let Some(c) = other.constant() {
                        if c == bx.lo && bx.lo < bx.hi {
                            self.narrow(rw, x, IntBound { lo: c + 1, hi: bx.hi });
                        } else if c == bx.hi && bx.lo < bx.hi {
                            self.narrow(rw, x, IntBound { lo: bx.lo, hi: c - 1 });
                        }
                    }
                }
            }
            // Unsigned x < y with y non-negative: x is in [0, y - 1] as a signed number.
            UintLt if bb.is_nonneg() => {
                if let Some(h) = bb.hi.checked_sub(1) {
                    self.narrow(rw, a, IntBound { lo: 0, hi: h });
                }
                if ba.is_nonneg() {
                    self.narrow(rw, b, IntBound { lo: ba.lo.saturating_add(1), hi: i64::MAX });
                }
            }
            UintLe if bb.is_nonneg() => {
                self.narrow(rw, a, IntBound { lo: 0, hi: bb.hi });
                if ba.is_nonneg() {
                    self.narrow(rw, b, IntBound { lo: ba.lo, hi: i64::MAX });
                }
            }
            IntIsTrue | IntIsZero => {
                if truth == (op == IntIsTrue) {
                    self.learn(rw, IntNe, a, Value::int(0), true);
                } else {
                    self.narrow(rw, a, IntBound::exact(0));
                }
            }
            _ => {}
        }
    }

    /// The result interval of a pure int op, and whether the op can be decided from it.
    fn result_of(&self, descrs: &DescrTable, op: &Op) -> Option<IntBound> {
        use OpCode::*;
        let x = |k: usize| self.get(op.args[k]);
        Some(match op.opcode {
            IntAdd => x(0).add(x(1)).wrapped(),
            IntSub => x(0).sub(x(1)).wrapped(),
            IntMul => x(0).mul(x(1)).wrapped(),
            IntAnd => x(0).and(x(1)),
            IntOr | IntXor => x(0).or_xor(x(1)),
            IntLshift => x(0).lshift(x(1)),
            IntRshift => x(0).rshift(x(1)),
            UintRshift => x(0).urshift(x(1)),
            IntNeg => x(0).neg().wrapped(),
            IntAbs if x(0).lo > i64::MIN => {
                let (lo, hi) = (x(0).lo, x(0).hi);
                if lo >= 0 {
                    IntBound { lo, hi }
                } else if hi <= 0 {
                    IntBound { lo: -hi, hi: -lo }
                } else {
                    IntBound { lo: 0, hi: hi.max(-lo) }
                }
            }
            // Python's modulo has the divisor's sign and is smaller in magnitude.
            IntMod => match x(1) {
                d if d.lo > 0 => IntBound { lo: 0, hi: d.hi - 1 },
                d if d.hi < 0 => IntBound { lo: d.lo + 1, hi: 0 },
                _ => return None,
            },
            UintMod if x(1).lo > 0 => IntBound { lo: 0, hi: x(1).hi - 1 },
            CastIntToChar => IntBound { lo: 0, hi: 0xff },
            CastIntToUnichar => IntBound { lo: 0, hi: 0xffff_ffff },
            IntBetween => match (lt(x(1), x(0)).map(|t| !t), lt(x(1), x(2))) {
                (Some(false), _) | (_, Some(false)) => IntBound::exact(0),
                (Some(true), Some(true)) => IntBound::exact(1),
                _ => IntBound::BOOL,
            },
            IntInvert => IntBound { lo: !x(0).hi, hi: !x(0).lo },
            SameAsI => x(0),
            IntLt | IntLe | IntGt | IntGe | IntEq | IntNe | UintLt | UintLe | UintGt | UintGe | IntIsTrue
            | IntIsZero => decide(op.opcode, x(0), op.args.get(1).map_or(IntBound::FULL, |&v| self.get(v)))
                .map_or(IntBound::BOOL, |t| IntBound::exact(t as i64)),
            ArraylenGc | ArraylenRaw | Strlen => IntBound::NONNEG,
            GetfieldGcI | GetfieldRawI => {
                let f = descrs.field(op.descr?)?;
                IntBound::of_memory(f.size, f.signed)
            }
            GetarrayitemGcI | GetarrayitemRawI => {
                let a = descrs.array(op.descr?)?;
                IntBound::of_memory(a.item_size, a.signed)
            }
            _ if op.opcode.info().has(flags::COMPARISON) => IntBound::BOOL,
            _ => return None,
        })
    }
}

/// Whether intervals decide a comparison.
fn decide(op: OpCode, a: IntBound, b: IntBound) -> Option<bool> {
    use OpCode::*;
    let both_nonneg = a.is_nonneg() && b.is_nonneg();
    match op {
        IntLt => lt(a, b),
        IntGt => lt(b, a),
        IntLe => lt(b, a).map(|t| !t),
        IntGe => lt(a, b).map(|t| !t),
        UintLt if both_nonneg => lt(a, b),
        UintGt if both_nonneg => lt(b, a),
        UintLe if both_nonneg => lt(b, a).map(|t| !t),
        UintGe if both_nonneg => lt(a, b).map(|t| !t),
        IntEq | IntNe => {
            let eq = if a.hi < b.lo || b.hi < a.lo {
                Some(false)
            } else if a.constant().is_some() && a.constant() == b.constant() {
                Some(true)
            } else {
                None
            };
            eq.map(|e| e == (op == IntEq))
        }
        IntIsTrue | IntIsZero => {
            let nonzero = if !a.contains(0) {
                Some(true)
            } else if a.constant() == Some(0) {
                Some(false)
            } else {
                None
            };
            nonzero.map(|t| t == (op == IntIsTrue))
        }
        _ => None,
    }
}

fn lt(a: IntBound, b: IntBound) -> Option<bool> {
    if a.hi < b.lo {
        Some(true)
    } else if a.lo >= b.hi {
        Some(false)
    } else {
        None
    }
}

pub fn run(descrs: &DescrTable, trace: &mut Trace) {
    let ops = std::mem::take(&mut trace.ops);
    let mut rw = Rewriter::new(ops.len());
    let mut st = Bounds { bounds: HashMap::new(), defs: HashMap::new(), between: HashMap::new() };
    let mut drop_next = None;
    for (i, op) in ops.iter().enumerate() {
        let mut op = rw.prepare(op.clone());
        if drop_next.take() == Some(op.opcode) {
            continue;
        }
        let next = ops.get(i + 1).map(|o| o.opcode);
        if op.opcode == OpCode::Label {
            rw.emit_label(trace, op);
            st.bounds.clear();
            st.defs.clear();
            st.between.clear();
            continue;
        }
        if op.opcode.is_guard() {
            if guard_outcome(&op) == Some(true) {
                continue;
            }
            // guard_value of a box in 0..1 against 0 or 1 is guard_false or guard_true.
            if op.opcode == OpCode::GuardValue && st.get(op.args[0]).intersect(IntBound::BOOL) == Some(st.get(op.args[0])) {
                match op.args[1].as_int_const() {
                    Some(1) => op.opcode = OpCode::GuardTrue,
                    Some(0) => op.opcode = OpCode::GuardFalse,
                    _ => {}
                }
                if op.opcode != OpCode::GuardValue {
                    op.args.truncate(1);
                }
            }
            let arg = op.args.first().copied();
            match (op.opcode, arg) {
                (OpCode::GuardTrue | OpCode::GuardFalse, Some(v)) => {
                    let truth = op.opcode == OpCode::GuardTrue;
                    let bv = st.get(v);
                    let decided = if bv.contains(0) { (bv.constant() == Some(0)).then_some(false) } else { Some(true) };
                    if decided == Some(truth) {
                        continue;
                    }
                    rw.emit(op);
                    if let Some(b) = v.as_box() {
                        if let Some(&(a1, a2, a3)) = st.between.get(&b) {
                            if truth {
                                st.learn(&mut rw, OpCode::IntLe, a1, a2, true);
                                st.learn(&mut rw, OpCode::IntLt, a2, a3, true);
                            }
                            st.narrow(&mut rw, v, IntBound::exact(truth as i64));
                        } else if let Some(&(cmp, a1, a2)) = st.defs.get(&b) {
                            st.learn(&mut rw, cmp, a1, a2, truth);
                            st.narrow(&mut rw, v, IntBound::exact(truth as i64));
                        } else if !truth {
                            st.narrow(&mut rw, v, IntBound::exact(0));
                        } else {
                            st.learn(&mut rw, OpCode::IntNe, v, Value::int(0), true);
                        }
                    }
                }
                (OpCode::GuardValue, Some(v)) if op.args[1].as_int_const().is_some() => {
                    let c = op.args[1];
                    rw.emit(op);
                    st.learn(&mut rw, OpCode::IntEq, v, c, true);
                }
                _ => rw.emit(op),
            }
            continue;
        }
        let Some(result) = op.result else {
            rw.emit(op);
            continue;
        };
        if let Some(base) = op.opcode.without_ovf() {
            let (a, b) = (st.get(op.args[0]), st.get(op.args[1]));
            let wide = match base {
                OpCode::IntAdd => a.add(b),
                OpCode::IntSub => a.sub(b),
                _ => a.mul(b),
            };
            if wide.fits() && next == Some(OpCode::GuardNoOverflow) {
                op.opcode = base;
                drop_next = next;
                st.bounds.insert(result, wide.wrapped());
            } else if next == Some(OpCode::GuardNoOverflow) {
                st.bounds.insert(result, wide.clamped());
            }
            rw.emit(op);
            continue;
        }
        // int_is_true of a box in 0..1 is the box.
        if op.opcode == OpCode::IntIsTrue && st.get(op.args[0]).intersect(IntBound::BOOL) == Some(st.get(op.args[0])) {
            rw.forward(result, op.args[0]);
            continue;
        }
        if op.opcode.is_pure() && trace.box_type(result) == Some(crate::ir::Type::Int) {
            if let Some(bound) = st.result_of(descrs, &op) {
                if let Some(c) = bound.constant() {
                    rw.forward(result, Value::int(c));
                    continue;
                }
                st.bounds.insert(result, bound);
            }
            if op.opcode == OpCode::IntBetween {
                st.between.insert(result, (op.args[0], op.args[1], op.args[2]));
            } else if op.opcode.info().has(flags::COMPARISON) && op.args.iter().all(|a| trace.value_type(*a) == Some(crate::ir::Type::Int)) {
                let second = op.args.get(1).copied().unwrap_or(Value::int(0));
                st.defs.insert(result, (op.opcode, op.args[0], second));
            }
        } else if let Some(bound) = st.result_of(descrs, &op) {
            st.bounds.insert(result, bound);
        }
        rw.emit(op);
    }
    rw.finish(trace);
}

#[cfg(test)]
mod tests {
    use crate::opt::testing::check;

    #[test]
    fn interpreter_loop_loses_its_overflow_and_index_checks() {
        // The dispatch loop of a bytecode interpreter: the pc is checked against the code
        // length, then incremented. Once `pc < len` holds, `pc + 1` cannot overflow, and
        // the checks after it on the new pc and on the byte read are decided.
        check(
            Some("bounds"),
            "
            descr Code.items: array(base=16, len=8, item_size=1, type=i, unsigned, immutable)
            [i0, p1]
            label(i0, p1, descr=TargetToken(1))
            i2 = arraylen_gc(p1, descr=Code.items)
            i3 = int_ge(i0, 0)
            guard_true(i3) [i0, p1]
            i4 = int_lt(i0, i2)
            guard_true(i4) [i0, p1]
            i5 = getarrayitem_gc_i(p1, i0, descr=Code.items)
            i6 = int_lt(i5, 256)
            guard_true(i6) [i0, p1]
            i7 = int_add_ovf(i0, 1)
            guard_no_overflow() [i0, p1]
            i8 = int_gt(i7, 0)
            guard_true(i8) [i7, p1]
            i9 = int_ge(i7, 0)
            guard_true(i9) [i7, p1]
            jump(i7, p1, descr=TargetToken(1))
            ",
            "
            [i0, p1]
            label(i0, p1, descr=TargetToken(1))
            i2 = arraylen_gc(p1, descr=Code.items)
            i3 = int_ge(i0, 0)
            guard_true(i3) [i0, p1]
            i4 = int_lt(i0, i2)
            guard_true(i4) [i0, p1]
            i5 = getarrayitem_gc_i(p1, i0, descr=Code.items)
            i7 = int_add(i0, 1)
            jump(i7, p1, descr=TargetToken(1))
            ",
        );
    }

    #[test]
    fn overflow_checks_stay_when_bounds_do_not_prove_them() {
        check(
            Some("bounds"),
            "
            [i0, i1]
            i2 = int_add_ovf(i0, 1)
            guard_no_overflow() [i0]
            i3 = int_lt(i1, 100)
            guard_true(i3) [i0]
            i4 = int_gt(i1, -100)
            guard_true(i4) [i0]
            i5 = int_mul_ovf(i1, i1)
            guard_no_overflow() [i0]
            i6 = int_sub_ovf(i5, 1)
            guard_no_overflow() [i0]
            i7 = int_mul_ovf(i2, 2)
            guard_no_overflow() [i0]
            finish(i2, i6, i7)
            ",
            "
            [i0, i1]
            i2 = int_add_ovf(i0, 1)
            guard_no_overflow() [i0]
            i3 = int_lt(i1, 100)
            guard_true(i3) [i0]
            i4 = int_gt(i1, -100)
            guard_true(i4) [i0]
            i5 = int_mul(i1, i1)
            i6 = int_sub(i5, 1)
            i7 = int_mul_ovf(i2, 2)
            guard_no_overflow() [i0]
            finish(i2, i6, i7)
            ",
        );
    }

    #[test]
    fn unsigned_bounds_checks_and_masks() {
        check(
            Some("bounds"),
            "
            [i0, p1]
            i2 = strlen(p1)
            i3 = uint_lt(i0, i2)
            guard_true(i3) [i0]
            i4 = int_ge(i0, 0)
            guard_true(i4) [i0]
            i5 = int_and(i0, 255)
            i6 = int_le(i5, 255)
            guard_true(i6) [i0]
            i7 = int_lt(i5, 0)
            i8 = uint_rshift(i0, 1)
            i9 = int_add_ovf(i8, i8)
            guard_no_overflow() [i0]
            finish(i7, i9)
            ",
            "
            [i0, p1]
            i2 = strlen(p1)
            i3 = uint_lt(i0, i2)
            guard_true(i3) [i0]
            i5 = int_and(i0, 255)
            i8 = uint_rshift(i0, 1)
            i9 = int_add(i8, i8)
            finish(0, i9)
            ",
        );
    }

    #[test]
    fn false_comparisons_give_the_opposite_order() {
        // not (i0 >= i1) is i0 < i1; not (i2 > 10) is i2 <= 10. (A random test found the
        // operands swapped here once.)
        check(
            Some("bounds"),
            "
            [i0, i1, i2]
            i3 = int_lt(i1, 5)
            guard_true(i3) [i0]
            i4 = int_ge(i0, i1)
            guard_false(i4) [i0]
            i5 = int_lt(i0, 4)
            i6 = int_gt(i2, 10)
            guard_false(i6) [i0]
            i7 = int_le(i2, 10)
            i8 = uint_ge(i0, 3)
            finish(i5, i7, i8)
            ",
            "
            [i0, i1, i2]
            i3 = int_lt(i1, 5)
            guard_true(i3) [i0]
            i4 = int_ge(i0, i1)
            guard_false(i4) [i0]
            i6 = int_gt(i2, 10)
            guard_false(i6) [i0]
            i8 = uint_ge(i0, 3)
            finish(1, 1, i8)
            ",
        );
    }

    #[test]
    fn guards_that_pin_a_value_make_it_constant_and_labels_forget() {
        check(
            Some("bounds"),
            "
            [i0, i1]
            i2 = int_ge(i0, 3)
            guard_true(i2) [i0]
            i3 = int_le(i0, 3)
            guard_true(i3) [i0]
            i4 = int_add(i0, i1)
            i5 = int_is_true(i1)
            guard_false(i5) [i0]
            label(i0, i1, descr=TargetToken(2))
            i6 = int_add_ovf(i0, 1)
            guard_no_overflow() [i0]
            jump(i6, i1, descr=TargetToken(2))
            ",
            "
            [i0, i1]
            i2 = int_ge(i0, 3)
            guard_true(i2) [i0]
            i3 = int_le(i0, 3)
            guard_true(i3) [i0]
            i4 = int_add(3, i1)
            i5 = int_is_true(i1)
            guard_false(i5) [3]
            label(i0, i1, descr=TargetToken(2))
            i6 = int_add_ovf(i0, 1)
            guard_no_overflow() [i0]
            jump(i6, i1, descr=TargetToken(2))
            ",
        );
    }

    #[test]
    fn bounds_of_jitcode_ops_decide_index_checks() {
        // `int_between(0, i, n)` guarded true is the index check of a list access: a later
        // `i >= 0` goes (`i < n` would need relations between boxes, not intervals). A char is at most 255; Python's `i % 8` is in 0..7;
        // `int_abs` of a small number is small.
        check(
            Some("bounds"),
            "
            [i0, i1, i2]
            i3 = int_between(0, i0, i1)
            guard_true(i3) [i0]
            i4 = int_ge(i0, 0)
            guard_true(i4) [i0]
            i5 = int_lt(i0, i1)
            guard_true(i5) [i0]
            i6 = cast_int_to_char(i2)
            i7 = int_le(i6, 255)
            i8 = int_mod(i2, 8)
            i9 = int_lt(i8, 8)
            i10 = int_ge(i8, 0)
            i11 = int_and(i2, 15)
            i12 = int_sub(i11, 20)
            i13 = int_abs(i12)
            i14 = int_le(i13, 20)
            i15 = int_between(0, i6, 256)
            finish(i7, i9, i10, i14, i15)
            ",
            "
            [i0, i1, i2]
            i3 = int_between(0, i0, i1)
            guard_true(i3) [i0]
            i5 = int_lt(i0, i1)
            guard_true(i5) [i0]
            i6 = cast_int_to_char(i2)
            i8 = int_mod(i2, 8)
            i11 = int_and(i2, 15)
            i12 = int_sub(i11, 20)
            i13 = int_abs(i12)
            finish(1, 1, 1, 1, 1)
            ",
        );
    }
}
