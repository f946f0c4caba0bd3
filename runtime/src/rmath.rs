//! Float arithmetic that can fail (`//`, `%`, `**`) and the `math` functions, with
//! CPython 3.11's results for every special value and its exceptions and messages
//! (`Objects/floatobject.c`, `Modules/mathmodule.c`).
//!
//! Deviations: a negative number to a non-integer power is a complex number in CPython;
//! RPy has no complex numbers, so it raises ValueError "math domain error". `math.floor`
//! and `math.ceil` of a float beyond the 64-bit range are big ints in CPython; here they
//! raise OverflowError "int too large to convert", as `int(s)` does for such values.

use kiln_abi::BuiltinExc;

use crate::exc;

/// `ERANGE` and its text, as CPython reports a float overflow in `**`.
const RANGE_ERROR: &str = "(34, 'Numerical result out of range')";

/// `x` when finite, else the error: what CPython's `math_1` checks after calling libm.
fn checked(x: f64, r: f64, can_overflow: bool) -> f64 {
    if r.is_nan() && !x.is_nan() {
        exc::raise(BuiltinExc::ValueError, "math domain error");
        return 0.0;
    }
    if r.is_infinite() && x.is_finite() {
        if can_overflow {
            exc::raise(BuiltinExc::OverflowError, "math range error");
        } else {
            exc::raise(BuiltinExc::ValueError, "math domain error");
        }
        return 0.0;
    }
    r
}

/// CPython's `_float_div_mod`: Python's floor quotient and modulo of two floats, `y`
/// non-zero.
fn div_mod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        // The remainder takes the sign of the divisor.
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        // Snap the quotient to the nearest integral value.
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0f64.copysign(x / y)
    };
    (floordiv, m)
}

/// `x // y`; ZeroDivisionError "float floor division by zero".
#[no_mangle]
pub extern "C" fn kiln_float_floordiv(x: f64, y: f64) -> f64 {
    if y == 0.0 {
        exc::raise(BuiltinExc::ZeroDivisionError, "float floor division by zero");
        return 0.0;
    }
    div_mod(x, y).0
}

/// `x % y`; ZeroDivisionError "float modulo".
#[no_mangle]
pub extern "C" fn kiln_float_mod(x: f64, y: f64) -> f64 {
    if y == 0.0 {
        exc::raise(BuiltinExc::ZeroDivisionError, "float modulo");
        return 0.0;
    }
    let m = x % y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m + y
        } else {
            m
        }
    } else {
        0.0f64.copysign(y)
    }
}

fn is_odd_integer(x: f64) -> bool {
    x.abs() % 2.0 == 1.0
}

/// `x ** y` as CPython's `float_pow`, case by case.
#[no_mangle]
pub extern "C" fn kiln_float_pow(x: f64, y: f64) -> f64 {
    if y == 0.0 {
        return 1.0;
    }
    if x.is_nan() {
        return x;
    }
    if y.is_nan() {
        return if x == 1.0 { 1.0 } else { y };
    }
    if y.is_infinite() {
        let a = x.abs();
        return if a == 1.0 {
            1.0
        } else if (y > 0.0) == (a > 1.0) {
            y.abs()
        } else {
            0.0
        };
    }
    if x.is_infinite() {
        let odd = is_odd_integer(y);
        return if y > 0.0 {
            if odd {
                x
            } else {
                x.abs()
            }
        } else if odd {
            0.0f64.copysign(x)
        } else {
            0.0
        };
    }
    if x == 0.0 {
        if y < 0.0 {
            exc::raise(BuiltinExc::ZeroDivisionError, "0.0 cannot be raised to a negative power");
            return 0.0;
        }
        return if is_odd_integer(y) { x } else { 0.0 };
    }
    let mut base = x;
    let mut negate = false;
    if x < 0.0 {
        if y != y.floor() {
            exc::raise(BuiltinExc::ValueError, "math domain error");
            return 0.0;
        }
        base = -x;
        negate = is_odd_integer(y);
    }
    if base == 1.0 {
        return if negate { -1.0 } else { 1.0 };
    }
    let r = base.powf(y);
    if r.is_infinite() {
        exc::raise(BuiltinExc::OverflowError, RANGE_ERROR);
        return 0.0;
    }
    if negate {
        -r
    } else {
        r
    }
}

/// `math.sqrt(x)`.
#[no_mangle]
pub extern "C" fn kiln_math_sqrt(x: f64) -> f64 {
    checked(x, x.sqrt(), false)
}

/// `math.exp(x)`; OverflowError "math range error" when the result is too large.
#[no_mangle]
pub extern "C" fn kiln_math_exp(x: f64) -> f64 {
    checked(x, x.exp(), true)
}

