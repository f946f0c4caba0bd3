//! Unit tests of every collector, driven from Rust the way generated code drives them:
//! objects allocated through the collector, GC pointers kept on the shadow stack across
//! allocations, the write barrier's protocol for stores into objects that may be old.
//! Each scenario runs under every collector, normally and with `KILN_GC_DEBUG`-style
//! checking after every collection, and the heap is checked at the end.

use core::ffi::c_void;
use core::ptr::null_mut;

use kiln_abi::{BuiltinExc, ProgramInfo, TypeInfo, Vtable, ABI_VERSION, GCFLAGS_PREBUILT, GCFLAG_TRACK_YOUNG_PTRS};

use super::roots::Roots;
use super::{incminimark, marksweep, none, semispace, Collector};
use crate::config::RtConfig;
use crate::host::Session;
use crate::testprog::{fixed, varsize_at as varsize};

const NODE: u32 = 16;
const PTR_ARRAY: u32 = 17;
/// An array of inline `{a: ptr, x: int, b: ptr}` items.
const PAIR_ARRAY: u32 = 18;
const NODE_SIZE: u64 = 32;
const LEFT: usize = 8;
const RIGHT: usize = 16;
const VALUE: usize = 24;

static NO_PTRS: [u32; 0] = [];
static AT_8_16: [u32; 2] = [8, 16];
static AT_16: [u32; 1] = [16];
static AT_24: [u32; 1] = [24];
static AT_0: [u32; 1] = [0];
static AT_0_16: [u32; 2] = [0, 16];

const INVALID: TypeInfo = TypeInfo { flags: 0, ..fixed(0, &NO_PTRS) };

/// The well-known types at their fixed ids, then the test's own.
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
    fixed(NODE_SIZE as u32, &AT_8_16), // NODE
    varsize(16, 8, 8, &NO_PTRS, &AT_0), // PTR_ARRAY
    varsize(16, 8, 24, &NO_PTRS, &AT_0_16), // PAIR_ARRAY
];

/// A prebuilt NODE, as the backend emits them: in data, flagged prebuilt.
#[repr(C, align(8))]
struct PrebuiltNode([u64; 4]);

fn collectors() -> [&'static Collector; 4] {
    [&none::kiln_gc_none_collector, &semispace::kiln_gc_semispace_collector, &marksweep::kiln_gc_marksweep_collector, &incminimark::kiln_gc_incminimark_collector]
}

/// A started runtime with `collector`, the test types and one prebuilt node; returns the
/// session and the prebuilt node.
fn start(collector: &'static Collector, config: RtConfig) -> (Session, *mut u8) {
    let node = Box::leak(Box::new(PrebuiltNode([(GCFLAGS_PREBUILT as u64) << 32 | NODE as u64, 0, 0, 7])));
    let node_ptr = node as *mut PrebuiltNode as *mut u8;
    let table: &'static [*mut kiln_abi::GcHeader] = Box::leak(Box::new([node_ptr as *mut kiln_abi::GcHeader]));
    let info: &'static ProgramInfo = Box::leak(Box::new(ProgramInfo {
        abi_version: ABI_VERSION,
        type_count: ROWS.len() as u32,
        type_info: ROWS.as_ptr(),
        exc_vtables: [core::ptr::null::<Vtable>(); BuiltinExc::COUNT],
        gc: collector as *const Collector as *const c_void,
        prebuilt_count: 1,
        prebuilt_objects: table.as_ptr(),
    }));
    let session = Session::begin(true);
    // SAFETY: a leaked, valid program info.
    unsafe { session.start(&["prog"], info, &config) }.expect("the runtime starts");
    (session, node_ptr)
}

fn configs() -> [RtConfig; 2] {
    [RtConfig { nursery: Some(64 << 10), ..RtConfig::default() }, RtConfig { nursery: Some(64 << 10), gc_debug: true, ..RtConfig::default() }]
}

fn read(obj: *mut u8, offset: usize) -> u64 {
    // SAFETY: tests read fields of live objects.
    unsafe { *(obj.add(offset) as *const u64) }
}

fn read_ptr(obj: *mut u8, offset: usize) -> *mut u8 {
    read(obj, offset) as *mut u8
}

/// A store as generated code does it: the barrier's test before the store (the array
/// form for items of arrays), then the store.
fn store_ptr(obj: *mut u8, offset: usize, value: *mut u8, item: Option<i64>) {
    if super::types::header(obj).flags & GCFLAG_TRACK_YOUNG_PTRS != 0 {
        match (super::active_name(), item) {
            ("incminimark", Some(i)) => incminimark::kiln_gc_incminimark_wb_array(obj, i),
            ("incminimark", None) => incminimark::kiln_gc_incminimark_wb(obj),
            _ => super::write_barrier(obj),
        }
    }
    // SAFETY: tests write fields of live objects.
    unsafe { *(obj.add(offset) as *mut *mut u8) = value };
}

