//! What the runtime offers a JIT: one C-ABI [`JitRuntime`] record per collector
//! (`kiln_gc_NAME_jit`: the bump window, slow paths, barrier entries, shadow stack and
//! exception state), the extra root source through which the JIT's constants and frames
//! become GC roots, and an identity hash that stays stable when objects move.
//!
//! Nothing here is referenced by generated code without `--jit`: the records are only
//! named by a JIT VM, so `--gc-sections` drops them. What the collectors call (the root
//! source, [`after_move`]) is a test of a global that stays unset without the JIT; the
//! identity table's code is reached only through hooks that its first use installs.
//!
//! **Identity hash.** The hash of an object that may move (`Collector::may_move`) is
//! taken from its address when first asked and kept in a side table keyed by the
//! object's current address; the moving collectors rewrite the table after copying
//! ([`after_move`]): entries of moved objects follow them, entries of dead ones go. An
//! object that cannot move hashes by its address and takes no entry. Entries of promoted
//! objects that die old stay until the run ends (a later object at the same address
//! inherits the hash, which is harmless for a hash).

use core::ffi::c_void;
use core::ptr::addr_of_mut;
use std::collections::HashMap;

use kiln_abi::{JitRuntime, RootSource, RootVisitor, ABI_VERSION};

use super::roots::kiln_gc_root_stack_top;
use super::{incminimark, marksweep, none, semispace};
use crate::exc::{kiln_exc_type, kiln_exc_value};
use crate::global::Global;

struct Source {
    source: Option<RootSource>,
    ctx: *mut c_void,
}

static SOURCE: Global<Source> = Global::new(Source { source: None, ctx: core::ptr::null_mut() });

/// Installs the extra root source (`None` removes it).
///
/// # Safety
/// `source` must be callable with `ctx` at every collection until it is removed.
pub unsafe extern "C" fn kiln_gc_set_root_source(source: Option<RootSource>, ctx: *mut c_void) {
    // SAFETY: short exclusive access.
    unsafe { *SOURCE.get() = Source { source, ctx } };
}

unsafe extern "C" fn trampoline<F: FnMut(*mut *mut u8)>(slot: *mut *mut u8, ctx: *mut c_void) {
    // SAFETY: `ctx` is the `F` that `for_each_extra_root` passed; slots are readable.
    unsafe {
        if !slot.is_null() && !(*slot).is_null() {
            (*(ctx as *mut F))(slot)
        }
    }
}

/// Calls `f` with every non-null slot the extra root source holds.
pub(crate) fn for_each_extra_root<F: FnMut(*mut *mut u8)>(mut f: F) {
    // SAFETY: short read.
    let (source, ctx) = unsafe { ((*SOURCE.get()).source, (*SOURCE.get()).ctx) };
    if let Some(source) = source {
        let visit: RootVisitor = trampoline::<F>;
        // SAFETY: the source was installed with this context; `f` outlives the call.
        unsafe { source(ctx, visit, &mut f as *mut F as *mut c_void) };
    }
}

/// The identity-hash table: current address → hash. Made (and the hooks below installed)
/// by the first hash of a movable object, so that a VM that never asks for one links
/// none of it: the collectors only test [`HOOKS`].
static TABLE: Global<*mut HashMap<usize, i64>> = Global::new(core::ptr::null_mut());

/// What the collectors call when identity hashes exist.
struct Hooks {
    after_move: fn(&mut dyn FnMut(*mut u8) -> Option<*mut u8>),
    reset: fn(),
}

static HOOKS: Global<Option<&'static Hooks>> = Global::new(None);

static TABLE_HOOKS: Hooks = Hooks { after_move: rehash, reset: drop_table };

fn address_hash(p: usize) -> i64 {
    // Fibonacci hashing: objects are 8-aligned, so spread the low bits.
    ((p as u64 >> 3).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 1) as i64
}

/// The identity hash of `obj`, stable across moves (see the module doc). Reached
/// through the JIT record (`JitRuntime::identity_hash`), so not exported by name.
pub extern "C" fn kiln_gc_identity_hash(obj: *mut u8) -> i64 {
    if obj.is_null() {
        return 0;
    }
    let p = obj as usize;
    // SAFETY: short exclusive access; the table, once made, lives until `drop_table`.
    let table = unsafe { &mut *TABLE.get() };
    if let Some(h) = unsafe { table.as_ref() }.and_then(|t| t.get(&p)) {
        return *h;
    }
    let h = address_hash(p);
    if (super::active().may_move)(obj) {
        if table.is_null() {
            *table = Box::into_raw(Box::new(HashMap::new()));
            // SAFETY: short exclusive access.
            // Opaque to the optimizer: otherwise it sees the one value ever stored and
            // calls `rehash` from the collectors directly, linking the table's code into
            // every VM.
            unsafe { *HOOKS.get() = core::hint::black_box(Some(&TABLE_HOOKS)) };
        }
        // SAFETY: made just above or before.
        unsafe { (**table).insert(p, h) };
    }
    h
}

