//! The CPU layer: the concrete side of every jitcode instruction that touches memory or
//! the runtime, shared by the blackhole interpreter and the tracer (RPython's `bh_*`
//! methods of `llmodel.py`). Everything here acts on real memory of the running VM, as
//! the LLVM backend's code for the same lltype op does:
//!
//! - constants: [`int_const`], [`ref_const`] (symbols resolved through `Program::addrs`);
//! - fields and array items by descriptor: [`getfield`], [`setfield`],
//!   [`getarrayitem`], [`setarrayitem`], [`arraylen`] (narrow ints sign- or
//!   zero-extended per the descriptor; stores of references into GC objects run the
//!   collector's write barrier);
//! - allocation through the collector: [`new`], [`new_array`] (zeroed, header and length
//!   written; null means MemoryError is pending);
//! - calls: [`call`] (bank-separated arguments put back in C order, through a trampoline
//!   per signature: `cpu/calls.rs`);
//! - the exception state: [`exc_pending`], [`exc_clear`], [`exc_set`], [`raise`].
//!
//! Values are words: ints as `i64`, references as addresses (`u64`), floats as their bits
//! (`u64`). A reference held across [`new`], [`new_array`] or a [`call`] that can collect
//! must be in a registered root slot (`roots.rs`): a moving collector updates it there.
//! Memory operations are `unsafe`: the jitcodes come from the same lltype graphs as the
//! translated code, so their addresses are as valid as there (null checks are explicit
//! ops of the graphs).

mod calls;

use kiln_abi::{GcHeader, Vtable, GCFLAG_TRACK_YOUNG_PTRS};
use kiln_jitcode::{ArrayDescr, Bank, CallDescr, FieldDescr, IntConst, RefConst, SizeDescr};

use crate::Program;

/// The value of an int constant: a number, or the address of a symbol.
pub fn int_const(p: &Program, c: &IntConst) -> i64 {
    match *c {
        IntConst::Value(v) => v,
        IntConst::Addr(sym) => p.addrs.get(sym as usize).copied().unwrap_or(0) as i64,
    }
}

/// The value of a ref constant: null, or the address of a prebuilt object.
pub fn ref_const(p: &Program, c: &RefConst) -> u64 {
    match *c {
        RefConst::Null => 0,
        RefConst::Static(sym) => p.addrs.get(sym as usize).copied().unwrap_or(0),
    }
}

/// Reads `size` bytes at `addr` as a word: narrow ints extended (signed or not), 8-byte
/// values as they are.
///
/// # Safety
/// `addr` must be readable for `size` bytes.
pub unsafe fn load(addr: u64, size: u8, signed: bool) -> u64 {
    // SAFETY: per the contract. Unaligned reads are allowed: packed layouts stay correct.
    unsafe {
        match (size, signed) {
            (1, true) => (addr as *const i8).read_unaligned() as i64 as u64,
            (1, false) => (addr as *const u8).read_unaligned() as u64,
            (2, true) => (addr as *const i16).read_unaligned() as i64 as u64,
            (2, false) => (addr as *const u16).read_unaligned() as u64,
            (4, true) => (addr as *const i32).read_unaligned() as i64 as u64,
            (4, false) => (addr as *const u32).read_unaligned() as u64,
            _ => (addr as *const u64).read_unaligned(),
        }
    }
}

/// Writes the low `size` bytes of `value` at `addr`.
///
/// # Safety
/// `addr` must be writable for `size` bytes.
pub unsafe fn store(addr: u64, size: u8, value: u64) {
    // SAFETY: per the contract.
    unsafe {
        match size {
            1 => (addr as *mut u8).write_unaligned(value as u8),
            2 => (addr as *mut u16).write_unaligned(value as u16),
            4 => (addr as *mut u32).write_unaligned(value as u32),
            _ => (addr as *mut u64).write_unaligned(value),
        }
    }
}