/// `math.log(x)`; ValueError "math domain error" for `x <= 0`.
#[no_mangle]
pub extern "C" fn kiln_math_log(x: f64) -> f64 {
    let r = if x.is_nan() || x == f64::INFINITY {
        x
    } else if x > 0.0 {
        x.ln()
    } else if x == 0.0 {
        f64::NEG_INFINITY
    } else {
        f64::NAN
    };
    if x == f64::NEG_INFINITY {
        exc::raise(BuiltinExc::ValueError, "math domain error");
        return 0.0;
    }
    checked(x, r, false)
}

/// `math.sin(x)`.
#[no_mangle]
pub extern "C" fn kiln_math_sin(x: f64) -> f64 {
    checked(x, x.sin(), false)
}

/// `math.cos(x)`.
#[no_mangle]
pub extern "C" fn kiln_math_cos(x: f64) -> f64 {
    checked(x, x.cos(), false)
}

/// `math.tan(x)`.
#[no_mangle]
pub extern "C" fn kiln_math_tan(x: f64) -> f64 {
    checked(x, x.tan(), false)
}

/// `math.atan2(y, x)` (C99's special values; it never fails).
#[no_mangle]
pub extern "C" fn kiln_math_atan2(y: f64, x: f64) -> f64 {
    y.atan2(x)
}

/// `math.fmod(x, y)`: C's `fmod`, with CPython's ValueError for an infinite `x` or a
/// zero `y`, and `x` itself for an infinite `y`.
#[no_mangle]
pub extern "C" fn kiln_math_fmod(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x.is_infinite() || y == 0.0 {
        exc::raise(BuiltinExc::ValueError, "math domain error");
        return 0.0;
    }
    if y.is_infinite() {
        return x;
    }
    x % y
}

/// `math.copysign(x, y)`: `x`'s magnitude with `y`'s sign (of zeros and NaNs too).
#[no_mangle]
pub extern "C" fn kiln_math_copysign(x: f64, y: f64) -> f64 {
    x.copysign(y)
}

/// An integral float as an int, with CPython's errors for infinities and NaN.
fn to_int(r: f64) -> i64 {
    if r.is_nan() {
        exc::raise(BuiltinExc::ValueError, "cannot convert float NaN to integer");
        return 0;
    }
    if r.is_infinite() {
        exc::raise(BuiltinExc::OverflowError, "cannot convert float infinity to integer");
        return 0;
    }
    // 2**63 is exact as a float; the range is [-2**63, 2**63).
    if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&r) {
        exc::raise(BuiltinExc::OverflowError, "int too large to convert");
        return 0;
    }
    r as i64
}

/// `math.floor(x)` as an int.
#[no_mangle]
pub extern "C" fn kiln_math_floor(x: f64) -> i64 {
    to_int(x.floor())
}

