//! Object allocation, as the rest of the runtime and the llinterp see it: the entry
//! points below hand out objects from the program's collector (see [`crate::gc`]; the
//! `none` collector unless the program info names another), and a separate arena holds
//! what lives for the whole run.
//!
//! - [`kiln_gc_malloc`] / [`kiln_gc_malloc_varsize`] (generated code that was not
//!   GC-transformed, and the llinterp) and [`gc_malloc`] / [`gc_malloc_varsize`] (the
//!   runtime): a new zeroed object with its header written (`tid`, flags 0). They may
//!   collect: a caller holding GC pointers keeps them in `gc::roots::Roots` across the
//!   call. On failure they set MemoryError and return null.
//! - `malloc_no_collect`: never collects and never raises; null when it cannot allocate.
//!   For helpers the compiler treats as non-collecting (the string index built by
//!   `kiln_str_char_at`).
//! - `malloc_prebuilt` / `alloc_static`: objects made at startup that live for the
//!   whole run (the one-character strings, the MemoryError instance, the llinterp's
//!   prebuilt objects), flagged like the program's own prebuilt constants. They do not
//!   count against the heap limit.
//!
//! The heap limit (`KILN_GC_MAX_HEAP`) is the collector's business. `release_all` frees
//! everything (the end of an in-process run).

use core::ptr::null_mut;

use kiln_abi::{typeid, GcHeader, GCFLAGS_PREBUILT};

use crate::exc;
use crate::gc;
use crate::global::Global;

/// Size of a chunk of the arena for run-long objects.
const CHUNK_SIZE: usize = 1 << 20;
pub use crate::gc::MAX_OBJECT_SIZE;

struct Arena {
    /// Every mapping made, to unmap them in `release_all`.
    mappings: Vec<(*mut u8, usize)>,
    cur: *mut u8,
    end: *mut u8,
}

static ARENA: Global<Arena> = Global::new(Arena { mappings: Vec::new(), cur: null_mut(), end: null_mut() });

/// Bytes of objects in the program's heap now.
pub fn used_bytes() -> u64 {
    gc::heap_bytes()
}

/// Frees the heap and the arena. Every pointer into them dies: only for the end of a run.
pub(crate) fn release_all() {
    gc::release();
    // SAFETY: short exclusive access; the mappings were made by `map` with these sizes.
    let a = unsafe { &mut *ARENA.get() };
    for (ptr, len) in a.mappings.drain(..) {
        unsafe { libc::munmap(ptr as *mut libc::c_void, len) };
    }
    a.cur = null_mut();
    a.end = null_mut();
}

fn map(len: usize) -> *mut u8 {
    // SAFETY: an anonymous private mapping has no preconditions.
    let p = unsafe { libc::mmap(core::ptr::null_mut(), len, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 0) };
    if p == libc::MAP_FAILED {
        return null_mut();
    }
    // SAFETY: short exclusive access.
    unsafe { (*ARENA.get()).mappings.push((p as *mut u8, len)) };
    p as *mut u8
}

/// Zeroed, 8-byte-aligned arena memory of `size` bytes (a multiple of 8), or null.
fn arena_bump(size: usize) -> *mut u8 {
    if size > CHUNK_SIZE / 4 {
        return map(size);
    }
    // SAFETY: short exclusive accesses, not held across `map` (which touches ARENA).
    unsafe {
        let a = &mut *ARENA.get();
        if (a.end as usize) - (a.cur as usize) < size {
            let chunk = map(CHUNK_SIZE);
            if chunk.is_null() {
                return null_mut();
            }
            let a = &mut *ARENA.get();
            a.cur = chunk;
            a.end = chunk.add(CHUNK_SIZE);
        }
        let a = &mut *ARENA.get();
        let p = a.cur;
        a.cur = p.add(size);
        p
    }
}

/// A new program object (see the module doc); null with MemoryError set on failure.
pub fn gc_malloc(tid: u32, size: u64) -> *mut u8 {
    let p = gc::malloc(tid, size);
    if p.is_null() {
        exc::raise_memory_error();
    }
    p
}

/// A new variable-size program object with `length` stored at `length_offset`; null with
/// MemoryError set on failure (including a negative length or an impossible size).
pub fn gc_malloc_varsize(tid: u32, size: i64, length: i64, length_offset: i64) -> *mut u8 {
    let p = gc::malloc_varsize(tid, size, length, length_offset);
    if p.is_null() {
        exc::raise_memory_error();
    }
    p
}

/// A new object allocated without collecting and without raising; null on failure.
pub(crate) fn malloc_no_collect(tid: u32, size: u64) -> *mut u8 {
    gc::malloc_no_collect(tid, size)
}

/// An object that lives for the whole run, flagged prebuilt and old like the program's
/// own prebuilt constants; not counted against the heap limit. Null on failure.
pub(crate) fn malloc_prebuilt(tid: u32, size: u64) -> *mut u8 {
    if size > MAX_OBJECT_SIZE {
        return null_mut();
    }
    let p = arena_bump(kiln_abi::gc::alloc_size(size) as usize);
    if !p.is_null() {
        // SAFETY: fresh zeroed arena memory of at least 16 bytes, 8-aligned.
        unsafe { (p as *mut GcHeader).write(GcHeader { tid, flags: GCFLAGS_PREBUILT }) };
        // Collectors without a write barrier scan it, in case the program stores into
        // it. A string's only pointer is its index cache, whose writes are reported.
        if tid != typeid::STR {
            gc::register_runtime_prebuilt(p);
        }
    }
    p
}

/// Zeroed, 8-aligned memory with no GC header, for non-GC prebuilt data (vtables) that
/// lives for the whole run; not counted against the heap limit. Null on failure.
pub(crate) fn alloc_static(size: u64) -> *mut u8 {
    if size > MAX_OBJECT_SIZE {
        return null_mut();
    }
    arena_bump(((size.max(8) as usize) + 7) & !7)
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
    use kiln_abi::{typeid, RBaseException, GCFLAG_PREBUILT};

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
        let (session, _) = started(RtConfig { max_heap: Some(1000), ..RtConfig::default() }, &[]);
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
