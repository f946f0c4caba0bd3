//! The stack check behind `RecursionError`: generated code calls [`kiln_stack_check`] on
//! entry to functions that sit in a recursion cycle, and it raises instead of letting the
//! program overflow its stack and crash.
//!
//! At startup the runtime records an address near the stack's base and derives a limit
//! address below it: the usable size is `KILN_STACK_LIMIT` when set, otherwise the
//! `RLIMIT_STACK` soft limit (8 MiB when unlimited) minus [`SAFETY_MARGIN`], which leaves
//! room for the frames above `kiln_rt_start`, for raising the error itself and for
//! handlers that run after it. The check is two loads and two compares: the shadow stack
//! of GC roots is checked as well. Generated code does both inline (reading
//! [`kiln_stack_limit`] and `kiln_gc_root_stack_limit`) and calls [`kiln_stack_check`],
//! which repeats them and raises, only when one fails.

use core::sync::atomic::{AtomicUsize, Ordering};

use crate::exc;

/// Stack kept free below the limit.
pub const SAFETY_MARGIN: u64 = 256 << 10;
/// The stack size assumed when `RLIMIT_STACK` is unlimited.
const DEFAULT_STACK_SIZE: u64 = 8 << 20;

/// The lowest stack address a program may reach; 0 disables the check (before startup).
/// Generated code reads it (`kiln_abi::SYM_STACK_LIMIT`) to test the stack inline, and
/// calls [`kiln_stack_check`] only when the test fails.
#[no_mangle]
pub static kiln_stack_limit: AtomicUsize = AtomicUsize::new(0);

pub const RECURSION_MESSAGE: &str = "maximum recursion depth exceeded";

/// Disables the check (a new run, before startup).
pub(crate) fn reset() {
    kiln_stack_limit.store(0, Ordering::Relaxed);
}

/// Startup: `base` is an address near the top of the calling thread's stack.
/// `usable` overrides the usable size (`KILN_STACK_LIMIT`).
pub(crate) fn init(base: usize, usable: Option<u64>) {
    let usable = usable.unwrap_or_else(|| rlimit_stack().saturating_sub(SAFETY_MARGIN));
    let limit = (base as u64).saturating_sub(usable);
    // A limit of 0 would mean "disabled": keep the check on even for a huge allowance.
    kiln_stack_limit.store(limit.max(1) as usize, Ordering::Relaxed);
}

fn rlimit_stack() -> u64 {
    let mut rl = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `rl` is a valid out-parameter.
    if unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut rl) } != 0 || rl.rlim_cur == libc::RLIM_INFINITY {
        return DEFAULT_STACK_SIZE;
    }
    rl.rlim_cur
}

/// An address in the caller's current stack frame.
#[inline(always)]
pub fn current_stack_address() -> usize {
    let marker = 0u8;
    core::hint::black_box(&marker) as *const u8 as usize
}

/// Raises RecursionError when the stack has grown past the limit, or when the shadow
/// stack of GC roots (which grows with the machine stack, at a rate that depends on the
/// frames) has less than its margin left.
#[no_mangle]
pub extern "C" fn kiln_stack_check() {
    if current_stack_address() < kiln_stack_limit.load(Ordering::Relaxed) || !crate::gc::roots::has_margin() {
        stack_overflow();
    }
}

/// Raises the RecursionError allocated at startup: the check allocates nothing, so it is
/// never a collection point (before startup there is none, and the check is off anyway).
#[cold]
#[inline(never)]
fn stack_overflow() {
    exc::raise_recursion_error();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RtConfig;
    use crate::host::testing::started;

    /// Recurses, checking the stack on every call, until the check raises; returns the
    /// depth reached. Each frame holds a buffer so the depth does not depend much on
    /// how the compiler lays out this small function.
    fn recurse(depth: usize) -> usize {
        let pad = core::hint::black_box([0u8; 512]);
        kiln_stack_check();
        if exc::is_pending() {
            return depth;
        }
        let d = recurse(depth + 1);
        core::hint::black_box(pad);
        d
    }

    #[test]
    fn deep_recursion_raises_recursion_error() {
        let (session, _) = started(RtConfig { stack_limit: Some(256 << 10), ..RtConfig::default() }, &[]);
        let depth = recurse(0);
        assert!((64..=512).contains(&depth), "256 KiB of 512-byte frames, got depth {depth}");
        assert_eq!(session.finish(0), 1);
        assert_eq!(session.take_output().stderr, b"RecursionError: maximum recursion depth exceeded\n");
    }

    #[test]
    fn the_check_is_off_before_startup() {
        let _session = crate::host::Session::begin(true);
        kiln_stack_check();
        assert!(!exc::is_pending());
    }
}