/// `math.ceil(x)` as an int.
#[no_mangle]
pub extern "C" fn kiln_math_ceil(x: f64) -> i64 {
    to_int(x.ceil())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RtConfig;
    use crate::host::testing::started;
    use crate::testprog::take_exc;

    /// Bit-exact float comparison that also matches NaN and the sign of zero.
    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn floor_division_and_modulo_match_cpython() {
        let (_session, _) = started(RtConfig::default(), &[]);
        let inf = f64::INFINITY;
        // (x, y, x // y, x % y) from CPython 3.11.
        let cases: &[(f64, f64, f64, f64)] = &[
            (7.0, 2.0, 3.0, 1.0),
            (-7.0, 2.0, -4.0, 1.0),
            (7.0, -2.0, -4.0, -1.0),
            (-7.0, -2.0, 3.0, -1.0),
            (-0.0, 5.0, -0.0, 0.0),
            (0.0, -1.0, -0.0, -0.0),
            (5.5, 0.5, 11.0, 0.0),
            (1.0, 0.1, 9.0, 0.09999999999999995),
            (1e308, 1e-308, f64::INFINITY, 3.498445546245627e-309),
            (1.0, inf, 0.0, 1.0),
            (-1.0, inf, -1.0, inf),
            (inf, 2.0, f64::NAN, f64::NAN),
            (3.0, f64::NAN, f64::NAN, f64::NAN),
        ];
        for &(x, y, q, m) in cases {
            assert!(same(kiln_float_floordiv(x, y), q), "{x} // {y} = {}", kiln_float_floordiv(x, y));
            assert!(same(kiln_float_mod(x, y), m), "{x} % {y} = {}", kiln_float_mod(x, y));
        }
        assert!(!exc::is_pending());
        kiln_float_floordiv(1.0, 0.0);
        assert_eq!(take_exc().as_deref(), Some("ZeroDivisionError: float floor division by zero"));
        kiln_float_mod(1.0, -0.0);
        assert_eq!(take_exc().as_deref(), Some("ZeroDivisionError: float modulo"));
    }

    #[test]
    fn powers_match_cpython() {
        let (_session, _) = started(RtConfig::default(), &[]);
        let (inf, nan) = (f64::INFINITY, f64::NAN);
        // (x, y, x ** y) from CPython 3.11.
        let cases: &[(f64, f64, f64)] = &[
            (2.0, 10.0, 1024.0),
            (2.0, -1.0, 0.5),
            (nan, 0.0, 1.0),
            (0.0, 0.0, 1.0),
            (nan, 1.0, nan),
            (1.0, nan, 1.0),
            (2.0, nan, nan),
            (-1.0, inf, 1.0),
            (0.5, inf, 0.0),
            (0.5, -inf, inf),
            (-2.0, inf, inf),
            (-inf, 3.0, -inf),
            (-inf, 2.0, inf),
            (-inf, -3.0, -0.0),
            (-inf, -2.0, 0.0),
            (-0.0, 3.0, -0.0),
            (-0.0, 2.0, 0.0),
            (-2.0, 3.0, -8.0),
            (-2.0, 2.0, 4.0),
            (-1.0, 1e300, 1.0),
            (-1.0, 3.0, -1.0),
            (10.0, -400.0, 0.0),
            (2.0, 0.5, std::f64::consts::SQRT_2),
        ];
        for &(x, y, r) in cases {
            assert!(same(kiln_float_pow(x, y), r), "{x} ** {y} = {}", kiln_float_pow(x, y));
        }
        assert!(!exc::is_pending());
        kiln_float_pow(0.0, -1.0);
        assert_eq!(take_exc().as_deref(), Some("ZeroDivisionError: 0.0 cannot be raised to a negative power"));
        kiln_float_pow(-0.0, -inf);
        assert!(!exc::is_pending(), "0.0 ** -inf is inf: the infinite exponent is handled first");
        kiln_float_pow(2.0, 10000.0);
        assert_eq!(take_exc().as_deref(), Some("OverflowError: (34, 'Numerical result out of range')"));
        kiln_float_pow(-8.0, 1.0 / 3.0);
        assert_eq!(take_exc().as_deref(), Some("ValueError: math domain error"));
    }

    #[test]
    fn math_functions_match_cpython() {
        let (_session, _) = started(RtConfig::default(), &[]);
        let (inf, nan) = (f64::INFINITY, f64::NAN);
        assert_eq!(kiln_math_sqrt(2.0), std::f64::consts::SQRT_2);
        assert!(same(kiln_math_sqrt(-0.0), -0.0));
        assert_eq!(kiln_math_sqrt(inf), inf);
        assert!(kiln_math_sqrt(nan).is_nan());
        assert_eq!(kiln_math_exp(0.0), 1.0);
        assert_eq!(kiln_math_exp(-inf), 0.0);
        assert_eq!(kiln_math_exp(inf), inf);
        assert_eq!(kiln_math_exp(1.0), std::f64::consts::E);
        assert_eq!(kiln_math_log(std::f64::consts::E), 1.0);
        assert_eq!(kiln_math_log(inf), inf);
        assert!(kiln_math_log(nan).is_nan());
        assert_eq!(kiln_math_sin(0.0), 0.0);
        assert_eq!(kiln_math_cos(0.0), 1.0);
        assert_eq!(kiln_math_tan(0.0), 0.0);
        assert_eq!(kiln_math_atan2(1.0, 1.0), std::f64::consts::FRAC_PI_4);
        assert_eq!(kiln_math_atan2(0.0, -0.0), std::f64::consts::PI);
        assert!(same(kiln_math_atan2(-0.0, 1.0), -0.0));
        assert_eq!(kiln_math_atan2(inf, -inf), 3.0 * std::f64::consts::FRAC_PI_4);
        assert_eq!([kiln_math_floor(-1.5), kiln_math_ceil(-1.5), kiln_math_floor(2.0), kiln_math_ceil(1e-300)], [-2, -1, 2, 1]);
        assert_eq!(kiln_math_floor(i64::MIN as f64), i64::MIN);
        assert!(!exc::is_pending());
        for (f, x, msg) in [
            (kiln_math_sqrt as extern "C" fn(f64) -> f64, -1.0, "ValueError: math domain error"),
            (kiln_math_log, 0.0, "ValueError: math domain error"),
            (kiln_math_log, -1.0, "ValueError: math domain error"),
            (kiln_math_log, -inf, "ValueError: math domain error"),
            (kiln_math_exp, 1000.0, "OverflowError: math range error"),
            (kiln_math_sin, inf, "ValueError: math domain error"),
            (kiln_math_cos, -inf, "ValueError: math domain error"),
            (kiln_math_tan, inf, "ValueError: math domain error"),
        ] {
            f(x);
            assert_eq!(take_exc().as_deref(), Some(msg), "{x}");
        }
        for (f, x, msg) in [
            (kiln_math_floor as extern "C" fn(f64) -> i64, nan, "ValueError: cannot convert float NaN to integer"),
            (kiln_math_floor, inf, "OverflowError: cannot convert float infinity to integer"),
            (kiln_math_ceil, -inf, "OverflowError: cannot convert float infinity to integer"),
            (kiln_math_floor, 1e20, "OverflowError: int too large to convert"),
        ] {
            assert_eq!(f(x), 0);
            assert_eq!(take_exc().as_deref(), Some(msg), "{x}");
        }
    }
}
