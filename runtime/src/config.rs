//! Runtime settings a translated program reads from its environment at startup.
//!
//! - `KILN_GC_MAX_HEAP`: the most bytes of objects the program may allocate, with an
//!   optional `k`, `m` or `g` suffix (powers of 1024). Unset means unlimited. Past the
//!   limit, allocation raises `MemoryError`.
//! - `KILN_STACK_LIMIT`: how many bytes of machine stack the program may use before
//!   `kiln_stack_check` raises `RecursionError` (same suffixes). Unset means the stack
//!   size limit (`RLIMIT_STACK`) minus a safety margin.
//! - `KILN_GC_NURSERY`: the nursery size of generational collectors (same suffixes);
//!   4 MiB when unset.
//! - `KILN_GC_DEBUG=1`: collect at every allocation and check the heap after every
//!   collection (slow; for finding GC bugs). `0` or unset: off.
//! - `KILN_GC_STATS=1`: print collection counts, pause times and the peak heap to stderr
//!   at exit. `0` or unset: off.

/// The settings of one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RtConfig {
    /// Heap limit in bytes; `None` for unlimited.
    pub max_heap: Option<u64>,
    /// Usable stack in bytes; `None` to derive it from `RLIMIT_STACK`.
    pub stack_limit: Option<u64>,
    /// Nursery size in bytes; `None` for the collector's default.
    pub nursery: Option<u64>,
    /// Collect at every allocation and check the heap.
    pub gc_debug: bool,
    /// Print GC statistics at exit.
    pub gc_stats: bool,
}

pub const ENV_MAX_HEAP: &str = "KILN_GC_MAX_HEAP";
pub const ENV_STACK_LIMIT: &str = "KILN_STACK_LIMIT";
pub const ENV_NURSERY: &str = "KILN_GC_NURSERY";
pub const ENV_GC_DEBUG: &str = "KILN_GC_DEBUG";
pub const ENV_GC_STATS: &str = "KILN_GC_STATS";

impl RtConfig {
    /// Reads the settings from the environment; the error names the bad variable.
    pub fn from_env() -> Result<RtConfig, String> {
        Ok(RtConfig {
            max_heap: size_var(ENV_MAX_HEAP)?,
            stack_limit: size_var(ENV_STACK_LIMIT)?,
            nursery: size_var(ENV_NURSERY)?,
            gc_debug: flag_var(ENV_GC_DEBUG)?,
            gc_stats: flag_var(ENV_GC_STATS)?,
        })
    }
}

fn flag_var(name: &str) -> Result<bool, String> {
    match std::env::var_os(name) {
        None => Ok(false),
        Some(value) => match value.to_string_lossy().trim() {
            "" | "0" => Ok(false),
            "1" => Ok(true),
            other => Err(format!("invalid {name}={other:?}: expected 0 or 1")),
        },
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
    fn gc_flags_are_zero_or_one() {
        // One test sets and clears the variables, so parallel tests do not race on them.
        for (value, want) in [("1", Ok(true)), ("0", Ok(false)), ("", Ok(false)), ("yes", Err(()))] {
            std::env::set_var("KILN_TEST_FLAG_VAR", value);
            assert_eq!(flag_var("KILN_TEST_FLAG_VAR").map_err(|_| ()), want, "{value:?}");
        }
        std::env::remove_var("KILN_TEST_FLAG_VAR");
        assert_eq!(flag_var("KILN_TEST_FLAG_VAR"), Ok(false));
    }

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
