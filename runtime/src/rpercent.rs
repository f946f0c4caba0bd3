//! `fmt % {"key": value, ...}` and `fmt % (a, b, ...)`: `%` formatting with a format
//! string known only at run time, as CPython 3.11's `PyUnicode_Format` does it
//! (`%(name)s`, `%(name)5.2f`, `%%`, `*` widths, a positional conversion that formats the
//! mapping itself), with CPython's exceptions and messages (`KeyError`, `ValueError:
//! incomplete format`, `unsupported format character`, `not enough arguments`, `not all
//! arguments converted`, the `TypeError`s of a value of the wrong type).
//!
//! The mapping is either a dict display with constant str keys passed as a *record*: a
//! tuple `(key0, value0, key1, value1, ...)` whose `TypeDesc` describes each value, so
//! the values may have different types (what the rtyper passes for `HlOp::PercentMap`;
//! a key given twice keeps its first position and its last value, as a dict display
//! does), or a dict keyed by str.
//!
//! The positional form gets a tuple of the values (`kiln_percent_tuple`); a single value
//! that is not a tuple is formatted as a 1-tuple, as CPython does for a value that is not
//! a mapping.
//!
//! The values are read out of their words first ([`PctValue`]), so the same code
//! formats at import time: the frontend passes its own values to [`percent_mapping_host`].
//!
//! Everything is computed in Rust memory; the one allocation is the result string (or
//! the exception raised).

use std::fmt::Write as _;

use kiln_abi::{kind, BuiltinExc, RDict, RStr, TypeDesc};

use crate::exc;
use crate::format::{format_float_repr, python_str_repr};
use crate::rdesc;
use crate::rdict;
use crate::rformat::{self, FormatError};
use crate::rstr;
use crate::utf8;

/// Results longer than this many bytes raise MemoryError (as in `rformat`).
const MAX_RESULT: i64 = 1 << 32;

/// The exception a formatting raises.
#[derive(Debug, PartialEq, Eq)]
enum Fail {
    Raise(BuiltinExc, String),
    Memory,
}

type Result<T> = core::result::Result<T, Fail>;

fn fail<T>(exc: BuiltinExc, msg: impl Into<String>) -> Result<T> {
    Err(Fail::Raise(exc, msg.into()))
}

impl From<FormatError> for Fail {
    fn from(e: FormatError) -> Fail {
        match e {
            FormatError::Value(m) => Fail::Raise(BuiltinExc::ValueError, m),
            FormatError::Type(m) => Fail::Raise(BuiltinExc::TypeError, m),
            FormatError::Overflow(m) => Fail::Raise(BuiltinExc::OverflowError, m),
            FormatError::Memory => Fail::Memory,
        }
    }
}

/// A mapping value, read out of its word (or given by the frontend at import time).
#[derive(Clone, Debug, PartialEq)]
pub enum PctValue {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A str (generalised UTF-8).
    Str(Vec<u8>),
    /// Any other value: its `str()`, its `repr()` and its type's name. No conversion but
    /// `%s`, `%r` and `%a` accepts it.
    Other { str: Vec<u8>, repr: Vec<u8>, type_name: String },
}

/// A mapping key: a str, or another value, which no `%(name)` matches (a str is never
/// equal to a non-str) but the mapping's repr shows.
#[derive(Clone, Debug, PartialEq)]
pub enum PctKey {
    Str(Vec<u8>),
    Other { repr: Vec<u8> },
}

/// The mapping: (key, value) in display order, duplicates included.
struct Record {
    entries: Vec<(PctKey, PctValue)>,
}

impl Record {
    /// The value of `key`: the last entry with that key, as in a dict display.
    fn get(&self, key: &[u8]) -> Option<&PctValue> {
        self.entries.iter().rev().find(|(k, _)| matches!(k, PctKey::Str(s) if s == key)).map(|(_, v)| v)
    }

    /// `repr()` of the dict: keys in first-insertion order, each with its last value.
    fn repr(&self) -> Vec<u8> {
        let mut out = vec![b'{'];
        let mut seen: Vec<&PctKey> = Vec::new();
        for (i, (k, _)) in self.entries.iter().enumerate() {
            if seen.contains(&k) {
                continue;
            }
            seen.push(k);
            if seen.len() > 1 {
                out.extend_from_slice(b", ");
            }
            let v = self.entries[i..].iter().rev().find(|(k2, _)| k2 == k).map(|(_, v)| v).expect("the entry itself");
            match k {
                PctKey::Str(s) => out.extend_from_slice(python_str_repr(s).as_bytes()),
                PctKey::Other { repr } => out.extend_from_slice(repr),
            }
            out.extend_from_slice(b": ");
            out.extend_from_slice(&repr_of(v));
        }
        out.push(b'}');
        out
    }
}

