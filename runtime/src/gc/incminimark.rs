//! The `incminimark` collector (PyPy's default, re-done): generational, with a nursery
//! for young objects and a non-moving old generation (`OldSpace`) that is marked
//! incrementally and swept lazily.
//!
//! **Nursery.** Young objects are bump-allocated in `[kiln_gc_incminimark_free,
//! kiln_gc_incminimark_top)` (`KILN_GC_NURSERY` bytes, 4 MiB by default). When it is full,
//! a *minor collection* copies the young objects reachable from the roots and from the
//! *remembered* old objects to the old generation, leaving forwarding addresses behind,
//! then zeroes the used part of the nursery. Objects larger than
//! `kiln_abi::gc::LARGE_OBJECT_SIZE` are allocated old directly.
//!
//! **Write barrier.** Every old object carries `GCFLAG_TRACK_YOUNG_PTRS`, and generated
//! code tests it before storing a GC pointer into an object. The slow path
//! ([`kiln_gc_incminimark_wb`]) clears the flag and remembers the object; the minor
//! collection scans remembered objects and sets the flag again. Prebuilt objects start
//! with the flag, so a write into one records it as a root for good. Objects allocated
//! old directly start remembered (flag clear), so stores into a fresh object need no
//! barrier whatever generation it is in.
//!
//! **Cards.** Large arrays whose items hold GC pointers get a card table (a bit per
//! `kiln_abi::gc::CARD_ITEMS` items) in front of their header and `GCFLAG_HAS_CARDS`. A
//! store into one sets the item's card ([`kiln_gc_incminimark_wb_array`], or inline once
//! `GCFLAG_CARDS_SET` is on) and keeps the track flag, so the minor collection scans only
//! dirty cards instead of the whole array.
//!
//! **Major collection.** When the old generation grows past a threshold (1.82 times what
//! was live after the previous major collection, at least [`MIN_MAJOR_THRESHOLD`]), a
//! major cycle starts, carried out in steps at the end of minor collections:
//! 1. *Marking*, incremental update: the roots are greyed (`GCFLAG_VISITED` and on the
//!    mark stack), then each step traces a budget of grey objects. Marking only advances
//!    right after a minor collection, when every old object the program wrote since the
//!    previous step is in the remembered set (or has dirty cards); the minor collection
//!    greys what those objects point to when they are already marked. So no marked
//!    object ever points to an unmarked one that is not grey. Objects promoted or
//!    allocated during marking start unmarked, and are marked when reached.
//! 2. When the mark stack runs empty, the roots are scanned again and marking finishes
//!    at once (the stack has no barrier).
//! 3. *Sweeping*, a budget of chunks per step; large objects at once. Until a chunk is
//!    swept nothing is allocated in it, so sweeping never frees a new object.
//!
//! An explicit `collect()`, or an old generation past its share of `KILN_GC_MAX_HEAP`
//! (the limit minus the nursery; minor collections may pass it, and then a full
//! collection runs, and MemoryError is raised if it is still passed), finishes the current
//! cycle and runs a complete one at once.

use core::ptr::null_mut;
use std::collections::HashSet;

use kiln_abi::gc::{CARD_ITEMS, CARD_SHIFT};
use kiln_abi::{GcHeader, GCFLAG_CARDS_SET, GCFLAG_FORWARDED, GCFLAG_HAS_CARDS, GCFLAG_OLD, GCFLAG_PREBUILT, GCFLAG_TRACK_YOUNG_PTRS, GCFLAG_VISITED};

use super::oldspace::{OldSpace, Window};
use super::stats::{self, Pause};
use super::types::{for_each_pointer, has_item_pointers, header, items_pointers, length_of, object_size, row, row_of};
use super::{roots, Collector, GcSettings};
use crate::global::Global;

#[no_mangle]
pub static mut kiln_gc_incminimark_free: *mut u8 = null_mut();
#[no_mangle]
pub static mut kiln_gc_incminimark_top: *mut u8 = null_mut();

