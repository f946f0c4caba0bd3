//! The `marksweep` collector: non-moving, stop-the-world mark and sweep over an
//! `OldSpace`.
//!
//! Allocation bumps through the window `[kiln_gc_marksweep_free, kiln_gc_marksweep_top)`
//! over a free span of the space (zeroed when it is taken); the slow path takes the next
//! span. A collection runs when the bytes in use pass a threshold, twice the live bytes
//! after the previous collection (at least `MIN_THRESHOLD`): it marks from the roots
//! (shadow stack, pending exception, every prebuilt object with GC pointers, since there
//! is no write barrier to say which were written) with an explicit stack, then sweeps
//! every chunk. Objects never move, so reloads after collection points are no-ops.

use core::ptr::null_mut;

use kiln_abi::{GcHeader, GCFLAG_PREBUILT, GCFLAG_TRACK_YOUNG_PTRS, GCFLAG_VISITED};

use super::oldspace::{OldSpace, Window};
use super::stats::{self, Pause};
use super::types::{for_each_pointer, header};
use super::{roots, Collector, GcSettings};
use crate::global::Global;

#[no_mangle]
pub static mut kiln_gc_marksweep_free: *mut u8 = null_mut();
#[no_mangle]
pub static mut kiln_gc_marksweep_top: *mut u8 = null_mut();

const MIN_THRESHOLD: u64 = 8 << 20;

struct Ms {
    space: OldSpace,
    /// The allocation window; published in the two globals above (with an empty window
    /// in debug mode, so that generated code always takes the slow path).
    win: Window,
    threshold: u64,
    debug: bool,
    mark_stack: Vec<*mut u8>,
}

static MS: Global<Ms> = Global::new(Ms { space: OldSpace::new(), win: Window { free: 0, top: 0 }, threshold: MIN_THRESHOLD, debug: false, mark_stack: Vec::new() });

/// The collector's descriptor.
#[no_mangle]
pub static kiln_gc_marksweep_collector: Collector = Collector {
    name: "marksweep",
    init,
    malloc,
    malloc_varsize,
    malloc_no_collect,
    collect,
    write_barrier,
    check_heap,
    heap_bytes,
    release,
    may_move: super::never_moves,
};

fn ms() -> &'static mut Ms {
    // SAFETY: the runtime is single-threaded and the collector's functions do not
    // re-enter each other while holding this reference across a call that touches it.
    unsafe { &mut *MS.get() }
}

/// Takes back the bump pointer generated code advanced.
fn sync_in(m: &mut Ms) {
    // SAFETY: plain read; single-threaded.
    let free = unsafe { kiln_gc_marksweep_free } as usize;
    if free != 0 {
        m.win.free = free;
    }
}

fn sync_out(m: &Ms) {
    let top = if m.debug { m.win.free } else { m.win.top };
    // SAFETY: plain writes; single-threaded.
    unsafe {
        kiln_gc_marksweep_free = m.win.free as *mut u8;
        kiln_gc_marksweep_top = top as *mut u8;
    }
}

fn init(s: &GcSettings) -> Result<(), String> {
    release();
    let m = ms();
    m.space.limit = s.max_heap.unwrap_or(u64::MAX);
    m.debug = s.debug;
    m.threshold = MIN_THRESHOLD;
    Ok(())
}

fn release() {
    let m = ms();
    m.space.release();
    m.win = Window::default();
    m.mark_stack = Vec::new();
    m.debug = false;
    sync_out(m);
}

fn heap_bytes() -> u64 {
    let m = ms();
    sync_in(m);
    m.space.in_use - (m.win.top - m.win.free) as u64
}

fn write_header(p: *mut u8, tid: u32) {
    // SAFETY: a fresh object of at least 16 bytes.
    unsafe { (p as *mut GcHeader).write(GcHeader { tid, flags: 0 }) };
}

/// Allocates without collecting; null when the limit or the machine says no.
fn alloc_raw(m: &mut Ms, size: usize) -> *mut u8 {
    if OldSpace::is_large(size) {
        return m.space.alloc_large(size, 0, false);
    }
    if let Some(p) = m.win.bump(size) {
        return p;
    }
    if m.space.refill(&mut m.win, size, true, false) {
        m.win.bump(size).unwrap_or(null_mut())
    } else {
        null_mut()
    }
}

