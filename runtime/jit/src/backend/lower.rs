//! Lowering one trace to one Cranelift function: the frame and entry protocol, exits,
//! guards, loops and jumps, and the int, float and memory ops. Calls, allocation, the
//! write barrier, exception guards and keeping references visible to the collector are
//! in `lower_gc.rs`.
//!
//! Boxes become SSA values (`env`); a `label` becomes a loop header block whose
//! parameters are the label's boxes, and `jump` branches back to it (or tail-calls the
//! loop of another trace at its label). Each guard branches to a cold block, filled at
//! the end, that writes the guard's values (captured when the guard was lowered: a
//! reload after a call may rebind a box later) to the frame, counts the failure, and
//! either returns the exit's number or tail-calls the guard's bridge.

use std::collections::{HashMap, HashSet};

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{self, types, BlockArg, InstBuilder, MemFlagsData};
use cranelift_frontend::FunctionBuilder;

use kiln_abi::JitRuntime;

use crate::backend::{BackendError, ExitKind, GuardSlot};
use crate::descr::DescrTable;
use crate::ir::{BoxId, Const, Op, Trace, Type, Value};
use crate::opcode::OpCode;
use crate::resume::ResumeValue;

pub(crate) fn cl_type(ty: Type) -> ir::Type {
    match ty {
        Type::Int | Type::Ref => types::I64,
        Type::Float => types::F64,
    }
}

/// A value an exit writes: an SSA value captured at the guard, or a constant.
#[derive(Clone, Copy)]
pub(crate) enum ExitVal {
    Ssa(ir::Value),
    Const(Const),
}

/// An exit of this trace, numbered locally in order; the backend adds its base.
pub(crate) struct LocalExit {
    pub kind: ExitKind,
    pub op: usize,
    pub values: Vec<Value>,
    pub types: Vec<Type>,
    /// Index into the trace's guard slots (guards only).
    pub slot: Option<usize>,
}

/// What the lowering needs from the backend.
pub(crate) struct Ctx<'a> {
    pub rt: Option<&'static JitRuntime>,
    pub vtable_offset: Option<i32>,
    /// The global number of this trace's first exit.
    pub exit_base: u64,
    /// The trace's guard slots (one per guard, in order).
    pub slots: *mut GuardSlot,
    /// Pool slots of reference constants, when the collector moves objects.
    pub pool: Option<(*mut u64, &'a HashMap<u64, usize>)>,
    /// Loops compiled before: target token number → code address and label types.
    pub targets: &'a HashMap<u32, (u64, Vec<Type>)>,
    /// The `tail` signature of traces, imported into the function.
    pub trace_sig: ir::SigRef,
    /// The calling convention of C-ABI functions.
    pub c_call_conv: cranelift_codegen::isa::CallConv,
}

pub(crate) struct Lower<'a, 'f> {
    pub b: FunctionBuilder<'f>,
    pub trace: &'a Trace,
    pub descrs: &'a DescrTable,
    pub cx: Ctx<'a>,
    pub env: HashMap<BoxId, ir::Value>,
    pub exits: Vec<LocalExit>,
    /// The loop header: its block, its target descriptor and its boxes' types.
    pub header: Option<(ir::Block, crate::descr::DescrId)>,
    /// The block that enters the loop at its label from the frame (entry 1).
    pub label_entry: Option<ir::Block>,
    pub overflow: Option<ir::Value>,
    pub frame: Option<ir::Value>,
    /// The shadow-stack base of this function's GC slots, and how many it has.
    pub shadow: Option<(ir::Value, usize)>,
    /// Index of the last op that uses each box (resume data included).
    pub last_use: HashMap<BoxId, usize>,
    /// Boxes allocated since the last collection point: stores into them need no barrier.
    pub fresh: HashSet<BoxId>,
    /// Guard exit blocks still to fill: block, local exit index, values.
    pub pending: Vec<(ir::Block, usize, Vec<ExitVal>)>,
    /// The block returning the MemoryError exit, made on first need.
    pub memory_error: Option<ir::Block>,
    pub guards: usize,
}

pub(crate) fn unsupported(op: &Op) -> BackendError {
    BackendError::Unsupported(op.opcode.name().to_string())
}

pub(crate) fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

