//! The instruction table and the decoder.
//!
//! An instruction is one opcode byte followed by its operands. Each opcode has a *key*
//! `name/codes`, as in RPython's assembler: the codes before `>` say what operands follow,
//! the code after `>` the bank of the result register (absent: no result).
//!
//! | code | operand | bytes |
//! |---|---|---|
//! | `i` `r` `f` | a register or constant of the int, ref or float bank | u16 |
//! | `I` `R` `F` | a list of those | u8 count, then u16 each |
//! | `L` | a label: a byte offset in the same jitcode | u32 |
//! | `d` | a descriptor of the set | u16 |
//! | `j` | a jitcode of the set | u16 |
//! | `T` | an entry of the jitcode's liveness table | u16 |
//! | `S` | a switch table: `(value, label)` pairs | u16 count, then i64 and u32 each |
//! | `c` | a small immediate (a driver number) | u8 |
//!
//! A register operand below the bank's register count names a register; the ones from
//! the count on name the bank's constants in order (`%i3` against `$5`), as RPython does,
//! so constants need no instructions of their own. A result is always a register.
//! Integers are little-endian.

use std::fmt;

/// Every instruction, by opcode (its index). Append only: the index is the byte form.
pub const INSNS: &[&str] = &[
    // Control flow and liveness.
    "live/T",
    "goto/L",
    "goto_if_not/iL",
    "switch/iS",
    "int_return/i",
    "ref_return/r",
    "float_return/f",
    "void_return/",
    // Exceptions: `catch_exception L` follows an instruction that can raise, and jumps to
    // L when it did; the handler tests classes and reads the exception.
    "catch_exception/L",
    "goto_if_exception_mismatch/iL",
    "last_exception/>i",
    "last_exc_value/>r",
    "raise/r",
    "reraise/",
    // Moves.
    "int_copy/i>i",
    "ref_copy/r>r",
    "float_copy/f>f",
    // Integer arithmetic and comparisons (bools, chars and code points are ints).
    "int_add/ii>i",
    "int_sub/ii>i",
    "int_mul/ii>i",
    "int_floordiv/ii>i",
    "int_mod/ii>i",
    "int_and/ii>i",
    "int_or/ii>i",
    "int_xor/ii>i",
    "int_lshift/ii>i",
    "int_rshift/ii>i",
    "int_eq/ii>i",
    "int_ne/ii>i",
    "int_lt/ii>i",
    "int_le/ii>i",
    "int_gt/ii>i",
    "int_ge/ii>i",
    "int_add_overflows/ii>i",
    "int_sub_overflows/ii>i",
    "int_mul_overflows/ii>i",
    "int_between/iii>i",
    "int_neg/i>i",
    "int_abs/i>i",
    "int_invert/i>i",
    "int_is_true/i>i",
    "uint_add/ii>i",
    "uint_sub/ii>i",
    "uint_mul/ii>i",
    "uint_floordiv/ii>i",
    "uint_mod/ii>i",
    "uint_and/ii>i",
    "uint_or/ii>i",
    "uint_xor/ii>i",
    "uint_invert/i>i",
    "uint_lshift/ii>i",
    "uint_rshift/ii>i",
    "uint_eq/ii>i",
    "uint_ne/ii>i",
    "uint_lt/ii>i",
    "uint_le/ii>i",
    "uint_gt/ii>i",
    "uint_ge/ii>i",
    "bool_not/i>i",
    "bool_eq/ii>i",
    "char_eq/ii>i",
    "char_lt/ii>i",
    "unichar_eq/ii>i",
    "unichar_ne/ii>i",
    "unichar_lt/ii>i",
    "unichar_le/ii>i",
    "unichar_gt/ii>i",
    "unichar_ge/ii>i",
    "cast_bool_to_int/i>i",
    "cast_char_to_int/i>i",
    "cast_int_to_char/i>i",
    "cast_unichar_to_int/i>i",
    "cast_int_to_unichar/i>i",
    "cast_char_to_unichar/i>i",
    "cast_int_to_uint/i>i",
    "cast_uint_to_int/i>i",
    // Floats.
    "float_add/ff>f",
    "float_sub/ff>f",
    "float_mul/ff>f",
    "float_truediv/ff>f",
    "float_neg/f>f",
    "float_abs/f>f",
    "float_eq/ff>i",
    "float_ne/ff>i",
    "float_lt/ff>i",
    "float_le/ff>i",
    "float_gt/ff>i",
    "float_ge/ff>i",
    "float_is_true/f>i",
    "cast_bool_to_float/i>f",
    "cast_int_to_float/i>f",
    "cast_uint_to_float/i>f",
    "cast_float_to_int/f>i",
    "cast_float_to_word/f>i",
    "cast_word_to_float/i>f",
    // GC references.
    "ptr_eq/rr>i",
    "ptr_ne/rr>i",
    "ptr_iszero/r>i",
    "ptr_nonzero/r>i",
    "cast_ptr_to_int/r>i",
    "cast_int_to_ptr/i>r",
    // Fields of GC objects and of raw (non-GC, prebuilt) structs such as vtables.
    "getfield_gc_i/rd>i",
    "getfield_gc_r/rd>r",
    "getfield_gc_f/rd>f",
    "setfield_gc_i/rid",
    "setfield_gc_r/rrd",
    "setfield_gc_f/rfd",
    "getfield_raw_i/id>i",
    "getfield_raw_r/id>r",
    "getfield_raw_f/id>f",
    "setfield_raw_i/iid",
    "setfield_raw_r/ird",
    "setfield_raw_f/ifd",
    // Array items and lengths (standalone arrays and the inline array of a struct).
    "getarrayitem_gc_i/rid>i",
    "getarrayitem_gc_r/rid>r",
    "getarrayitem_gc_f/rid>f",
    "setarrayitem_gc_i/riid",
    "setarrayitem_gc_r/rird",
    "setarrayitem_gc_f/rifd",
    "arraylen_gc/rd>i",
    "getarrayitem_raw_i/iid>i",
    "getarrayitem_raw_r/iid>r",
    "getarrayitem_raw_f/iid>f",
    "arraylen_raw/id>i",
    // Allocation: a size descriptor, or an array descriptor and a length.
    "new/d>r",
    "new_array/id>r",
    // Calls. Residual: the function's address, its arguments by bank, a call descriptor.
    // Inline: a jitcode of the set and its arguments by bank.
    "residual_call_i/iIRFd>i",
    "residual_call_r/iIRFd>r",
    "residual_call_f/iIRFd>f",
    "residual_call_v/iIRFd",
    "inline_call_i/jIRF>i",
    "inline_call_r/jIRF>r",
    "inline_call_f/jIRF>f",
    "inline_call_v/jIRF",
    // JIT hints: the portal's merge point (driver, greens by bank, reds by bank), a
    // user-level back jump (`can_enter_jit`), and `promote`.
    "jit_merge_point/cIRFIRF",
    "loop_header/c",
    "int_guard_value/i",
    "ref_guard_value/r",
    "float_guard_value/f",
    // More hints: `promote_string` (a guard on the string's value, compared by contents),
    // `isconstant`, `isvirtual`, `assert_green`.
    "str_guard_value/r>r",
    "int_isconstant/i>i",
    "ref_isconstant/r>i",
    "float_isconstant/f>i",
    "ref_isvirtual/r>i",
    "int_assert_green/i",
    "ref_assert_green/r",
    "float_assert_green/f",
];

