//! The garbage collectors, and what they share: the collector interface, the active
//! collector, roots, type info, statistics, and the runtime's own allocation entry points.
//!
//! Each collector is a module exporting, under `kiln_gc_<name>_*` (`kiln_abi::gc`), what
//! GC-transformed code calls: the bump window (`_free`, `_top`), the allocation slow paths,
//! the write barrier's slow paths where it has a barrier, and its [`Collector`]
//! descriptor, whose address the generated `ProgramInfo` carries. The runtime never names
//! a collector itself (it calls the one the program info names, or [`none`] when there is
//! none), so the linker keeps only the collector a program was translated for.
//!
//! - [`none`]: bump allocation, never frees. The llinterp's collector.
//! - [`semispace`]: copying between two spaces (Cheney).
//! - [`marksweep`]: non-moving mark and sweep over `oldspace.rs`.
//! - [`incminimark`]: generational with a nursery; incremental marking and lazy sweeping
//!   of a non-moving old generation; card marking for large arrays.
//!
//! Every collector obeys the same rules: objects are zeroed with their header written
//! when handed out; the heap holds at most `KILN_GC_MAX_HEAP` bytes of objects (a
//! collector may pass it transiently by at most its nursery), and allocation past it
//! returns null so the caller raises MemoryError; `KILN_GC_DEBUG=1` collects at every
//! allocation and checks the heap after each collection; `KILN_GC_STATS=1` prints a
//! summary at exit.
//!
//! Roots: the shadow stack, the pending exception and the JIT's root source (`roots.rs`,
//! `jit.rs`); prebuilt objects that
//! may point into the heap (for collectors without a write barrier: the program's table
//! of prebuilt objects with GC pointers and the runtime's own; for all: prebuilt objects
//! written at run time, which barriers record).
//!
//! Rust code that allocates holds its GC pointers in `roots::Roots` across the
//! allocation and calls [`write_barrier`] after storing a GC pointer into an object.

pub mod incminimark;
pub mod jit;
pub mod marksweep;
pub mod none;
pub(crate) mod oldspace;
pub(crate) mod roots;
pub mod semispace;
pub(crate) mod stats;
pub(crate) mod types;

#[cfg(test)]
mod tests;

use core::ptr::null_mut;

use kiln_abi::gc::alloc_size;
use kiln_abi::{GcHeader, ProgramInfo, GCFLAG_PREBUILT, GCFLAG_ROOT_RECORDED, GCFLAG_TRACK_YOUNG_PTRS};

use crate::config::RtConfig;
use crate::global::Global;
use crate::{exc, io};

/// No single object may be larger: the size is then certainly the product of a bad
/// length, and refusing it early keeps every size computation far from overflow.
pub const MAX_OBJECT_SIZE: u64 = 1 << 46;

/// A collector, as the runtime drives it. Collectors allocate objects zeroed, with the
/// header `{tid, flags}` written (flags as the collector needs them) and sizes already
/// passed through `kiln_abi::gc::alloc_size`; they return null when the heap is exhausted
/// and never raise themselves.
pub struct Collector {
    pub name: &'static str,
    /// Sets up a fresh heap for a run.
    pub(crate) init: fn(&GcSettings) -> Result<(), String>,
    /// A fixed-size object of `size` bytes; may collect.
    pub(crate) malloc: fn(tid: u32, size: usize) -> *mut u8,
    /// A variable-size object of `size` bytes with `length` written at `length_offset`;
    /// may collect.
    pub(crate) malloc_varsize: fn(tid: u32, size: usize, length: i64, length_offset: usize) -> *mut u8,
    /// An object that never moves, allocated without collecting (for caches the runtime
    /// fills in behind helpers that are declared not to collect).
    pub(crate) malloc_no_collect: fn(tid: u32, size: usize) -> *mut u8,
    /// A full collection.
    pub(crate) collect: fn(),
    /// The write barrier's slow path: `obj`, which has `GCFLAG_TRACK_YOUNG_PTRS`, is
    /// about to get (or just got, from the runtime) a GC pointer stored into it.
    pub(crate) write_barrier: fn(obj: *mut u8),
    /// Checks the heap's invariants (debug mode); the error says what is broken.
    pub(crate) check_heap: fn() -> Result<(), String>,
    /// Bytes of objects the heap holds now, as counted against the limit.
    pub(crate) heap_bytes: fn() -> u64,
    /// Frees every object and all memory (the end of an in-process run).
    pub(crate) release: fn(),
    /// Whether a collection may move `obj` (for stable identity hashes, `jit.rs`).
    pub(crate) may_move: fn(obj: *mut u8) -> bool,
}

