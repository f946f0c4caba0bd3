//! The exception state and raising built-in exceptions from inside the runtime.
//!
//! The state is two globals that generated code reads and writes directly (see the
//! exception transform): [`kiln_exc_type`], the raised class's vtable (null when no
//! exception is pending), and [`kiln_exc_value`], the instance. A runtime function that
//! raises sets both and returns its error value; the caller checks the state.
//!
//! The runtime raises a built-in class through the vtable the program registered in
//! `ProgramInfo::exc_vtables`. A program that never mentions the class has no vtable for
//! it; the runtime then uses a fallback vtable of its own, whose subclass range is empty
//! (no handler catches it) and whose name is the built-in's name, so the uncaught
//! exception is still reported by name.

use core::ptr::{addr_of_mut, null, null_mut};

use kiln_abi::{typeid, BuiltinExc, RBaseException, RObject, ROsError, RStr, Vtable};

use crate::alloc;
use crate::gc::{self, roots::Roots};
use crate::global::Global;
use crate::rstr;

/// The vtable of the pending exception's class; null when none is pending.
#[no_mangle]
pub static mut kiln_exc_type: *const Vtable = null();

/// The pending exception instance (meaningful only while [`kiln_exc_type`] is non-null).
#[no_mangle]
pub static mut kiln_exc_value: *mut RObject = null_mut();

/// The exception state as a pair.
#[inline]
pub fn current() -> (*const Vtable, *mut RObject) {
    // SAFETY: plain reads of the globals (no reference is formed); single-threaded.
    unsafe { (kiln_exc_type, kiln_exc_value) }
}

#[inline]
pub fn is_pending() -> bool {
    // SAFETY: as in `current`.
    unsafe { !kiln_exc_type.is_null() }
}

/// Sets the exception state (null type: no exception).
#[inline]
pub fn set(etype: *const Vtable, evalue: *mut RObject) {
    // SAFETY: plain writes of the globals; single-threaded.
    unsafe {
        kiln_exc_type = etype;
        kiln_exc_value = evalue;
    }
}

#[inline]
pub fn clear() {
    set(null(), null_mut());
}

struct ExcState {
    /// Fallback vtables for built-in classes the program has no vtable for.
    fallback: [Vtable; BuiltinExc::COUNT],
    /// The MemoryError instance allocated at startup, raised when allocation fails (when
    /// there is no memory left to make a new one).
    memory_error: *mut RObject,
    /// The RecursionError instance allocated at startup: the stack check raises it
    /// without allocating, so that it is not a collection point.
    recursion_error: *mut RObject,
}

const EMPTY_VTABLE: Vtable = Vtable { subclassrange_min: i64::MIN, subclassrange_max: i64::MIN, name: null(), instance_typeid: 0, instance_size: 0 };

static STATE: Global<ExcState> = Global::new(ExcState { fallback: [EMPTY_VTABLE; BuiltinExc::COUNT], memory_error: null_mut(), recursion_error: null_mut() });

/// Clears the state and forgets startup allocations (a new run begins).
pub(crate) fn reset() {
    clear();
    // SAFETY: short exclusive access, nothing else called meanwhile.
    let st = unsafe { &mut *STATE.get() };
    st.fallback = [EMPTY_VTABLE; BuiltinExc::COUNT];
    st.memory_error = null_mut();
    st.recursion_error = null_mut();
}

/// Startup: names the fallback vtables and preallocates the MemoryError instance. The
/// program info must already be recorded. Returns false when out of memory.
pub(crate) fn init() -> bool {
    for exc in BuiltinExc::ALL {
        let name = rstr::alloc_prebuilt_str(exc.name().as_bytes());
        if name.is_null() {
            return false;
        }
        let (tid, size) = instance_layout(exc);
        // SAFETY: short exclusive access.
        let st = unsafe { &mut *STATE.get() };
        st.fallback[exc as usize] = Vtable { name, instance_typeid: tid as i64, instance_size: size as i64, ..EMPTY_VTABLE };
    }
    let Some(memory_error) = prebuilt_instance(BuiltinExc::MemoryError, None) else { return false };
    let Some(recursion_error) = prebuilt_instance(BuiltinExc::RecursionError, Some(crate::stack::RECURSION_MESSAGE)) else { return false };
    // SAFETY: short exclusive access.
    unsafe {
        (*STATE.get()).memory_error = memory_error;
        (*STATE.get()).recursion_error = recursion_error;
    }
    true
}

