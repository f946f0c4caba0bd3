//! Values described by a `kiln_abi::TypeDesc`: `repr`, `hash`, `==` and ordering with
//! CPython's results, for any value the generated code hands over as an 8-byte word.
//!
//! A word is an int's bits, a float's bits, 0/1 for a bool, a code point for a char, or an
//! object's address for the reference kinds (str, tuple, list, dict, instance), where 0 is
//! None. Tuple fields are read at their `FieldDesc` offset with their stored width; list
//! items and dict keys and values are whole words.
//!
//! Nothing here allocates GC objects, except the exported `kiln_repr` (one string at the
//! end), the raising paths, and comparing dicts, which may build a dict's table without
//! collecting (see `rdict`): results are built in Rust memory first, and comparison
//! errors are returned as data ([`CmpError`]) so that callers such as the list sort can
//! put their items back before anything that may collect runs.
//!
//! Deviations from CPython that the word model forces: CPython compares container items
//! by identity first, and here the identity of a float item is its bits, so a NaN item
//! equals an item with the same bits (CPython: only the same NaN object); `hash(nan)` is
//! 0 (CPython 3.11 hashes the object's address); the three-way [`kiln_cmp`] reports
//! "unordered" (a NaN decided the comparison) as 0, and its TypeError always names `<`,
//! as it does not know which operator the program used. Instances hash by address
//! under non-moving collectors only (see `hash_instance`).

use core::cmp::Ordering;
use std::fmt::Write as _;

use kiln_abi::{kind, BuiltinExc, FieldDesc, RObject, RStr, TypeDesc, GCFLAG_PREBUILT};

use crate::exc;
use crate::format::{format_float_repr, python_str_repr};
use crate::gc;
use crate::rdict;
use crate::rlistops;
use crate::rstr;
use crate::rstrmeth;
use crate::utf8;

/// The TypeDesc a generic helper was given. A null pointer (never passed by a correct
/// program) reads as a plain int, so that nothing is dereferenced.
///
/// # Safety
/// `d` is null or a valid TypeDesc that lives for the whole run.
pub(crate) unsafe fn desc<'a>(d: *const TypeDesc) -> &'a TypeDesc {
    static INT: TypeDesc = TypeDesc { kind: kind::INT, nfields: 0, fields: core::ptr::null(), nullable: 0 };
    unsafe { d.as_ref().unwrap_or(&INT) }
}

/// Field `i` of a composite desc and the desc of its values; `None` when the desc has no
/// such field.
pub(crate) fn field(d: &TypeDesc, i: usize) -> Option<(&FieldDesc, &TypeDesc)> {
    if d.fields.is_null() || i as i64 >= d.nfields {
        return None;
    }
    // SAFETY: `fields` holds `nfields` entries, each with a valid desc (or null).
    unsafe {
        let f = &*d.fields.add(i);
        Some((f, desc(f.desc)))
    }
}

/// Whether words of this kind are GC references (so they must be rooted across
/// allocations and stored with a write barrier).
pub(crate) fn is_ref_kind(k: i64) -> bool {
    matches!(k, kind::STR | kind::TUPLE | kind::LIST | kind::DICT | kind::INSTANCE)
}

/// Whether the word is None: a null reference, or any value of the NONE kind.
fn is_none(word: u64, d: &TypeDesc) -> bool {
    d.kind == kind::NONE || (is_ref_kind(d.kind) && word == 0)
}

/// Reads a tuple field of the object at `obj` as a word.
///
/// # Safety
/// `obj` is the address of a live tuple whose layout `f` describes.
pub(crate) unsafe fn read_field(obj: u64, f: &FieldDesc, d: &TypeDesc) -> u64 {
    if obj == 0 {
        return 0;
    }
    // SAFETY: per this function's contract.
    unsafe {
        let p = (obj as *const u8).add(f.offset.max(0) as usize);
        match f.width {
            1 => *p as u64,
            2 => (p as *const u16).read_unaligned() as u64,
            // An int stored in fewer than 8 bytes is signed.
            4 if d.kind == kind::INT => (p as *const i32).read_unaligned() as i64 as u64,
            4 => (p as *const u32).read_unaligned() as u64,
            _ => (p as *const u64).read_unaligned(),
        }
    }
}