/// What a conversion formats: the mapping itself, or one of its values.
#[derive(Clone, Copy)]
enum Arg<'a> {
    Mapping,
    Value(&'a PctValue),
}

/// `repr(v)`.
fn repr_of(v: &PctValue) -> Vec<u8> {
    match v {
        PctValue::Str(s) => python_str_repr(s).into_bytes(),
        PctValue::Other { repr, .. } => repr.clone(),
        other => str_of(other),
    }
}

/// `str(v)`.
fn str_of(v: &PctValue) -> Vec<u8> {
    match v {
        PctValue::None => b"None".to_vec(),
        PctValue::Bool(b) => if *b { b"True".to_vec() } else { b"False".to_vec() },
        PctValue::Int(n) => n.to_string().into_bytes(),
        PctValue::Float(x) => format_float_repr(*x).into_bytes(),
        PctValue::Str(s) => s.clone(),
        PctValue::Other { str, .. } => str.clone(),
    }
}

/// The Python type name of an argument, as CPython's messages print it.
fn type_name(a: Arg<'_>) -> String {
    match a {
        Arg::Mapping => "dict".into(),
        Arg::Value(v) => match v {
            PctValue::None => "NoneType".into(),
            PctValue::Bool(_) => "bool".into(),
            PctValue::Int(_) => "int".into(),
            PctValue::Float(_) => "float".into(),
            PctValue::Str(_) => "str".into(),
            PctValue::Other { type_name, .. } => type_name.clone(),
        },
    }
}

/// A value read out of its word.
///
/// # Safety
/// `word` is a valid value of `d`.
unsafe fn value_of(word: u64, d: &TypeDesc) -> PctValue {
    if d.kind == kind::NONE || (rdesc::is_ref_kind(d.kind) && word == 0) {
        return PctValue::None;
    }
    // SAFETY (whole body): per this function's contract.
    unsafe {
        match d.kind {
            kind::BOOL => PctValue::Bool(word != 0),
            kind::INT => PctValue::Int(word as i64),
            kind::FLOAT => PctValue::Float(f64::from_bits(word)),
            kind::STR => PctValue::Str(rstr::bytes(word as *const RStr).to_vec()),
            kind::CHAR => {
                let (buf, len) = utf8::encode(word as u32);
                PctValue::Str(buf[..len].to_vec())
            }
            _ => {
                let repr = rdesc::repr_bytes(word, d);
                PctValue::Other { str: repr.clone(), repr, type_name: rdesc::type_name(word, d) }
            }
        }
    }
}

/// `ascii()` of a repr: non-ASCII code points escaped as `\xhh`, `\uhhhh`, `\Uhhhhhhhh`.
fn ascii_of(repr: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(repr.len());
    for cp in utf8::code_points(repr) {
        match cp {
            0..=0x7F => out.push(cp as u8),
            0x80..=0xFF => out.extend_from_slice(format!("\\x{cp:02x}").as_bytes()),
            0x100..=0xFFFF => out.extend_from_slice(format!("\\u{cp:04x}").as_bytes()),
            _ => out.extend_from_slice(format!("\\U{cp:08x}").as_bytes()),
        }
    }
    out
}

/// The flags, width and precision of one conversion.
#[derive(Default)]
struct Conv {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    /// -1 when absent.
    width: i64,
    /// -1 when absent.
    prec: i64,
}

/// Pads `body` (generalised UTF-8) with spaces to the conversion's width.
fn pad(out: &mut Vec<u8>, body: &[u8], c: &Conv) -> Result<()> {
    let len = utf8::count_code_points(body) as i64;
    let fill = (c.width - len).max(0);
    if out.len() as i64 + body.len() as i64 + fill > MAX_RESULT {
        return Err(Fail::Memory);
    }
    if !c.left {
        out.resize(out.len() + fill as usize, b' ');
    }
    out.extend_from_slice(body);
    if c.left {
        out.resize(out.len() + fill as usize, b' ');
    }
    Ok(())
}

