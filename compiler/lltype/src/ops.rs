//! The low-level op set and its property table: every consumer (verifier, llinterp,
//! exception and GC transforms, backend, JIT codewriter) reads an op's facts from here.
//!
//! Low-level operations never raise by themselves except calls and allocation; Python
//! semantics that raise (division by zero, index errors, overflow checks) are spelled out
//! as explicit control flow in helper graphs built by the RTyper. Integer division and
//! modulo here already have Python's floor semantics, for a non-zero divisor.

use crate::rtfn::RtFn;
use crate::jit::{HintFlags, JitDriverId};
use crate::types::TypeId;

/// A field of a struct type, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldRef {
    pub strukt: TypeId,
    pub index: u32,
}

/// What an operation touches besides its arguments and result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// No side effect and no dependence on memory: may be folded, shared or dropped.
    Pure,
    /// Reads memory: may be dropped when unused, not moved across writes.
    Read,
    /// Writes memory.
    Write,
    /// Allocates a new object.
    Alloc,
    /// A call; its effects are those of the callee (see the call-graph effect analysis).
    Call,
    /// Reads or writes the exception state.
    ExcState,
    /// A JIT hint (`jit_*` ops): no effect on the program's behaviour (the llinterp and
    /// the backend run it as nothing or the identity), but the transforms must not drop,
    /// move or fold it, because the codewriter reads it.
    Hint,
}

/// The kind of value an operand or result must have, for the verifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    Uint,
    Float,
    Bool,
    Char,
    UniChar,
    /// Any pointer type.
    Ptr,
    Void,
    /// Anything; checked by the op itself, if at all.
    Any,
}

/// The facts about one operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpInfo {
    pub name: &'static str,
    pub effect: Effect,
    /// Whether the op can raise. For calls this is the conservative answer; the exception
    /// transform asks the call-graph analysis for the callee's real answer.
    pub can_raise: bool,
    /// Whether the op can run the GC (so GC pointers live across it must be roots).
    pub can_collect: bool,
}

macro_rules! ll_ops {
    ( $( $variant:ident $name:literal $effect:ident ( $($arg:ident),* ) -> $res:ident ; )* ) => {
        /// A low-level operation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum LlOp {
            $( $variant, )*
            /// `getfield(ptr) -> value`
            GetField(FieldRef),
            /// `setfield(ptr, value)`
            SetField(FieldRef),
            /// `getinteriorfield(ptr, index) -> item` of the inline array in field F.
            GetInteriorItem(FieldRef),
            /// `setinteriorfield(ptr, index, item)` of the inline array in field F.
            SetInteriorItem(FieldRef),
            /// `getinteriorarraysize(ptr) -> length` of the inline array in field F.
            GetInteriorLength(FieldRef),
            /// `rt_call(args...)`: a call into the runtime library.
            RtCall(RtFn),
            /// GC only: `gc_push_frame[n]()` reserves `n` zeroed shadow-stack slots for this
            /// function's roots; the first op of a graph that has roots.
            GcPushFrame(u32),
            /// GC only: `gc_pop_frame[n]()` releases the slots before the function returns.
            GcPopFrame(u32),
            /// GC only: `gc_save_root[k](ptr)` stores a GC pointer into slot `k`.
            GcSaveRoot(u32),
            /// GC only: `gc_load_root[k]() -> ptr` reloads slot `k` after a collection point.
            GcLoadRoot(u32),
            /// `jit_merge_point[driver](greens..., reds...)`: the top of the driver's
            /// dispatch loop. Nothing outside the JIT.
            JitMergePoint(JitDriverId),
            /// `jit_can_enter_jit[driver](greens..., reds...)`: a backward jump of the
            /// interpreted program. Nothing outside the JIT.
            JitCanEnterJit(JitDriverId),
            /// `jit_hint[flags](x) -> x`: `hint(x, access_directly=True, ...)`.
            JitHint(HintFlags),
            /// JIT portal only (`kiln_transform::jitportal`, `--jit`): `jit_value_store[k](x)`
            /// stores x as one 64-bit word (ints, bools and chars widened, floats as their
            /// bits, pointers as addresses) into `kiln_jit_values[k]`.
            JitValueStore(u32),
            /// JIT portal only: `jit_value_load[k]() -> T` reads `kiln_jit_values[k]` back
            /// as a `T` (the inverse of `jit_value_store`).
            JitValueLoad(u32),
            /// JIT portal only: `jit_merge_point_call[driver]() -> Signed` calls the JIT
            /// runtime's `kiln_jit_merge_point(driver)` with the greens and reds already
            /// stored; the result is a `kiln_metainterp::Outcome`. Can raise and collect.
            JitMergePointCall(JitDriverId),
            /// JIT portal only: `jit_enter_set[driver]()` sets the driver's can-enter byte
            /// (a byte of the VM's own, one per driver): what a `jit_can_enter_jit` and the
            /// portal's entry become when the driver has a `can_enter_jit`, so that the
            /// next merge point counts (docs/jit.md, "The portal").
            JitEnterSet(JitDriverId),
            /// JIT portal only: `jit_enter_take[driver]() -> Bool`: whether the JIT is
            /// active and the driver's can-enter byte is set; clears the byte.
            JitEnterTake(JitDriverId),
        }

        impl LlOp {
            fn simple(self) -> Option<(&'static str, Effect, &'static [Kind], Kind)> {
                match self {
                    $( LlOp::$variant => Some(($name, Effect::$effect, &[$(Kind::$arg),*], Kind::$res)), )*
                    _ => None,
                }
            }

            /// Every op without a payload, for tests and tables.
            pub const SIMPLE: &'static [LlOp] = &[ $( LlOp::$variant, )* ];
        }
    };
}