// SAFETY: the descriptor is immutable: names and function pointers.
unsafe impl Sync for Collector {}

/// The settings a collector starts from.
#[derive(Clone, Debug, Default)]
pub(crate) struct GcSettings {
    pub max_heap: Option<u64>,
    pub nursery: Option<u64>,
    pub debug: bool,
}

struct State {
    active: &'static Collector,
    /// `ProgramInfo::prebuilt_objects`.
    table: *const *mut GcHeader,
    table_len: usize,
    /// Prebuilt objects the runtime made whose type has GC pointers (strings aside).
    runtime_prebuilt: Vec<*mut u8>,
    /// Prebuilt objects written at run time (flagged `GCFLAG_ROOT_RECORDED`).
    written_prebuilt: Vec<*mut u8>,
    /// `KILN_GC_MAX_HEAP`, for helpers that build a result outside the heap first.
    max_heap: Option<u64>,
}

static STATE: Global<State> = Global::new(State {
    active: &none::kiln_gc_none_collector,
    table: core::ptr::null(),
    table_len: 0,
    runtime_prebuilt: Vec::new(),
    written_prebuilt: Vec::new(),
    max_heap: None,
});

#[inline]
fn active() -> &'static Collector {
    // SAFETY: short read.
    unsafe { (*STATE.get()).active }
}

/// The name of the collector of the current run.
pub fn active_name() -> &'static str {
    active().name
}

/// Ends the process after a broken GC invariant (a bug in Kiln, never in the program):
/// there is no sane way to continue with a corrupt heap.
pub(crate) fn fatal(msg: &str) -> ! {
    io::flush_stdout();
    io::write_stderr(format!("kiln runtime: fatal GC error: {msg}\n").as_bytes());
    std::process::abort()
}

/// Startup: records the program's type info and prebuilt roots, makes the shadow stack
/// and starts the program's collector with the configured sizes.
pub(crate) fn start(info: &ProgramInfo, config: &RtConfig) -> Result<(), String> {
    types::set_table(info.type_info, info.type_count);
    // SAFETY: a non-null `gc` is the address of a collector descriptor (the backend emits
    // `&kiln_gc_<name>_collector`); the program info outlives the run.
    let collector: &'static Collector = match unsafe { (info.gc as *const Collector).as_ref() } {
        Some(c) => c,
        None => &none::kiln_gc_none_collector,
    };
    // SAFETY: short exclusive access.
    unsafe {
        let st = &mut *STATE.get();
        st.active = collector;
        st.table = info.prebuilt_objects;
        st.table_len = if info.prebuilt_objects.is_null() { 0 } else { info.prebuilt_count as usize };
        st.max_heap = config.max_heap;
    }
    if !roots::init() {
        return Err("cannot reserve memory for the shadow stack".into());
    }
    stats::reset(config.gc_stats);
    let settings = GcSettings { max_heap: config.max_heap, nursery: config.nursery, debug: config.gc_debug };
    (collector.init)(&settings)
}

/// Forgets the run's collector state and frees its heap (in-process runs end so).
pub(crate) fn release() {
    (active().release)();
    // SAFETY: short exclusive access.
    unsafe {
        let st = &mut *STATE.get();
        st.active = &none::kiln_gc_none_collector;
        st.table = core::ptr::null();
        st.table_len = 0;
        st.runtime_prebuilt.clear();
        st.written_prebuilt.clear();
        st.max_heap = None;
    }
    jit::reset();
    types::set_table(core::ptr::null(), 0);
    roots::reset();
}

/// The statistics summary for the end of the run, when `KILN_GC_STATS=1`.
pub(crate) fn stats_report() -> Option<String> {
    stats::report(active().name, (active().heap_bytes)())
}

