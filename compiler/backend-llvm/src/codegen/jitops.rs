//! Lowering of the ops of the JIT portal rewrite (`kiln_transform::jitportal`, `--jit`
//! only): `jit_value_store[k]`/`jit_value_load[k]` write and read word `k` of the JIT
//! runtime's `kiln_jit_values` (`[u64; kiln_abi::JIT_VALUES_LEN]`, defined in
//! `libkiln_jit.a`): ints and chars zero- or sign-extended as the JIT expects (bools and
//! chars zero, ints are already 64 bits), floats as their bits, pointers as addresses.
//! `jit_merge_point_call[d]` calls `kiln_jit_merge_point(d) -> i64`; `jit_active` reads
//! the byte `kiln_jit_active`. `jit_enter_set[d]` stores 1 into the driver's can-enter
//! byte (`kiln.jit.enter.D`, a private byte of the module: only the portal's code reads
//! and writes it); `jit_enter_take[d]` reads it, clears it, and is true when it was set
//! and `kiln_jit_active` is non-zero.

use inkwell::module::Linkage;
use inkwell::values::{BasicValueEnum, GlobalValue, IntValue};
use kiln_abi::{JIT_VALUES_LEN, SYM_JIT_ACTIVE, SYM_JIT_MERGE_POINT, SYM_JIT_VALUES};
use kiln_flowgraph::Operation;
use kiln_lltype::{kind_of, Kind, Ll, LlOp};

use super::{call_value, FnLowering};
use crate::BackendError;

type Lowered<'ctx> = Result<Option<BasicValueEnum<'ctx>>, BackendError>;

impl<'l, 'a, 'ctx> FnLowering<'l, 'a, 'ctx> {
    fn jit_values(&self) -> GlobalValue<'ctx> {
        self.cx.module.get_global(SYM_JIT_VALUES).unwrap_or_else(|| {
            let ty = self.cx.ctx.i64_type().array_type(JIT_VALUES_LEN);
            let g = self.cx.module.add_global(ty, None, SYM_JIT_VALUES);
            g.set_linkage(Linkage::External);
            g
        })
    }

    /// The can-enter byte of driver `d`.
    fn jit_enter_byte(&self, d: u32) -> GlobalValue<'ctx> {
        let name = format!("kiln.jit.enter.{d}");
        self.cx.module.get_global(&name).unwrap_or_else(|| {
            let i8t = self.cx.ctx.i8_type();
            let g = self.cx.module.add_global(i8t, None, &name);
            g.set_linkage(Linkage::Private);
            g.set_initializer(&i8t.const_zero());
            g
        })
    }

    fn jit_active_flag(&self) -> GlobalValue<'ctx> {
        self.cx.module.get_global(SYM_JIT_ACTIVE).unwrap_or_else(|| {
            let g = self.cx.module.add_global(self.cx.ctx.i8_type(), None, SYM_JIT_ACTIVE);
            g.set_linkage(Linkage::External);
            g
        })
    }

    fn jit_slot(&self, k: u32) -> Result<inkwell::values::PointerValue<'ctx>, BackendError> {
        if k >= JIT_VALUES_LEN {
            return Err(self.internal(format!("jit value slot {k} out of range")));
        }
        let i64t = self.cx.ctx.i64_type();
        let base = self.jit_values().as_pointer_value();
        // SAFETY (for LLVM): k is inside the array.
        Ok(unsafe { self.b().build_in_bounds_gep(i64t, base, &[i64t.const_int(k as u64, false)], "jit_slot")? })
    }

    pub(super) fn lower_jit_op(&mut self, op: &Operation<Ll>, name: &str) -> Lowered<'ctx> {
        let ctx = self.cx.ctx;
        let i64t = ctx.i64_type();
        match op.op {
            LlOp::JitValueStore(k) => {
                let ty = self.value_type_of(&op.args[0]);
                let v = self.arg(op, 0)?;
                let word: IntValue<'ctx> = match kind_of(ty) {
                    Kind::Int | Kind::Uint => v.into_int_value(),
                    Kind::Bool | Kind::Char | Kind::UniChar => self.b().build_int_z_extend(v.into_int_value(), i64t, "word")?,
                    Kind::Float => self.b().build_bit_cast(v.into_float_value(), i64t, "word")?.into_int_value(),
                    Kind::Ptr => self.b().build_ptr_to_int(v.into_pointer_value(), i64t, "word")?,
                    Kind::Void | Kind::Any => return Err(self.internal("jit_value_store of a value without a word")),
                };
                let slot = self.jit_slot(k)?;
                self.b().build_store(slot, word)?;
                Ok(None)
            }
            LlOp::JitValueLoad(k) => {
                let ty = *self.g.var_type(op.result);
                let slot = self.jit_slot(k)?;
                let word = self.b().build_load(i64t, slot, "word")?.into_int_value();
                let b = self.b();
                let v: BasicValueEnum<'ctx> = match kind_of(ty) {
                    Kind::Int | Kind::Uint => word.into(),
                    Kind::Bool => b.build_int_compare(inkwell::IntPredicate::NE, word, i64t.const_zero(), name)?.into(),
                    Kind::Char => b.build_int_truncate(word, ctx.i8_type(), name)?.into(),
                    Kind::UniChar => b.build_int_truncate(word, ctx.i32_type(), name)?.into(),
                    Kind::Float => b.build_bit_cast(word, ctx.f64_type(), name)?,
                    Kind::Ptr => b.build_int_to_ptr(word, self.cx.types.ptr(), name)?.into(),
                    Kind::Void | Kind::Any => return Err(self.internal("jit_value_load of a value without a word")),
                };
                Ok(Some(v))
            }
            LlOp::JitActive => {
                let flag = self.jit_active_flag();
                let byte = self.b().build_load(ctx.i8_type(), flag.as_pointer_value(), "jit_flag")?.into_int_value();
                Ok(Some(self.b().build_int_compare(inkwell::IntPredicate::NE, byte, ctx.i8_type().const_zero(), name)?.into()))
            }
            LlOp::JitMergePointCall(d) => {
                let f = self.cx.module.get_function(SYM_JIT_MERGE_POINT).unwrap_or_else(|| {
                    self.cx.module.add_function(SYM_JIT_MERGE_POINT, i64t.fn_type(&[i64t.into()], false), Some(Linkage::External))
                });
                let site = self.b().build_call(f, &[i64t.const_int(d.0 as u64, false).into()], name)?;
                Ok(Some(call_value(site)?))
            }
            LlOp::JitEnterSet(d) => {
                let byte = self.jit_enter_byte(d.0);
                self.b().build_store(byte.as_pointer_value(), ctx.i8_type().const_int(1, false))?;
                Ok(None)
            }
            LlOp::JitEnterTake(d) => {
                let i8t = ctx.i8_type();
                let byte = self.jit_enter_byte(d.0).as_pointer_value();
                let flag = self.jit_active_flag();
                let b = self.b();
                let set = b.build_load(i8t, byte, "jit_enter")?.into_int_value();
                b.build_store(byte, i8t.const_zero())?;
                let active = b.build_load(i8t, flag.as_pointer_value(), "jit_flag")?.into_int_value();
                let set = b.build_int_compare(inkwell::IntPredicate::NE, set, i8t.const_zero(), "jit_enter_set")?;
                let active = b.build_int_compare(inkwell::IntPredicate::NE, active, i8t.const_zero(), "jit_active")?;
                Ok(Some(b.build_and(set, active, name)?.into()))
            }
            _ => Err(self.internal(format!("{} is not a JIT portal op", op.op.name()))),
        }
    }
}
