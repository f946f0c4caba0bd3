//! `int(s, base)` on strings, with CPython's rules and error messages, for 64-bit ints.
//!
//! Accepted, as by CPython: surrounding whitespace (ASCII ` \t\n\v\f\r` and the Unicode
//! white space characters, but not the ASCII separators `\x1c`..`\x1f`), one sign, digits
//! of the base (letters either case) with single underscores between digits, and for
//! base 0 a `0x`/`0o`/`0b` prefix selecting the base (a decimal literal with a leading
//! zero must then be all zeros); bases 16, 8 and 2 accept their prefix too, and an
//! underscore may directly follow a prefix. Unlike CPython, non-ASCII decimal digits
//! (such as Arabic-Indic digits) are not accepted, and results must fit 64 bits.

use crate::format::python_str_repr;
use crate::utf8;

/// Why `int(s, base)` failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseIntError {
    /// The base is neither 0 nor in 2..=36.
    BadBase,
    /// Not a valid literal in that base.
    Invalid,
    /// Valid, but outside the 64-bit range.
    Overflow,
}

impl ParseIntError {
    /// CPython's message for this error (OverflowError's is Kiln's own: CPython's ints
    /// do not overflow).
    pub fn message(self, text: &[u8], base: i64) -> String {
        match self {
            ParseIntError::BadBase => "int() base must be >= 2 and <= 36, or 0".into(),
            ParseIntError::Invalid => {
                // CPython formats the literal with `%.200R`: its repr, cut to 200 characters.
                let repr: String = python_str_repr(text).chars().take(200).collect();
                format!("invalid literal for int() with base {base}: {repr}")
            }
            ParseIntError::Overflow => {
                let repr: String = python_str_repr(text).chars().take(200).collect();
                format!("int too large to convert: {repr} does not fit in a 64-bit machine word")
            }
        }
    }
}

/// White space `int()` strips: ASCII space and `\t\n\v\f\r`, and non-ASCII Unicode white
/// space (CPython maps the latter to spaces before parsing).
fn is_int_space(cp: u32) -> bool {
    matches!(cp, 0x09..=0x0D | 0x20 | 0x85 | 0xA0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000)
}

fn digit_value(cp: u32) -> Option<u32> {
    match cp {
        0x30..=0x39 => Some(cp - 0x30),
        0x61..=0x7A => Some(cp - 0x61 + 10),
        0x41..=0x5A => Some(cp - 0x41 + 10),
        0..=0x7F => None,
        // Any Unicode decimal digit, as CPython's int() accepts ('٣' is 3).
        _ => {
            let zeros = crate::unicode_data::DECIMAL_ZEROS;
            let i = zeros.partition_point(|z| *z <= cp);
            let z = *zeros.get(i.checked_sub(1)?)?;
            (cp - z < 10).then_some(cp - z)
        }
    }
}

/// `int(text, base)` for 64-bit results; `text` is generalised UTF-8.
pub fn parse_int(text: &[u8], base: i64) -> Result<i64, ParseIntError> {
    if base != 0 && !(2..=36).contains(&base) {
        return Err(ParseIntError::BadBase);
    }
    let cps: Vec<u32> = utf8::code_points(text).collect();
    let start = cps.iter().position(|c| !is_int_space(*c)).unwrap_or(cps.len());
    let end = cps.iter().rposition(|c| !is_int_space(*c)).map_or(start, |i| i + 1);
    let mut s = &cps[start..end];

    let negative = match s.first() {
        Some(&0x2D) => true,
        Some(&0x2B) => false,
        _ => {
            return parse_unsigned(s, base as u32, false);
        }
    };
    s = &s[1..];
    parse_unsigned(s, base as u32, negative)
}

