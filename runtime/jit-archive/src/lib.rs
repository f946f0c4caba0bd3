//! `libkiln_jit.a`: the whole runtime (every `#[no_mangle]` symbol of `kiln-runtime`,
//! so it replaces `libkiln_runtime.a` at link time) plus the JIT and its C-ABI entry
//! points, for VMs translated with `--jit` (docs/jit.md, "The portal").
//!
//! Entry points:
//! - `kiln_jit_active`: a byte the portal tests before each merge point's call: 1 until
//!   the JIT is found to be off (`KILN_JIT=off`, or it failed to load), then 0.
//! - `kiln_jit_values`: `[u64; 256]`, through which the rewritten portal passes its
//!   greens then reds (one word each) and gets new ones back.
//! - `kiln_jit_init(program)`: called by the VM's `main` after `kiln_rt_start` with its
//!   `kiln_jit_program` record (`kiln_abi::KilnJitProgram`). Only remembers it.
//! - `kiln_jit_merge_point(driver) -> Outcome`: called by the portal of driver `driver`
//!   at its merge point (a program has a portal per driver). The first call reads `KILN_JIT` (`off`: the JIT stays off, every call returns
//!   `Continue` at once), loads the jitcodes into a `kiln_metainterp::Program` and makes
//!   the `MetaInterp`; a load failure is one line on stderr and the JIT stays off. Then
//!   each call is `MetaInterp::merge_point`.
//! - `kiln_jit_exit()`: called by `main` before `kiln_rt_finish`: the JIT writes its
//!   counters to the log (`KILN_JITLOG`).
//! - `kiln_jit_start(rt, vtable_offset)`/`kiln_jit_finish(state)`: a `JitState` alone,
//!   for tests of the JIT against a runtime without a translated program.
//!
//! A VM is one thread, so the state is a plain global; a panic inside the JIT is caught
//! at the C boundary, reported, and turns the JIT off (the interpreter goes on).

// Linked for its exported symbols, which the VM's generated code names.
extern crate kiln_runtime;

use std::cell::UnsafeCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use jit::state::JitState;
use kiln_abi::{JitRuntime, KilnJitProgram, ABI_VERSION, JIT_VALUES_LEN};
use kiln_metainterp::{MetaInterp, Outcome, Program};

/// The portal's greens and reds, and the JIT's answers (contract 1 of the JIT).
#[no_mangle]
pub static mut kiln_jit_values: [u64; JIT_VALUES_LEN as usize] = [0; JIT_VALUES_LEN as usize];

/// Non-zero while the JIT wants to see merge points: at first (the first merge point
/// starts it) and while it is on. The portal skips the call while it is zero.
#[no_mangle]
pub static mut kiln_jit_active: u8 = 1;

fn set_active(on: bool) {
    // SAFETY: one thread; a plain byte.
    unsafe { core::ptr::addr_of_mut!(kiln_jit_active).write(on as u8) };
}

enum Jit {
    /// `kiln_jit_init` has not run (a VM linked with this archive but without `--jit`),
    /// or it has and no merge point was reached yet.
    Unstarted(*const KilnJitProgram),
    Off,
    /// Boxed: the meta-interpreter is big, and its address must not change while it runs.
    /// With it, how many words each driver's portal passes, by driver number.
    On(Box<MetaInterp>, Vec<(u32, usize)>),
}

/// Whether a call of `kiln_jit_merge_point` is running (see its re-entry rule).
struct InJit(core::cell::Cell<bool>);
// SAFETY: a translated VM runs on one thread.
unsafe impl Sync for InJit {}
impl InJit {
    fn get(&self) -> bool {
        self.0.get()
    }
    fn set(&self, on: bool) {
        self.0.set(on)
    }
}
static IN_JIT: InJit = InJit(core::cell::Cell::new(false));

struct Global(UnsafeCell<Jit>);
// SAFETY: a translated VM runs on one thread; only its generated code calls in here.
unsafe impl Sync for Global {}

static JIT: Global = Global(UnsafeCell::new(Jit::Unstarted(core::ptr::null())));

/// # Safety
/// `program` is the VM's `kiln_jit_program` record (or null: no JIT).
#[no_mangle]
pub unsafe extern "C" fn kiln_jit_init(program: *const KilnJitProgram) {
    // SAFETY: one thread; no reference into JIT is alive across calls.
    unsafe { *JIT.0.get() = Jit::Unstarted(program) };
}

/// Loads the program the record describes; `Err` is the reason the JIT stays off.
///
/// # Safety
/// `record` is the VM's `kiln_jit_program` record, which lives as long as the process.
unsafe fn load(record: &'static KilnJitProgram) -> Result<(Program, &'static JitRuntime), String> {
    if record.abi_version != ABI_VERSION {
        return Err(format!("the VM was translated for ABI version {}, this JIT runtime is version {ABI_VERSION}", record.abi_version));
    }
    // SAFETY: the record points to the collector's static record.
    let rt = unsafe { record.runtime.as_ref() }.ok_or("the VM names no collector record")?;
    if rt.abi_version != ABI_VERSION {
        return Err(format!("the collector record has ABI version {}, expected {ABI_VERSION}", rt.abi_version));
    }
    if record.jitcodes.is_null() || (record.symbol_addrs.is_null() && record.symbol_count > 0) {
        return Err("the VM's jitcode record is incomplete".into());
    }
    // SAFETY: the backend emits both arrays with these lengths, as constants.
    let bytes = unsafe { std::slice::from_raw_parts(record.jitcodes, record.jitcodes_len as usize) };
    let addrs: &[u64] = if record.symbol_count == 0 { &[] } else { unsafe { std::slice::from_raw_parts(record.symbol_addrs, record.symbol_count as usize) } };
    let program = Program::load(bytes, addrs, rt, record.vtable_offset)?;
    Ok((program, rt))
}

