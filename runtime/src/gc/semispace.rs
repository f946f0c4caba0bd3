//! The `semispace` collector: copying between two spaces with Cheney's breadth-first
//! scan. Simple, compacting, and the strictest test of root finding: every collection
//! moves every live object, so a GC pointer that was not saved and reloaded across a
//! collection point is caught at once (under `KILN_GC_DEBUG=1`, at every allocation).
//!
//! Allocation bumps through `[kiln_gc_semispace_free, kiln_gc_semispace_top)` in the
//! current space. When it is full, live objects are copied to the other space, from the
//! roots (shadow stack, pending exception, every prebuilt object with GC pointers: there
//! is no write barrier). The space left behind is handed back to the kernel with
//! `MADV_DONTNEED`, so it is zero when it is allocated from again. When more than half
//! of a space is live after a collection (or a request does not fit), the spaces double,
//! up to `KILN_GC_MAX_HEAP` (the size of one space).

use core::ptr::null_mut;

use kiln_abi::{GcHeader, GCFLAG_FORWARDED, GCFLAG_PREBUILT, GCFLAG_TRACK_YOUNG_PTRS};

use super::stats::{self, Pause};
use super::types::{for_each_pointer, header, object_size};
use super::{roots, Collector, GcSettings};
use crate::global::Global;

#[no_mangle]
pub static mut kiln_gc_semispace_free: *mut u8 = null_mut();
#[no_mangle]
pub static mut kiln_gc_semispace_top: *mut u8 = null_mut();

const INITIAL_SPACE: usize = 8 << 20;
/// The smallest space, whatever the heap limit: room for one large object and then some.
const MIN_SPACE: usize = 64 << 10;

#[derive(Clone, Copy, Default)]
struct Space {
    start: usize,
    size: usize,
}

impl Space {
    fn contains(&self, p: usize) -> bool {
        p >= self.start && p < self.start + self.size
    }
}

struct Semi {
    /// Where objects are allocated, and the other space.
    cur: Space,
    spare: Space,
    free: usize,
    limit: usize,
    debug: bool,
}

static SEMI: Global<Semi> = Global::new(Semi { cur: Space { start: 0, size: 0 }, spare: Space { start: 0, size: 0 }, free: 0, limit: usize::MAX, debug: false });

#[no_mangle]
pub static kiln_gc_semispace_collector: Collector = Collector {
    name: "semispace",
    init,
    malloc,
    malloc_varsize,
    malloc_no_collect,
    collect,
    write_barrier,
    check_heap,
    heap_bytes,
    release,
    may_move,
};

fn semi() -> &'static mut Semi {
    // SAFETY: single-threaded; see `marksweep::ms`.
    unsafe { &mut *SEMI.get() }
}

fn sync_in(s: &mut Semi) {
    // SAFETY: plain read; single-threaded.
    let free = unsafe { kiln_gc_semispace_free } as usize;
    if free != 0 {
        s.free = free;
    }
}

fn sync_out(s: &Semi) {
    let top = if s.debug { s.free } else { s.cur.start + s.cur.size };
    // SAFETY: plain writes; single-threaded.
    unsafe {
        kiln_gc_semispace_free = s.free as *mut u8;
        kiln_gc_semispace_top = top as *mut u8;
    }
}

fn map(size: usize) -> Option<Space> {
    // SAFETY: an anonymous private mapping has no preconditions.
    let p = unsafe {
        libc::mmap(null_mut(), size, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE, -1, 0)
    };
    (p != libc::MAP_FAILED).then_some(Space { start: p as usize, size })
}

fn unmap(s: Space) {
    if s.size > 0 {
        // SAFETY: a space made by `map` with this size.
        unsafe { libc::munmap(s.start as *mut libc::c_void, s.size) };
    }
}

fn init(settings: &GcSettings) -> Result<(), String> {
    release();
    let s = semi();
    s.limit = settings.max_heap.map_or(usize::MAX, |m| (m as usize & !7).max(MIN_SPACE));
    s.debug = settings.debug;
    let size = INITIAL_SPACE.min(s.limit);
    s.cur = map(size).ok_or("cannot map the semispace heap")?;
    s.free = s.cur.start;
    sync_out(s);
    Ok(())
}

