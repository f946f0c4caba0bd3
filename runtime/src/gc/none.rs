//! The `none` collector: bump allocation from large zeroed chunks, never freeing anything
//! while the program runs. For tests and short runs, and the llinterp's collector.
//!
//! The window `[kiln_gc_none_free, kiln_gc_none_top)` is the rest of the current chunk,
//! cut short where the heap limit would be passed, so the inline fast path of generated
//! code can never allocate past `KILN_GC_MAX_HEAP`. Objects larger than a quarter chunk
//! get a mapping of their own. With `KILN_GC_DEBUG=1` the window is kept empty, so every
//! allocation takes the slow path, which checks the roots before allocating.

use core::ptr::null_mut;

use kiln_abi::GcHeader;

use super::{Collector, GcSettings};
use crate::global::Global;

/// The bump pointer of the inline fast path.
#[no_mangle]
pub static mut kiln_gc_none_free: *mut u8 = null_mut();
/// The end of the inline fast path's window.
#[no_mangle]
pub static mut kiln_gc_none_top: *mut u8 = null_mut();

const CHUNK_SIZE: usize = 4 << 20;
const LARGE_OBJECT: usize = CHUNK_SIZE / 4;

struct Heap {
    mappings: Vec<(*mut u8, usize)>,
    /// The current chunk: its start and end (`kiln_gc_none_free` is inside it).
    chunk_start: *mut u8,
    chunk_end: *mut u8,
    /// Bytes of objects in earlier chunks and large mappings.
    closed: u64,
    limit: u64,
    debug: bool,
}

static HEAP: Global<Heap> =
    Global::new(Heap { mappings: Vec::new(), chunk_start: null_mut(), chunk_end: null_mut(), closed: 0, limit: u64::MAX, debug: false });

/// The collector's descriptor.
#[no_mangle]
pub static kiln_gc_none_collector: Collector = Collector {
    name: "none",
    init,
    malloc,
    malloc_varsize,
    malloc_no_collect: malloc,
    collect,
    write_barrier,
    check_heap,
    heap_bytes,
    release,
    may_move: super::never_moves,
};

#[inline]
fn free() -> *mut u8 {
    // SAFETY: plain read; single-threaded.
    unsafe { kiln_gc_none_free }
}

fn set_window(free: *mut u8, top: *mut u8) {
    // SAFETY: plain writes; single-threaded.
    unsafe {
        kiln_gc_none_free = free;
        kiln_gc_none_top = top;
    }
}

fn heap() -> &'static mut Heap {
    // SAFETY: callers keep the reference for one short access that calls nothing else
    // touching HEAP.
    unsafe { &mut *HEAP.get() }
}

fn init(s: &GcSettings) -> Result<(), String> {
    release();
    let h = heap();
    h.limit = s.max_heap.unwrap_or(u64::MAX);
    h.debug = s.debug;
    Ok(())
}

fn release() {
    let h = heap();
    for (ptr, len) in h.mappings.drain(..) {
        // SAFETY: each mapping was made by `map` with this length.
        unsafe { libc::munmap(ptr as *mut libc::c_void, len) };
    }
    h.chunk_start = null_mut();
    h.chunk_end = null_mut();
    h.closed = 0;
    h.limit = u64::MAX;
    h.debug = false;
    set_window(null_mut(), null_mut());
}

fn map(len: usize) -> *mut u8 {
    // SAFETY: an anonymous private mapping has no preconditions.
    let p = unsafe { libc::mmap(null_mut(), len, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 0) };
    if p == libc::MAP_FAILED {
        return null_mut();
    }
    heap().mappings.push((p as *mut u8, len));
    p as *mut u8
}

fn heap_bytes() -> u64 {
    let h = heap();
    h.closed + (free() as u64).saturating_sub(h.chunk_start as u64)
}

/// Reopens the window at `free`: the rest of the chunk, within the limit.
fn reopen(free: *mut u8) {
    let h = heap();
    let used = h.closed + (free as u64).saturating_sub(h.chunk_start as u64);
    let budget = h.limit.saturating_sub(used).min(CHUNK_SIZE as u64) as usize;
    let top = if h.debug { free } else { (free as usize + budget).min(h.chunk_end as usize) as *mut u8 };
    set_window(free, top);
}

fn malloc(tid: u32, size: usize) -> *mut u8 {
    if heap().debug {
        if let Err(e) = check_heap() {
            super::fatal(&e);
        }
    }
    let used = heap_bytes();
    if size as u64 > heap().limit.saturating_sub(used) {
        return null_mut();
    }
    let p = if size > LARGE_OBJECT {
        let p = map(size);
        if !p.is_null() {
            heap().closed += size as u64;
        }
        p
    } else {
        let mut at = free();
        if at.is_null() || (heap().chunk_end as usize) - (at as usize) < size {
            let chunk = map(CHUNK_SIZE);
            if chunk.is_null() {
                return null_mut();
            }
            let h = heap();
            h.closed += (at as u64).saturating_sub(h.chunk_start as u64);
            h.chunk_start = chunk;
            // SAFETY: the end of the mapping just made.
            h.chunk_end = unsafe { chunk.add(CHUNK_SIZE) };
            at = chunk;
        }
        // SAFETY: `size` bytes are left in the chunk at `at`.
        set_window(unsafe { at.add(size) }, null_mut());
        at
    };
    reopen(free());
    if !p.is_null() {
        // SAFETY: fresh zeroed memory of at least 16 bytes, 8-aligned.
        unsafe { (p as *mut GcHeader).write(GcHeader { tid, flags: 0 }) };
        super::stats::note_heap(heap_bytes());
    }
    p
}

fn malloc_varsize(tid: u32, size: usize, length: i64, length_offset: usize) -> *mut u8 {
    let p = malloc(tid, size);
    if !p.is_null() {
        super::write_length(p, length, length_offset);
    }
    p
}

fn collect() {
    if heap().debug {
        if let Err(e) = check_heap() {
            super::fatal(&e);
        }
    }
}

/// Prebuilt objects written at run time are recorded as roots, as with every collector;
/// nothing else is needed, since nothing is ever freed.
fn write_barrier(obj: *mut u8) {
    super::record_written_prebuilt(obj);
    super::types::header(obj).flags &= !kiln_abi::GCFLAG_TRACK_YOUNG_PTRS;
}

fn check_heap() -> Result<(), String> {
    let h = heap();
    let in_heap = |p: *mut u8| h.mappings.iter().any(|(m, len)| (*m as usize..*m as usize + len).contains(&(p as usize)));
    super::check_roots(true, &in_heap)
}

/// The slow path of the inline allocation.
#[no_mangle]
pub extern "C" fn kiln_gc_none_malloc_slow(tid: i64, size: i64) -> *mut u8 {
    super::slow_malloc(&kiln_gc_none_collector, tid, size)
}

/// The slow path of the inline variable-size allocation.
#[no_mangle]
pub extern "C" fn kiln_gc_none_malloc_varsize_slow(tid: i64, length: i64) -> *mut u8 {
    super::slow_malloc_varsize(&kiln_gc_none_collector, tid, length)
}