fn signed_load(size: u8, signed: bool, bank: Bank) -> (u8, bool) {
    // Only the int bank has narrow values; a 1-byte signed int is a C `signed char`.
    if bank == Bank::Int {
        (size, signed)
    } else {
        (8, false)
    }
}

/// Reads field `d` of the struct at `obj` (a GC object or raw data, per `d.gc`).
///
/// # Safety
/// `obj` must point to a struct with that field.
pub unsafe fn getfield(obj: u64, d: &FieldDescr) -> u64 {
    let (size, signed) = signed_load(d.size, d.signed, d.bank);
    // SAFETY: per the contract.
    unsafe { load(obj.wrapping_add(d.offset as u64), size, signed) }
}

/// The write barrier before storing a reference into the GC object `obj` (its item
/// `index` for arrays), for collectors that have one.
///
/// # Safety
/// `obj` must be a live GC object (or a prebuilt one).
pub unsafe fn write_barrier(p: &Program, obj: u64, index: Option<i64>) {
    let rt = p.rt;
    // SAFETY: every GC object starts with its header.
    let flags = unsafe { (*(obj as *const GcHeader)).flags };
    if flags & GCFLAG_TRACK_YOUNG_PTRS == 0 {
        return;
    }
    // SAFETY: the collector's barrier entries take any object whose header says so.
    unsafe {
        match (index, rt.wb, rt.wb_array) {
            (Some(i), _, Some(wba)) => wba(obj as *mut u8, i),
            (_, Some(wb), _) => wb(obj as *mut u8),
            _ => {}
        }
    }
}

/// Writes `value` into field `d` of the struct at `obj`.
///
/// # Safety
/// `obj` must point to a struct with that field; a reference value must be a live object.
pub unsafe fn setfield(p: &Program, obj: u64, d: &FieldDescr, value: u64) {
    // SAFETY: per the contract.
    unsafe {
        if d.gc && d.bank == Bank::Ref {
            write_barrier(p, obj, None);
        }
        store(obj.wrapping_add(d.offset as u64), if d.bank == Bank::Int { d.size } else { 8 }, value);
    }
}

fn item_addr(arr: u64, d: &ArrayDescr, index: i64) -> u64 {
    arr.wrapping_add(d.base_offset as u64).wrapping_add((index as u64).wrapping_mul(d.item_size as u64))
}

/// Reads item `index` of the array `arr` (unchecked, like the lltype op).
///
/// # Safety
/// `arr` must be an array of that layout and `index` in bounds.
pub unsafe fn getarrayitem(arr: u64, d: &ArrayDescr, index: i64) -> u64 {
    let (size, signed) = signed_load(d.item_size, d.signed, d.item_bank);
    // SAFETY: per the contract.
    unsafe { load(item_addr(arr, d, index), size, signed) }
}

/// Writes item `index` of the GC array `arr`.
///
/// # Safety
/// As [`getarrayitem`]; a reference value must be a live object.
pub unsafe fn setarrayitem(p: &Program, arr: u64, d: &ArrayDescr, index: i64, value: u64) {
    // SAFETY: per the contract.
    unsafe {
        if d.gc && d.item_bank == Bank::Ref {
            write_barrier(p, arr, Some(index));
        }
        store(item_addr(arr, d, index), if d.item_bank == Bank::Int { d.item_size } else { 8 }, value);
    }
}

/// The length of the array `arr`.
///
/// # Safety
/// `arr` must be an array of that layout.
pub unsafe fn arraylen(arr: u64, d: &ArrayDescr) -> i64 {
    // SAFETY: per the contract.
    unsafe { load(arr.wrapping_add(d.len_offset as u64), 8, true) as i64 }
}

/// A new zeroed GC object of size `d` with its header written; 0 when the collector is
/// out of memory (MemoryError is then pending). May collect.
pub fn new(p: &Program, d: &SizeDescr) -> u64 {
    // SAFETY: the collector's slow path takes any type id and size and checks them.
    unsafe { (p.rt.malloc_slow)(d.type_id as i64, d.size as i64) as u64 }
}