/// The fields of a tuple as (word, desc) pairs.
///
/// # Safety
/// `obj` is a live tuple that `d` describes.
unsafe fn tuple_fields(obj: u64, d: &TypeDesc) -> impl Iterator<Item = (u64, &TypeDesc)> {
    (0..d.nfields.max(0) as usize).filter_map(move |i| {
        let (f, fd) = field(d, i)?;
        // SAFETY: per this function's contract.
        Some((unsafe { read_field(obj, f, fd) }, fd))
    })
}

/// The class name of an instance, from its vtable.
///
/// # Safety
/// `obj` is null or a live instance.
unsafe fn class_name(obj: u64) -> String {
    if obj == 0 {
        return "NoneType".into();
    }
    // SAFETY: an instance starts with its class pointer; a vtable's name is a string.
    unsafe {
        let vt = (*(obj as *const RObject)).typeptr;
        if vt.is_null() || (*vt).name.is_null() {
            return "object".into();
        }
        String::from_utf8_lossy(rstr::bytes((*vt).name)).into_owned()
    }
}

/// The name of the value's Python type, as error messages print it.
///
/// # Safety
/// `word` is a valid value of `d`.
pub(crate) unsafe fn type_name(word: u64, d: &TypeDesc) -> String {
    if is_none(word, d) {
        return "NoneType".into();
    }
    match d.kind {
        kind::INT => "int".into(),
        kind::UINT => "r_uint".into(),
        kind::FLOAT => "float".into(),
        kind::BOOL => "bool".into(),
        kind::CHAR | kind::STR => "str".into(),
        kind::TUPLE => "tuple".into(),
        kind::LIST => "list".into(),
        kind::DICT => "dict".into(),
        // SAFETY: a non-null instance word.
        kind::INSTANCE => unsafe { class_name(word) },
        _ => "object".into(),
    }
}

// ---------------------------------------------------------------------------------------
// repr

/// `repr(v)` appended to `out`. `active` holds the lists and dicts being printed, so that a
/// container reached again inside itself prints as `[...]` / `{...}`, as in CPython.
///
/// # Safety
/// `word` is a valid value of `d`.
pub(crate) unsafe fn repr_into(out: &mut Vec<u8>, word: u64, d: &TypeDesc, active: &mut Vec<u64>) {
    if is_none(word, d) {
        out.extend_from_slice(b"None");
        return;
    }
    // SAFETY (whole body): the word is a valid value of its desc, so references point to
    // live objects of the described layout.
    unsafe {
        match d.kind {
            kind::INT => {
                let _ = write!(Fmt(out), "{}", word as i64);
            }
            kind::UINT => {
                let _ = write!(Fmt(out), "r_uint({word})");
            }
            kind::FLOAT => out.extend_from_slice(format_float_repr(f64::from_bits(word)).as_bytes()),
            kind::BOOL => out.extend_from_slice(if word != 0 { b"True" } else { b"False" }),
            kind::CHAR => {
                let (buf, len) = utf8::encode(word as u32);
                out.extend_from_slice(python_str_repr(&buf[..len]).as_bytes());
            }
            kind::STR => out.extend_from_slice(python_str_repr(rstr::bytes(word as *const RStr)).as_bytes()),
            kind::TUPLE => {
                out.push(b'(');
                let mut n = 0;
                for (i, (w, fd)) in tuple_fields(word, d).enumerate() {
                    if i > 0 {
                        out.extend_from_slice(b", ");
                    }
                    repr_into(out, w, fd, active);
                    n += 1;
                }
                if n == 1 {
                    out.push(b',');
                }
                out.push(b')');
            }
            kind::LIST => {
                if active.contains(&word) {
                    out.extend_from_slice(b"[...]");
                    return;
                }
                active.push(word);
                let item = field(d, 0).map(|(_, fd)| fd);
                out.push(b'[');
                for (i, w) in rlistops::items(word as *const _).iter().enumerate() {
                    if i > 0 {
                        out.extend_from_slice(b", ");
                    }
                    match item {
                        Some(fd) => repr_into(out, *w, fd, active),
                        None => out.extend_from_slice(b"?"),
                    }
                }
                out.push(b']');
                active.pop();
            }
            kind::DICT => {
                if active.contains(&word) {
                    out.extend_from_slice(b"{...}");
                    return;
                }
                active.push(word);
                let (kd, vd) = rdict::key_value_descs(word as *const _);
                out.push(b'{');
                for (i, e) in rdict::live_entries(word as *const _).enumerate() {
                    if i > 0 {
                        out.extend_from_slice(b", ");
                    }
                    repr_into(out, e.key, kd, active);
                    out.extend_from_slice(b": ");
                    repr_into(out, e.value, vd, active);
                }
                out.push(b'}');
                active.pop();
            }
            kind::INSTANCE => {
                let _ = write!(Fmt(out), "<{} object>", class_name(word));
            }
            _ => out.extend_from_slice(b"None"),
        }
    }
}

