//! `format(value, spec)`: the format-spec mini-language
//! (`[[fill]align][sign][z][#][0][width][,|_][.precision][type]`) with CPython 3.11's
//! output and error messages, for every kind of value a `TypeDesc` describes.
//!
//! The parser and the renderers follow `Python/formatter_unicode.c` step by step
//! (`parse_internal_render_format_spec`, `calc_number_widths`, `fill_number`, and the
//! grouping of `_PyUnicode_InsertThousandsGrouping`, which also groups the zeros of `0`
//! padding), and floats are turned into digits as `PyOS_double_to_string` does
//! (`format_float_short`), from digit strings Rust's exact float formatting provides.
//! Grouping with `n` uses the C locale's (none), as CPython does unless the program
//! changes the locale.
//!
//! Everything is computed in Rust memory; the one allocation is the result string.

use std::fmt::Write as _;

use kiln_abi::{kind, BuiltinExc, RStr, TypeDesc};

use crate::exc;
use crate::format::format_float_repr;
use crate::rdesc;
use crate::rstr;
use crate::utf8;

/// Why formatting failed: the exception CPython raises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FormatError {
    Value(String),
    Type(String),
    Overflow(String),
    /// The result would be absurdly large (a width of a billion, say).
    Memory,
}

type Result<T> = core::result::Result<T, FormatError>;

fn value_error<T>(msg: impl Into<String>) -> Result<T> {
    Err(FormatError::Value(msg.into()))
}

/// Results longer than this many bytes raise MemoryError instead of exhausting the
/// process's memory (CPython would try, and usually fail the same way).
const MAX_RESULT: i64 = 1 << 32;

/// The thousands separator a spec asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grouping {
    None,
    Comma,
    Underscore,
    /// `_` with `b`, `o`, `x` or `X`: every four digits.
    UnderscoreFour,
}

/// A parsed spec (CPython's `InternalFormatSpec`).
#[derive(Clone, Debug)]
pub(crate) struct Spec {
    fill: u32,
    align: u8,
    alternate: bool,
    no_neg_0: bool,
    sign: Option<u8>,
    /// -1 when absent.
    width: i64,
    grouping: Grouping,
    /// -1 when absent.
    precision: i64,
    /// The presentation type, a code point (the default type when absent).
    ty: u32,
}

fn is_align(c: u32) -> bool {
    matches!(c, 0x3C | 0x3E | 0x3D | 0x5E) // < > = ^
}

/// `'%c'` of a presentation type in CPython's messages: the character when printable
/// ASCII, else `\x` and its hex value.
fn show_type(ty: u32) -> String {
    if ty > 32 && ty < 128 {
        char::from_u32(ty).map(String::from).unwrap_or_default()
    } else {
        format!("\\x{ty:x}")
    }
}

/// Reads a decimal integer at `pos`: (value, digits consumed).
fn get_integer(spec: &[u32], pos: &mut usize) -> Result<(i64, usize)> {
    let mut value: i64 = 0;
    let mut n = 0;
    while let Some(d) = spec.get(*pos).and_then(|c| char::from_u32(*c)).and_then(|c| c.to_digit(10)) {
        if value > (i64::MAX - d as i64) / 10 {
            return value_error("Too many decimal digits in format string");
        }
        value = value * 10 + d as i64;
        *pos += 1;
        n += 1;
    }
    Ok((value, n))
}

/// Parses `spec` for a value of type `type_name` whose defaults are `default_type` (0 for
/// none) and `default_align`.
pub(crate) fn parse(spec: &[u32], default_type: u32, default_align: u8, type_name: &str) -> Result<Spec> {
    let mut f = Spec {
        fill: ' ' as u32,
        align: default_align,
        alternate: false,
        no_neg_0: false,
        sign: None,
        width: -1,
        grouping: Grouping::None,
        precision: -1,
        ty: default_type,
    };
    let end = spec.len();
    let mut pos = 0;
    let mut fill_specified = false;
    let mut align_specified = false;
    if end >= 2 && is_align(spec[1]) {
        f.align = spec[1] as u8;
        f.fill = spec[0];
        fill_specified = true;
        align_specified = true;
        pos = 2;
    } else if end >= 1 && is_align(spec[0]) {
        f.align = spec[0] as u8;
        align_specified = true;
        pos = 1;
    }
    if let Some(&c @ (0x2B | 0x2D | 0x20)) = spec.get(pos) {
        f.sign = Some(c as u8);
        pos += 1;
    }
    if spec.get(pos) == Some(&('z' as u32)) {
        f.no_neg_0 = true;
        pos += 1;
    }
    if spec.get(pos) == Some(&('#' as u32)) {
        f.alternate = true;
        pos += 1;
    }
    // `0` before the width: zero padding, after the sign for numbers.
    if !fill_specified && spec.get(pos) == Some(&('0' as u32)) {
        f.fill = '0' as u32;
        if !align_specified && default_align == b'>' {
            f.align = b'=';
        }
        pos += 1;
    }
    let (width, consumed) = get_integer(spec, &mut pos)?;
    if consumed > 0 {
        f.width = width;
    }
    if spec.get(pos) == Some(&(',' as u32)) {
        f.grouping = Grouping::Comma;
        pos += 1;
    }
    if spec.get(pos) == Some(&('_' as u32)) {
        if f.grouping != Grouping::None {
            return value_error("Cannot specify both ',' and '_'.");
        }
        f.grouping = Grouping::Underscore;
        pos += 1;
    }
    if spec.get(pos) == Some(&(',' as u32)) && f.grouping == Grouping::Underscore {
        return value_error("Cannot specify both ',' and '_'.");
    }
    if spec.get(pos) == Some(&('.' as u32)) {
        pos += 1;
        let (precision, consumed) = get_integer(spec, &mut pos)?;
        if consumed == 0 {
            return value_error("Format specifier missing precision");
        }
        f.precision = precision;
    }
    if end - pos > 1 {
        let text: String = spec.iter().filter_map(|c| char::from_u32(*c)).collect();
        return value_error(format!("Invalid format specifier '{text}' for object of type '{type_name}'"));
    }
    if end - pos == 1 {
        f.ty = spec[pos];
    }
    if f.grouping != Grouping::None {
        let sep = if f.grouping == Grouping::Comma { ',' } else { '_' };
        match char::from_u32(f.ty) {
            Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F' | '\0') => {}
            Some('b' | 'o' | 'x' | 'X') if f.grouping == Grouping::Underscore => f.grouping = Grouping::UnderscoreFour,
            _ => return value_error(format!("Cannot specify '{sep}' with '{}'.", show_type(f.ty))),
        }
    }
    Ok(f)
}

