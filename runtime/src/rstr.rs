//! String objects (`kiln_abi::RStr`) and the string helpers generated code calls.
//!
//! A string is immutable UTF-8 (generalised to allow lone surrogates, see [`crate::utf8`])
//! with its code-point length cached in `cplen`; it is ASCII exactly when
//! `cplen == length`, and ASCII strings index in O(1). Non-ASCII strings longer than
//! [`INDEX_STRIDE`] code points get, on the first indexing past the first stride, an index
//! array (`ARRAY_SIGNED`) holding the byte offset of every [`INDEX_STRIDE`]th code point,
//! so indexing walks at most `INDEX_STRIDE - 1` code points.
//!
//! The 128 one-character ASCII strings are allocated once at startup and shared.
//!
//! Helpers receiving a null string (which a correct program never passes) treat it as the
//! empty string, or as smaller than any string, rather than crash.
//!
//! GC protocol (see `crate::gc`): an allocation may collect, and collectors may move
//! objects. A helper that allocates keeps the GC pointers it still needs afterwards in a
//! `gc::roots::Roots` guard and reads them back from it (never a slice of a string's
//! bytes taken before the allocation), and calls `gc::write_barrier` after storing a GC
//! pointer into an object other than the one it just allocated.

use core::mem::offset_of;
use core::ptr::{addr_of_mut, null_mut};

use kiln_abi::{typeid, BuiltinExc, RArray, RStr};

use crate::alloc;
use crate::exc;
use crate::gc::{self, roots::Roots};
use crate::format::format_i64;
use crate::global::Global;
use crate::parse_int::{parse_int, ParseIntError};
use crate::utf8;

/// Code points between two entries of a string's index array.
pub const INDEX_STRIDE: i64 = 64;

const CHARS_OFFSET: usize = offset_of!(RStr, chars);
const LENGTH_OFFSET: usize = offset_of!(RStr, length);

/// The total allocation size of a string of `len` bytes.
fn str_size(len: usize) -> u64 {
    (CHARS_OFFSET + len).div_ceil(8) as u64 * 8
}

/// Fills a freshly allocated (zeroed, header written) string object.
///
/// # Safety
/// `s` points to at least `str_size(bytes.len())` writable bytes.
unsafe fn fill(s: *mut RStr, bytes: &[u8]) -> *mut RStr {
    unsafe {
        (*s).hash = 0;
        (*s).cplen = utf8::count_code_points(bytes) as i64;
        (*s).index = null_mut();
        (*s).length = bytes.len() as i64;
        core::ptr::copy_nonoverlapping(bytes.as_ptr(), addr_of_mut!((*s).chars) as *mut u8, bytes.len());
    }
    s
}

/// A new string holding `bytes` (which must be generalised UTF-8). Null with MemoryError
/// set when the heap is exhausted.
pub fn alloc_str(bytes: &[u8]) -> *mut RStr {
    let p = alloc::gc_malloc(typeid::STR, str_size(bytes.len())) as *mut RStr;
    if p.is_null() {
        return p;
    }
    // SAFETY: `p` is a fresh object of `str_size(len)` bytes.
    unsafe { fill(p, bytes) }
}

/// A string that lives for the whole run (flagged prebuilt). Null when out of memory.
pub(crate) fn alloc_prebuilt_str(bytes: &[u8]) -> *mut RStr {
    let p = alloc::malloc_prebuilt(typeid::STR, str_size(bytes.len())) as *mut RStr;
    if p.is_null() {
        return p;
    }
    // SAFETY: as in `alloc_str`.
    unsafe { fill(p, bytes) }
}

/// The bytes of a string; empty for null.
///
/// # Safety
/// `s` is null or a valid string that outlives the returned slice.
pub unsafe fn bytes<'a>(s: *const RStr) -> &'a [u8] {
    if s.is_null() {
        return &[];
    }
    unsafe {
        let len = (*s).length.max(0) as usize;
        core::slice::from_raw_parts((s as *const u8).add(CHARS_OFFSET), len)
    }
}

