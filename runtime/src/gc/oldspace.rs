//! A non-moving space of objects with mark bits: marksweep's heap and incminimark's old
//! generation.
//!
//! Objects up to `kiln_abi::gc::LARGE_OBJECT_SIZE` bytes live in 1 MiB chunks, bump-
//! allocated from a *window* over a free *span*. Every byte of a chunk outside the open
//! window belongs to an object or to a *filler* (a header with type id 0 whose size is in
//! its flags word when it is 8 bytes long, else in the word after the header), so a chunk
//! can be walked object by object. Sweeping walks a chunk, clears the mark
//! (`GCFLAG_VISITED`) of every marked object and turns each run of dead objects and
//! fillers into one filler; runs of at least [`MIN_SPAN`] bytes become free spans.
//! Sweeping can be spread over time ([`OldSpace::sweep_step`]): once it starts, spans are
//! taken only from chunks already swept (or fresh ones), so nothing allocated during
//! sweeping is freed by it. Larger objects are allocated one by one (with room for a card
//! table in front when asked) and swept as a list.
//!
//! `in_use` counts the bytes of objects (and of the open window) against the heap limit.

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::collections::BTreeMap;

use kiln_abi::gc::LARGE_OBJECT_SIZE;
use kiln_abi::{GcHeader, GCFLAG_VISITED};

use super::types::{header, object_size};

pub(crate) const CHUNK_SIZE: usize = 1 << 20;
/// Smaller free runs stay fillers until their neighbours die.
pub(crate) const MIN_SPAN: usize = 32;

/// A bump-allocation window: objects are carved from `free` up to `top`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Window {
    pub free: usize,
    pub top: usize,
}

impl Window {
    /// An object of `size` bytes from the window, if it fits.
    #[inline]
    pub(crate) fn bump(&mut self, size: usize) -> Option<*mut u8> {
        if self.top - self.free >= size {
            let p = self.free;
            self.free += size;
            Some(p as *mut u8)
        } else {
            None
        }
    }
}

#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    /// Known to hold only zero bytes (fresh chunks).
    zeroed: bool,
}

struct Large {
    base: *mut u8,
    layout: Layout,
    obj: *mut u8,
}

pub(crate) struct OldSpace {
    chunks: Vec<(usize, usize)>,
    /// Chunk start to chunk index, for `contains`.
    by_addr: BTreeMap<usize, usize>,
    spans: Vec<Span>,
    large: Vec<Large>,
    large_by_addr: BTreeMap<usize, usize>,
    /// Chunks still to sweep in the current sweep.
    sweep_queue: Vec<usize>,
    pub in_use: u64,
    /// `in_use` may not pass it, except for `force`d allocations.
    pub limit: u64,
}

/// Writes a filler covering `[start, end)`.
fn write_filler(start: usize, end: usize) {
    let len = end - start;
    if len == 0 {
        return;
    }
    // SAFETY: `[start, end)` is memory of the space, at least 8 bytes, 8-aligned.
    unsafe {
        let h = start as *mut GcHeader;
        if len == 8 {
            h.write(GcHeader { tid: 0, flags: 8 });
        } else {
            h.write(GcHeader { tid: 0, flags: 0 });
            ((start + 8) as *mut u64).write(len as u64);
        }
    }
}

/// The size of the filler or object at `p`.
fn size_at(p: usize) -> usize {
    let h = header(p as *mut u8);
    if h.tid == 0 {
        let len = if h.flags != 0 {
            h.flags as usize
        } else {
            // SAFETY: a filler of 16 bytes or more keeps its size after the header.
            unsafe { ((p + 8) as *const u64).read() as usize }
        };
        if len < 8 || len % 8 != 0 {
            super::fatal(&format!("a filler at {p:#x} has the bad size {len}"));
        }
        len
    } else {
        object_size(p as *mut u8)
    }
}

impl OldSpace {
    pub(crate) const fn new() -> OldSpace {
        OldSpace {
            chunks: Vec::new(),
            by_addr: BTreeMap::new(),
            spans: Vec::new(),
            large: Vec::new(),
            large_by_addr: BTreeMap::new(),
            sweep_queue: Vec::new(),
            in_use: 0,
            limit: u64::MAX,
        }
    }