fn unknown_type<T>(ty: u32, type_name: &str) -> Result<T> {
    value_error(format!("Unknown format code '{}' for object of type '{type_name}'", show_type(ty)))
}

/// Appends `n` copies of the fill character.
fn push_fill(out: &mut Vec<u8>, fill: u32, n: i64) {
    let (buf, len) = utf8::encode(fill);
    for _ in 0..n.max(0) {
        out.extend_from_slice(&buf[..len]);
    }
}

/// Guards against results too large to build.
fn check_width(f: &Spec) -> Result<()> {
    if f.width > MAX_RESULT || f.precision > MAX_RESULT || crate::gc::too_large(f.width.max(f.precision).max(0) as u64) {
        return Err(FormatError::Memory);
    }
    Ok(())
}

/// `_PyUnicode_InsertThousandsGrouping`: the digits with separators every `group`
/// digits (none when `group` is 0), zero-padded on the left to at least `min_width`
/// characters, the padding grouped too.
fn group_digits(digits: &[u8], min_width: i64, sep: u8, group: usize) -> Vec<u8> {
    let mut rev = Vec::new();
    let mut remaining = digits.len() as i64;
    let mut min_width = min_width;
    let mut end = digits.len();
    let mut use_sep = false;
    let mut emit = |rev: &mut Vec<u8>, l: i64, remaining: &mut i64, use_sep: bool| {
        let n_zeros = (l - *remaining).max(0);
        let n_chars = (*remaining).min(l).max(0);
        if use_sep {
            rev.push(sep);
        }
        for k in 0..n_chars as usize {
            rev.push(digits[end - 1 - k]);
        }
        end -= n_chars as usize;
        rev.extend(std::iter::repeat_n(b'0', n_zeros as usize));
        *remaining -= n_chars;
    };
    let mut broken = false;
    if group > 0 {
        loop {
            let l = (group as i64).min(remaining.max(min_width).max(1));
            emit(&mut rev, l, &mut remaining, use_sep);
            use_sep = true;
            min_width -= l;
            if remaining <= 0 && min_width <= 0 {
                broken = true;
                break;
            }
            min_width -= 1;
        }
    }
    if !broken {
        let l = remaining.max(min_width).max(1);
        emit(&mut rev, l, &mut remaining, use_sep);
    }
    rev.reverse();
    rev
}

/// The parts of a formatted number, as `fill_number` lays them out:
/// `<lpad><sign><prefix><spad><grouped digits><decimal point><remainder><rpad>`.
struct Number<'a> {
    negative: bool,
    prefix: &'a [u8],
    digits: &'a [u8],
    decimal: bool,
    remainder: &'a [u8],
}