/// After a moving collection: `moved(p)` says where the object at `p` is now, or `None`
/// when it died. Runs before the old copies are overwritten.
pub(crate) fn after_move(mut moved: impl FnMut(*mut u8) -> Option<*mut u8>) {
    // SAFETY: short read.
    if let Some(hooks) = unsafe { *HOOKS.get() } {
        (hooks.after_move)(&mut moved);
    }
}

fn rehash(moved: &mut dyn FnMut(*mut u8) -> Option<*mut u8>) {
    // SAFETY: the hooks are installed only once the table exists; `moved` only reads
    // headers.
    let t = unsafe { &mut **TABLE.get() };
    if t.is_empty() {
        return;
    }
    let old = std::mem::take(t);
    for (p, h) in old {
        if let Some(to) = moved(p as *mut u8) {
            t.insert(to as usize, h);
        }
    }
}

fn drop_table() {
    // SAFETY: short exclusive access; the table was made by `Box::into_raw`.
    unsafe {
        let t = std::mem::replace(&mut *TABLE.get(), core::ptr::null_mut());
        if !t.is_null() {
            drop(Box::from_raw(t));
        }
    }
}

/// Makes RecursionError pending (reached through the JIT record, so not exported by name).
pub extern "C" fn kiln_gc_raise_recursion_error() {
    crate::exc::raise_recursion_error();
}

/// Forgets every identity hash and the root source (a new run).
pub(crate) fn reset() {
    // SAFETY: short exclusive access.
    unsafe {
        if let Some(hooks) = (*HOOKS.get()).take() {
            (hooks.reset)();
        }
        *SOURCE.get() = Source { source: None, ctx: core::ptr::null_mut() };
    }
}

/// The number of identity-hash entries (for tests).
pub fn identity_entries() -> usize {
    // SAFETY: short read.
    unsafe { (*TABLE.get()).as_ref().map_or(0, |t| t.len()) }
}

macro_rules! jit_record {
    ($name:ident, $gc:literal, $moving:expr, $free:path, $top:path, $slow:path, $varslow:path, $wb:expr, $wba:expr) => {
        #[no_mangle]
        pub static $name: JitRuntime = JitRuntime {
            abi_version: ABI_VERSION,
            moving: $moving,
            gc_name: concat!($gc, "\0").as_ptr(),
            free: addr_of_mut!($free),
            top: addr_of_mut!($top),
            malloc_slow: $slow,
            malloc_varsize_slow: $varslow,
            wb: $wb,
            wb_array: $wba,
            root_stack_top: addr_of_mut!(kiln_gc_root_stack_top),
            exc_type: addr_of_mut!(kiln_exc_type),
            exc_value: addr_of_mut!(kiln_exc_value),
            set_root_source: kiln_gc_set_root_source,
            identity_hash: kiln_gc_identity_hash,
            raise_recursion_error: kiln_gc_raise_recursion_error,
        };
    };
}

jit_record!(kiln_gc_none_jit, "none", 0, none::kiln_gc_none_free, none::kiln_gc_none_top, none::kiln_gc_none_malloc_slow, none::kiln_gc_none_malloc_varsize_slow, None, None);
jit_record!(
    kiln_gc_semispace_jit,
    "semispace",
    1,
    semispace::kiln_gc_semispace_free,
    semispace::kiln_gc_semispace_top,
    semispace::kiln_gc_semispace_malloc_slow,
    semispace::kiln_gc_semispace_malloc_varsize_slow,
    None,
    None
);
jit_record!(
    kiln_gc_marksweep_jit,
    "marksweep",
    0,
    marksweep::kiln_gc_marksweep_free,
    marksweep::kiln_gc_marksweep_top,
    marksweep::kiln_gc_marksweep_malloc_slow,
    marksweep::kiln_gc_marksweep_malloc_varsize_slow,
    None,
    None
);
jit_record!(
    kiln_gc_incminimark_jit,
    "incminimark",
    1,
    incminimark::kiln_gc_incminimark_free,
    incminimark::kiln_gc_incminimark_top,
    incminimark::kiln_gc_incminimark_malloc_slow,
    incminimark::kiln_gc_incminimark_malloc_varsize_slow,
    Some(incminimark::kiln_gc_incminimark_wb),
    Some(incminimark::kiln_gc_incminimark_wb_array)
);
