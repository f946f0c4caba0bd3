//! The shadow stack: where generated code and the runtime's own Rust helpers keep the GC
//! pointers they need after a call that can collect, so that collectors find them (roots)
//! and moving collectors update them.
//!
//! Layout: one mapping of [`STACK_BYTES`] words' worth of address space, reserved lazily
//! (`MAP_NORESERVE`, pages are touched only when used) and followed by a guard page, so an
//! overflow that slips past the stack check faults instead of corrupting memory. The
//! global [`kiln_gc_root_stack_top`] points to the first free slot; the stack grows
//! upwards. A frame of generated code is `n` consecutive slots, zeroed on entry (a slot
//! never written since holds null, never a stale pointer of a dead frame), written before
//! collection points and reloaded after them; `kiln_stack_check` also checks that
//! [`MARGIN`] bytes of it remain free.
//!
//! Rust code protects the pointers it holds across an allocation with [`Roots`], which
//! pushes them for its lifetime:
//! ```text
//! let roots = Roots::new([a as *mut u8, b as *mut u8]);
//! let p = gc_malloc(...);                  // may move a and b
//! let (a, b) = (roots.get(0), roots.get(1));
//! ```

use core::ptr::null_mut;

use crate::global::Global;

/// The first free slot of the shadow stack (null before the stack exists).
#[no_mangle]
pub static mut kiln_gc_root_stack_top: *mut *mut u8 = null_mut();

/// The highest the shadow stack's top may be at a stack check: [`MARGIN`] bytes below
/// its end (all ones before the stack exists, so that the inline check passes).
#[no_mangle]
pub static mut kiln_gc_root_stack_limit: *mut *mut u8 = usize::MAX as *mut *mut u8;

/// Address space reserved for the shadow stack.
pub const STACK_BYTES: usize = 64 << 20;
/// What `kiln_stack_check` keeps free for the frames between two checks.
pub const MARGIN: usize = 1 << 20;

struct RootStack {
    base: *mut *mut u8,
    limit: *mut *mut u8,
}

static STACK: Global<RootStack> = Global::new(RootStack { base: null_mut(), limit: null_mut() });

#[inline]
fn top() -> *mut *mut u8 {
    // SAFETY: a plain read of the global; single-threaded.
    unsafe { kiln_gc_root_stack_top }
}

#[inline]
fn set_top(t: *mut *mut u8) {
    // SAFETY: a plain write of the global; single-threaded.
    unsafe { kiln_gc_root_stack_top = t }
}

/// Makes the stack exist (once per process) and empties it. False when the address
/// space cannot be reserved.
pub(crate) fn init() -> bool {
    // SAFETY: short exclusive accesses.
    let st = unsafe { &mut *STACK.get() };
    if st.base.is_null() {
        let page = 4096;
        // SAFETY: an anonymous mapping has no preconditions.
        let p = unsafe {
            libc::mmap(
                null_mut(),
                STACK_BYTES + page,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return false;
        }
        // SAFETY: the guard page is the last page of the mapping just made.
        unsafe { libc::mprotect((p as *mut u8).add(STACK_BYTES) as *mut libc::c_void, page, libc::PROT_NONE) };
        st.base = p as *mut *mut u8;
        // SAFETY: inside the mapping.
        st.limit = unsafe { st.base.add(STACK_BYTES / 8) };
        // SAFETY: a plain write of the global; single-threaded.
        unsafe { kiln_gc_root_stack_limit = st.limit.sub(MARGIN / 8) };
    }
    set_top(st.base);
    true
}

/// Empties the stack (a new in-process run), without unmapping it.
pub(crate) fn reset() {
    // SAFETY: short read.
    let base = unsafe { (*STACK.get()).base };
    set_top(base);
}

/// Whether at least [`MARGIN`] bytes of the shadow stack are free (true before it exists).
#[inline]
pub(crate) fn has_margin() -> bool {
    // SAFETY: short read.
    let limit = unsafe { (*STACK.get()).limit };
    limit.is_null() || (limit as usize).saturating_sub(top() as usize) >= MARGIN
}

/// Calls `f` with every slot of the shadow stack that holds a pointer, bottom to top.
/// Slots hold object addresses, or Int words that the GC transform found to hold them;
/// a value that cannot be an object address (null, a small integer, unaligned) is
/// skipped, so a word that turned out to hold an integer is harmless.
pub(crate) fn for_each_stack_slot(mut f: impl FnMut(*mut *mut u8)) {
    // SAFETY: short read.
    let mut slot = unsafe { (*STACK.get()).base };
    let top = top();
    if slot.is_null() {
        return;
    }
    while slot < top {
        // SAFETY: slots between the base and the top are inside the mapping.
        let p = unsafe { *slot } as usize;
        if p >= 4096 && p.is_multiple_of(8) {
            f(slot);
        }
        slot = unsafe { slot.add(1) };
    }
}

/// Calls `f` with every root outside the heap that generated code and the runtime keep:
/// the shadow stack's slots, the pending exception instance and the JIT's root source.
pub(crate) fn for_each_root(mut f: impl FnMut(*mut *mut u8)) {
    for_each_stack_slot(&mut f);
    super::jit::for_each_extra_root(&mut f);
    // The address of the runtime's exception-value global; single-threaded.
    let exc = core::ptr::addr_of_mut!(crate::exc::kiln_exc_value) as *mut *mut u8;
    // SAFETY: as above.
    if !unsafe { *exc }.is_null() {
        f(exc);
    }
}

/// GC pointers held by Rust code, pushed on the shadow stack for the guard's lifetime so
/// that collections see them and moving collectors update them. Guards must be dropped
/// in the reverse order of their creation (they are scoped values, so they are).
pub(crate) struct Roots<const N: usize> {
    /// The guard's slots on the shadow stack; null before the stack exists, when the
    /// pointers stay in `local` (no collector runs then).
    slots: *mut *mut u8,
    local: [*mut u8; N],
}

impl<const N: usize> Roots<N> {
    pub(crate) fn new(ptrs: [*mut u8; N]) -> Roots<N> {
        let t = top();
        if t.is_null() {
            return Roots { slots: null_mut(), local: ptrs };
        }
        // SAFETY: short read.
        let limit = unsafe { (*STACK.get()).limit };
        if (limit as usize).saturating_sub(t as usize) < N * 8 {
            super::fatal("the shadow stack overflowed");
        }
        // SAFETY: `N` free slots were just checked to exist above the top.
        unsafe {
            for (i, p) in ptrs.iter().enumerate() {
                *t.add(i) = *p;
            }
            set_top(t.add(N));
        }
        Roots { slots: t, local: ptrs }
    }

    /// The current value of pointer `i` (updated by any collection since).
    #[inline]
    pub(crate) fn get(&self, i: usize) -> *mut u8 {
        if self.slots.is_null() {
            self.local[i]
        } else {
            // SAFETY: slot `i` of this guard.
            unsafe { *self.slots.add(i) }
        }
    }
}

impl<const N: usize> Roots<N> {
    /// Replaces pointer `i`.
    #[inline]
    pub(crate) fn set(&mut self, i: usize, p: *mut u8) {
        if self.slots.is_null() {
            self.local[i] = p;
        } else {
            // SAFETY: slot `i` of this guard.
            unsafe { *self.slots.add(i) = p };
        }
    }
}

impl<const N: usize> Drop for Roots<N> {
    fn drop(&mut self) {
        if !self.slots.is_null() {
            set_top(self.slots);
        }
    }
}