/// `repr(v)` as Rust bytes (generalised UTF-8).
///
/// # Safety
/// `word` is a valid value of `d`.
pub(crate) unsafe fn repr_bytes(word: u64, d: &TypeDesc) -> Vec<u8> {
    let mut out = Vec::new();
    // SAFETY: per this function's contract.
    unsafe { repr_into(&mut out, word, d, &mut Vec::new()) };
    out
}

/// Lets `write!` append to a byte vector.
struct Fmt<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Fmt<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// `repr(v)`. Null with MemoryError set when out of memory.
///
/// # Safety
/// `d` is a valid TypeDesc and `word` a valid value of it.
#[no_mangle]
pub unsafe extern "C" fn kiln_repr(word: i64, d: *const TypeDesc) -> *mut RStr {
    // SAFETY: per this function's contract. The text is complete before the allocation,
    // so nothing is read from objects that may have moved.
    let text = unsafe { repr_bytes(word as u64, desc(d)) };
    rstr::alloc_str(&text)
}

// ---------------------------------------------------------------------------------------
// hash

/// CPython's modulus for numeric hashes, 2**61 - 1.
const HASH_MODULUS: u64 = (1 << 61) - 1;
const HASH_BITS: u32 = 61;
/// `hash(float('inf'))`.
const HASH_INF: i64 = 314_159;
/// The hash of None: CPython hashes None's address, so any constant will do.
const HASH_NONE: i64 = 0x5F3D_9A71;

/// CPython's hash of an int.
pub(crate) fn hash_int(n: i64) -> i64 {
    if (0..HASH_MODULUS as i64).contains(&n) {
        return n; // the common case, without a division
    }
    let m = (n.unsigned_abs() % HASH_MODULUS) as i64;
    let h = if n < 0 { -m } else { m };
    if h == -1 {
        -2
    } else {
        h
    }
}

/// CPython's hash of an unsigned word (an `r_uint`, hashed by value).
fn hash_uint(n: u64) -> i64 {
    (n % HASH_MODULUS) as i64
}

/// CPython's `_Py_HashDouble`, except that NaN hashes to 0 (see the module doc).
pub(crate) fn hash_float(v: f64) -> i64 {
    if v.is_nan() {
        return 0;
    }
    if v.is_infinite() {
        return if v > 0.0 { HASH_INF } else { -HASH_INF };
    }
    let (mut m, mut e) = frexp(v);
    let mut sign = 1i64;
    if m < 0.0 {
        sign = -1;
        m = -m;
    }
    // Process 28 bits at a time; each step multiplies by 2**28 modulo the prime, which
    // on 61-bit residues is a rotation.
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & HASH_MODULUS) | (x >> (HASH_BITS - 28));
        m *= 268_435_456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= HASH_MODULUS {
            x -= HASH_MODULUS;
        }
    }
    let e = if e >= 0 { e % HASH_BITS as i32 } else { HASH_BITS as i32 - 1 - ((-1 - e) % HASH_BITS as i32) };
    x = ((x << e) & HASH_MODULUS) | (x >> (HASH_BITS as i32 - e));
    let h = x as i64 * sign;
    if h == -1 {
        -2
    } else {
        h
    }
}

