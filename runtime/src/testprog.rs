//! Test support for the helpers on strings, lists, dicts and described values: a program
//! info with the GC types the tests build, runs under every collector with a collection at
//! every allocation, and [`Tester`], which keeps test objects rooted so that tests can use
//! them after allocations that move objects.

use core::cell::RefCell;
use core::ffi::c_void;
use core::mem::{offset_of, size_of};
use core::ptr::{null, null_mut};

use kiln_abi::{
    kind, typeid, BuiltinExc, DictDesc, FieldDesc, ProgramInfo, RArray, RDict, RList, RObject, RStr, TypeDesc, TypeInfo, Vtable, ABI_VERSION,
    TI_VALID, TI_VARSIZE,
};

use crate::config::RtConfig;
use crate::gc::roots::Roots;
use crate::gc::{self, incminimark, marksweep, none, semispace, Collector};
use crate::host::Session;
use crate::{alloc, rstr};

/// A list whose items are references (`ARRAY_PTR` items).
pub(crate) const LIST_PTR: u32 = 16;
pub(crate) const ARRAY_PTR: u32 = 17;
/// A tuple `(int, str)`: the int at 8, the string at 16.
pub(crate) const TUPLE_IS: u32 = 18;
pub(crate) const DICT: u32 = 19;
/// Entries arrays by which of key and value are references.
pub(crate) const ENTRIES_II: u32 = 20;
pub(crate) const ENTRIES_PI: u32 = 21;
pub(crate) const ENTRIES_IP: u32 = 22;
pub(crate) const ENTRIES_PP: u32 = 23;
/// An instance with no fields of its own.
pub(crate) const INSTANCE: u32 = 24;
/// A tuple `(int,)`.
pub(crate) const TUPLE_I: u32 = 25;
/// A tuple `(float, bool)`: the float at 8, the bool (one byte) at 16.
pub(crate) const TUPLE_FB: u32 = 26;

static NO_PTRS: [u32; 0] = [];
static AT_16: [u32; 1] = [16];
static AT_24: [u32; 1] = [24];
static AT_0: [u32; 1] = [0];
static AT_32_40: [u32; 2] = [32, 40];
static AT_16_24: [u32; 2] = [16, 24];

/// A fixed-size type with GC pointers at `ptrs` (also used by the collectors' tests).
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

