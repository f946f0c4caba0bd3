//! The contract between generated code and the runtime: the layout of the objects both
//! sides touch (strings, lists of strings, exception instances, vtables), the numbering of
//! built-in exception classes and GC type ids fixed in advance, the data the generated
//! `main` hands to the runtime at startup, and the protocol between GC-transformed code
//! and the collectors (header flags, symbol names, the shadow stack; see [`gc`]).
//!
//! The compiler's `lltype` crate builds the same layouts as low-level types; a test there
//! asserts that its computed offsets equal the offsets of the `#[repr(C)]` structs here.
//! This crate has no dependencies and does no I/O.

#![no_std]

/// The 8-byte header in front of every GC object: its type id and GC flag bits.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GcHeader {
    pub tid: u32,
    pub flags: u32,
}

/// GC header flag: the object is prebuilt (in the binary's data) and never moves or dies.
pub const GCFLAG_PREBUILT: u32 = 1 << 0;
/// GC header flag: an old object that may point to young ones and is already recorded.
pub const GCFLAG_TRACK_YOUNG_PTRS: u32 = 1 << 1;
/// GC header flag: marked during the current collection (mark-sweep style collectors).
pub const GCFLAG_VISITED: u32 = 1 << 2;
/// GC header flag: the object has been forwarded by a copying collector.
pub const GCFLAG_FORWARDED: u32 = 1 << 3;
/// GC header flag: the object lives outside the nursery (large objects, old generation).
pub const GCFLAG_OLD: u32 = 1 << 4;
/// GC header flag: a large array with card marking; some cards are dirty.
pub const GCFLAG_CARDS_SET: u32 = 1 << 5;
/// GC header flag: the object has a card table (one bit per [`gc::CARD_ITEMS`] items) in
/// the bytes just before its header; set only by collectors with card marking.
pub const GCFLAG_HAS_CARDS: u32 = 1 << 6;
/// GC header flag: a prebuilt object the collector has recorded as a root (it was written
/// to at run time, so it may point to heap objects).
pub const GCFLAG_ROOT_RECORDED: u32 = 1 << 7;
/// The header flags of every prebuilt GC object, in the binary's data or made by the
/// runtime: it never moves, counts as old, and the first write into it must be reported
/// to the collector (the write barrier's test, see [`gc`]).
pub const GCFLAGS_PREBUILT: u32 = GCFLAG_PREBUILT | GCFLAG_OLD | GCFLAG_TRACK_YOUNG_PTRS;

/// GC type ids fixed by this contract. The compiler numbers all other GC types after
/// [`FIRST_FREE_TYPEID`].
pub mod typeid {
    /// `STR`: an immutable string.
    pub const STR: u32 = 1;
    /// `GcArray(Signed)`: used for the code-point index of non-ASCII strings and int lists.
    pub const ARRAY_SIGNED: u32 = 2;
    /// `GcArray(Ptr(STR))`: the items of a list of strings.
    pub const ARRAY_STR: u32 = 3;
    /// `LIST_OF_STR`: a resizable list of strings (argv, `str.split`).
    pub const LIST_STR: u32 = 4;
    /// The instance layout shared by built-in exceptions that add no fields.
    pub const BASE_EXCEPTION: u32 = 5;
    /// The instance layout of `OSError` (adds `errno`).
    pub const OS_ERROR: u32 = 6;
    /// `LIST_OF_SIGNED`: a resizable list of ints.
    pub const LIST_SIGNED: u32 = 7;
    pub const FIRST_FREE_TYPEID: u32 = 16;
}

/// An immutable string: UTF-8 bytes with a cached hash and code-point length.
///
/// The string is ASCII exactly when `cplen == length`. `index`, when non-null, is a GC
/// array mapping every 64th code point to its byte offset, for O(1)-ish indexing of
/// non-ASCII strings. `hash` is 0 until computed.
#[repr(C)]
pub struct RStr {
    pub hdr: GcHeader,
    pub hash: i64,
    pub cplen: i64,
    pub index: *mut RArray,
    /// The inline byte array: its length, then the bytes.
    pub length: i64,
    pub chars: [u8; 0],
}