impl<'a, 'f> Lower<'a, 'f> {
    pub fn new(b: FunctionBuilder<'f>, trace: &'a Trace, descrs: &'a DescrTable, cx: Ctx<'a>) -> Lower<'a, 'f> {
        let mut last_use = HashMap::new();
        for (i, op) in trace.ops.iter().enumerate() {
            op.for_each_use(|v| {
                if let Value::Box(b) = v {
                    last_use.insert(b, i);
                }
            });
        }
        Lower {
            b,
            trace,
            descrs,
            cx,
            env: HashMap::new(),
            exits: vec![],
            header: None,
            label_entry: None,
            overflow: None,
            frame: None,
            shadow: None,
            last_use,
            fresh: HashSet::new(),
            pending: vec![],
            memory_error: None,
            guards: 0,
        }
    }

    pub fn frame(&self) -> Result<ir::Value, BackendError> {
        self.frame.ok_or_else(|| BackendError::Malformed("no entry block".into()))
    }

    pub fn val(&mut self, v: Value) -> Result<ir::Value, BackendError> {
        Ok(match v {
            Value::Box(b) => *self.env.get(&b).ok_or_else(|| BackendError::Malformed(format!("box {} undefined", b.0)))?,
            Value::Const(c) => self.constant(c),
        })
    }

    /// A constant; a non-null reference is loaded from its pool slot when the collector
    /// moves objects (the pool is a GC root, so the slot follows the object).
    pub fn constant(&mut self, c: Const) -> ir::Value {
        match c {
            Const::Int(i) => self.b.ins().iconst(types::I64, i),
            Const::Ref(a) => match self.cx.pool {
                Some((pool, slots)) if a != 0 => match slots.get(&a) {
                    Some(&k) => {
                        let at = self.b.ins().iconst(types::I64, pool as i64);
                        self.b.ins().load(types::I64, MemFlagsData::new(), at, (8 * k) as i32)
                    }
                    None => self.b.ins().iconst(types::I64, a as i64),
                },
                _ => self.b.ins().iconst(types::I64, a as i64),
            },
            Const::Float(bits) => self.b.ins().f64const(f64::from_bits(bits)),
        }
    }

    pub fn bool_to_int(&mut self, c: ir::Value) -> ir::Value {
        self.b.ins().uextend(types::I64, c)
    }

    /// Lowers the whole trace. `shadow_slots` GC slots are reserved on the shadow stack
    /// (the most references live across one collection point).
    pub fn trace(&mut self, shadow_slots: usize) -> Result<(), BackendError> {
        let entry = self.b.create_block();
        self.b.append_block_params_for_function_params(entry);
        self.b.switch_to_block(entry);
        let frame = self.b.block_params(entry)[0];
        let selector = self.b.block_params(entry)[1];
        self.frame = Some(frame);
        if shadow_slots > 0 {
            let rt = self.cx.rt.ok_or_else(|| BackendError::Unsupported("references live across a collection point without the runtime".into()))?;
            let top_addr = self.b.ins().iconst(types::I64, rt.root_stack_top as i64);
            let base = self.b.ins().load(types::I64, flags(), top_addr, 0);
            let new_top = self.b.ins().iadd_imm_s(base, 8 * shadow_slots as i64);
            self.b.ins().store(flags(), new_top, top_addr, 0);
            let zero = self.b.ins().iconst(types::I64, 0);
            for k in 0..shadow_slots {
                self.b.ins().store(flags(), zero, base, (8 * k) as i32);
            }
            self.shadow = Some((base, shadow_slots));
        }
        let start = self.b.create_block();
        if self.trace.ops.iter().any(|op| op.opcode == OpCode::Label) {
            let le = self.b.create_block();
            self.label_entry = Some(le);
            self.b.ins().brif(selector, le, &[], start, &[]);
        } else {
            self.b.ins().jump(start, &[]);
        }
        self.b.switch_to_block(start);
        for (k, &input) in self.trace.inputargs.iter().enumerate() {
            let ty = self.trace.box_type(input).ok_or_else(|| BackendError::Malformed("untyped input".into()))?;
            let v = self.b.ins().load(cl_type(ty), flags(), frame, (8 * k) as i32);
            self.env.insert(input, v);
        }
        for (i, op) in self.trace.ops.iter().enumerate() {
            self.op(i, op)?;
        }
        if let Some(le) = self.label_entry {
            let Some((header, _)) = self.header else {
                return Err(BackendError::Malformed("label entry without a label".into()));
            };
            self.b.switch_to_block(le);
            let params: Vec<ir::Type> = self.b.func.dfg.block_params(header).iter().map(|&p| self.b.func.dfg.value_type(p)).collect();
            let mut args = Vec::new();
            for (k, ty) in params.into_iter().enumerate() {
                args.push(BlockArg::Value(self.b.ins().load(ty, flags(), frame, (8 * k) as i32)));
            }
            self.b.ins().jump(header, &args);
        }
        for (fail, i, values) in std::mem::take(&mut self.pending) {
            self.b.switch_to_block(fail);
            self.fill_guard_exit(i, values)?;
        }
        Ok(())
    }