fn set_int(obj: *mut u8, offset: usize, value: u64) {
    // SAFETY: as above.
    unsafe { *(obj.add(offset) as *mut u64) = value };
}

/// A new node holding `value`, `left` and `right` (kept rooted across the allocation).
fn node(value: u64, left: *mut u8, right: *mut u8) -> *mut u8 {
    let roots = Roots::new([left, right]);
    let n = super::malloc(NODE, NODE_SIZE);
    assert!(!n.is_null(), "out of memory");
    // A fresh object needs no barrier: nothing ran between its allocation and the stores.
    set_int(n, VALUE, value);
    set_int(n, LEFT, roots.get(0) as u64);
    set_int(n, RIGHT, roots.get(1) as u64);
    n
}

fn array(tid: u32, length: i64, item_size: i64) -> *mut u8 {
    let p = super::malloc_varsize(tid, 16 + length * item_size, length, 8);
    assert!(!p.is_null(), "out of memory");
    p
}

fn check_heap(what: &str) {
    if let Err(e) = super::check_heap() {
        panic!("{what}: {e}");
    }
}

/// Runs `scenario` under every collector and configuration.
fn each(scenario: impl Fn(&str, *mut u8)) {
    for c in collectors() {
        for config in configs() {
            let debug = config.gc_debug;
            let (_session, prebuilt) = start(c, config);
            scenario(&format!("{} (debug: {debug})", c.name), prebuilt);
            super::collect();
            check_heap(c.name);
        }
    }
}

#[test]
fn a_deep_linked_list_survives_collections() {
    each(|what, _| {
        let mut roots = Roots::new([null_mut()]);
        for i in 0..1000 {
            let n = node(i, roots.get(0), null_mut());
            roots.set(0, n);
            // Garbage in between, so that collections happen and have work to do.
            node(1_000_000 + i, null_mut(), null_mut());
        }
        super::collect();
        let mut p = roots.get(0);
        for i in (0..1000).rev() {
            assert_eq!(read(p, VALUE), i, "{what}: node {i}");
            p = read_ptr(p, LEFT);
        }
        assert!(p.is_null());
    });
}

#[test]
fn cycles_are_kept_while_reachable_and_freed_after() {
    each(|what, _| {
        let mut roots = Roots::new([null_mut()]);
        // A ring of 500 nodes.
        let first = node(0, null_mut(), null_mut());
        roots.set(0, first);
        let mut last = Roots::new([first]);
        for i in 1..500 {
            let n = node(i, null_mut(), null_mut());
            store_ptr(last.get(0), LEFT, n, None);
            last.set(0, n);
        }
        store_ptr(last.get(0), LEFT, roots.get(0), None);
        drop(last);
        super::collect();
        let mut p = roots.get(0);
        for i in 0..500 {
            assert_eq!(read(p, VALUE), i, "{what}");
            p = read_ptr(p, LEFT);
        }
        assert_eq!(p, roots.get(0), "{what}: the ring closes");
        let with_ring = super::heap_bytes();
        roots.set(0, null_mut());
        super::collect();
        if super::active_name() != "none" {
            assert!(super::heap_bytes() + 400 * NODE_SIZE <= with_ring, "{what}: the ring is freed ({} then {})", with_ring, super::heap_bytes());
        }
    });
}

#[test]
fn many_short_lived_objects_need_little_heap() {
    for c in collectors().into_iter().skip(1) {
        let (_session, _) = start(c, RtConfig { nursery: Some(256 << 10), ..RtConfig::default() });
        let keep = Roots::new([node(42, null_mut(), null_mut())]);
        for i in 0..400_000 {
            node(i, null_mut(), null_mut());
        }
        assert_eq!(read(keep.get(0), VALUE), 42);
        assert!(super::heap_bytes() < 64 << 20, "{}: {} bytes after 12 MB of garbage", c.name, super::heap_bytes());
        check_heap(c.name);
    }
}

