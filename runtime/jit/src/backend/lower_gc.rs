//! Lowering of the ops that meet the runtime: calls to C-ABI functions, allocation
//! through the collector's bump window with a call to its slow path, the write barrier,
//! and the exception guards; and keeping GC references visible across collection points.
//!
//! **Collection points** are calls whose descriptor says `can_collect` and the slow
//! paths of allocations. Before one, every reference box still used later is stored into
//! this function's slots on the shadow stack (reserved on entry, zeroed, given back
//! before every return and tail call), where every collector sees them and a moving one
//! updates them; after it they are reloaded and the boxes rebound. This is the protocol
//! of GC-transformed code (`kiln_abi::gc`), so the collectors need nothing new for it.
//!
//! **Exceptions** are the runtime's two globals (`JitRuntime::exc_type`/`exc_value`), as
//! in translated code: `guard_no_exception` checks that the type is null;
//! `guard_exception(cls)` checks that it is `cls`, then produces the instance and clears
//! the state. A failing exception guard leaves the exception pending.

use std::collections::HashMap;

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, types, AbiParam, BlockArg, InstBuilder, Signature};

use kiln_abi::gc::{alloc_size, LARGE_OBJECT_SIZE};
use kiln_abi::{JitRuntime, GCFLAG_TRACK_YOUNG_PTRS};

use super::lower::{cl_type, flags, Lower};
use crate::backend::BackendError;
use crate::descr::DescrTable;
use crate::ir::{BoxId, Op, Trace, Type, Value};
use crate::opcode::OpCode;

/// Whether `op` may run a collection.
pub(crate) fn is_collection_point(op: &Op, descrs: &DescrTable) -> bool {
    match op.opcode {
        OpCode::New | OpCode::NewWithVtable | OpCode::NewArray => true,
        _ if op.opcode.is_call() => op.descr.and_then(|d| descrs.call(d)).is_none_or(|c| c.effect.can_collect),
        _ => false,
    }
}