/// An integer conversion (`d i u x X o`): sign, `#` prefix, precision as a minimum
/// number of digits, and padding (CPython's `_PyUnicode_FormatLong` and `formatlong`).
fn format_integer(out: &mut Vec<u8>, negative: bool, digits: &str, ch: u32, c: &Conv) -> Result<()> {
    let mut digits = digits.to_string();
    if ch == 'X' as u32 {
        digits.make_ascii_uppercase();
    }
    if c.prec > digits.len() as i64 {
        if c.prec > MAX_RESULT {
            return Err(Fail::Memory);
        }
        digits = format!("{}{digits}", "0".repeat(c.prec as usize - digits.len()));
    }
    let sign = if negative {
        "-"
    } else if c.plus {
        "+"
    } else if c.space {
        " "
    } else {
        ""
    };
    let prefix = match char::from_u32(ch) {
        Some('x') if c.alt => "0x",
        Some('X') if c.alt => "0X",
        Some('o') if c.alt => "0o",
        _ => "",
    };
    let len = (sign.len() + prefix.len() + digits.len()) as i64;
    let fill = (c.width - len).max(0);
    if out.len() as i64 + len + fill > MAX_RESULT {
        return Err(Fail::Memory);
    }
    if c.left {
        out.extend_from_slice(sign.as_bytes());
        out.extend_from_slice(prefix.as_bytes());
        out.extend_from_slice(digits.as_bytes());
        out.resize(out.len() + fill as usize, b' ');
    } else if c.zero {
        out.extend_from_slice(sign.as_bytes());
        out.extend_from_slice(prefix.as_bytes());
        out.resize(out.len() + fill as usize, b'0');
        out.extend_from_slice(digits.as_bytes());
    } else {
        out.resize(out.len() + fill as usize, b' ');
        out.extend_from_slice(sign.as_bytes());
        out.extend_from_slice(prefix.as_bytes());
        out.extend_from_slice(digits.as_bytes());
    }
    Ok(())
}

/// The integer an int-like argument holds, or None when it is not an int or bool.
fn int_of(a: Arg<'_>) -> Option<i128> {
    match a {
        Arg::Value(PctValue::Int(n)) => Some(*n as i128),
        Arg::Value(PctValue::Bool(b)) => Some(*b as i128),
        _ => None,
    }
}

/// Formats one conversion `ch` of `arg` into `out`. `index` is the conversion
/// character's position in the format (for the unsupported-character message).
fn convert(out: &mut Vec<u8>, rec: &Record, arg: Arg<'_>, ch: u32, c: &Conv, index: usize) -> Result<()> {
    {
        match char::from_u32(ch).unwrap_or('\u{FFFD}') {
            conv @ ('s' | 'r' | 'a') => {
                let mut text = match (conv, arg) {
                    (_, Arg::Mapping) => rec.repr(),
                    ('s', Arg::Value(v)) => str_of(v),
                    (_, Arg::Value(v)) => repr_of(v),
                };
                if conv == 'a' {
                    text = ascii_of(&text);
                }
                if c.prec >= 0 {
                    let keep: usize = utf8::code_points(&text).take(c.prec as usize).map(|cp| utf8::encode(cp).1).sum();
                    text.truncate(keep);
                }
                pad(out, &text, c)
            }
            conv @ ('d' | 'i' | 'u' | 'x' | 'X' | 'o') => {
                let (negative, digits) = match int_of(arg) {
                    Some(n) => {
                        let m = n.unsigned_abs();
                        let digits = match conv {
                            'x' | 'X' => format!("{m:x}"),
                            'o' => format!("{m:o}"),
                            _ => m.to_string(),
                        };
                        (n < 0, digits)
                    }
                    None => match arg {
                        Arg::Value(PctValue::Float(x)) if matches!(conv, 'd' | 'i' | 'u') => {
                            let x = *x;
                            if x.is_nan() {
                                return fail(BuiltinExc::ValueError, "cannot convert float NaN to integer");
                            }
                            if x.is_infinite() {
                                return fail(BuiltinExc::OverflowError, "cannot convert float infinity to integer");
                            }
                            // The exact digits of the float's integer part, however large.
                            let t = x.trunc();
                            (t < 0.0, format!("{:.0}", t.abs()))
                        }
                        _ => {
                            let what = if matches!(conv, 'x' | 'X' | 'o') { "an integer" } else { "a real number" };
                            return fail(BuiltinExc::TypeError, format!("%{conv} format: {what} is required, not {}", type_name(arg)));
                        }
                    },
                };
                format_integer(out, negative, &digits, ch, c)
            }
            conv @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G') => {
                let x = match (int_of(arg), arg) {
                    (Some(n), _) => n as f64,
                    (None, Arg::Value(PctValue::Float(x))) => *x,
                    _ => return fail(BuiltinExc::TypeError, format!("must be real number, not {}", type_name(arg))),
                };
                let mut spec = String::new();
                if c.left {
                    spec.push('<');
                }
                if c.plus {
                    spec.push('+');
                } else if c.space {
                    spec.push(' ');
                }
                if c.alt {
                    spec.push('#');
                }
                if c.zero && !c.left {
                    spec.push('0');
                }
                if c.width >= 0 {
                    let _ = write!(spec, "{}", c.width);
                }
                let _ = write!(spec, ".{}{conv}", if c.prec >= 0 { c.prec } else { 6 });
                let sp: Vec<u32> = spec.chars().map(|ch| ch as u32).collect();
                let f = rformat::parse(&sp, 0, b'>', "float")?;
                let text = rformat::format_float(x, &f)?;
                if out.len() as i64 + text.len() as i64 > MAX_RESULT {
                    return Err(Fail::Memory);
                }
                out.extend_from_slice(&text);
                Ok(())
            }
            'c' => {
                let cp = match (int_of(arg), arg) {
                    (Some(n), _) => {
                        if !(0..0x11_0000).contains(&n) {
                            return fail(BuiltinExc::OverflowError, "%c arg not in range(0x110000)");
                        }
                        n as u32
                    }
                    (None, Arg::Value(PctValue::Str(text))) => {
                        let mut cps = utf8::code_points(text);
                        match (cps.next(), cps.next()) {
                            (Some(cp), None) => cp,
                            _ => return fail(BuiltinExc::TypeError, "%c requires int or char"),
                        }
                    }
                    _ => return fail(BuiltinExc::TypeError, "%c requires int or char"),
                };
                let (buf, len) = utf8::encode(cp);
                pad(out, &buf[..len], c)
            }
            _ => {
                let shown = if (31..=126).contains(&ch) { char::from_u32(ch).unwrap_or('?') } else { '?' };
                fail(BuiltinExc::ValueError, format!("unsupported format character '{shown}' (0x{ch:x}) at index {index}"))
            }
        }
    }
}