/// A variable-size type: items after the fixed part, GC pointers at `ptrs` in the fixed
/// part and at `items` in each item.
pub(crate) const fn varsize_at(fixed_size: u32, length_offset: u32, item_size: u32, ptrs: &'static [u32], items: &'static [u32]) -> TypeInfo {
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

/// A GC array: the length at 8, items from 16.
const fn varsize(item_size: u32, items: &'static [u32]) -> TypeInfo {
    varsize_at(16, 8, item_size, &NO_PTRS, items)
}

const INVALID: TypeInfo = TypeInfo { flags: 0, ..fixed(0, &NO_PTRS) };

static ROWS: [TypeInfo; 27] = [
    INVALID,
    TypeInfo { fixed_size: 40, length_offset: 32, items_offset: 40, item_size: 1, ptr_count: 1, ptr_offsets: AT_24.as_ptr(), ..varsize(1, &NO_PTRS) }, // STR
    varsize(8, &NO_PTRS), // ARRAY_SIGNED
    varsize(8, &AT_0),    // ARRAY_STR
    fixed(24, &AT_16),    // LIST_STR
    fixed(24, &AT_16),    // BASE_EXCEPTION
    fixed(32, &AT_16),    // OS_ERROR
    fixed(24, &AT_16),    // LIST_SIGNED
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    INVALID,
    fixed(24, &AT_16),      // LIST_PTR
    varsize(8, &AT_0),      // ARRAY_PTR
    fixed(24, &AT_16),      // TUPLE_IS
    fixed(48, &AT_32_40),   // DICT
    varsize(32, &NO_PTRS),  // ENTRIES_II
    varsize(32, &AT_16),    // ENTRIES_PI
    varsize(32, &AT_24),    // ENTRIES_IP
    varsize(32, &AT_16_24), // ENTRIES_PP
    fixed(16, &NO_PTRS),    // INSTANCE
    fixed(16, &NO_PTRS),    // TUPLE_I
    fixed(24, &NO_PTRS),    // TUPLE_FB
];

const fn scalar(k: i64) -> TypeDesc {
    TypeDesc { kind: k, nfields: 0, fields: null(), nullable: 0 }
}

const fn composite(k: i64, fields: &'static [FieldDesc]) -> TypeDesc {
    TypeDesc { kind: k, nfields: fields.len() as i64, fields: fields.as_ptr(), nullable: 0 }
}

const fn word(d: &'static TypeDesc) -> FieldDesc {
    FieldDesc { offset: 0, width: 8, desc: d }
}

pub(crate) static INT: TypeDesc = scalar(kind::INT);
pub(crate) static UINT: TypeDesc = scalar(kind::UINT);
pub(crate) static FLOAT: TypeDesc = scalar(kind::FLOAT);
pub(crate) static BOOL: TypeDesc = scalar(kind::BOOL);
pub(crate) static CHAR: TypeDesc = scalar(kind::CHAR);
pub(crate) static STR: TypeDesc = scalar(kind::STR);
pub(crate) static STR_OR_NONE: TypeDesc = TypeDesc { nullable: 1, ..scalar(kind::STR) };
pub(crate) static NONE: TypeDesc = scalar(kind::NONE);
pub(crate) static INSTANCE_DESC: TypeDesc = scalar(kind::INSTANCE);

static TUPLE_IS_FIELDS: [FieldDesc; 2] = [FieldDesc { offset: 8, width: 8, desc: &INT }, FieldDesc { offset: 16, width: 8, desc: &STR }];
pub(crate) static TUPLE_INT_STR: TypeDesc = composite(kind::TUPLE, &TUPLE_IS_FIELDS);
static TUPLE_I_FIELDS: [FieldDesc; 1] = [FieldDesc { offset: 8, width: 8, desc: &INT }];
pub(crate) static TUPLE1: TypeDesc = composite(kind::TUPLE, &TUPLE_I_FIELDS);
static TUPLE_FB_FIELDS: [FieldDesc; 2] = [FieldDesc { offset: 8, width: 8, desc: &FLOAT }, FieldDesc { offset: 16, width: 1, desc: &BOOL }];
pub(crate) static TUPLE_FLOAT_BOOL: TypeDesc = composite(kind::TUPLE, &TUPLE_FB_FIELDS);

static LIST_INT_FIELDS: [FieldDesc; 1] = [word(&INT)];
pub(crate) static LIST_OF_INT: TypeDesc = composite(kind::LIST, &LIST_INT_FIELDS);
static LIST_FLOAT_FIELDS: [FieldDesc; 1] = [word(&FLOAT)];
pub(crate) static LIST_OF_FLOAT: TypeDesc = composite(kind::LIST, &LIST_FLOAT_FIELDS);
static LIST_STR_FIELDS: [FieldDesc; 1] = [word(&STR)];
pub(crate) static LIST_OF_STR: TypeDesc = composite(kind::LIST, &LIST_STR_FIELDS);
static LIST_TUPLE_FIELDS: [FieldDesc; 1] = [word(&TUPLE_INT_STR)];
pub(crate) static LIST_OF_TUPLE: TypeDesc = composite(kind::LIST, &LIST_TUPLE_FIELDS);
static LIST_SELF_FIELDS: [FieldDesc; 1] = [word(&LIST_OF_SELF)];
/// A list type whose items are lists of the same type.
pub(crate) static LIST_OF_SELF: TypeDesc = composite(kind::LIST, &LIST_SELF_FIELDS);

pub(crate) static DICT_INT_STR: DictDesc = DictDesc { key: &INT, value: &STR, entries_tid: ENTRIES_IP as i64, dict_tid: DICT as i64 };
pub(crate) static DICT_STR_INT: DictDesc = DictDesc { key: &STR, value: &INT, entries_tid: ENTRIES_PI as i64, dict_tid: DICT as i64 };
pub(crate) static DICT_INT_INT: DictDesc = DictDesc { key: &INT, value: &INT, entries_tid: ENTRIES_II as i64, dict_tid: DICT as i64 };
pub(crate) static DICT_INST_INT: DictDesc = DictDesc { key: &INSTANCE_DESC, value: &INT, entries_tid: ENTRIES_PI as i64, dict_tid: DICT as i64 };
pub(crate) static DICT_TUPLE_STR: DictDesc = DictDesc { key: &TUPLE_INT_STR, value: &STR, entries_tid: ENTRIES_PP as i64, dict_tid: DICT as i64 };
pub(crate) static DICT_FLOAT_INT: DictDesc = DictDesc { key: &FLOAT, value: &INT, entries_tid: ENTRIES_II as i64, dict_tid: DICT as i64 };
static DICT_IS_FIELDS: [FieldDesc; 2] = [word(&INT), word(&STR)];
pub(crate) static DICT_INT_STR_DESC: TypeDesc = composite(kind::DICT, &DICT_IS_FIELDS);
static DICT_II_FIELDS: [FieldDesc; 2] = [word(&INT), word(&INT)];
pub(crate) static DICT_INT_INT_DESC: TypeDesc = composite(kind::DICT, &DICT_II_FIELDS);

fn collectors() -> [&'static Collector; 4] {
    [
        &none::kiln_gc_none_collector,
        &semispace::kiln_gc_semispace_collector,
        &marksweep::kiln_gc_marksweep_collector,
        &incminimark::kiln_gc_incminimark_collector,
    ]
}

/// A started runtime with `collector` and the test types; the session captures output.
pub(crate) fn start(collector: &'static Collector, config: RtConfig) -> Session {
    let info: &'static ProgramInfo = Box::leak(Box::new(ProgramInfo {
        abi_version: ABI_VERSION,
        type_count: ROWS.len() as u32,
        type_info: ROWS.as_ptr(),
        exc_vtables: [null::<Vtable>(); BuiltinExc::COUNT],
        gc: collector as *const Collector as *const c_void,
        prebuilt_count: 0,
        prebuilt_objects: null(),
    }));
    let session = Session::begin(true);
    // SAFETY: a leaked, valid program info.
    unsafe { session.start(&["prog"], info, &config) }.expect("the runtime starts");
    session
}

