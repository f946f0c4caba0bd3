//! Integer intervals `[lo, hi]` and their arithmetic, for the bounds pass.
//!
//! Arithmetic is done in `i128`, so a result that may leave the 64-bit range is known as
//! such: a wrapping op then gives the full range, and an `_ovf` op (whose result, when its
//! guard passes, is the exact one) gives the clamped interval.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntBound {
    pub lo: i64,
    pub hi: i64,
}

/// An interval of the mathematical result of an op, before wrapping.
#[derive(Clone, Copy, Debug)]
pub struct Wide {
    pub lo: i128,
    pub hi: i128,
}

impl Wide {
    /// Whether every value fits in 64 bits: the op cannot overflow.
    pub fn fits(self) -> bool {
        self.lo >= i64::MIN as i128 && self.hi <= i64::MAX as i128
    }

    /// The result of the wrapping op.
    pub fn wrapped(self) -> IntBound {
        if self.fits() {
            IntBound { lo: self.lo as i64, hi: self.hi as i64 }
        } else {
            IntBound::FULL
        }
    }

    /// The result of the `_ovf` op after its `guard_no_overflow` passed.
    pub fn clamped(self) -> IntBound {
        let c = |x: i128| x.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
        IntBound { lo: c(self.lo), hi: c(self.hi) }
    }
}

impl IntBound {
    pub const FULL: IntBound = IntBound { lo: i64::MIN, hi: i64::MAX };
    pub const BOOL: IntBound = IntBound { lo: 0, hi: 1 };
    pub const NONNEG: IntBound = IntBound { lo: 0, hi: i64::MAX };

    pub fn exact(v: i64) -> IntBound {
        IntBound { lo: v, hi: v }
    }

    pub fn constant(self) -> Option<i64> {
        (self.lo == self.hi).then_some(self.lo)
    }

    pub fn is_nonneg(self) -> bool {
        self.lo >= 0
    }

    pub fn contains(self, v: i64) -> bool {
        self.lo <= v && v <= self.hi
    }

    /// The intersection, or `None` if empty (the code that learned it cannot run).
    pub fn intersect(self, other: IntBound) -> Option<IntBound> {
        let b = IntBound { lo: self.lo.max(other.lo), hi: self.hi.min(other.hi) };
        (b.lo <= b.hi).then_some(b)
    }

    fn wide(self) -> Wide {
        Wide { lo: self.lo as i128, hi: self.hi as i128 }
    }

    pub fn add(self, o: IntBound) -> Wide {
        Wide { lo: self.wide().lo + o.wide().lo, hi: self.wide().hi + o.wide().hi }
    }

    pub fn sub(self, o: IntBound) -> Wide {
        Wide { lo: self.wide().lo - o.wide().hi, hi: self.wide().hi - o.wide().lo }
    }

    pub fn mul(self, o: IntBound) -> Wide {
        let (a, b) = (self.wide(), o.wide());
        let products = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
        Wide { lo: *products.iter().min().unwrap_or(&0), hi: *products.iter().max().unwrap_or(&0) }
    }

    pub fn neg(self) -> Wide {
        Wide { lo: -self.wide().hi, hi: -self.wide().lo }
    }

    /// `x & y`: a non-negative operand bounds the result by itself.
    pub fn and(self, o: IntBound) -> IntBound {
        match (self.is_nonneg(), o.is_nonneg()) {
            (true, true) => IntBound { lo: 0, hi: self.hi.min(o.hi) },
            (true, false) => IntBound { lo: 0, hi: self.hi },
            (false, true) => IntBound { lo: 0, hi: o.hi },
            (false, false) => IntBound::FULL,
        }
    }

    /// `x | y` and `x ^ y` of non-negative operands stay below the next power of two.
    pub fn or_xor(self, o: IntBound) -> IntBound {
        if self.is_nonneg() && o.is_nonneg() {
            let m = self.hi.max(o.hi) as u64;
            let hi = if m == 0 { 0 } else { (u64::MAX >> m.leading_zeros()) as i64 };
            IntBound { lo: 0, hi }
        } else {
            IntBound::FULL
        }
    }

    /// `x << n` for a shift count bound `n`.
    pub fn lshift(self, n: IntBound) -> IntBound {
        match n.constant() {
            Some(n @ 0..=63) => {
                let w = Wide { lo: (self.lo as i128) << n, hi: (self.hi as i128) << n };
                w.wrapped()
            }
            _ => IntBound::FULL,
        }
    }