/// An operand code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgCode {
    Reg(crate::Bank),
    List(crate::Bank),
    Label,
    Descr,
    JitCode,
    Live,
    Switch,
    Imm,
}

impl ArgCode {
    fn from_char(c: char) -> Option<ArgCode> {
        use crate::Bank::*;
        Some(match c {
            'i' => ArgCode::Reg(Int),
            'r' => ArgCode::Reg(Ref),
            'f' => ArgCode::Reg(Float),
            'I' => ArgCode::List(Int),
            'R' => ArgCode::List(Ref),
            'F' => ArgCode::List(Float),
            'L' => ArgCode::Label,
            'd' => ArgCode::Descr,
            'j' => ArgCode::JitCode,
            'T' => ArgCode::Live,
            'S' => ArgCode::Switch,
            'c' => ArgCode::Imm,
            _ => return None,
        })
    }
}

/// An instruction's key (`int_add/ii>i`) taken apart.
struct OpMeta {
    name: &'static str,
    args: Vec<ArgCode>,
    result: Option<crate::Bank>,
}

impl OpMeta {
    fn parse(key: &'static str) -> OpMeta {
        let (name, codes) = key.split_once('/').unwrap_or((key, ""));
        let (before, after) = codes.split_once('>').unwrap_or((codes, ""));
        OpMeta {
            name,
            args: before.chars().map(|c| ArgCode::from_char(c).expect("INSNS holds only valid codes")).collect(),
            result: after.chars().next().and_then(crate::Bank::from_char),
        }
    }
}

/// An opcode: an index into [`INSNS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Opcode(pub u8);

impl Opcode {
    /// The opcode with this key (`int_add/ii>i`).
    pub fn from_key(key: &str) -> Option<Opcode> {
        INSNS.iter().position(|k| *k == key).map(|i| Opcode(i as u8))
    }

