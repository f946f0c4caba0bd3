//! The Cranelift trace backend: one Cranelift function per trace, compiled into
//! `cranelift-jit`'s code memory.
//!
//! Boxes become SSA values; a `label` becomes a loop header block whose parameters are the
//! label's boxes, and `jump` branches back to it. Each guard branches to a cold block that
//! writes the guard's resume values to the frame and returns the guard's exit index.
//! Compiled today: int and float arithmetic and comparisons, `_ovf` ops with their guards,
//! `guard_true/false/value/nonnull/isnull`, `guard_class` and `guard_nonnull_class` (when
//! told where instances keep their vtable), field and array-item reads and writes,
//! `arraylen_gc`, `same_as`, `debug_merge_point`. Not yet (they need the runtime's
//! exception state, string layout and collector entry points): calls, allocation,
//! exception guards, strings, virtuals in resume data, jumps to other traces.
//!
//! Code memory is never freed: a compiled trace stays callable after the backend is gone.

use std::collections::HashMap;

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{self, types, AbiParam, BlockArg, InstBuilder, MemFlagsData, UserFuncName};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Linkage, Module};

use crate::backend::{Backend, BackendError, CompiledTrace, ExitInfo, ExitKind};
use crate::descr::DescrTable;
use crate::ir::{BoxId, Const, Op, Trace, Type, Value};
use crate::opcode::OpCode;
use crate::resume::ResumeValue;

pub struct CraneliftBackend {
    module: JITModule,
    ctx: cranelift_codegen::Context,
    fctx: FunctionBuilderContext,
    count: u32,
    /// Where an instance keeps its vtable pointer, for `guard_class`.
    vtable_offset: Option<i32>,
}

fn codegen_err(e: impl std::fmt::Display) -> BackendError {
    BackendError::Codegen(e.to_string())
}

impl CraneliftBackend {
    /// A backend for the host machine.
    pub fn new() -> Result<CraneliftBackend, BackendError> {
        let mut flags = settings::builder();
        flags.set("use_colocated_libcalls", "false").map_err(codegen_err)?;
        flags.set("is_pic", "false").map_err(codegen_err)?;
        flags.set("opt_level", "speed").map_err(codegen_err)?;
        let isa = cranelift_native::builder()
            .map_err(|e| BackendError::Codegen(format!("host machine not supported: {e}")))?
            .finish(settings::Flags::new(flags))
            .map_err(codegen_err)?;
        let module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
        let ctx = module.make_context();
        Ok(CraneliftBackend { module, ctx, fctx: FunctionBuilderContext::new(), count: 0, vtable_offset: None })
    }

    /// Compiles `guard_class` and `guard_nonnull_class` by reading the vtable pointer at
    /// this offset of instances (after the GC header in Kiln's `RObject`).
    pub fn with_vtable_offset(mut self, offset: i32) -> CraneliftBackend {
        self.vtable_offset = Some(offset);
        self
    }
}

impl Backend for CraneliftBackend {
    fn compile(&mut self, trace: &Trace, descrs: &DescrTable) -> Result<CompiledTrace, BackendError> {
        let ptr = self.module.target_config().pointer_type();
        let mut sig = self.module.make_signature();
        sig.params.push(AbiParam::new(ptr));
        sig.returns.push(AbiParam::new(types::I64));
        self.count += 1;
        let name = format!("kiln_trace_{}", self.count);
        let id = self.module.declare_function(&name, Linkage::Local, &sig).map_err(codegen_err)?;
        self.module.clear_context(&mut self.ctx);
        self.ctx.func.signature = sig;
        self.ctx.func.name = UserFuncName::user(0, id.as_u32());
        let target_config = self.module.target_config();
        let exits = {
            let b = FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx);
            let vtable_offset = self.vtable_offset;
            let mut lower =
                Lower { b, trace, descrs, env: HashMap::new(), exits: vec![], header: None, overflow: None, frame: None, vtable_offset, pending: vec![] };
            let r = lower.trace();
            lower.b.seal_all_blocks();
            match r {
                Ok(()) => {
                    lower.b.finalize(target_config);
                    lower.exits
                }
                Err(e) => {
                    // Drop the half-built function and the builder's state; the module
                    // stays usable.
                    drop(lower);
                    self.fctx = FunctionBuilderContext::new();
                    self.module.clear_context(&mut self.ctx);
                    return Err(e);
                }
            }
        };
        self.module.define_function(id, &mut self.ctx).map_err(|e| BackendError::Codegen(format!("{e:?}")))?;
        self.module.clear_context(&mut self.ctx);
        self.module.finalize_definitions().map_err(codegen_err)?;
        let code = self.module.get_finalized_function(id);
        // SAFETY: the function was compiled with the signature `fn(*mut u64) -> u64`.
        let entry = unsafe { std::mem::transmute::<*const u8, unsafe extern "C" fn(*mut u64) -> u64>(code) };
        let frame_words = exits.iter().map(|e: &ExitInfo| e.values.len()).chain([trace.inputargs.len()]).max().unwrap_or(0);
        Ok(CompiledTrace { entry, exits, frame_words })
    }
}