/// The reference boxes live across op `i` (used after it), in box order.
pub(crate) fn live_refs_across(trace: &Trace, last_use: &HashMap<BoxId, usize>, i: usize, defined: &[BoxId]) -> Vec<BoxId> {
    let mut v: Vec<BoxId> = defined
        .iter()
        .copied()
        .filter(|b| trace.box_type(*b) == Some(Type::Ref) && last_use.get(b).is_some_and(|&u| u > i))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The most references live across any one collection point: the shadow-stack slots a
/// trace needs.
pub(crate) fn shadow_slots(trace: &Trace, descrs: &DescrTable, last_use: &HashMap<BoxId, usize>) -> usize {
    let mut defined: Vec<BoxId> = trace.inputargs.clone();
    let mut most = 0;
    for (i, op) in trace.ops.iter().enumerate() {
        if is_collection_point(op, descrs) {
            most = most.max(live_refs_across(trace, last_use, i, &defined).len());
        }
        if let Some(r) = op.result {
            defined.push(r);
        }
    }
    most
}

impl Lower<'_, '_> {
    fn rt(&self, what: &str) -> Result<&'static JitRuntime, BackendError> {
        self.cx.rt.ok_or_else(|| BackendError::Unsupported(format!("{what} without the runtime's JIT record")))
    }

    /// A call of the C-ABI function at `callee`.
    fn call_c(&mut self, callee: ir::Value, params: &[ir::Type], ret: Option<ir::Type>, args: &[ir::Value]) -> Option<ir::Value> {
        let mut sig = Signature::new(self.cx.c_call_conv);
        sig.params.extend(params.iter().map(|&t| AbiParam::new(t)));
        sig.returns.extend(ret.map(AbiParam::new));
        let sig = self.b.import_signature(sig);
        let inst = self.b.ins().call_indirect(sig, callee, args);
        self.b.inst_results(inst).first().copied()
    }

    /// The reference boxes live across op `i`, in scope now.
    fn live_refs(&self, i: usize, op: &Op) -> Vec<BoxId> {
        let defined: Vec<BoxId> = self.env.keys().copied().filter(|b| Some(*b) != op.result).collect();
        live_refs_across(self.trace, &self.last_use, i, &defined)
    }

    /// Stores `boxes` into the shadow-stack slots.
    fn spill(&mut self, boxes: &[BoxId]) -> Result<(), BackendError> {
        if boxes.is_empty() {
            return Ok(());
        }
        let (base, n) = self.shadow.ok_or_else(|| BackendError::Malformed("references live across a collection point, no slots".into()))?;
        if boxes.len() > n {
            return Err(BackendError::Malformed("more live references than shadow-stack slots".into()));
        }
        for (k, b) in boxes.iter().enumerate() {
            let v = self.env[b];
            self.b.ins().store(flags(), v, base, (8 * k) as i32);
        }
        Ok(())
    }

    /// Loads `boxes` back from their slots (a moving collector may have updated them).
    fn reload(&mut self, boxes: &[BoxId]) -> Result<Vec<ir::Value>, BackendError> {
        let Some((base, _)) = self.shadow else { return Ok(vec![]) };
        Ok(boxes.iter().enumerate().map(|(k, _)| self.b.ins().load(types::I64, flags(), base, (8 * k) as i32)).collect())
    }

    /// `if header(obj).flags & TRACK_YOUNG_PTRS { wb(obj) }` (or `wb_array(obj, index)`),
    /// before storing a reference into `obj`; nothing for collectors without a barrier
    /// and for objects allocated since the last collection point.
    pub(crate) fn write_barrier(&mut self, obj_v: Value, obj: ir::Value, index: Option<ir::Value>) -> Result<(), BackendError> {
        let Some(rt) = self.cx.rt else { return Ok(()) };
        let (Some(wb), Some(wb_array)) = (rt.wb, rt.wb_array) else { return Ok(()) };
        if matches!(obj_v, Value::Box(b) if self.fresh.contains(&b)) {
            return Ok(());
        }
        let fl = self.b.ins().uload32(flags(), obj, 4);
        let tracked = self.b.ins().band_imm_s(fl, GCFLAG_TRACK_YOUNG_PTRS as i64);
        let slow = self.b.create_block();
        let cont = self.b.create_block();
        self.b.set_cold_block(slow);
        self.b.ins().brif(tracked, slow, &[], cont, &[]);
        self.b.switch_to_block(slow);
        match index {
            None => {
                let f = self.b.ins().iconst(types::I64, wb as usize as i64);
                self.call_c(f, &[types::I64], None, &[obj]);
            }
            Some(ix) => {
                let f = self.b.ins().iconst(types::I64, wb_array as usize as i64);
                self.call_c(f, &[types::I64, types::I64], None, &[obj, ix]);
            }
        }
        self.b.ins().jump(cont, &[]);
        self.b.switch_to_block(cont);
        Ok(())
    }

    pub(crate) fn exception_guard(&mut self, i: usize, op: &Op) -> Result<Option<ir::Value>, BackendError> {
        let rt = self.rt(op.opcode.name())?;
        let type_addr = self.b.ins().iconst(types::I64, rt.exc_type as i64);
        let etype = self.b.ins().load(types::I64, flags(), type_addr, 0);
        if op.opcode == OpCode::GuardNoException {
            let pass = self.b.ins().icmp_imm_s(IntCC::Equal, etype, 0);
            self.guard(i, op, pass)?;
            return Ok(None);
        }
        let cls = self.val(op.args[0])?;
        let pass = self.b.ins().icmp(IntCC::Equal, etype, cls);
        self.guard(i, op, pass)?;
        let value_addr = self.b.ins().iconst(types::I64, rt.exc_value as i64);
        let value = self.b.ins().load(types::I64, flags(), value_addr, 0);
        let zero = self.b.ins().iconst(types::I64, 0);
        self.b.ins().store(flags(), zero, type_addr, 0);
        self.b.ins().store(flags(), zero, value_addr, 0);
        Ok(Some(value))
    }

    pub(crate) fn call(&mut self, i: usize, op: &Op) -> Result<Option<ir::Value>, BackendError> {
        let cd = op.descr.and_then(|d| self.descrs.call(d)).ok_or_else(|| BackendError::Malformed("call without call descriptor".into()))?;
        let params: Vec<ir::Type> = cd.args.iter().map(|&t| cl_type(t)).collect();
        let ret = cd.result.map(cl_type);
        let can_collect = cd.effect.can_collect;
        let callee = self.val(op.args[0])?;
        let args = op.args[1..].iter().map(|&a| self.val(a)).collect::<Result<Vec<_>, _>>()?;
        let live = if can_collect { self.live_refs(i, op) } else { vec![] };
        self.spill(&live)?;
        let r = self.call_c(callee, &params, ret, &args);
        if can_collect {
            let vals = self.reload(&live)?;
            for (b, v) in live.iter().zip(vals) {
                self.env.insert(*b, v);
            }
            self.fresh.clear();
        }
        Ok(if op.result.is_some() { r } else { None })
    }

    /// `new`, `new_with_vtable`, `new_array`: the bump window's fast path inline, the
    /// slow path (which may collect) in a cold block; a null from the slow path leaves
    /// by the MemoryError exit.
    pub(crate) fn allocate(&mut self, i: usize, op: &Op) -> Result<Option<ir::Value>, BackendError> {
        let rt = self.rt(op.opcode.name())?;
        enum Kind {
            Fixed { size: u64, tid: u32, vtable: Option<(u64, i32)> },
            Array { tid: u32, base: u64, item: u64, len_offset: i32, len: ir::Value },
        }
        let kind = match op.opcode {
            OpCode::New | OpCode::NewWithVtable => {
                let sd = op.descr.and_then(|d| self.descrs.size(d)).ok_or_else(|| BackendError::Malformed("no size descr".into()))?;
                let vtable = if op.opcode == OpCode::NewWithVtable {
                    let vt = sd.vtable.ok_or_else(|| BackendError::Malformed("new_with_vtable of a size without vtable".into()))?;
                    let off = self.cx.vtable_offset.ok_or_else(|| BackendError::Unsupported("new_with_vtable without a vtable offset".into()))?;
                    Some((vt, off))
                } else {
                    None
                };
                Kind::Fixed { size: alloc_size(sd.size as u64), tid: sd.type_id, vtable }
            }
            _ => {
                let ad = op.descr.and_then(|d| self.descrs.array(d)).ok_or_else(|| BackendError::Malformed("no array descr".into()))?;
                let tid = ad.type_id.ok_or_else(|| BackendError::Unsupported("new_array of an array descriptor without type_id".into()))?;
                let (base, item, len_offset) = (ad.base_offset as u64, ad.item_size.max(1) as u64, ad.len_offset as i32);
                let len = self.val(op.args[0])?;
                Kind::Array { tid, base, item, len_offset, len }
            }
        };
        let free_addr = self.b.ins().iconst(types::I64, rt.free as i64);
        let top_addr = self.b.ins().iconst(types::I64, rt.top as i64);
        let p = self.b.ins().load(types::I64, flags(), free_addr, 0);
        let (size, ok) = match &kind {
            Kind::Fixed { size, .. } if *size <= LARGE_OBJECT_SIZE => {
                let size = self.b.ins().iconst(types::I64, *size as i64);
                let end = self.b.ins().iadd(p, size);
                let top = self.b.ins().load(types::I64, flags(), top_addr, 0);
                (size, self.b.ins().icmp(IntCC::UnsignedLessThanOrEqual, end, top))
            }
            Kind::Fixed { size, .. } => {
                let size = self.b.ins().iconst(types::I64, *size as i64);
                (size, self.b.ins().iconst(types::I8, 0))
            }
            Kind::Array { base, item, len, .. } => {
                // Items that fit a fast-path object: any larger (or negative, as
                // unsigned) length takes the slow path, which checks it.
                let max_len = LARGE_OBJECT_SIZE.saturating_sub(*base) / item;
                let len_ok = self.b.ins().icmp_imm_s(IntCC::UnsignedLessThanOrEqual, *len, max_len as i64);
                let bytes = self.b.ins().imul_imm_s(*len, *item as i64);
                let bytes = self.b.ins().iadd_imm_s(bytes, *base as i64 + 7);
                let bytes = self.b.ins().band_imm_s(bytes, !7);
                let min = self.b.ins().iconst(types::I64, kiln_abi::gc::MIN_OBJECT_SIZE as i64);
                let small = self.b.ins().icmp(IntCC::UnsignedLessThan, bytes, min);
                let size = self.b.ins().select(small, min, bytes);
                let end = self.b.ins().iadd(p, size);
                let top = self.b.ins().load(types::I64, flags(), top_addr, 0);
                let fits = self.b.ins().icmp(IntCC::UnsignedLessThanOrEqual, end, top);
                (size, self.b.ins().band(len_ok, fits))
            }
        };
        let live = self.live_refs(i, op);
        let fast = self.b.create_block();
        let slow = self.b.create_block();
        let done = self.b.create_block();
        self.b.set_cold_block(slow);
        let result = self.b.append_block_param(done, types::I64);
        let params: Vec<ir::Value> = live.iter().map(|_| self.b.append_block_param(done, types::I64)).collect();
        self.b.ins().brif(ok, fast, &[], slow, &[]);

        self.b.switch_to_block(fast);
        let end = self.b.ins().iadd(p, size);
        self.b.ins().store(flags(), end, free_addr, 0);
        let (tid, len_store) = match &kind {
            Kind::Fixed { tid, .. } => (*tid, None),
            Kind::Array { tid, len_offset, len, .. } => (*tid, Some((*len_offset, *len))),
        };
        let header = self.b.ins().iconst(types::I64, tid as i64);
        self.b.ins().store(flags(), header, p, 0);
        if let Some((off, len)) = len_store {
            self.b.ins().store(flags(), len, p, off);
        }
        let mut args = vec![BlockArg::Value(p)];
        for b in &live {
            args.push(BlockArg::Value(self.env[b]));
        }
        self.b.ins().jump(done, &args);

        self.b.switch_to_block(slow);
        self.spill(&live)?;
        let tid_v = self.b.ins().iconst(types::I64, tid as i64);
        let r = match &kind {
            Kind::Fixed { .. } => {
                let f = self.b.ins().iconst(types::I64, rt.malloc_slow as usize as i64);
                self.call_c(f, &[types::I64, types::I64], Some(types::I64), &[tid_v, size])
            }
            Kind::Array { len, .. } => {
                let f = self.b.ins().iconst(types::I64, rt.malloc_varsize_slow as usize as i64);
                self.call_c(f, &[types::I64, types::I64], Some(types::I64), &[tid_v, *len])
            }
        }
        .ok_or_else(|| BackendError::Malformed("slow path without result".into()))?;
        let reloaded = self.reload(&live)?;
        let oom = self.memory_error_block()?;
        let ok_slow = self.b.create_block();
        self.b.set_cold_block(ok_slow);
        self.b.ins().brif(r, ok_slow, &[], oom, &[]);
        self.b.switch_to_block(ok_slow);
        let mut args = vec![BlockArg::Value(r)];
        args.extend(reloaded.into_iter().map(BlockArg::Value));
        self.b.ins().jump(done, &args);

        self.b.switch_to_block(done);
        for (b, v) in live.iter().zip(params) {
            self.env.insert(*b, v);
        }
        if let Kind::Fixed { vtable: Some((vt, off)), .. } = &kind {
            let (vt, off) = (*vt, *off);
            let vt = self.b.ins().iconst(types::I64, vt as i64);
            self.b.ins().store(flags(), vt, result, off);
        }
        self.fresh.clear();
        // Only a small fixed-size object is surely young (the nursery's collectors give
        // larger ones, and arrays of any length, an old object that the barrier tracks).
        if let (Some(r), Kind::Fixed { size, .. }) = (op.result, &kind) {
            if *size <= LARGE_OBJECT_SIZE {
                self.fresh.insert(r);
            }
        }
        Ok(Some(result))
    }
}
