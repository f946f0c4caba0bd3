//! Object allocation: today the `none` collector, which bump-allocates zeroed memory from
//! large chunks and never frees anything while the program runs.
//!
//! All allocation goes through this module, so the later collectors (semispace,
//! marksweep, incminimark with a shadow stack) replace its insides without touching
//! callers. Its entry points and what they promise:
//! - [`kiln_gc_malloc`] / [`kiln_gc_malloc_varsize`] (from generated code) and
//!   [`gc_malloc`] / [`gc_malloc_varsize`] (from the runtime): a new zeroed object with its
//!   header written (`tid`, flags 0). They may collect. On failure they set MemoryError
//!   and return null.
//! - `malloc_no_collect`: never collects and never raises; null when it cannot allocate.
//!   For helpers the compiler treats as non-collecting (the string index built by
//!   `kiln_str_char_at`); a moving collector must give such objects a non-moving,
//!   old-generation home, and record the old object that points to them.
//! - `malloc_prebuilt` / `alloc_static`: objects made at startup that live for the
//!   whole run (the one-character strings, the MemoryError instance, the llinterp's
//!   prebuilt objects). They do not count against the heap limit.
//!
//! The heap limit (`KILN_GC_MAX_HEAP`) counts the bytes of objects allocated by the
//! program. Chunks come from anonymous `mmap`, so they are zeroed and pages are only
//! touched when used. `release_all` unmaps everything (the end of an in-process run).

use core::ptr::null_mut;

use kiln_abi::{GcHeader, GCFLAG_OLD, GCFLAG_PREBUILT};

use crate::exc;
use crate::global::Global;

/// Size of a normal chunk. Objects larger than [`LARGE_OBJECT`] get a mapping of their own.
const CHUNK_SIZE: usize = 4 << 20;
const LARGE_OBJECT: usize = CHUNK_SIZE / 4;
/// No single object may be larger: the size is then certainly the product of a bad length,
/// and refusing it early keeps every size computation below far from overflow.
pub const MAX_OBJECT_SIZE: u64 = 1 << 46;

struct Heap {
    /// Every mapping made, to unmap them in `release_all`.
    mappings: Vec<(*mut u8, usize)>,
    /// The free part of the current chunk.
    cur: *mut u8,
    end: *mut u8,
    /// Bytes of program objects allocated so far, and the limit.
    used: u64,
    limit: u64,
}

static HEAP: Global<Heap> = Global::new(Heap { mappings: Vec::new(), cur: null_mut(), end: null_mut(), used: 0, limit: u64::MAX });

/// Sets the heap limit for the bytes allocated from now on (`None`: unlimited).
pub(crate) fn set_limit(limit: Option<u64>) {
    // SAFETY: short exclusive access.
    let h = unsafe { &mut *HEAP.get() };
    h.used = 0;
    h.limit = limit.unwrap_or(u64::MAX);
}

/// Bytes of program objects allocated since the limit was set.
pub fn used_bytes() -> u64 {
    // SAFETY: short read.
    unsafe { (*HEAP.get()).used }
}

/// Unmaps every chunk. Every pointer into the heap dies: only for the end of a run.
pub(crate) fn release_all() {
    // SAFETY: short exclusive access; the mappings were made by `map` with these sizes.
    let h = unsafe { &mut *HEAP.get() };
    for (ptr, len) in h.mappings.drain(..) {
        unsafe { libc::munmap(ptr as *mut libc::c_void, len) };
    }
    h.cur = null_mut();
    h.end = null_mut();
    h.used = 0;
    h.limit = u64::MAX;
}

fn map(len: usize) -> *mut u8 {
    // SAFETY: an anonymous private mapping has no preconditions.
    let p = unsafe { libc::mmap(core::ptr::null_mut(), len, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 0) };
    if p == libc::MAP_FAILED {
        return null_mut();
    }
    // SAFETY: short exclusive access.
    unsafe { (*HEAP.get()).mappings.push((p as *mut u8, len)) };
    p as *mut u8
}