/// A GC array of 8-byte items (ints, floats or pointers).
#[repr(C)]
pub struct RArray {
    pub hdr: GcHeader,
    pub length: i64,
    pub items: [u64; 0],
}

/// A resizable list: the used length and the items array (whose length is the capacity).
#[repr(C)]
pub struct RList {
    pub hdr: GcHeader,
    pub length: i64,
    pub items: *mut RArray,
}

/// The prefix of every class vtable. Subclass ids form ranges: an instance of the class
/// with vtable `v` is an instance of the class with vtable `c` iff
/// `c.subclassrange_min <= v.subclassrange_min < c.subclassrange_max`.
#[repr(C)]
pub struct Vtable {
    pub subclassrange_min: i64,
    pub subclassrange_max: i64,
    pub name: *const RStr,
    /// The GC type id of this class's instances.
    pub instance_typeid: i64,
    /// The size in bytes of this class's instances.
    pub instance_size: i64,
}

/// The prefix of every instance: the GC header and the class pointer.
#[repr(C)]
pub struct RObject {
    pub hdr: GcHeader,
    pub typeptr: *const Vtable,
}

/// Every exception instance: an object plus its message (null for no message).
#[repr(C)]
pub struct RBaseException {
    pub hdr: GcHeader,
    pub typeptr: *const Vtable,
    pub message: *mut RStr,
}

/// `OSError` instances add the errno.
#[repr(C)]
pub struct ROsError {
    pub hdr: GcHeader,
    pub typeptr: *const Vtable,
    pub message: *mut RStr,
    pub errno: i64,
}

/// Built-in exception classes the runtime can raise by itself, numbered for
/// [`ProgramInfo::exc_vtables`]. The order is part of the contract.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltinExc {
    ValueError = 0,
    IndexError = 1,
    KeyError = 2,
    ZeroDivisionError = 3,
    OverflowError = 4,
    OSError = 5,
    MemoryError = 6,
    RecursionError = 7,
    AssertionError = 8,
    TypeError = 9,
    NotImplementedError = 10,
    StopIteration = 11,
}

impl BuiltinExc {
    pub const COUNT: usize = 12;
    pub const ALL: [BuiltinExc; BuiltinExc::COUNT] = [
        BuiltinExc::ValueError,
        BuiltinExc::IndexError,
        BuiltinExc::KeyError,
        BuiltinExc::ZeroDivisionError,
        BuiltinExc::OverflowError,
        BuiltinExc::OSError,
        BuiltinExc::MemoryError,
        BuiltinExc::RecursionError,
        BuiltinExc::AssertionError,
        BuiltinExc::TypeError,
        BuiltinExc::NotImplementedError,
        BuiltinExc::StopIteration,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BuiltinExc::ValueError => "ValueError",
            BuiltinExc::IndexError => "IndexError",
            BuiltinExc::KeyError => "KeyError",
            BuiltinExc::ZeroDivisionError => "ZeroDivisionError",
            BuiltinExc::OverflowError => "OverflowError",
            BuiltinExc::OSError => "OSError",
            BuiltinExc::MemoryError => "MemoryError",
            BuiltinExc::RecursionError => "RecursionError",
            BuiltinExc::AssertionError => "AssertionError",
            BuiltinExc::TypeError => "TypeError",
            BuiltinExc::NotImplementedError => "NotImplementedError",
            BuiltinExc::StopIteration => "StopIteration",
        }
    }
}