fn render_number(f: &Spec, n: &Number) -> Vec<u8> {
    let sign: Option<u8> = match f.sign {
        Some(b'+') => Some(if n.negative { b'-' } else { b'+' }),
        Some(b' ') => Some(if n.negative { b'-' } else { b' ' }),
        _ => n.negative.then_some(b'-'),
    };
    // Widths count code points: the remainder of `c` may be any character.
    let non_digits = sign.is_some() as i64 + n.prefix.len() as i64 + n.decimal as i64 + utf8::count_code_points(n.remainder) as i64;
    let min_width = if f.fill == '0' as u32 && f.align == b'=' { f.width - non_digits } else { 0 };
    let (sep, group) = match f.grouping {
        Grouping::None => (b',', 0),
        Grouping::Comma => (b',', 3),
        Grouping::Underscore => (b'_', 3),
        Grouping::UnderscoreFour => (b'_', 4),
    };
    let grouped = if n.digits.is_empty() { Vec::new() } else { group_digits(n.digits, min_width, sep, group) };
    let padding = f.width - (non_digits + grouped.len() as i64);
    let (mut lpad, mut spad, mut rpad) = (0, 0, 0);
    if padding > 0 {
        match f.align {
            b'<' => rpad = padding,
            b'^' => {
                lpad = padding / 2;
                rpad = padding - lpad;
            }
            b'=' => spad = padding,
            _ => lpad = padding,
        }
    }
    let mut out = Vec::new();
    push_fill(&mut out, f.fill, lpad);
    out.extend(sign);
    out.extend_from_slice(n.prefix);
    push_fill(&mut out, f.fill, spad);
    out.extend_from_slice(&grouped);
    if n.decimal {
        out.push(b'.');
    }
    out.extend_from_slice(n.remainder);
    push_fill(&mut out, f.fill, rpad);
    out
}

/// Formats an integer (any value an i64 or a u64 holds) with an int presentation type,
/// or as a float for the float types.
pub(crate) fn format_int(v: i128, f: &Spec, type_name: &str) -> Result<Vec<u8>> {
    check_width(f)?;
    let ty = char::from_u32(f.ty).unwrap_or('?');
    match ty {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => return format_float(v as f64, f),
        _ => return unknown_type(f.ty, type_name),
    }
    if f.precision != -1 {
        return value_error("Precision not allowed in integer format specifier");
    }
    if f.no_neg_0 {
        return value_error("Negative zero coercion (z) not allowed in integer format specifier");
    }
    if ty == 'c' {
        if f.sign.is_some() {
            return value_error("Sign not allowed with integer format specifier 'c'");
        }
        if f.alternate {
            return value_error("Alternate form (#) not allowed with integer format specifier 'c'");
        }
        if !(0..=0x10FFFF).contains(&v) {
            return Err(FormatError::Overflow("%c arg not in range(0x110000)".into()));
        }
        let (buf, len) = utf8::encode(v as u32);
        return Ok(render_number(f, &Number { negative: false, prefix: b"", digits: b"", decimal: false, remainder: &buf[..len] }));
    }
    let a = v.unsigned_abs();
    let (digits, prefix) = match ty {
        'b' => (format!("{a:b}"), "0b"),
        'o' => (format!("{a:o}"), "0o"),
        'x' => (format!("{a:x}"), "0x"),
        'X' => (format!("{a:X}"), "0X"),
        _ => (a.to_string(), ""),
    };
    let prefix = if f.alternate { prefix } else { "" };
    Ok(render_number(f, &Number { negative: v < 0, prefix: prefix.as_bytes(), digits: digits.as_bytes(), decimal: false, remainder: b"" }))
}

/// The digits of a finite non-negative float and the position of the decimal point
/// (`0.d1d2... * 10**decpt`), with no leading or trailing zeros (`"0"` and 1 for zero),
/// as `_Py_dg_dtoa` returns them: mode 0 the shortest digits that read back, mode 2
/// `ndigits` significant digits, mode 3 `ndigits` digits after the point.
fn dtoa(x: f64, mode: u8, ndigits: i64) -> (Vec<u8>, i64) {
    if x == 0.0 {
        return (b"0".to_vec(), 1);
    }
    let (digits, decpt) = match mode {
        3 => {
            let s = format!("{x:.prec$}", prec = ndigits.max(0) as usize);
            let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
            let all: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
            let zeros = all.iter().take_while(|b| **b == b'0').count();
            (all[zeros..].to_vec(), int.len() as i64 - zeros as i64)
        }
        _ => {
            let s = if mode == 0 { shortest_sci(x) } else { format!("{x:.prec$e}", prec = (ndigits.max(1) - 1) as usize) };
            let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
            let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
            (digits, exp.parse::<i64>().unwrap_or(0) + 1)
        }
    };
    let trimmed = digits.len() - digits.iter().rev().take_while(|b| **b == b'0').count();
    if trimmed == 0 {
        // Rounded to zero (fixed notation with too few places).
        return (b"0".to_vec(), 1);
    }
    (digits[..trimmed].to_vec(), decpt)
}

/// The shortest scientific form that reads back as `x`, ties between two shortest
/// candidates going to the even digit as in CPython (see `format_float_repr`).
fn shortest_sci(x: f64) -> String {
    let shortest = format!("{x:e}");
    let n = shortest.split('e').next().map_or(1, |m| m.bytes().filter(u8::is_ascii_digit).count());
    let rounded = format!("{x:.prec$e}", prec = n.saturating_sub(1));
    if rounded != shortest && rounded.parse::<f64>() == Ok(x) {
        rounded
    } else {
        shortest
    }
}