#[test]
fn old_arrays_written_with_young_objects_keep_them() {
    each(|what, _| {
        // A large array (allocated old with cards by incminimark) and a medium one
        // (young, then promoted).
        let mut arrays = Roots::new([array(PTR_ARRAY, 5000, 8), null_mut()]);
        let medium = array(PTR_ARRAY, 300, 8);
        arrays.set(1, medium);
        for round in 0..3u64 {
            // Make them old, then fill some items with new objects.
            super::collect();
            for (k, len) in [(0, 5000i64), (1, 300)] {
                for i in (round as i64..len).step_by(97) {
                    let n = node(round * 100_000 + i as u64, null_mut(), null_mut());
                    store_ptr(arrays.get(k), 16 + 8 * i as usize, n, Some(i));
                }
            }
            // Garbage, so that minor collections run before the items are read.
            for g in 0..500 {
                node(g, null_mut(), null_mut());
            }
            for (k, len) in [(0, 5000i64), (1, 300)] {
                for i in (round as i64..len).step_by(97) {
                    let item = read_ptr(arrays.get(k), 16 + 8 * i as usize);
                    assert_eq!(read(item, VALUE), round * 100_000 + i as u64, "{what}: array {k} item {i} round {round}");
                }
            }
        }
    });
}

#[test]
fn arrays_of_inline_structs_trace_every_pointer() {
    each(|what, _| {
        let arr = Roots::new([array(PAIR_ARRAY, 100, 24)]);
        for i in 0..100 {
            let a = node(i, null_mut(), null_mut());
            store_ptr(arr.get(0), 16 + 24 * i as usize, a, Some(i as i64));
            let b = node(1000 + i, null_mut(), null_mut());
            store_ptr(arr.get(0), 16 + 24 * i as usize + 16, b, Some(i as i64));
            set_int(arr.get(0), 16 + 24 * i as usize + 8, 77);
        }
        super::collect();
        for i in 0..100 {
            let item = 16 + 24 * i as usize;
            assert_eq!(read(read_ptr(arr.get(0), item), VALUE), i, "{what}");
            assert_eq!(read(arr.get(0), item + 8), 77, "{what}");
            assert_eq!(read(read_ptr(arr.get(0), item + 16), VALUE), 1000 + i, "{what}");
        }
    });
}

#[test]
fn a_prebuilt_object_written_at_run_time_keeps_its_target() {
    each(|what, prebuilt| {
        let n = node(99, null_mut(), null_mut());
        store_ptr(prebuilt, LEFT, n, None);
        for g in 0..5000 {
            node(g, null_mut(), null_mut());
        }
        super::collect();
        let target = read_ptr(prebuilt, LEFT);
        assert_eq!(read(target, VALUE), 99, "{what}");
        assert_eq!(read(prebuilt, VALUE), 7, "{what}: the prebuilt object itself is untouched");
    });
}

#[test]
fn strings_made_by_the_runtime_survive_moving_collections() {
    each(|what, _| {
        let mut acc = Roots::new([crate::rstr::alloc_str(b"") as *mut u8]);
        for i in 0..300 {
            let piece = crate::rstr::kiln_str_from_int(i % 10);
            // SAFETY: both are valid strings.
            let s = unsafe { crate::rstr::kiln_str_concat(acc.get(0) as *const _, piece) };
            assert!(!s.is_null(), "{what}");
            acc.set(0, s as *mut u8);
            node(i as u64, null_mut(), null_mut());
        }
        super::collect();
        // SAFETY: a valid string.
        let text = unsafe { crate::rstr::bytes(acc.get(0) as *const _) };
        let want: String = (0..300).map(|i| char::from(b'0' + (i % 10) as u8)).collect();
        assert_eq!(text, want.as_bytes(), "{what}");
    });
}

#[test]
fn exhausting_the_heap_returns_null_and_collecting_recovers() {
    for c in collectors() {
        let (_session, _) = start(c, RtConfig { max_heap: Some(2 << 20), ..RtConfig::default() });
        let mut head = Roots::new([null_mut()]);
        let mut count = 0;
        loop {
            let r = Roots::new([head.get(0)]);
            let n = super::malloc(NODE, NODE_SIZE);
            if n.is_null() {
                break;
            }
            set_int(n, LEFT, r.get(0) as u64);
            drop(r);
            head.set(0, n);
            count += 1;
            assert!(count < 1_000_000, "{}: the limit stops allocation", c.name);
        }
        assert!(count > 10_000, "{}: only {count} nodes fit in 2 MiB", c.name);
        assert!(super::heap_bytes() <= 2 << 20, "{}", c.name);
        // Dropping the list makes room again (except with `none`, which never frees).
        head.set(0, null_mut());
        let again = super::malloc(NODE, NODE_SIZE);
        assert_eq!(again.is_null(), c.name == "none", "{}", c.name);
        check_heap(c.name);
    }
}