/// Reads a run of decimal digits at `pos` as a width or precision.
fn read_number(fmt: &[u32], pos: &mut usize, what: &str) -> Result<i64> {
    let mut n: i64 = 0;
    while let Some(d) = fmt.get(*pos).and_then(|c| char::from_u32(*c)).and_then(|c| c.to_digit(10)) {
        if n >= (isize::MAX as i64 - d as i64) / 10 {
            return fail(BuiltinExc::ValueError, format!("{what} too big"));
        }
        n = n * 10 + d as i64;
        *pos += 1;
    }
    Ok(n)
}

/// The state CPython keeps for the arguments: the arguments left (the mapping, the value
/// of the last key, or a tuple's items) and how many conversions took one.
struct Args<'a> {
    items: Vec<Arg<'a>>,
    next: usize,
}

impl<'a> Args<'a> {
    fn one(a: Arg<'a>) -> Args<'a> {
        Args { items: vec![a], next: 0 }
    }

    /// `unicode_format_getnextarg`: the next argument.
    fn next(&mut self) -> Result<Arg<'a>> {
        let Some(&a) = self.items.get(self.next) else {
            return fail(BuiltinExc::TypeError, "not enough arguments for format string");
        };
        self.next += 1;
        Ok(a)
    }

    /// A `*` width or precision: the next argument, which must be an int.
    fn star(&mut self) -> Result<i64> {
        let a = self.next()?;
        match int_of(a) {
            Some(n) if (i64::MIN as i128..=i64::MAX as i128).contains(&n) => Ok(n as i64),
            _ => fail(BuiltinExc::TypeError, "* wants int"),
        }
    }
}