/// Zeroed, 8-byte-aligned memory of `size` bytes (a multiple of 8), or null.
fn bump(size: usize) -> *mut u8 {
    if size > LARGE_OBJECT {
        return map(size);
    }
    // SAFETY: short exclusive accesses, not held across `map` (which touches HEAP).
    unsafe {
        let h = &mut *HEAP.get();
        if (h.end as usize) - (h.cur as usize) < size {
            let chunk = map(CHUNK_SIZE);
            if chunk.is_null() {
                return null_mut();
            }
            let h = &mut *HEAP.get();
            h.cur = chunk;
            h.end = chunk.add(CHUNK_SIZE);
        }
        let h = &mut *HEAP.get();
        let p = h.cur;
        h.cur = p.add(size);
        p
    }
}

/// The allocation size for a requested object size: at least a header, rounded up to 8.
/// `None` for negative or absurd sizes.
fn object_size(size: i64) -> Option<usize> {
    if size < 0 || size as u64 > MAX_OBJECT_SIZE {
        return None;
    }
    Some((size.max(8) as usize).div_ceil(8) * 8)
}

/// Counts `size` bytes against the heap limit; false when that would pass it.
fn charge(size: usize) -> bool {
    // SAFETY: short exclusive access.
    let h = unsafe { &mut *HEAP.get() };
    match h.used.checked_add(size as u64) {
        Some(total) if total <= h.limit => {
            h.used = total;
            true
        }
        _ => false,
    }
}

/// Allocates a zeroed object and writes its header, or returns null (raising nothing).
fn alloc_object(tid: u32, size: i64, flags: u32, counted: bool) -> *mut u8 {
    let Some(size) = object_size(size) else { return null_mut() };
    if counted && !charge(size) {
        return null_mut();
    }
    let p = bump(size);
    if !p.is_null() {
        // SAFETY: `p` is fresh memory of at least 8 bytes, 8-aligned.
        unsafe { (p as *mut GcHeader).write(GcHeader { tid, flags }) };
    }
    p
}

/// A new program object (see the module doc); null with MemoryError set on failure.
pub fn gc_malloc(tid: u32, size: u64) -> *mut u8 {
    let p = alloc_object(tid, size.min(i64::MAX as u64) as i64, 0, true);
    if p.is_null() {
        exc::raise_memory_error();
    }
    p
}

/// A new variable-size program object with `length` stored at `length_offset`; null with
/// MemoryError set on failure (including a negative length).
pub fn gc_malloc_varsize(tid: u32, size: i64, length: i64, length_offset: i64) -> *mut u8 {
    if length < 0 || length_offset < 8 || length_offset.checked_add(8).is_none_or(|end| end > size) {
        exc::raise_memory_error();
        return null_mut();
    }
    let p = alloc_object(tid, size, 0, true);
    if p.is_null() {
        exc::raise_memory_error();
        return p;
    }
    // SAFETY: `length_offset + 8 <= size`, checked above; 8-aligned objects and offsets.
    unsafe { (p.add(length_offset as usize) as *mut i64).write_unaligned(length) };
    p
}

/// A new object allocated without collecting and without raising; null on failure.
pub(crate) fn malloc_no_collect(tid: u32, size: u64) -> *mut u8 {
    alloc_object(tid, size.min(i64::MAX as u64) as i64, 0, true)
}

/// An object that lives for the whole run, flagged prebuilt and old like the program's
/// own prebuilt constants; not counted against the heap limit. Null on failure.
pub(crate) fn malloc_prebuilt(tid: u32, size: u64) -> *mut u8 {
    alloc_object(tid, size.min(i64::MAX as u64) as i64, GCFLAG_PREBUILT | GCFLAG_OLD, false)
}

/// Zeroed, 8-aligned memory with no GC header, for non-GC prebuilt data (vtables) that
/// lives for the whole run; not counted against the heap limit. Null on failure.
pub(crate) fn alloc_static(size: u64) -> *mut u8 {
    match object_size(size.min(i64::MAX as u64) as i64) {
        Some(size) => bump(size),
        None => null_mut(),
    }
}

