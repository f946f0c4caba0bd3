//! Conversions between numbers and strings that generated code calls: `str(float)`,
//! `str(r_uint)` and `float(s)`, with CPython's output and error messages.

use kiln_abi::{BuiltinExc, RStr};

use crate::exc;
use crate::format::{format_float_repr, python_str_repr};
use crate::rstr::{alloc_str, bytes};

/// `str(x)` for a float: the shortest string that reads back as `x` (CPython's repr).
#[no_mangle]
pub extern "C" fn kiln_str_from_float(x: f64) -> *mut RStr {
    alloc_str(format_float_repr(x).as_bytes())
}

/// `str(x)` for an `r_uint`.
#[no_mangle]
pub extern "C" fn kiln_str_from_uint(x: u64) -> *mut RStr {
    alloc_str(x.to_string().as_bytes())
}

/// Parses a float the way CPython's `float(s)` does: surrounding whitespace, an optional
/// sign, digits with single underscores between them, `inf`/`infinity`/`nan` in any case.
pub fn parse_float(text: &str) -> Option<f64> {
    let t = text.trim_matches(|c: char| c.is_whitespace());
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    let lower = body.to_ascii_lowercase();
    match lower.as_str() {
        "inf" | "infinity" => return Some(sign * f64::INFINITY),
        "nan" => return Some(f64::NAN),
        _ => {}
    }
    // Underscores must sit between two digits.
    let b = body.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let ok = i > 0 && i + 1 < b.len() && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit();
            if !ok {
                return None;
            }
        }
    }
    let cleaned: String = body.chars().filter(|c| *c != '_').collect();
    // Rust accepts forms Python does not ("inf" handled above, but also "infinity" variants
    // with signs inside): only digits, one dot, and one exponent are allowed here.
    if cleaned.is_empty() || !cleaned.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')) {
        return None;
    }
    cleaned.parse::<f64>().ok().map(|f| sign * f)
}

/// `float(s)`: ValueError "could not convert string to float: 's'" on bad input.
///
/// # Safety
/// `s` is a valid string or null.
#[no_mangle]
pub unsafe extern "C" fn kiln_str_to_float(s: *const RStr) -> f64 {
    // SAFETY: the caller passes a valid string or null.
    let b = unsafe { bytes(s) };
    let text = String::from_utf8_lossy(b);
    match parse_float(&text) {
        Some(f) => f,
        None => {
            exc::raise(BuiltinExc::ValueError, &format!("could not convert string to float: {}", python_str_repr(b)));
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_parse_like_cpython() {
        assert_eq!(parse_float(" 1.5 "), Some(1.5));
        assert_eq!(parse_float("-2e3"), Some(-2000.0));
        assert_eq!(parse_float("1_000.5"), Some(1000.5));
        assert_eq!(parse_float("+Infinity"), Some(f64::INFINITY));
        assert!(parse_float("nan").is_some_and(f64::is_nan));
        assert_eq!(parse_float("1__0"), None);
        assert_eq!(parse_float("abc"), None);
        assert_eq!(parse_float(""), None);
        assert_eq!(parse_float("0x10"), None);
    }
}
