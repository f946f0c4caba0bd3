//! Tests of the CPU layer and the root registry against the real runtime: each collector,
//! with and without a collection at every allocation (`KILN_GC_DEBUG`'s mode), objects
//! built and linked through `cpu` while rooted through `roots`, the write barrier, narrow
//! fields, calls of every shape, and the exception state.

use core::ffi::c_void;

use kiln_abi::{BuiltinExc, JitRuntime, ProgramInfo, TypeInfo, Vtable, ABI_VERSION, TI_VALID, TI_VARSIZE};
use kiln_jitcode::{ArrayDescr, Bank, CallDescr, CallTarget, EffectInfo, FieldDescr, IntConst, JitCodeSet, Mutability, RefConst, SizeDescr, Symbol, SymbolKind};
use kiln_runtime::config::RtConfig;
use kiln_runtime::gc::{self as rgc, incminimark, jit as rjit, marksweep, none, semispace, Collector};
use kiln_runtime::host::Session;

use crate::{cpu, roots, Program};

static NO_PTRS: [u32; 0] = [];
static AT_0: [u32; 1] = [0];
static AT_16: [u32; 1] = [16];
static AT_24: [u32; 1] = [24];

pub(crate) const fn fixed(size: u32, ptrs: &'static [u32]) -> TypeInfo {
    TypeInfo {
        fixed_size: size,
        flags: TI_VALID,
        length_offset: 0,
        items_offset: 0,
        item_size: 0,
        ptr_count: ptrs.len() as u32,
        ptr_offsets: ptrs.as_ptr(),
        item_ptr_count: 0,
        item_ptr_offsets: NO_PTRS.as_ptr(),
    }
}

pub(crate) const fn varsize(fixed_size: u32, length_offset: u32, item_size: u32, ptrs: &'static [u32], items: &'static [u32]) -> TypeInfo {
    TypeInfo {
        fixed_size,
        flags: TI_VALID | TI_VARSIZE,
        length_offset,
        items_offset: fixed_size,
        item_size,
        ptr_count: ptrs.len() as u32,
        ptr_offsets: ptrs.as_ptr(),
        item_ptr_count: items.len() as u32,
        item_ptr_offsets: items.as_ptr(),
    }
}

const INVALID: TypeInfo = TypeInfo { flags: 0, ..fixed(0, &NO_PTRS) };

/// An instance: header, class pointer at 8, `next` (a GC pointer) at 16, `value` at 24.
pub(crate) const INST: u32 = 16;
/// An array of GC pointers: length at 8, items from 16.
pub(crate) const PTR_ARRAY: u32 = 17;
/// An array of ints: length at 8, items from 16.
pub(crate) const INT_ARRAY: u32 = 18;

/// The runtime's well-known types at their fixed ids, then the tests' own.
pub(crate) static ROWS: [TypeInfo; 19] = [
    INVALID,
    varsize(40, 32, 1, &AT_24, &NO_PTRS),  // STR
    varsize(16, 8, 8, &NO_PTRS, &NO_PTRS), // ARRAY_SIGNED
    varsize(16, 8, 8, &NO_PTRS, &AT_0),    // ARRAY_STR
    fixed(24, &AT_16),                     // LIST_STR
    fixed(24, &AT_16),                     // BASE_EXCEPTION
    fixed(32, &AT_16),                     // OS_ERROR
    fixed(24, &AT_16),                     // LIST_SIGNED
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    fixed(32, &AT_16),                     // INST
    varsize(16, 8, 8, &NO_PTRS, &AT_0),    // PTR_ARRAY
    varsize(16, 8, 8, &NO_PTRS, &NO_PTRS), // INT_ARRAY
];

pub(crate) const fn field(offset: u32, size: u8, bank: Bank, signed: bool) -> FieldDescr {
    FieldDescr { offset, size, bank, signed, mutability: Mutability::Mutable, gc: true }
}

pub(crate) const INST_CLS: FieldDescr = field(8, 8, Bank::Int, false);
pub(crate) const INST_NEXT: FieldDescr = field(16, 8, Bank::Ref, false);
pub(crate) const INST_VALUE: FieldDescr = field(24, 8, Bank::Int, true);
pub(crate) const INST_SIZE: SizeDescr = SizeDescr { size: 32, type_id: INST };
pub(crate) const PTRS: ArrayDescr = ArrayDescr { base_offset: 16, len_offset: 8, item_size: 8, item_bank: Bank::Ref, signed: false, immutable_items: false, gc: true, type_id: Some(PTR_ARRAY) };
pub(crate) const INTS: ArrayDescr = ArrayDescr { base_offset: 16, len_offset: 8, item_size: 8, item_bank: Bank::Int, signed: true, immutable_items: false, gc: true, type_id: Some(INT_ARRAY) };