/// Allocates a zeroed fixed-size GC object of `size` bytes with type id `tid`.
#[no_mangle]
pub extern "C" fn kiln_gc_malloc(tid: i64, size: i64) -> *mut u8 {
    if size < 0 {
        exc::raise_memory_error();
        return null_mut();
    }
    gc_malloc(tid as u32, size as u64)
}

/// Allocates a zeroed variable-size GC object of `size` bytes in total, storing `length`
/// at `length_offset`.
#[no_mangle]
pub extern "C" fn kiln_gc_malloc_varsize(tid: i64, size: i64, length: i64, length_offset: i64) -> *mut u8 {
    gc_malloc_varsize(tid as u32, size, length, length_offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RtConfig;
    use crate::host::testing::started;
    use kiln_abi::{typeid, RBaseException};

    fn header(p: *mut u8) -> GcHeader {
        // SAFETY: `p` is a live object.
        unsafe { *(p as *const GcHeader) }
    }

    #[test]
    fn objects_are_zeroed_aligned_and_headed() {
        let (_session, _) = started(RtConfig::default(), &[]);
        let before = used_bytes();
        let a = kiln_gc_malloc(20, 24);
        let b = kiln_gc_malloc(21, 13);
        assert!(!a.is_null() && !b.is_null() && a != b);
        assert_eq!((a as usize % 8, b as usize % 8), (0, 0));
        assert_eq!(header(a), GcHeader { tid: 20, flags: 0 });
        assert_eq!(header(b), GcHeader { tid: 21, flags: 0 });
        // SAFETY: 24- and 16-byte objects.
        unsafe {
            assert!(core::slice::from_raw_parts(a.add(8), 16).iter().all(|x| *x == 0));
            assert!(core::slice::from_raw_parts(b.add(8), 8).iter().all(|x| *x == 0));
        }
        assert_eq!(used_bytes() - before, 24 + 16, "sizes are rounded up to 8");
        let v = kiln_gc_malloc_varsize(typeid::ARRAY_SIGNED as i64, 16 + 8 * 5, 5, 8);
        // SAFETY: a 56-byte array whose length word is at 8.
        assert_eq!(unsafe { *(v.add(8) as *const i64) }, 5);
        let big = kiln_gc_malloc(22, 3 << 20);
        assert!(!big.is_null(), "large objects get their own mapping");
        // SAFETY: the object's last word.
        assert_eq!(unsafe { *(big.add((3 << 20) - 8) as *const u64) }, 0);
        assert!(!crate::exc::is_pending());
    }

    #[test]
    fn the_heap_limit_raises_the_preallocated_memory_error() {
        let (session, _) = started(RtConfig { max_heap: Some(1000), stack_limit: None }, &[]);
        let mut count = 0;
        while !kiln_gc_malloc(20, 96).is_null() {
            count += 1;
            assert!(count < 100, "the limit stops allocation");
        }
        assert_eq!(count, 10);
        let (etype, evalue) = crate::exc::current();
        assert_eq!(etype, crate::exc::vtable_of(kiln_abi::BuiltinExc::MemoryError));
        // SAFETY: the pending MemoryError instance.
        unsafe {
            assert_eq!((*(evalue as *mut RBaseException)).hdr.flags & GCFLAG_PREBUILT, GCFLAG_PREBUILT);
            assert!((*(evalue as *mut RBaseException)).message.is_null());
        }
        assert_eq!(session.finish(0), 1);
        assert_eq!(session.take_output().stderr, b"MemoryError\n");
    }

    #[test]
    fn impossible_sizes_raise_memory_error() {
        for (size, length, offset) in [(-8, 0, 8), (1 << 50, 1, 8), (64, -1, 8), (64, 3, 64), (64, 3, 0)] {
            let (_session, _) = started(RtConfig::default(), &[]);
            assert!(kiln_gc_malloc_varsize(30, size, length, offset).is_null(), "{size} {length} {offset}");
            assert!(crate::exc::is_pending());
        }
        let (_session, _) = started(RtConfig::default(), &[]);
        assert!(kiln_gc_malloc(30, -1).is_null());
        assert!(crate::exc::is_pending());
    }
}
