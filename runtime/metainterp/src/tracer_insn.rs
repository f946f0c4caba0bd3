//! The tracer's instructions: each jitcode instruction executed on the concrete values
//! and recorded as its trace op (the mapping is Contract 4 in the module doc of
//! `tracer.rs`). Pure ops are computed with the semantics the LLVM backend gives the
//! same lltype ops (Python's floor division and modulo, shift counts masked to 0..63,
//! truncating char casts), so a traced iteration computes what the interpreter would.

use jit::descr::DescrId;
use jit::ir::{Const, Type, Value};
use jit::opcode::OpCode;
use kiln_jitcode::{insn, Bank, DecodedArg, DescrKind, ExtraEffect};

use crate::tracer::{const_of, CallSite, Machine, Reg, Stop, TFrame, Tracer};
use crate::tracer_descr::bank_type;

type R<T> = Result<T, String>;

/// The concrete result of a pure instruction on its arguments' bits; `None` when the
/// instruction is not a pure one.
pub fn eval_pure(name: &str, a: &[u64]) -> Option<u64> {
    let i = |k: usize| a[k] as i64;
    let f = |k: usize| f64::from_bits(a[k]);
    let b = |x: bool| x as u64;
    let fl = |x: f64| x.to_bits();
    Some(match (name, a.len()) {
        ("int_add" | "uint_add", 2) => i(0).wrapping_add(i(1)) as u64,
        ("int_sub" | "uint_sub", 2) => i(0).wrapping_sub(i(1)) as u64,
        ("int_mul" | "uint_mul", 2) => i(0).wrapping_mul(i(1)) as u64,
        ("int_floordiv", 2) => {
            let (x, y) = (i(0), i(1));
            if y == 0 {
                0
            } else if y == -1 {
                x.wrapping_neg() as u64
            } else {
                let q = x / y;
                (if x % y != 0 && ((x % y) ^ y) < 0 { q - 1 } else { q }) as u64
            }
        }
        ("int_mod", 2) => {
            let (x, y) = (i(0), i(1));
            if y == 0 || y == -1 {
                0
            } else {
                let r = x % y;
                (if r != 0 && (r ^ y) < 0 { r + y } else { r }) as u64
            }
        }
        ("uint_floordiv", 2) => a[0].checked_div(a[1]).unwrap_or(0),
        ("uint_mod", 2) => a[0].checked_rem(a[1]).unwrap_or(0),
        ("int_and" | "uint_and", 2) => a[0] & a[1],
        ("int_or" | "uint_or", 2) => a[0] | a[1],
        ("int_xor" | "uint_xor", 2) => a[0] ^ a[1],
        ("int_lshift" | "uint_lshift", 2) => a[0] << (a[1] & 63),
        ("int_rshift", 2) => (i(0) >> (a[1] & 63)) as u64,
        ("uint_rshift", 2) => a[0] >> (a[1] & 63),
        ("int_eq" | "uint_eq" | "bool_eq" | "char_eq" | "unichar_eq", 2) => b(a[0] == a[1]),
        ("int_ne" | "uint_ne" | "unichar_ne", 2) => b(a[0] != a[1]),
        ("int_lt", 2) => b(i(0) < i(1)),
        ("int_le", 2) => b(i(0) <= i(1)),
        ("int_gt", 2) => b(i(0) > i(1)),
        ("int_ge", 2) => b(i(0) >= i(1)),
        ("uint_lt" | "char_lt" | "unichar_lt", 2) => b(a[0] < a[1]),
        ("uint_le" | "unichar_le", 2) => b(a[0] <= a[1]),
        ("uint_gt" | "unichar_gt", 2) => b(a[0] > a[1]),
        ("uint_ge" | "unichar_ge", 2) => b(a[0] >= a[1]),
        ("int_add_overflows", 2) => b(i(0).checked_add(i(1)).is_none()),
        ("int_sub_overflows", 2) => b(i(0).checked_sub(i(1)).is_none()),
        ("int_mul_overflows", 2) => b(i(0).checked_mul(i(1)).is_none()),
        ("int_between", 3) => b(i(0) <= i(1) && i(1) < i(2)),
        ("int_neg", 1) => i(0).wrapping_neg() as u64,
        ("int_abs", 1) => i(0).wrapping_abs() as u64,
        ("int_invert" | "uint_invert", 1) => !a[0],
        ("int_is_true", 1) => b(a[0] != 0),
        ("bool_not", 1) => b(a[0] == 0),
        ("cast_bool_to_int" | "cast_char_to_int" | "cast_unichar_to_int" | "cast_char_to_unichar" | "cast_int_to_uint" | "cast_uint_to_int", 1) => a[0],
        ("cast_int_to_char", 1) => a[0] & 0xff,
        ("cast_int_to_unichar", 1) => a[0] & 0xffff_ffff,
        ("float_add", 2) => fl(f(0) + f(1)),
        ("float_sub", 2) => fl(f(0) - f(1)),
        ("float_mul", 2) => fl(f(0) * f(1)),
        ("float_truediv", 2) => fl(f(0) / f(1)),
        ("float_neg", 1) => fl(-f(0)),
        ("float_abs", 1) => fl(f(0).abs()),
        ("float_eq", 2) => b(f(0) == f(1)),
        ("float_ne", 2) => b(f(0) != f(1)),
        ("float_lt", 2) => b(f(0) < f(1)),
        ("float_le", 2) => b(f(0) <= f(1)),
        ("float_gt", 2) => b(f(0) > f(1)),
        ("float_ge", 2) => b(f(0) >= f(1)),
        ("float_is_true", 1) => b(f(0) != 0.0),
        ("cast_bool_to_float" | "cast_uint_to_float", 1) => fl(a[0] as f64),
        ("cast_int_to_float", 1) => fl(i(0) as f64),
        ("cast_float_to_int", 1) => (f(0) as i64) as u64,
        ("cast_float_to_word" | "cast_word_to_float", 1) => a[0],
        ("ptr_eq", 2) => b(a[0] == a[1]),
        ("ptr_ne", 2) => b(a[0] != a[1]),
        ("ptr_iszero", 1) => b(a[0] == 0),
        ("ptr_nonzero", 1) => b(a[0] != 0),
        ("cast_ptr_to_int" | "cast_int_to_ptr", 1) => a[0],
        _ => return None,
    })
}

