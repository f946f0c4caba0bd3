//! Lowering of the ops of the GC transform (`kiln_transform::gc`) for the collector the
//! program was transformed for (`LlProgram::gc`), following the protocol of
//! `kiln_abi::gc`:
//! - the shadow-stack frame: `gc_push_frame[n]` loads `kiln_gc_root_stack_top` as the
//!   frame's base, bumps it by `n` slots and zeroes them; `gc_save_root[k]` and
//!   `gc_load_root[k]` store and load slot `k` of the base; `gc_pop_frame` stores the base
//!   back. The base is an LLVM value of the entry block, which dominates every use.
//! - the bump window: loads and stores of `kiln_gc_<name>_free` / `_top`;
//!   `gc_init_object` writes the header word `tid` (flags 0), `gc_init_varsize` also the
//!   length.
//! - the slow paths: calls of `kiln_gc_<name>_malloc_slow` / `_malloc_varsize_slow`,
//!   declared `cold` so that LLVM lays out the fast path as the fall-through.
//! - the write barrier: the flag test inline, the call of `kiln_gc_<name>_wb` in a cold
//!   block; the array form sets the card inline when the object has cards already dirty.
//!
//! The stack check (`rt_call[kiln_stack_check]`, which grows the stack as the shadow
//! stack does) is lowered here too: its two comparisons inline, the call only when one
//! fails.

use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::module::Linkage;
use inkwell::values::{BasicValueEnum, FunctionValue, GlobalValue, IntValue, PointerValue};
use inkwell::IntPredicate;
use kiln_abi::gc::{CARD_SHIFT, SYM_FREE, SYM_MALLOC_SLOW, SYM_MALLOC_VARSIZE_SLOW, SYM_ROOT_STACK_LIMIT, SYM_ROOT_STACK_TOP, SYM_TOP, SYM_WB, SYM_WB_ARRAY};
use kiln_abi::{GCFLAG_CARDS_SET, GCFLAG_HAS_CARDS, GCFLAG_TRACK_YOUNG_PTRS};
use kiln_flowgraph::Operation;
use kiln_lltype::{GcPolicy, Ll, LlOp, LlType, RtFn, TypeId};

use super::{call_value, FnLowering};
use crate::BackendError;

type Lowered<'ctx> = Result<Option<BasicValueEnum<'ctx>>, BackendError>;

impl<'l, 'a, 'ctx> FnLowering<'l, 'a, 'ctx> {
    fn policy(&self) -> Result<GcPolicy, BackendError> {
        self.cx.prog.gc.ok_or_else(|| self.internal("a GC op in a program that was not GC-transformed"))
    }