/// `PyOS_double_to_string(x, code, precision, flags)`: `code` is one of `e f g r` (the
/// upper-case forms pass `upper`).
fn double_to_string(x: f64, code: char, precision: i64, upper: bool, add_dot_0: bool, alt: bool, no_neg_0: bool) -> String {
    let (inf, nan, e) = if upper { ("INF", "NAN", 'E') } else { ("inf", "nan", 'e') };
    if x.is_nan() {
        return nan.into();
    }
    let negative = x.is_sign_negative();
    if x.is_infinite() {
        return if negative { format!("-{inf}") } else { inf.into() };
    }
    let (mode, precision) = match code {
        'e' => (2, precision + 1),
        'f' => (3, precision),
        'g' => (2, precision.max(1)),
        _ => (0, 0),
    };
    let (digits, decpt_raw) = dtoa(x.abs(), mode, precision);
    let negative = negative && !(no_neg_0 && digits == b"0");
    let digits_len = digits.len() as i64;
    let mut decpt = decpt_raw;
    let mut vdigits_end = digits_len;
    let mut use_exp = false;
    match code {
        'e' => {
            use_exp = true;
            vdigits_end = precision;
        }
        'f' => vdigits_end = decpt + precision,
        'g' => {
            if decpt <= -4 || decpt > if add_dot_0 { precision - 1 } else { precision } {
                use_exp = true;
            }
            if alt {
                vdigits_end = precision;
            }
        }
        _ => {
            if decpt <= -4 || decpt > 16 {
                use_exp = true;
            }
        }
    }
    let mut exp = 0;
    if use_exp {
        exp = decpt - 1;
        decpt = 1;
    }
    let vdigits_start = if decpt <= 0 { decpt - 1 } else { 0 };
    if !use_exp && add_dot_0 {
        vdigits_end = vdigits_end.max(decpt + 1);
    } else {
        vdigits_end = vdigits_end.max(decpt);
    }
    let zeros = |out: &mut Vec<u8>, n: i64| out.extend(std::iter::repeat_n(b'0', n.max(0) as usize));
    let mut out: Vec<u8> = Vec::new();
    if negative {
        out.push(b'-');
    }
    if decpt <= 0 {
        zeros(&mut out, decpt - vdigits_start);
        out.push(b'.');
        zeros(&mut out, -decpt);
    } else {
        zeros(&mut out, -vdigits_start);
    }
    if 0 < decpt && decpt <= digits_len {
        out.extend_from_slice(&digits[..decpt as usize]);
        out.push(b'.');
        out.extend_from_slice(&digits[decpt as usize..]);
    } else {
        out.extend_from_slice(&digits);
    }
    if digits_len < decpt {
        zeros(&mut out, decpt - digits_len);
        out.push(b'.');
        zeros(&mut out, vdigits_end - decpt);
    } else {
        zeros(&mut out, vdigits_end - digits_len);
    }
    if out.last() == Some(&b'.') && !alt {
        out.pop();
    }
    let mut s = String::from_utf8(out).unwrap_or_default();
    if use_exp {
        let _ = write!(s, "{e}{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs());
    }
    s
}

/// Formats a float (`format_float_internal`).
pub(crate) fn format_float(x: f64, f: &Spec) -> Result<Vec<u8>> {
    check_width(f)?;
    let ty = char::from_u32(f.ty).unwrap_or('?');
    let (mut code, upper) = match ty {
        '\0' => ('r', false),
        'e' | 'f' | 'g' => (ty, false),
        'E' | 'F' | 'G' => (ty.to_ascii_lowercase(), true),
        'n' => ('g', false),
        '%' => ('f', false),
        _ => return unknown_type(f.ty, "float"),
    };
    let add_dot_0 = ty == '\0';
    let default_precision = if ty == '\0' { 0 } else { 6 };
    let val = if ty == '%' { x * 100.0 } else { x };
    let precision = if f.precision < 0 {
        default_precision
    } else {
        if code == 'r' {
            code = 'g';
        }
        f.precision
    };
    let mut buf = double_to_string(val, code, precision, upper, add_dot_0, f.alternate, f.no_neg_0);
    if ty == '%' {
        buf.push('%');
    }
    let b = buf.as_bytes();
    let (negative, body) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    let n_digits = body.iter().take_while(|c| c.is_ascii_digit()).count();
    let decimal = body.get(n_digits) == Some(&b'.');
    let rest = &body[n_digits + decimal as usize..];
    Ok(render_number(f, &Number { negative, prefix: b"", digits: &body[..n_digits], decimal, remainder: rest }))
}

/// Formats a string (`format_string_internal`): `text` is generalised UTF-8.
pub(crate) fn format_str(text: &[u8], f: &Spec) -> Result<Vec<u8>> {
    check_width(f)?;
    if f.ty != 's' as u32 {
        return unknown_type(f.ty, "str");
    }
    match f.sign {
        Some(b' ') => return value_error("Space not allowed in string format specifier"),
        Some(_) => return value_error("Sign not allowed in string format specifier"),
        None => {}
    }
    if f.no_neg_0 {
        return value_error("Negative zero coercion (z) not allowed in string format specifier");
    }
    if f.alternate {
        return value_error("Alternate form (#) not allowed in string format specifier");
    }
    if f.align == b'=' {
        return value_error("'=' alignment not allowed in string format specifier");
    }
    let mut len = utf8::count_code_points(text) as i64;
    let mut body = text;
    if f.precision >= 0 && len >= f.precision {
        len = f.precision;
        let cut = text.iter().enumerate().filter(|(_, b)| **b & 0xC0 != 0x80).nth(len as usize).map_or(text.len(), |(i, _)| i);
        body = &text[..cut];
    }
    let total = f.width.max(len);
    let lpad = match f.align {
        b'>' => total - len,
        b'^' => (total - len) / 2,
        _ => 0,
    };
    let mut out = Vec::with_capacity(body.len());
    push_fill(&mut out, f.fill, lpad);
    out.extend_from_slice(body);
    push_fill(&mut out, f.fill, total - len - lpad);
    Ok(out)
}

/// `format(v, spec)` as bytes: dispatches on the value's kind like the types'
/// `__format__` methods. An empty spec is `str(v)`.
///
/// # Safety
/// `word` is a valid value of `d`.
pub(crate) unsafe fn format_value(word: u64, d: &TypeDesc, spec: &[u32]) -> Result<Vec<u8>> {
    // SAFETY (whole body): per this function's contract.
    unsafe {
        let is_none = d.kind == kind::NONE || (rdesc::is_ref_kind(d.kind) && word == 0);
        match d.kind {
            _ if is_none || matches!(d.kind, kind::TUPLE | kind::LIST | kind::DICT | kind::INSTANCE) => {
                // object.__format__: only the empty spec, meaning str(v), which is repr
                // for these kinds.
                if !spec.is_empty() {
                    let name = rdesc::type_name(word, d);
                    return Err(FormatError::Type(format!("unsupported format string passed to {name}.__format__")));
                }
                Ok(rdesc::repr_bytes(word, d))
            }
            kind::STR | kind::CHAR => {
                let owned;
                let text: &[u8] = if d.kind == kind::CHAR {
                    let (buf, len) = utf8::encode(word as u32);
                    owned = buf;
                    &owned[..len]
                } else {
                    rstr::bytes(word as *const RStr)
                };
                if spec.is_empty() {
                    return Ok(text.to_vec());
                }
                format_str(text, &parse(spec, 's' as u32, b'<', "str")?)
            }
            kind::FLOAT => {
                let x = f64::from_bits(word);
                if spec.is_empty() {
                    return Ok(format_float_repr(x).into_bytes());
                }
                format_float(x, &parse(spec, 0, b'>', "float")?)
            }
            kind::BOOL | kind::INT | kind::UINT => {
                let (v, name) = match d.kind {
                    kind::BOOL => ((word != 0) as i128, "bool"),
                    kind::UINT => (word as i128, "r_uint"),
                    _ => (word as i64 as i128, "int"),
                };
                if spec.is_empty() {
                    // str(v): bools print their name, an r_uint its number (the support
                    // package's `format(r_uint(5), '')` is `'5'`, its repr `r_uint(5)`).
                    if d.kind == kind::UINT {
                        return Ok(word.to_string().into_bytes());
                    }
                    return Ok(rdesc::repr_bytes(word, d));
                }
                format_int(v, &parse(spec, 'd' as u32, b'>', name)?, name)
            }
            _ => Ok(rdesc::repr_bytes(word, d)),
        }
    }
}

/// `format(v, spec)`: the format-spec mini-language (f-strings, `format()`, `%`).
/// Raises ValueError, TypeError or OverflowError with CPython's messages.
///
/// # Safety
/// `d` is a valid TypeDesc, `word` a valid value of it, and `spec` null (empty) or a
/// valid string.
#[no_mangle]
pub unsafe extern "C" fn kiln_format(word: i64, d: *const TypeDesc, spec: *const RStr) -> *mut RStr {
    // SAFETY: per this function's contract.
    unsafe {
        let d = rdesc::desc(d);
        if spec.is_null() || (*spec).length == 0 {
            // A string formats as itself: no copy.
            if d.kind == kind::STR && word != 0 {
                return word as *mut RStr;
            }
        }
        let spec: Vec<u32> = utf8::code_points(rstr::bytes(spec)).collect();
        match format_value(word as u64, d, &spec) {
            Ok(text) => rstr::alloc_str(&text),
            Err(e) => {
                match e {
                    FormatError::Value(m) => exc::raise(BuiltinExc::ValueError, &m),
                    FormatError::Type(m) => exc::raise(BuiltinExc::TypeError, &m),
                    FormatError::Overflow(m) => exc::raise(BuiltinExc::OverflowError, &m),
                    FormatError::Memory => exc::raise_memory_error(),
                }
                core::ptr::null_mut()
            }
        }
    }
}

/// A value to format at import time.
#[derive(Clone, Copy, Debug)]
pub enum HostValue<'a> {
    Int(i64),
    Bool(bool),
    Float(f64),
    Str(&'a str),
}

/// `format(v, spec)` on a Rust value, for the frontend's import-time evaluation: the
/// same code the translated program runs, so import time and run time agree. Errors are
/// (exception class name, message).
pub fn format_host(v: HostValue<'_>, spec: &str) -> core::result::Result<String, (&'static str, String)> {
    let sp: Vec<u32> = spec.chars().map(|c| c as u32).collect();
    let r = match v {
        HostValue::Str(t) => {
            if sp.is_empty() {
                return Ok(t.to_string());
            }
            parse(&sp, 's' as u32, b'<', "str").and_then(|f| format_str(t.as_bytes(), &f))
        }
        HostValue::Float(x) => {
            if sp.is_empty() {
                return Ok(format_float_repr(x));
            }
            parse(&sp, 0, b'>', "float").and_then(|f| format_float(x, &f))
        }
        HostValue::Int(i) => {
            if sp.is_empty() {
                return Ok(i.to_string());
            }
            parse(&sp, 'd' as u32, b'>', "int").and_then(|f| format_int(i as i128, &f, "int"))
        }
        HostValue::Bool(b) => {
            if sp.is_empty() {
                return Ok(if b { "True" } else { "False" }.to_string());
            }
            parse(&sp, 'd' as u32, b'>', "bool").and_then(|f| format_int(b as i128, &f, "bool"))
        }
    };
    match r {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(FormatError::Value(m)) => Err(("ValueError", m)),
        Err(FormatError::Type(m)) => Err(("TypeError", m)),
        Err(FormatError::Overflow(m)) => Err(("OverflowError", m)),
        Err(FormatError::Memory) => Err(("MemoryError", String::new())),
    }
}

/// Whether `spec` is a valid format spec for some value (the flowspace's check of a
/// constant spec in an f-string): the parse error otherwise.
pub fn check_spec(spec: &str) -> core::result::Result<(), String> {
    let sp: Vec<u32> = spec.chars().map(|c| c as u32).collect();
    match parse(&sp, 'd' as u32, b'>', "int") {
        Ok(_) => Ok(()),
        Err(FormatError::Value(m) | FormatError::Type(m) | FormatError::Overflow(m)) => Err(m),
        Err(FormatError::Memory) => Err("format width too large".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testprog::*;

    fn spec(s: &str) -> Vec<u32> {
        s.chars().map(|c| c as u32).collect()
    }

    /// `format(v, spec)` as a string, or `ExcName: message`.
    fn fmt(word: u64, d: &TypeDesc, s: &str) -> String {
        // SAFETY: tests pass valid values.
        match unsafe { format_value(word, d, &spec(s)) } {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(FormatError::Value(m)) => format!("ValueError: {m}"),
            Err(FormatError::Type(m)) => format!("TypeError: {m}"),
            Err(FormatError::Overflow(m)) => format!("OverflowError: {m}"),
            Err(FormatError::Memory) => "MemoryError".into(),
        }
    }

    fn int(n: i64) -> u64 {
        n as u64
    }

    fn float(x: f64) -> u64 {
        x.to_bits()
    }

    #[test]
    fn ints_match_cpython() {
        // (value, spec, format(value, spec)) from CPython 3.11.
        let cases: &[(i64, &str, &str)] = &[
            (1234, "08,", "0,001,234"),
            (1234, "09,", "0,001,234"),
            (1234, "010,", "00,001,234"),
            (-1234, "010,", "-0,001,234"),
            (255, "#010x", "0x000000ff"),
            (255, "#_b", "0b1111_1111"),
            (123456789, "_x", "75b_cd15"),
            (-5, "=+8d", "-      5"),
            (65, "c", "A"),
            (65, ">3c", "  A"),
            (65, "05c", "0000A"),
            (255, "08c", "0000000ÿ"),
            (1234, "n", "1234"),
            (12, "+", "+12"),
            (12, " ", " 12"),
            (-12, " 05", "-0012"),
            (1, "#x", "0x1"),
            (-255, "#X", "-0XFF"),
            (1, "#", "1"),
            (5, "e", "5.000000e+00"),
            (5, "%", "500.000000%"),
            (1, ".2%", "100.00%"),
            (i64::MAX, "_", "9_223_372_036_854_775_807"),
            (i64::MIN, ",", "-9,223,372,036,854,775,808"),
            (1, "0<5", "10000"),
            (1, "x<05", "1xxxx"),
            (12, "=^5", "=12=="),
            (1, "<<5d", "1<<<<"),
            (1, ">>", "1"),
            (42, "*^9,", "***42****"),
            (-42, "^9", "   -42   "),
            (7, "é>3", "éé7"),
            (1, ".2", "ValueError: Precision not allowed in integer format specifier"),
            (1, "z", "ValueError: Negative zero coercion (z) not allowed in integer format specifier"),
            (1, ",x", "ValueError: Cannot specify ',' with 'x'."),
            (1, "_n", "ValueError: Cannot specify '_' with 'n'."),
            (1, ",c", "ValueError: Cannot specify ',' with 'c'."),
            (1, ",_", "ValueError: Cannot specify both ',' and '_'."),
            (1, "_,", "ValueError: Cannot specify both ',' and '_'."),
            (1, ",,", "ValueError: Cannot specify ',' with ','."),
            (1, "+c", "ValueError: Sign not allowed with integer format specifier 'c'"),
            (1, "#c", "ValueError: Alternate form (#) not allowed with integer format specifier 'c'"),
            (-1, "c", "OverflowError: %c arg not in range(0x110000)"),
            (0x110000, "c", "OverflowError: %c arg not in range(0x110000)"),
            (1, "s", "ValueError: Unknown format code 's' for object of type 'int'"),
            (1, ".", "ValueError: Format specifier missing precision"),
            (1, "5.", "ValueError: Format specifier missing precision"),
            (1, "99999999999999999999", "ValueError: Too many decimal digits in format string"),
            (1, "xx", "ValueError: Invalid format specifier 'xx' for object of type 'int'"),
            (1, "\0", "ValueError: Unknown format code '\\x0' for object of type 'int'"),
            (1, "9999999999", "MemoryError"),
        ];
        for (v, s, want) in cases {
            assert_eq!(fmt(int(*v), &INT, s), *want, "format({v}, {s:?})");
        }
        assert_eq!(fmt(1, &BOOL, ""), "True");
        assert_eq!(fmt(1, &BOOL, ">5"), "    1");
        assert_eq!(fmt(0, &BOOL, ".2f"), "0.00");
        assert_eq!(fmt(1, &BOOL, "x"), "1");
        assert_eq!(fmt(1, &BOOL, "s"), "ValueError: Unknown format code 's' for object of type 'bool'");
        assert_eq!(fmt(5, &UINT, ""), "5");
        assert_eq!(fmt(u64::MAX, &UINT, ">4"), "18446744073709551615");
        assert_eq!(fmt(5, &UINT, ">4"), "   5");
        assert_eq!(fmt(u64::MAX, &UINT, "x"), "ffffffffffffffff");
    }

    #[test]
    fn floats_match_cpython() {
        let inf = f64::INFINITY;
        let cases: &[(f64, &str, &str)] = &[
            (100.0, ".3", "1e+02"),
            (1234.0, ".2", "1.2e+03"),
            (inf, "010", "0000000inf"),
            (inf, "010f", "0000000inf"),
            (f64::NAN, "=+10", "+      nan"),
            (1.5, "z", "1.5"),
            (-0.0, "z", "0.0"),
            (-0.0, "z.1f", "0.0"),
            (-0.0001, "z.1f", "0.0"),
            (-0.0001, ".1f", "-0.0"),
            (1e16, "", "1e+16"),
            (1e16, ".3", "1e+16"),
            (1.0, ".0", "1e+00"),
            (0.5, ".0f", "0"),
            (1.5, ".0f", "2"),
            (2.5, ".0f", "2"),
            (0.125, ".2f", "0.12"),
            (0.375, ".2f", "0.38"),
            (1234567.891, ",.2f", "1,234,567.89"),
            (1234567.891, "_", "1_234_567.891"),
            (1234567.891, ",", "1,234,567.891"),
            (12345.0, "015,.1f", "0,000,012,345.0"),
            (1e-5, "g", "1e-05"),
            (1e-5, "", "1e-05"),
            (123456789.0, "g", "1.23457e+08"),
            (0.0001, ".3", "0.0001"),
            (1.0, "#g", "1.00000"),
            (1.0, "#.0e", "1.e+00"),
            (1.0, "#.0f", "1."),
            (0.5, "%", "50.000000%"),
            (3.0, "n", "3"),
            (1.0, "0=8", "000001.0"),
            (1e301, "e", "1.000000e+301"),
            (f64::NAN, "E", "NAN"),
            (-inf, "F", "-INF"),
            (1234.5, ".3", "1.23e+03"),
            (1234.5, ".4", "1.234e+03"),
            (1234.5, ".5", "1234.5"),
            (0.00001234, ".2", "1.2e-05"),
            (123.0, ".10", "123.0"),
            (1e100, "f", "10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.000000"),
            (0.1, ".20f", "0.10000000000000000555"),
            (1.5, "=<5", "1.5=="),
            (1.0, "#", "1.0"),
            (1.0, "#.3", "1.00"),
            (1.23456, ".2f", "1.23"),
            (-1.23456, "8.3f", "  -1.235"),
            (2.0 / 3.0, "", "0.6666666666666666"),
            (2.0 / 3.0, ".3g", "0.667"),
            (-1.5, "+.1e", "-1.5e+00"),
            (1.5, " .1E", " 1.5E+00"),
            (0.0, "e", "0.000000e+00"),
            (5e-324, "", "5e-324"),
            (5e-324, ".3g", "4.94e-324"),
            (9.999, ".2f", "10.00"),
            (9.9999, ".3g", "10"),
            (99999.5, "g", "99999.5"),
            (999999.5, "g", "1e+06"),
            (1e22, ",.0f", "10,000,000,000,000,000,000,000"),
            (1.0, "x", "ValueError: Unknown format code 'x' for object of type 'float'"),
            (1.0, "d", "ValueError: Unknown format code 'd' for object of type 'float'"),
            (1.0, ",,", "ValueError: Cannot specify ',' with ','."),
            (1.0, "_,", "ValueError: Cannot specify both ',' and '_'."),
            (1.0, ".", "ValueError: Format specifier missing precision"),
            (1.0, ".99999999999999999999f", "ValueError: Too many decimal digits in format string"),
        ];
        for (x, s, want) in cases {
            assert_eq!(fmt(float(*x), &FLOAT, s), *want, "format({x:?}, {s:?})");
        }
    }

    #[test]
    fn strings_and_others_match_cpython() {
        each_gc(|t| unsafe {
            let h = t.str("héllo");
            let w = t.w(h);
            let cases: &[(&str, &str)] = &[
                ("", "héllo"),
                (".2", "hé"),
                ("^9", "  héllo  "),
                ("*>7", "**héllo"),
                ("07", "héllo00"),
                ("<3", "héllo"),
                ("9.1", "h        "),
                ("s", "héllo"),
                ("z", "ValueError: Negative zero coercion (z) not allowed in string format specifier"),
                ("+", "ValueError: Sign not allowed in string format specifier"),
                (" ", "ValueError: Space not allowed in string format specifier"),
                ("#", "ValueError: Alternate form (#) not allowed in string format specifier"),
                ("=5", "ValueError: '=' alignment not allowed in string format specifier"),
                ("0=5", "ValueError: '=' alignment not allowed in string format specifier"),
                (",", "ValueError: Cannot specify ',' with 's'."),
                ("_", "ValueError: Cannot specify '_' with 's'."),
                ("d", "ValueError: Unknown format code 'd' for object of type 'str'"),
                ("c", "ValueError: Unknown format code 'c' for object of type 'str'"),
            ];
            for (s, want) in cases {
                assert_eq!(fmt(w, &STR, s), *want, "format('héllo', {s:?})");
            }
            assert_eq!(fmt('x' as u64, &CHAR, "^5"), "  x  ");
            assert_eq!(fmt(0, &STR_OR_NONE, ""), "None");
            assert_eq!(fmt(0, &STR_OR_NONE, "x"), "TypeError: unsupported format string passed to NoneType.__format__");
            assert_eq!(fmt(0, &NONE, ""), "None");
            let tup = t.tuple_int_str(1, h);
            assert_eq!(fmt(t.w(tup), &TUPLE_INT_STR, ""), "(1, 'héllo')");
            assert_eq!(fmt(t.w(tup), &TUPLE_INT_STR, ">5"), "TypeError: unsupported format string passed to tuple.__format__");
            let l = t.ints(&[1]);
            assert_eq!(fmt(t.w(l), &LIST_OF_INT, "s"), "TypeError: unsupported format string passed to list.__format__");
            let x = t.instance();
            assert_eq!(fmt(t.w(x), &INSTANCE_DESC, "s"), "TypeError: unsupported format string passed to Thing.__format__");
            // The exported entry point: a string formats as itself with an empty spec.
            let empty = t.str("");
            assert_eq!(kiln_format(t.w(h) as i64, &STR, t.p(empty)), t.p(h));
            assert_eq!(kiln_format(t.w(h) as i64, &STR, core::ptr::null()), t.p(h));
            let sp = t.str(">8.3f");
            assert_eq!(text(kiln_format(float(2.0f64.sqrt()) as i64, &FLOAT, t.p(sp))), "   1.414");
            let bad = t.str("q");
            assert!(kiln_format(5, &INT, t.p(bad)).is_null());
            assert_eq!(take_exc().as_deref(), Some("ValueError: Unknown format code 'q' for object of type 'int'"));
        });
    }

    #[test]
    fn the_cpython_corpus() {
        // Pseudo-random cases with CPython 3.11's results (runtime/tools/gen_cpython_cases.py).
        let (_session, _) = crate::host::testing::started(crate::config::RtConfig::default(), &[]);
        let mut failures = Vec::new();
        for line in include_str!("testdata/format_cases.txt").lines() {
            let f: Vec<&str> = line.split('\t').collect();
            let (kind, value, spec, want) = (f[0], parse_val(f[1]), unescape(f[2]), parse_outcome(f[3]));
            let (word, d): (u64, &TypeDesc) = match (kind, value) {
                ("int", CaseVal::Int(n)) => (n as u64, &INT),
                ("bool", CaseVal::Int(n)) => (n as u64, &BOOL),
                ("float", CaseVal::Float(bits)) => (bits, &FLOAT),
                (_, CaseVal::Str(b)) => (crate::rstr::alloc_str(&b) as u64, &STR),
                other => panic!("bad corpus line {line:?}: {other:?}"),
            };
            let spec: Vec<u32> = crate::utf8::code_points(&spec).collect();
            // SAFETY: a valid value of its desc.
            let got = match unsafe { format_value(word, d, &spec) } {
                Ok(b) => Ok(CaseVal::Str(b)),
                Err(FormatError::Value(m)) => Err(format!("ValueError: {m}")),
                Err(FormatError::Type(m)) => Err(format!("TypeError: {m}")),
                Err(FormatError::Overflow(m)) => Err(format!("OverflowError: {m}")),
                Err(FormatError::Memory) => Err("MemoryError".into()),
            };
            if got != want {
                failures.push(format!("{line}\n    got {got:?}"));
            }
        }
        assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    }
}