ll_ops! {
    IntAdd "int_add" Pure (Int, Int) -> Int;
    IntSub "int_sub" Pure (Int, Int) -> Int;
    IntMul "int_mul" Pure (Int, Int) -> Int;
    IntFloorDiv "int_floordiv" Pure (Int, Int) -> Int;
    IntMod "int_mod" Pure (Int, Int) -> Int;
    IntNeg "int_neg" Pure (Int) -> Int;
    IntAbs "int_abs" Pure (Int) -> Int;
    IntInvert "int_invert" Pure (Int) -> Int;
    IntAnd "int_and" Pure (Int, Int) -> Int;
    IntOr "int_or" Pure (Int, Int) -> Int;
    IntXor "int_xor" Pure (Int, Int) -> Int;
    IntLshift "int_lshift" Pure (Int, Int) -> Int;
    IntRshift "int_rshift" Pure (Int, Int) -> Int;
    IntEq "int_eq" Pure (Int, Int) -> Bool;
    IntNe "int_ne" Pure (Int, Int) -> Bool;
    IntLt "int_lt" Pure (Int, Int) -> Bool;
    IntLe "int_le" Pure (Int, Int) -> Bool;
    IntGt "int_gt" Pure (Int, Int) -> Bool;
    IntGe "int_ge" Pure (Int, Int) -> Bool;
    IntIsTrue "int_is_true" Pure (Int) -> Bool;
    IntAddOverflows "int_add_overflows" Pure (Int, Int) -> Bool;
    IntSubOverflows "int_sub_overflows" Pure (Int, Int) -> Bool;
    IntMulOverflows "int_mul_overflows" Pure (Int, Int) -> Bool;
    IntBetween "int_between" Pure (Int, Int, Int) -> Bool;
    UintAdd "uint_add" Pure (Uint, Uint) -> Uint;
    UintSub "uint_sub" Pure (Uint, Uint) -> Uint;
    UintMul "uint_mul" Pure (Uint, Uint) -> Uint;
    UintFloorDiv "uint_floordiv" Pure (Uint, Uint) -> Uint;
    UintMod "uint_mod" Pure (Uint, Uint) -> Uint;
    UintAnd "uint_and" Pure (Uint, Uint) -> Uint;
    UintOr "uint_or" Pure (Uint, Uint) -> Uint;
    UintXor "uint_xor" Pure (Uint, Uint) -> Uint;
    UintInvert "uint_invert" Pure (Uint) -> Uint;
    UintLshift "uint_lshift" Pure (Uint, Int) -> Uint;
    UintRshift "uint_rshift" Pure (Uint, Int) -> Uint;
    UintEq "uint_eq" Pure (Uint, Uint) -> Bool;
    UintNe "uint_ne" Pure (Uint, Uint) -> Bool;
    UintLt "uint_lt" Pure (Uint, Uint) -> Bool;
    UintLe "uint_le" Pure (Uint, Uint) -> Bool;
    UintGt "uint_gt" Pure (Uint, Uint) -> Bool;
    UintGe "uint_ge" Pure (Uint, Uint) -> Bool;
    FloatAdd "float_add" Pure (Float, Float) -> Float;
    FloatSub "float_sub" Pure (Float, Float) -> Float;
    FloatMul "float_mul" Pure (Float, Float) -> Float;
    FloatTrueDiv "float_truediv" Pure (Float, Float) -> Float;
    FloatNeg "float_neg" Pure (Float) -> Float;
    FloatAbs "float_abs" Pure (Float) -> Float;
    FloatEq "float_eq" Pure (Float, Float) -> Bool;
    FloatNe "float_ne" Pure (Float, Float) -> Bool;
    FloatLt "float_lt" Pure (Float, Float) -> Bool;
    FloatLe "float_le" Pure (Float, Float) -> Bool;
    FloatGt "float_gt" Pure (Float, Float) -> Bool;
    FloatGe "float_ge" Pure (Float, Float) -> Bool;
    FloatIsTrue "float_is_true" Pure (Float) -> Bool;
    BoolNot "bool_not" Pure (Bool) -> Bool;
    BoolEq "bool_eq" Pure (Bool, Bool) -> Bool;
    CharEq "char_eq" Pure (Char, Char) -> Bool;
    CharLt "char_lt" Pure (Char, Char) -> Bool;
    UniCharEq "unichar_eq" Pure (UniChar, UniChar) -> Bool;
    UniCharNe "unichar_ne" Pure (UniChar, UniChar) -> Bool;
    UniCharLt "unichar_lt" Pure (UniChar, UniChar) -> Bool;
    UniCharLe "unichar_le" Pure (UniChar, UniChar) -> Bool;
    UniCharGt "unichar_gt" Pure (UniChar, UniChar) -> Bool;
    UniCharGe "unichar_ge" Pure (UniChar, UniChar) -> Bool;
    CastBoolToInt "cast_bool_to_int" Pure (Bool) -> Int;
    CastBoolToFloat "cast_bool_to_float" Pure (Bool) -> Float;
    CastIntToFloat "cast_int_to_float" Pure (Int) -> Float;
    CastFloatToInt "cast_float_to_int" Pure (Float) -> Int;
    CastCharToInt "cast_char_to_int" Pure (Char) -> Int;
    CastIntToChar "cast_int_to_char" Pure (Int) -> Char;
    CastUniCharToInt "cast_unichar_to_int" Pure (UniChar) -> Int;
    CastIntToUniChar "cast_int_to_unichar" Pure (Int) -> UniChar;
    CastCharToUniChar "cast_char_to_unichar" Pure (Char) -> UniChar;
    CastIntToUint "cast_int_to_uint" Pure (Int) -> Uint;
    CastUintToInt "cast_uint_to_int" Pure (Uint) -> Int;
    CastUintToFloat "cast_uint_to_float" Pure (Uint) -> Float;
    CastPointer "cast_pointer" Pure (Ptr) -> Ptr;
    CastPtrToInt "cast_ptr_to_int" Pure (Ptr) -> Int;
    CastIntToPtr "cast_int_to_ptr" Pure (Int) -> Ptr;
    CastFloatToWord "cast_float_to_word" Pure (Float) -> Int;
    CastWordToFloat "cast_word_to_float" Pure (Int) -> Float;
    SameAs "same_as" Pure (Any) -> Any;
    PtrEq "ptr_eq" Pure (Ptr, Ptr) -> Bool;
    PtrNe "ptr_ne" Pure (Ptr, Ptr) -> Bool;
    PtrIsNull "ptr_iszero" Pure (Ptr) -> Bool;
    PtrNonNull "ptr_nonzero" Pure (Ptr) -> Bool;
    Malloc "malloc" Alloc () -> Ptr;
    MallocVarsize "malloc_varsize" Alloc (Int) -> Ptr;
    GetArrayItem "getarrayitem" Read (Ptr, Int) -> Any;
    SetArrayItem "setarrayitem" Write (Ptr, Int, Any) -> Void;
    GetArrayLength "getarraysize" Read (Ptr) -> Int;
    DirectCall "direct_call" Call (Any) -> Any;
    IndirectCall "indirect_call" Call (Ptr) -> Any;
    ExcOccurred "exc_occurred" ExcState () -> Bool;
    ExcType "exc_type" ExcState () -> Ptr;
    ExcValue "exc_value" ExcState () -> Ptr;
    ExcClear "exc_clear" ExcState () -> Void;
    ExcRestore "exc_restore" ExcState (Ptr, Ptr) -> Void;
    // GC only: the ops the GC transform introduces (see `kiln_transform::gc`); the llinterp
    // never sees them.
    // `adr_add(address, bytes) -> address`.
    AdrAdd "adr_add" Pure (Ptr, Int) -> Ptr;
    // `adr_le(a, b)`: unsigned address comparison.
    AdrLe "adr_le" Pure (Ptr, Ptr) -> Bool;
    // The collector's bump pointer, `kiln_gc_<name>_free`.
    GcLoadFree "gc_load_free" Read () -> Ptr;
    // The end of the bump-allocation window, `kiln_gc_<name>_top`.
    GcLoadTop "gc_load_top" Read () -> Ptr;
    GcStoreFree "gc_store_free" Write (Ptr) -> Void;
    // `gc_init_object(address) -> *T`: writes the header of a new `T` at the address.
    GcInitObject "gc_init_object" Write (Ptr) -> Ptr;
    // `gc_init_varsize(address, length) -> *T`: writes the header and the length.
    GcInitVarsize "gc_init_varsize" Write (Ptr, Int) -> Ptr;
    // `gc_malloc_slow(size) -> *T`: the out-of-line allocation of a fixed-size `T`.
    GcMallocSlow "gc_malloc_slow" Alloc (Int) -> Ptr;
    // `gc_malloc_varsize_slow(length) -> *T`.
    GcMallocVarsizeSlow "gc_malloc_varsize_slow" Alloc (Int) -> Ptr;
    // `gc_write_barrier(obj)`: before a store of a GC pointer into `obj`; the backend
    // inlines the flag test and calls the collector's `_wb` when it is set.
    GcWriteBarrier "gc_write_barrier" Write (Ptr) -> Void;
    // `gc_write_barrier_array(obj, index)`: the same before a store into item `index`
    // of an array that may have cards.
    GcWriteBarrierArray "gc_write_barrier_array" Write (Ptr, Int) -> Void;
    // JIT hints (`kiln.jit`); see `docs/jit-hints.md`. Outside JIT code each is nothing or
    // the identity.
    // `jit_promote(x) -> x`: x (an int, float or GC pointer) becomes a trace constant
    // behind a guard.
    JitPromote "jit_promote" Hint (Any) -> Any;
    // `jit_promote_string(s) -> s`: the same for a string, compared by value.
    JitPromoteString "jit_promote_string" Hint (Ptr) -> Ptr;
    // `jit_we_are_jitted() -> bool`: false, except in code the JIT compiled.
    JitWeAreJitted "jit_we_are_jitted" Hint () -> Bool;
    // `jit_isconstant(x) -> bool`: whether x is a trace constant; false outside the JIT.
    JitIsConstant "jit_isconstant" Hint (Any) -> Bool;
    // `jit_isvirtual(x) -> bool`: whether x is a virtual object; false outside the JIT.
    JitIsVirtual "jit_isvirtual" Hint (Any) -> Bool;
    // `jit_assert_green(x)`: x must be a trace constant when tracing.
    JitAssertGreen "jit_assert_green" Hint (Any) -> Void;
    // JIT portal only (`--jit`): `jit_active() -> bool` reads the JIT runtime's
    // `kiln_jit_active` flag; when it is false (`KILN_JIT=off`) the rewritten portal skips
    // the merge point's call.
    JitActive "jit_active" Read () -> Bool;
}