/// A new zeroed GC array of `len` items with its header and length written; 0 (with
/// MemoryError pending) for a negative or huge length or when out of memory. May collect.
pub fn new_array(p: &Program, d: &ArrayDescr, len: i64) -> Result<u64, String> {
    let tid = d.type_id.ok_or("new_array of an array that is not a GC object")?;
    // SAFETY: the collector's slow path checks the type id and the length.
    Ok(unsafe { (p.rt.malloc_varsize_slow)(tid as i64, len) as u64 })
}

/// Calls the function at `addr` whose signature is `d` with its arguments separated by
/// bank (each list in C order); `floats` are bits. Returns the result as a word (0 for
/// none). The callee may raise (check [`exc_pending`]) and collect.
///
/// # Safety
/// `addr` must be a function of signature `d`, and the call must be sound with these
/// arguments (the jitcodes' calls are the translated program's).
pub unsafe fn call(addr: u64, d: &CallDescr, ints: &[i64], refs: &[u64], floats: &[u64]) -> Result<u64, String> {
    let count = |b: Bank| d.args.iter().filter(|x| **x == b).count();
    if (count(Bank::Int), count(Bank::Ref), count(Bank::Float)) != (ints.len(), refs.len(), floats.len()) {
        return Err(format!(
            "a call with {}/{}/{} int/ref/float arguments for a signature of {:?}",
            ints.len(),
            refs.len(),
            floats.len(),
            d.args
        ));
    }
    if addr == 0 {
        return Err("a call of a null function".into());
    }
    let mut next = [0usize; 3];
    let args: Vec<u64> = d
        .args
        .iter()
        .map(|b| {
            let k = next[b.index()];
            next[b.index()] += 1;
            match b {
                Bank::Int => ints[k] as u64,
                Bank::Ref => refs[k],
                Bank::Float => floats[k],
            }
        })
        .collect();
    // SAFETY: per the contract.
    unsafe { calls::call(addr, &d.args, d.result, &args) }
}

/// The pending exception `(type, value)`, or `None`.
pub fn exc_pending(p: &Program) -> Option<(u64, u64)> {
    // SAFETY: the runtime's exception globals, read on the program's thread.
    let (t, v) = unsafe { (*p.rt.exc_type as u64, *p.rt.exc_value as u64) };
    (t != 0).then_some((t, v))
}

pub fn exc_clear(p: &Program) {
    exc_set(p, 0, 0);
}

/// Sets the exception state (type 0: none).
pub fn exc_set(p: &Program, etype: u64, evalue: u64) {
    // SAFETY: as in `exc_pending`.
    unsafe {
        *p.rt.exc_type = etype as *const Vtable;
        *p.rt.exc_value = evalue as *mut kiln_abi::RObject;
    }
}

/// The class (vtable address) of the instance at `obj`.
///
/// # Safety
/// `obj` must be a live instance.
pub unsafe fn class_of(p: &Program, obj: u64) -> u64 {
    // SAFETY: per the contract: instances hold their vtable at this offset.
    unsafe { load(obj.wrapping_add(p.vtable_offset as u64), 8, false) }
}

/// Makes the exception instance `obj` pending, with its class as the type (the `raise`
/// of the translated code).
///
/// # Safety
/// `obj` must be a live exception instance.
pub unsafe fn raise(p: &Program, obj: u64) {
    // SAFETY: per the contract.
    let cls = unsafe { class_of(p, obj) };
    exc_set(p, cls, obj);
}

/// Whether the class `cls` is `of` or a subclass of it (the runtime's class ranges, as
/// `goto_if_exception_mismatch` and the translated code's exception matching test).
///
/// # Safety
/// Both must be vtables of the program.
pub unsafe fn is_subclass(cls: u64, of: u64) -> bool {
    if cls == of {
        return true;
    }
    if cls == 0 || of == 0 {
        return false;
    }
    // SAFETY: per the contract.
    let (c, o) = unsafe { (&*(cls as *const Vtable), &*(of as *const Vtable)) };
    o.subclassrange_min <= c.subclassrange_min && c.subclassrange_min < o.subclassrange_max
}