/// What the generated `main` passes to `kiln_rt_start`: where the runtime finds the
/// classes and types it needs to build objects itself.
#[repr(C)]
pub struct ProgramInfo {
    /// Must equal [`ABI_VERSION`]; guards against linking a stale runtime.
    pub abi_version: u32,
    /// Number of entries in `type_info`.
    pub type_count: u32,
    /// The GC type-info table, indexed by type id.
    pub type_info: *const TypeInfo,
    /// Vtables of the built-in exception classes, indexed by [`BuiltinExc`].
    pub exc_vtables: [*const Vtable; BuiltinExc::COUNT],
    /// The collector the program was GC-transformed for: the address of the runtime's
    /// descriptor `kiln_gc_<name>_collector` (opaque to generated code). Null for programs
    /// that were not GC-transformed (the llinterp's), which get the `none` collector.
    pub gc: *const core::ffi::c_void,
    /// The number of entries in `prebuilt_objects`.
    pub prebuilt_count: u64,
    /// Every prebuilt GC object whose type has GC pointers, strings excepted (a string's
    /// only GC pointer, its index cache, is written by the runtime alone, which reports the
    /// write). Collectors without a write barrier scan them as roots, since programs may
    /// store heap pointers into prebuilt objects.
    pub prebuilt_objects: *const *mut GcHeader,
}

// The program info is immutable static data shared by the whole process.
unsafe impl Sync for ProgramInfo {}

/// The runtime's `usize` global holding the lowest address the machine stack may reach
/// (0: no limit), which generated code compares its frame address with before calling
/// `kiln_stack_check`.
pub const SYM_STACK_LIMIT: &str = "kiln_stack_limit";

/// Bumped whenever anything in this crate changes layout or meaning.
pub const ABI_VERSION: u32 = 2;

/// One row of the GC type-info table: how to find the GC pointers inside an object.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TypeInfo {
    /// Size of the fixed part, header included.
    pub fixed_size: u32,
    /// Bit flags: see the `TI_*` constants.
    pub flags: u32,
    /// For variable-size types: the offset of the length word, and of the first item.
    pub length_offset: u32,
    pub items_offset: u32,
    /// Size of one item, for variable-size types.
    pub item_size: u32,
    /// Number of GC pointer offsets in the fixed part, and where they are.
    pub ptr_count: u32,
    pub ptr_offsets: *const u32,
    /// GC pointer offsets inside one item (for arrays of structs; 0 or 1 entry at 0 for
    /// arrays of pointers).
    pub item_ptr_count: u32,
    pub item_ptr_offsets: *const u32,
}

unsafe impl Sync for TypeInfo {}

/// Type-info flag: the type has a variable-size part.
pub const TI_VARSIZE: u32 = 1 << 0;
/// Type-info flag: the type is valid (row 0 and unused rows are not).
pub const TI_VALID: u32 = 1 << 1;