    /// `x >> n` (arithmetic) for shift counts within 0..64.
    pub fn rshift(self, n: IntBound) -> IntBound {
        if n.lo < 0 || n.hi > 63 {
            return IntBound::FULL;
        }
        match n.constant() {
            Some(k) => IntBound { lo: self.lo >> k, hi: self.hi >> k },
            // A shift moves a value toward 0 or -1 without crossing them.
            None => IntBound {
                lo: if self.lo < 0 { self.lo } else { 0 },
                hi: if self.hi < 0 { -1 } else { self.hi },
            },
        }
    }

    /// `x >>> n` (logical) for shift counts within 1..64, or 0..64 of a non-negative x.
    pub fn urshift(self, n: IntBound) -> IntBound {
        if n.lo < 0 || n.hi > 63 {
            return IntBound::FULL;
        }
        if self.is_nonneg() {
            return IntBound { lo: self.lo >> n.hi, hi: self.hi >> n.lo };
        }
        if n.lo >= 1 {
            return IntBound { lo: 0, hi: (u64::MAX >> n.lo) as i64 };
        }
        IntBound::FULL
    }

    /// The values of a `size`-byte field or item, read with or without sign extension.
    pub fn of_memory(size: u8, signed: bool) -> IntBound {
        match (size, signed) {
            (1, true) => IntBound { lo: i8::MIN as i64, hi: i8::MAX as i64 },
            (1, false) => IntBound { lo: 0, hi: u8::MAX as i64 },
            (2, true) => IntBound { lo: i16::MIN as i64, hi: i16::MAX as i64 },
            (2, false) => IntBound { lo: 0, hi: u16::MAX as i64 },
            (4, true) => IntBound { lo: i32::MIN as i64, hi: i32::MAX as i64 },
            (4, false) => IntBound { lo: 0, hi: u32::MAX as i64 },
            _ => IntBound::FULL,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(lo: i64, hi: i64) -> IntBound {
        IntBound { lo, hi }
    }

    /// Every result of the concrete op on values drawn from the intervals lies in the
    /// computed interval.
    fn sound(x: IntBound, y: IntBound, op: impl Fn(i64, i64) -> Option<i64>, got: IntBound) {
        let samples = |v: IntBound| {
            let mid = ((v.lo as i128 + v.hi as i128) / 2) as i64;
            let mut s = vec![v.lo, v.hi, mid];
            s.extend([v.lo.saturating_add(1), v.hi.saturating_sub(1), 0, 1, -1].into_iter().filter(|&c| v.contains(c)));
            s
        };
        for a in samples(x) {
            for c in samples(y) {
                if let Some(r) = op(a, c) {
                    assert!(got.contains(r), "{a} op {c} = {r} not in {got:?} ({x:?}, {y:?})");
                }
            }
        }
    }

    #[test]
    fn interval_arithmetic_is_sound() {
        let bounds = [b(0, 10), b(-5, 5), b(i64::MIN, -1), IntBound::FULL, b(3, 3), b(0, 63), b(i64::MAX - 1, i64::MAX)];
        for &x in &bounds {
            for &y in &bounds {
                sound(x, y, |a, c| Some(a.wrapping_add(c)), x.add(y).wrapped());
                sound(x, y, |a, c| a.checked_add(c), x.add(y).clamped());
                sound(x, y, |a, c| Some(a.wrapping_sub(c)), x.sub(y).wrapped());
                sound(x, y, |a, c| Some(a.wrapping_mul(c)), x.mul(y).wrapped());
                sound(x, y, |a, c| a.checked_mul(c), x.mul(y).clamped());
                sound(x, y, |a, c| Some(a & c), x.and(y));
                sound(x, y, |a, c| Some(a | c), x.or_xor(y));
                sound(x, y, |a, c| Some(a ^ c), x.or_xor(y));
                sound(x, y, |a, c| (0..64).contains(&c).then(|| a << c), x.lshift(y));
                sound(x, y, |a, c| (0..64).contains(&c).then(|| a >> c), x.rshift(y));
                sound(x, y, |a, c| (0..64).contains(&c).then(|| ((a as u64) >> c) as i64), x.urshift(y));
            }
        }
    }

    #[test]
    fn no_overflow_is_recognised() {
        assert!(b(0, 100).add(IntBound::exact(1)).fits());
        assert!(!b(0, i64::MAX).add(IntBound::exact(1)).fits());
        assert!(b(i64::MIN, i64::MAX - 1).add(IntBound::exact(1)).fits());
    }
}