pub const DEFAULT_NURSERY: usize = 4 << 20;
/// The nursery holds at least two objects of the largest size it takes.
const MIN_NURSERY: usize = 2 * kiln_abi::gc::LARGE_OBJECT_SIZE as usize;
pub const MIN_MAJOR_THRESHOLD: u64 = 8 << 20;
/// Old-generation growth between major collections, as in PyPy.
const MAJOR_GROWTH: f64 = 1.82;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Idle,
    Marking,
    Sweeping,
}

struct Inc {
    nursery: usize,
    nursery_end: usize,
    /// Where young objects end; the published bump pointer, read back after generated
    /// code ran.
    free: usize,
    old: OldSpace,
    /// Where promoted objects go.
    win: Window,
    /// Old objects written since the last minor collection (their flag cleared).
    remembered: Vec<*mut u8>,
    /// Objects with dirty cards.
    cards: Vec<*mut u8>,
    /// Promoted objects whose fields still point to the nursery.
    promoted: Vec<*mut u8>,
    mark_stack: Vec<*mut u8>,
    phase: Phase,
    threshold: u64,
    /// Bytes traced or swept per step.
    mark_budget: usize,
    sweep_budget: usize,
    debug: bool,
}

static INC: Global<Inc> = Global::new(Inc {
    nursery: 0,
    nursery_end: 0,
    free: 0,
    old: OldSpace::new(),
    win: Window { free: 0, top: 0 },
    remembered: Vec::new(),
    cards: Vec::new(),
    promoted: Vec::new(),
    mark_stack: Vec::new(),
    phase: Phase::Idle,
    threshold: MIN_MAJOR_THRESHOLD,
    mark_budget: 0,
    sweep_budget: 0,
    debug: false,
});

#[no_mangle]
pub static kiln_gc_incminimark_collector: Collector = Collector {
    name: "incminimark",
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

fn inc() -> &'static mut Inc {
    // SAFETY: single-threaded; see `marksweep::ms`.
    unsafe { &mut *INC.get() }
}

fn sync_in(g: &mut Inc) {
    // SAFETY: plain read; single-threaded.
    let free = unsafe { kiln_gc_incminimark_free } as usize;
    if free != 0 {
        g.free = free;
    }
}

fn sync_out(g: &Inc) {
    let top = if g.debug { g.free } else { g.nursery_end };
    // SAFETY: plain writes; single-threaded.
    unsafe {
        kiln_gc_incminimark_free = g.free as *mut u8;
        kiln_gc_incminimark_top = top as *mut u8;
    }
}

fn init(s: &GcSettings) -> Result<(), String> {
    release();
    let g = inc();
    let mut size = s.nursery.map_or(DEFAULT_NURSERY, |n| n as usize);
    if let Some(max) = s.max_heap {
        // A small heap gets a small nursery: it counts against the limit.
        size = size.min(max as usize / 4);
    }
    let size = size.max(MIN_NURSERY) & !4095;
    // SAFETY: an anonymous private mapping has no preconditions.
    let p = unsafe { libc::mmap(null_mut(), size, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 0) };
    if p == libc::MAP_FAILED {
        return Err("cannot map the nursery".into());
    }
    g.nursery = p as usize;
    g.nursery_end = g.nursery + size;
    g.free = g.nursery;
    g.old.limit = s.max_heap.map_or(u64::MAX, |m| m.saturating_sub(size as u64));
    g.debug = s.debug;
    // In debug mode a major cycle starts whenever none is running.
    g.threshold = if s.debug { 0 } else { MIN_MAJOR_THRESHOLD };
    // In debug mode the steps are tiny, so that marking and sweeping interleave with the
    // program as much as possible.
    g.mark_budget = if s.debug { 256 } else { size };
    g.sweep_budget = if s.debug { 1 } else { 2 * size };
    sync_out(g);
    Ok(())
}

fn release() {
    let g = inc();
    if g.nursery != 0 {
        // SAFETY: the nursery mapping, of this size.
        unsafe { libc::munmap(g.nursery as *mut libc::c_void, g.nursery_end - g.nursery) };
    }
    g.old.release();
    g.nursery = 0;
    g.nursery_end = 0;
    g.free = 0;
    g.win = Window::default();
    g.remembered = Vec::new();
    g.cards = Vec::new();
    g.promoted = Vec::new();
    g.mark_stack = Vec::new();
    g.phase = Phase::Idle;
    g.debug = false;
    sync_out(g);
}