// The length word sits where the layout contract says.
const _: () = assert!(LENGTH_OFFSET == 32 && CHARS_OFFSET == 40);

/// The shared one-character ASCII strings, made at startup.
static ASCII_CHARS: Global<[*mut RStr; 128]> = Global::new([null_mut(); 128]);

pub(crate) fn reset() {
    // SAFETY: short exclusive access.
    unsafe { *ASCII_CHARS.get() = [null_mut(); 128] };
}

/// Startup: allocates the 128 one-character ASCII strings. False when out of memory.
pub(crate) fn init_ascii_chars() -> bool {
    for c in 0..128u8 {
        let s = alloc_prebuilt_str(&[c]);
        if s.is_null() {
            return false;
        }
        // SAFETY: short exclusive access.
        unsafe { (*ASCII_CHARS.get())[c as usize] = s };
    }
    true
}

/// `str(n)`.
#[no_mangle]
pub extern "C" fn kiln_str_from_int(n: i64) -> *mut RStr {
    let mut buf = [0u8; 20];
    alloc_str(format_i64(n, &mut buf))
}

/// `int(s, base)`: raises ValueError (or OverflowError past 64 bits) and returns 0 on
/// failure.
///
/// # Safety
/// `s` is null or a valid string.
#[no_mangle]
pub unsafe extern "C" fn kiln_str_to_int(s: *const RStr, base: i64) -> i64 {
    if s.is_null() {
        exc::raise(BuiltinExc::TypeError, "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'");
        return 0;
    }
    // SAFETY: a non-null string from generated code is valid.
    let text = unsafe { bytes(s) };
    match parse_int(text, base) {
        Ok(n) => n,
        Err(e @ ParseIntError::Overflow) => {
            exc::raise(BuiltinExc::OverflowError, &e.message(text, base));
            0
        }
        Err(e) => {
            exc::raise(BuiltinExc::ValueError, &e.message(text, base));
            0
        }
    }
}

/// String equality.
///
/// # Safety
/// `a` and `b` are null or valid strings.
#[no_mangle]
pub unsafe extern "C" fn kiln_str_eq(a: *const RStr, b: *const RStr) -> bool {
    if a == b {
        return true;
    }
    if a.is_null() || b.is_null() {
        return false;
    }
    // SAFETY: valid non-null strings.
    unsafe { bytes(a) == bytes(b) }
}

/// Three-way comparison by code points: -1, 0 or 1. UTF-8 byte order is code-point
/// order (surrogates included), so comparing bytes is enough.
///
/// # Safety
/// `a` and `b` are null or valid strings.
#[no_mangle]
pub unsafe extern "C" fn kiln_str_cmp(a: *const RStr, b: *const RStr) -> i64 {
    if a == b {
        return 0;
    }
    match (a.is_null(), b.is_null()) {
        (true, _) => return -1,
        (_, true) => return 1,
        _ => {}
    }
    // SAFETY: valid non-null strings.
    match unsafe { bytes(a).cmp(bytes(b)) } {
        core::cmp::Ordering::Less => -1,
        core::cmp::Ordering::Equal => 0,
        core::cmp::Ordering::Greater => 1,
    }
}