fn malloc(tid: u32, size: usize) -> *mut u8 {
    let m = ms();
    sync_in(m);
    if m.debug || m.space.in_use > m.threshold {
        full_collection(m);
    }
    let mut p = alloc_raw(m, size);
    if p.is_null() {
        full_collection(m);
        p = alloc_raw(m, size);
    }
    if !p.is_null() {
        write_header(p, tid);
        stats::note_heap(m.space.in_use);
    }
    sync_out(m);
    p
}

fn malloc_varsize(tid: u32, size: usize, length: i64, length_offset: usize) -> *mut u8 {
    let p = malloc(tid, size);
    if !p.is_null() {
        super::write_length(p, length, length_offset);
    }
    p
}

fn malloc_no_collect(tid: u32, size: usize) -> *mut u8 {
    let m = ms();
    sync_in(m);
    let p = alloc_raw(m, size);
    if !p.is_null() {
        write_header(p, tid);
    }
    sync_out(m);
    p
}

fn collect() {
    let m = ms();
    sync_in(m);
    full_collection(m);
    sync_out(m);
}

fn mark(stack: &mut Vec<*mut u8>, p: *mut u8) {
    if p.is_null() {
        return;
    }
    let h = header(p);
    if h.flags & (GCFLAG_PREBUILT | GCFLAG_VISITED) != 0 {
        return;
    }
    h.flags |= GCFLAG_VISITED;
    stack.push(p);
}

fn full_collection(m: &mut Ms) {
    let start = stats::pause_start();
    m.space.close(&mut m.win);
    let (stack, space) = (&mut m.mark_stack, &m.space);
    // SAFETY (of the reads): root slots and object fields hold object pointers or null.
    // A shadow-stack slot is only followed into the heap: it may hold an Int word the GC
    // transform could not prove to be a pointer.
    roots::for_each_root(|slot| {
        let p = unsafe { *slot };
        if space.contains(p) {
            mark(stack, p);
        }
    });
    super::for_each_prebuilt_field(true, |slot| mark(stack, unsafe { *slot }));
    while let Some(obj) = stack.pop() {
        for_each_pointer(obj, |slot| mark(stack, unsafe { *slot }));
    }
    m.space.start_sweep();
    m.space.sweep_step(usize::MAX);
    m.threshold = MIN_THRESHOLD.max(m.space.in_use.saturating_mul(2));
    stats::pause_end(start, Pause::Full, m.space.in_use);
    if m.debug {
        if let Err(e) = check(m) {
            super::fatal(&e);
        }
    }
}

/// There is no barrier in generated code; the runtime's own stores into prebuilt
/// objects are recorded all the same (they are roots anyway, but only the program's
/// are in the table).
fn write_barrier(obj: *mut u8) {
    super::record_written_prebuilt(obj);
    header(obj).flags &= !GCFLAG_TRACK_YOUNG_PTRS;
}

fn check_heap() -> Result<(), String> {
    let m = ms();
    sync_in(m);
    m.space.close(&mut m.win);
    let r = check(m);
    sync_out(m);
    r
}

/// The heap's invariants between collections: every object is valid and unmarked, and
/// every pointer in it or in a root leads to an object of the space or a prebuilt one.
fn check(m: &Ms) -> Result<(), String> {
    let space = &m.space;
    super::check_roots(true, &|p| space.contains(p))?;
    let mut err = Ok(());
    space.for_each_object(|obj| {
        if err.is_err() {
            return;
        }
        if header(obj).flags & GCFLAG_VISITED != 0 {
            err = Err(format!("object {obj:p} is still marked after the sweep"));
            return;
        }
        err = super::check_object(obj, "heap object");
        for_each_pointer(obj, |slot| {
            // SAFETY: a field of a live object.
            let p = unsafe { *slot };
            if err.is_ok() && !p.is_null() {
                err = super::check_object(p, "field").and_then(|_| {
                    if header(p).flags & GCFLAG_PREBUILT != 0 || space.contains(p) {
                        Ok(())
                    } else {
                        Err(format!("object {obj:p} points to {p:p}, outside the heap"))
                    }
                });
            }
        });
    });
    err
}

#[no_mangle]
pub extern "C" fn kiln_gc_marksweep_malloc_slow(tid: i64, size: i64) -> *mut u8 {
    super::slow_malloc(&kiln_gc_marksweep_collector, tid, size)
}

#[no_mangle]
pub extern "C" fn kiln_gc_marksweep_malloc_varsize_slow(tid: i64, length: i64) -> *mut u8 {
    super::slow_malloc_varsize(&kiln_gc_marksweep_collector, tid, length)
}