/// The CPU layer as the tracer's [`crate::tracer::Machine`]: the tracer's concrete
/// execution on the VM's real memory, collector and exception state. `push_roots` and
/// `pop_roots` nest through the root registry (`roots.rs`), which must be installed.
pub struct Cpu<'p> {
    pub p: &'p Program,
    rooted: Vec<crate::roots::Rooted>,
}

impl<'p> Cpu<'p> {
    pub fn new(p: &'p Program) -> Cpu<'p> {
        Cpu { p, rooted: vec![] }
    }
}

impl crate::tracer::Machine for Cpu<'_> {
    fn getfield(&mut self, obj: u64, d: &FieldDescr) -> u64 {
        // SAFETY: the tracer executes the translated program's own accesses.
        unsafe { getfield(obj, d) }
    }
    fn setfield(&mut self, obj: u64, d: &FieldDescr, value: u64) {
        // SAFETY: as above.
        unsafe { setfield(self.p, obj, d, value) }
    }
    fn getarrayitem(&mut self, arr: u64, index: i64, d: &ArrayDescr) -> u64 {
        // SAFETY: as above.
        unsafe { getarrayitem(arr, d, index) }
    }
    fn setarrayitem(&mut self, arr: u64, index: i64, d: &ArrayDescr, value: u64) {
        // SAFETY: as above.
        unsafe { setarrayitem(self.p, arr, d, index, value) }
    }
    fn arraylen(&mut self, arr: u64, d: &ArrayDescr) -> i64 {
        // SAFETY: as above.
        unsafe { arraylen(arr, d) }
    }
    fn new(&mut self, d: &SizeDescr) -> u64 {
        new(self.p, d)
    }
    fn new_array(&mut self, d: &ArrayDescr, len: i64) -> u64 {
        // A descriptor without type id is the codewriter's bug: report it as MemoryError
        // would hide it, so stop.
        new_array(self.p, d, len).unwrap_or_else(|e| {
            eprintln!("kiln: internal error in the JIT: {e}");
            std::process::abort()
        })
    }
    fn call(&mut self, addr: u64, d: &CallDescr, ints: &[i64], refs: &[u64], floats: &[u64]) -> u64 {
        // SAFETY: the tracer executes the translated program's own calls.
        unsafe { call(addr, d, ints, refs, floats) }.unwrap_or_else(|e| {
            eprintln!("kiln: internal error in the JIT: {e}");
            std::process::abort()
        })
    }
    fn exception(&mut self) -> (u64, u64) {
        exc_pending(self.p).unwrap_or((0, 0))
    }
    fn set_exception(&mut self, cls: u64, value: u64) {
        exc_set(self.p, cls, value)
    }
    fn clear_exception(&mut self) {
        exc_clear(self.p)
    }
    fn class_of(&mut self, obj: u64) -> u64 {
        // SAFETY: the tracer asks for the class of live instances.
        unsafe { class_of(self.p, obj) }
    }
    fn is_subclass(&mut self, sub: u64, cls: u64) -> bool {
        // SAFETY: vtables of the program.
        unsafe { is_subclass(sub, cls) }
    }
    fn is_runtime(&self) -> bool {
        true
    }
    fn moving(&self) -> bool {
        self.p.rt.moving != 0
    }
    unsafe fn push_roots(&mut self, slots: *mut u64, len: usize) {
        // SAFETY: per the trait's contract.
        self.rooted.push(unsafe { crate::roots::root_slots(slots, len) });
    }
    fn pop_roots(&mut self) {
        self.rooted.pop();
    }
}

#[cfg(test)]
pub(crate) mod tests;