/// C's `frexp` for finite non-zero or zero `v`: `v = m * 2**e` with `0.5 <= |m| < 1`.
fn frexp(v: f64) -> (f64, i32) {
    if v == 0.0 {
        return (v, 0);
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7FF) as i32;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp(v * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7FF << 52)) | (1022 << 52));
    (m, exp - 1022)
}

/// An address-based hash as CPython's `_Py_HashPointer` computes it.
fn hash_pointer(p: u64) -> i64 {
    let h = p.rotate_right(4) as i64;
    if h == -1 {
        -2
    } else {
        h
    }
}

/// Whether the program's collector may move objects. Unknown collectors count as moving.
fn collector_moves() -> bool {
    !matches!(gc::active_name(), "none" | "marksweep")
}

/// `hash(obj)` for an instance. CPython hashes the address; a moving collector changes
/// addresses, and objects have no room for a remembered hash, so under such a collector
/// only prebuilt instances (which never move) hash by address and the others share their
/// class's hash: always consistent with identity, at the price of collisions among
/// instances of one class used as dict keys.
///
/// # Safety
/// `obj` is a live instance (non-null).
unsafe fn hash_instance(obj: u64) -> i64 {
    // SAFETY: a live object starts with its header, and an instance then its class.
    unsafe {
        let hdr = &*(obj as *const kiln_abi::GcHeader);
        if hdr.flags & GCFLAG_PREBUILT != 0 || !collector_moves() {
            hash_pointer(obj)
        } else {
            hash_pointer((*(obj as *const RObject)).typeptr as u64)
        }
    }
}