    pub fn key(self) -> &'static str {
        INSNS[self.0 as usize]
    }

    pub fn name(self) -> &'static str {
        self.meta().name
    }

    /// What the key says, parsed once per opcode: the tracer and the blackhole
    /// interpreter ask it at every instruction they decode.
    fn meta(self) -> &'static OpMeta {
        static META: std::sync::OnceLock<Vec<OpMeta>> = std::sync::OnceLock::new();
        &META.get_or_init(|| INSNS.iter().map(|k| OpMeta::parse(k)).collect())[self.0 as usize]
    }

    /// The operand codes, in order.
    pub fn args(self) -> Vec<ArgCode> {
        self.arg_codes().to_vec()
    }

    /// The operand codes, in order, without allocating.
    pub fn arg_codes(self) -> &'static [ArgCode] {
        &self.meta().args
    }

    /// The bank of the result register, if the instruction has a result.
    pub fn result(self) -> Option<crate::Bank> {
        self.meta().result
    }

    /// Whether execution never falls through to the next instruction.
    pub fn is_terminator(self) -> bool {
        matches!(self.name(), "goto" | "int_return" | "ref_return" | "float_return" | "void_return" | "raise" | "reraise")
    }

    /// Whether the instruction may raise (so `catch_exception` may follow it).
    pub fn can_raise(self) -> bool {
        let n = self.name();
        n.starts_with("residual_call") || n.starts_with("inline_call") || n == "new" || n == "new_array"
    }
}

impl fmt::Display for Opcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One decoded operand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodedArg {
    Reg(crate::Bank, u16),
    List(crate::Bank, Vec<u16>),
    Label(u32),
    Descr(u16),
    JitCode(u16),
    Live(u16),
    Switch(Vec<(i64, u32)>),
    Imm(u8),
}

/// One decoded instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub pc: u32,
    pub opcode: Opcode,
    pub args: Vec<DecodedArg>,
    /// The result register, with its bank.
    pub result: Option<(crate::Bank, u16)>,
    /// The offset of the next instruction.
    pub next: u32,
}

struct Reader<'a> {
    code: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let end = self.pos.checked_add(N).filter(|e| *e <= self.code.len()).ok_or_else(|| format!("instruction truncated at byte {}", self.pos))?;
        let mut out = [0u8; N];
        out.copy_from_slice(&self.code[self.pos..end]);
        self.pos = end;
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.take()?))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take()?))
    }
    fn i64(&mut self) -> Result<i64, String> {
        Ok(i64::from_le_bytes(self.take()?))
    }
}

/// Decodes the instruction at `pc`. Malformed code (an unknown opcode, a truncated
/// operand) is an `Err`, never a panic: serialized jitcodes are read without trust.
pub fn decode(code: &[u8], pc: u32) -> Result<Decoded, String> {
    let mut r = Reader { code, pos: pc as usize };
    let op = r.u8()?;
    if op as usize >= INSNS.len() {
        return Err(format!("unknown opcode {op} at {pc}"));
    }
    let opcode = Opcode(op);
    let codes = opcode.arg_codes();
    let mut args = Vec::with_capacity(codes.len());
    for &a in codes {
        args.push(match a {
            ArgCode::Reg(b) => DecodedArg::Reg(b, r.u16()?),
            ArgCode::List(b) => {
                let n = r.u8()?;
                let mut v = Vec::with_capacity(n as usize);
                for _ in 0..n {
                    v.push(r.u16()?);
                }
                DecodedArg::List(b, v)
            }
            ArgCode::Label => DecodedArg::Label(r.u32()?),
            ArgCode::Descr => DecodedArg::Descr(r.u16()?),
            ArgCode::JitCode => DecodedArg::JitCode(r.u16()?),
            ArgCode::Live => DecodedArg::Live(r.u16()?),
            ArgCode::Switch => {
                let n = r.u16()?;
                let mut v = Vec::with_capacity(n as usize);
                for _ in 0..n {
                    let value = r.i64()?;
                    let target = r.u32()?;
                    v.push((value, target));
                }
                DecodedArg::Switch(v)
            }
            ArgCode::Imm => DecodedArg::Imm(r.u8()?),
        });
    }
    let result = match opcode.result() {
        Some(b) => Some((b, r.u16()?)),
        None => None,
    };
    Ok(Decoded { pc, opcode, args, result, next: r.pos as u32 })
}

/// Decodes a whole jitcode body, in order.
pub fn decode_all(code: &[u8]) -> Result<Vec<Decoded>, String> {
    let mut out = Vec::new();
    let mut pc = 0u32;
    while (pc as usize) < code.len() {
        let d = decode(code, pc)?;
        pc = d.next;
        out.push(d);
    }
    Ok(out)
}
