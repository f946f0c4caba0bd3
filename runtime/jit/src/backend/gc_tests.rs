//! Tests of compiled code against the real runtime: calls to C-ABI functions, exception
//! guards on the runtime's exception state, allocation through each collector's fast and
//! slow paths (also with `KILN_GC_DEBUG`-style collections at every allocation), the
//! write barrier, references kept across collections (moving ones included), reference
//! constants, dead frames and bridges.

use core::ffi::c_void;

use kiln_abi::{BuiltinExc, JitRuntime, ProgramInfo, TypeInfo, Vtable, ABI_VERSION, TI_VALID, TI_VARSIZE};
use kiln_runtime::config::RtConfig;
use kiln_runtime::gc::{self as rgc, incminimark, jit as rjit, marksweep, none, semispace, Collector};
use kiln_runtime::host::Session;

use crate::backend::cranelift::CraneliftBackend;
use crate::backend::{Backend, BackendError, CompiledTrace, ExitKind, JitFrame};
use crate::descr::DescrTable;
use crate::ir::{Trace, Type};
use crate::parse::parse_trace_file;

static NO_PTRS: [u32; 0] = [];
static AT_0: [u32; 1] = [0];
static AT_16: [u32; 1] = [16];
static AT_24: [u32; 1] = [24];