/// Whether an object of `size` bytes can never fit in the heap (larger than
/// `KILN_GC_MAX_HEAP` or than any object may be): a helper that would build such a
/// result outside the heap first raises MemoryError before it starts.
pub fn too_large(size: u64) -> bool {
    // SAFETY: short read.
    size > MAX_OBJECT_SIZE || unsafe { (*STATE.get()).max_heap }.is_some_and(|m| size > m)
}

/// Bytes of objects in the heap now.
pub fn heap_bytes() -> u64 {
    (active().heap_bytes)()
}

/// A new zeroed object of `size` bytes (header written); null when the heap is
/// exhausted or the size impossible. May collect: GC pointers the caller holds must be in
/// `roots::Roots`. Raises nothing.
pub fn malloc(tid: u32, size: u64) -> *mut u8 {
    if size > MAX_OBJECT_SIZE {
        return null_mut();
    }
    (active().malloc)(tid, alloc_size(size) as usize)
}

/// A new variable-size object of `size` bytes in total with `length` stored at
/// `length_offset`; null on exhaustion or for an impossible size or length. May collect.
pub fn malloc_varsize(tid: u32, size: i64, length: i64, length_offset: i64) -> *mut u8 {
    if size < 0 || size as u64 > MAX_OBJECT_SIZE || length < 0 || length_offset < 8 || length_offset.checked_add(8).is_none_or(|end| end > size) {
        return null_mut();
    }
    (active().malloc_varsize)(tid, alloc_size(size as u64) as usize, length, length_offset as usize)
}

/// A new zeroed object that never moves, allocated without collecting; null when there
/// is no room without a collection.
pub fn malloc_no_collect(tid: u32, size: u64) -> *mut u8 {
    if size > MAX_OBJECT_SIZE {
        return null_mut();
    }
    (active().malloc_no_collect)(tid, alloc_size(size) as usize)
}

/// Tells the collector that a GC pointer was stored into `obj`; Rust code calls it after
/// every such store into an object it did not allocate since its last collection point.
#[inline]
pub fn write_barrier(obj: *mut u8) {
    if !obj.is_null() && types::header(obj).flags & GCFLAG_TRACK_YOUNG_PTRS != 0 {
        (active().write_barrier)(obj);
    }
}

/// `Collector::may_move` of the collectors that never move objects.
pub(crate) fn never_moves(_obj: *mut u8) -> bool {
    false
}

/// Checks the heap's invariants (what `KILN_GC_DEBUG=1` does after every collection);
/// the error says what is broken.
pub fn check_heap() -> Result<(), String> {
    (active().check_heap)()
}

/// A full collection by the active collector.
pub fn collect() {
    (active().collect)();
}

/// `kiln.rgc.collect()`.
#[no_mangle]
pub extern "C" fn kiln_gc_collect() {
    collect();
}