fn parse_unsigned(mut s: &[u32], mut base: u32, negative: bool) -> Result<i64, ParseIntError> {
    let lower = |i: usize| s.get(i).map(|c| c | 0x20);
    let prefix_base = match (s.first(), lower(1)) {
        (Some(&0x30), Some(0x78)) => Some(16),
        (Some(&0x30), Some(0x6F)) => Some(8),
        (Some(&0x30), Some(0x62)) => Some(2),
        _ => None,
    };
    // After a prefix, one underscore may come before the first digit.
    let mut after_prefix = false;
    if let Some(pb) = prefix_base {
        if base == 0 || base == pb {
            base = pb;
            s = &s[2..];
            after_prefix = true;
        }
    }
    // Base 0 without a prefix is decimal, where a leading zero is only allowed in zero.
    let leading_zero_rule = base == 0;
    if base == 0 {
        base = 10;
    }

    let mut magnitude: u64 = 0;
    let mut overflow = false;
    let mut digits = 0usize;
    let mut prev_underscore = false;
    for (i, &cp) in s.iter().enumerate() {
        if cp == 0x5F {
            let allowed = if i == 0 { after_prefix } else { !prev_underscore };
            if !allowed {
                return Err(ParseIntError::Invalid);
            }
            prev_underscore = true;
            continue;
        }
        let d = digit_value(cp).filter(|d| *d < base).ok_or(ParseIntError::Invalid)?;
        prev_underscore = false;
        digits += 1;
        match magnitude.checked_mul(base as u64).and_then(|m| m.checked_add(d as u64)) {
            Some(m) => magnitude = m,
            None => overflow = true,
        }
    }
    if digits == 0 || prev_underscore {
        return Err(ParseIntError::Invalid);
    }
    if leading_zero_rule && s.first() == Some(&0x30) && (magnitude != 0 || overflow) {
        return Err(ParseIntError::Invalid);
    }
    if overflow {
        return Err(ParseIntError::Overflow);
    }
    if negative {
        if magnitude > 1u64 << 63 {
            return Err(ParseIntError::Overflow);
        }
        Ok((magnitude as i64).wrapping_neg())
    } else {
        i64::try_from(magnitude).map_err(|_| ParseIntError::Overflow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(text, base, result)`: `Ok` values and `Invalid` outcomes as CPython 3.11 gives
    /// them.
    const CASES: &[(&str, i64, Result<i64, ParseIntError>)] = &[
        ("0", 10, Ok(0)),
        ("42", 10, Ok(42)),
        ("  -12 ", 10, Ok(-12)),
        ("+7", 10, Ok(7)),
        ("\t\n\x0b\x0c\r9\r\n", 10, Ok(9)),
        ("\u{a0}12\u{2003}", 10, Ok(12)),
        ("\u{3000}5\u{85}", 0, Ok(5)),
        ("\x1c5\x1f", 10, Err(ParseIntError::Invalid)),
        ("1_000_000", 10, Ok(1_000_000)),
        ("\u{663}", 10, Ok(3)),
        ("\u{ff11}\u{ff10}", 10, Ok(10)),
        ("1\u{1d7ce}", 10, Ok(10)),
        ("\u{b2}", 10, Err(ParseIntError::Invalid)),
        ("\u{663}", 2, Err(ParseIntError::Invalid)),
        ("1__0", 10, Err(ParseIntError::Invalid)),
        ("_1", 10, Err(ParseIntError::Invalid)),
        ("1_", 10, Err(ParseIntError::Invalid)),
        ("", 10, Err(ParseIntError::Invalid)),
        (" ", 10, Err(ParseIntError::Invalid)),
        ("-", 10, Err(ParseIntError::Invalid)),
        ("+-1", 10, Err(ParseIntError::Invalid)),
        ("- 1", 10, Err(ParseIntError::Invalid)),
        ("1 2", 10, Err(ParseIntError::Invalid)),
        ("abc", 10, Err(ParseIntError::Invalid)),
        ("12a", 10, Err(ParseIntError::Invalid)),
        ("1.5", 10, Err(ParseIntError::Invalid)),
        ("ff", 16, Ok(255)),
        ("FF", 16, Ok(255)),
        ("0xff", 16, Ok(255)),
        ("0XfF", 0, Ok(255)),
        ("0x_1f", 0, Ok(31)),
        ("0x_1f", 16, Ok(31)),
        ("0x__1f", 16, Err(ParseIntError::Invalid)),
        ("0x", 16, Err(ParseIntError::Invalid)),
        ("0x", 0, Err(ParseIntError::Invalid)),
        ("0x_1f", 10, Err(ParseIntError::Invalid)),
        ("0b", 16, Ok(11)),
        ("0b101", 0, Ok(5)),
        ("0b101", 2, Ok(5)),
        ("0b_", 2, Err(ParseIntError::Invalid)),
        ("0b2", 0, Err(ParseIntError::Invalid)),
        ("0o17", 0, Ok(15)),
        ("0o17", 8, Ok(15)),
        ("0o17", 10, Err(ParseIntError::Invalid)),
        ("-0o17", 0, Ok(-15)),
        ("010", 0, Err(ParseIntError::Invalid)),
        ("010", 10, Ok(10)),
        ("010", 8, Ok(8)),
        ("00", 0, Ok(0)),
        ("0_0", 0, Ok(0)),
        ("0_1", 0, Err(ParseIntError::Invalid)),
        ("0_1", 10, Ok(1)),
        ("-12", 2, Err(ParseIntError::Invalid)),
        ("zz", 36, Ok(1295)),
        ("Zz", 36, Ok(1295)),
        ("z", 35, Err(ParseIntError::Invalid)),
        ("9223372036854775807", 10, Ok(i64::MAX)),
        ("-9223372036854775808", 10, Ok(i64::MIN)),
        ("9223372036854775808", 10, Err(ParseIntError::Overflow)),
        ("-9223372036854775809", 10, Err(ParseIntError::Overflow)),
        ("99999999999999999999999", 10, Err(ParseIntError::Overflow)),
        ("99999999999999999999999x", 10, Err(ParseIntError::Invalid)),
        ("7fffffffffffffff", 16, Ok(i64::MAX)),
        ("12", 1, Err(ParseIntError::BadBase)),
        ("12", 37, Err(ParseIntError::BadBase)),
        ("12", -1, Err(ParseIntError::BadBase)),
    ];

    #[test]
    fn parses_like_cpython() {
        for (text, base, want) in CASES {
            assert_eq!(parse_int(text.as_bytes(), *base), *want, "int({text:?}, {base})");
        }
    }

    #[test]
    fn messages_are_cpythons() {
        let m = |text: &str, base| parse_int(text.as_bytes(), base).unwrap_err().message(text.as_bytes(), base);
        assert_eq!(m("abc", 10), "invalid literal for int() with base 10: 'abc'");
        assert_eq!(m("0x", 0), "invalid literal for int() with base 0: '0x'");
        assert_eq!(m(" it's ", 16), "invalid literal for int() with base 16: \" it's \"");
        assert_eq!(m("\u{a0}12\u{2003}", 2), "invalid literal for int() with base 2: '\\xa012\\u2003'");
        assert_eq!(m("12", 1), "int() base must be >= 2 and <= 36, or 0");
        assert_eq!(m("9223372036854775808", 10), "int too large to convert: '9223372036854775808' does not fit in a 64-bit machine word");
        // `%.200R`: the repr is cut to 200 characters, losing its closing quote.
        let long = "x".repeat(300);
        assert_eq!(m(&long, 10), format!("invalid literal for int() with base 10: '{}", "x".repeat(199)));
    }
}