impl LlOp {
    /// The op's facts. Calls report the conservative answer.
    pub fn info(self) -> OpInfo {
        if let Some((name, effect, _, _)) = self.simple() {
            let (can_raise, can_collect) = match self {
                LlOp::DirectCall | LlOp::IndirectCall => (true, true),
                LlOp::Malloc | LlOp::MallocVarsize => (true, true),
                LlOp::GcMallocSlow | LlOp::GcMallocVarsizeSlow => (true, true),
                _ => (false, false),
            };
            return OpInfo { name, effect, can_raise, can_collect };
        }
        match self {
            LlOp::GetField(_) => OpInfo { name: "getfield", effect: Effect::Read, can_raise: false, can_collect: false },
            LlOp::SetField(_) => OpInfo { name: "setfield", effect: Effect::Write, can_raise: false, can_collect: false },
            LlOp::GetInteriorItem(_) => OpInfo { name: "getinteriorfield", effect: Effect::Read, can_raise: false, can_collect: false },
            LlOp::SetInteriorItem(_) => OpInfo { name: "setinteriorfield", effect: Effect::Write, can_raise: false, can_collect: false },
            LlOp::GetInteriorLength(_) => OpInfo { name: "getinteriorarraysize", effect: Effect::Read, can_raise: false, can_collect: false },
            LlOp::RtCall(f) => {
                let i = f.info();
                OpInfo {
                    name: "rt_call",
                    effect: if i.elidable && !i.can_collect { Effect::Pure } else { Effect::Call },
                    can_raise: i.can_raise,
                    can_collect: i.can_collect,
                }
            }
            LlOp::GcPushFrame(_) => OpInfo { name: "gc_push_frame", effect: Effect::Write, can_raise: false, can_collect: false },
            LlOp::GcPopFrame(_) => OpInfo { name: "gc_pop_frame", effect: Effect::Write, can_raise: false, can_collect: false },
            LlOp::GcSaveRoot(_) => OpInfo { name: "gc_save_root", effect: Effect::Write, can_raise: false, can_collect: false },
            LlOp::GcLoadRoot(_) => OpInfo { name: "gc_load_root", effect: Effect::Read, can_raise: false, can_collect: false },
            LlOp::JitMergePoint(_) => OpInfo { name: "jit_merge_point", effect: Effect::Hint, can_raise: false, can_collect: false },
            LlOp::JitCanEnterJit(_) => OpInfo { name: "jit_can_enter_jit", effect: Effect::Hint, can_raise: false, can_collect: false },
            LlOp::JitHint(_) => OpInfo { name: "jit_hint", effect: Effect::Hint, can_raise: false, can_collect: false },
            LlOp::JitValueStore(_) => OpInfo { name: "jit_value_store", effect: Effect::Write, can_raise: false, can_collect: false },
            LlOp::JitValueLoad(_) => OpInfo { name: "jit_value_load", effect: Effect::Read, can_raise: false, can_collect: false },
            LlOp::JitMergePointCall(_) => OpInfo { name: "jit_merge_point_call", effect: Effect::Call, can_raise: true, can_collect: true },
            LlOp::JitEnterSet(_) => OpInfo { name: "jit_enter_set", effect: Effect::Write, can_raise: false, can_collect: false },
            LlOp::JitEnterTake(_) => OpInfo { name: "jit_enter_take", effect: Effect::Write, can_raise: false, can_collect: false },
            _ => unreachable!("every payload-free op is in the table"),
        }
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Argument kinds and result kind, for ops with a fixed signature.
    pub fn signature(self) -> Option<(&'static [Kind], Kind)> {
        self.simple().map(|(_, _, a, r)| (a, r))
    }

    pub fn is_call(self) -> bool {
        matches!(self, LlOp::DirectCall | LlOp::IndirectCall | LlOp::RtCall(_))
    }

    /// Whether the op is a JIT hint (`jit_*`): nothing or the identity outside the JIT.
    pub fn is_jit_hint(self) -> bool {
        self.info().effect == Effect::Hint
    }

    /// Whether only the JIT portal rewrite (`--jit`) produces this op: only the LLVM
    /// backend runs it, linked with the JIT runtime; the llinterp refuses it.
    pub fn is_jit_portal_only(self) -> bool {
        matches!(self, LlOp::JitActive | LlOp::JitValueStore(_) | LlOp::JitValueLoad(_) | LlOp::JitMergePointCall(_) | LlOp::JitEnterSet(_) | LlOp::JitEnterTake(_))
    }

    /// Whether only the GC transform produces this op (so only the backend runs it).
    pub fn is_gc_only(self) -> bool {
        matches!(
            self,
            LlOp::GcPushFrame(_)
                | LlOp::GcPopFrame(_)
                | LlOp::GcSaveRoot(_)
                | LlOp::GcLoadRoot(_)
                | LlOp::AdrAdd
                | LlOp::AdrLe
                | LlOp::GcLoadFree
                | LlOp::GcLoadTop
                | LlOp::GcStoreFree
                | LlOp::GcInitObject
                | LlOp::GcInitVarsize
                | LlOp::GcMallocSlow
                | LlOp::GcMallocVarsizeSlow
                | LlOp::GcWriteBarrier
                | LlOp::GcWriteBarrierArray
        )
    }

    /// Whether the op may be removed when its result is unused.
    pub fn is_removable(self) -> bool {
        match self.info().effect {
            Effect::Pure | Effect::Read => true,
            Effect::Alloc => true,
            _ => false,
        }
    }
}