/// The first merge point: the JIT's parameters, then the program.
fn start(record: *const KilnJitProgram) -> Jit {
    // SAFETY: per `kiln_jit_init`'s contract, null or the static record.
    let Some(record) = (unsafe { record.as_ref() }) else { return Jit::Off };
    let params = jit::warmstate::JitParams::from_env();
    if !params.enabled {
        return Jit::Off;
    }
    // SAFETY: the record is static.
    let (program, rt) = match unsafe { load(record) } {
        Ok(p) => p,
        Err(e) => {
            eprintln!("kiln: the JIT is off: cannot load the VM's jitcodes: {e}");
            return Jit::Off;
        }
    };
    // How many words each portal passes: its merge point's greens and reds with a value.
    let mut arity = Vec::new();
    for p in &program.set.portals {
        match kiln_metainterp::tracer::find_merge_point(&program, p.number).and_then(|(_, d)| kiln_metainterp::tracer::merge_slots(&d)) {
            Ok((_, slots)) if slots.len() <= JIT_VALUES_LEN as usize => arity.push((p.number, slots.len())),
            Ok((_, slots)) => {
                eprintln!("kiln: the JIT is off: the merge point of {} passes {} values, more than {JIT_VALUES_LEN}", p.driver, slots.len());
                return Jit::Off;
            }
            Err(e) => {
                eprintln!("kiln: the JIT is off: cannot load the VM's jitcodes: {e}");
                return Jit::Off;
            }
        }
    }
    // `from_env` reports its own failures (and reads KILN_JIT again: the same answer).
    match JitState::from_env(rt, record.vtable_offset) {
        Some(state) => Jit::On(Box::new(MetaInterp::with_state(program, state)), arity),
        None => Jit::Off,
    }
}

/// The portal's merge point of driver `driver`: greens then reds are in
/// `kiln_jit_values`. Returns a `kiln_metainterp::Outcome`.
#[no_mangle]
pub extern "C" fn kiln_jit_merge_point(driver: i64) -> i64 {
    // Re-entry: the JIT (compiled code, the tracer or the blackhole interpreter) made a
    // residual call that reached the portal again, a recursive interpreter. That inner
    // portal runs in the interpreter alone: the meta-interpreter is busy (and borrowed)
    // in the outer call. Continue keeps the inner portal's own values.
    if IN_JIT.get() {
        return Outcome::Continue as i64;
    }
    // SAFETY: one thread, and no other reference to the state is alive: a call that
    // re-enters while the JIT runs returns below before touching `mi`.
    let jit = unsafe { &mut *JIT.0.get() };
    if let Jit::Unstarted(record) = *jit {
        *jit = match catch_unwind(AssertUnwindSafe(|| start(record))) {
            Ok(j) => j,
            Err(_) => {
                eprintln!("kiln: the JIT is off: it failed to start (an internal error)");
                Jit::Off
            }
        };
    }
    let Jit::On(mi, arity) = jit else {
        set_active(false);
        return Outcome::Continue as i64;
    };
    let Ok(driver) = u32::try_from(driver) else { return Outcome::Continue as i64 };
    // A driver without a portal cannot call in here (the codewriter made one portal per
    // driver with a merge point); its values, if it did, would be left alone.
    let Some(&(_, n)) = arity.iter().find(|&&(d, _)| d == driver) else { return Outcome::Continue as i64 };
    let n = &n;
    // The outer call works on its own copy of the values, because an inner portal
    // writes its greens and reds into the same global array before it calls in here.
    // SAFETY: one thread; the portal wrote `n` words before the call.
    let global = unsafe { std::slice::from_raw_parts_mut(core::ptr::addr_of_mut!(kiln_jit_values).cast::<u64>(), *n) };
    let mut local = global.to_vec();
    IN_JIT.set(true);
    let result = catch_unwind(AssertUnwindSafe(|| mi.merge_point(driver, &mut local)));
    IN_JIT.set(false);
    // SAFETY: as above; nothing can collect between this copy and the portal's loads.
    let global = unsafe { std::slice::from_raw_parts_mut(core::ptr::addr_of_mut!(kiln_jit_values).cast::<u64>(), *n) };
    global.copy_from_slice(&local);
    match result {
        Ok(outcome) => outcome as i64,
        Err(_) => {
            // What the JIT did is lost; the interpreter goes on from this merge point
            // with the values it passed, which the JIT writes only on Restart/Return.
            eprintln!("kiln: the JIT is off: an internal error at a merge point");
            *jit = Jit::Off;
            set_active(false);
            Outcome::Continue as i64
        }
    }
}

/// The end of the run: the counters go to the log and the JIT stops.
#[no_mangle]
pub extern "C" fn kiln_jit_exit() {
    // SAFETY: as in `kiln_jit_merge_point`.
    let jit = unsafe { &mut *JIT.0.get() };
    if let Jit::On(mi, _) = jit {
        let _ = catch_unwind(AssertUnwindSafe(|| mi.finish()));
    }
    *jit = Jit::Off;
    set_active(false);
}

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
