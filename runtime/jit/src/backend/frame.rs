//! What compiled code shares with the rest of the JIT at run time: the table of exits
//! (global numbers, so that a bridge can leave by its own exits), per-guard slots
//! (failure counter and bridge target), frames whose references are GC roots, and the
//! pools of reference constants that a moving collector updates.
//!
//! **Roots.** One [`RootSet`] per backend is installed as the runtime's extra root source
//! (`JitRuntime::set_root_source`): at every collection it visits each constant pool and
//! the reference words of every live [`JitFrame`]. Compiled code loads reference
//! constants from their pool slot, so it sees where a moving collector put them.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::rc::Rc;

use kiln_abi::RootVisitor;

use crate::ir::{Type, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitKind {
    /// A guard failed.
    Guard,
    Finish,
    /// An allocation failed: MemoryError is pending in the runtime's exception state and
    /// the frame holds nothing. The caller raises it out of the portal.
    MemoryError,
}

/// Per-guard data that compiled code reads and writes: how often the guard failed and
/// where its bridge starts (0: no bridge; leave to the caller).
#[repr(C)]
#[derive(Debug, Default)]
pub struct GuardSlot {
    pub failures: u64,
    pub target: u64,
}

/// One way out of compiled code.
#[derive(Debug)]
pub struct ExitInfo {
    pub kind: ExitKind,
    /// The compiled trace it belongs to (`CompiledTrace::number`).
    pub trace: u32,
    /// Index of the guard or `finish` op in its trace.
    pub op: usize,
    /// What the frame holds after leaving here: the guard's resume values (frames
    /// flattened, outermost first) or `finish`'s arguments. Reference constants among
    /// them may have moved since: read the frame, not these.
    pub values: Vec<Value>,
    /// The type of each value (references are GC roots while the frame is alive).
    pub types: Vec<Type>,
    /// The guard's slot (null for other exits).
    pub(crate) slot: *mut GuardSlot,
}

impl ExitInfo {
    /// How many times this guard failed (0 for other exits).
    pub fn failures(&self) -> u64 {
        // SAFETY: slots are leaked, so they live as long as the process.
        unsafe { self.slot.as_ref() }.map_or(0, |s| s.failures)
    }

    /// Whether a bridge is attached to this guard.
    pub fn has_bridge(&self) -> bool {
        // SAFETY: as above.
        unsafe { self.slot.as_ref() }.is_some_and(|s| s.target != 0)
    }
}

/// Every exit of every trace a backend compiled, by global number (what compiled code
/// returns), and the frame size that the largest of them needs.
#[derive(Default)]
pub struct ExitTable {
    pub(crate) exits: RefCell<Vec<Rc<ExitInfo>>>,
    pub(crate) frame_words: Cell<usize>,
}

impl ExitTable {
    pub fn get(&self, n: u64) -> Option<Rc<ExitInfo>> {
        self.exits.borrow().get(n as usize).cloned()
    }

    /// Words a frame must have to run any compiled trace (bridges included).
    pub fn frame_words(&self) -> usize {
        self.frame_words.get()
    }
}

/// The GC roots the JIT holds: reference-constant pools and live frames.
#[derive(Default)]
pub struct RootSet {
    pools: RefCell<Vec<Box<[u64]>>>,
    frames: RefCell<Vec<*mut FrameWords>>,
}

impl RootSet {
    /// A pool holding `values`; returns its address (stable: the pool is never freed).
    pub(crate) fn add_pool(&self, values: Vec<u64>) -> *mut u64 {
        let mut b = values.into_boxed_slice();
        let p = b.as_mut_ptr();
        self.pools.borrow_mut().push(b);
        p
    }

    /// Calls `f` with every root slot.
    pub fn for_each_slot(&self, mut f: impl FnMut(*mut *mut u8)) {
        for pool in self.pools.borrow_mut().iter_mut() {
            for w in pool.iter_mut() {
                f(w as *mut u64 as *mut *mut u8);
            }
        }
        for &fr in self.frames.borrow().iter() {
            // SAFETY: registered frames are alive (they unregister when dropped).
            let fr = unsafe { &mut *fr };
            for (w, is_ref) in fr.words.iter_mut().zip(fr.refs.iter()) {
                if *is_ref {
                    f(w as *mut u64 as *mut *mut u8);
                }
            }
        }
    }

    /// The runtime's extra root source, with a `RootSet` as its context.
    ///
    /// # Safety
    /// `ctx` is a live `RootSet`.
    pub unsafe extern "C" fn source(ctx: *mut c_void, visit: RootVisitor, visit_ctx: *mut c_void) {
        // SAFETY: per the contract.
        let set = unsafe { &*(ctx as *const RootSet) };
        // SAFETY: the visitor takes any slot.
        set.for_each_slot(|slot| unsafe { visit(slot, visit_ctx) });
    }
}

pub(crate) struct FrameWords {
    pub(crate) words: Box<[u64]>,
    pub(crate) refs: Box<[bool]>,
}

/// A frame for running compiled code whose reference words are GC roots: inputs on
/// entry, then the values of the exit it left by (a *dead frame*: which guard, the
/// values of its resume boxes in order, with their types).
pub struct JitFrame {
    inner: Box<FrameWords>,
    roots: Rc<RootSet>,
}

impl JitFrame {
    pub(crate) fn new(roots: Rc<RootSet>, words: usize) -> JitFrame {
        let mut inner = Box::new(FrameWords { words: vec![0; words].into_boxed_slice(), refs: vec![false; words].into_boxed_slice() });
        roots.frames.borrow_mut().push(&mut *inner as *mut FrameWords);
        JitFrame { inner, roots }
    }

    pub fn len(&self) -> usize {
        self.inner.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inner.words.is_empty()
    }

    /// Sets word `k` with its type (references become roots).
    pub fn set(&mut self, k: usize, ty: Type, bits: u64) {
        self.inner.words[k] = bits;
        self.inner.refs[k] = ty == Type::Ref;
    }

    /// Word `k` as it is now (a moving collector updates references).
    pub fn get(&self, k: usize) -> u64 {
        self.inner.words[k]
    }

    /// Makes words `0..types.len()` have these types, and no other word a root.
    pub(crate) fn retype(&mut self, types: &[Type]) {
        for (k, r) in self.inner.refs.iter_mut().enumerate() {
            *r = types.get(k) == Some(&Type::Ref);
        }
    }

    /// Grows the frame to at least `words` words.
    pub(crate) fn reserve(&mut self, words: usize) {
        if self.inner.words.len() < words {
            let mut w = self.inner.words.to_vec();
            let mut r = self.inner.refs.to_vec();
            w.resize(words, 0);
            r.resize(words, false);
            self.inner.words = w.into_boxed_slice();
            self.inner.refs = r.into_boxed_slice();
        }
    }

    pub(crate) fn as_mut_ptr(&mut self) -> *mut u64 {
        self.inner.words.as_mut_ptr()
    }
}

impl Drop for JitFrame {
    fn drop(&mut self) {
        let me = &mut *self.inner as *mut FrameWords;
        self.roots.frames.borrow_mut().retain(|&f| f != me);
    }
}