fn release() {
    let s = semi();
    unmap(s.cur);
    unmap(s.spare);
    s.cur = Space::default();
    s.spare = Space::default();
    s.free = 0;
    s.limit = usize::MAX;
    s.debug = false;
    sync_out(s);
}

fn heap_bytes() -> u64 {
    let s = semi();
    sync_in(s);
    (s.free - s.cur.start) as u64
}

fn bump(s: &mut Semi, size: usize) -> Option<*mut u8> {
    (s.cur.start + s.cur.size - s.free >= size).then(|| {
        let p = s.free;
        s.free += size;
        p as *mut u8
    })
}

fn write_header(p: *mut u8, tid: u32) {
    // SAFETY: a fresh object of at least 16 bytes.
    unsafe { (p as *mut GcHeader).write(GcHeader { tid, flags: 0 }) };
}

fn malloc(tid: u32, size: usize) -> *mut u8 {
    let s = semi();
    sync_in(s);
    if s.debug {
        collection(s, size);
    }
    let p = match bump(s, size) {
        Some(p) => p,
        None => {
            collection(s, size);
            bump(s, size).unwrap_or(null_mut())
        }
    };
    if !p.is_null() {
        write_header(p, tid);
        stats::note_heap((s.free - s.cur.start) as u64);
    }
    sync_out(s);
    p
}

fn malloc_varsize(tid: u32, size: usize, length: i64, length_offset: usize) -> *mut u8 {
    let p = malloc(tid, size);
    if !p.is_null() {
        super::write_length(p, length, length_offset);
    }
    p
}

/// Objects move at every collection anyway, so "never moves" cannot be offered; the
/// runtime only relies on "never collects", which a bump without collecting gives.
fn malloc_no_collect(tid: u32, size: usize) -> *mut u8 {
    let s = semi();
    sync_in(s);
    let p = bump(s, size).unwrap_or(null_mut());
    if !p.is_null() {
        write_header(p, tid);
    }
    sync_out(s);
    p
}

fn collect() {
    let s = semi();
    sync_in(s);
    collection(s, 0);
    sync_out(s);
}

/// Copies `p` to the new space (once) and returns where it is now.
fn evacuate(from: Space, free: &mut usize, p: *mut u8) -> *mut u8 {
    if p.is_null() || !from.contains(p as usize) {
        return p;
    }
    let h = header(p);
    if h.flags & GCFLAG_FORWARDED != 0 {
        // SAFETY: a forwarded object keeps its new address after the header.
        return unsafe { *(p.add(8) as *const *mut u8) };
    }
    let size = object_size(p);
    let to = *free as *mut u8;
    // SAFETY: the new space has room for every live object (it is at least as large as
    // the old one); the two spaces do not overlap.
    unsafe {
        core::ptr::copy_nonoverlapping(p, to, size);
        h.flags |= GCFLAG_FORWARDED;
        *(p.add(8) as *mut *mut u8) = to;
    }
    *free += size;
    to
}

/// Copies every live object into a space of `size` bytes, which becomes the current one.
fn copy_into(s: &mut Semi, size: usize) -> bool {
    let to = if s.spare.size == size {
        s.spare
    } else {
        unmap(s.spare);
        s.spare = Space::default();
        match map(size) {
            Some(sp) => sp,
            None => return false,
        }
    };
    let from = s.cur;
    let mut free = to.start;
    // SAFETY (of the reads and writes): root slots and fields hold object pointers or null.
    roots::for_each_root(|slot| unsafe { *slot = evacuate(from, &mut free, *slot) });
    super::for_each_prebuilt_field(true, |slot| unsafe { *slot = evacuate(from, &mut free, *slot) });
    let mut scan = to.start;
    while scan < free {
        let obj = scan as *mut u8;
        for_each_pointer(obj, |slot| unsafe { *slot = evacuate(from, &mut free, *slot) });
        scan += object_size(obj);
    }
    super::jit::after_move(|p| {
        if !from.contains(p as usize) {
            Some(p)
        } else if header(p).flags & GCFLAG_FORWARDED != 0 {
            // SAFETY: a forwarded object keeps its new address after the header.
            Some(unsafe { *(p.add(8) as *const *mut u8) })
        } else {
            None
        }
    });
    // The old space's pages go back to the kernel and come back zeroed.
    // SAFETY: the old space is a mapping of this size; nothing points into it any more.
    unsafe { libc::madvise(from.start as *mut libc::c_void, from.size, libc::MADV_DONTNEED) };
    s.spare = from;
    s.cur = to;
    s.free = free;
    true
}