/// The protocol between GC-transformed code and the collectors (`docs/gc.md` tells the
/// whole story).
///
/// **Symbols.** Generated code names the chosen collector's entry points, so that the
/// linker drops the others: for a collector `NAME` (one of [`COLLECTORS`]) they are
/// `kiln_gc_NAME` followed by one of the `SYM_*` suffixes below.
/// - `_free`, `_top` (`*mut u8` globals): the bump-allocation window. The inline fast
///   path of a `malloc` of `size` bytes (a multiple of 8, at least [`MIN_OBJECT_SIZE`],
///   at most [`LARGE_OBJECT_SIZE`]) is `p = free; if p + size <= top { free = p + size;
///   header(p) = {tid, 0} }`, else it calls `_malloc_slow`. The window's memory is zeroed.
/// - `_malloc_slow(tid: i64, size: i64) -> ptr` and `_malloc_varsize_slow(tid: i64,
///   length: i64) -> ptr`: allocate a zeroed object with its header (and length) written,
///   collecting if needed; on exhaustion they set MemoryError and return null.
/// - `_wb(obj)`, `_wb_array(obj, index: i64)`: the write barrier's slow paths, for
///   collectors that have a barrier. The fast path, inline before every store of a GC
///   pointer into an object that may be old, is `if header(obj).flags &
///   GCFLAG_TRACK_YOUNG_PTRS { slow(obj) }`. For arrays whose items hold GC pointers the
///   array form may instead set the item's card inline when the object has both
///   [`GCFLAG_HAS_CARDS`] and [`GCFLAG_CARDS_SET`]: card `c = index >> CARD_SHIFT` is bit
///   `c & 7` of the byte at `obj - 1 - (c >> 3)`.
/// - `_collector`: the descriptor whose address goes into `ProgramInfo::gc`.
///
/// **Shadow stack.** [`SYM_ROOT_STACK_TOP`] is a `*mut *mut u8` global: the first free
/// slot of the stack of GC roots, which grows upwards. A function that keeps GC pointers
/// across calls that can collect reserves its slots on entry (`base = top; top = base +
/// n`, slots zeroed), stores the live pointers into its slots before such a call, reloads
/// them after it (a moving collector updates the slots), and sets `top = base` on return.
/// Collectors treat every non-null slot between the stack's base and `top` as a root.
pub mod gc {
    /// The collectors the runtime implements, by the name `--gc=` takes.
    pub const COLLECTORS: [&str; 4] = ["none", "semispace", "marksweep", "incminimark"];
    /// Every object takes at least this many bytes: a copying collector writes the
    /// forwarding address after the header.
    pub const MIN_OBJECT_SIZE: u64 = 16;
    /// Objects larger than this never take the inline fast path; collectors with a
    /// nursery allocate them outside it.
    pub const LARGE_OBJECT_SIZE: u64 = 16 << 10;
    /// Items per card of a card-marked array is `1 << CARD_SHIFT`.
    pub const CARD_SHIFT: u32 = 7;
    pub const CARD_ITEMS: u64 = 1 << CARD_SHIFT;

    pub const SYM_PREFIX: &str = "kiln_gc_";
    pub const SYM_FREE: &str = "_free";
    pub const SYM_TOP: &str = "_top";
    pub const SYM_MALLOC_SLOW: &str = "_malloc_slow";
    pub const SYM_MALLOC_VARSIZE_SLOW: &str = "_malloc_varsize_slow";
    pub const SYM_WB: &str = "_wb";
    pub const SYM_WB_ARRAY: &str = "_wb_array";
    pub const SYM_COLLECTOR: &str = "_collector";
    /// The shadow stack's top, shared by every collector.
    pub const SYM_ROOT_STACK_TOP: &str = "kiln_gc_root_stack_top";
    /// The highest the top may be when a stack check passes (a margin below the end).
    pub const SYM_ROOT_STACK_LIMIT: &str = "kiln_gc_root_stack_limit";

    /// The allocation size of an object of `size` bytes: rounded up to 8, at least
    /// [`MIN_OBJECT_SIZE`].
    pub const fn alloc_size(size: u64) -> u64 {
        let s = if size < MIN_OBJECT_SIZE { MIN_OBJECT_SIZE } else { size };
        (s + 7) & !7
    }
}

/// Kinds of values in a [`TypeDesc`]. Generic runtime helpers (repr, hash, equality,
/// ordering, dicts, sorting) receive values as 8-byte *words*: ints as `i64` bits, floats
/// as `f64` bits, bools as 0/1, chars as the code point, references as the address.
pub mod kind {
    pub const INT: i64 = 0;
    pub const FLOAT: i64 = 1;
    pub const BOOL: i64 = 2;
    /// A one-character string held as its code point.
    pub const CHAR: i64 = 3;
    /// A string reference (`RStr`), null for None when `nullable`.
    pub const STR: i64 = 4;
    /// A value that is always None (no run-time data; the word is 0).
    pub const NONE: i64 = 5;
    /// A tuple reference: `nfields` fields at the given offsets.
    pub const TUPLE: i64 = 6;
    /// A list reference (`RList`): field 0 describes the items.
    pub const LIST: i64 = 7;
    /// A dict reference (`RDict`): fields 0 and 1 describe keys and values.
    pub const DICT: i64 = 8;
    /// An instance reference: compared by identity; printed as `<Name object>`.
    pub const INSTANCE: i64 = 9;
    pub const UINT: i64 = 10;
}

