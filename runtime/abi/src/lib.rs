//! The contract between generated code and the runtime: the layout of the objects both
//! sides touch (strings, lists of strings, exception instances, vtables), the numbering of
//! built-in exception classes and GC type ids fixed in advance, and the data the generated
//! `main` hands to the runtime at startup.
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
}

// The program info is immutable static data shared by the whole process.
unsafe impl Sync for ProgramInfo {}

/// Bumped whenever anything in this crate changes layout or meaning.
pub const ABI_VERSION: u32 = 1;

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