fn heap_bytes() -> u64 {
    let g = inc();
    sync_in(g);
    g.old.in_use - (g.win.top - g.win.free) as u64 + (g.free - g.nursery) as u64
}

#[inline]
fn young(g: &Inc, p: *mut u8) -> bool {
    (g.nursery..g.nursery_end).contains(&(p as usize))
}

fn write_header(p: *mut u8, tid: u32, flags: u32) {
    // SAFETY: a fresh object of at least 16 bytes.
    unsafe { (p as *mut GcHeader).write(GcHeader { tid, flags }) };
}

fn malloc(tid: u32, size: usize) -> *mut u8 {
    let g = inc();
    sync_in(g);
    let p = if OldSpace::is_large(size) {
        alloc_old(g, tid, size, None)
    } else {
        young_alloc(g, tid, size)
    };
    sync_out(g);
    p
}

fn malloc_varsize(tid: u32, size: usize, length: i64, length_offset: usize) -> *mut u8 {
    let g = inc();
    sync_in(g);
    let p = if OldSpace::is_large(size) {
        alloc_old(g, tid, size, Some(length))
    } else {
        young_alloc(g, tid, size)
    };
    if !p.is_null() {
        super::write_length(p, length, length_offset);
    }
    sync_out(g);
    p
}

/// A young object, after a minor collection when the nursery is full (always in debug
/// mode). Null when the old generation stays past its limit after a full collection.
fn young_alloc(g: &mut Inc, tid: u32, size: usize) -> *mut u8 {
    if g.debug || g.nursery_end - g.free < size {
        minor_collection(g, true);
        if g.old.in_use > g.old.limit {
            full_collection(g);
            if g.old.in_use > g.old.limit {
                return null_mut();
            }
        }
    }
    let p = g.free as *mut u8;
    g.free += size;
    write_header(p, tid, 0);
    p
}

/// An object allocated old directly: large ones (with cards for arrays of GC pointers)
/// and those of `malloc_no_collect`. They start remembered, so that stores into them
/// need no barrier until the next minor collection.
fn alloc_old(g: &mut Inc, tid: u32, size: usize, length: Option<i64>) -> *mut u8 {
    if g.debug {
        minor_collection(g, true);
    }
    let cards = match (length, row(tid)) {
        (Some(n), Some(r)) if has_item_pointers(r) && n as u64 > CARD_ITEMS => Some(n as u64),
        _ => None,
    };
    let card_bytes = cards.map_or(0, |n| (n.div_ceil(CARD_ITEMS).div_ceil(8) as usize).next_multiple_of(8));
    let mut p = raw_old(g, size, card_bytes);
    if p.is_null() {
        full_collection(g);
        p = raw_old(g, size, card_bytes);
        if p.is_null() {
            return p;
        }
    }
    write_header(p, tid, GCFLAG_OLD | if cards.is_some() { GCFLAG_HAS_CARDS } else { 0 });
    g.remembered.push(p);
    stats::note_heap(g.old.in_use);
    p
}

/// Zeroed old memory, without collecting; null past the limit.
fn raw_old(g: &mut Inc, size: usize, card_bytes: usize) -> *mut u8 {
    if OldSpace::is_large(size) || card_bytes > 0 {
        return g.old.alloc_large(size, card_bytes, false);
    }
    let p = match g.win.bump(size) {
        Some(p) => p,
        None if g.old.refill(&mut g.win, size, false, false) => g.win.bump(size).unwrap_or(null_mut()),
        None => return null_mut(),
    };
    // SAFETY: `size` bytes of the window; promotion windows are not zeroed.
    unsafe { core::ptr::write_bytes(p, 0, size) };
    p
}

fn malloc_no_collect(tid: u32, size: usize) -> *mut u8 {
    let g = inc();
    sync_in(g);
    let p = raw_old(g, size, 0);
    if !p.is_null() {
        write_header(p, tid, GCFLAG_OLD);
        g.remembered.push(p);
    }
    sync_out(g);
    p
}

fn collect() {
    let g = inc();
    sync_in(g);
    full_collection(g);
    sync_out(g);
}

