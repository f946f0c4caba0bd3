//! The runtime library's entry points that generated code may call, with their
//! signatures and effects. The runtime (`runtime/`) defines each symbol; the llinterp
//! calls the same functions; the backend declares them by symbol.

use crate::ops::Kind;

/// Facts about one runtime function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RtInfo {
    pub symbol: &'static str,
    pub args: &'static [Kind],
    pub ret: Kind,
    /// May set the exception state.
    pub can_raise: bool,
    /// May allocate, and so run the GC.
    pub can_collect: bool,
    /// The result depends only on the arguments (strings being immutable) and it has no
    /// visible side effect: calls with equal arguments may be shared or folded.
    pub elidable: bool,
}

macro_rules! rt_fns {
    ( $( $(#[$doc:meta])* $variant:ident $symbol:literal ( $($arg:ident),* ) -> $res:ident [ $($flag:ident),* ] ; )* ) => {
        /// A runtime library function.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RtFn {
            $( $(#[$doc])* $variant, )*
        }

        impl RtFn {
            pub const ALL: &'static [RtFn] = &[ $( RtFn::$variant, )* ];

            pub fn info(self) -> RtInfo {
                match self {
                    $( RtFn::$variant => {
                        #[allow(unused_mut)]
                        let mut i = RtInfo { symbol: $symbol, args: &[$(Kind::$arg),*], ret: Kind::$res, can_raise: false, can_collect: false, elidable: false };
                        $( rt_fns!(@flag i $flag); )*
                        i
                    } )*
                }
            }
        }
    };
    (@flag $i:ident raise) => { $i.can_raise = true; };
    (@flag $i:ident collect) => { $i.can_collect = true; };
    (@flag $i:ident elidable) => { $i.elidable = true; };
}

rt_fns! {
    // GC
    /// `kiln.rgc.collect()`: a full collection by the program's collector.
    GcCollect "kiln_gc_collect" () -> Void [collect];
    /// Allocates a zeroed fixed-size GC object: (type id, size in bytes). Returns null
    /// with MemoryError set when the heap is exhausted.
    GcMalloc "kiln_gc_malloc" (Int, Int) -> Ptr [raise, collect];
    /// Allocates a zeroed variable-size GC object: (type id, total size, length, offset
    /// of the length word), storing the length. Null with MemoryError set on exhaustion.
    GcMallocVarsize "kiln_gc_malloc_varsize" (Int, Int, Int, Int) -> Ptr [raise, collect];
    /// Appends a string to the stdout buffer.
    OutStr "kiln_out_str" (Ptr) -> Void [];
    /// Appends the decimal form of an int to the stdout buffer.
    OutInt "kiln_out_int" (Int) -> Void [];
    /// Appends one code point, UTF-8 encoded, to the stdout buffer.
    OutChar "kiln_out_char" (UniChar) -> Void [];
    /// Appends `repr(float)` to the stdout buffer.
    OutFloat "kiln_out_float" (Float) -> Void [];
    /// `str(int)`.
    StrFromInt "kiln_str_from_int" (Int) -> Ptr [collect, elidable];
    /// `int(s, base)`: raises ValueError on bad input.
    StrToInt "kiln_str_to_int" (Ptr, Int) -> Int [raise, elidable];
    /// String equality.
    StrEq "kiln_str_eq" (Ptr, Ptr) -> Bool [elidable];
    /// Three-way comparison of code-point sequences: negative, zero or positive.
    StrCmp "kiln_str_cmp" (Ptr, Ptr) -> Int [elidable];
    /// Concatenation.
    StrConcat "kiln_str_concat" (Ptr, Ptr) -> Ptr [collect, elidable];
    /// A one-character string for a code point (prebuilt for ASCII).
    StrFromChar "kiln_str_from_char" (UniChar) -> Ptr [collect, elidable];
    /// The code point at a code-point index, which must be in range.
    StrCharAt "kiln_str_char_at" (Ptr, Int) -> UniChar [elidable];
    /// `str(r_uint)`.
    StrFromUint "kiln_str_from_uint" (Uint) -> Ptr [collect, elidable];
    /// `str(float)` / `repr(float)`: the shortest string that reads back as the float.
    StrFromFloat "kiln_str_from_float" (Float) -> Ptr [collect, elidable];
    /// `float(s)`: raises ValueError on bad input.
    StrToFloat "kiln_str_to_float" (Ptr) -> Float [raise, elidable];
    /// Makes a list's items array hold at least `n` items (list, n, the array's GC type
    /// id); the length does not change. Over-allocates, as CPython and RPython do.
    ListResize "kiln_list_resize" (Ptr, Int, Int) -> Void [raise, collect];
    /// Checks the stack depth; raises RecursionError when it is too deep.
    StackCheck "kiln_stack_check" () -> Void [raise];
}