/// The right operand of `%`.
#[derive(Clone, Copy)]
enum Operand<'a> {
    /// A mapping: `%(key)` looks keys up in it, a positional conversion formats it.
    Mapping(&'a Record),
    /// A tuple's items (or a single value that is not a mapping, as a 1-tuple).
    Tuple(&'a [PctValue]),
    /// A single value that CPython takes for a mapping though its keys are not str (a
    /// list, bytes): positional conversions format it, `%(key)` raises
    /// `TypeError(msg)` (indexing it with a str), and it is no error when no
    /// conversion takes it.
    Subscriptable { item: &'a PctValue, msg: &'a str },
}

/// `fmt % mapping`, the whole format.
fn format_mapping(fmt: &[u32], rec: &Record) -> Result<Vec<u8>> {
    format_percent(fmt, Operand::Mapping(rec))
}

/// `fmt % operand`, the whole format.
fn format_percent(fmt: &[u32], operand: Operand<'_>) -> Result<Vec<u8>> {
    let empty = Record { entries: Vec::new() };
    let (rec, mut args) = match operand {
        Operand::Mapping(rec) => (rec, Args::one(Arg::Mapping)),
        Operand::Tuple(items) => (&empty, Args { items: items.iter().map(Arg::Value).collect(), next: 0 }),
        Operand::Subscriptable { item, .. } => (&empty, Args::one(Arg::Value(item))),
    };
    let mapping = !matches!(operand, Operand::Tuple(_));
    let mut out = Vec::new();
    let mut i = 0;
    while i < fmt.len() {
        let ch = fmt[i];
        i += 1;
        if ch != '%' as u32 {
            let (buf, len) = utf8::encode(ch);
            out.extend_from_slice(&buf[..len]);
            continue;
        }
        if fmt.get(i) == Some(&('%' as u32)) {
            out.push(b'%');
            i += 1;
            continue;
        }
        if fmt.get(i) == Some(&('(' as u32)) {
            if !mapping {
                return fail(BuiltinExc::TypeError, "format requires a mapping");
            }
            i += 1;
            let start = i;
            let mut depth = 1;
            while depth > 0 && i < fmt.len() {
                if fmt[i] == '(' as u32 {
                    depth += 1;
                } else if fmt[i] == ')' as u32 {
                    depth -= 1;
                }
                i += 1;
            }
            if depth > 0 {
                return fail(BuiltinExc::ValueError, "incomplete format key");
            }
            let mut key = Vec::new();
            for &cp in &fmt[start..i - 1] {
                let (buf, len) = utf8::encode(cp);
                key.extend_from_slice(&buf[..len]);
            }
            if let Operand::Subscriptable { msg, .. } = operand {
                return fail(BuiltinExc::TypeError, msg);
            }
            match rec.get(&key) {
                Some(v) => args = Args::one(Arg::Value(v)),
                None => return fail(BuiltinExc::KeyError, python_str_repr(&key)),
            }
        }
        let mut c = Conv { width: -1, prec: -1, ..Conv::default() };
        while let Some(f) = fmt.get(i).and_then(|x| char::from_u32(*x)) {
            match f {
                '-' => c.left = true,
                '+' => c.plus = true,
                ' ' => c.space = true,
                '#' => c.alt = true,
                '0' => c.zero = true,
                _ => break,
            }
            i += 1;
        }
        if fmt.get(i) == Some(&('*' as u32)) {
            i += 1;
            let w = args.star()?;
            if w < 0 {
                c.left = true;
            }
            c.width = w.unsigned_abs().min(i64::MAX as u64) as i64;
        } else if fmt.get(i).is_some_and(|x| (b'0' as u32..=b'9' as u32).contains(x)) {
            c.width = read_number(fmt, &mut i, "width")?;
        }
        if fmt.get(i) == Some(&('.' as u32)) {
            i += 1;
            if fmt.get(i) == Some(&('*' as u32)) {
                i += 1;
                c.prec = args.star()?.max(0);
            } else {
                c.prec = read_number(fmt, &mut i, "precision")?;
            }
        }
        while fmt.get(i).is_some_and(|x| matches!(char::from_u32(*x), Some('h' | 'l' | 'L'))) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            return fail(BuiltinExc::ValueError, "incomplete format");
        };
        i += 1;
        let arg = args.next()?;
        convert(&mut out, rec, arg, conv, &c, i - 1)?;
    }
    if !mapping && args.next < args.items.len() {
        return fail(BuiltinExc::TypeError, "not all arguments converted during string formatting");
    }
    Ok(out)
}

/// The mapping's entries: a record's fields 2k (a str key) and 2k+1 (its value), or a
/// dict's live entries.
///
/// # Safety
/// `rec` is a live tuple that `d` describes, its even fields non-null strs, or a live
/// dict (`d` a dict desc).
unsafe fn read_record(rec: u64, d: &TypeDesc) -> Record {
    let mut entries = Vec::new();
    // SAFETY (whole body): per this function's contract; a None-kind field holds nothing
    // to read.
    unsafe {
        if d.kind == kind::DICT {
            if rec == 0 {
                return Record { entries };
            }
            let (kd, vd) = rdict::key_value_descs(rec as *const RDict);
            for e in rdict::live_entries(rec as *const RDict) {
                let key = match value_of(e.key, kd) {
                    PctValue::Str(k) => PctKey::Str(k),
                    other => PctKey::Other { repr: repr_of(&other) },
                };
                entries.push((key, value_of(e.value, vd)));
            }
            return Record { entries };
        }
        let n = d.nfields.max(0) as usize;
        let mut k = 0;
        while k + 1 < n {
            let (Some((kf, kd)), Some((vf, vd))) = (rdesc::field(d, k), rdesc::field(d, k + 1)) else { break };
            let key = rstr::bytes(rdesc::read_field(rec, kf, kd) as *const RStr).to_vec();
            let word = if vd.kind == kind::NONE { 0 } else { rdesc::read_field(rec, vf, vd) };
            entries.push((PctKey::Str(key), value_of(word, vd)));
            k += 2;
        }
    }
    Record { entries }
}

