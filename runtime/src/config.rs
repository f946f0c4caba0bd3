//! Runtime settings a translated program reads from its environment at startup.
//!
//! - `KILN_GC_MAX_HEAP`: the most bytes of objects the program may allocate, with an
//!   optional `k`, `m` or `g` suffix (powers of 1024). Unset means unlimited. Past the
//!   limit, allocation raises `MemoryError`.
//! - `KILN_STACK_LIMIT`: how many bytes of machine stack the program may use before
//!   `kiln_stack_check` raises `RecursionError` (same suffixes). Unset means the stack
//!   size limit (`RLIMIT_STACK`) minus a safety margin.

/// The settings of one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RtConfig {
    /// Heap limit in bytes; `None` for unlimited.
    pub max_heap: Option<u64>,
    /// Usable stack in bytes; `None` to derive it from `RLIMIT_STACK`.
    pub stack_limit: Option<u64>,
}

pub const ENV_MAX_HEAP: &str = "KILN_GC_MAX_HEAP";
pub const ENV_STACK_LIMIT: &str = "KILN_STACK_LIMIT";

impl RtConfig {
    /// Reads the settings from the environment; the error names the bad variable.
    pub fn from_env() -> Result<RtConfig, String> {
        Ok(RtConfig { max_heap: size_var(ENV_MAX_HEAP)?, stack_limit: size_var(ENV_STACK_LIMIT)? })
    }
}

fn size_var(name: &str) -> Result<Option<u64>, String> {
    match std::env::var_os(name) {
        None => Ok(None),
        Some(value) => {
            let text = value.to_string_lossy();
            parse_size(&text)
                .map(Some)
                .ok_or_else(|| format!("invalid {name}={text:?}: expected a number of bytes with an optional k, m or g suffix"))
        }
    }
}

/// Parses `123`, `64k`, `512M`, `2g` (suffixes are powers of 1024, either case; an
/// optional trailing `b` is accepted: `64kb`). Returns `None` on anything else or on
/// overflow.
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let t = t.strip_suffix(['b', 'B']).filter(|rest| rest.ends_with(|c: char| c.is_ascii_alphabetic())).unwrap_or(t);
    let (digits, shift) = match t.as_bytes().last()? {
        b'k' | b'K' => (&t[..t.len() - 1], 10),
        b'm' | b'M' => (&t[..t.len() - 1], 20),
        b'g' | b'G' => (&t[..t.len() - 1], 30),
        _ => (t, 0),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    n.checked_mul(1u64 << shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_suffixes() {
        let cases: &[(&str, Option<u64>)] = &[
            ("0", Some(0)),
            ("4096", Some(4096)),
            ("64k", Some(64 << 10)),
            ("64K", Some(64 << 10)),
            ("64kb", Some(64 << 10)),
            ("3m", Some(3 << 20)),
            ("2G", Some(2 << 30)),
            (" 10 ", Some(10)),
            ("", None),
            ("k", None),
            ("1.5m", None),
            ("-1", None),
            ("12x", None),
            ("10b", None),
            ("99999999999999999999g", None),
            ("17179869184g", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_size(text), *want, "{text:?}");
        }
    }
}
