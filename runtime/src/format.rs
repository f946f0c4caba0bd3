//! Python's text forms of values, as pure functions: `repr(float)` (which `print` and
//! `str()` also use for floats), `repr(str)` (for error messages such as `int()`'s) and
//! decimal ints. The output buffer and the string helpers call these.

use std::fmt::Write as _;

use crate::utf8;

/// `repr(x)` as CPython writes it: the shortest digit string that reads back as the same
/// float, in positional notation when the decimal exponent is in `-4..16` (`0.0001`,
/// `123456789012345.0`, always with a fractional part) and in scientific notation
/// otherwise (`1e-05`, `1e+16`, with at least two exponent digits).
pub fn format_float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let mut out = String::with_capacity(24);
    if x.is_sign_negative() {
        out.push('-');
    }
    let a = x.abs();
    if a == 0.0 {
        out.push_str("0.0");
        return out;
    }
    // Rust's `{:e}` prints the shortest digits that read back as `a`, like Python's repr,
    // as in `1.2345e16` or `5e-324`. When two such strings are equally close to `a`,
    // Rust takes the larger and Python the one ending in an even digit; Rust's
    // fixed-precision form rounds exactly, half to even, so it gives Python's choice
    // whenever it reads back as `a` too.
    let shortest = format!("{a:e}");
    let digit_count = shortest.split('e').next().map_or(1, |m| m.bytes().filter(u8::is_ascii_digit).count());
    let rounded = format!("{a:.prec$e}", prec = digit_count.saturating_sub(1));
    let sci = if rounded != shortest && rounded.parse::<f64>() == Ok(a) { rounded } else { shortest };
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if !(-4..16).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs());
    } else if exp >= 0 {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', int_len - digits.len()));
            out.push_str(".0");
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
        out.push_str(&digits);
    }
    out
}

/// The decimal digits of `n` written into the end of `buf`; returns the used part.
/// Twenty bytes fit `i64::MIN`.
pub fn format_i64(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// `repr(s)` of a string given as its (generalised) UTF-8 bytes, as CPython writes it:
/// single quotes unless the text contains `'` and no `"`; `\\`, `\t`, `\n`, `\r` and the
/// quote escaped; non-printable code points as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
///
/// Which code points are printable follows [`is_printable`], an approximation of
/// `str.isprintable` without the Unicode database.
pub fn python_str_repr(bytes: &[u8]) -> String {
    let has_single = bytes.contains(&b'\'');
    let has_double = bytes.contains(&b'"');
    let quote = if has_single && !has_double { '"' } else { '\'' };
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push(quote);
    for cp in utf8::code_points(bytes) {
        match cp {
            0x5C => out.push_str("\\\\"),
            0x09 => out.push_str("\\t"),
            0x0A => out.push_str("\\n"),
            0x0D => out.push_str("\\r"),
            _ if cp == quote as u32 => {
                out.push('\\');
                out.push(quote);
            }
            _ => match char::from_u32(cp).filter(|_| is_printable(cp)) {
                Some(c) => out.push(c),
                None if cp < 0x100 => {
                    let _ = write!(out, "\\x{cp:02x}");
                }
                None if cp < 0x1_0000 => {
                    let _ = write!(out, "\\u{cp:04x}");
                }
                None => {
                    let _ = write!(out, "\\U{cp:08x}");
                }
            },
        }
    }
    out.push(quote);
    out
}

/// Whether `repr` shows a code point as itself. CPython's rule is "not in categories
/// Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs, except the space"; this covers every code point of
/// those categories below U+10000 that is assigned in Unicode 15 and commonly met
/// (controls, format characters, separators, surrogates, private use, noncharacters),
/// plus the tag characters and supplementary private use. Unassigned code points are
/// treated as printable (CPython escapes them); that difference only shows in messages.
pub fn is_printable(cp: u32) -> bool {
    !matches!(
        cp,
        0x00..=0x1F
            | 0x7F..=0xA0
            | 0xAD
            | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x1680
            | 0x180E
            | 0x2000..=0x200F
            | 0x2028..=0x202F
            | 0x205F..=0x2064
            | 0x2066..=0x206F
            | 0x3000
            | 0xD800..=0xF8FF
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0xFFFE..=0xFFFF
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
            | 0xF0000..
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(value, repr(value))` as CPython 3.11 prints them.
    const FLOAT_REPRS: &[(f64, &str)] = &[
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (1.0, "1.0"),
        (-2.5, "-2.5"),
        (0.1, "0.1"),
        (0.3, "0.3"),
        (2.0 / 3.0, "0.6666666666666666"),
        (100.0, "100.0"),
        (123.456, "123.456"),
        (1e15, "1000000000000000.0"),
        (9999999999999998.0, "9999999999999998.0"),
        (123456789012345.0, "123456789012345.0"),
        (1e16, "1e+16"),
        (1.2345678901234567e16, "1.2345678901234568e+16"),
        (12345678901234567890.0, "1.2345678901234567e+19"),
        (1e22, "1e+22"),
        (1e100, "1e+100"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (0.0001, "0.0001"),
        (0.00012, "0.00012"),
        (1e-05, "1e-05"),
        (0.00001234, "1.234e-05"),
        (1.5e-07, "1.5e-07"),
        (5e-324, "5e-324"),
        (-1e-300, "-1e-300"),
        // Exactly halfway between two shortest candidates: the even one wins.
        (848629837311219.0 + 0.25, "848629837311219.2"),
        (-(1300065675247456.0 + 0.25), "-1300065675247456.2"),
        (0.125, "0.125"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (f64::NAN, "nan"),
        (-f64::NAN, "nan"),
    ];

    #[test]
    fn float_repr_matches_cpython() {
        for (x, want) in FLOAT_REPRS {
            assert_eq!(format_float_repr(*x), *want, "repr of {x:e}");
        }
    }

    #[test]
    fn ints_format_in_decimal() {
        let mut buf = [0u8; 20];
        for n in [0, 7, -7, 10, 1234567890, i64::MAX, i64::MIN] {
            assert_eq!(format_i64(n, &mut buf), n.to_string().as_bytes());
        }
    }

    #[test]
    fn str_repr_matches_cpython() {
        let cases: &[(&str, &str)] = &[
            ("abc", "'abc'"),
            ("", "''"),
            ("it's", "\"it's\""),
            ("'\"", "'\\'\"'"),
            ("\x7f\t\n\r\\", "'\\x7f\\t\\n\\r\\\\'"),
            ("a\u{85}b\u{a0}\u{ad}\u{2028}😀\u{e000}\u{200b}'", "\"a\\x85b\\xa0\\xad\\u2028😀\\ue000\\u200b'\""),
            ("é€", "'é€'"),
        ];
        for (s, want) in cases {
            assert_eq!(python_str_repr(s.as_bytes()), *want, "repr of {s:?}");
        }
        // A lone surrogate, as `chr(0xD800)` makes it, is escaped.
        assert_eq!(python_str_repr(&[b'a', 0xED, 0xA0, 0x80]), "'a\\ud800'");
    }
}
