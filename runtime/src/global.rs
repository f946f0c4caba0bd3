//! [`Global`]: a cell for the runtime's process-wide state, read and written without
//! locking.
//!
//! A translated program runs on one thread, and in-process users (the llinterp, tests)
//! hold the [`crate::host::Session`] lock for the whole run, so no two threads touch the
//! runtime state at the same time. The cell only spares every access a `static mut`
//! reference; each use keeps its `&mut` short and never calls out while holding it.

use core::cell::UnsafeCell;

pub(crate) struct Global<T>(UnsafeCell<T>);

// SAFETY: see the module doc: accesses are serialised by the single-threaded contract.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    pub(crate) const fn new(value: T) -> Global<T> {
        Global(UnsafeCell::new(value))
    }

    /// A pointer to the value. Dereference it only for the duration of one short access
    /// that calls nothing else touching the same global.
    pub(crate) fn get(&self) -> *mut T {
        self.0.get()
    }
}