/// Classes for the exception tests: `BASE` has subclass `SUB`; `OTHER` is unrelated.
pub(crate) struct Class(pub Vtable);
// SAFETY: read-only; the name pointer is null.
unsafe impl Sync for Class {}

pub(crate) static BASE: Class = Class(Vtable { subclassrange_min: 10, subclassrange_max: 20, name: core::ptr::null(), instance_typeid: INST as i64, instance_size: 32 });
pub(crate) static SUB: Class = Class(Vtable { subclassrange_min: 11, subclassrange_max: 12, name: core::ptr::null(), instance_typeid: INST as i64, instance_size: 32 });
pub(crate) static OTHER: Class = Class(Vtable { subclassrange_min: 20, subclassrange_max: 21, name: core::ptr::null(), instance_typeid: INST as i64, instance_size: 32 });

pub(crate) fn addr_of_vtable(v: &'static Class) -> u64 {
    &v.0 as *const Vtable as u64
}

pub(crate) struct Gc {
    pub name: &'static str,
    pub collector: &'static Collector,
    pub rt: &'static JitRuntime,
}

pub(crate) fn collectors() -> [Gc; 4] {
    [
        Gc { name: "none", collector: &none::kiln_gc_none_collector, rt: &rjit::kiln_gc_none_jit },
        Gc { name: "semispace", collector: &semispace::kiln_gc_semispace_collector, rt: &rjit::kiln_gc_semispace_jit },
        Gc { name: "marksweep", collector: &marksweep::kiln_gc_marksweep_collector, rt: &rjit::kiln_gc_marksweep_jit },
        Gc { name: "incminimark", collector: &incminimark::kiln_gc_incminimark_collector, rt: &rjit::kiln_gc_incminimark_jit },
    ]
}

pub(crate) fn start(collector: &'static Collector, debug: bool) -> Session {
    let info: &'static ProgramInfo = Box::leak(Box::new(ProgramInfo {
        abi_version: ABI_VERSION,
        type_count: ROWS.len() as u32,
        type_info: ROWS.as_ptr(),
        exc_vtables: [core::ptr::null::<Vtable>(); BuiltinExc::COUNT],
        gc: collector as *const Collector as *const c_void,
        prebuilt_count: 0,
        prebuilt_objects: core::ptr::null(),
    }));
    let session = Session::begin(true);
    let config = RtConfig { nursery: Some(64 << 10), gc_debug: debug, ..RtConfig::default() };
    // SAFETY: a leaked, valid program info.
    unsafe { session.start(&["prog"], info, &config) }.expect("the runtime starts");
    session
}

/// A program with no jitcodes whose symbols are `addrs` (for constants and calls).
pub(crate) fn program(rt: &'static JitRuntime, addrs: Vec<u64>) -> Program {
    let symbols = (0..addrs.len()).map(|i| Symbol { name: format!("s{i}"), kind: SymbolKind::Func }).collect();
    Program { set: JitCodeSet { symbols, ..JitCodeSet::default() }, addrs, rt, vtable_offset: 8 }
}

/// Runs `scenario` under every collector, without and with a collection at every
/// allocation, with the registry installed as the root source; checks the heap after.
pub(crate) fn each(mut scenario: impl FnMut(&str, &Program)) {
    for gc in collectors() {
        for debug in [false, true] {
            let _session = start(gc.collector, debug);
            let what = format!("{} (debug: {debug})", gc.name);
            assert_eq!(rgc::active_name(), gc.name);
            roots::install(gc.rt);
            let p = program(gc.rt, vec![]);
            scenario(&what, &p);
            rgc::collect();
            if let Err(e) = rgc::check_heap() {
                panic!("{what}: {e}");
            }
            roots::uninstall(gc.rt);
            assert_eq!(roots::registered(), 0, "{what}: registrations leaked");
        }
    }
}

fn new_inst(p: &Program, value: i64) -> u64 {
    let o = cpu::new(p, &INST_SIZE);
    assert_ne!(o, 0);
    // SAFETY: a fresh instance.
    unsafe {
        cpu::setfield(p, o, &INST_CLS, addr_of_vtable(&BASE));
        cpu::setfield(p, o, &INST_VALUE, value as u64);
    }
    o
}