/// Runs `scenario` under every collector, collecting at every allocation (so that any
/// GC pointer a helper forgets to root is left dangling and the heap check fails), then
/// checks the heap.
pub(crate) fn each_gc(scenario: impl Fn(&Tester)) {
    for c in collectors() {
        let _session = start(c, RtConfig { nursery: Some(64 << 10), gc_debug: true, ..RtConfig::default() });
        {
            let t = Tester::new();
            scenario(&t);
        }
        assert!(!crate::exc::is_pending(), "{}: an exception was left pending: {:?}", c.name, crate::exc::uncaught_line());
        gc::collect();
        if let Err(e) = gc::check_heap() {
            panic!("{}: {e}", c.name);
        }
    }
}

/// The text of a string (lossy for lone surrogates).
pub(crate) fn text(s: *const RStr) -> String {
    // SAFETY: tests pass valid strings or null.
    String::from_utf8_lossy(unsafe { rstr::bytes(s) }).into_owned()
}

/// The last line an uncaught exception would print, clearing the exception.
pub(crate) fn take_exc() -> Option<String> {
    let line = crate::exc::uncaught_line();
    crate::exc::clear();
    line
}

/// A handle on an object a [`Tester`] keeps rooted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct H(usize);

const SLOTS: usize = 512;

/// Builds test objects and keeps them rooted; `w(h)` is an object's current address.
pub(crate) struct Tester {
    roots: RefCell<Roots<SLOTS>>,
    used: RefCell<usize>,
    vtable: *const Vtable,
}

impl Tester {
    pub(crate) fn new() -> Tester {
        let name = rstr::alloc_prebuilt_str(b"Thing");
        let vtable = Box::leak(Box::new(Vtable {
            subclassrange_min: 100,
            subclassrange_max: 101,
            name,
            instance_typeid: INSTANCE as i64,
            instance_size: size_of::<RObject>() as i64,
        }));
        Tester { roots: RefCell::new(Roots::new([null_mut(); SLOTS])), used: RefCell::new(0), vtable }
    }

    /// Roots `p` for the tester's lifetime.
    pub(crate) fn keep<T>(&self, p: *mut T) -> H {
        let mut used = self.used.borrow_mut();
        assert!(*used < SLOTS, "too many test objects");
        self.roots.borrow_mut().set(*used, p as *mut u8);
        *used += 1;
        H(*used - 1)
    }

    /// The current address of a kept object.
    pub(crate) fn w(&self, h: H) -> u64 {
        self.roots.borrow().get(h.0) as u64
    }

    pub(crate) fn p<T>(&self, h: H) -> *mut T {
        self.w(h) as *mut T
    }

    pub(crate) fn str(&self, s: &str) -> H {
        let p = rstr::alloc_str(s.as_bytes());
        assert!(!p.is_null());
        self.keep(p)
    }