/// CPython 3.11's tuple hash (xxHash-based) over the item hashes.
fn hash_tuple(items: impl Iterator<Item = i64>) -> i64 {
    const P1: u64 = 11400714785074694791;
    const P2: u64 = 14029467366897019727;
    const P5: u64 = 2870177450012600261;
    let mut acc = P5;
    let mut len = 0u64;
    for lane in items {
        acc = acc.wrapping_add((lane as u64).wrapping_mul(P2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(P1);
        len += 1;
    }
    acc = acc.wrapping_add(len ^ (P5 ^ 3527539));
    if acc == u64::MAX {
        1546275796
    } else {
        acc as i64
    }
}

/// `hash(v)`. Lists and dicts are unhashable; a correct program never hashes them, and
/// they hash to 0.
///
/// # Safety
/// `word` is a valid value of `d`.
pub(crate) unsafe fn hash_word(word: u64, d: &TypeDesc) -> i64 {
    if is_none(word, d) {
        return HASH_NONE;
    }
    // SAFETY: per this function's contract.
    unsafe {
        match d.kind {
            kind::INT => hash_int(word as i64),
            kind::UINT => hash_uint(word),
            kind::FLOAT => hash_float(f64::from_bits(word)),
            kind::BOOL => (word != 0) as i64,
            kind::CHAR => {
                let (buf, len) = utf8::encode(word as u32);
                rstrmeth::hash_bytes(&buf[..len])
            }
            kind::STR => rstrmeth::kiln_str_hash(word as *mut RStr),
            kind::TUPLE => hash_tuple(tuple_fields(word, d).map(|(w, fd)| hash_word(w, fd))),
            kind::INSTANCE => hash_instance(word),
            _ => 0,
        }
    }
}

/// `hash(v)`.
///
/// # Safety
/// `d` is a valid TypeDesc and `word` a valid value of it.
#[no_mangle]
pub unsafe extern "C" fn kiln_hash(word: i64, d: *const TypeDesc) -> i64 {
    // SAFETY: per this function's contract.
    unsafe { hash_word(word as u64, desc(d)) }
}

/// `compute_hash(v)` (RPython's `objectmodel.compute_hash`): `hash(v)`, but 0 for None.
///
/// # Safety
/// `d` is a valid TypeDesc and `word` a valid value of it.
#[no_mangle]
pub unsafe extern "C" fn kiln_compute_hash(word: i64, d: *const TypeDesc) -> i64 {
    // SAFETY: per this function's contract.
    let d = unsafe { desc(d) };
    if is_none(word as u64, d) {
        return 0;
    }
    // SAFETY: per this function's contract.
    unsafe { hash_word(word as u64, d) }
}

// ---------------------------------------------------------------------------------------
// equality and ordering

/// `a == b`.
///
/// # Safety
/// `a` and `b` are valid values of `d`.
pub(crate) unsafe fn eq_words(a: u64, b: u64, d: &TypeDesc) -> bool {
    if d.kind == kind::NONE {
        return true;
    }
    if is_ref_kind(d.kind) {
        // Identity implies equality for every reference kind: CPython's container
        // comparisons check identity item by item, so a container equals itself.
        if a == b {
            return true;
        }
        if a == 0 || b == 0 {
            return false;
        }
    }
    // SAFETY: per this function's contract.
    unsafe {
        match d.kind {
            kind::FLOAT => f64::from_bits(a) == f64::from_bits(b),
            kind::BOOL => (a != 0) == (b != 0),
            kind::STR => rstr::kiln_str_eq(a as *const RStr, b as *const RStr),
            kind::TUPLE => tuple_fields(a, d).zip(tuple_fields(b, d)).all(|((x, fd), (y, _))| item_eq(x, y, fd)),
            kind::LIST => {
                let (xs, ys) = (rlistops::items(a as *const _), rlistops::items(b as *const _));
                let Some((_, fd)) = field(d, 0) else { return xs.len() == ys.len() };
                xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| item_eq(*x, *y, fd))
            }
            kind::DICT => rdict::dicts_equal(a as *mut _, b as *mut _),
            // Instances compare by identity, and the words differ.
            kind::INSTANCE => false,
            _ => a == b,
        }
    }
}

/// Equality of two items of a container: identity first, as CPython's
/// `PyObject_RichCompareBool` does (for words, equal bits).
///
/// # Safety
/// `a` and `b` are valid values of `d`.
pub(crate) unsafe fn item_eq(a: u64, b: u64, d: &TypeDesc) -> bool {
    // SAFETY: per this function's contract.
    a == b || unsafe { eq_words(a, b, d) }
}

/// `a == b`.
///
/// # Safety
/// `d` is a valid TypeDesc; `a` and `b` are valid values of it.
#[no_mangle]
pub unsafe extern "C" fn kiln_eq(a: i64, b: i64, d: *const TypeDesc) -> bool {
    // SAFETY: per this function's contract.
    unsafe { eq_words(a as u64, b as u64, desc(d)) }
}

/// An ordering comparison between values that have none, as data: the TypeError
/// `'<' not supported between instances of 'A' and 'B'`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CmpError {
    pub op: &'static str,
    pub left: String,
    pub right: String,
}

impl CmpError {
    pub(crate) fn message(&self) -> String {
        format!("'{}' not supported between instances of '{}' and '{}'", self.op, self.left, self.right)
    }

    /// Raises the TypeError. Allocates, so callers raise only once their own state is
    /// consistent again.
    pub(crate) fn raise(&self) {
        exc::raise(BuiltinExc::TypeError, &self.message());
    }
}

