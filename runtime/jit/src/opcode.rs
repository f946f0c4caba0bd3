//! The trace op set: one enum and one table of properties that every pass reads.
//!
//! Names follow RPython's `resoperation.py`. An op's argument signature is a string of type
//! letters: `i` int, `f` float, `r` reference, `a` any type (checked against the descriptor
//! or the other arguments by the verifier), and a trailing `*` for "any number more".

use crate::ir::Type;

/// Which kind of descriptor an op needs (the verifier checks it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescrReq {
    None,
    Field,
    Array,
    Size,
    /// A size descriptor that names a vtable (`new_with_vtable`).
    SizeVtable,
    Call,
    Target,
    /// `finish` may carry a descriptor or not.
    Optional,
}

/// Property bits of an op.
pub mod flags {
    /// No side effect, cannot fail, result depends only on the arguments: foldable and
    /// CSE-able, removable when unused.
    pub const PURE: u16 = 1 << 0;
    pub const GUARD: u16 = 1 << 1;
    /// `int_*_ovf`: must be followed by `guard_no_overflow` or `guard_overflow`.
    pub const OVF: u16 = 1 << 2;
    pub const CALL: u16 = 1 << 3;
    /// Arguments may be swapped.
    pub const COMMUTATIVE: u16 = 1 << 4;
    /// Reads the heap (fields, array items) but writes nothing: removable when unused.
    pub const HEAP_READ: u16 = 1 << 5;
    pub const HEAP_WRITE: u16 = 1 << 6;
    /// Allocates a new object: no other effect, removable when unused.
    pub const ALLOC: u16 = 1 << 7;
    /// `label`, `jump`, `finish`.
    pub const CONTROL: u16 = 1 << 8;
    /// Comparison returning 0 or 1.
    pub const COMPARISON: u16 = 1 << 9;
}

/// The static properties of one op.
#[derive(Clone, Copy, Debug)]
pub struct OpInfo {
    pub name: &'static str,
    pub args: &'static str,
    pub result: Option<Type>,
    pub flags: u16,
    pub descr: DescrReq,
}

impl OpInfo {
    pub fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }
}

macro_rules! opcodes {
    ($( $variant:ident = $name:literal ($args:literal) -> $res:tt [$($flag:ident)|*] $descr:ident ;)*) => {
        /// A trace operation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum OpCode { $($variant,)* }

        const TABLE: &[OpInfo] = &[
            $(OpInfo {
                name: $name,
                args: $args,
                result: opcodes!(@res $res),
                flags: 0 $(| flags::$flag)*,
                descr: DescrReq::$descr,
            },)*
        ];

        /// Every op, in table order.
        pub const ALL: &[OpCode] = &[$(OpCode::$variant,)*];
    };
    (@res i) => { Some(Type::Int) };
    (@res f) => { Some(Type::Float) };
    (@res r) => { Some(Type::Ref) };
    (@res v) => { None };
}