fn cl_type(ty: Type) -> ir::Type {
    match ty {
        Type::Int | Type::Ref => types::I64,
        Type::Float => types::F64,
    }
}

struct Lower<'a, 'f> {
    b: FunctionBuilder<'f>,
    trace: &'a Trace,
    descrs: &'a DescrTable,
    env: HashMap<BoxId, ir::Value>,
    exits: Vec<ExitInfo>,
    /// The loop header: its block and its target descriptor.
    header: Option<(ir::Block, crate::descr::DescrId)>,
    /// The overflow flag of the `_ovf` op just before.
    overflow: Option<ir::Value>,
    /// The function's argument: the frame pointer.
    frame: Option<ir::Value>,
    vtable_offset: Option<i32>,
    /// Guard exit blocks still to fill: block, guard index, values to write.
    pending: Vec<(ir::Block, usize, Vec<Value>)>,
}

fn unsupported(op: &Op) -> BackendError {
    BackendError::Unsupported(op.opcode.name().to_string())
}

impl Lower<'_, '_> {
    fn flags() -> MemFlagsData {
        MemFlagsData::trusted()
    }

    fn frame(&self) -> Result<ir::Value, BackendError> {
        self.frame.ok_or_else(|| BackendError::Malformed("no entry block".into()))
    }

    fn val(&mut self, v: Value) -> Result<ir::Value, BackendError> {
        Ok(match v {
            Value::Box(b) => *self.env.get(&b).ok_or_else(|| BackendError::Malformed(format!("box {} undefined", b.0)))?,
            Value::Const(Const::Int(i)) => self.b.ins().iconst(types::I64, i),
            Value::Const(Const::Ref(a)) => self.b.ins().iconst(types::I64, a as i64),
            Value::Const(Const::Float(bits)) => self.b.ins().f64const(f64::from_bits(bits)),
        })
    }

    fn bool_to_int(&mut self, c: ir::Value) -> ir::Value {
        self.b.ins().uextend(types::I64, c)
    }

    fn trace(&mut self) -> Result<(), BackendError> {
        let entry = self.b.create_block();
        self.b.append_block_params_for_function_params(entry);
        self.b.switch_to_block(entry);
        let frame = self.b.block_params(entry)[0];
        self.frame = Some(frame);
        for (k, &input) in self.trace.inputargs.iter().enumerate() {
            let ty = self.trace.box_type(input).ok_or_else(|| BackendError::Malformed("untyped input".into()))?;
            let v = self.b.ins().load(cl_type(ty), Self::flags(), frame, (8 * k) as i32);
            self.env.insert(input, v);
        }
        for (i, op) in self.trace.ops.iter().enumerate() {
            self.op(i, op)?;
        }
        for (fail, i, values) in std::mem::take(&mut self.pending) {
            self.b.switch_to_block(fail);
            self.leave(ExitKind::Guard, i, values)?;
        }
        Ok(())
    }

    /// Writes `values` to the frame and returns `exit` from the function.
    fn leave(&mut self, kind: ExitKind, op: usize, values: Vec<Value>) -> Result<(), BackendError> {
        let frame = self.frame()?;
        for (k, &v) in values.iter().enumerate() {
            let x = self.val(v)?;
            self.b.ins().store(Self::flags(), x, frame, (8 * k) as i32);
        }
        let index = self.b.ins().iconst(types::I64, self.exits.len() as i64);
        self.b.ins().return_(&[index]);
        self.exits.push(ExitInfo { kind, op, values });
        Ok(())
    }

    /// A guard: go on when `pass` is non-zero, else leave through a cold block.
    fn guard(&mut self, i: usize, op: &Op, pass: ir::Value) -> Result<(), BackendError> {
        let fail = self.fail_block(i, op)?;
        let cont = self.b.create_block();
        self.b.ins().brif(pass, cont, &[], fail, &[]);
        self.b.switch_to_block(cont);
        Ok(())
    }