    /// Frees every chunk and large object.
    pub(crate) fn release(&mut self) {
        for (start, len) in self.chunks.drain(..) {
            // SAFETY: each chunk was mapped with this length.
            unsafe { libc::munmap(start as *mut libc::c_void, len) };
        }
        for l in self.large.drain(..) {
            // SAFETY: allocated with this layout.
            unsafe { dealloc(l.base, l.layout) };
        }
        self.by_addr.clear();
        self.large_by_addr.clear();
        self.spans.clear();
        self.sweep_queue.clear();
        self.in_use = 0;
        self.limit = u64::MAX;
    }

    /// Returns the unused rest of `win` to the space (a filler, and a free span again
    /// when it is large enough) and empties it.
    pub(crate) fn close(&mut self, win: &mut Window) {
        if win.top > win.free {
            write_filler(win.free, win.top);
            self.in_use -= (win.top - win.free) as u64;
            if win.top - win.free >= MIN_SPAN {
                self.spans.push(Span { start: win.free, end: win.top, zeroed: false });
            }
        }
        *win = Window::default();
    }

    /// Replaces `win` by a window of at least `need` bytes. With `zero`, the window is
    /// zeroed. Without `force`, fails (returns false, `win` empty) when that would take
    /// `in_use` past the limit; with it, only when no memory can be mapped.
    pub(crate) fn refill(&mut self, win: &mut Window, need: usize, zero: bool, force: bool) -> bool {
        self.close(win);
        let budget = if force { u64::MAX } else { self.limit.saturating_sub(self.in_use) };
        if need as u64 > budget {
            return false;
        }
        let pos = match self.spans.iter().rposition(|s| s.end - s.start >= need) {
            Some(i) => i,
            None => {
                let Some(chunk) = self.map_chunk() else { return false };
                self.spans.push(Span { start: chunk, end: chunk + CHUNK_SIZE, zeroed: true });
                self.spans.len() - 1
            }
        };
        let span = self.spans.swap_remove(pos);
        // Take no more than the budget allows, leaving the rest a span of its own.
        let len = (span.end - span.start).min(budget.max(need as u64) as usize);
        let len = if span.end - span.start - len < MIN_SPAN { span.end - span.start } else { len };
        if span.start + len < span.end {
            write_filler(span.start + len, span.end);
            self.spans.push(Span { start: span.start + len, end: span.end, zeroed: span.zeroed });
        }
        if zero && !span.zeroed {
            // SAFETY: the window is free memory of a chunk.
            unsafe { core::ptr::write_bytes(span.start as *mut u8, 0, len) };
        }
        *win = Window { free: span.start, top: span.start + len };
        self.in_use += len as u64;
        true
    }

    fn map_chunk(&mut self) -> Option<usize> {
        // SAFETY: an anonymous private mapping has no preconditions.
        let p = unsafe { libc::mmap(core::ptr::null_mut(), CHUNK_SIZE, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 0) };
        if p == libc::MAP_FAILED {
            return None;
        }
        let start = p as usize;
        self.by_addr.insert(start, self.chunks.len());
        self.chunks.push((start, CHUNK_SIZE));
        Some(start)
    }

    /// A zeroed large object of `size` bytes with `card_bytes` (a multiple of 8) of
    /// zeroed card table in front of it; null when over the limit (without `force`) or
    /// out of memory.
    pub(crate) fn alloc_large(&mut self, size: usize, card_bytes: usize, force: bool) -> *mut u8 {
        let total = size + card_bytes;
        if !force && self.in_use.saturating_add(total as u64) > self.limit {
            return core::ptr::null_mut();
        }
        let Ok(layout) = Layout::from_size_align(total, 16) else { return core::ptr::null_mut() };
        // SAFETY: a non-zero size.
        let base = unsafe { alloc_zeroed(layout) };
        if base.is_null() {
            return base;
        }
        // SAFETY: inside the allocation.
        let obj = unsafe { base.add(card_bytes) };
        self.large_by_addr.insert(obj as usize, self.large.len());
        self.large.push(Large { base, layout, obj });
        self.in_use += total as u64;
        obj
    }