/// An instance of `exc` that lives for the whole run, with `message` (or none).
fn prebuilt_instance(exc: BuiltinExc, message: Option<&str>) -> Option<*mut RObject> {
    let message = match message {
        Some(m) => {
            let s = rstr::alloc_prebuilt_str(m.as_bytes());
            if s.is_null() {
                return None;
            }
            s
        }
        None => null_mut(),
    };
    let (tid, size) = instance_layout(exc);
    let obj = alloc::malloc_prebuilt(tid, size) as *mut RBaseException;
    if obj.is_null() {
        return None;
    }
    // SAFETY: `obj` is a fresh zeroed object of the BASE_EXCEPTION layout.
    unsafe {
        (*obj).typeptr = vtable_of(exc);
        (*obj).message = message;
    }
    Some(obj as *mut RObject)
}

/// The GC type id and size of the runtime-made instances of a built-in class.
fn instance_layout(exc: BuiltinExc) -> (u32, u64) {
    match exc {
        BuiltinExc::OSError => (typeid::OS_ERROR, size_of::<ROsError>() as u64),
        _ => (typeid::BASE_EXCEPTION, size_of::<RBaseException>() as u64),
    }
}

/// The vtable the runtime raises `exc` with: the program's, or the fallback.
pub fn vtable_of(exc: BuiltinExc) -> *const Vtable {
    let registered = crate::start::program_info().map_or(null(), |info| info.exc_vtables[exc as usize]);
    if !registered.is_null() {
        return registered;
    }
    // SAFETY: the fallback array lives as long as the process; only its address is taken.
    unsafe { addr_of_mut!((*STATE.get()).fallback[exc as usize]) as *const Vtable }
}

/// The built-in class whose fallback vtable `vtable` is, if it is one.
fn fallback_class(vtable: *const Vtable) -> Option<BuiltinExc> {
    BuiltinExc::ALL.into_iter().find(|exc| {
        // SAFETY: only addresses are compared.
        let fb = unsafe { addr_of_mut!((*STATE.get()).fallback[*exc as usize]) as *const Vtable };
        fb == vtable
    })
}

/// Raises the built-in exception `exc` with message `msg`: allocates the instance (an
/// `ROsError` with errno 0 for OSError) and sets the exception state. When that
/// allocation fails, MemoryError is pending instead.
pub fn raise(exc: BuiltinExc, msg: &str) {
    let message = rstr::alloc_str(msg.as_bytes());
    if message.is_null() {
        return;
    }
    let (tid, size) = instance_layout(exc);
    // The message may move while the instance is allocated.
    let roots = Roots::new([message as *mut u8]);
    let obj = alloc::gc_malloc(tid, size) as *mut RBaseException;
    if obj.is_null() {
        return;
    }
    let vtable = vtable_of(exc);
    // SAFETY: `obj` is a fresh zeroed object at least as large as RBaseException.
    unsafe {
        (*obj).typeptr = vtable;
        (*obj).message = roots.get(0) as *mut RStr;
    }
    // A large-object collector may have allocated it old.
    gc::write_barrier(obj as *mut u8);
    set(vtable, obj as *mut RObject);
}

/// Makes MemoryError pending with the preallocated instance. Allocates nothing.
pub(crate) fn raise_memory_error() {
    // SAFETY: short read.
    let obj = unsafe { (*STATE.get()).memory_error };
    set(vtable_of(BuiltinExc::MemoryError), obj);
}

/// Makes RecursionError pending with the preallocated instance. Allocates nothing.
pub(crate) fn raise_recursion_error() {
    // SAFETY: short read.
    let obj = unsafe { (*STATE.get()).recursion_error };
    set(vtable_of(BuiltinExc::RecursionError), obj);
}

/// The last line CPython prints for an uncaught exception: `ClassName: message`, or
/// `ClassName` alone when there is no message or it is empty. `None` when no exception
/// is pending.
pub fn uncaught_line() -> Option<String> {
    let (etype, evalue) = current();
    if etype.is_null() {
        return None;
    }
    // SAFETY: a pending exception's type is a vtable and its value an instance whose
    // layout starts like RBaseException (every exception class has the message field).
    unsafe {
        let name_str = (*etype).name;
        let mut line = if !name_str.is_null() {
            String::from_utf8_lossy(rstr::bytes(name_str)).into_owned()
        } else if let Some(exc) = fallback_class(etype) {
            exc.name().to_string()
        } else {
            "<unnamed exception>".to_string()
        };
        let message: *mut RStr = if evalue.is_null() { null_mut() } else { (*(evalue as *mut RBaseException)).message };
        if !message.is_null() && (*message).length > 0 {
            line.push_str(": ");
            line.push_str(&String::from_utf8_lossy(rstr::bytes(message)));
        }
        Some(line)
    }
}