    /// A string from generalised UTF-8 bytes (lone surrogates allowed).
    pub(crate) fn str_bytes(&self, b: &[u8]) -> H {
        let p = rstr::alloc_str(b);
        assert!(!p.is_null());
        self.keep(p)
    }

    /// A new list of `n` zero items.
    fn list(&self, n: usize, list_tid: u32, array_tid: u32) -> H {
        let arr = alloc::gc_malloc_varsize(array_tid, 16 + 8 * n as i64, n as i64, 8);
        assert!(!arr.is_null());
        let a = self.keep(arr);
        let l = alloc::gc_malloc(list_tid, size_of::<RList>() as u64) as *mut RList;
        assert!(!l.is_null());
        // SAFETY: a fresh list.
        unsafe {
            (*l).length = n as i64;
            (*l).items = self.p(a);
        }
        self.keep(l)
    }

    /// A list of ints (`LIST_SIGNED`).
    pub(crate) fn ints(&self, xs: &[i64]) -> H {
        let l = self.list(xs.len(), typeid::LIST_SIGNED, typeid::ARRAY_SIGNED);
        for (i, x) in xs.iter().enumerate() {
            self.set_item(l, i, *x as u64);
        }
        l
    }

    /// A list of floats (`LIST_SIGNED`-shaped: the items are words).
    pub(crate) fn floats(&self, xs: &[f64]) -> H {
        let l = self.list(xs.len(), typeid::LIST_SIGNED, typeid::ARRAY_SIGNED);
        for (i, x) in xs.iter().enumerate() {
            self.set_item(l, i, x.to_bits());
        }
        l
    }

    /// A list of strings (`LIST_STR`).
    pub(crate) fn strs(&self, xs: &[&str]) -> H {
        let l = self.list(xs.len(), typeid::LIST_STR, typeid::ARRAY_STR);
        for (i, x) in xs.iter().enumerate() {
            let s = self.str(x);
            self.set_item(l, i, self.w(s));
        }
        l
    }

    /// A list of references (`LIST_PTR`).
    pub(crate) fn refs(&self, xs: &[H]) -> H {
        let l = self.list(xs.len(), LIST_PTR, ARRAY_PTR);
        for (i, x) in xs.iter().enumerate() {
            self.set_item(l, i, self.w(*x));
        }
        l
    }

    pub(crate) fn set_item(&self, l: H, i: usize, w: u64) {
        // SAFETY: a kept list with at least `i + 1` items.
        unsafe {
            let arr = (*self.p::<RList>(l)).items;
            *(core::ptr::addr_of_mut!((*arr).items) as *mut u64).add(i) = w;
            gc::write_barrier(arr as *mut u8);
        }
    }

    /// The items of a list as words.
    pub(crate) fn items(&self, l: H) -> Vec<u64> {
        // SAFETY: a kept list.
        unsafe { crate::rlistops::items(self.p(l)).to_vec() }
    }

    pub(crate) fn int_items(&self, l: H) -> Vec<i64> {
        self.items(l).into_iter().map(|w| w as i64).collect()
    }

    pub(crate) fn str_items(&self, l: H) -> Vec<String> {
        self.items(l).into_iter().map(|w| text(w as *const RStr)).collect()
    }

    /// The capacity of a list's items array.
    pub(crate) fn capacity(&self, l: H) -> i64 {
        // SAFETY: a kept list and its array.
        unsafe { (*(*self.p::<RList>(l)).items).length }
    }

    /// A tuple `(n, s)`.
    pub(crate) fn tuple_int_str(&self, n: i64, s: H) -> H {
        let p = alloc::gc_malloc(TUPLE_IS, 24);
        assert!(!p.is_null());
        // SAFETY: a fresh 24-byte tuple.
        unsafe {
            *(p.add(8) as *mut i64) = n;
            *(p.add(16) as *mut u64) = self.w(s);
        }
        self.keep(p)
    }

    pub(crate) fn tuple1(&self, n: i64) -> H {
        let p = alloc::gc_malloc(TUPLE_I, 16);
        assert!(!p.is_null());
        // SAFETY: a fresh 16-byte tuple.
        unsafe { *(p.add(8) as *mut i64) = n };
        self.keep(p)
    }

    pub(crate) fn tuple_float_bool(&self, x: f64, b: bool) -> H {
        let p = alloc::gc_malloc(TUPLE_FB, 24);
        assert!(!p.is_null());
        // SAFETY: a fresh 24-byte tuple.
        unsafe {
            *(p.add(8) as *mut f64) = x;
            *p.add(16) = b as u8;
        }
        self.keep(p)
    }