/// How generic runtime helpers see one type of value.
#[repr(C)]
pub struct TypeDesc {
    /// One of the [`kind`] constants.
    pub kind: i64,
    /// The number of entries in `fields`.
    pub nfields: i64,
    pub fields: *const FieldDesc,
    /// 1 when the reference may be null (None).
    pub nullable: i64,
}

unsafe impl Sync for TypeDesc {}

/// A component of a composite value: a tuple field, a list's items, a dict's keys or
/// values.
#[repr(C)]
pub struct FieldDesc {
    /// Byte offset of a tuple field from the start of the object (header included);
    /// unused for list items and dict keys/values, which are always words.
    pub offset: i64,
    /// Size in bytes of a tuple field as stored (1 for bools, 4 for chars, 8 otherwise).
    pub width: i64,
    pub desc: *const TypeDesc,
}

unsafe impl Sync for FieldDesc {}

/// The static description of one dict type, shared by all its dicts.
#[repr(C)]
pub struct DictDesc {
    pub key: *const TypeDesc,
    pub value: *const TypeDesc,
    /// GC type id of the entries array (`GcArray<REntry>` with this key and value).
    pub entries_tid: i64,
    /// GC type id of the dict object itself.
    pub dict_tid: i64,
}

unsafe impl Sync for DictDesc {}

/// A dict: insertion-ordered entries plus an open-addressing index over them.
///
/// `entries` holds `num_used` used entries (some deleted); `indexes` maps hash slots to
/// entry positions (-1 empty, -2 deleted), and is null for prebuilt dicts until first
/// use, when the runtime builds it from the entries (computing their hashes).
#[repr(C)]
pub struct RDict {
    pub hdr: GcHeader,
    pub desc: *const DictDesc,
    pub num_items: i64,
    pub num_used: i64,
    pub indexes: *mut RArray,
    /// A GC array of [`REntry`]; its length is the capacity.
    pub entries: *mut RArray,
}

/// One dict entry: `state` is 1 for a live entry, 0 for a deleted one.
#[repr(C)]
pub struct REntry {
    pub state: i64,
    pub hash: i64,
    pub key: u64,
    pub value: u64,
}

/// A callback that visits one GC root slot (null slots may be passed; the visitor skips
/// them); `ctx` is the visitor's own.
pub type RootVisitor = unsafe extern "C" fn(slot: *mut *mut u8, ctx: *mut core::ffi::c_void);

/// A source of extra GC roots (the JIT's constants, frames and resume values): called at
/// every collection with its own context `ctx` and a visitor to call once per root slot
/// (with `visit_ctx`).
pub type RootSource = unsafe extern "C" fn(ctx: *mut core::ffi::c_void, visit: RootVisitor, visit_ctx: *mut core::ffi::c_void);

