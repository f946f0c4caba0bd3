//! UTF-8 encoding and decoding of code points, as Kiln strings store them.
//!
//! Strings are UTF-8, generalised as in PyPy so that lone surrogates (which Python's
//! `chr(0xD800)` can make) have the usual three-byte form. Everything the runtime writes
//! is well formed in that sense; the decoder still never reads past the end of its input.

/// The UTF-8 bytes of a code point: the buffer and how many of its bytes are used.
/// Values above U+10FFFF cannot come from a correct program; they encode as U+FFFD.
pub fn encode(cp: u32) -> ([u8; 4], usize) {
    let cp = if cp > 0x10_FFFF { 0xFFFD } else { cp };
    let mut buf = [0u8; 4];
    let len = if cp < 0x80 {
        buf[0] = cp as u8;
        1
    } else if cp < 0x800 {
        buf[0] = 0xC0 | (cp >> 6) as u8;
        buf[1] = 0x80 | (cp & 0x3F) as u8;
        2
    } else if cp < 0x1_0000 {
        buf[0] = 0xE0 | (cp >> 12) as u8;
        buf[1] = 0x80 | ((cp >> 6) & 0x3F) as u8;
        buf[2] = 0x80 | (cp & 0x3F) as u8;
        3
    } else {
        buf[0] = 0xF0 | (cp >> 18) as u8;
        buf[1] = 0x80 | ((cp >> 12) & 0x3F) as u8;
        buf[2] = 0x80 | ((cp >> 6) & 0x3F) as u8;
        buf[3] = 0x80 | (cp & 0x3F) as u8;
        4
    };
    (buf, len)
}

/// The number of bytes of the sequence starting with `lead`.
#[inline]
pub fn sequence_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        // A continuation or invalid byte: step over it alone.
        _ => 1,
    }
}

/// Decodes the code point starting at byte `i`: (code point, byte length). A truncated or
/// invalid sequence yields U+FFFD for one byte.
pub fn decode_at(bytes: &[u8], i: usize) -> (u32, usize) {
    let lead = bytes[i];
    let len = sequence_len(lead);
    if len == 1 {
        return (if lead < 0x80 { lead as u32 } else { 0xFFFD }, 1);
    }
    let Some(tail) = bytes.get(i + 1..i + len) else { return (0xFFFD, 1) };
    if tail.iter().any(|b| b & 0xC0 != 0x80) {
        return (0xFFFD, 1);
    }
    let mut cp = (lead as u32) & (0x7F >> len);
    for b in tail {
        cp = (cp << 6) | (b & 0x3F) as u32;
    }
    (cp, len)
}

/// The number of code points in well-formed (generalised) UTF-8.
pub fn count_code_points(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

/// The code points of (generalised) UTF-8 bytes.
pub fn code_points(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        if i >= bytes.len() {
            return None;
        }
        let (cp, len) = decode_at(bytes, i);
        i += len;
        Some(cp)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_width_and_surrogates() {
        for cp in [0u32, 0x41, 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0xD800, 0xDFFF, 0xFFFF, 0x1_0000, 0x1F600, 0x10_FFFF] {
            let (buf, len) = encode(cp);
            if let Some(c) = char::from_u32(cp) {
                assert_eq!(&buf[..len], c.to_string().as_bytes(), "U+{cp:X}");
            }
            assert_eq!(decode_at(&buf[..len], 0), (cp, len), "U+{cp:X}");
            assert_eq!(count_code_points(&buf[..len]), 1);
        }
        assert_eq!(encode(0x11_0000), encode(0xFFFD));
    }

    #[test]
    fn malformed_input_never_reads_out_of_bounds() {
        assert_eq!(decode_at(&[0xE2, 0x82], 0), (0xFFFD, 1));
        assert_eq!(decode_at(&[0x82], 0), (0xFFFD, 1));
        assert_eq!(decode_at(&[0xC3, 0x41], 0), (0xFFFD, 1));
        assert_eq!(code_points("aé€😀".as_bytes()).collect::<Vec<_>>(), vec![0x61, 0xE9, 0x20AC, 0x1F600]);
    }
}