opcodes! {
    IntAdd = "int_add" ("ii") -> i [PURE | COMMUTATIVE] None;
    IntSub = "int_sub" ("ii") -> i [PURE] None;
    IntMul = "int_mul" ("ii") -> i [PURE | COMMUTATIVE] None;
    IntAnd = "int_and" ("ii") -> i [PURE | COMMUTATIVE] None;
    IntOr = "int_or" ("ii") -> i [PURE | COMMUTATIVE] None;
    IntXor = "int_xor" ("ii") -> i [PURE | COMMUTATIVE] None;
    IntLshift = "int_lshift" ("ii") -> i [PURE] None;
    IntRshift = "int_rshift" ("ii") -> i [PURE] None;
    UintRshift = "uint_rshift" ("ii") -> i [PURE] None;
    // Python's floor division and modulo (the jitcode's `int_floordiv`/`int_mod` come
    // from lltype's, which round toward negative infinity); a zero divisor is undefined.
    IntFloordiv = "int_floordiv" ("ii") -> i [PURE] None;
    IntMod = "int_mod" ("ii") -> i [PURE] None;
    UintFloordiv = "uint_floordiv" ("ii") -> i [PURE] None;
    UintMod = "uint_mod" ("ii") -> i [PURE] None;
    IntNeg = "int_neg" ("i") -> i [PURE] None;
    IntInvert = "int_invert" ("i") -> i [PURE] None;
    IntAbs = "int_abs" ("i") -> i [PURE] None;
    IntIsTrue = "int_is_true" ("i") -> i [PURE | COMPARISON] None;
    IntIsZero = "int_is_zero" ("i") -> i [PURE | COMPARISON] None;
    IntLt = "int_lt" ("ii") -> i [PURE | COMPARISON] None;
    IntLe = "int_le" ("ii") -> i [PURE | COMPARISON] None;
    IntEq = "int_eq" ("ii") -> i [PURE | COMPARISON | COMMUTATIVE] None;
    IntNe = "int_ne" ("ii") -> i [PURE | COMPARISON | COMMUTATIVE] None;
    IntGt = "int_gt" ("ii") -> i [PURE | COMPARISON] None;
    IntGe = "int_ge" ("ii") -> i [PURE | COMPARISON] None;
    UintLt = "uint_lt" ("ii") -> i [PURE | COMPARISON] None;
    UintLe = "uint_le" ("ii") -> i [PURE | COMPARISON] None;
    UintGt = "uint_gt" ("ii") -> i [PURE | COMPARISON] None;
    UintGe = "uint_ge" ("ii") -> i [PURE | COMPARISON] None;
    // `int_between(a, b, c)` is `a <= b < c`.
    IntBetween = "int_between" ("iii") -> i [PURE | COMPARISON] None;
    // Whether the exact result leaves the signed 64-bit range (0 or 1).
    IntAddOverflows = "int_add_overflows" ("ii") -> i [PURE | COMPARISON | COMMUTATIVE] None;
    IntSubOverflows = "int_sub_overflows" ("ii") -> i [PURE | COMPARISON] None;
    IntMulOverflows = "int_mul_overflows" ("ii") -> i [PURE | COMPARISON | COMMUTATIVE] None;
    IntAddOvf = "int_add_ovf" ("ii") -> i [OVF | COMMUTATIVE] None;
    IntSubOvf = "int_sub_ovf" ("ii") -> i [OVF] None;
    IntMulOvf = "int_mul_ovf" ("ii") -> i [OVF | COMMUTATIVE] None;
    FloatAdd = "float_add" ("ff") -> f [PURE | COMMUTATIVE] None;
    FloatSub = "float_sub" ("ff") -> f [PURE] None;
    FloatMul = "float_mul" ("ff") -> f [PURE | COMMUTATIVE] None;
    FloatTrueDiv = "float_truediv" ("ff") -> f [PURE] None;
    FloatNeg = "float_neg" ("f") -> f [PURE] None;
    FloatAbs = "float_abs" ("f") -> f [PURE] None;
    FloatLt = "float_lt" ("ff") -> i [PURE | COMPARISON] None;
    FloatLe = "float_le" ("ff") -> i [PURE | COMPARISON] None;
    FloatEq = "float_eq" ("ff") -> i [PURE | COMPARISON | COMMUTATIVE] None;
    FloatNe = "float_ne" ("ff") -> i [PURE | COMPARISON | COMMUTATIVE] None;
    FloatGt = "float_gt" ("ff") -> i [PURE | COMPARISON] None;
    FloatGe = "float_ge" ("ff") -> i [PURE | COMPARISON] None;
    FloatIsTrue = "float_is_true" ("f") -> i [PURE | COMPARISON] None;
    CastFloatToInt = "cast_float_to_int" ("f") -> i [PURE] None;
    CastIntToFloat = "cast_int_to_float" ("i") -> f [PURE] None;
    CastUintToFloat = "cast_uint_to_float" ("i") -> f [PURE] None;
    // The bits of a double as an int and back.
    CastFloatToWord = "cast_float_to_word" ("f") -> i [PURE] None;
    CastWordToFloat = "cast_word_to_float" ("i") -> f [PURE] None;
    // Narrowing to a char (8 bits) or a code point (32 bits): the low bits, zero-extended.
    CastIntToChar = "cast_int_to_char" ("i") -> i [PURE] None;
    CastIntToUnichar = "cast_int_to_unichar" ("i") -> i [PURE] None;
    PtrEq = "ptr_eq" ("rr") -> i [PURE | COMPARISON | COMMUTATIVE] None;
    PtrNe = "ptr_ne" ("rr") -> i [PURE | COMPARISON | COMMUTATIVE] None;
    PtrIszero = "ptr_iszero" ("r") -> i [PURE | COMPARISON] None;
    PtrNonzero = "ptr_nonzero" ("r") -> i [PURE | COMPARISON] None;
    // An object's address as an int, and back. Not pure: a moving collector changes the
    // address between two points of a trace, so two casts of one object may differ, and a
    // cast of a constant must not fold to the address the trace was recorded with.
    CastPtrToInt = "cast_ptr_to_int" ("r") -> i [] None;
    CastIntToPtr = "cast_int_to_ptr" ("i") -> r [] None;
    SameAsI = "same_as_i" ("i") -> i [PURE] None;
    SameAsF = "same_as_f" ("f") -> f [PURE] None;
    SameAsR = "same_as_r" ("r") -> r [PURE] None;
    GetfieldGcI = "getfield_gc_i" ("r") -> i [HEAP_READ] Field;
    GetfieldGcR = "getfield_gc_r" ("r") -> r [HEAP_READ] Field;
    GetfieldGcF = "getfield_gc_f" ("r") -> f [HEAP_READ] Field;
    SetfieldGc = "setfield_gc" ("ra") -> v [HEAP_WRITE] Field;
    GetarrayitemGcI = "getarrayitem_gc_i" ("ri") -> i [HEAP_READ] Array;
    GetarrayitemGcR = "getarrayitem_gc_r" ("ri") -> r [HEAP_READ] Array;
    GetarrayitemGcF = "getarrayitem_gc_f" ("ri") -> f [HEAP_READ] Array;
    SetarrayitemGc = "setarrayitem_gc" ("ria") -> v [HEAP_WRITE] Array;
    // Raw (non-GC) memory, such as vtables and other prebuilt structs: the address is an
    // int. No write barrier.
    GetfieldRawI = "getfield_raw_i" ("i") -> i [HEAP_READ] Field;
    GetfieldRawR = "getfield_raw_r" ("i") -> r [HEAP_READ] Field;
    GetfieldRawF = "getfield_raw_f" ("i") -> f [HEAP_READ] Field;
    SetfieldRaw = "setfield_raw" ("ia") -> v [HEAP_WRITE] Field;
    GetarrayitemRawI = "getarrayitem_raw_i" ("ii") -> i [HEAP_READ] Array;
    GetarrayitemRawR = "getarrayitem_raw_r" ("ii") -> r [HEAP_READ] Array;
    GetarrayitemRawF = "getarrayitem_raw_f" ("ii") -> f [HEAP_READ] Array;
    ArraylenRaw = "arraylen_raw" ("i") -> i [PURE] Array;
    // An array's length never changes, and strings are immutable: these are pure.
    ArraylenGc = "arraylen_gc" ("r") -> i [PURE] Array;
    Strlen = "strlen" ("r") -> i [PURE] None;
    Strgetitem = "strgetitem" ("ri") -> i [PURE] None;
    New = "new" ("") -> r [ALLOC] Size;
    NewWithVtable = "new_with_vtable" ("") -> r [ALLOC] SizeVtable;
    NewArray = "new_array" ("i") -> r [ALLOC] Array;
    CallI = "call_i" ("i*") -> i [CALL] Call;
    CallR = "call_r" ("i*") -> r [CALL] Call;
    CallF = "call_f" ("i*") -> f [CALL] Call;
    CallN = "call_n" ("i*") -> v [CALL] Call;
    CallPureI = "call_pure_i" ("i*") -> i [CALL] Call;
    CallPureR = "call_pure_r" ("i*") -> r [CALL] Call;
    CallPureF = "call_pure_f" ("i*") -> f [CALL] Call;
    CallPureN = "call_pure_n" ("i*") -> v [CALL] Call;
    GuardTrue = "guard_true" ("i") -> v [GUARD] None;
    GuardFalse = "guard_false" ("i") -> v [GUARD] None;
    GuardValue = "guard_value" ("aa") -> v [GUARD] None;
    GuardClass = "guard_class" ("ri") -> v [GUARD] None;
    GuardNonnull = "guard_nonnull" ("r") -> v [GUARD] None;
    GuardIsnull = "guard_isnull" ("r") -> v [GUARD] None;
    GuardNonnullClass = "guard_nonnull_class" ("ri") -> v [GUARD] None;
    GuardNoException = "guard_no_exception" ("") -> v [GUARD] None;
    GuardException = "guard_exception" ("i") -> r [GUARD] None;
    GuardNoOverflow = "guard_no_overflow" ("") -> v [GUARD] None;
    GuardOverflow = "guard_overflow" ("") -> v [GUARD] None;
    Label = "label" ("*") -> v [CONTROL] Target;
    Jump = "jump" ("*") -> v [CONTROL] Target;
    Finish = "finish" ("*") -> v [CONTROL] Optional;
    DebugMergePoint = "debug_merge_point" ("ii") -> v [] None;
}

