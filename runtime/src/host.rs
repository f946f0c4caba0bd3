//! The Rust API for running a program in-process, as the llinterp does: the same
//! startup, allocation, output and finish as a translated binary, inside the `kiln` tool.
//!
//! The runtime's state is process-wide, so a [`Session`] holds a process-wide lock from
//! [`Session::begin`] until it is dropped: runs in one process (parallel tests, say) take
//! turns. A run inside a session:
//! 1. [`Session::begin`] resets the state, optionally capturing output in memory.
//! 2. The host allocates its prebuilt objects ([`Session::alloc_static`],
//!    [`Session::alloc_prebuilt`], [`Session::alloc_prebuilt_str`]) and builds a
//!    `ProgramInfo` pointing at them.
//! 3. [`Session::start`] does what `kiln_rt_start` does and returns argv.
//! 4. The program runs, calling the exported functions and using [`crate::exc`] for the
//!    exception state.
//! 5. [`Session::finish`] does what `kiln_rt_finish` does; [`Session::take_output`] returns
//!    the captured bytes.
//!
//! Dropping the session flushes stdout and releases every object of the run: no pointer
//! into the run's heap may be used afterwards.

use std::sync::{Mutex, MutexGuard};

use kiln_abi::{ProgramInfo, RList, RStr};

use crate::config::RtConfig;
use crate::io::Captured;
use crate::start::StartError;
use crate::{alloc, io, rstr, stack, start};

static RUNTIME_LOCK: Mutex<()> = Mutex::new(());

/// Exclusive use of the runtime for one in-process run. Not `Send`: the runtime state
/// belongs to the thread that began the session.
pub struct Session {
    _lock: MutexGuard<'static, ()>,
}

impl Session {
    /// Waits for the runtime to be free, then resets it for a new run. With `capture`,
    /// stdout and stderr go to memory (see [`Session::take_output`]) instead of fds 1 and 2.
    pub fn begin(capture: bool) -> Session {
        // A panic in another session (a failing test) leaves nothing half-done that the
        // reset below does not redo, so a poisoned lock is still usable.
        let lock = RUNTIME_LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        alloc::release_all();
        start::reset_state(capture);
        Session { _lock: lock }
    }

    /// Zeroed, 8-aligned memory without a GC header for prebuilt non-GC data; lives until
    /// the session ends. Null when out of memory.
    pub fn alloc_static(&self, size: u64) -> *mut u8 {
        alloc::alloc_static(size)
    }

    /// A zeroed prebuilt GC object (header written, flagged prebuilt and old).
    pub fn alloc_prebuilt(&self, tid: u32, size: u64) -> *mut u8 {
        alloc::malloc_prebuilt(tid, size)
    }

    /// A prebuilt string.
    pub fn alloc_prebuilt_str(&self, text: &str) -> *mut RStr {
        rstr::alloc_prebuilt_str(text.as_bytes())
    }

    /// What `kiln_rt_start` does, with the configuration given rather than read from the
    /// environment. Returns argv.
    ///
    /// # Safety
    /// `info` points to a valid `ProgramInfo` (its vtable and type-info pointers valid too)
    /// that outlives the session.
    pub unsafe fn start(&self, args: &[&str], info: *const ProgramInfo, config: &RtConfig) -> Result<*mut RList, StartError> {
        // SAFETY: per this function's contract.
        unsafe { start::start(args, info, config, stack::current_stack_address()) }
    }

    /// Reports a startup failure as a binary would; returns its exit status.
    pub fn report_start_error(&self, e: &StartError) -> i32 {
        start::report_start_error(e)
    }

    /// What `kiln_rt_finish` does: returns the exit status.
    pub fn finish(&self, ret: i64) -> i32 {
        start::finish(ret)
    }

    /// The output captured so far (empty when not capturing). Flushes stdout first.
    pub fn take_output(&self) -> Captured {
        io::flush_stdout();
        io::take_captured()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        io::flush_stdout();
        start::reset_state(false);
        alloc::release_all();
    }
}

/// Test support: a started runtime in a capturing session.
#[cfg(test)]
pub(crate) mod testing {
    use core::ptr::null;

    use kiln_abi::{BuiltinExc, ProgramInfo, RList, Vtable, ABI_VERSION};

    use super::Session;
    use crate::config::RtConfig;

    /// A program that registers no vtables and no type info.
    pub static EMPTY_INFO: ProgramInfo = ProgramInfo {
        abi_version: ABI_VERSION,
        type_count: 0,
        type_info: null(),
        exc_vtables: [null::<Vtable>(); BuiltinExc::COUNT],
        gc: null(),
        prebuilt_count: 0,
        prebuilt_objects: null(),
    };

    /// Begins a capturing session and starts the runtime with `config` and `args`.
    pub fn started(config: RtConfig, args: &[&str]) -> (Session, *mut RList) {
        started_with(config, args, &EMPTY_INFO)
    }

    pub fn started_with(config: RtConfig, args: &[&str], info: &'static ProgramInfo) -> (Session, *mut RList) {
        let session = Session::begin(true);
        // SAFETY: `info` is a valid static program info.
        let argv = unsafe { session.start(args, info, &config) }.expect("the runtime starts");
        (session, argv)
    }
}