const fn fixed(size: u32, ptrs: &'static [u32]) -> TypeInfo {
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

const fn varsize(fixed_size: u32, length_offset: u32, item_size: u32, ptrs: &'static [u32], items: &'static [u32]) -> TypeInfo {
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
const INST: u32 = 16;
/// An array of GC pointers: length at 8, items from 16.
const PTR_ARRAY: u32 = 17;
/// An array of ints: length at 8, items from 16.
const INT_ARRAY: u32 = 18;

/// The runtime's well-known types at their fixed ids, then the tests' own.
static ROWS: [TypeInfo; 19] = [
    INVALID,
    varsize(40, 32, 1, &AT_24, &NO_PTRS), // STR
    varsize(16, 8, 8, &NO_PTRS, &NO_PTRS), // ARRAY_SIGNED
    varsize(16, 8, 8, &NO_PTRS, &AT_0),   // ARRAY_STR
    fixed(24, &AT_16),                    // LIST_STR
    fixed(24, &AT_16),                    // BASE_EXCEPTION
    fixed(32, &AT_16),                    // OS_ERROR
    fixed(24, &AT_16),                    // LIST_SIGNED
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    fixed(32, &AT_16),                  // INST
    varsize(16, 8, 8, &NO_PTRS, &AT_0), // PTR_ARRAY
    varsize(16, 8, 8, &NO_PTRS, &NO_PTRS), // INT_ARRAY
];

/// The class of the tests' instances (only its address matters).
static CLASS: u64 = 0;

fn class() -> u64 {
    &CLASS as *const u64 as u64
}

/// The descriptors the tests share (the class address is substituted for `VT`).
fn descrs_text() -> String {
    format!(
        "descr Inst: size(size=32, type_id={INST}, vtable={})
descr Plain: size(size=32, type_id={INST})
descr Inst.cls: field(offset=8, size=8, type=i)
descr Inst.next: field(offset=16, size=8, type=r)
descr Inst.value: field(offset=24, size=8, type=i)
descr Ptrs: array(base=16, len=8, item_size=8, type=r, type_id={PTR_ARRAY})
descr Ints: array(base=16, len=8, item_size=8, type=i, type_id={INT_ARRAY})
",
        class()
    )
}

struct Gc {
    name: &'static str,
    collector: &'static Collector,
    rt: &'static JitRuntime,
}

fn collectors() -> [Gc; 4] {
    [
        Gc { name: "none", collector: &none::kiln_gc_none_collector, rt: &rjit::kiln_gc_none_jit },
        Gc { name: "semispace", collector: &semispace::kiln_gc_semispace_collector, rt: &rjit::kiln_gc_semispace_jit },
        Gc { name: "marksweep", collector: &marksweep::kiln_gc_marksweep_collector, rt: &rjit::kiln_gc_marksweep_jit },
        Gc { name: "incminimark", collector: &incminimark::kiln_gc_incminimark_collector, rt: &rjit::kiln_gc_incminimark_jit },
    ]
}

fn start(collector: &'static Collector, debug: bool) -> Session {
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

/// Runs `scenario` under every collector, without and with a collection at every
/// allocation, with a backend wired to that collector; checks the heap afterwards.
fn each(mut scenario: impl FnMut(&str, &mut CraneliftBackend)) {
    for gc in collectors() {
        for debug in [false, true] {
            let _session = start(gc.collector, debug);
            let what = format!("{} (debug: {debug})", gc.name);
            assert_eq!(rgc::active_name(), gc.name);
            let mut backend = CraneliftBackend::new().unwrap().with_vtable_offset(8).with_runtime(gc.rt).unwrap();
            scenario(&what, &mut backend);
            rgc::collect();
            if let Err(e) = rgc::check_heap() {
                panic!("{what}: {e}");
            }
            drop(backend);
        }
    }
}

fn parse(text: &str) -> (DescrTable, Trace) {
    let full = format!("{}{text}", descrs_text());
    let (descrs, trace) = parse_trace_file(&full).unwrap_or_else(|e| panic!("{e}"));
    crate::verify::verify_rendered(&trace, &descrs).unwrap_or_else(|e| panic!("{e}"));
    (descrs, trace)
}

fn compile(backend: &mut CraneliftBackend, text: &str) -> CompiledTrace {
    let (descrs, trace) = parse(text);
    backend.compile(&trace, &descrs).unwrap_or_else(|e| panic!("{e}"))
}

fn read(obj: u64, offset: u64) -> u64 {
    // SAFETY: tests read fields of live objects.
    unsafe { *((obj + offset) as *const u64) }
}

/// A new instance from Rust, with `value`.
fn instance(value: u64) -> u64 {
    let p = rgc::malloc(INST, 32) as u64;
    assert_ne!(p, 0);
    // SAFETY: a fresh object of 32 bytes.
    unsafe {
        *((p + 8) as *mut u64) = class();
        *((p + 24) as *mut u64) = value;
    }
    p
}

fn run(code: &CompiledTrace, frame: &mut JitFrame, inputs: &[(Type, u64)]) -> std::rc::Rc<crate::backend::ExitInfo> {
    for (k, &(ty, bits)) in inputs.iter().enumerate() {
        frame.set(k, ty, bits);
    }
    // SAFETY: the inputs are what the traces expect; layouts match the type table.
    unsafe { code.run_frame(frame) }.unwrap()
}

#[test]
fn a_loop_builds_a_list_through_every_collector() {
    each(|what, backend| {
        let code = compile(
            backend,
            "
            [i0, p1, p2]
            label(i0, p1, p2, descr=TargetToken(1))
            i3 = int_lt(i0, 3000)
            guard_true(i3) [i0, p1, p2]
            p4 = new_with_vtable(descr=Inst)
            setfield_gc(p4, i0, descr=Inst.value)
            p5 = new(descr=Plain)
            setfield_gc(p5, p4, descr=Inst.next)
            setfield_gc(p4, p1, descr=Inst.next)
            setfield_gc(p2, p4, descr=Inst.next)
            i6 = int_add(i0, 1)
            jump(i6, p4, p2, descr=TargetToken(1))
            ",
        );
        // The holder is old by the time the loop stores into it (under incminimark), so
        // the barrier must record it: otherwise the minor collections lose the list's head.
        let holder = instance(0);
        let mut frame = backend.new_frame();
        frame.set(2, Type::Ref, holder);
        rgc::collect();
        let holder = frame.get(2);
        let exit = run(&code, &mut frame, &[(Type::Int, 0), (Type::Ref, 0), (Type::Ref, holder)]);
        assert_eq!((exit.kind, exit.op), (ExitKind::Guard, 2), "{what}");
        assert_eq!(exit.types, vec![Type::Int, Type::Ref, Type::Ref]);
        assert_eq!(frame.get(0), 3000, "{what}");
        rgc::collect();
        let (head, holder) = (frame.get(1), frame.get(2));
        assert_eq!(read(holder, 16), head, "{what}: the holder's field is the list's head");
        let mut p = head;
        for i in (0..3000).rev() {
            assert_eq!(read(p, 8), class(), "{what}: class of node {i}");
            assert_eq!(read(p, 24), i, "{what}: node {i}");
            p = read(p, 16);
        }
        assert_eq!(p, 0, "{what}");
    });
}

#[test]
fn arrays_are_allocated_with_their_length_and_items_stored_with_the_barrier() {
    each(|what, backend| {
        // Each round: a pointer array of i0 % 40 items and an int array of 3000 items (too
        // large for the fast path: the slow path allocates it), the node stored into the
        // pointer array kept in an old array passed in.
        let code = compile(
            backend,
            "
            [i0, p1]
            label(i0, p1, descr=TargetToken(1))
            i2 = int_lt(i0, 200)
            guard_true(i2) [i0, p1]
            i3 = int_and(i0, 31)
            i4 = int_add(i3, 1)
            p5 = new_array(i4, descr=Ptrs)
            p6 = new_with_vtable(descr=Inst)
            setfield_gc(p6, i0, descr=Inst.value)
            setarrayitem_gc(p5, i3, p6, descr=Ptrs)
            p7 = new_array(3000, descr=Ints)
            setarrayitem_gc(p7, 2999, i0, descr=Ints)
            setarrayitem_gc(p1, i3, p5, descr=Ptrs)
            i8 = int_add(i0, 1)
            jump(i8, p1, descr=TargetToken(1))
            ",
        );
        let mut frame = backend.new_frame();
        let outer = rgc::malloc_varsize(PTR_ARRAY, 16 + 32 * 8, 32, 8) as u64;
        frame.set(1, Type::Ref, outer);
        rgc::collect();
        let outer = frame.get(1);
        let exit = run(&code, &mut frame, &[(Type::Int, 0), (Type::Ref, outer)]);
        assert_eq!((exit.kind, frame.get(0)), (ExitKind::Guard, 200), "{what}");
        rgc::collect();
        let outer = frame.get(1);
        for j in 0..32u64 {
            let inner = read(outer, 16 + 8 * j);
            assert_eq!(read(inner, 8), j + 1, "{what}: length of array {j}");
            let node = read(inner, 16 + 8 * j);
            // The last round that wrote slot j was i0 = 192 + j... or 160 + j.
            let i = if 192 + j < 200 { 192 + j } else { 160 + j };
            assert_eq!(read(node, 24), i, "{what}: item {j}");
        }
    });
}

extern "C" fn mix(a: i64, b: f64, p: u64) -> f64 {
    a as f64 * b + read(p, 24) as f64
}

extern "C" fn triple(a: i64) -> i64 {
    3 * a
}

extern "C" fn collect_now() {
    rgc::collect();
}

#[test]
fn calls_pass_arguments_by_the_descriptors_signature() {
    each(|what, backend| {
        let text = format!(
            "
            descr mix: call(args=[i, f, r], result=f, reads=all, writes=[])
            descr triple: call(args=[i], result=i, elidable, reads=[], writes=[])
            [i0, f1, p2]
            f3 = call_f({mix}, i0, f1, p2, descr=mix)
            i4 = call_pure_i({triple}, i0, descr=triple)
            finish(f3, i4)
            ",
            mix = mix as extern "C" fn(i64, f64, u64) -> f64 as usize,
            triple = triple as extern "C" fn(i64) -> i64 as usize
        );
        let code = compile(backend, &text);
        let mut frame = backend.new_frame();
        let p = instance(5);
        let exit = run(&code, &mut frame, &[(Type::Int, 4), (Type::Float, 2.5f64.to_bits()), (Type::Ref, p)]);
        assert_eq!(exit.kind, ExitKind::Finish, "{what}");
        assert_eq!((f64::from_bits(frame.get(0)), frame.get(1)), (15.0, 12), "{what}");
    });
}

#[test]
fn references_live_across_a_collecting_call_follow_the_collector() {
    let mut moved = false;
    each(|what, backend| {
        let text = format!(
            "
            descr collect: call(args=[], result=void, can_collect, reads=all, writes=all)
            [p0, i1]
            p2 = new_with_vtable(descr=Inst)
            setfield_gc(p2, i1, descr=Inst.value)
            setfield_gc(p2, p0, descr=Inst.next)
            call_n({collect}, descr=collect)
            i3 = getfield_gc_i(p0, descr=Inst.value)
            p4 = getfield_gc_r(p2, descr=Inst.next)
            i5 = ptr_eq(p4, p0)
            finish(p0, i3, p2, i5)
            ",
            collect = collect_now as extern "C" fn() as usize
        );
        let code = compile(backend, &text);
        let mut frame = backend.new_frame();
        let p = instance(77);
        frame.set(0, Type::Ref, p);
        let exit = run(&code, &mut frame, &[(Type::Ref, p), (Type::Int, 5)]);
        assert_eq!(exit.kind, ExitKind::Finish);
        assert_eq!(frame.get(1), 77, "{what}: the field read after the call");
        assert_eq!(frame.get(3), 1, "{what}: the reloaded references are the same object");
        assert_eq!(read(frame.get(2), 24), 5, "{what}");
        assert_eq!(read(frame.get(2), 16), frame.get(0), "{what}");
        moved |= frame.get(0) != p;
    });
    assert!(moved, "some collector moved the object (else the test shows nothing)");
}

#[test]
fn reference_constants_are_roots_that_move() {
    each(|what, backend| {
        let p = instance(31);
        let text = format!(
            "
            descr collect: call(args=[], result=void, can_collect, reads=all, writes=all)
            [i0]
            call_n({collect}, descr=collect)
            i1 = getfield_gc_i(ConstPtr({p:#x}), descr=Inst.value)
            i2 = int_add(i1, i0)
            finish(i2, ConstPtr({p:#x}))
            ",
            collect = collect_now as extern "C" fn() as usize
        );
        let code = compile(backend, &text);
        // Garbage, so that the collections below have something to do.
        for i in 0..100 {
            instance(i);
        }
        let mut frame = backend.new_frame();
        for round in 0..3 {
            let exit = run(&code, &mut frame, &[(Type::Int, round)]);
            assert_eq!(exit.kind, ExitKind::Finish);
            assert_eq!(frame.get(0), 31 + round, "{what}");
            assert_eq!(read(frame.get(1), 24), 31, "{what}");
        }
    });
}

extern "C" fn divide(a: i64, b: i64) -> i64 {
    if b == 0 {
        kiln_runtime::exc::raise(BuiltinExc::ZeroDivisionError, "division by zero");
        return 0;
    }
    a / b
}

#[test]
fn exception_guards_read_the_runtimes_exception_state() {
    each(|what, backend| {
        let zde = kiln_runtime::exc::vtable_of(BuiltinExc::ZeroDivisionError) as u64;
        let text = format!(
            "
            descr div: call(args=[i, i], result=i, can_raise, can_collect, reads=all, writes=all)
            [i0, i1]
            label(i0, i1, descr=TargetToken(1))
            i2 = call_i({div}, 100, i0, descr=div)
            guard_no_exception() [i0, i1]
            i3 = int_add(i1, i2)
            i4 = int_sub(i0, 1)
            jump(i4, i3, descr=TargetToken(1))
            ",
            div = divide as extern "C" fn(i64, i64) -> i64 as usize
        );
        let code = compile(backend, &text);
        let mut frame = backend.new_frame();
        let exit = run(&code, &mut frame, &[(Type::Int, 5), (Type::Int, 0)]);
        assert_eq!((exit.kind, exit.op), (ExitKind::Guard, 2), "{what}");
        assert_eq!((frame.get(0), frame.get(1)), (0, 20 + 25 + 33 + 50 + 100), "{what}");
        assert_eq!(kiln_runtime::exc::current().0 as u64, zde, "{what}: the exception stays pending");
        kiln_runtime::exc::clear();

        let text = format!(
            "
            descr div: call(args=[i, i], result=i, can_raise, can_collect, reads=all, writes=all)
            [i0]
            i1 = call_i({div}, 7, i0, descr=div)
            p2 = guard_exception({zde}) [i0]
            finish(p2)
            ",
            div = divide as extern "C" fn(i64, i64) -> i64 as usize
        );
        let code = compile(backend, &text);
        let exit = run(&code, &mut frame, &[(Type::Int, 0)]);
        assert_eq!(exit.kind, ExitKind::Finish, "{what}");
        assert_eq!(read(frame.get(0), 8), zde, "{what}: the instance's class");
        assert!(!kiln_runtime::exc::is_pending(), "{what}: guard_exception takes the exception");
        let exit = run(&code, &mut frame, &[(Type::Int, 7)]);
        assert_eq!((exit.kind, frame.get(0)), (ExitKind::Guard, 7), "{what}: no exception, the guard fails");
    });
}

#[test]
fn a_failed_allocation_leaves_by_the_memory_error_exit() {
    each(|what, backend| {
        let code = compile(
            backend,
            "
            [i0]
            p1 = new_array(i0, descr=Ints)
            finish(p1)
            ",
        );
        let mut frame = backend.new_frame();
        let exit = run(&code, &mut frame, &[(Type::Int, 5)]);
        assert_eq!(exit.kind, ExitKind::Finish, "{what}");
        assert_eq!(read(frame.get(0), 8), 5, "{what}");
        for bad in [-1i64, i64::MAX / 4] {
            let exit = run(&code, &mut frame, &[(Type::Int, bad as u64)]);
            assert_eq!(exit.kind, ExitKind::MemoryError, "{what}: length {bad}");
            assert!(kiln_runtime::exc::is_pending(), "{what}");
            kiln_runtime::exc::clear();
        }
    });
}

#[test]
fn guards_count_failures_and_bridges_take_over() {
    each(|what, backend| {
        let (descrs, trace) = parse(
            "
            [i0, i1]
            label(i0, i1, descr=TargetToken(7))
            i2 = int_lt(i0, 100)
            guard_true(i2) [i0, i1]
            i3 = int_and(i0, 1)
            guard_false(i3) [i1, i0]
            i4 = int_add(i1, i0)
            i5 = int_add(i0, 1)
            jump(i5, i4, descr=TargetToken(7))
            ",
        );
        let code = backend.compile(&trace, &descrs).unwrap();
        let mut frame = backend.new_frame();
        let odd = code.exits.iter().find(|e| e.op == 4).unwrap().clone();
        for _ in 0..3 {
            let exit = run(&code, &mut frame, &[(Type::Int, 0), (Type::Int, 0)]);
            assert!(std::rc::Rc::ptr_eq(&exit, &odd), "{what}");
            assert_eq!((frame.get(0), frame.get(1)), (0, 1), "{what}: the guard's values in resume order");
        }
        assert_eq!(odd.failures(), 3);
        assert!(!odd.has_bridge());
        // Bridge inputs must match the guard's values.
        let (d, wrong) = parse("[i0]\nfinish(i0)");
        assert!(matches!(backend.compile_bridge(&odd, &wrong, &d), Err(BackendError::Malformed(_))), "{what}");
        // Odd numbers count ten times, then go back to the loop's label.
        let (d, bridge) = parse(
            "
            [i0, i1]
            i2 = int_mul(i1, 10)
            i3 = int_add(i0, i2)
            i4 = int_add(i1, 1)
            i5 = int_eq(i4, 52)
            guard_false(i5) [i4, i3]
            jump(i4, i3, descr=TargetToken(7))
            ",
        );
        let bridge = backend.compile_bridge(&odd, &bridge, &d).unwrap();
        assert!(odd.has_bridge());
        let exit = run(&code, &mut frame, &[(Type::Int, 0), (Type::Int, 0)]);
        let expect = |n: u64| (0..n).map(|i| if i % 2 == 1 { 10 * i } else { i }).sum::<u64>();
        assert_eq!(exit.trace, bridge.number, "{what}: left by the bridge's own guard");
        assert_eq!((frame.get(0), frame.get(1)), (52, expect(52)), "{what}");
        assert_eq!(odd.failures(), 3 + 26, "{what}: failures still count with a bridge");
        // A bridge on the bridge's guard, ending the run.
        let inner = bridge.exits.iter().find(|e| e.kind == ExitKind::Guard).unwrap().clone();
        let (d, finish) = parse("[i0, i1]\ni2 = int_add(i1, 1000000)\nfinish(i2, i0)");
        backend.compile_bridge(&inner, &finish, &d).unwrap();
        let exit = run(&code, &mut frame, &[(Type::Int, 0), (Type::Int, 0)]);
        assert_eq!(exit.kind, ExitKind::Finish, "{what}");
        assert_eq!((frame.get(0), frame.get(1)), (expect(52) + 1_000_000, 52), "{what}");
        // The loop runs to its end when the inner bridge is not reached (start past 51).
        let exit = run(&code, &mut frame, &[(Type::Int, 52), (Type::Int, 0)]);
        assert_eq!((exit.kind, exit.trace, frame.get(0)), (ExitKind::Guard, code.number, 100), "{what}");
        assert_eq!(frame.get(1), expect(100) - expect(52), "{what}");
    });
}

#[test]
fn dead_frames_keep_references_as_roots() {
    each(|what, backend| {
        let code = compile(
            backend,
            "
            [p0, f1]
            p2 = new_with_vtable(descr=Inst)
            setfield_gc(p2, p0, descr=Inst.next)
            guard_isnull(p0) [f1, p2, p0, 3]
            finish(p2)
            ",
        );
        let mut frame = backend.new_frame();
        let p = instance(12);
        let exit = run(&code, &mut frame, &[(Type::Ref, p), (Type::Float, 1.5f64.to_bits())]);
        assert_eq!(exit.kind, ExitKind::Guard, "{what}");
        assert_eq!(exit.types, vec![Type::Float, Type::Ref, Type::Ref, Type::Int]);
        for i in 0..2000 {
            instance(i);
        }
        rgc::collect();
        assert_eq!(f64::from_bits(frame.get(0)), 1.5);
        assert_eq!(read(frame.get(1), 16), frame.get(2), "{what}");
        assert_eq!(read(frame.get(2), 24), 12, "{what}");
        assert_eq!(frame.get(3), 3);
    });
}

/// The root source another owner of the runtime's one slot installs (as the metainterp's
/// `roots.rs` does): its own roots, and the backend's through `RootSet::for_each_slot`.
struct Owner {
    backend_roots: std::rc::Rc<crate::backend::RootSet>,
    visits: std::cell::Cell<u64>,
}

unsafe extern "C" fn owner_source(ctx: *mut c_void, visit: kiln_abi::RootVisitor, visit_ctx: *mut c_void) {
    // SAFETY: ctx is the live `Owner` installed below.
    let owner = unsafe { &*(ctx as *const Owner) };
    owner.visits.set(owner.visits.get() + 1);
    // SAFETY: the visitor takes any root slot.
    owner.backend_roots.for_each_slot(|slot| unsafe { visit(slot, visit_ctx) });
}

#[test]
fn another_owner_of_the_root_source_slot_visits_the_backends_roots() {
    each(|what, backend| {
        let rt = backend_rt(what);
        backend.release_root_source();
        let owner = Box::new(Owner { backend_roots: backend.roots().clone(), visits: std::cell::Cell::new(0) });
        // SAFETY: the owner outlives the collections below and is removed before it dies.
        unsafe { (rt.set_root_source)(Some(owner_source), &*owner as *const Owner as *mut c_void) };
        let p = instance(17);
        let text = format!(
            "
            descr collect: call(args=[], result=void, can_collect, reads=all, writes=all)
            [i0]
            call_n({collect}, descr=collect)
            i1 = getfield_gc_i(ConstPtr({p:#x}), descr=Inst.value)
            i2 = int_add(i1, i0)
            finish(i2, ConstPtr({p:#x}))
            ",
            collect = collect_now as extern "C" fn() as usize
        );
        let code = compile(backend, &text);
        for i in 0..100 {
            instance(i);
        }
        let mut frame = backend.new_frame();
        for round in 0..3 {
            let exit = run(&code, &mut frame, &[(Type::Int, round)]);
            assert_eq!(exit.kind, ExitKind::Finish);
            assert_eq!(frame.get(0), 17 + round, "{what}");
            assert_eq!(read(frame.get(1), 24), 17, "{what}");
        }
        if !what.starts_with("none") {
            assert!(owner.visits.get() >= 3, "{what}: the owner's source ran at each collection");
        }
        drop(frame);
        rgc::collect();
        // SAFETY: removing the source installed above, before the owner dies.
        unsafe { (rt.set_root_source)(None, std::ptr::null_mut()) };
    });
}

fn backend_rt(what: &str) -> &'static JitRuntime {
    let name = what.split(' ').next().unwrap_or("");
    collectors().into_iter().find(|g| g.name == name).map(|g| g.rt).expect("a collector of that name")
}

#[test]
fn guard_value_on_a_reference_constant_follows_the_object() {
    // A promoted reference is a young object: after a collection moves it, the guard
    // compares with where the object is now (the constant's pool slot), not where it was.
    each(|what, backend| {
        let p = instance(5);
        let text = format!(
            "
            descr collect: call(args=[], result=void, can_collect, reads=all, writes=all)
            [p0]
            call_n({collect}, descr=collect)
            guard_value(p0, ConstPtr({p:#x})) [p0]
            i1 = getfield_gc_i(p0, descr=Inst.value)
            finish(i1)
            ",
            collect = collect_now as extern "C" fn() as usize
        );
        let code = compile(backend, &text);
        let mut frame = backend.new_frame();
        // The input is a root of the frame, so the collection updates it as it updates
        // the pool: the guard compares the object's new address with itself.
        let exit = run(&code, &mut frame, &[(Type::Ref, p)]);
        assert_eq!(exit.kind, ExitKind::Finish, "{what}: the guard failed");
        assert_eq!(frame.get(0), 5, "{what}");
    });
}