    /// Gives the shadow-stack slots back (before every return and tail call).
    pub fn release_shadow(&mut self) -> Result<(), BackendError> {
        if let (Some((base, _)), Some(rt)) = (self.shadow, self.cx.rt) {
            let top_addr = self.b.ins().iconst(types::I64, rt.root_stack_top as i64);
            self.b.ins().store(flags(), base, top_addr, 0);
        }
        Ok(())
    }

    fn write_values(&mut self, values: &[ExitVal]) -> Result<(), BackendError> {
        let frame = self.frame()?;
        for (k, &v) in values.iter().enumerate() {
            let x = match v {
                ExitVal::Ssa(x) => x,
                ExitVal::Const(c) => self.constant(c),
            };
            self.b.ins().store(flags(), x, frame, (8 * k) as i32);
        }
        Ok(())
    }

    fn return_exit(&mut self, local: usize) {
        let n = self.b.ins().iconst(types::I64, (self.cx.exit_base + local as u64) as i64);
        self.b.ins().return_(&[n]);
    }

    fn types_of(&self, values: &[Value]) -> Result<Vec<Type>, BackendError> {
        values.iter().map(|&v| self.trace.value_type(v).ok_or_else(|| BackendError::Malformed("untyped exit value".into()))).collect()
    }

    /// `finish`: writes its values and returns its exit.
    fn finish(&mut self, op_index: usize, values: Vec<Value>) -> Result<(), BackendError> {
        let vals = values.iter().map(|&v| self.capture(v)).collect::<Result<Vec<_>, _>>()?;
        self.write_values(&vals)?;
        self.release_shadow()?;
        let types = self.types_of(&values)?;
        self.exits.push(LocalExit { kind: ExitKind::Finish, op: op_index, values, types, slot: None });
        self.return_exit(self.exits.len() - 1);
        Ok(())
    }

    /// The exit block of a failing guard: values to the frame, count the failure, then
    /// the bridge if one is attached, else return.
    fn fill_guard_exit(&mut self, local: usize, values: Vec<ExitVal>) -> Result<(), BackendError> {
        self.write_values(&values)?;
        self.release_shadow()?;
        let slot_index = self.exits[local].slot.ok_or_else(|| BackendError::Malformed("guard exit without slot".into()))?;
        // SAFETY: only the address is computed; the slots array has one entry per guard.
        let slot = unsafe { self.cx.slots.add(slot_index) } as i64;
        let at = self.b.ins().iconst(types::I64, slot);
        let n = self.b.ins().load(types::I64, flags(), at, 0);
        let n = self.b.ins().iadd_imm_s(n, 1);
        self.b.ins().store(flags(), n, at, 0);
        let target = self.b.ins().load(types::I64, flags(), at, 8);
        let bridge = self.b.create_block();
        let leave = self.b.create_block();
        self.b.set_cold_block(bridge);
        self.b.set_cold_block(leave);
        self.b.ins().brif(target, bridge, &[], leave, &[]);
        self.b.switch_to_block(leave);
        self.return_exit(local);
        self.b.switch_to_block(bridge);
        let frame = self.frame()?;
        let zero = self.b.ins().iconst(types::I64, 0);
        self.b.ins().return_call_indirect(self.cx.trace_sig, target, &[frame, zero]);
        Ok(())
    }

    fn capture(&mut self, v: Value) -> Result<ExitVal, BackendError> {
        Ok(match v {
            Value::Box(b) => ExitVal::Ssa(*self.env.get(&b).ok_or_else(|| BackendError::Malformed(format!("box {} undefined", b.0)))?),
            Value::Const(c) => ExitVal::Const(c),
        })
    }

    /// A guard: go on when `pass` is non-zero, else leave through a cold block.
    pub fn guard(&mut self, i: usize, op: &Op, pass: ir::Value) -> Result<(), BackendError> {
        let fail = self.fail_block(i, op)?;
        let cont = self.b.create_block();
        self.b.ins().brif(pass, cont, &[], fail, &[]);
        self.b.switch_to_block(cont);
        Ok(())
    }