/// The old copy of young object `p`, copying it on first sight.
fn promote(g: &mut Inc, p: *mut u8) -> *mut u8 {
    let h = header(p);
    if h.flags & GCFLAG_FORWARDED != 0 {
        // SAFETY: a forwarded object keeps its new address after the header.
        return unsafe { *(p.add(8) as *const *mut u8) };
    }
    let size = object_size(p);
    let to = match g.win.bump(size) {
        Some(to) => to,
        None => {
            // The limit is checked after the minor collection, not in the middle of it.
            if !g.old.refill(&mut g.win, size, false, true) {
                super::fatal("out of memory while promoting young objects");
            }
            g.win.bump(size).unwrap_or_else(|| super::fatal("a fresh window is too small"))
        }
    };
    // SAFETY: `size` bytes at `to` are free old memory; the nursery copy is not needed
    // afterwards except for its header and forwarding word.
    unsafe {
        core::ptr::copy_nonoverlapping(p, to, size);
        let th = &mut *(to as *mut GcHeader);
        th.flags = GCFLAG_OLD | GCFLAG_TRACK_YOUNG_PTRS;
        h.flags |= GCFLAG_FORWARDED;
        *(p.add(8) as *mut *mut u8) = to;
    }
    g.promoted.push(to);
    to
}

/// Updates a slot that may point to a young object.
#[inline]
fn forward(g: &mut Inc, slot: *mut *mut u8) {
    // SAFETY: slots hold object pointers or null.
    let p = unsafe { *slot };
    if young(g, p) {
        let to = promote(g, p);
        // SAFETY: as above.
        unsafe { *slot = to };
    }
}