/// `fmt % {k0: v0, k1: v1, ...}`: `rec` is the record `(k0, v0, k1, v1, ...)` that `d`
/// describes, or a dict (`d` its desc). Raises KeyError, ValueError, TypeError or
/// OverflowError as CPython does (null returned).
///
/// # Safety
/// `fmt` is a valid string (not null), `d` a valid tuple desc and `rec` a live tuple it
/// describes, with str keys in its even fields, or `d` a dict desc and `rec` a live dict
/// it describes.
#[no_mangle]
pub unsafe extern "C" fn kiln_percent_mapping(fmt: *const RStr, rec: i64, d: *const TypeDesc) -> *mut RStr {
    // SAFETY: per this function's contract. Everything is read before the one allocation.
    unsafe {
        let d = rdesc::desc(d);
        let record = read_record(rec as u64, d);
        let fmt: Vec<u32> = utf8::code_points(rstr::bytes(fmt)).collect();
        finish(format_mapping(&fmt, &record))
    }
}

/// `fmt % (v0, v1, ...)`: `tup` is a tuple that `d` describes, whose fields are the
/// values. Raises ValueError, TypeError or OverflowError as CPython does (null returned).
///
/// # Safety
/// `fmt` is a valid string (not null), `d` a valid tuple desc and `tup` a live tuple it
/// describes.
#[no_mangle]
pub unsafe extern "C" fn kiln_percent_tuple(fmt: *const RStr, tup: i64, d: *const TypeDesc) -> *mut RStr {
    // SAFETY: per this function's contract. Everything is read before the one allocation.
    unsafe {
        let d = rdesc::desc(d);
        let mut items = Vec::new();
        for k in 0..d.nfields.max(0) as usize {
            let Some((f, fd)) = rdesc::field(d, k) else { break };
            let word = if fd.kind == kind::NONE { 0 } else { rdesc::read_field(tup as u64, f, fd) };
            items.push(value_of(word, fd));
        }
        let fmt: Vec<u32> = utf8::code_points(rstr::bytes(fmt)).collect();
        finish(format_percent(&fmt, Operand::Tuple(&items)))
    }
}

/// The formatted string, or the exception raised (null returned).
fn finish(r: Result<Vec<u8>>) -> *mut RStr {
    match r {
        Ok(text) => rstr::alloc_str(&text),
        Err(Fail::Raise(e, m)) => {
            exc::raise(e, &m);
            core::ptr::null_mut()
        }
        Err(Fail::Memory) => {
            exc::raise_memory_error();
            core::ptr::null_mut()
        }
    }
}

/// `fmt % (v0, v1, ...)` on the frontend's values, for import-time evaluation: the same
/// code the translated program runs. A single value that is not a tuple is passed as a
/// 1-tuple; `subscript_error` is, for a value CPython treats as a mapping (a list, bytes:
/// unused arguments are then no error), the `TypeError` message of `%(key)` on it, and
/// None otherwise. Errors are (exception class name, message).
pub fn percent_tuple_host(fmt: &str, items: Vec<PctValue>, subscript_error: Option<String>) -> core::result::Result<String, (&'static str, String)> {
    let f: Vec<u32> = fmt.chars().map(|c| c as u32).collect();
    host_result(match (&subscript_error, items.first()) {
        (Some(msg), Some(item)) if items.len() == 1 => format_percent(&f, Operand::Subscriptable { item, msg }),
        _ => format_percent(&f, Operand::Tuple(&items)),
    })
}

/// `fmt % mapping` on the frontend's values, for import-time evaluation: the same code
/// the translated program runs. Errors are (exception class name, message).
pub fn percent_mapping_host(fmt: &str, entries: Vec<(PctKey, PctValue)>) -> core::result::Result<String, (&'static str, String)> {
    let f: Vec<u32> = fmt.chars().map(|c| c as u32).collect();
    host_result(format_mapping(&f, &Record { entries }))
}