#[test]
fn a_rooted_list_built_through_the_cpu_survives_every_collector() {
    each(|what, p| {
        // holder[0] is an old array (a collection has run since it was made) into which
        // the list's head is stored each round: without the barrier incminimark's minor
        // collections would lose the young head.
        let mut held = vec![0u64; 2];
        roots::with_rooted(&mut held, |held| {
            held[0] = cpu::new_array(p, &PTRS, 1).unwrap();
            rgc::collect();
            for i in 0..3000 {
                let node = new_inst(p, i);
                // SAFETY: live objects of the tests' layouts.
                unsafe {
                    cpu::setfield(p, node, &INST_NEXT, held[1]);
                    cpu::setarrayitem(p, held[0], &PTRS, 0, node);
                }
                held[1] = node;
                if i % 7 == 0 {
                    // Grow the rooted vector: it must stay a root wherever it moves.
                    held.push(node);
                }
            }
            rgc::collect();
            // SAFETY: as above.
            unsafe {
                assert_eq!(cpu::getarrayitem(held[0], &PTRS, 0), held[1], "{what}: the array holds the head");
                assert_eq!(cpu::arraylen(held[0], &PTRS), 1);
                let mut n = held[1];
                for i in (0..3000).rev() {
                    assert_eq!(cpu::getfield(n, &INST_VALUE) as i64, i, "{what}: node {i}");
                    assert_eq!(cpu::getfield(n, &INST_CLS), addr_of_vtable(&BASE));
                    n = cpu::getfield(n, &INST_NEXT);
                }
                assert_eq!(n, 0);
                for (k, &extra) in held[2..].iter().enumerate() {
                    assert_eq!(cpu::getfield(extra, &INST_VALUE) as i64, 7 * k as i64, "{what}: extra root {k}");
                }
            }
        });
    });
}

#[test]
fn arrays_have_their_length_and_zeroed_items_and_bad_lengths_are_memory_errors() {
    each(|what, p| {
        let mut held = vec![0u64];
        roots::with_rooted(&mut held, |held| {
            for len in [0i64, 1, 5, 3000] {
                held[0] = cpu::new_array(p, &INTS, len).unwrap();
                // SAFETY: a fresh array of `len` ints.
                unsafe {
                    assert_eq!(cpu::arraylen(held[0], &INTS), len, "{what}");
                    if len > 0 {
                        assert_eq!(cpu::getarrayitem(held[0], &INTS, len - 1), 0, "{what}: zeroed");
                        cpu::setarrayitem(p, held[0], &INTS, len - 1, -5i64 as u64);
                        assert_eq!(cpu::getarrayitem(held[0], &INTS, len - 1) as i64, -5);
                    }
                }
            }
        });
        assert_eq!(cpu::exc_pending(p), None);
        assert_eq!(cpu::new_array(p, &INTS, -1).unwrap(), 0, "{what}");
        assert!(cpu::exc_pending(p).is_some(), "{what}: MemoryError is pending");
        cpu::exc_clear(p);
        assert_eq!(cpu::exc_pending(p), None);
        let no_tid = ArrayDescr { type_id: None, ..INTS };
        assert!(cpu::new_array(p, &no_tid, 1).is_err());
    });
}

#[test]
fn the_registry_visits_slots_and_sources_and_forgets_dropped_ones() {
    let mut words = [1u64, 2, 3];
    // SAFETY: the words outlive the token (visited, never collected here).
    let a = unsafe { roots::root_slots(words.as_mut_ptr(), 3) };
    let b = roots::root_source(|visit| {
        let mut x = 40u64;
        visit(&mut x);
    });
    let mut seen = vec![];
    // SAFETY: only reads the slots.
    roots::for_each_slot(|s| seen.push(unsafe { *s }));
    assert_eq!(seen, vec![1, 2, 3, 40]);
    drop(a);
    let mut seen = vec![];
    // SAFETY: as above.
    roots::for_each_slot(|s| seen.push(unsafe { *s }));
    assert_eq!(seen, vec![40]);
    let mut v = vec![7u64];
    roots::with_rooted(&mut v, |v| {
        v.push(8);
        let mut seen = vec![];
        // SAFETY: as above.
        roots::for_each_slot(|s| seen.push(unsafe { *s }));
        seen.sort();
        assert_eq!(seen, vec![7, 8, 40]);
    });
    drop(b);
    assert_eq!(roots::registered(), 0);
}