    /// The cold block through which a guard leaves; the current block stays current.
    pub fn fail_block(&mut self, i: usize, op: &Op) -> Result<ir::Block, BackendError> {
        let resume = op.resume().ok_or_else(|| BackendError::Malformed("guard without resume data".into()))?;
        let mut values = Vec::new();
        for f in &resume.frames {
            for v in &f.values {
                match v {
                    ResumeValue::Value(v) => values.push(*v),
                    ResumeValue::Virtual(_) => return Err(BackendError::Unsupported("virtuals in resume data".into())),
                }
            }
        }
        let captured = values.iter().map(|&v| self.capture(v)).collect::<Result<Vec<_>, _>>()?;
        let types = self.types_of(&values)?;
        let slot = self.guards;
        self.guards += 1;
        self.exits.push(LocalExit { kind: ExitKind::Guard, op: i, values, types, slot: Some(slot) });
        // The block is filled at the end: the builder must not leave a block unfinished.
        let fail = self.b.create_block();
        self.b.set_cold_block(fail);
        self.pending.push((fail, self.exits.len() - 1, captured));
        Ok(fail)
    }

    /// The block that leaves by the MemoryError exit (allocation failed).
    pub fn memory_error_block(&mut self) -> Result<ir::Block, BackendError> {
        if let Some(b) = self.memory_error {
            return Ok(b);
        }
        let cur = self.b.current_block().ok_or_else(|| BackendError::Malformed("no current block".into()))?;
        let blk = self.b.create_block();
        self.b.set_cold_block(blk);
        self.b.switch_to_block(blk);
        self.release_shadow()?;
        self.exits.push(LocalExit { kind: ExitKind::MemoryError, op: usize::MAX, values: vec![], types: vec![], slot: None });
        self.return_exit(self.exits.len() - 1);
        self.b.switch_to_block(cur);
        self.memory_error = Some(blk);
        Ok(blk)
    }

    fn address(&mut self, op: &Op) -> Result<(ir::Value, i32, &'a crate::descr::ArrayDescr), BackendError> {
        let descrs = self.descrs;
        let d = op.descr.and_then(|d| descrs.array(d)).ok_or_else(|| BackendError::Malformed("no array descr".into()))?;
        let base = self.val(op.args[0])?;
        let index = self.val(op.args[1])?;
        let scaled = self.b.ins().imul_imm_s(index, d.item_size as i64);
        let addr = self.b.ins().iadd(base, scaled);
        Ok((addr, d.base_offset as i32, d))
    }

    fn load(&mut self, ty: Type, size: u8, signed: bool, addr: ir::Value, offset: i32) -> Result<ir::Value, BackendError> {
        let f = flags();
        Ok(match (ty, size, signed) {
            (Type::Float, 8, _) => self.b.ins().load(types::F64, f, addr, offset),
            (Type::Int | Type::Ref, 8, _) => self.b.ins().load(types::I64, f, addr, offset),
            (Type::Int, 1, true) => self.b.ins().sload8(types::I64, f, addr, offset),
            (Type::Int, 1, false) => self.b.ins().uload8(types::I64, f, addr, offset),
            (Type::Int, 2, true) => self.b.ins().sload16(types::I64, f, addr, offset),
            (Type::Int, 2, false) => self.b.ins().uload16(types::I64, f, addr, offset),
            (Type::Int, 4, true) => self.b.ins().sload32(f, addr, offset),
            (Type::Int, 4, false) => self.b.ins().uload32(f, addr, offset),
            _ => return Err(BackendError::Unsupported(format!("a {size}-byte {ty:?} in memory"))),
        })
    }

    fn store(&mut self, size: u8, v: ir::Value, addr: ir::Value, offset: i32) -> Result<(), BackendError> {
        let f = flags();
        match size {
            8 => self.b.ins().store(f, v, addr, offset),
            1 => self.b.ins().istore8(f, v, addr, offset),
            2 => self.b.ins().istore16(f, v, addr, offset),
            4 => self.b.ins().istore32(f, v, addr, offset),
            _ => return Err(BackendError::Unsupported(format!("a {size}-byte store"))),
        };
        Ok(())
    }