    /// Whether objects of `size` bytes are allocated by [`Self::alloc_large`].
    #[inline]
    pub(crate) fn is_large(size: usize) -> bool {
        size as u64 > LARGE_OBJECT_SIZE
    }

    /// Whether `p` is the address of an object (or filler) of this space.
    pub(crate) fn contains(&self, p: *mut u8) -> bool {
        let a = p as usize;
        if self.large_by_addr.contains_key(&a) {
            return true;
        }
        match self.by_addr.range(..=a).next_back() {
            Some((start, i)) => a < start + self.chunks[*i].1,
            None => false,
        }
    }

    /// Starts a sweep: the caller has closed its windows and marked every live object.
    /// Large objects are swept at once; chunks by [`Self::sweep_step`]. Returns the bytes
    /// of large objects freed.
    pub(crate) fn start_sweep(&mut self) -> u64 {
        self.spans.clear();
        self.sweep_queue = (0..self.chunks.len()).rev().collect();
        let mut freed = 0u64;
        let mut kept = Vec::with_capacity(self.large.len());
        for l in self.large.drain(..) {
            let h = header(l.obj);
            if h.flags & GCFLAG_VISITED != 0 {
                h.flags &= !GCFLAG_VISITED;
                kept.push(l);
            } else {
                freed += l.layout.size() as u64;
                // SAFETY: allocated with this layout; nothing points to a dead object.
                unsafe { dealloc(l.base, l.layout) };
            }
        }
        self.large = kept;
        self.large_by_addr = self.large.iter().enumerate().map(|(i, l)| (l.obj as usize, i)).collect();
        self.in_use -= freed;
        freed
    }

    /// Sweeps chunks until about `budget` bytes were walked or none is left; returns
    /// whether the sweep is over.
    pub(crate) fn sweep_step(&mut self, budget: usize) -> bool {
        let mut walked = 0;
        while walked < budget {
            let Some(i) = self.sweep_queue.pop() else { return true };
            let (start, len) = self.chunks[i];
            self.sweep_chunk(start, start + len);
            walked += len;
        }
        self.sweep_queue.is_empty()
    }

    fn sweep_chunk(&mut self, start: usize, end: usize) {
        let mut p = start;
        let mut dead_from: Option<usize> = None;
        while p < end {
            let size = size_at(p);
            let h = header(p as *mut u8);
            let live = h.tid != 0 && h.flags & GCFLAG_VISITED != 0;
            if live {
                h.flags &= !GCFLAG_VISITED;
                if let Some(d) = dead_from.take() {
                    self.free_run(d, p);
                }
            } else {
                if h.tid != 0 {
                    self.in_use -= size as u64;
                }
                dead_from.get_or_insert(p);
            }
            p += size;
        }
        if let Some(d) = dead_from {
            self.free_run(d, end);
        }
    }

    fn free_run(&mut self, start: usize, end: usize) {
        write_filler(start, end);
        if end - start >= MIN_SPAN {
            self.spans.push(Span { start, end, zeroed: false });
        }
    }

    /// Calls `f` with every object (not filler) of the space that may be live: during a
    /// sweep, the unmarked objects of chunks not swept yet are garbage waiting to be freed
    /// (they may point to objects already freed) and are skipped. Windows must be closed.
    pub(crate) fn for_each_object(&self, mut f: impl FnMut(*mut u8)) {
        let pending: std::collections::HashSet<usize> = self.sweep_queue.iter().copied().collect();
        for (i, &(start, len)) in self.chunks.iter().enumerate() {
            let mut p = start;
            while p < start + len {
                let size = size_at(p);
                let h = header(p as *mut u8);
                if h.tid != 0 && (h.flags & GCFLAG_VISITED != 0 || !pending.contains(&i)) {
                    f(p as *mut u8);
                }
                p += size;
            }
        }
        for l in &self.large {
            f(l.obj);
        }
    }
}