/// The switch of `kiln.rgc.disable()`/`enable()`, read by `isenabled()`.
static ENABLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// `kiln.rgc.disable()` (false) and `enable()` (true). As under CPython, where reference
/// counting goes on freeing memory while `gc.disable()` has the cycle collector off, the
/// collector keeps reclaiming memory: the switch is what `isenabled()` reports.
#[no_mangle]
pub extern "C" fn kiln_gc_set_enabled(on: bool) {
    ENABLED.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// `kiln.rgc.isenabled()`.
#[no_mangle]
pub extern "C" fn kiln_gc_isenabled() -> bool {
    ENABLED.load(std::sync::atomic::Ordering::Relaxed)
}

/// The generated slow path of a fixed-size `malloc`: null with MemoryError set on
/// exhaustion.
pub(crate) fn slow_malloc(c: &Collector, tid: i64, size: i64) -> *mut u8 {
    let p = if (0..=MAX_OBJECT_SIZE as i64).contains(&size) && (0..=u32::MAX as i64).contains(&tid) {
        (c.malloc)(tid as u32, alloc_size(size as u64) as usize)
    } else {
        null_mut()
    };
    if p.is_null() {
        exc::raise_memory_error();
    }
    p
}

/// The generated slow path of `malloc_varsize`: the size comes from the type info, so a
/// huge or negative length is a MemoryError, never an overflow.
pub(crate) fn slow_malloc_varsize(c: &Collector, tid: i64, length: i64) -> *mut u8 {
    let sized = u32::try_from(tid).ok().and_then(|tid| types::varsize_size(tid, length, MAX_OBJECT_SIZE).map(|(size, lo)| (tid, size, lo)));
    let p = match sized {
        Some((tid, size, length_offset)) => (c.malloc_varsize)(tid, size, length, length_offset),
        None => null_mut(),
    };
    if p.is_null() {
        exc::raise_memory_error();
    }
    p
}

/// Writes the length word of a fresh variable-size object.
#[inline]
pub(crate) fn write_length(obj: *mut u8, length: i64, length_offset: usize) {
    // SAFETY: the collector allocated `obj` large enough for its length word.
    unsafe { (obj.add(length_offset) as *mut i64).write(length) };
}

/// Registers a prebuilt object the runtime made, whose type has GC pointers: a root for
/// collectors without a write barrier.
pub(crate) fn register_runtime_prebuilt(obj: *mut u8) {
    // SAFETY: short exclusive access.
    unsafe { (*STATE.get()).runtime_prebuilt.push(obj) };
}

/// Records a prebuilt object that got a GC pointer stored into it at run time; it is a
/// root from now on. Returns false when it was already recorded.
pub(crate) fn record_written_prebuilt(obj: *mut u8) -> bool {
    let h = types::header(obj);
    if h.flags & GCFLAG_PREBUILT == 0 || h.flags & GCFLAG_ROOT_RECORDED != 0 {
        return false;
    }
    h.flags |= GCFLAG_ROOT_RECORDED;
    // SAFETY: short exclusive access.
    unsafe { (*STATE.get()).written_prebuilt.push(obj) };
    true
}

/// Calls `f` with every GC pointer field of the prebuilt objects that are roots: the
/// written ones always; with `all`, also the program's table and the runtime's own
/// (collectors without a write barrier cannot know which were written).
pub(crate) fn for_each_prebuilt_field(all: bool, mut f: impl FnMut(*mut *mut u8)) {
    // SAFETY: the vectors are not touched by `f` (collectors only read and move objects
    // and update the fields given to them); the table lives as long as the run.
    let st = unsafe { &*STATE.get() };
    let mut visit = |obj: *mut u8| {
        if types::row(types::header(obj).tid).is_some_and(types::has_pointers) {
            types::for_each_pointer(obj, &mut f);
        }
    };
    for i in 0..st.written_prebuilt.len() {
        visit(st.written_prebuilt[i]);
    }
    if all {
        for i in 0..st.runtime_prebuilt.len() {
            visit(st.runtime_prebuilt[i]);
        }
        for i in 0..st.table_len {
            // SAFETY: `table_len` entries, each a prebuilt object.
            visit(unsafe { *st.table.add(i) } as *mut u8);
        }
    }
}

/// Whether `obj` looks like an object: non-null, 8-aligned, with a valid type id. For
/// the debug-mode heap checks.
pub(crate) fn check_object(obj: *mut u8, what: &str) -> Result<(), String> {
    if obj.is_null() || !(obj as usize).is_multiple_of(8) {
        return Err(format!("{what}: {obj:p} is not an object address"));
    }
    let tid = types::header(obj).tid;
    if types::row(tid).is_none() {
        return Err(format!("{what}: object {obj:p} has the invalid type id {tid}"));
    }
    Ok(())
}

/// Checks that every root points to an object `valid` accepts (or to a prebuilt one).
pub(crate) fn check_roots(all_prebuilt: bool, valid: &dyn Fn(*mut u8) -> bool) -> Result<(), String> {
    let mut err = Ok(());
    let mut check = |slot: *mut *mut u8, what: &str| {
        // SAFETY: root slots are readable.
        let p = unsafe { *slot };
        if p.is_null() || err.is_err() {
            return;
        }
        err = check_object(p, what).and_then(|_| {
            if types::header(p).flags & GCFLAG_PREBUILT != 0 || valid(p) {
                Ok(())
            } else {
                Err(format!("{what} {slot:p} points to {p:p}, outside the heap"))
            }
        });
    };
    roots::for_each_root(|s| check(s, "root"));
    for_each_prebuilt_field(all_prebuilt, |s| check(s, "prebuilt field"));
    err
}