#[test]
fn narrow_fields_and_items_are_extended_by_their_descriptor() {
    let mut buf = [0u8; 64];
    let base = buf.as_mut_ptr() as u64;
    let p = program(&rjit::kiln_gc_none_jit, vec![]);
    let raw = |offset, size, signed| FieldDescr { gc: false, ..field(offset, size, Bank::Int, signed) };
    // SAFETY: all within the buffer; raw fields need no barrier.
    unsafe {
        cpu::setfield(&p, base, &raw(0, 1, true), -3i64 as u64);
        assert_eq!(cpu::getfield(base, &raw(0, 1, true)) as i64, -3);
        assert_eq!(cpu::getfield(base, &raw(0, 1, false)), 253);
        cpu::setfield(&p, base, &raw(2, 2, true), -300i64 as u64);
        assert_eq!(cpu::getfield(base, &raw(2, 2, true)) as i64, -300);
        assert_eq!(cpu::getfield(base, &raw(2, 2, false)), 65236);
        cpu::setfield(&p, base, &raw(4, 4, false), 0x1_2345_6789);
        assert_eq!(cpu::getfield(base, &raw(4, 4, false)), 0x2345_6789, "only the low 4 bytes are stored");
        cpu::setfield(&p, base, &raw(4, 4, true), -7i64 as u64);
        assert_eq!(cpu::getfield(base, &raw(4, 4, true)) as i64, -7);
        assert_eq!(cpu::getfield(base, &raw(4, 4, false)), 0xffff_fff9);
        assert_eq!(buf[8], 0, "neighbours untouched");
        let f = FieldDescr { gc: false, ..field(8, 8, Bank::Float, false) };
        cpu::setfield(&p, base, &f, 2.5f64.to_bits());
        assert_eq!(f64::from_bits(cpu::getfield(base, &f)), 2.5);
        let chars = ArrayDescr { base_offset: 16, len_offset: 0, item_size: 1, item_bank: Bank::Int, signed: false, immutable_items: true, gc: true, type_id: None };
        cpu::setarrayitem(&p, base, &chars, 3, 0x1ff);
        assert_eq!(cpu::getarrayitem(base, &chars, 3), 0xff);
        assert_eq!(cpu::getarrayitem(base, &chars, 2), 0);
        let unichars = ArrayDescr { item_size: 4, ..chars };
        cpu::setarrayitem(&p, base, &unichars, 5, 0x10ffff);
        assert_eq!(cpu::getarrayitem(base, &unichars, 5), 0x10ffff);
    }
}

#[test]
fn constants_resolve_through_the_symbol_addresses() {
    let p = program(&rjit::kiln_gc_none_jit, vec![0x1000, 0x2000]);
    assert_eq!(cpu::int_const(&p, &IntConst::Value(-4)), -4);
    assert_eq!(cpu::int_const(&p, &IntConst::Addr(1)), 0x2000);
    assert_eq!(cpu::ref_const(&p, &RefConst::Null), 0);
    assert_eq!(cpu::ref_const(&p, &RefConst::Static(0)), 0x1000);
}

extern "C" fn mix(a: i64, x: f64, b: i64, r: i64, y: f64) -> f64 {
    (a as f64) * x - (b as f64) + y + (r as f64) / 1000.0
}

#[allow(clippy::too_many_arguments)]
extern "C" fn many(a: i64, b: i64, c: i64, d: i64, e: i64, f: i64, g: i64, h: i64, x0: f64, x1: f64, x2: f64, x3: f64, x4: f64, x5: f64, x6: f64, x7: f64, x8: f64, x9: f64, i: i64) -> i64 {
    let ints = [a, b, c, d, e, f, g, h, i];
    let floats = [x0, x1, x2, x3, x4, x5, x6, x7, x8, x9];
    ints.iter().enumerate().map(|(k, v)| v * (k as i64 + 1)).sum::<i64>() + floats.iter().enumerate().map(|(k, v)| v * (k as f64 + 1.0)).sum::<f64>() as i64
}

static SIDE: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

extern "C" fn side(v: i64) {
    SIDE.store(v, std::sync::atomic::Ordering::SeqCst);
}

extern "C" fn nothing() -> i64 {
    42
}