/// How a pure instruction is recorded when an argument is a box.
enum PureRec {
    /// The value is the argument's (casts between int kinds of the same bits).
    Same,
    /// A trace op of the same arguments.
    Op(OpCode),
    /// A trace op with a constant last argument added.
    OpWith(OpCode, Const),
    /// `int_lshift`-like: the count is masked to 0..63 first.
    Shift(OpCode),
    /// `int_between(a, b, c)`: `int_le(a, b) & int_lt(b, c)`.
    Between,
}

fn pure_rec(name: &str) -> Option<PureRec> {
    use OpCode as O;
    let same_bits = |n: &str| n.strip_prefix("uint_").map(|rest| format!("int_{rest}"));
    Some(match name {
        "cast_bool_to_int" | "cast_char_to_int" | "cast_unichar_to_int" | "cast_char_to_unichar" | "cast_int_to_uint" | "cast_uint_to_int" => PureRec::Same,
        "int_lshift" | "uint_lshift" => PureRec::Shift(O::IntLshift),
        "int_rshift" => PureRec::Shift(O::IntRshift),
        "uint_rshift" => PureRec::Shift(O::UintRshift),
        "bool_not" => PureRec::Op(O::IntIsZero),
        "bool_eq" | "char_eq" | "unichar_eq" | "uint_eq" => PureRec::Op(O::IntEq),
        "unichar_ne" | "uint_ne" => PureRec::Op(O::IntNe),
        // Chars and code points are non-negative: signed and unsigned order agree.
        "char_lt" | "unichar_lt" => PureRec::Op(O::IntLt),
        "unichar_le" => PureRec::Op(O::IntLe),
        "unichar_gt" => PureRec::Op(O::IntGt),
        "unichar_ge" => PureRec::Op(O::IntGe),
        "uint_add" | "uint_sub" | "uint_mul" | "uint_and" | "uint_or" | "uint_xor" | "uint_invert" => PureRec::Op(O::from_name(&same_bits(name)?)?),
        "cast_int_to_char" => PureRec::OpWith(O::IntAnd, Const::Int(0xff)),
        "cast_int_to_unichar" => PureRec::OpWith(O::IntAnd, Const::Int(0xffff_ffff)),
        "float_is_true" => PureRec::OpWith(O::FloatNe, Const::Float(0)),
        "cast_bool_to_float" => PureRec::Op(O::CastIntToFloat),
        "ptr_iszero" => O::from_name("ptr_iszero").map_or(PureRec::OpWith(O::PtrEq, Const::Ref(0)), PureRec::Op),
        "ptr_nonzero" => O::from_name("ptr_nonzero").map_or(PureRec::OpWith(O::PtrNe, Const::Ref(0)), PureRec::Op),
        "int_between" => O::from_name("int_between").map_or(PureRec::Between, PureRec::Op),
        // Everything else under its own name, when the trace IR has it.
        _ => PureRec::Op(O::from_name(name)?),
    })
}

