//! The metainterp's GC roots: the one extra root source of the runtime
//! (`JitRuntime::set_root_source`) belongs to this module, and everything the metainterp
//! holds that may point into the heap registers here: the blackhole interpreter's and the
//! tracer's reference registers, the prefix of `kiln_jit_values` in use, the warm state's
//! green-key cells, the backend's constant pools and dead frames.
//!
//! A registration is a [`Rooted`] token; dropping it unregisters. Two kinds:
//! - [`root_slots`]: a fixed run of words that all hold GC references (or null);
//! - [`root_source`]: a callback that, at each collection, calls its visitor once per slot
//!   it holds now (for structures that grow and shrink: a frame stack, a key table, the
//!   backend's `RootSet`).
//!
//! [`with_rooted`] is the common case in small: a `Vec<u64>` of references that stays a
//! root (whatever it grows to) while a closure runs.
//!
//! [`install`] makes this module the runtime's root source. `kiln_jit::state::JitState`'s
//! backend installs its own `RootSet` when it is built, so call [`install`] after building
//! it, and register the backend's set through [`root_source`]
//! (`RootSet::for_each_slot`). A moving collector rewrites every visited slot: after any
//! call that can collect, read references back from their slots.
//!
//! The runtime is single-threaded: the registry is per thread, and the root source must be
//! installed from the thread that runs the program.

use std::cell::RefCell;
use std::ffi::c_void;

use kiln_abi::{JitRuntime, RootVisitor};

/// Something that visits root slots: one call per slot holding a GC reference or null.
pub type SlotFn<'a> = &'a mut dyn FnMut(*mut u64);

enum Entry {
    Slots(*mut u64, usize),
    Source(Box<dyn FnMut(SlotFn<'_>)>),
}

#[derive(Default)]
struct Registry {
    entries: Vec<Option<Entry>>,
    /// Entries currently out of the table while a collection visits them (so that a
    /// source can be visited without holding the registry borrowed).
    visiting: bool,
}

thread_local! {
    static REGISTRY: RefCell<Registry> = RefCell::new(Registry::default());
}

/// A registration; dropping it removes the roots.
#[must_use = "the roots are unregistered when this is dropped"]
pub struct Rooted(usize);

impl Drop for Rooted {
    fn drop(&mut self) {
        REGISTRY.with(|r| {
            let mut r = r.borrow_mut();
            if let Some(e) = r.entries.get_mut(self.0) {
                *e = None;
            }
            while matches!(r.entries.last(), Some(None)) {
                r.entries.pop();
            }
        });
    }
}

fn register(e: Entry) -> Rooted {
    REGISTRY.with(|r| {
        let mut r = r.borrow_mut();
        assert!(!r.visiting, "roots registered during a collection");
        let i = match r.entries.iter().position(Option::is_none) {
            Some(i) => {
                r.entries[i] = Some(e);
                i
            }
            None => {
                r.entries.push(Some(e));
                r.entries.len() - 1
            }
        };
        Rooted(i)
    })
}

/// Registers `len` words from `ptr`, each a GC reference or null, as roots.
///
/// # Safety
/// The words must stay valid (and hold only references or null) until the token drops.
pub unsafe fn root_slots(ptr: *mut u64, len: usize) -> Rooted {
    register(Entry::Slots(ptr, len))
}

/// Registers a callback that visits the slots it holds at each collection.
pub fn root_source(f: impl FnMut(SlotFn<'_>) + 'static) -> Rooted {
    register(Entry::Source(Box::new(f)))
}

/// Runs `f` with the references in `values` rooted: a collection during `f` (any call
/// that can collect) sees and updates them, however `f` changes the vector's length.
pub fn with_rooted<R>(values: &mut Vec<u64>, f: impl FnOnce(&mut Vec<u64>) -> R) -> R {
    let p: *mut Vec<u64> = values;
    let token = root_source(move |visit| {
        // SAFETY: the vector outlives the token, which drops before `with_rooted` returns;
        // collections happen only inside calls `f` makes, never while `f` holds a borrow
        // of an element across one.
        let v = unsafe { &mut *p };
        for w in v.iter_mut() {
            visit(w);
        }
    });
    // SAFETY: as above: `p` is `values`, reborrowed for `f`.
    let r = f(unsafe { &mut *p });
    drop(token);
    r
}

/// Calls `visit` with every registered slot (what the collector sees).
pub fn for_each_slot(mut visit: impl FnMut(*mut u64)) {
    // Take the entries out so that a source runs without the registry borrowed.
    let mut entries = REGISTRY.with(|r| {
        let mut r = r.borrow_mut();
        r.visiting = true;
        std::mem::take(&mut r.entries)
    });
    for e in entries.iter_mut().flatten() {
        match e {
            Entry::Slots(p, n) => {
                for k in 0..*n {
                    // SAFETY: registered slots are valid until unregistered.
                    visit(unsafe { p.add(k) });
                }
            }
            Entry::Source(f) => f(&mut visit),
        }
    }
    REGISTRY.with(|r| {
        let mut r = r.borrow_mut();
        r.visiting = false;
        // Unregistrations during the visit left `None`s in the new (empty) table;
        // put the taken entries back.
        let newer = std::mem::replace(&mut r.entries, entries);
        debug_assert!(newer.iter().all(Option::is_none));
    });
}

/// The number of live registrations (for tests and leak checks).
pub fn registered() -> usize {
    REGISTRY.with(|r| r.borrow().entries.iter().filter(|e| e.is_some()).count())
}

unsafe extern "C" fn source(_ctx: *mut c_void, visit: RootVisitor, visit_ctx: *mut c_void) {
    for_each_slot(|slot| {
        // SAFETY: the runtime's visitor takes any slot, null ones included.
        unsafe { visit(slot as *mut *mut u8, visit_ctx) }
    });
}

/// Makes the registry the runtime's extra root source (replacing whatever was installed:
/// register a replaced source through [`root_source`] to keep it visited).
pub fn install(rt: &'static JitRuntime) {
    // SAFETY: `source` needs no context and lives for the whole process.
    unsafe { (rt.set_root_source)(Some(source), std::ptr::null_mut()) };
}

/// Removes the runtime's extra root source.
pub fn uninstall(rt: &'static JitRuntime) {
    // SAFETY: removing is always allowed.
    unsafe { (rt.set_root_source)(None, std::ptr::null_mut()) };
}