/// `a + b`. Strings are immutable, so an empty operand returns the other one itself.
///
/// # Safety
/// `a` and `b` are null or valid strings.
#[no_mangle]
pub unsafe extern "C" fn kiln_str_concat(a: *const RStr, b: *const RStr) -> *mut RStr {
    // SAFETY: valid strings or null.
    let (x, y) = unsafe { (bytes(a), bytes(b)) };
    if y.is_empty() && !a.is_null() {
        return a as *mut RStr;
    }
    if x.is_empty() && !b.is_null() {
        return b as *mut RStr;
    }
    let total = x.len() + y.len();
    // Both operands may move during the allocation: their bytes are read afterwards.
    let roots = Roots::new([a as *mut u8, b as *mut u8]);
    let p = alloc::gc_malloc(typeid::STR, str_size(total)) as *mut RStr;
    if p.is_null() {
        return p;
    }
    let (a, b) = (roots.get(0) as *const RStr, roots.get(1) as *const RStr);
    // SAFETY: `p` is a fresh string object of `str_size(total)` bytes; the code-point
    // length is the sum because both halves are whole sequences; `a` and `b` are the
    // operands where they are now.
    unsafe {
        let (x, y) = (bytes(a), bytes(b));
        (*p).cplen = cplen_of(a) + cplen_of(b);
        (*p).length = total as i64;
        let chars = addr_of_mut!((*p).chars) as *mut u8;
        core::ptr::copy_nonoverlapping(x.as_ptr(), chars, x.len());
        core::ptr::copy_nonoverlapping(y.as_ptr(), chars.add(x.len()), y.len());
    }
    p
}

/// The code-point length of a string; 0 for null.
///
/// # Safety
/// `s` is null or a valid string.
unsafe fn cplen_of(s: *const RStr) -> i64 {
    if s.is_null() {
        0
    } else {
        unsafe { (*s).cplen }
    }
}

/// The byte offset after the code point starting at `pos`, never past the end.
fn next_pos(text: &[u8], pos: usize) -> usize {
    match text.get(pos) {
        Some(lead) => (pos + utf8::sequence_len(*lead)).min(text.len()),
        None => text.len(),
    }
}

/// `chr(cp)`: a one-character string; shared for ASCII.
#[no_mangle]
pub extern "C" fn kiln_str_from_char(cp: u32) -> *mut RStr {
    if cp < 128 {
        // SAFETY: short read.
        let shared = unsafe { (*ASCII_CHARS.get())[cp as usize] };
        if !shared.is_null() {
            return shared;
        }
    }
    let (buf, len) = utf8::encode(cp);
    alloc_str(&buf[..len])
}

/// The code point at code-point index `i`, which the caller has checked is in range
/// (out of range, it returns 0 rather than read outside the string).
///
/// # Safety
/// `s` is null or a valid string.
#[no_mangle]
pub unsafe extern "C" fn kiln_str_char_at(s: *mut RStr, i: i64) -> u32 {
    if s.is_null() {
        return 0;
    }
    // SAFETY: a valid non-null string.
    unsafe {
        let (cplen, len) = ((*s).cplen, (*s).length);
        if i < 0 || i >= cplen {
            return 0;
        }
        let text = bytes(s);
        if cplen == len {
            return text[i as usize] as u32;
        }
        let mut pos = if i < INDEX_STRIDE { 0 } else { indexed_offset(s, i / INDEX_STRIDE) };
        for _ in 0..i % INDEX_STRIDE {
            pos = next_pos(text, pos);
        }
        if pos >= text.len() {
            return 0;
        }
        utf8::decode_at(text, pos).0
    }
}

/// The byte offset of code point `k * INDEX_STRIDE`, building the index on first use.
/// When the index cannot be allocated (allocation here must neither collect nor raise),
/// the offset is found by walking from the start instead.
///
/// # Safety
/// `s` is a valid non-ASCII string with more than `k * INDEX_STRIDE` code points.
unsafe fn indexed_offset(s: *mut RStr, k: i64) -> usize {
    unsafe {
        let mut index = (*s).index;
        if index.is_null() {
            index = build_index(s);
        }
        if !index.is_null() {
            let items = addr_of_mut!((*index).items) as *const i64;
            if k < (*index).length {
                return *items.add(k as usize) as usize;
            }
        }
        let text = bytes(s);
        let mut pos = 0;
        for _ in 0..k * INDEX_STRIDE {
            pos = next_pos(text, pos);
        }
        pos
    }
}