/// Orders `a` against `b` as Python's rich comparisons do: `Some(ordering)`, `None` when
/// the two are unordered (a NaN decided it), or the TypeError for values without an
/// order (`op` names the operator for its message). Sequences compare their first
/// unequal items; when all compared items are equal, the shorter sequence is smaller.
///
/// # Safety
/// `a` and `b` are valid values of `d`.
pub(crate) unsafe fn compare(a: u64, b: u64, d: &TypeDesc, op: &'static str) -> Result<Option<Ordering>, CmpError> {
    let unorderable = || CmpError {
        op,
        // SAFETY: per this function's contract.
        left: unsafe { type_name(a, d) },
        right: unsafe { type_name(b, d) },
    };
    if is_none(a, d) || is_none(b, d) {
        return Err(unorderable());
    }
    // SAFETY: per this function's contract.
    unsafe {
        Ok(match d.kind {
            kind::INT => Some((a as i64).cmp(&(b as i64))),
            kind::FLOAT => f64::from_bits(a).partial_cmp(&f64::from_bits(b)),
            kind::BOOL => Some((a != 0).cmp(&(b != 0))),
            kind::STR => Some(rstr::bytes(a as *const RStr).cmp(rstr::bytes(b as *const RStr))),
            kind::TUPLE => {
                for ((x, fd), (y, _)) in tuple_fields(a, d).zip(tuple_fields(b, d)) {
                    if !item_eq(x, y, fd) {
                        return compare(x, y, fd, op);
                    }
                }
                Some(Ordering::Equal)
            }
            kind::LIST => {
                let (xs, ys) = (rlistops::items(a as *const _), rlistops::items(b as *const _));
                if let Some((_, fd)) = field(d, 0) {
                    for (x, y) in xs.iter().zip(ys) {
                        if !item_eq(*x, *y, fd) {
                            return compare(*x, *y, fd, op);
                        }
                    }
                }
                Some(xs.len().cmp(&ys.len()))
            }
            kind::DICT | kind::INSTANCE => return Err(unorderable()),
            // INT-like words: chars and unsigned ints compare as unsigned.
            _ => Some(a.cmp(&b)),
        })
    }
}