/// Jitcode instruction names that are another op under a second name, because the values
/// they work on are ints of the trace (a machine word) either way: unsigned arithmetic
/// that wraps like the signed one, bools (0 or 1), chars (0..255) and code points
/// (0..0x10FFFF) zero-extended, so that their signed comparisons agree with the unsigned
/// ones the LLVM backend emits, and casts between these that change nothing; and stores,
/// whose jitcode names carry the value's bank. The parser accepts them; the printer
/// writes the op's own name. Recording `uint_add` as `int_add` lets every pass know it.
/// (`semantics_tests.rs` checks every jitcode instruction against this and the table.)
pub const ALIASES: &[(&str, OpCode)] = &[
    ("uint_add", OpCode::IntAdd),
    ("uint_sub", OpCode::IntSub),
    ("uint_mul", OpCode::IntMul),
    ("uint_and", OpCode::IntAnd),
    ("uint_or", OpCode::IntOr),
    ("uint_xor", OpCode::IntXor),
    ("uint_invert", OpCode::IntInvert),
    ("uint_lshift", OpCode::IntLshift),
    ("uint_eq", OpCode::IntEq),
    ("uint_ne", OpCode::IntNe),
    ("bool_not", OpCode::IntIsZero),
    ("bool_eq", OpCode::IntEq),
    ("char_eq", OpCode::IntEq),
    ("char_lt", OpCode::IntLt),
    ("unichar_eq", OpCode::IntEq),
    ("unichar_ne", OpCode::IntNe),
    ("unichar_lt", OpCode::IntLt),
    ("unichar_le", OpCode::IntLe),
    ("unichar_gt", OpCode::IntGt),
    ("unichar_ge", OpCode::IntGe),
    ("cast_bool_to_int", OpCode::SameAsI),
    ("cast_char_to_int", OpCode::SameAsI),
    ("cast_unichar_to_int", OpCode::SameAsI),
    ("cast_char_to_unichar", OpCode::SameAsI),
    ("cast_int_to_uint", OpCode::SameAsI),
    ("cast_uint_to_int", OpCode::SameAsI),
    ("cast_bool_to_float", OpCode::CastIntToFloat),
    // Stores name the value's bank in the jitcode; the trace op takes it from the value.
    ("setfield_gc_i", OpCode::SetfieldGc),
    ("setfield_gc_r", OpCode::SetfieldGc),
    ("setfield_gc_f", OpCode::SetfieldGc),
    ("setfield_raw_i", OpCode::SetfieldRaw),
    ("setfield_raw_r", OpCode::SetfieldRaw),
    ("setfield_raw_f", OpCode::SetfieldRaw),
    ("setarrayitem_gc_i", OpCode::SetarrayitemGc),
    ("setarrayitem_gc_r", OpCode::SetarrayitemGc),
    ("setarrayitem_gc_f", OpCode::SetarrayitemGc),
];