    pub(crate) fn instance(&self) -> H {
        let p = alloc::gc_malloc(INSTANCE, size_of::<RObject>() as u64) as *mut RObject;
        assert!(!p.is_null());
        // SAFETY: a fresh instance.
        unsafe { (*p).typeptr = self.vtable };
        self.keep(p)
    }

    /// A new dict of `desc` holding `pairs` (as words; reference words are read from
    /// handles by the caller before the call, so pass ints or prebuilt objects only when
    /// the collector may move objects, or use [`Tester::dict_set`]).
    pub(crate) fn dict(&self, desc: &'static DictDesc) -> H {
        // SAFETY: a valid static desc.
        let d = unsafe { crate::rdict::kiln_dict_new(desc, desc.dict_tid) };
        assert!(!d.is_null());
        self.keep(d)
    }

    /// `d[k] = v` where `k` and `v` are handles or plain words.
    pub(crate) fn dict_set(&self, d: H, k: Val, v: Val) {
        // SAFETY: a kept dict; the words are read just before the call.
        unsafe { crate::rdict::kiln_dict_setitem(self.p(d), self.val(k) as i64, self.val(v) as i64) };
        assert!(!crate::exc::is_pending());
    }

    pub(crate) fn val(&self, v: Val) -> u64 {
        match v {
            Val::W(w) => w,
            Val::H(h) => self.w(h),
        }
    }

    /// A dict holding `pairs`, inserted in order.
    pub(crate) fn dict_from(&self, desc: &'static DictDesc, pairs: &[(Val, Val)]) -> H {
        let d = self.dict(desc);
        for (k, v) in pairs {
            self.dict_set(d, *k, *v);
        }
        d
    }

    pub(crate) fn dict_len(&self, d: H) -> i64 {
        // SAFETY: a kept dict.
        unsafe { (*self.p::<RDict>(d)).num_items }
    }
}

/// A value for a test helper: a plain word, or the current address of a kept object.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Val {
    W(u64),
    H(H),
}

/// The items array of a list, for tests that look at it directly.
pub(crate) fn array_of(l: *mut RList) -> *mut RArray {
    // SAFETY: tests pass valid lists.
    unsafe { (*l).items }
}

// The layout facts the tables above rely on.
const _: () = assert!(offset_of!(RDict, indexes) == 32 && offset_of!(RDict, entries) == 40 && size_of::<RDict>() == 48);
const _: () = assert!(size_of::<kiln_abi::REntry>() == 32 && offset_of!(kiln_abi::REntry, key) == 16);

/// A value of the CPython-generated corpora (`runtime/tools/gen_cpython_cases.py`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum CaseVal {
    Int(i64),
    /// A float's bits.
    Float(u64),
    Str(Vec<u8>),
    None,
    /// A list of strings, joined with NUL.
    List(Vec<u8>),
}

/// Undoes the corpus's escapes (`\\`, `\t`, `\n`, `\xNN`).
pub(crate) fn unescape(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next() {
            Some('t') => out.push(b'\t'),
            Some('n') => out.push(b'\n'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                let cp = u32::from_str_radix(&hex, 16).expect("a \\x escape");
                let (buf, len) = crate::utf8::encode(cp);
                out.extend_from_slice(&buf[..len]);
            }
            _ => out.push(b'\\'),
        }
    }
    out
}

/// Parses a corpus value (`i:`, `f:`, `s:`, `n:` or `l:`).
pub(crate) fn parse_val(s: &str) -> CaseVal {
    let (tag, rest) = s.split_at(2);
    match tag {
        "i:" => CaseVal::Int(rest.parse().expect("an int")),
        "f:" => {
            let bytes: Vec<u8> = (0..8).map(|i| u8::from_str_radix(&rest[2 * i..2 * i + 2], 16).expect("hex")).collect();
            CaseVal::Float(u64::from_le_bytes(bytes.try_into().expect("8 bytes")))
        }
        "s:" => CaseVal::Str(unescape(rest)),
        "l:" => CaseVal::List(unescape(rest)),
        _ => CaseVal::None,
    }
}

/// A corpus result: the value, or the exception's `Name: message` line.
pub(crate) fn parse_outcome(s: &str) -> Result<CaseVal, String> {
    match s.split_at(2) {
        ("R:", v) => Ok(parse_val(v)),
        (_, e) => Err(String::from_utf8(unescape(e)).expect("UTF-8")),
    }
}
