//! Descriptors: the layout and effect facts instructions refer to by index (operand code
//! `d`). The codewriter makes them from lltype's layout computation; the runtime turns
//! them into the trace IR's descriptors (`kiln_jit::descr`), whose fields they mirror.

use crate::Bank;

/// How a field may change once its object is built (`_immutable_fields_`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutability {
    Mutable,
    /// Never written after construction: a read from a constant object may fold.
    Immutable,
    /// `?` in `_immutable_fields_`: a write invalidates code that assumed the value.
    /// Until invalidation exists, it is read like a mutable field.
    QuasiImmutable,
}

/// A field of a struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDescr {
    /// Bytes from the start of the object (GC header included).
    pub offset: u32,
    /// Bytes in memory: 1, 2, 4 or 8.
    pub size: u8,
    pub bank: Bank,
    /// Whether a narrow int is sign-extended when read.
    pub signed: bool,
    pub mutability: Mutability,
    /// Whether the struct is a GC object (`getfield_gc_*`) or raw data (`getfield_raw_*`).
    pub gc: bool,
}

/// A standalone array, or the inline array at the end of a variable-size struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArrayDescr {
    /// Offset of item 0 from the start of the object.
    pub base_offset: u32,
    /// Offset of the length word.
    pub len_offset: u32,
    pub item_size: u8,
    pub item_bank: Bank,
    pub signed: bool,
    /// `[*]` in `_immutable_fields_`: the items are never written after construction.
    pub immutable_items: bool,
    pub gc: bool,
    /// The GC type id of the object, for `new_array`; `None` when it is not a GC object.
    pub type_id: Option<u32>,
}

/// A fixed-size GC object to allocate (`new`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SizeDescr {
    pub size: u32,
    /// The GC type id written into the header.
    pub type_id: u32,
}

/// What a call does besides computing its result (RPython's effect info).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExtraEffect {
    #[default]
    None,
    /// Same arguments give the same result with no visible side effect (`@elidable`).
    Elidable,
    /// Same result for the whole loop (`@loop_invariant`).
    LoopInvariant,
    /// May invalidate quasi-immutable fields or compiled code.
    CanInvalidate,
}

/// The effects of a call.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct EffectInfo {
    pub can_raise: bool,
    pub can_collect: bool,
    pub extra: ExtraEffect,
    /// Field and array descriptors the call may read; `None` = anything.
    pub reads: Option<Vec<u16>>,
    /// Field and array descriptors the call may write; `None` = anything.
    pub writes: Option<Vec<u16>>,
}

/// What a call descriptor calls, for the log and for the runtime's own helpers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallTarget {
    /// A function of the program, by its symbol.
    Func(String),
    /// A runtime library function, by its symbol.
    Runtime(String),
    /// Whatever function pointer the instruction passes.
    Indirect,
}

/// A call's signature and effects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallDescr {
    pub args: Vec<Bank>,
    pub result: Option<Bank>,
    pub target: CallTarget,
    pub effect: EffectInfo,
    /// For runtime helpers, what the optimizer may know about them (RPython's oopspec):
    /// `str.concat`, `list.resize`, `dict.getitem`, ... `None` for other calls.
    pub oopspec: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DescrKind {
    Field(FieldDescr),
    Array(ArrayDescr),
    Size(SizeDescr),
    Call(CallDescr),
}

/// A descriptor with its printed name (`Cell.value`, `GcArray<Signed>`, `call f`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Descr {
    pub name: String,
    pub kind: DescrKind,
}

impl Descr {
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            DescrKind::Field(_) => "field",
            DescrKind::Array(_) => "array",
            DescrKind::Size(_) => "size",
            DescrKind::Call(_) => "call",
        }
    }
}