/// Three-way comparison: -1, 0 or 1 (0 also when unordered). Raises TypeError for
/// values without an order.
///
/// # Safety
/// `d` is a valid TypeDesc; `a` and `b` are valid values of it.
#[no_mangle]
pub unsafe extern "C" fn kiln_cmp(a: i64, b: i64, d: *const TypeDesc) -> i64 {
    // SAFETY: per this function's contract.
    match unsafe { compare(a as u64, b as u64, desc(d), "<") } {
        Ok(Some(Ordering::Less)) => -1,
        Ok(Some(Ordering::Greater)) => 1,
        Ok(_) => 0,
        Err(e) => {
            e.raise();
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testprog::*;

    #[test]
    fn numeric_hashes_match_cpython() {
        // (value, hash(value)) from CPython 3.11.
        for (n, h) in [(0, 0), (1, 1), (-1, -2), (-2, -2), ((1 << 61) - 1, 0), (1 << 61, 1), (i64::MIN, -4), (i64::MAX, 3)] {
            assert_eq!(hash_int(n), h, "hash({n})");
        }
        for (x, h) in [
            (1.5, 1152921504606846977),
            (-0.5, -1152921504606846976),
            (1e100, 1822893315824342674),
            (f64::INFINITY, 314159),
            (f64::NEG_INFINITY, -314159),
            (0.0, 0),
            (-0.0, 0),
            (2.0, 2),
            (-1.0, -2),
            (1e-300, 482449582752280463),
            (5e-324, 16777216),
            (123456.789, 1819310134279660096),
        ] {
            assert_eq!(hash_float(x), h, "hash({x:e})");
        }
        assert_eq!(hash_tuple([1, 2].into_iter()), -3550055125485641917);
        assert_eq!(hash_tuple(core::iter::empty()), 5740354900026072187);
        assert_eq!(hash_tuple([hash_float(1.5), hash_int(-1)].into_iter()), -9002791676578425913);
    }

    fn repr_of(w: u64, d: &TypeDesc) -> String {
        // SAFETY: tests pass valid values of their descs.
        text(unsafe { kiln_repr(w as i64, d) })
    }

    #[test]
    fn repr_of_nested_values() {
        each_gc(|t| {
            let s = t.str("it's");
            let tup = t.tuple_int_str(1, s);
            let l = t.refs(&[tup, tup]);
            let (a, b) = (t.str("a"), t.str("b\n"));
            let d = t.dict_from(&DICT_INT_STR, &[(Val::W(1), Val::H(a)), (Val::W(2), Val::H(b))]);
            assert_eq!(repr_of(t.w(l), &LIST_OF_TUPLE), "[(1, \"it's\"), (1, \"it's\")]");
            assert_eq!(repr_of(t.w(d), &DICT_INT_STR_DESC), "{1: 'a', 2: 'b\\n'}");
            let empty = t.dict(&DICT_INT_INT);
            assert_eq!(repr_of(t.w(empty), &DICT_INT_INT_DESC), "{}");
            assert_eq!(repr_of(0, &STR_OR_NONE), "None");
            assert_eq!(repr_of(0, &NONE), "None");
            assert_eq!(repr_of(0xE9, &CHAR), "'é'");
            assert_eq!(repr_of(0x27, &CHAR), "\"'\"");
            assert_eq!(repr_of(1.0f64.to_bits(), &FLOAT), "1.0");
            assert_eq!(repr_of(u64::MAX, &UINT), "r_uint(18446744073709551615)");
            assert_eq!(repr_of(1, &BOOL), "True");
            assert_eq!(repr_of(-5i64 as u64, &INT), "-5");
            let e = t.ints(&[]);
            assert_eq!(repr_of(t.w(e), &LIST_OF_INT), "[]");
            let one = t.tuple1(7);
            assert_eq!(repr_of(t.w(one), &TUPLE1), "(7,)");
            let fb = t.tuple_float_bool(-0.5, true);
            assert_eq!(repr_of(t.w(fb), &TUPLE_FLOAT_BOOL), "(-0.5, True)");
            let x = t.instance();
            assert_eq!(repr_of(t.w(x), &INSTANCE_DESC), "<Thing object>");
            let l = t.ints(&[3, -1]);
            assert_eq!(repr_of(t.w(l), &LIST_OF_INT), "[3, -1]");
            let names = t.strs(&["a", "it's", "é\u{85}"]);
            assert_eq!(repr_of(t.w(names), &LIST_OF_STR), "['a', \"it's\", 'é\\x85']");
            let f = t.floats(&[0.1, 1e16, f64::NAN]);
            assert_eq!(repr_of(t.w(f), &LIST_OF_FLOAT), "[0.1, 1e+16, nan]");
        });
    }

    #[test]
    fn a_list_inside_itself_prints_as_an_ellipsis() {
        each_gc(|t| {
            let l = t.refs(&[]);
            let inner = t.refs(&[l]);
            t.set_item(inner, 0, t.w(inner));
            assert_eq!(repr_of(t.w(inner), &LIST_OF_SELF), "[[...]]");
        });
    }

    #[test]
    fn equality_and_ordering() {
        each_gc(|t| {
            let (a, b, b2) = (t.str("abc"), t.str("abd"), t.str("abd"));
            let ta = t.tuple_int_str(1, a);
            let tb = t.tuple_int_str(1, b);
            let tb2 = t.tuple_int_str(1, b2);
            let (short, long) = (t.ints(&[1, 2]), t.ints(&[1, 2, 0]));
            let (x, y) = (t.instance(), t.instance());
            let w = |h| t.w(h) as i64;
            // SAFETY: valid values of the descs.
            unsafe {
                assert!(kiln_eq(w(tb), w(tb2), &TUPLE_INT_STR));
                assert!(!kiln_eq(w(ta), w(tb), &TUPLE_INT_STR));
                assert_eq!(kiln_cmp(w(ta), w(tb), &TUPLE_INT_STR), -1);
                assert_eq!(kiln_cmp(w(tb), w(ta), &TUPLE_INT_STR), 1);
                assert_eq!(kiln_cmp(w(tb), w(tb2), &TUPLE_INT_STR), 0);
                assert_eq!(kiln_cmp(w(short), w(long), &LIST_OF_INT), -1);
                assert!(!kiln_eq(w(short), w(long), &LIST_OF_INT));
                assert!(kiln_eq(w(short), w(short), &LIST_OF_INT));
                assert_eq!(kiln_cmp(-1, 1, &INT), -1);
                assert_eq!(kiln_cmp(-1, 1, &UINT), 1, "r_uint compares unsigned");
                let nan = f64::NAN.to_bits() as i64;
                assert!(!kiln_eq(nan, nan, &FLOAT));
                assert_eq!(kiln_cmp(nan, 0, &FLOAT), 0, "unordered");
                assert!(kiln_eq(0.0f64.to_bits() as i64, (-0.0f64).to_bits() as i64, &FLOAT));
                assert!(kiln_eq(0, 0, &STR_OR_NONE));
                assert!(!kiln_eq(0, w(a), &STR_OR_NONE));
                assert!(kiln_eq(w(x), w(x), &INSTANCE_DESC));
                assert!(!kiln_eq(w(x), w(y), &INSTANCE_DESC));
                assert_eq!(kiln_cmp(w(a), w(b), &STR), -1);
            }
            assert!(!crate::exc::is_pending());
        });
    }

    #[test]
    fn unorderable_values_raise_type_error() {
        each_gc(|t| {
            let (x, y, s) = (t.instance(), t.instance(), t.str("a"));
            // SAFETY: valid values of the descs.
            unsafe {
                assert_eq!(kiln_cmp(t.w(x) as i64, t.w(y) as i64, &INSTANCE_DESC), 0);
                assert_eq!(take_exc().as_deref(), Some("TypeError: '<' not supported between instances of 'Thing' and 'Thing'"));
                assert_eq!(kiln_cmp(0, t.w(s) as i64, &STR_OR_NONE), 0);
                assert_eq!(take_exc().as_deref(), Some("TypeError: '<' not supported between instances of 'NoneType' and 'str'"));
                // Tuples compare their first unequal items only: no error here.
                let (n1, n2) = (t.tuple_int_str(1, s), t.tuple_int_str(2, s));
                assert_eq!(kiln_cmp(t.w(n1) as i64, t.w(n2) as i64, &TUPLE_INT_STR), -1);
            }
            assert!(!crate::exc::is_pending());
        });
    }

    #[test]
    fn hashes_agree_with_equality() {
        each_gc(|t| {
            let (a, b, c) = (t.str("héllo"), t.str("héllo"), t.str("é"));
            let (ta, tb) = (t.tuple_int_str(3, a), t.tuple_int_str(3, b));
            let x = t.instance();
            let w = |h| t.w(h) as i64;
            // SAFETY: valid values of the descs.
            unsafe {
                assert_eq!(kiln_hash(w(a), &STR), kiln_hash(w(b), &STR));
                assert_eq!(kiln_hash(0xE9, &CHAR), kiln_hash(w(c), &STR), "a char hashes as its string");
                assert_eq!(kiln_hash(w(ta), &TUPLE_INT_STR), kiln_hash(w(tb), &TUPLE_INT_STR));
                assert_eq!(kiln_hash(1, &BOOL), 1);
                assert_eq!(kiln_hash(-1, &INT), -2);
                assert_eq!(kiln_hash(0, &STR_OR_NONE), kiln_hash(0, &NONE));
                assert_eq!(kiln_compute_hash(0, &STR_OR_NONE), 0, "compute_hash(None) is 0");
                assert_eq!(kiln_compute_hash(0, &NONE), 0);
                assert_eq!(kiln_compute_hash(w(a), &STR_OR_NONE), kiln_hash(w(a), &STR));
                let h = kiln_hash(w(x), &INSTANCE_DESC);
                gc::collect();
                let _ = t.str("garbage");
                assert_eq!(kiln_hash(w(x), &INSTANCE_DESC), h, "an instance's hash survives collections");
            }
        });
    }
}