fn descr(args: Vec<Bank>, result: Option<Bank>) -> CallDescr {
    CallDescr { args, result, target: CallTarget::Indirect, effect: EffectInfo::default(), oopspec: None }
}

#[test]
fn calls_put_bank_separated_arguments_back_in_c_order() {
    use Bank::*;
    let d = descr(vec![Int, Float, Int, Ref, Float], Some(Float));
    // SAFETY: the descriptors say the functions' signatures.
    unsafe {
        let r = cpu::call(mix as *const () as u64, &d, &[3, 4], &[500], &[1.5f64.to_bits(), 0.25f64.to_bits()]).unwrap();
        assert_eq!(f64::from_bits(r), 3.0 * 1.5 - 4.0 + 0.25 + 0.5);
        let mut args = vec![Int; 8];
        args.extend([Float; 10]);
        args.push(Int);
        let d = descr(args, Some(Int));
        let ints: Vec<i64> = (1..=9).collect();
        let floats: Vec<u64> = (1..=10).map(|k| (k as f64 * 0.5).to_bits()).collect();
        let expect = ints.iter().enumerate().map(|(k, v)| v * (k as i64 + 1)).sum::<i64>() + (1..=10).map(|k| k as f64 * 0.5 * k as f64).sum::<f64>() as i64;
        assert_eq!(cpu::call(many as *const () as u64, &d, &ints, &[], &floats).unwrap() as i64, expect);
        assert_eq!(cpu::call(side as *const () as u64, &descr(vec![Int], None), &[-9], &[], &[]).unwrap(), 0);
        assert_eq!(SIDE.load(std::sync::atomic::Ordering::SeqCst), -9);
        assert_eq!(cpu::call(nothing as *const () as u64, &descr(vec![], Some(Int)), &[], &[], &[]).unwrap(), 42);
        // The same signature again reuses its trampoline.
        assert_eq!(cpu::call(nothing as *const () as u64, &descr(vec![], Some(Int)), &[], &[], &[]).unwrap(), 42);
        assert!(cpu::call(nothing as *const () as u64, &descr(vec![Int], Some(Int)), &[], &[], &[]).is_err(), "too few arguments");
        assert!(cpu::call(0, &descr(vec![], Some(Int)), &[], &[], &[]).is_err(), "null function");
    }
}

/// A callee that allocates (collecting under the debug mode) and returns a new object.
extern "C" fn allocating(value: i64) -> u64 {
    let o = rgc::malloc(INST, 32);
    // SAFETY: a fresh instance.
    unsafe { *(o.add(24) as *mut i64) = value };
    o as u64
}

#[test]
fn references_survive_calls_that_collect() {
    each(|what, p| {
        let d = descr(vec![Bank::Int], Some(Bank::Ref));
        let mut held = vec![new_inst(p, 77)];
        roots::with_rooted(&mut held, |held| {
            for _ in 0..200 {
                // SAFETY: `allocating` has this signature.
                let o = unsafe { cpu::call(allocating as *const () as u64, &d, &[1], &[], &[]) }.unwrap();
                assert_ne!(o, 0);
                held.push(o);
            }
            rgc::collect();
            // SAFETY: a live instance.
            assert_eq!(unsafe { cpu::getfield(held[0], &INST_VALUE) }, 77, "{what}");
        });
    });
}

#[test]
fn exceptions_are_set_cleared_and_matched_by_class_range() {
    each(|what, p| {
        let e = new_inst(p, 1);
        // SAFETY: the instance's class is BASE, written at the vtable offset.
        unsafe {
            cpu::setfield(p, e, &INST_CLS, addr_of_vtable(&SUB));
            cpu::raise(p, e);
        }
        assert_eq!(cpu::exc_pending(p), Some((addr_of_vtable(&SUB), e)), "{what}");
        // SAFETY: vtables of the test.
        unsafe {
            assert!(cpu::is_subclass(addr_of_vtable(&SUB), addr_of_vtable(&BASE)));
            assert!(cpu::is_subclass(addr_of_vtable(&BASE), addr_of_vtable(&BASE)));
            assert!(!cpu::is_subclass(addr_of_vtable(&BASE), addr_of_vtable(&SUB)));
            assert!(!cpu::is_subclass(addr_of_vtable(&OTHER), addr_of_vtable(&BASE)));
        }
        cpu::exc_clear(p);
        assert_eq!(cpu::exc_pending(p), None);
    });
}
