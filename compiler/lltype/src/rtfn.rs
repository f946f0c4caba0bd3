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
    /// May set the exception state. Implied by `can_collect` (MemoryError).
    pub can_raise: bool,
    /// May allocate, and so run the GC. Implied by `can_raise` (raising allocates the
    /// exception instance).
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
                        #[allow(unused_mut, unused_assignments)]
                        let mut allocates_to_raise = false;
                        $( rt_fns!(@flag i allocates_to_raise $flag); )*
                        // Raising allocates the exception object (except for the
                        // preallocated ones, `raise_prebuilt`), and allocating can fail
                        // with MemoryError: each effect implies the other.
                        i.can_collect |= allocates_to_raise;
                        i.can_raise |= i.can_collect;
                        i
                    } )*
                }
            }
        }
    };
    (@flag $i:ident $a:ident raise) => { $i.can_raise = true; $a = true; };
    // Raises only exception instances the runtime allocated at startup: no allocation.
    (@flag $i:ident $a:ident raise_prebuilt) => { $i.can_raise = true; };
    (@flag $i:ident $a:ident collect) => { $i.can_collect = true; };
    (@flag $i:ident $a:ident elidable) => { $i.elidable = true; };
}

rt_fns! {
    // GC
    /// `kiln.rgc.collect()`: a full collection by the program's collector.
    GcCollect "kiln_gc_collect" () -> Void [collect];
    GcSetEnabled "kiln_gc_set_enabled" (Bool) -> Void [];
    GcIsEnabled "kiln_gc_isenabled" () -> Bool [];
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
    // Strings. Indices are code points; `start`/`end` of find/count/index are Python's
    // (negative from the end, clamped), with i64::MAX meaning "to the end".
    /// `s[start:stop]` for normalised bounds `0 <= start <= stop <= len(s)`.
    StrSlice "kiln_str_slice" (Ptr, Int, Int) -> Ptr [collect, elidable];
    /// `s[start:stop:step]` with Python's normalisation (ValueError for step 0); the
    /// bounds use i64::MIN for "absent".
    StrSliceStep "kiln_str_slice_step" (Ptr, Int, Int, Int) -> Ptr [raise, collect, elidable];
    /// `s * n` (empty for n <= 0).
    StrMul "kiln_str_mul" (Ptr, Int) -> Ptr [raise, collect, elidable];
    StrContains "kiln_str_contains" (Ptr, Ptr) -> Bool [elidable];
    StrFind "kiln_str_find" (Ptr, Ptr, Int, Int) -> Int [elidable];
    StrRFind "kiln_str_rfind" (Ptr, Ptr, Int, Int) -> Int [elidable];
    StrCount "kiln_str_count" (Ptr, Ptr, Int, Int) -> Int [elidable];
    /// `s.index(sub)`: ValueError "substring not found".
    StrIndex "kiln_str_index" (Ptr, Ptr, Int, Int) -> Int [raise, elidable];
    /// `s.startswith(prefix, start, end)`, bounds as for find (0 and i64::MAX when absent).
    StrStartsWith "kiln_str_startswith" (Ptr, Ptr, Int, Int) -> Bool [elidable];
    StrEndsWith "kiln_str_endswith" (Ptr, Ptr, Int, Int) -> Bool [elidable];
    /// strip/lstrip/rstrip: (s, chars or null for whitespace, 0 both / 1 left / 2 right).
    StrStrip "kiln_str_strip" (Ptr, Ptr, Int) -> Ptr [collect, elidable];
    /// `s.split(sep, maxsplit)`: sep null splits on whitespace runs; ValueError for an
    /// empty sep; maxsplit -1 for no limit. Returns a LIST_OF_STR.
    StrSplit "kiln_str_split" (Ptr, Ptr, Int) -> Ptr [raise, collect];
    StrRsplit "kiln_str_rsplit" (Ptr, Ptr, Int) -> Ptr [raise, collect];
    /// `sep.join(list_of_str)`.
    StrJoin "kiln_str_join" (Ptr, Ptr) -> Ptr [collect];
    /// `sep.join(chars)` for a list of chars (code points in word slots).
    StrJoinChars "kiln_str_join_chars" (Ptr, Ptr) -> Ptr [collect];
    /// `s.replace(old, new, count)`, count -1 for all.
    StrReplace "kiln_str_replace" (Ptr, Ptr, Ptr, Int) -> Ptr [collect, elidable];
    StrLower "kiln_str_lower" (Ptr) -> Ptr [collect, elidable];
    StrUpper "kiln_str_upper" (Ptr) -> Ptr [collect, elidable];
    StrIsDigit "kiln_str_isdigit" (Ptr) -> Bool [elidable];
    StrIsAlpha "kiln_str_isalpha" (Ptr) -> Bool [elidable];
    StrIsAlnum "kiln_str_isalnum" (Ptr) -> Bool [elidable];
    StrIsSpace "kiln_str_isspace" (Ptr) -> Bool [elidable];
    /// `hash(s)`, cached in the string.
    StrHash "kiln_str_hash" (Ptr) -> Int [elidable];

    // Values described by a TypeDesc (kiln_abi::TypeDesc), passed as 8-byte words.
    /// `repr(v)`.
    Repr "kiln_repr" (Int, Ptr) -> Ptr [collect];
    /// `format(v, spec)` (the format-spec mini-language, for f-strings and `%`).
    Format "kiln_format" (Int, Ptr, Ptr) -> Ptr [raise, collect];
    /// `fmt % {k0: v0, ...}` with a format known at run time: (fmt, the record
    /// `(k0, v0, k1, v1, ...)` as a word, its tuple desc). KeyError, ValueError, TypeError
    /// or OverflowError as CPython raises them.
    PercentMapping "kiln_percent_mapping" (Ptr, Int, Ptr) -> Ptr [raise, collect];
    PercentTuple "kiln_percent_tuple" (Ptr, Int, Ptr) -> Ptr [raise, collect];
    /// `hash(v)`.
    Hash "kiln_hash" (Int, Ptr) -> Int [];
    /// `compute_hash(v)`: `hash(v)`, but 0 for None (RPython's).
    ComputeHash "kiln_compute_hash" (Int, Ptr) -> Int [];
    /// `a == b`.
    Eq "kiln_eq" (Int, Int, Ptr) -> Bool [];
    /// Three-way comparison: negative, zero or positive.
    Cmp "kiln_cmp" (Int, Int, Ptr) -> Int [raise];

    // Lists (items are 8-byte words; allocating helpers take GC type ids).
    /// Moves `count` items within a list: (list, dst, src, count).
    ListMove "kiln_list_move" (Ptr, Int, Int, Int) -> Void [];
    /// Copies items: (dst list, dst index, src list, src index, count).
    ListCopyFrom "kiln_list_copy_from" (Ptr, Int, Ptr, Int, Int) -> Void [];
    ListReverse "kiln_list_reverse" (Ptr) -> Void [];
    /// Stable sort: (list, item desc, reverse). Its merge buffer is a GC array: MemoryError
    /// before the list is touched when it cannot be allocated.
    ListSort "kiln_list_sort" (Ptr, Ptr, Int) -> Void [raise];
    /// Index of the first item equal to word from start, or -1: (list, word, desc, start).
    ListFind "kiln_list_find" (Ptr, Int, Ptr, Int) -> Int [];
    ListCount "kiln_list_count" (Ptr, Int, Ptr) -> Int [];
    /// min or max item: (list, desc, want max); ValueError on an empty list.
    ListMinMax "kiln_list_minmax" (Ptr, Ptr, Int) -> Int [raise];
    ListSumInt "kiln_list_sum_int" (Ptr) -> Int [];
    ListSumFloat "kiln_list_sum_float" (Ptr) -> Float [];
    /// `l[start:stop:step]`: (list, start, stop, step, list tid, array tid); bounds use
    /// i64::MIN for "absent"; ValueError for step 0.
    ListSlice "kiln_list_slice" (Ptr, Int, Int, Int, Int, Int) -> Ptr [raise, collect];
    /// `l[start:stop] = other`: (list, start, stop, other, array tid).
    ListSetSlice "kiln_list_setslice" (Ptr, Int, Int, Ptr, Int) -> Void [raise, collect];
    /// `a + b`: (a, b, list tid, array tid).
    ListConcat "kiln_list_concat" (Ptr, Ptr, Int, Int) -> Ptr [raise, collect];
    /// `l * n`: (list, n, list tid, array tid).
    ListMul "kiln_list_mul" (Ptr, Int, Int, Int) -> Ptr [raise, collect];
    /// `list(range(start, stop, step))`: (start, stop, step, list tid, array tid).
    ListRange "kiln_list_range" (Int, Int, Int, Int, Int) -> Ptr [raise, collect];

    // Dicts (kiln_abi::RDict; keys and values are words described by the dict's desc).
    /// A new empty dict: (desc, dict tid).
    DictNew "kiln_dict_new" (Ptr, Int) -> Ptr [raise, collect];
    /// `d[k]`: KeyError when missing.
    DictGetItem "kiln_dict_getitem" (Ptr, Int) -> Int [raise];
    DictSetItem "kiln_dict_setitem" (Ptr, Int, Int) -> Void [raise, collect];
    DictDelItem "kiln_dict_delitem" (Ptr, Int) -> Void [raise];
    DictContains "kiln_dict_contains" (Ptr, Int) -> Bool [];
    /// `d.get(k, default)`.
    DictGet "kiln_dict_get" (Ptr, Int, Int) -> Int [];
    DictSetDefault "kiln_dict_setdefault" (Ptr, Int, Int) -> Int [raise, collect];
    /// `d.pop(k)`: KeyError when missing.
    DictPop "kiln_dict_pop" (Ptr, Int) -> Int [raise];
    DictPopDefault "kiln_dict_pop_default" (Ptr, Int, Int) -> Int [];
    DictClear "kiln_dict_clear" (Ptr) -> Void [];
    DictCopy "kiln_dict_copy" (Ptr) -> Ptr [raise, collect];
    DictUpdate "kiln_dict_update" (Ptr, Ptr) -> Void [raise, collect];
    /// The position of the next live entry at or after `pos`, or -1.
    DictNext "kiln_dict_next" (Ptr, Int) -> Int [];
    DictKeyAt "kiln_dict_key_at" (Ptr, Int) -> Int [];
    DictValueAt "kiln_dict_value_at" (Ptr, Int) -> Int [];
    /// `list(d.keys())` / `list(d.values())`: (dict, list tid, array tid).
    DictKeys "kiln_dict_keys" (Ptr, Int, Int) -> Ptr [raise, collect];
    DictValues "kiln_dict_values" (Ptr, Int, Int) -> Ptr [raise, collect];

    // Floats and math, with CPython's errors.
    FloatFloorDiv "kiln_float_floordiv" (Float, Float) -> Float [raise];
    FloatMod "kiln_float_mod" (Float, Float) -> Float [raise];
    FloatPow "kiln_float_pow" (Float, Float) -> Float [raise];
    MathSqrt "kiln_math_sqrt" (Float) -> Float [raise];
    MathExp "kiln_math_exp" (Float) -> Float [raise];
    MathLog "kiln_math_log" (Float) -> Float [raise];
    MathSin "kiln_math_sin" (Float) -> Float [raise];
    MathCos "kiln_math_cos" (Float) -> Float [raise];
    MathTan "kiln_math_tan" (Float) -> Float [raise];
    MathAtan2 "kiln_math_atan2" (Float, Float) -> Float [];
    MathFmod "kiln_math_fmod" (Float, Float) -> Float [raise];
    MathCopysign "kiln_math_copysign" (Float, Float) -> Float [];
    MathFloor "kiln_math_floor" (Float) -> Int [raise];
    MathCeil "kiln_math_ceil" (Float) -> Int [raise];

    // Files (kiln.os) and time (kiln.time). Errors raise OSError(errno, strerror).
    /// Writes a str's UTF-8 bytes; fd 1 goes through the stdout buffer.
    OsWrite "kiln_os_write" (Int, Ptr) -> Int [raise];
    /// Reads up to n bytes (flushing stdout first when fd is 0) and decodes them.
    OsRead "kiln_os_read" (Int, Int) -> Ptr [raise, collect];
    /// `os.read(fd, n)`: the bytes read, as the str whose code points are the bytes.
    OsReadBytes "kiln_os_read_bytes" (Int, Int) -> Ptr [raise, collect];
    /// `os.write(fd, b)` of a bytes value: writes its bytes.
    OsWriteBytes "kiln_os_write_bytes" (Int, Ptr) -> Int [raise];
    /// `repr(b)` of a bytes value: `b'...'`.
    BytesRepr "kiln_bytes_repr" (Ptr) -> Ptr [collect, elidable];
    /// `b.decode(codec, "replace")`: UTF-8, or ASCII when the flag is set.
    BytesDecodeReplace "kiln_bytes_decode_replace" (Ptr, Bool) -> Ptr [collect, elidable];
    OsOpen "kiln_os_open" (Ptr, Int, Int) -> Int [raise];
    OsClose "kiln_os_close" (Int) -> Void [raise];
    /// The whole contents of a file.
    OsReadFile "kiln_os_read_file" (Ptr) -> Ptr [raise, collect];
    TimeTime "kiln_time_time" () -> Float [];
    TimeClock "kiln_time_clock" () -> Float [];

    /// Checks the stack depth; raises RecursionError when it is too deep, with an
    /// instance allocated at startup, so that the check never collects (it sits on entry
    /// to every recursive function).
    StackCheck "kiln_stack_check" () -> Void [raise_prebuilt];
}