#[test]
fn incminimark_marks_incrementally_while_the_program_mutates() {
    // A small nursery and a low threshold: many major cycles, each spread over many minor
    // collections, while a long-lived tree of old objects is rewired.
    let (_session, _) = start(&incminimark::kiln_gc_incminimark_collector, RtConfig { nursery: Some(32 << 10), gc_debug: true, ..RtConfig::default() });
    let mut tree = Roots::new([null_mut()]);
    for i in 0..200 {
        let n = node(i, tree.get(0), null_mut());
        tree.set(0, n);
    }
    for round in 0..2000u64 {
        // Move a subtree from one old node to another, dropping the only other path.
        let mut p = tree.get(0);
        for _ in 0..(round % 150) {
            p = read_ptr(p, LEFT);
        }
        let fresh = node(round, null_mut(), null_mut());
        store_ptr(p, RIGHT, fresh, None);
        let q = read_ptr(p, LEFT);
        if !q.is_null() {
            let moved = read_ptr(q, RIGHT);
            store_ptr(p, RIGHT, moved, None);
            store_ptr(q, RIGHT, null_mut(), None);
        }
    }
    super::collect();
    let mut p = tree.get(0);
    for i in (0..200).rev() {
        assert_eq!(read(p, VALUE), i);
        let r = read_ptr(p, RIGHT);
        if !r.is_null() {
            assert!(read(r, VALUE) < 2000);
        }
        p = read_ptr(p, LEFT);
    }
    check_heap("incminimark");
}

/// The extra root source of `jit.rs`: a buffer of slots standing for a JIT's constants.
unsafe extern "C" fn buffer_source(ctx: *mut c_void, visit: kiln_abi::RootVisitor, visit_ctx: *mut c_void) {
    let slots = ctx as *mut [*mut u8; 4];
    for i in 0..4 {
        // SAFETY: `ctx` is the test's buffer of four slots.
        unsafe { visit(&mut (*slots)[i], visit_ctx) };
    }
}

#[test]
fn the_extra_root_source_keeps_objects_and_sees_them_move() {
    each(|what, _| {
        let mut slots: [*mut u8; 4] = [null_mut(); 4];
        // SAFETY: the buffer outlives its registration (removed below).
        unsafe { super::jit::kiln_gc_set_root_source(Some(buffer_source), &mut slots as *mut _ as *mut c_void) };
        slots[1] = node(41, null_mut(), null_mut());
        slots[3] = node(43, slots[1], null_mut());
        for i in 0..2000 {
            node(i, null_mut(), null_mut());
        }
        super::collect();
        check_heap(what);
        assert_eq!(read(slots[1], VALUE), 41, "{what}");
        assert_eq!(read(slots[3], VALUE), 43, "{what}");
        assert_eq!(read_ptr(slots[3], LEFT), slots[1], "{what}: the copy the source holds is the one the heap points to");
        // SAFETY: removing the source.
        unsafe { super::jit::kiln_gc_set_root_source(None, null_mut()) };
    });
}

#[test]
fn identity_hashes_survive_moves_and_dead_objects_leave_the_table() {
    each(|what, prebuilt| {
        let mut roots = Roots::new([null_mut(), null_mut()]);
        roots.set(0, node(1, null_mut(), null_mut()));
        roots.set(1, node(2, null_mut(), null_mut()));
        let before = [roots.get(0), roots.get(1)];
        let hashes = before.map(|p| super::jit::kiln_gc_identity_hash(p));
        assert_ne!(hashes[0], hashes[1], "{what}");
        let dead = node(3, null_mut(), null_mut());
        super::jit::kiln_gc_identity_hash(dead);
        let prebuilt_hash = super::jit::kiln_gc_identity_hash(prebuilt);
        for i in 0..2000 {
            node(i, null_mut(), null_mut());
        }
        super::collect();
        let after = [roots.get(0), roots.get(1)];
        // Without debug collections, the one collection above flips the spaces once.
        if super::active_name() == "semispace" && what.contains("debug: false") {
            assert_ne!(before[0], after[0], "{what}: the collector moved the object");
        }
        assert_eq!(after.map(|p| super::jit::kiln_gc_identity_hash(p)), hashes, "{what}");
        assert_eq!(super::jit::kiln_gc_identity_hash(prebuilt), prebuilt_hash, "{what}");
        // Only live objects that were hashed while movable keep entries: both under
        // semispace, none without moving; under incminimark, those hashed while young.
        let entries = super::jit::identity_entries();
        match super::active_name() {
            "semispace" => assert_eq!(entries, 2, "{what}"),
            "incminimark" => assert!(entries <= 2, "{what}: {entries} entries"),
            _ => assert_eq!(entries, 0, "{what}"),
        }
    });
}
