//! `bytes` values at run time. A bytes value is an `RStr` whose code points are its
//! bytes (0..=255), so str operations serve most of it; these functions convert at the
//! edges: `repr` (`b'...'`), `decode(..., "replace")` and the raw bytes `os.write` writes.

use kiln_abi::RStr;

use crate::rstr::{self, bytes};

/// The bytes of a bytes value, from the UTF-8 of its code points (each below 256).
pub fn raw(utf8: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(utf8).chars().map(|c| c as u32 as u8).collect()
}

/// CPython's `repr(bytes)`: `b'...'` with `\\`, `\t`, `\n`, `\r` and the quote escaped
/// and every byte outside printable ASCII as `\xNN`; single quotes unless the bytes
/// contain one and no double quote.
pub fn repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { b'"' } else { b'\'' };
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            c if !(0x20..0x7f).contains(&c) => out.push_str(&format!("\\x{c:02x}")),
            c => out.push(c as char),
        }
    }
    out.push(quote as char);
    out
}

/// `repr(b)` / `str(b)` of a bytes value.
///
/// # Safety
/// `s` is a valid string.
#[no_mangle]
pub unsafe extern "C" fn kiln_bytes_repr(s: *const RStr) -> *mut RStr {
    // SAFETY: per this function's contract.
    let b = raw(unsafe { bytes(s) });
    rstr::alloc_str(repr(&b).as_bytes())
}

/// `b.decode(codec, "replace")`: UTF-8 (`ascii` false) with U+FFFD for each maximal
/// invalid subsequence, as CPython's decoder and Rust's `from_utf8_lossy` both do, or
/// ASCII with U+FFFD for each byte above 127.
///
/// # Safety
/// `s` is a valid string.
#[no_mangle]
pub unsafe extern "C" fn kiln_bytes_decode_replace(s: *const RStr, ascii: bool) -> *mut RStr {
    // SAFETY: per this function's contract.
    let b = raw(unsafe { bytes(s) });
    let text: String = if ascii { b.iter().map(|&x| if x < 128 { x as char } else { '\u{FFFD}' }).collect() } else { String::from_utf8_lossy(&b).into_owned() };
    rstr::alloc_str(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_matches_cpython() {
        assert_eq!(repr(b"it's"), "b\"it's\"");
        assert_eq!(repr(b"it's \"q\""), "b'it\\'s \"q\"'");
        assert_eq!(repr(b"\x00\x7f\x80\xff\t\\ ~"), "b'\\x00\\x7f\\x80\\xff\\t\\\\ ~'");
    }

    #[test]
    fn raw_undoes_code_points() {
        let s: String = [0u8, 65, 128, 255].iter().map(|&b| b as char).collect();
        assert_eq!(raw(s.as_bytes()), vec![0, 65, 128, 255]);
    }
}