/// Builds and stores the index array of `s`; null when it cannot be allocated.
///
/// # Safety
/// `s` is a valid string.
unsafe fn build_index(s: *mut RStr) -> *mut RArray {
    unsafe {
        let cplen = (*s).cplen;
        let entries = (cplen + INDEX_STRIDE - 1) / INDEX_STRIDE;
        let size = offset_of!(RArray, items) as u64 + 8 * entries as u64;
        let index = alloc::malloc_no_collect(typeid::ARRAY_SIGNED, size) as *mut RArray;
        if index.is_null() {
            return index;
        }
        (*index).length = entries;
        let items = addr_of_mut!((*index).items) as *mut i64;
        let text = bytes(s);
        let mut pos = 0usize;
        for cp in 0..cplen {
            if cp % INDEX_STRIDE == 0 {
                *items.add((cp / INDEX_STRIDE) as usize) = pos as i64;
            }
            pos = next_pos(text, pos);
        }
        // The string may be old (or prebuilt) and the index a new object: report the
        // store. (The index is allocated without collecting, so `s` did not move.)
        (*s).index = index;
        gc::write_barrier(s as *mut u8);
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RtConfig;
    use crate::host::testing::started;

    fn text(s: *const RStr) -> String {
        // SAFETY: tests pass valid strings.
        String::from_utf8(unsafe { bytes(s) }.to_vec()).expect("UTF-8")
    }

    // Safe wrappers: the tests only pass strings they made (or null).
    fn to_int(s: *const RStr, base: i64) -> i64 {
        unsafe { kiln_str_to_int(s, base) }
    }
    fn eq(a: *const RStr, b: *const RStr) -> bool {
        unsafe { kiln_str_eq(a, b) }
    }
    fn cmp(a: *const RStr, b: *const RStr) -> i64 {
        unsafe { kiln_str_cmp(a, b) }
    }
    fn concat(a: *const RStr, b: *const RStr) -> *mut RStr {
        unsafe { kiln_str_concat(a, b) }
    }
    fn char_at(s: *mut RStr, i: i64) -> u32 {
        unsafe { kiln_str_char_at(s, i) }
    }

    fn new(s: &str) -> *mut RStr {
        let p = alloc_str(s.as_bytes());
        assert!(!p.is_null());
        p
    }

    #[test]
    fn strings_have_the_abi_layout() {
        let (_session, _) = started(RtConfig::default(), &[]);
        let s = new("héllo");
        // SAFETY: a fresh valid string.
        unsafe {
            assert_eq!((*s).hdr.tid, typeid::STR);
            assert_eq!(((*s).length, (*s).cplen, (*s).hash), (6, 5, 0));
            assert!((*s).index.is_null());
        }
        assert_eq!(text(s), "héllo");
        assert_eq!(s as usize % 8, 0);
    }

    #[test]
    fn ints_convert_both_ways() {
        let (session, _) = started(RtConfig::default(), &[]);
        for n in [0, -1, 42, i64::MAX, i64::MIN] {
            let s = kiln_str_from_int(n);
            assert_eq!(text(s), n.to_string());
            assert_eq!(to_int(s, 10), n);
            assert!(!exc::is_pending());
        }
        assert_eq!(to_int(new(" -0x_1F "), 0), -31);
        assert_eq!(to_int(new("abc"), 10), 0);
        assert!(exc::is_pending());
        assert_eq!(session.finish(0), 1);
        let out = session.take_output();
        assert_eq!(String::from_utf8_lossy(&out.stderr), "ValueError: invalid literal for int() with base 10: 'abc'\n");
    }

    #[test]
    fn int_overflow_raises_overflow_error() {
        let (session, _) = started(RtConfig::default(), &[]);
        assert_eq!(to_int(new("9223372036854775808"), 10), 0);
        assert_eq!(session.finish(0), 1);
        assert_eq!(session.take_output().stderr, b"OverflowError: int too large to convert: '9223372036854775808' does not fit in a 64-bit machine word\n");
    }

    #[test]
    fn equality_order_and_concatenation() {
        let (_session, _) = started(RtConfig::default(), &[]);
        let (a, b, e) = (new("abc"), new("abd"), new(""));
        assert!(eq(a, new("abc")));
        assert!(!eq(a, b));
        assert!(!eq(a, core::ptr::null()));
        assert!(eq(core::ptr::null(), core::ptr::null()));
        assert_eq!(cmp(a, b), -1);
        assert_eq!(cmp(b, a), 1);
        assert_eq!(cmp(a, new("abc")), 0);
        assert_eq!(cmp(new("ab"), a), -1);
        assert_eq!(cmp(e, a), -1);
        // Code-point order, not UTF-16 order: U+FFFD < U+1F600.
        assert_eq!(cmp(new("\u{fffd}"), new("😀")), -1);
        assert_eq!(cmp(new("z"), new("é")), -1);
        let c = concat(new("né"), new("€x"));
        assert_eq!(text(c), "né€x");
        // SAFETY: a valid string.
        assert_eq!(unsafe { ((*c).cplen, (*c).length) }, (4, 7));
        assert_eq!(concat(a, e), a);
        assert_eq!(concat(e, b), b);
    }

    #[test]
    fn one_character_strings_are_shared_for_ascii() {
        let (_session, _) = started(RtConfig::default(), &[]);
        let a = kiln_str_from_char('a' as u32);
        assert_eq!(a, kiln_str_from_char('a' as u32));
        assert_eq!(text(a), "a");
        // SAFETY: a valid string.
        assert_eq!(unsafe { (*a).hdr.flags } & kiln_abi::GCFLAG_PREBUILT, kiln_abi::GCFLAG_PREBUILT);
        let e = kiln_str_from_char(0xE9);
        assert_ne!(e, kiln_str_from_char(0xE9));
        assert_eq!(text(e), "é");
        let surrogate = kiln_str_from_char(0xD800);
        // SAFETY: valid strings.
        assert_eq!(unsafe { bytes(surrogate) }, &[0xED, 0xA0, 0x80]);
        assert_eq!(char_at(surrogate, 0), 0xD800);
    }

    /// A string of 300 code points of every UTF-8 width, indexed everywhere.
    fn check_non_ascii_indexing(expect_index: bool) {
        let chars: Vec<char> = (0..300).map(|i| ['a', 'é', '€', '😀', 'z'][i % 5]).collect();
        let s = new(&chars.iter().collect::<String>());
        // SAFETY: a valid string.
        assert_eq!(unsafe { (*s).cplen }, 300);
        for (i, c) in chars.iter().enumerate().rev() {
            assert_eq!(char_at(s, i as i64), *c as u32, "index {i}");
        }
        // SAFETY: a valid string and its index array.
        unsafe {
            assert_eq!(!(*s).index.is_null(), expect_index);
            if expect_index {
                assert_eq!((*(*s).index).length, 5);
                assert_eq!((*(*s).index).hdr.tid, typeid::ARRAY_SIGNED);
            }
        }
        assert_eq!(char_at(s, 300), 0, "out of range reads nothing");
    }

    #[test]
    fn non_ascii_strings_index_through_the_index_array() {
        let (_session, _) = started(RtConfig::default(), &[]);
        check_non_ascii_indexing(true);
        let ascii = new(&"x".repeat(200));
        assert_eq!(char_at(ascii, 150), 'x' as u32);
        // SAFETY: a valid string.
        assert!(unsafe { (*ascii).index.is_null() }, "ASCII strings need no index");
    }

    #[test]
    fn indexing_works_without_memory_for_the_index() {
        // Room for argv (40 bytes) and the 700-byte string of `check_non_ascii_indexing`,
        // not for its index.
        let (_session, _) = started(RtConfig { max_heap: Some(744), ..RtConfig::default() }, &[]);
        check_non_ascii_indexing(false);
        assert!(!exc::is_pending(), "kiln_str_char_at never raises");
    }
}
