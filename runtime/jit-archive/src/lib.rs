//! `libkiln_jit.a`: the whole runtime (every `#[no_mangle]` symbol of `kiln-runtime`,
//! so it replaces `libkiln_runtime.a` at link time) plus the JIT and its C-ABI entry
//! points, for VMs translated with `--jit`.
//!
//! Entry points (what the rewritten portal will call):
//! - `kiln_jit_start(rt, vtable_offset) -> *mut JitState`: reads `KILN_JIT`,
//!   `KILN_JITLOG` and `KILN_JIT_PERFMAP` (bad values are reported on stderr) and makes
//!   the JIT for the program's collector record `rt`; null when the JIT is off.
//! - `kiln_jit_finish(state)`: writes the counters to the log and frees the JIT.

// Linked for its exported symbols, which the VM's generated code names.
extern crate kiln_runtime;

use jit::state::JitState;
use kiln_abi::JitRuntime;

/// # Safety
/// `rt` is one of the runtime's `kiln_gc_NAME_jit` records (or null: no JIT).
#[no_mangle]
pub unsafe extern "C" fn kiln_jit_start(rt: *const JitRuntime, vtable_offset: i64) -> *mut JitState {
    // SAFETY: per the contract, a static record or null.
    let Some(rt) = (unsafe { rt.as_ref() }) else { return core::ptr::null_mut() };
    let Ok(offset) = i32::try_from(vtable_offset) else { return core::ptr::null_mut() };
    match JitState::from_env(rt, offset) {
        Some(state) => Box::into_raw(Box::new(state)),
        None => core::ptr::null_mut(),
    }
}

/// # Safety
/// `state` is null or what `kiln_jit_start` returned, not finished before.
#[no_mangle]
pub unsafe extern "C" fn kiln_jit_finish(state: *mut JitState) {
    if state.is_null() {
        return;
    }
    // SAFETY: per the contract.
    let mut state = unsafe { Box::from_raw(state) };
    state.finish();
}