/// What JIT-compiled code and the JIT runtime need of the runtime and of the program's
/// collector, in one C-ABI record. Each collector `NAME` exports its own as
/// `kiln_gc_NAME_jit`, so a VM translated with `--jit` names only its collector's (and a
/// VM without the JIT names none: the linker drops them all).
///
/// Compiled code allocates as generated code does (see [`gc`]): bump `*free` up to
/// `*top`, else call `malloc_slow`/`malloc_varsize_slow` (which may collect, and set
/// MemoryError and return null on exhaustion). It stores GC pointers into objects after
/// the write barrier's test when `wb` is non-null. Across calls that can collect it keeps
/// its GC pointers in shadow-stack slots (`*root_stack_top`), as generated code does.
/// It reads and writes the exception state through `exc_type`/`exc_value`.
#[repr(C)]
pub struct JitRuntime {
    /// Must equal [`ABI_VERSION`].
    pub abi_version: u32,
    /// Non-zero when the collector moves objects (GC pointers held anywhere but in root
    /// slots are then stale after a collection).
    pub moving: u32,
    /// The collector's name, NUL-terminated.
    pub gc_name: *const u8,
    pub free: *mut *mut u8,
    pub top: *mut *mut u8,
    pub malloc_slow: unsafe extern "C" fn(tid: i64, size: i64) -> *mut u8,
    pub malloc_varsize_slow: unsafe extern "C" fn(tid: i64, length: i64) -> *mut u8,
    /// The write barrier's slow paths; `None` for collectors without a barrier.
    pub wb: Option<unsafe extern "C" fn(obj: *mut u8)>,
    pub wb_array: Option<unsafe extern "C" fn(obj: *mut u8, index: i64)>,
    pub root_stack_top: *mut *mut *mut u8,
    pub exc_type: *mut *const Vtable,
    pub exc_value: *mut *mut RObject,
    /// Installs (or, with `None`, removes) the one extra root source.
    pub set_root_source: unsafe extern "C" fn(source: Option<RootSource>, ctx: *mut core::ffi::c_void),
    /// A hash of the object's identity that stays the same when the object moves.
    pub identity_hash: unsafe extern "C" fn(obj: *mut u8) -> i64,
    /// Makes `RecursionError` pending with the runtime's preallocated instance (what the
    /// stack check raises); allocates nothing. The blackhole interpreter raises it past
    /// its frame limit.
    pub raise_recursion_error: extern "C" fn(),
}

unsafe impl Sync for JitRuntime {}

/// The number of words in `kiln_jit_values`, the array through which a `--jit` VM's
/// rewritten portal passes its greens and reds to the JIT and gets new ones back
/// (docs/jit.md, "The portal").
pub const JIT_VALUES_LEN: u32 = 256;

/// The symbol of the JIT runtime's value array (`[u64; JIT_VALUES_LEN]`).
pub const SYM_JIT_VALUES: &str = "kiln_jit_values";
/// The symbol of the JIT runtime's flag (`u8`): non-zero while the JIT may want to see
/// merge points (at first, and while the JIT is on); zero once it is off. The rewritten
/// portal skips its merge points' calls while it is zero.
pub const SYM_JIT_ACTIVE: &str = "kiln_jit_active";
/// The symbol of the JIT runtime's merge-point entry, `extern "C" fn(driver: i64) -> i64`
/// returning a `kiln_metainterp::Outcome`.
pub const SYM_JIT_MERGE_POINT: &str = "kiln_jit_merge_point";
/// The symbol of the record a `--jit` VM defines ([`KilnJitProgram`]).
pub const SYM_JIT_PROGRAM: &str = "kiln_jit_program";
/// `extern "C" fn(program: *const KilnJitProgram)`: what a `--jit` VM's `main` calls
/// after `kiln_rt_start`, handing the JIT runtime the program's record.
pub const SYM_JIT_INIT: &str = "kiln_jit_init";
/// `extern "C" fn()`: what a `--jit` VM's `main` calls before `kiln_rt_finish`: the JIT
/// writes its counters and stops.
pub const SYM_JIT_EXIT: &str = "kiln_jit_exit";

/// What a VM translated with `--jit` tells its JIT about itself: the serialized
/// `kiln_jitcode::JitCodeSet` of the program, the address of each of the set's symbols
/// (in the set's order), its collector's [`JitRuntime`] record and where instances keep
/// their vtable. The backend emits it as the global `kiln_jit_program`.
#[repr(C)]
pub struct KilnJitProgram {
    /// Must equal [`ABI_VERSION`].
    pub abi_version: u32,
    /// Offset of the vtable pointer in every instance.
    pub vtable_offset: i32,
    /// `kiln_jitcode::to_bytes` of the set.
    pub jitcodes: *const u8,
    pub jitcodes_len: u64,
    /// `symbol_addrs[i]` is the address of `set.symbols[i]`.
    pub symbol_addrs: *const u64,
    pub symbol_count: u64,
    /// The collector's `kiln_gc_NAME_jit` record.
    pub runtime: *const JitRuntime,
}

unsafe impl Sync for KilnJitProgram {}