    /// `int_floordiv`, `int_mod` (Python's: rounding toward negative infinity, as
    /// `kiln_lltype::eval` and the LLVM backend), `uint_floordiv`, `uint_mod`. A divisor
    /// of -1 is replaced by 1 before dividing and the quotient negated (wrapping), since
    /// the division traps on `i64::MIN / -1`; a zero divisor, which the interpreter checks
    /// for before dividing, is replaced by 1 too, so compiled code never traps.
    fn division(&mut self, opcode: OpCode, x: ir::Value, d: ir::Value) -> ir::Value {
        let one = self.b.ins().iconst(types::I64, 1);
        let is_zero = self.b.ins().icmp_imm_s(IntCC::Equal, d, 0);
        match opcode {
            OpCode::UintFloordiv | OpCode::UintMod => {
                let safe = self.b.ins().select(is_zero, one, d);
                if opcode == OpCode::UintFloordiv {
                    self.b.ins().udiv(x, safe)
                } else {
                    self.b.ins().urem(x, safe)
                }
            }
            _ => {
                let is_m1 = self.b.ins().icmp_imm_s(IntCC::Equal, d, -1);
                let replace = self.b.ins().bor(is_m1, is_zero);
                let safe = self.b.ins().select(replace, one, d);
                let q = self.b.ins().sdiv(x, safe);
                let r = self.b.ins().srem(x, safe);
                // Floor: correct when the remainder is non-zero and its sign differs from
                // the divisor's.
                let nonzero = self.b.ins().icmp_imm_s(IntCC::NotEqual, r, 0);
                let signs = self.b.ins().bxor(r, safe);
                let differ = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, signs, 0);
                let adjust = self.b.ins().band(nonzero, differ);
                if opcode == OpCode::IntFloordiv {
                    let adj = self.b.ins().uextend(types::I64, adjust);
                    let q = self.b.ins().isub(q, adj);
                    let neg = self.b.ins().ineg(x);
                    self.b.ins().select(is_m1, neg, q)
                } else {
                    let fixed = self.b.ins().iadd(r, safe);
                    self.b.ins().select(adjust, fixed, r)
                }
            }
        }
    }

    fn op(&mut self, i: usize, op: &Op) -> Result<(), BackendError> {
        use OpCode::*;
        let result: Option<ir::Value> = match op.opcode {
            IntAdd | IntSub | IntMul | IntAnd | IntOr | IntXor | IntLshift | IntRshift | UintRshift => {
                let (x, y) = (self.val(op.args[0])?, self.val(op.args[1])?);
                let ins = self.b.ins();
                Some(match op.opcode {
                    IntAdd => ins.iadd(x, y),
                    IntSub => ins.isub(x, y),
                    IntMul => ins.imul(x, y),
                    IntAnd => ins.band(x, y),
                    IntOr => ins.bor(x, y),
                    IntXor => ins.bxor(x, y),
                    IntLshift => ins.ishl(x, y),
                    IntRshift => ins.sshr(x, y),
                    _ => ins.ushr(x, y),
                })
            }
            IntFloordiv | IntMod | UintFloordiv | UintMod => {
                let (x, y) = (self.val(op.args[0])?, self.val(op.args[1])?);
                Some(self.division(op.opcode, x, y))
            }
            IntNeg => {
                let x = self.val(op.args[0])?;
                Some(self.b.ins().ineg(x))
            }
            IntAbs => {
                let x = self.val(op.args[0])?;
                let neg = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, x, 0);
                let minus = self.b.ins().ineg(x);
                Some(self.b.ins().select(neg, minus, x))
            }
            IntBetween => {
                let (x, y, z) = (self.val(op.args[0])?, self.val(op.args[1])?, self.val(op.args[2])?);
                let lo = self.b.ins().icmp(IntCC::SignedLessThanOrEqual, x, y);
                let hi = self.b.ins().icmp(IntCC::SignedLessThan, y, z);
                let both = self.b.ins().band(lo, hi);
                Some(self.bool_to_int(both))
            }
            IntAddOverflows | IntSubOverflows | IntMulOverflows => {
                let (x, y) = (self.val(op.args[0])?, self.val(op.args[1])?);
                let (_, of) = match op.opcode {
                    IntAddOverflows => self.b.ins().sadd_overflow(x, y),
                    IntSubOverflows => self.b.ins().ssub_overflow(x, y),
                    _ => self.b.ins().smul_overflow(x, y),
                };
                Some(self.bool_to_int(of))
            }
            CastIntToChar | CastIntToUnichar => {
                let x = self.val(op.args[0])?;
                let mask = if op.opcode == CastIntToChar { 0xff } else { 0xffff_ffff };
                Some(self.b.ins().band_imm_s(x, mask))
            }
            PtrIszero | PtrNonzero => {
                let x = self.val(op.args[0])?;
                let cc = if op.opcode == PtrNonzero { IntCC::NotEqual } else { IntCC::Equal };
                let c = self.b.ins().icmp_imm_s(cc, x, 0);
                Some(self.bool_to_int(c))
            }
            // Addresses and references are the same 64-bit words.
            CastPtrToInt | CastIntToPtr => Some(self.val(op.args[0])?),
            IntInvert => {
                let x = self.val(op.args[0])?;
                Some(self.b.ins().bnot(x))
            }
            IntIsTrue | IntIsZero => {
                let x = self.val(op.args[0])?;
                let cc = if op.opcode == IntIsTrue { IntCC::NotEqual } else { IntCC::Equal };
                let c = self.b.ins().icmp_imm_s(cc, x, 0);
                Some(self.bool_to_int(c))
            }
            IntLt | IntLe | IntEq | IntNe | IntGt | IntGe | UintLt | UintLe | UintGt | UintGe | PtrEq | PtrNe => {
                let cc = match op.opcode {
                    IntLt => IntCC::SignedLessThan,
                    IntLe => IntCC::SignedLessThanOrEqual,
                    IntEq | PtrEq => IntCC::Equal,
                    IntNe | PtrNe => IntCC::NotEqual,
                    IntGt => IntCC::SignedGreaterThan,
                    IntGe => IntCC::SignedGreaterThanOrEqual,
                    UintLt => IntCC::UnsignedLessThan,
                    UintLe => IntCC::UnsignedLessThanOrEqual,
                    UintGt => IntCC::UnsignedGreaterThan,
                    _ => IntCC::UnsignedGreaterThanOrEqual,
                };
                let (x, y) = (self.val(op.args[0])?, self.val(op.args[1])?);
                let c = self.b.ins().icmp(cc, x, y);
                Some(self.bool_to_int(c))
            }
            IntAddOvf | IntSubOvf | IntMulOvf => {
                let (x, y) = (self.val(op.args[0])?, self.val(op.args[1])?);
                let (r, of) = match op.opcode {
                    IntAddOvf => self.b.ins().sadd_overflow(x, y),
                    IntSubOvf => self.b.ins().ssub_overflow(x, y),
                    _ => self.b.ins().smul_overflow(x, y),
                };
                self.overflow = Some(of);
                Some(r)
            }
            FloatAdd | FloatSub | FloatMul | FloatTrueDiv => {
                let (x, y) = (self.val(op.args[0])?, self.val(op.args[1])?);
                let ins = self.b.ins();
                Some(match op.opcode {
                    FloatAdd => ins.fadd(x, y),
                    FloatSub => ins.fsub(x, y),
                    FloatMul => ins.fmul(x, y),
                    _ => ins.fdiv(x, y),
                })
            }
            FloatNeg | FloatAbs => {
                let x = self.val(op.args[0])?;
                Some(if op.opcode == FloatNeg { self.b.ins().fneg(x) } else { self.b.ins().fabs(x) })
            }
            FloatLt | FloatLe | FloatEq | FloatNe | FloatGt | FloatGe => {
                let cc = match op.opcode {
                    FloatLt => FloatCC::LessThan,
                    FloatLe => FloatCC::LessThanOrEqual,
                    FloatEq => FloatCC::Equal,
                    FloatNe => FloatCC::NotEqual,
                    FloatGt => FloatCC::GreaterThan,
                    _ => FloatCC::GreaterThanOrEqual,
                };
                let (x, y) = (self.val(op.args[0])?, self.val(op.args[1])?);
                let c = self.b.ins().fcmp(cc, x, y);
                Some(self.bool_to_int(c))
            }
            CastIntToFloat => {
                let x = self.val(op.args[0])?;
                Some(self.b.ins().fcvt_from_sint(types::F64, x))
            }
            CastUintToFloat => {
                let x = self.val(op.args[0])?;
                Some(self.b.ins().fcvt_from_uint(types::F64, x))
            }
            CastFloatToWord => {
                let x = self.val(op.args[0])?;
                Some(self.b.ins().bitcast(types::I64, MemFlagsData::new(), x))
            }
            CastWordToFloat => {
                let x = self.val(op.args[0])?;
                Some(self.b.ins().bitcast(types::F64, MemFlagsData::new(), x))
            }
            FloatIsTrue => {
                // Unordered or not equal, as LLVM's `une`: NaN is true.
                let x = self.val(op.args[0])?;
                let zero = self.b.ins().f64const(0.0);
                let c = self.b.ins().fcmp(FloatCC::NotEqual, x, zero);
                Some(self.bool_to_int(c))
            }
            CastFloatToInt => {
                let x = self.val(op.args[0])?;
                Some(self.b.ins().fcvt_to_sint_sat(types::I64, x))
            }
            SameAsI | SameAsF | SameAsR => Some(self.val(op.args[0])?),
            GetfieldGcI | GetfieldGcR | GetfieldGcF | GetfieldRawI | GetfieldRawR | GetfieldRawF => {
                let f = op.descr.and_then(|d| self.descrs.field(d)).ok_or_else(|| BackendError::Malformed("no field descr".into()))?;
                let (ty, size, signed, offset) = (f.ty, f.size, f.signed, f.offset as i32);
                let p = self.val(op.args[0])?;
                Some(self.load(ty, size, signed, p, offset)?)
            }
            SetfieldGc => {
                let f = op.descr.and_then(|d| self.descrs.field(d)).ok_or_else(|| BackendError::Malformed("no field descr".into()))?;
                let (size, offset, ty) = (f.size, f.offset as i32, f.ty);
                let (p, v) = (self.val(op.args[0])?, self.val(op.args[1])?);
                if ty == Type::Ref {
                    self.write_barrier(op.args[0], p, None)?;
                }
                self.store(size, v, p, offset)?;
                None
            }
            GetarrayitemGcI | GetarrayitemGcR | GetarrayitemGcF | GetarrayitemRawI | GetarrayitemRawR | GetarrayitemRawF => {
                let (addr, offset, d) = self.address(op)?;
                let (ty, size, signed) = (d.item_ty, d.item_size, d.signed);
                Some(self.load(ty, size, signed, addr, offset)?)
            }
            SetfieldRaw => {
                // Raw memory: no write barrier.
                let f = op.descr.and_then(|d| self.descrs.field(d)).ok_or_else(|| BackendError::Malformed("no field descr".into()))?;
                let (size, offset) = (f.size, f.offset as i32);
                let (p, v) = (self.val(op.args[0])?, self.val(op.args[1])?);
                self.store(size, v, p, offset)?;
                None
            }
            SetarrayitemGc => {
                let (addr, offset, d) = self.address(op)?;
                let (size, ty) = (d.item_size, d.item_ty);
                if ty == Type::Ref {
                    let (obj, index) = (self.val(op.args[0])?, self.val(op.args[1])?);
                    self.write_barrier(op.args[0], obj, Some(index))?;
                }
                let v = self.val(op.args[2])?;
                self.store(size, v, addr, offset)?;
                None
            }
            ArraylenGc | ArraylenRaw => {
                let d = op.descr.and_then(|d| self.descrs.array(d)).ok_or_else(|| BackendError::Malformed("no array descr".into()))?;
                let offset = d.len_offset as i32;
                let p = self.val(op.args[0])?;
                Some(self.b.ins().load(types::I64, flags(), p, offset))
            }
            GuardTrue | GuardFalse | GuardNonnull | GuardIsnull => {
                let x = self.val(op.args[0])?;
                let pass = if matches!(op.opcode, GuardTrue | GuardNonnull) {
                    x
                } else {
                    let c = self.b.ins().icmp_imm_s(IntCC::Equal, x, 0);
                    self.bool_to_int(c)
                };
                self.guard(i, op, pass)?;
                None
            }
            GuardValue => {
                let (mut x, mut y) = (self.val(op.args[0])?, self.val(op.args[1])?);
                if self.trace.value_type(op.args[0]) == Some(Type::Float) {
                    // guard_value compares floats by their bits.
                    x = self.b.ins().bitcast(types::I64, MemFlagsData::new(), x);
                    y = self.b.ins().bitcast(types::I64, MemFlagsData::new(), y);
                }
                let c = self.b.ins().icmp(IntCC::Equal, x, y);
                self.guard(i, op, c)?;
                None
            }
            GuardNoOverflow | GuardOverflow => {
                let of = self.overflow.take().ok_or_else(|| BackendError::Malformed("overflow guard without _ovf op".into()))?;
                let pass = if op.opcode == GuardOverflow {
                    of
                } else {
                    let c = self.b.ins().icmp_imm_s(IntCC::Equal, of, 0);
                    self.bool_to_int(c)
                };
                self.guard(i, op, pass)?;
                None
            }
            GuardClass | GuardNonnullClass => {
                let offset = self
                    .cx
                    .vtable_offset
                    .ok_or_else(|| BackendError::Unsupported(format!("{} without a vtable offset", op.opcode)))?;
                let (p, cls) = (self.val(op.args[0])?, self.val(op.args[1])?);
                let fail = self.fail_block(i, op)?;
                if op.opcode == GuardNonnullClass {
                    // Check for null first: the class is read only from a real object.
                    let nonnull = self.b.create_block();
                    self.b.ins().brif(p, nonnull, &[], fail, &[]);
                    self.b.switch_to_block(nonnull);
                }
                let vtable = self.b.ins().load(types::I64, flags(), p, offset);
                let same = self.b.ins().icmp(IntCC::Equal, vtable, cls);
                let cont = self.b.create_block();
                self.b.ins().brif(same, cont, &[], fail, &[]);
                self.b.switch_to_block(cont);
                None
            }
            GuardNoException | GuardException => self.exception_guard(i, op)?,
            CallI | CallR | CallF | CallN | CallPureI | CallPureR | CallPureF | CallPureN => self.call(i, op)?,
            New | NewWithVtable | NewArray => self.allocate(i, op)?,
            DebugMergePoint => None,
            Label => {
                if self.header.is_some() {
                    return Err(BackendError::Unsupported("a second label".into()));
                }
                let block = self.b.create_block();
                let mut args = Vec::new();
                let mut params = Vec::new();
                for &a in &op.args {
                    let b = a.as_box().ok_or_else(|| BackendError::Malformed("label argument is a constant".into()))?;
                    let ty = self.trace.box_type(b).ok_or_else(|| BackendError::Malformed("untyped box".into()))?;
                    args.push(BlockArg::Value(self.val(a)?));
                    params.push((b, self.b.append_block_param(block, cl_type(ty))));
                }
                self.b.ins().jump(block, &args);
                self.b.switch_to_block(block);
                for (b, p) in params {
                    self.env.insert(b, p);
                }
                let target = op.descr.ok_or_else(|| BackendError::Malformed("label without target".into()))?;
                self.header = Some((block, target));
                // Nothing allocated before the label is known fresh after it.
                self.fresh.clear();
                None
            }
            Jump => {
                match self.header {
                    Some((block, target)) if op.descr == Some(target) => {
                        let args = op.args.iter().map(|&a| self.val(a).map(BlockArg::Value)).collect::<Result<Vec<_>, _>>()?;
                        self.b.ins().jump(block, &args);
                    }
                    _ => self.jump_to_other_trace(op)?,
                }
                None
            }
            Finish => {
                self.finish(i, op.args.clone())?;
                None
            }
            _ => return Err(unsupported(op)),
        };
        match (op.result, result) {
            (Some(r), Some(v)) => {
                self.env.insert(r, v);
            }
            (None, None) => {}
            _ => return Err(unsupported(op)),
        }
        Ok(())
    }

    /// `jump` to the label of a loop compiled before: its values go to the frame, and
    /// the loop is tail-called at its label entry.
    fn jump_to_other_trace(&mut self, op: &Op) -> Result<(), BackendError> {
        let number = match op.descr.map(|d| &self.descrs.get(d).kind) {
            Some(crate::descr::DescrKind::Target(t)) => t.number,
            _ => return Err(BackendError::Malformed("jump without target".into())),
        };
        let (code, types) = self.cx.targets.get(&number).cloned().ok_or_else(|| BackendError::Unsupported(format!("a jump to TargetToken({number}), which no compiled loop has")))?;
        let got = self.types_of(&op.args)?;
        if got != types {
            return Err(BackendError::Malformed(format!("jump to TargetToken({number}) with {got:?}, the label has {types:?}")));
        }
        let vals = op.args.iter().map(|&v| self.capture(v)).collect::<Result<Vec<_>, _>>()?;
        self.write_values(&vals)?;
        self.release_shadow()?;
        let frame = self.frame()?;
        let callee = self.b.ins().iconst(types::I64, code as i64);
        let one = self.b.ins().iconst(types::I64, 1);
        self.b.ins().return_call_indirect(self.cx.trace_sig, callee, &[frame, one]);
        Ok(())
    }
}