    /// The cold block through which a guard leaves; the current block stays current.
    fn fail_block(&mut self, i: usize, op: &Op) -> Result<ir::Block, BackendError> {
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
        // The block is filled at the end: the builder must not leave a block unfinished.
        let fail = self.b.create_block();
        self.b.set_cold_block(fail);
        self.pending.push((fail, i, values));
        Ok(fail)
    }

    fn address(&mut self, op: &Op) -> Result<(ir::Value, i32, &crate::descr::ArrayDescr), BackendError> {
        let d = op.descr.and_then(|d| self.descrs.array(d)).ok_or_else(|| BackendError::Malformed("no array descr".into()))?;
        let base = self.val(op.args[0])?;
        let index = self.val(op.args[1])?;
        let scaled = self.b.ins().imul_imm_s(index, d.item_size as i64);
        let addr = self.b.ins().iadd(base, scaled);
        Ok((addr, d.base_offset as i32, d))
    }

    fn load(&mut self, ty: Type, size: u8, signed: bool, addr: ir::Value, offset: i32) -> Result<ir::Value, BackendError> {
        let f = Self::flags();
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
        let f = Self::flags();
        match size {
            8 => self.b.ins().store(f, v, addr, offset),
            1 => self.b.ins().istore8(f, v, addr, offset),
            2 => self.b.ins().istore16(f, v, addr, offset),
            4 => self.b.ins().istore32(f, v, addr, offset),
            _ => return Err(BackendError::Unsupported(format!("a {size}-byte store"))),
        };
        Ok(())
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
            IntNeg => {
                let x = self.val(op.args[0])?;
                Some(self.b.ins().ineg(x))
            }
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
            CastFloatToInt => {
                let x = self.val(op.args[0])?;
                Some(self.b.ins().fcvt_to_sint_sat(types::I64, x))
            }
            SameAsI | SameAsF | SameAsR => Some(self.val(op.args[0])?),
            GetfieldGcI | GetfieldGcR | GetfieldGcF => {
                let f = op.descr.and_then(|d| self.descrs.field(d)).ok_or_else(|| BackendError::Malformed("no field descr".into()))?;
                let (ty, size, signed, offset) = (f.ty, f.size, f.signed, f.offset as i32);
                let p = self.val(op.args[0])?;
                Some(self.load(ty, size, signed, p, offset)?)
            }
            SetfieldGc => {
                let f = op.descr.and_then(|d| self.descrs.field(d)).ok_or_else(|| BackendError::Malformed("no field descr".into()))?;
                let (size, offset) = (f.size, f.offset as i32);
                let (p, v) = (self.val(op.args[0])?, self.val(op.args[1])?);
                self.store(size, v, p, offset)?;
                None
            }
            GetarrayitemGcI | GetarrayitemGcR | GetarrayitemGcF => {
                let (addr, offset, d) = self.address(op)?;
                let (ty, size, signed) = (d.item_ty, d.item_size, d.signed);
                Some(self.load(ty, size, signed, addr, offset)?)
            }
            SetarrayitemGc => {
                let (addr, offset, d) = self.address(op)?;
                let size = d.item_size;
                let v = self.val(op.args[2])?;
                self.store(size, v, addr, offset)?;
                None
            }
            ArraylenGc => {
                let d = op.descr.and_then(|d| self.descrs.array(d)).ok_or_else(|| BackendError::Malformed("no array descr".into()))?;
                let offset = d.len_offset as i32;
                let p = self.val(op.args[0])?;
                Some(self.b.ins().load(types::I64, Self::flags(), p, offset))
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
                let vtable = self.b.ins().load(types::I64, Self::flags(), p, offset);
                let same = self.b.ins().icmp(IntCC::Equal, vtable, cls);
                let cont = self.b.create_block();
                self.b.ins().brif(same, cont, &[], fail, &[]);
                self.b.switch_to_block(cont);
                None
            }
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
                None
            }
            Jump => match self.header {
                Some((block, target)) if op.descr == Some(target) => {
                    let args = op.args.iter().map(|&a| self.val(a).map(BlockArg::Value)).collect::<Result<Vec<_>, _>>()?;
                    self.b.ins().jump(block, &args);
                    None
                }
                _ => return Err(BackendError::Unsupported("a jump to another trace".into())),
            },
            Finish => {
                self.leave(ExitKind::Finish, i, op.args.clone())?;
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
}