/// The import-time form of a result: the text, or (exception class name, message).
fn host_result(r: Result<Vec<u8>>) -> core::result::Result<String, (&'static str, String)> {
    match r {
        Ok(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
        Err(Fail::Raise(e, m)) => Err((e.name(), m)),
        Err(Fail::Memory) => Err(("MemoryError", String::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(fmt: &str, entries: Vec<(&[u8], PctValue)>) -> core::result::Result<String, (BuiltinExc, String)> {
        let rec = Record { entries: entries.into_iter().map(|(k, v)| (PctKey::Str(k.to_vec()), v)).collect() };
        let f: Vec<u32> = fmt.chars().map(|c| c as u32).collect();
        match format_mapping(&f, &rec) {
            Ok(b) => Ok(String::from_utf8(b).unwrap()),
            Err(Fail::Raise(e, m)) => Err((e, m)),
            Err(Fail::Memory) => Err((BuiltinExc::MemoryError, String::new())),
        }
    }

    fn int(n: i64) -> PctValue {
        PctValue::Int(n)
    }

    fn float(x: f64) -> PctValue {
        PctValue::Float(x)
    }

    #[test]
    fn conversions_match_cpython() {
        let a = |v| vec![(&b"a"[..], v)];
        assert_eq!(run("%(a)#x %(a)#o %(a)#X %(a).5d %(a)+08.3d %(a)-6d|", a(int(-255))).unwrap(), "-0xff -0o377 -0XFF -00255 -0000255 -255  |");
        assert_eq!(run("%(a)e %(a)G %(a)#.0f %(a).0e %(a)g", a(float(12345.678))).unwrap(), "1.234568e+04 12345.7 12346. 1e+04 12345.7");
        assert_eq!(run("%(a)s %(a)r %(a)d %(a)f %(a)x", a(PctValue::Bool(true))).unwrap(), "True True 1 1.000000 1");
        assert_eq!(run("%(a)s|%(a)5s|%(a)-5r|", a(PctValue::None)).unwrap(), "None| None|None |");
        assert_eq!(run("%(a)c|%(a)3c|%(a)a", a(PctValue::Str("é".as_bytes().to_vec()))).unwrap(), "é|  é|'\\xe9'");
        assert_eq!(run("%(a)d", a(float(1e30))).unwrap(), "1000000000000000019884624838656");
        assert_eq!(run("%(a)i %(a)u", a(float(-3.9))).unwrap(), "-3 -3");
        assert_eq!(run("%(a)010.3f|%(a)-10.3e|%(a)+.2g", a(float(-0.0))).unwrap(), "-00000.000|-0.000e+00|-0");
        assert_eq!(run("%(a)ld%%%(a)hd", a(int(3))).unwrap(), "3%3");
        assert_eq!(run("%((a))s", vec![(&b"(a)"[..], int(2))]).unwrap(), "2");
        assert_eq!(run("%(a)s %(b)s", vec![(&b"a"[..], int(1)), (&b"b"[..], int(2)), (&b"a"[..], int(3))]).unwrap(), "3 2");
        assert_eq!(run("%s|%r", vec![(&b"a"[..], int(1)), (&b"b"[..], float(1.5)), (&b"a"[..], PctValue::None)]).unwrap_err().1, "not enough arguments for format string");
        assert_eq!(run("%s", vec![(&b"a"[..], int(1)), (&b"b"[..], float(1.5)), (&b"a"[..], PctValue::None)]).unwrap(), "{'a': None, 'b': 1.5}");
    }

    #[test]
    fn errors_match_cpython() {
        let a = |v| vec![(&b"a"[..], v)];
        let err = |f: &str, v| run(f, a(v)).unwrap_err();
        assert_eq!(err("%(b)s", int(1)), (BuiltinExc::KeyError, "'b'".into()));
        assert_eq!(err("%(a", int(1)), (BuiltinExc::ValueError, "incomplete format key".into()));
        assert_eq!(err("%(a)", int(1)), (BuiltinExc::ValueError, "incomplete format".into()));
        assert_eq!(err("%(a)s %", int(1)), (BuiltinExc::ValueError, "incomplete format".into()));
        assert_eq!(err("%(a)y", int(1)), (BuiltinExc::ValueError, "unsupported format character 'y' (0x79) at index 4".into()));
        assert_eq!(err("%(a)%", int(1)), (BuiltinExc::ValueError, "unsupported format character '%' (0x25) at index 4".into()));
        assert_eq!(err("%\u{4e2d}", int(1)), (BuiltinExc::ValueError, "unsupported format character '?' (0x4e2d) at index 1".into()));
        assert_eq!(err("%(a)s %s", int(1)), (BuiltinExc::TypeError, "not enough arguments for format string".into()));
        assert_eq!(err("%(a)*d", int(1)), (BuiltinExc::TypeError, "not enough arguments for format string".into()));
        assert_eq!(err("%*s", int(1)), (BuiltinExc::TypeError, "* wants int".into()));
        assert_eq!(err("%d", int(1)), (BuiltinExc::TypeError, "%d format: a real number is required, not dict".into()));
        assert_eq!(err("%(a)x", float(1.5)), (BuiltinExc::TypeError, "%x format: an integer is required, not float".into()));
        assert_eq!(err("%(a)f", PctValue::None), (BuiltinExc::TypeError, "must be real number, not NoneType".into()));
        assert_eq!(err("%(a)d", float(f64::INFINITY)), (BuiltinExc::OverflowError, "cannot convert float infinity to integer".into()));
        assert_eq!(err("%(a)d", float(f64::NAN)), (BuiltinExc::ValueError, "cannot convert float NaN to integer".into()));
        assert_eq!(err("%(a)c", int(0x110000)), (BuiltinExc::OverflowError, "%c arg not in range(0x110000)".into()));
        assert_eq!(err("%(a)c", float(1.0)), (BuiltinExc::TypeError, "%c requires int or char".into()));
        assert_eq!(err("%999999999999999999999d", int(1)), (BuiltinExc::ValueError, "width too big".into()));
        assert_eq!(err("%.99999999999999999999d", int(1)), (BuiltinExc::ValueError, "precision too big".into()));
        assert_eq!(err("%(a)999999999999d", int(1)), (BuiltinExc::MemoryError, String::new()));
        assert_eq!(run("abc", vec![]).unwrap(), "abc");
        let list = PctValue::Other { str: b"[1]".to_vec(), repr: b"[1]".to_vec(), type_name: "list".into() };
        assert_eq!(run("%(a)s %(a)r", a(list.clone())).unwrap(), "[1] [1]");
        assert_eq!(err("%(a)d", list), (BuiltinExc::TypeError, "%d format: a real number is required, not list".into()));
        let keyed = vec![(PctKey::Other { repr: b"1".to_vec() }, int(2)), (PctKey::Str(b"1".to_vec()), int(3))];
        assert_eq!(percent_mapping_host("%s %(1)s", keyed.clone()).unwrap(), "{1: 2, '1': 3} 3");
        assert_eq!(percent_mapping_host("%(2)s", keyed).unwrap_err(), ("KeyError", "'2'".into()));
    }

    fn tup(fmt: &str, items: Vec<PctValue>) -> core::result::Result<String, (&'static str, String)> {
        percent_tuple_host(fmt, items, None)
    }

    fn s(x: &str) -> PctValue {
        PctValue::Str(x.as_bytes().to_vec())
    }

    #[test]
    fn tuples_match_cpython() {
        assert_eq!(tup("%d-%s|%5.2f|%-4r|%x", vec![int(-3), s("x"), float(3.14159), s("q"), int(255)]).unwrap(), "-3-x| 3.14|'q' |ff");
        assert_eq!(tup("%*d|%-*d|%.*f", vec![int(3), int(4), int(-5), int(3), int(2), float(3.14159)]).unwrap(), "  4|3    |3.14");
        assert_eq!(tup("abc", vec![]).unwrap(), "abc");
        assert_eq!(tup("%s", vec![PctValue::None]).unwrap(), "None");
        assert_eq!(tup("%d %y", vec![int(1), int(2)]).unwrap_err(), ("ValueError", "unsupported format character 'y' (0x79) at index 4".into()));
        assert_eq!(tup("%s %s", vec![int(1)]).unwrap_err(), ("TypeError", "not enough arguments for format string".into()));
        assert_eq!(tup("%y", vec![]).unwrap_err(), ("TypeError", "not enough arguments for format string".into()));
        assert_eq!(tup("%s", vec![int(1), int(2)]).unwrap_err(), ("TypeError", "not all arguments converted during string formatting".into()));
        assert_eq!(tup("abc", vec![int(5)]).unwrap_err(), ("TypeError", "not all arguments converted during string formatting".into()));
        assert_eq!(tup("%d", vec![s("x")]).unwrap_err(), ("TypeError", "%d format: a real number is required, not str".into()));
        assert_eq!(tup("%(a)s", vec![int(1)]).unwrap_err(), ("TypeError", "format requires a mapping".into()));
        assert_eq!(tup("%(a", vec![int(1)]).unwrap_err(), ("TypeError", "format requires a mapping".into()));
        assert_eq!(tup("%*d", vec![s("x"), int(4)]).unwrap_err(), ("TypeError", "* wants int".into()));
        assert_eq!(tup("%c", vec![s("ab")]).unwrap_err(), ("TypeError", "%c requires int or char".into()));
        assert_eq!(tup("abc %", vec![]).unwrap_err(), ("ValueError", "incomplete format".into()));
        let list = PctValue::Other { str: b"[1]".to_vec(), repr: b"[1]".to_vec(), type_name: "list".into() };
        let sub = |f: &str| percent_tuple_host(f, vec![list.clone()], Some("list indices must be integers or slices, not str".into()));
        assert_eq!(sub("abc").unwrap(), "abc");
        assert_eq!(sub("%s|%r").unwrap_err(), ("TypeError", "not enough arguments for format string".into()));
        assert_eq!(sub("%s").unwrap(), "[1]");
        assert_eq!(sub("%(a)s").unwrap_err(), ("TypeError", "list indices must be integers or slices, not str".into()));
        assert_eq!(sub("%(a").unwrap_err(), ("ValueError", "incomplete format key".into()));
    }
}