impl OpCode {
    pub fn info(self) -> &'static OpInfo {
        &TABLE[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The op of this name, or of a jitcode instruction name that is an alias of it
    /// ([`ALIASES`]): what the tracer uses to record a jitcode instruction 1:1.
    pub fn from_name(name: &str) -> Option<OpCode> {
        ALL.iter().copied().find(|op| op.name() == name).or_else(|| ALIASES.iter().find(|(n, _)| *n == name).map(|&(_, op)| op))
    }

    pub fn is_guard(self) -> bool {
        self.info().has(flags::GUARD)
    }

    pub fn is_pure(self) -> bool {
        self.info().has(flags::PURE)
    }

    pub fn is_call(self) -> bool {
        self.info().has(flags::CALL)
    }

    pub fn is_call_pure(self) -> bool {
        matches!(self, OpCode::CallPureI | OpCode::CallPureR | OpCode::CallPureF | OpCode::CallPureN)
    }

    pub fn is_ovf(self) -> bool {
        self.info().has(flags::OVF)
    }

    /// The op without overflow check that computes the same value as an `_ovf` op.
    pub fn without_ovf(self) -> Option<OpCode> {
        match self {
            OpCode::IntAddOvf => Some(OpCode::IntAdd),
            OpCode::IntSubOvf => Some(OpCode::IntSub),
            OpCode::IntMulOvf => Some(OpCode::IntMul),
            _ => None,
        }
    }

    /// `same_as` of a type.
    pub fn same_as(ty: Type) -> OpCode {
        match ty {
            Type::Int => OpCode::SameAsI,
            Type::Float => OpCode::SameAsF,
            Type::Ref => OpCode::SameAsR,
        }
    }

    /// The result type; `call_*`, `getfield_*` and `getarrayitem_*` carry it in the suffix.
    pub fn result_type(self) -> Option<Type> {
        self.info().result
    }
}

impl std::fmt::Display for OpCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for &op in ALL {
            assert_eq!(OpCode::from_name(op.name()), Some(op), "{op:?}");
        }
        let mut names: Vec<_> = ALL.iter().map(|op| op.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
    }

    #[test]
    fn aliases_name_no_op() {
        for &(name, op) in ALIASES {
            assert!(ALL.iter().all(|o| o.name() != name), "{name} is an op's own name");
            assert_eq!(OpCode::from_name(name), Some(op));
        }
    }

    #[test]
    fn guards_have_no_result_except_guard_exception() {
        for &op in ALL {
            if op.is_guard() && op != OpCode::GuardException {
                assert_eq!(op.result_type(), None, "{op:?}");
            }
        }
    }
}