    /// An external global of the runtime holding a pointer.
    fn runtime_global(&self, name: &str) -> GlobalValue<'ctx> {
        self.cx.module.get_global(name).unwrap_or_else(|| {
            let g = self.cx.module.add_global(self.cx.types.ptr(), None, name);
            g.set_linkage(Linkage::External);
            g
        })
    }

    /// A collector entry point, declared `cold`: it is only called off the fast paths.
    fn slow_fn(&self, name: &str, params: &[inkwell::types::BasicMetadataTypeEnum<'ctx>], returns_ptr: bool) -> FunctionValue<'ctx> {
        if let Some(f) = self.cx.module.get_function(name) {
            return f;
        }
        let fty = if returns_ptr { self.cx.types.ptr().fn_type(params, false) } else { self.cx.ctx.void_type().fn_type(params, false) };
        let f = self.cx.module.add_function(name, fty, Some(Linkage::External));
        let cold = self.cx.ctx.create_enum_attribute(Attribute::get_named_enum_kind_id("cold"), 0);
        f.add_attribute(AttributeLoc::Function, cold);
        f
    }

    fn frame(&self) -> Result<PointerValue<'ctx>, BackendError> {
        self.frame_base.ok_or_else(|| self.internal("a shadow-stack slot is used before gc_push_frame"))
    }

    fn slot(&self, k: u32) -> Result<PointerValue<'ctx>, BackendError> {
        let ptr = self.cx.types.ptr();
        // SAFETY (for LLVM): slot `k` is inside the frame of `gc_push_frame`.
        Ok(unsafe { self.b().build_in_bounds_gep(ptr, self.frame()?, &[self.i64(k as i64)], "")? })
    }

    /// The GC type id of the object type a pointer type points to.
    fn tid_of_ptr(&self, ptr_ty: TypeId) -> Result<(TypeId, u32), BackendError> {
        let ty = match self.prog_types().get(ptr_ty) {
            LlType::Ptr(t) => *t,
            _ => return Err(self.internal("an allocation whose result is not a pointer")),
        };
        let tid = self.prog_types().gc_typeid(ty).ok_or_else(|| self.internal(format!("{} is not a GC type", self.prog_types().name(ty))))?;
        Ok((ty, tid))
    }

    /// Writes the header `{tid, flags 0}` at `adr` as one 8-byte word.
    fn write_header(&self, adr: PointerValue<'ctx>, tid: u32) -> Result<(), BackendError> {
        self.b().build_store(adr, self.i64(tid as i64))?;
        Ok(())
    }

    pub(super) fn lower_gc_op(&mut self, op: &Operation<Ll>) -> Lowered<'ctx> {
        let policy = self.policy()?;
        let name = self.g.var_name(op.result);
        let name = name.as_str();
        let ctx = self.cx.ctx;
        let ptr = self.cx.types.ptr();
        let i64t = ctx.i64_type();
        match op.op {
            LlOp::GcPushFrame(n) => {
                let top = self.runtime_global(SYM_ROOT_STACK_TOP).as_pointer_value();
                let b = self.b();
                let base = b.build_load(ptr, top, "frame")?.into_pointer_value();
                // SAFETY (for LLVM): the shadow stack has room; the stack check sees to it.
                let new_top = unsafe { b.build_in_bounds_gep(ptr, base, &[self.i64(n as i64)], "")? };
                b.build_store(top, new_top)?;
                for k in 0..n {
                    let slot = unsafe { b.build_in_bounds_gep(ptr, base, &[self.i64(k as i64)], "")? };
                    b.build_store(slot, ptr.const_null())?;
                }
                self.frame_base = Some(base);
                Ok(None)
            }
            LlOp::GcPopFrame(_) => {
                let top = self.runtime_global(SYM_ROOT_STACK_TOP).as_pointer_value();
                self.b().build_store(top, self.frame()?)?;
                Ok(None)
            }
            LlOp::GcSaveRoot(k) => {
                let value = self.arg(op, 0)?;
                let slot = self.slot(k)?;
                self.b().build_store(slot, value)?;
                Ok(None)
            }
            LlOp::GcLoadRoot(k) => {
                let ty = self.cx.types.value_type(*self.g.var_type(op.result)).ok_or_else(|| self.internal("gc_load_root of a Void"))?;
                let slot = self.slot(k)?;
                Ok(Some(self.b().build_load(ty, slot, name)?))
            }
            LlOp::GcLoadFree | LlOp::GcLoadTop => {
                let suffix = if op.op == LlOp::GcLoadFree { SYM_FREE } else { SYM_TOP };
                let g = self.runtime_global(&policy.symbol(suffix));
                Ok(Some(self.b().build_load(ptr, g.as_pointer_value(), name)?))
            }
            LlOp::GcStoreFree => {
                let g = self.runtime_global(&policy.symbol(SYM_FREE));
                self.b().build_store(g.as_pointer_value(), self.ptr(op, 0)?)?;
                Ok(None)
            }
            LlOp::AdrAdd => {
                // SAFETY (for LLVM): the address stays inside the bump window (the fast path
                // only keeps it when it does).
                let v = unsafe { self.b().build_gep(ctx.i8_type(), self.ptr(op, 0)?, &[self.int(op, 1)?], name)? };
                Ok(Some(v.into()))
            }
            LlOp::AdrLe => Ok(Some(self.b().build_int_compare(IntPredicate::ULE, self.ptr(op, 0)?, self.ptr(op, 1)?, name)?.into())),
            LlOp::GcInitObject | LlOp::GcInitVarsize => {
                let adr = self.ptr(op, 0)?;
                let (ty, tid) = self.tid_of_ptr(*self.g.var_type(op.result))?;
                self.write_header(adr, tid)?;
                if op.op == LlOp::GcInitVarsize {
                    let length_offset = match self.prog_types().get(ty) {
                        LlType::Array { .. } => self.prog_types().array_layout(ty).length_offset,
                        _ => self.prog_types().struct_layout(ty).varsize.ok_or_else(|| self.internal("gc_init_varsize of a fixed-size type"))?.length_offset,
                    };
                    let at = unsafe { self.b().build_in_bounds_gep(ctx.i8_type(), adr, &[self.i64(length_offset as i64)], "")? };
                    self.b().build_store(at, self.int(op, 1)?)?;
                }
                adr.set_name(name);
                Ok(Some(adr.into()))
            }
            LlOp::GcMallocSlow | LlOp::GcMallocVarsizeSlow => {
                let (_, tid) = self.tid_of_ptr(*self.g.var_type(op.result))?;
                let suffix = if op.op == LlOp::GcMallocSlow { SYM_MALLOC_SLOW } else { SYM_MALLOC_VARSIZE_SLOW };
                let f = self.slow_fn(&policy.symbol(suffix), &[i64t.into(), i64t.into()], true);
                let site = self.b().build_call(f, &[self.i64(tid as i64).into(), self.int(op, 0)?.into()], name)?;
                Ok(Some(call_value(site)?))
            }
            LlOp::GcWriteBarrier | LlOp::GcWriteBarrierArray => {
                self.write_barrier(policy, op)?;
                Ok(None)
            }
            other => Err(self.internal(format!("{} is not an op of the GC transform", other.name()))),
        }
    }

    /// `if frame address < kiln_stack_limit || root stack top > its limit {
    /// kiln_stack_check() }`: the check costs two loads and compares when it passes.
    pub(super) fn stack_check(&mut self) -> Lowered<'ctx> {
        let ctx = self.cx.ctx;
        let ptr = self.cx.types.ptr();
        let i64t = ctx.i64_type();
        let frameaddress = self.intrinsic("llvm.frameaddress", &[ptr.into()])?;
        let b = self.b();
        let sp = call_value(b.build_call(frameaddress, &[ctx.i32_type().const_zero().into()], "sp")?)?.into_pointer_value();
        let sp = b.build_ptr_to_int(sp, i64t, "")?;
        let limit_g = self.cx.module.get_global(kiln_abi::SYM_STACK_LIMIT).unwrap_or_else(|| {
            let g = self.cx.module.add_global(i64t, None, kiln_abi::SYM_STACK_LIMIT);
            g.set_linkage(Linkage::External);
            g
        });
        let limit = b.build_load(i64t, limit_g.as_pointer_value(), "stack_limit")?.into_int_value();
        let deep = b.build_int_compare(IntPredicate::ULT, sp, limit, "")?;
        let top = b.build_load(ptr, self.runtime_global(SYM_ROOT_STACK_TOP).as_pointer_value(), "")?.into_pointer_value();
        let root_limit = b.build_load(ptr, self.runtime_global(SYM_ROOT_STACK_LIMIT).as_pointer_value(), "")?.into_pointer_value();
        let full = b.build_int_compare(IntPredicate::UGT, top, root_limit, "")?;
        let bad = b.build_or(deep, full, "stack_exhausted")?;
        let slow = ctx.append_basic_block(self.fv, "stack_check");
        let done = ctx.append_basic_block(self.fv, "stack_ok");
        b.build_conditional_branch(bad, slow, done)?;
        b.position_at_end(slow);
        let f = self.slow_fn(RtFn::StackCheck.info().symbol, &[], false);
        b.build_call(f, &[], "")?;
        b.build_unconditional_branch(done)?;
        b.position_at_end(done);
        Ok(None)
    }

    /// The header's flags word of `obj`.
    fn flags(&self, obj: PointerValue<'ctx>) -> Result<IntValue<'ctx>, BackendError> {
        let ctx = self.cx.ctx;
        let at = unsafe { self.b().build_in_bounds_gep(ctx.i8_type(), obj, &[self.i64(4)], "")? };
        Ok(self.b().build_load(ctx.i32_type(), at, "gcflags")?.into_int_value())
    }

    /// `if flags & TRACK { slow }`, with the card set inline for arrays with dirty cards.
    fn write_barrier(&mut self, policy: GcPolicy, op: &Operation<Ll>) -> Result<(), BackendError> {
        let ctx = self.cx.ctx;
        let i32t = ctx.i32_type();
        let i64t = ctx.i64_type();
        let obj = self.ptr(op, 0)?;
        let flags = self.flags(obj)?;
        let b = self.b();
        let tracked = b.build_and(flags, i32t.const_int(GCFLAG_TRACK_YOUNG_PTRS as u64, false), "")?;
        let tracked = b.build_int_compare(IntPredicate::NE, tracked, i32t.const_zero(), "wb_needed")?;
        let slow = ctx.append_basic_block(self.fv, "wb_slow");
        let done = ctx.append_basic_block(self.fv, "wb_done");
        b.build_conditional_branch(tracked, slow, done)?;
        b.position_at_end(slow);
        if op.op == LlOp::GcWriteBarrierArray {
            let index = self.int(op, 1)?;
            let both = (GCFLAG_HAS_CARDS | GCFLAG_CARDS_SET) as u64;
            let cards = b.build_and(flags, i32t.const_int(both, false), "")?;
            let dirty = b.build_int_compare(IntPredicate::EQ, cards, i32t.const_int(both, false), "cards_dirty")?;
            let inline = ctx.append_basic_block(self.fv, "wb_card");
            let call = ctx.append_basic_block(self.fv, "wb_call");
            b.build_conditional_branch(dirty, inline, call)?;
            b.position_at_end(inline);
            // Card c = index >> CARD_SHIFT is bit c & 7 of the byte at obj - 1 - (c >> 3).
            let card = b.build_right_shift(index, i64t.const_int(CARD_SHIFT as u64, false), false, "card")?;
            let byte_index = b.build_right_shift(card, i64t.const_int(3, false), false, "")?;
            let back = b.build_int_sub(i64t.const_int(u64::MAX, true), byte_index, "")?;
            let at = unsafe { b.build_gep(ctx.i8_type(), obj, &[back], "card_byte")? };
            let bit = b.build_and(card, i64t.const_int(7, false), "")?;
            let bit = b.build_int_truncate(bit, ctx.i8_type(), "")?;
            let mask = b.build_left_shift(ctx.i8_type().const_int(1, false), bit, "")?;
            let old = b.build_load(ctx.i8_type(), at, "")?.into_int_value();
            b.build_store(at, b.build_or(old, mask, "")?)?;
            b.build_unconditional_branch(done)?;
            b.position_at_end(call);
            let f = self.slow_fn(&policy.symbol(SYM_WB_ARRAY), &[self.cx.types.ptr().into(), i64t.into()], false);
            b.build_call(f, &[obj.into(), index.into()], "")?;
        } else {
            let f = self.slow_fn(&policy.symbol(SYM_WB), &[self.cx.types.ptr().into()], false);
            b.build_call(f, &[obj.into()], "")?;
        }
        b.build_unconditional_branch(done)?;
        b.position_at_end(done);
        Ok(())
    }
}