/// Marks an old object grey (no-op for null, prebuilt and already marked objects).
#[inline]
fn grey(stack: &mut Vec<*mut u8>, p: *mut u8) {
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

/// Whether stores into `obj` must grey what they stored: it is marked (or a root).
#[inline]
fn must_grey(g: &Inc, obj: *mut u8) -> bool {
    g.phase == Phase::Marking && header(obj).flags & (GCFLAG_VISITED | GCFLAG_PREBUILT) != 0
}

/// The card byte of card `c` of `obj`.
#[inline]
fn card_byte(obj: *mut u8, c: u64) -> *mut u8 {
    // SAFETY: objects with cards have `ceil(cards / 8)` bytes before their header.
    unsafe { obj.sub(1 + (c >> 3) as usize) }
}

fn minor_collection(g: &mut Inc, step: bool) {
    let start = stats::pause_start();
    // SAFETY (of the slot reads and writes below): roots and fields hold object
    // pointers or null.
    roots::for_each_root(|slot| forward(g, slot));
    for obj in std::mem::take(&mut g.remembered) {
        let grey_too = must_grey(g, obj);
        for_each_pointer(obj, |slot| {
            forward(g, slot);
            if grey_too {
                grey(&mut g.mark_stack, unsafe { *slot });
            }
        });
        header(obj).flags |= GCFLAG_TRACK_YOUNG_PTRS;
    }
    for obj in std::mem::take(&mut g.cards) {
        let grey_too = must_grey(g, obj);
        let row = row_of(obj);
        let length = length_of(obj, row);
        let ncards = length.div_ceil(CARD_ITEMS);
        for c in 0..ncards {
            let byte = card_byte(obj, c);
            // SAFETY: the card table's bytes.
            let bits = unsafe { *byte };
            if bits & (1 << (c & 7)) == 0 {
                continue;
            }
            let (lo, hi) = (c << CARD_SHIFT, ((c + 1) << CARD_SHIFT).min(length));
            items_pointers(obj, row, lo, hi, &mut |slot| {
                forward(g, slot);
                if grey_too {
                    grey(&mut g.mark_stack, unsafe { *slot });
                }
            });
        }
        // SAFETY: the whole card table.
        unsafe { core::ptr::write_bytes(card_byte(obj, ncards.saturating_sub(1)), 0, ncards.div_ceil(8) as usize) };
        header(obj).flags &= !GCFLAG_CARDS_SET;
    }
    while let Some(obj) = g.promoted.pop() {
        for_each_pointer(obj, |slot| forward(g, slot));
    }
    super::jit::after_move(|p| {
        if !young(g, p) {
            Some(p)
        } else if header(p).flags & GCFLAG_FORWARDED != 0 {
            // SAFETY: a forwarded object keeps its new address after the header.
            Some(unsafe { *(p.add(8) as *const *mut u8) })
        } else {
            None
        }
    });
    // SAFETY: the used part of the nursery; nothing points into it any more.
    unsafe { core::ptr::write_bytes(g.nursery as *mut u8, 0, g.free - g.nursery) };
    g.free = g.nursery;
    if step {
        major_step(g);
    }
    stats::pause_end(start, Pause::Minor, g.old.in_use);
    if g.debug {
        if let Err(e) = check(g) {
            super::fatal(&e);
        }
    }
}

fn major_step(g: &mut Inc) {
    match g.phase {
        Phase::Idle => {
            if g.old.in_use > g.threshold {
                start_marking(g);
            }
        }
        Phase::Marking => {
            if mark(g, g.mark_budget) {
                finish_marking(g);
                start_sweeping(g);
            }
        }
        Phase::Sweeping => {
            if g.old.sweep_step(g.sweep_budget) {
                end_cycle(g);
            }
        }
    }
}

/// Greys every root; the nursery is empty. A shadow-stack slot is only followed when it
/// points into the old generation: a slot may hold an Int word the GC transform could
/// not prove to be a pointer (prebuilt objects, the other roots, are never marked).
fn grey_roots(g: &mut Inc) {
    let (stack, old) = (&mut g.mark_stack, &g.old);
    roots::for_each_root(|slot| {
        let p = unsafe { *slot };
        if old.contains(p) {
            grey(stack, p);
        }
    });
    super::for_each_prebuilt_field(false, |slot| grey(stack, unsafe { *slot }));
}

fn start_marking(g: &mut Inc) {
    g.phase = Phase::Marking;
    grey_roots(g);
}

/// Traces grey objects until `budget` bytes were traced; true when none is left.
fn mark(g: &mut Inc, budget: usize) -> bool {
    let mut done = 0;
    while done < budget {
        let Some(obj) = g.mark_stack.pop() else { return true };
        let stack = &mut g.mark_stack;
        for_each_pointer(obj, |slot| grey(stack, unsafe { *slot }));
        done += object_size(obj);
    }
    g.mark_stack.is_empty()
}

/// The last marking step: the roots again (they have no barrier), then everything left.
fn finish_marking(g: &mut Inc) {
    grey_roots(g);
    mark(g, usize::MAX);
}

fn start_sweeping(g: &mut Inc) {
    g.old.close(&mut g.win);
    g.old.start_sweep();
    g.phase = Phase::Sweeping;
}

fn end_cycle(g: &mut Inc) {
    g.phase = Phase::Idle;
    stats::major_cycle_done();
    if g.debug {
        return;
    }
    g.threshold = MIN_MAJOR_THRESHOLD.max((g.old.in_use as f64 * MAJOR_GROWTH) as u64);
    if g.old.limit != u64::MAX {
        // Near the limit, start the next cycle early enough to finish before reaching it.
        g.threshold = g.threshold.min(g.old.limit / 4 * 3).max(g.old.in_use);
    }
}

/// Finishes the current major cycle and runs a whole new one, at once.
fn full_collection(g: &mut Inc) {
    let start = stats::pause_start();
    minor_collection(g, false);
    if g.phase == Phase::Marking {
        finish_marking(g);
        start_sweeping(g);
    }
    g.old.sweep_step(usize::MAX);
    start_marking(g);
    finish_marking(g);
    start_sweeping(g);
    g.old.sweep_step(usize::MAX);
    end_cycle(g);
    stats::pause_end(start, Pause::Full, g.old.in_use);
    if g.debug {
        if let Err(e) = check(g) {
            super::fatal(&e);
        }
    }
}

/// The write barrier's slow path: `obj` is old and about to get a GC pointer.
#[no_mangle]
pub extern "C" fn kiln_gc_incminimark_wb(obj: *mut u8) {
    let h = header(obj);
    if h.flags & GCFLAG_TRACK_YOUNG_PTRS == 0 {
        return;
    }
    h.flags &= !GCFLAG_TRACK_YOUNG_PTRS;
    super::record_written_prebuilt(obj);
    inc().remembered.push(obj);
}

/// The barrier's slow path for a store into item `index` of an array: sets the card
/// when the array has cards, else remembers the array.
#[no_mangle]
pub extern "C" fn kiln_gc_incminimark_wb_array(obj: *mut u8, index: i64) {
    let h = header(obj);
    if h.flags & GCFLAG_TRACK_YOUNG_PTRS == 0 {
        return;
    }
    let in_range = h.flags & GCFLAG_HAS_CARDS != 0 && index >= 0 && (index as u64) < length_of(obj, row_of(obj));
    if !in_range {
        kiln_gc_incminimark_wb(obj);
        return;
    }
    let c = index as u64 >> CARD_SHIFT;
    // SAFETY: a card of the table in front of the object.
    unsafe { *card_byte(obj, c) |= 1 << (c & 7) };
    if h.flags & GCFLAG_CARDS_SET == 0 {
        h.flags |= GCFLAG_CARDS_SET;
        inc().cards.push(obj);
    }
}

fn write_barrier(obj: *mut u8) {
    kiln_gc_incminimark_wb(obj);
}

/// Young objects move when promoted; old and prebuilt ones never do.
fn may_move(obj: *mut u8) -> bool {
    young(inc(), obj)
}

fn check_heap() -> Result<(), String> {
    let g = inc();
    sync_in(g);
    let r = check(g);
    sync_out(g);
    r
}

/// The invariants right after a collection: the nursery is empty and nothing points into
/// it; every pointer leads to an old or prebuilt object; every old object carries the
/// track flag or is remembered; while marking, no marked object that is not grey points
/// to an unmarked one; while idle, nothing is marked.
fn check(g: &mut Inc) -> Result<(), String> {
    if g.free != g.nursery {
        return Ok(());
    }
    g.old.close(&mut g.win);
    let old = &g.old;
    super::check_roots(false, &|p| old.contains(p))?;
    let remembered: HashSet<usize> = g.remembered.iter().map(|p| *p as usize).collect();
    let grey: HashSet<usize> = g.mark_stack.iter().map(|p| *p as usize).collect();
    let phase = g.phase;
    let mut err = Ok(());
    old.for_each_object(|obj| {
        if err.is_err() {
            return;
        }
        if let Err(e) = super::check_object(obj, "old object") {
            err = Err(e);
            return;
        }
        let flags = header(obj).flags;
        if flags & GCFLAG_FORWARDED != 0 {
            err = Err(format!("old object {obj:p} is forwarded"));
        } else if flags & GCFLAG_TRACK_YOUNG_PTRS == 0 && !remembered.contains(&(obj as usize)) {
            err = Err(format!("old object {obj:p} has no track flag and is not remembered"));
        } else if phase == Phase::Idle && flags & GCFLAG_VISITED != 0 {
            err = Err(format!("old object {obj:p} is marked outside a major collection"));
        }
        let black = phase == Phase::Marking && flags & GCFLAG_VISITED != 0 && !grey.contains(&(obj as usize));
        for_each_pointer(obj, |slot| {
            // SAFETY: a field of a live object.
            let p = unsafe { *slot };
            if err.is_err() || p.is_null() {
                return;
            }
            err = super::check_object(p, "field").and_then(|_| {
                let pf = header(p).flags;
                if pf & GCFLAG_PREBUILT == 0 && !old.contains(p) {
                    return Err(format!("old object {obj:p} points to {p:p}, neither old nor prebuilt"));
                }
                if black && pf & (GCFLAG_PREBUILT | GCFLAG_VISITED) == 0 {
                    return Err(format!("marked object {obj:p} points to the unmarked {p:p}"));
                }
                Ok(())
            });
        });
    });
    err
}

#[no_mangle]
pub extern "C" fn kiln_gc_incminimark_malloc_slow(tid: i64, size: i64) -> *mut u8 {
    super::slow_malloc(&kiln_gc_incminimark_collector, tid, size)
}

#[no_mangle]
pub extern "C" fn kiln_gc_incminimark_malloc_varsize_slow(tid: i64, length: i64) -> *mut u8 {
    super::slow_malloc_varsize(&kiln_gc_incminimark_collector, tid, length)
}