fn descr_of(d: &insn::Decoded) -> R<u16> {
    d.args.iter().find_map(|a| if let DecodedArg::Descr(x) = a { Some(*x) } else { None }).ok_or_else(|| format!("`{}` without descriptor", d.opcode.name()))
}

fn label_of(d: &insn::Decoded, k: usize) -> R<u32> {
    match d.args.get(k) {
        Some(DecodedArg::Label(l)) => Ok(*l),
        _ => Err(format!("`{}`: operand {k} is not a label", d.opcode.name())),
    }
}

/// The trace op reading a field/item of bank `b` (`getfield_gc_` + i/r/f).
fn by_bank(prefix: &str, b: Bank) -> Option<OpCode> {
    OpCode::from_name(&format!("{prefix}{}", b.letter()))
}

impl<M: Machine> Tracer<'_, M> {
    pub(crate) fn arg(&self, d: &insn::Decoded, k: usize) -> R<Reg> {
        match d.args.get(k) {
            Some(DecodedArg::Reg(b, r)) => self.get(*b, *r),
            _ => Err(format!("`{}`: operand {k} is not a register", d.opcode.name())),
        }
    }

    fn list(&self, d: &insn::Decoded, k: usize) -> R<Vec<Reg>> {
        match d.args.get(k) {
            Some(DecodedArg::List(b, regs)) => regs.iter().map(|&r| self.get(*b, r)).collect(),
            _ => Err(format!("`{}`: operand {k} is not a list", d.opcode.name())),
        }
    }

    fn write_result(&mut self, d: &insn::Decoded, v: Reg) -> R<()> {
        let (b, r) = d.result.ok_or_else(|| format!("`{}` has no result", d.opcode.name()))?;
        self.set(b, r, v)
    }

    /// Runs until the outermost frame reaches a merge point, the portal returns or an
    /// exception leaves it. `Err` only for malformed jitcodes.
    pub fn run(&mut self) -> R<Stop> {
        if std::mem::take(&mut self.pending) {
            if let Some(stop) = self.raise_pending()? {
                return Ok(stop);
            }
        }
        loop {
            let f = self.frame();
            let d = insn::decode(&self.jitcode(f).code, f.pc)?;
            self.cur_pc = d.pc;
            if d.opcode.name() == "jit_merge_point" && self.frames.len() == 1 {
                self.promote_greens(&d)?;
                return Ok(Stop::MergePoint);
            }
            self.frame_mut().pc = d.next;
            if let Some(stop) = self.step(&d)? {
                return Ok(stop);
            }
        }
    }

    /// Greens are constants at a merge point: a green that is a box gets a `guard_value`.
    fn promote_greens(&mut self, d: &insn::Decoded) -> R<()> {
        for s in self.slots.clone() {
            if s.green && self.jitcode(self.frame()).is_register(s.bank, s.operand) {
                let v = self.get(s.bank, s.operand)?;
                let _ = d;
                self.promote(s.bank, v);
            }
        }
        Ok(())
    }

    /// Whether a `loop_header` ran since the last call; clears it.
    pub fn take_loop_header(&mut self) -> bool {
        std::mem::take(&mut self.seen_loop_header)
    }

    /// Goes on past the merge point the outermost frame stopped at.
    pub fn pass_merge_point(&mut self) -> R<()> {
        let f = self.frame();
        let d = insn::decode(&self.jitcode(f).code, f.pc)?;
        self.frame_mut().pc = d.next;
        self.debug_merge_point();
        Ok(())
    }

    fn step(&mut self, d: &insn::Decoded) -> R<Option<Stop>> {
        let name = d.opcode.name();
        match name {
            "live" => {
                let Some(DecodedArg::Live(t)) = d.args.first() else { return Err("malformed live".into()) };
                self.frame_mut().last_live = Some(*t);
            }
            "goto" => self.frame_mut().pc = label_of(d, 0)?,
            "goto_if_not" => {
                let c = self.arg(d, 0)?;
                if !c.is_const() {
                    let op = if c.c != 0 { OpCode::GuardTrue } else { OpCode::GuardFalse };
                    self.guard_here(op, vec![c.t]);
                }
                if c.c == 0 {
                    self.frame_mut().pc = label_of(d, 1)?;
                }
            }
            "switch" => {
                let v = self.arg(d, 0)?;
                let Some(DecodedArg::Switch(cases)) = d.args.get(1) else { return Err("malformed switch".into()) };
                let v = self.promote(Bank::Int, v);
                if let Some(&(_, target)) = cases.iter().find(|(k, _)| *k as u64 == v.c) {
                    self.frame_mut().pc = target;
                }
            }
            "int_return" | "ref_return" | "float_return" => {
                let v = self.arg(d, 0)?;
                return self.do_return(Some(v));
            }
            "void_return" => return self.do_return(None),
            "catch_exception" => {}
            "goto_if_exception_mismatch" => {
                let cls = self.arg(d, 0)?;
                let (ety, _) = self.exc.ok_or("goto_if_exception_mismatch without an exception")?;
                if !self.m.is_subclass(ety, cls.c) {
                    self.frame_mut().pc = label_of(d, 1)?;
                }
            }
            "last_exception" => {
                let (ety, _) = self.exc.ok_or("last_exception without an exception")?;
                self.write_result(d, Reg::constant(Const::Int(ety as i64)))?;
            }
            "last_exc_value" => {
                let (_, v) = self.exc.ok_or("last_exc_value without an exception")?;
                self.write_result(d, v)?;
            }
            "raise" => {
                let v = self.arg(d, 0)?;
                let cls = self.m.class_of(v.c);
                if !v.is_const() {
                    // The handlers test the class: make it known.
                    self.guard_here(OpCode::GuardClass, vec![v.t, Value::Const(Const::Int(cls as i64))]);
                }
                self.exc = Some((cls, v));
                return self.unwind(true);
            }
            "reraise" => {
                self.exc.ok_or("reraise without an exception")?;
                return self.unwind(true);
            }
            "int_copy" | "ref_copy" | "float_copy" => {
                let v = self.arg(d, 0)?;
                self.write_result(d, v)?;
            }
            "loop_header" => self.seen_loop_header = true,
            // A merge point of an inner frame (an inlined recursive portal call).
            "jit_merge_point" => {}
            "int_guard_value" | "ref_guard_value" | "float_guard_value" => {
                let Some(DecodedArg::Reg(b, _)) = d.args.first() else { return Err("malformed guard_value".into()) };
                let v = self.arg(d, 0)?;
                self.promote(*b, v);
            }
            "str_guard_value" => {
                let v = self.arg(d, 0)?;
                if !v.is_const() {
                    self.abort("promote_string is not traced yet");
                }
                self.write_result(d, v)?;
            }
            "int_isconstant" | "ref_isconstant" | "float_isconstant" => {
                let v = self.arg(d, 0)?;
                self.write_result(d, Reg::constant(Const::Int(v.is_const() as i64)))?;
            }
            "ref_isvirtual" => self.write_result(d, Reg::constant(Const::Int(0)))?,
            "int_assert_green" | "ref_assert_green" | "float_assert_green" => {
                if !self.arg(d, 0)?.is_const() {
                    self.abort("assert_green of a value that is not constant");
                }
            }
            _ if name.starts_with("getfield_") || name.starts_with("setfield_") || name.starts_with("getarrayitem_") || name.starts_with("setarrayitem_") || name.starts_with("arraylen_") => self.heap(d)?,
            "new" | "new_array" => return self.alloc(d),
            _ if name.starts_with("residual_call_") => return self.residual_call(d),
            _ if name.starts_with("inline_call_") => self.inline_call(d)?,
            _ => self.pure(d)?,
        }
        Ok(None)
    }

    fn pure(&mut self, d: &insn::Decoded) -> R<()> {
        let name = d.opcode.name();
        let args: Vec<Reg> = (0..d.args.len()).map(|k| self.arg(d, k)).collect::<R<_>>()?;
        let bits: Vec<u64> = args.iter().map(|a| a.c).collect();
        let c = eval_pure(name, &bits).ok_or_else(|| format!("the tracer does not know the instruction `{name}`"))?;
        let (rb, _) = d.result.ok_or_else(|| format!("`{name}` without result"))?;
        // The address of a constant object is not a constant under a moving collector:
        // the cast is recorded, and runs on the object's current address.
        let moving_addr = name == "cast_ptr_to_int" && bits.first().is_some_and(|&p| p != 0) && self.m.moving();
        let v = if (args.iter().all(Reg::is_const) && !moving_addr) || !self.recording {
            Reg::constant(const_of(rb, c))
        } else {
            let vals: Vec<Value> = args.iter().map(|a| a.t).collect();
            let ty = Some(bank_type(rb));
            match pure_rec(name) {
                Some(PureRec::Same) => Reg { c, t: args[0].t },
                Some(PureRec::Op(op)) => self.result(rb, c, op, vals, None),
                Some(PureRec::OpWith(op, k)) => self.result(rb, c, op, vec![vals[0], Value::Const(k)], None),
                Some(PureRec::Shift(op)) => {
                    let count = match vals[1] {
                        Value::Const(Const::Int(n)) => Value::Const(Const::Int(n & 63)),
                        v => self.record(OpCode::IntAnd, vec![v, Value::int(63)], None, Some(Type::Int)).map_or(Value::int((bits[1] & 63) as i64), Value::Box),
                    };
                    self.result(rb, c, op, vec![vals[0], count], None)
                }
                Some(PureRec::Between) => {
                    let lo = self.record(OpCode::IntLe, vec![vals[0], vals[1]], None, ty);
                    let hi = self.record(OpCode::IntLt, vec![vals[1], vals[2]], None, ty);
                    match (lo, hi) {
                        (Some(lo), Some(hi)) => self.result(rb, c, OpCode::IntAnd, vec![Value::Box(lo), Value::Box(hi)], None),
                        _ => Reg::constant(const_of(rb, c)),
                    }
                }
                None => {
                    self.abort(format!("no trace op for `{name}`"));
                    Reg::constant(const_of(rb, c))
                }
            }
        };
        self.write_result(d, v)
    }

    fn heap(&mut self, d: &insn::Decoded) -> R<()> {
        let name = d.opcode.name();
        let di = descr_of(d)?;
        let descr = self.prog.set.descrs.get(di as usize).ok_or("descriptor out of range")?;
        let id = Some(DescrId(di as u32));
        let gc = name.contains("_gc");
        match &descr.kind {
            DescrKind::Field(fd) if name.starts_with("getfield_") => {
                let obj = self.arg(d, 0)?;
                let c = self.m.getfield(obj.c, fd);
                let fold = obj.is_const() && fd.mutability == kiln_jitcode::Mutability::Immutable;
                let v = if fold || !self.recording {
                    Reg::constant(const_of(fd.bank, c))
                } else if let Some(op) = by_bank(if gc { "getfield_gc_" } else { "getfield_raw_" }, fd.bank) {
                    self.result(fd.bank, c, op, vec![obj.t], id)
                } else {
                    self.abort(format!("no trace op for `{name}`"));
                    Reg::constant(const_of(fd.bank, c))
                };
                self.write_result(d, v)
            }
            DescrKind::Field(fd) if name.starts_with("setfield_") => {
                let (obj, val) = (self.arg(d, 0)?, self.arg(d, 1)?);
                self.m.setfield(obj.c, fd, val.c);
                match OpCode::from_name(if gc { "setfield_gc" } else { "setfield_raw" }) {
                    Some(op) => {
                        self.record(op, vec![obj.t, val.t], id, None);
                    }
                    None => self.abort(format!("no trace op for `{name}`")),
                }
                Ok(())
            }
            DescrKind::Array(ad) if name.starts_with("getarrayitem_") => {
                let (arr, idx) = (self.arg(d, 0)?, self.arg(d, 1)?);
                let c = self.m.getarrayitem(arr.c, idx.c as i64, ad);
                let fold = arr.is_const() && idx.is_const() && ad.immutable_items;
                let v = if fold || !self.recording {
                    Reg::constant(const_of(ad.item_bank, c))
                } else if let Some(op) = by_bank(if gc { "getarrayitem_gc_" } else { "getarrayitem_raw_" }, ad.item_bank) {
                    self.result(ad.item_bank, c, op, vec![arr.t, idx.t], id)
                } else {
                    self.abort(format!("no trace op for `{name}`"));
                    Reg::constant(const_of(ad.item_bank, c))
                };
                self.write_result(d, v)
            }
            DescrKind::Array(ad) if name.starts_with("setarrayitem_") => {
                let (arr, idx, val) = (self.arg(d, 0)?, self.arg(d, 1)?, self.arg(d, 2)?);
                self.m.setarrayitem(arr.c, idx.c as i64, ad, val.c);
                match OpCode::from_name(if gc { "setarrayitem_gc" } else { "setarrayitem_raw" }) {
                    Some(op) => {
                        self.record(op, vec![arr.t, idx.t, val.t], id, None);
                    }
                    None => self.abort(format!("no trace op for `{name}`")),
                }
                Ok(())
            }
            DescrKind::Array(ad) if name.starts_with("arraylen_") => {
                let arr = self.arg(d, 0)?;
                let c = self.m.arraylen(arr.c, ad) as u64;
                // A length never changes: a constant array's is a constant.
                let v = if arr.is_const() || !self.recording {
                    Reg::constant(Const::Int(c as i64))
                } else if let Some(op) = OpCode::from_name(name) {
                    self.result(Bank::Int, c, op, vec![arr.t], id)
                } else {
                    self.abort(format!("no trace op for `{name}`"));
                    Reg::constant(Const::Int(c as i64))
                };
                self.write_result(d, v)
            }
            _ => Err(format!("`{name}` with a {} descriptor", descr.kind_name())),
        }
    }

    fn alloc(&mut self, d: &insn::Decoded) -> R<Option<Stop>> {
        let di = descr_of(d)?;
        let descr = &self.prog.set.descrs.get(di as usize).ok_or("descriptor out of range")?.kind;
        let id = Some(DescrId(di as u32));
        let (c, op, args) = match (d.opcode.name(), descr) {
            ("new", DescrKind::Size(sd)) => (self.collecting(|m| m.new(sd)), OpCode::New, vec![]),
            ("new_array", DescrKind::Array(ad)) => {
                let len = self.arg(d, 0)?;
                (self.collecting(|m| m.new_array(ad, len.c as i64)), OpCode::NewArray, vec![len.t])
            }
            _ => return Err(format!("`{}` with the wrong descriptor", d.opcode.name())),
        };
        if c == 0 {
            // MemoryError is pending.
            self.abort("an allocation failed");
            return self.raise_pending();
        }
        let v = self.result(Bank::Ref, c, op, args, id);
        self.write_result(d, v)?;
        Ok(None)
    }

    /// The machine's pending exception becomes the one the tracer dispatches, from the
    /// current instruction (a call or an allocation) of the current frame.
    fn raise_pending(&mut self) -> R<Option<Stop>> {
        let (ety, ev) = self.m.exception();
        self.m.clear_exception();
        self.exc = Some((ety, Reg::constant(Const::Ref(ev))));
        self.unwind(false)
    }

    /// A residual call's function and arguments, in the C order its descriptor gives.
    fn call_args(&self, d: &insn::Decoded, cd: &kiln_jitcode::CallDescr) -> R<(Vec<Reg>, [Vec<Reg>; 3])> {
        let addr = self.arg(d, 0)?;
        let lists = [self.list(d, 1)?, self.list(d, 2)?, self.list(d, 3)?];
        let mut next = [0usize; 3];
        let mut ordered = vec![addr];
        for b in &cd.args {
            let r = lists[b.index()].get(next[b.index()]).ok_or("a residual call with fewer arguments than its descriptor")?;
            next[b.index()] += 1;
            ordered.push(*r);
        }
        Ok((ordered, lists))
    }

    fn residual_call(&mut self, d: &insn::Decoded) -> R<Option<Stop>> {
        let di = descr_of(d)?;
        let DescrKind::Call(cd) = &self.prog.set.descrs.get(di as usize).ok_or("descriptor out of range")?.kind else {
            return Err("residual call without a call descriptor".into());
        };
        let (ordered, [ints, refs, floats]) = self.call_args(d, cd)?;
        let addr = ordered[0];
        let ci: Vec<i64> = ints.iter().map(|r| r.c as i64).collect();
        let cr: Vec<u64> = refs.iter().map(|r| r.c).collect();
        let cf: Vec<u64> = floats.iter().map(|r| r.c).collect();
        let result = self.collecting(|m| m.call(addr.c, cd, &ci, &cr, &cf));
        // A moving collection may have moved the arguments: read them again.
        let (ordered, _) = self.call_args(d, cd)?;
        let (ety, _) = self.m.exception();
        let raised = ety != 0;
        let elidable = cd.effect.extra == ExtraEffect::Elidable;
        let all_const = ordered.iter().all(Reg::is_const);
        let rb = cd.result;
        let mut res = rb.map(|b| Reg::constant(const_of(b, result)));
        if elidable && all_const && !raised {
            // Same arguments, same result: nothing to record.
        } else if self.recording {
            let op = match (elidable, rb) {
                (true, Some(b)) => by_bank("call_pure_", b),
                (true, None) => Some(OpCode::CallPureN),
                (false, Some(b)) => by_bank("call_", b),
                (false, None) => Some(OpCode::CallN),
            }
            .ok_or("no call op")?;
            let args: Vec<Value> = ordered.iter().map(|r| r.t).collect();
            let bx = self.record(op, args, Some(DescrId(di as u32)), rb.map(bank_type));
            if let Some(bx) = bx {
                res = Some(Reg { c: result, t: Value::Box(bx) });
            }
        }
        if raised {
            if self.recording {
                // The call was recorded (a folded one does not raise). When the guard
                // fails because the call did *not* raise, the frame resumes after the
                // call on its normal path, which reads the result: the snapshot must
                // hold the call's result box in the result register, not that
                // register's old value.
                if let (Some(r), Some((b, reg))) = (res, d.result) {
                    if Some(b) == rb {
                        self.set(b, reg, r)?;
                    }
                }
                match self.snapshot_after_call(d.next) {
                    Ok(r) => {
                        let (_, ev) = self.m.exception();
                        let bx = self.record_guard(OpCode::GuardException, vec![Value::Const(Const::Int(ety as i64))], r, Some(Type::Ref));
                        self.m.clear_exception();
                        self.exc = Some((ety, Reg { c: ev, t: bx.map_or(Value::Const(Const::Ref(ev)), Value::Box) }));
                        return self.unwind(false);
                    }
                    Err(e) => self.abort(e),
                }
            }
            return self.raise_pending();
        }
        if let (Some(r), Some((b, reg))) = (res, d.result) {
            if Some(b) != rb {
                return Err("a residual call whose result bank differs from its descriptor's".into());
            }
            self.set(b, reg, r)?;
        }
        if self.recording && cd.effect.can_raise && !(elidable && all_const) {
            match self.snapshot_after_call(d.next) {
                Ok(r) => {
                    self.record_guard(OpCode::GuardNoException, vec![], r, None);
                }
                Err(e) => self.abort(e),
            }
        }
        Ok(None)
    }

    fn inline_call(&mut self, d: &insn::Decoded) -> R<()> {
        let Some(DecodedArg::JitCode(j)) = d.args.first() else { return Err("malformed inline call".into()) };
        let callee = self.prog.set.jitcodes.get(*j as usize).ok_or("inline call of a jitcode that does not exist")?;
        let lists = [self.list(d, 1)?, self.list(d, 2)?, self.list(d, 3)?];
        let mut regs = [0, 1, 2].map(|b| vec![Reg::zero(Bank::ALL[b]); callee.num_regs[b] as usize]);
        for b in 0..3 {
            if lists[b].len() > regs[b].len() {
                return Err(format!("inline call of `{}` with too many arguments", callee.name));
            }
            regs[b][..lists[b].len()].copy_from_slice(&lists[b]);
        }
        let live_after = self.live_at(self.frame(), d.next);
        self.frame_mut().call = Some(CallSite { pc: d.pc, next: d.next, result: d.result, live_after });
        self.frames.push(TFrame { jitcode: *j, pc: 0, regs, last_live: None, call: None });
        if self.frames.len() > 1000 {
            // The interpreter's own recursion is deeper than anything worth tracing.
            self.abort("inlining too deep");
        }
        Ok(())
    }

    fn do_return(&mut self, v: Option<Reg>) -> R<Option<Stop>> {
        if self.frames.len() == 1 {
            self.abort("the portal returned");
            return Ok(Some(Stop::Return(v.map_or(0, |r| r.c))));
        }
        self.frames.pop();
        let f = self.frame_mut();
        let site = f.call.take().ok_or("a return to a frame that did not call")?;
        f.pc = site.next;
        match (site.result, v) {
            (Some((b, r)), Some(v)) => self.set(b, r, v)?,
            (None, _) => {}
            (Some(_), None) => return Err("a void return to a call that expects a result".into()),
        }
        Ok(None)
    }

    /// Dispatches `self.exc`: to a `catch_exception` after the current instruction (when
    /// not `leaving` the frame), else out to the callers' handlers; out of the portal, it
    /// becomes pending and the portal raises it.
    fn unwind(&mut self, mut leaving: bool) -> R<Option<Stop>> {
        loop {
            if !leaving {
                let f = self.frame();
                let mut pc = f.pc;
                let code = &self.jitcode(f).code;
                let mut dd = insn::decode(code, pc)?;
                if dd.opcode.name() == "live" {
                    pc = dd.next;
                    dd = insn::decode(code, pc)?;
                }
                if dd.opcode.name() == "catch_exception" {
                    let target = label_of(&dd, 0)?;
                    self.frame_mut().pc = target;
                    return Ok(None);
                }
            }
            if self.frames.len() == 1 {
                let (cls, v) = self.exc.take().ok_or("unwinding without an exception")?;
                self.m.set_exception(cls, v.c);
                self.abort("an exception left the portal");
                return Ok(Some(Stop::Raise));
            }
            self.frames.pop();
            let f = self.frame_mut();
            let site = f.call.take().ok_or("unwinding to a frame that did not call")?;
            f.pc = site.next;
            leaving = false;
        }
    }
}