/// A collection that leaves room for `need` bytes if the limit allows (the caller
/// checks), growing the spaces when they are too full.
fn collection(s: &mut Semi, need: usize) {
    let start = stats::pause_start();
    let size = s.cur.size;
    if !copy_into(s, size) {
        super::fatal("cannot map the other semispace");
    }
    let live = s.free - s.cur.start;
    let wanted = live.saturating_add(need);
    if wanted > size / 2 && size < s.limit {
        let mut bigger = size.saturating_mul(2);
        while bigger < wanted.saturating_mul(2) {
            bigger = bigger.saturating_mul(2);
        }
        let bigger = bigger.min(s.limit);
        if bigger > size && !copy_into(s, bigger) {
            super::fatal("cannot map a larger semispace");
        }
        // The old spaces are too small to be of use again.
        unmap(s.spare);
        s.spare = Space::default();
    }
    stats::pause_end(start, Pause::Full, (s.free - s.cur.start) as u64);
    if s.debug {
        if let Err(e) = check(s) {
            super::fatal(&e);
        }
    }
}

/// Every heap object moves at every collection; prebuilt ones never do.
fn may_move(obj: *mut u8) -> bool {
    header(obj).flags & GCFLAG_PREBUILT == 0
}

fn write_barrier(obj: *mut u8) {
    super::record_written_prebuilt(obj);
    header(obj).flags &= !GCFLAG_TRACK_YOUNG_PTRS;
}

fn check_heap() -> Result<(), String> {
    let s = semi();
    sync_in(s);
    check(s)
}

/// Every object of the current space is valid, and every pointer in it or in a root
/// leads into the allocated part of the space or to a prebuilt object.
fn check(s: &Semi) -> Result<(), String> {
    let (lo, hi) = (s.cur.start, s.free);
    let inside = |p: *mut u8| (lo..hi).contains(&(p as usize));
    super::check_roots(true, &inside)?;
    let mut scan = lo;
    while scan < hi {
        let obj = scan as *mut u8;
        super::check_object(obj, "heap object")?;
        if header(obj).flags & GCFLAG_FORWARDED != 0 {
            return Err(format!("object {obj:p} of the current space is forwarded"));
        }
        let mut err = Ok(());
        for_each_pointer(obj, |slot| {
            // SAFETY: a field of a live object.
            let p = unsafe { *slot };
            if err.is_ok() && !p.is_null() {
                err = super::check_object(p, "field").and_then(|_| {
                    if header(p).flags & GCFLAG_PREBUILT != 0 || inside(p) {
                        Ok(())
                    } else {
                        Err(format!("object {obj:p} points to {p:p}, outside the current space"))
                    }
                });
            }
        });
        err?;
        scan += object_size(obj);
    }
    Ok(())
}

#[no_mangle]
pub extern "C" fn kiln_gc_semispace_malloc_slow(tid: i64, size: i64) -> *mut u8 {
    super::slow_malloc(&kiln_gc_semispace_collector, tid, size)
}

#[no_mangle]
pub extern "C" fn kiln_gc_semispace_malloc_varsize_slow(tid: i64, length: i64) -> *mut u8 {
    super::slow_malloc_varsize(&kiln_gc_semispace_collector, tid, length)
}
