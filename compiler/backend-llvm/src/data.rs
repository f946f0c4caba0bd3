//! Data: prebuilt objects as LLVM globals, the GC type-info table and the `ProgramInfo`
//! handed to the runtime at startup, all laid out as `lltype` and `kiln_abi` say.
//!
//! A GC object's header is `{tid, kiln_abi::GCFLAGS_PREBUILT}`: prebuilt objects never
//! move, start old, and have the write barrier's flag, so that the first store into one
//! records it as a root. The program info names the collector the program was
//! GC-transformed for (its descriptor `kiln_gc_<name>_collector`, null without the GC
//! transform) and lists the prebuilt objects that hold GC pointers (strings aside), which
//! collectors without a barrier scan as roots. A string is an `RStr` with hash 0 (not yet computed), its
//! code-point count, a null index, its length and its bytes. Every static stays writable:
//! programs may mutate prebuilt instances, the runtime caches a string's hash in place, and
//! collectors set header flags on prebuilt objects.

use inkwell::context::Context;
use inkwell::module::Linkage;
use inkwell::types::{BasicType, BasicTypeEnum, StructType};
use inkwell::values::{BasicValue, BasicValueEnum, GlobalValue, PointerValue};
use kiln_abi::{BuiltinExc, ABI_VERSION, GCFLAGS_PREBUILT};
use kiln_lltype::typeinfo::type_info_rows;
use kiln_lltype::{LlConst, LlType, StaticObj, StaticValue, TypeId};

use crate::codegen::Lowering;
use crate::BackendError;

impl<'a, 'ctx> Lowering<'a, 'ctx> {
    /// Adds one global per prebuilt object, without initializers (they may point to each
    /// other, so all must exist first).
    pub(crate) fn declare_statics(&mut self) -> Result<(), BackendError> {
        for s in &self.prog.statics {
            let ty = self.static_type(s)?;
            let g = self.module.add_global(ty, None, &format!("kiln.static.{}", s.name));
            g.set_linkage(Linkage::Internal);
            let align = match self.prog.types.get(s.ty) {
                LlType::Struct(_) => self.prog.types.struct_layout(s.ty).align,
                _ => 8,
            };
            g.set_alignment(align.max(8) as u32);
            self.statics.push(g);
        }
        Ok(())
    }

    /// Sets every prebuilt object's initializer.
    pub(crate) fn init_statics(&self) -> Result<(), BackendError> {
        for (s, g) in self.prog.statics.iter().zip(&self.statics) {
            let value = self.static_value(s)?;
            g.set_initializer(&value);
        }
        Ok(())
    }

    fn gc_header(&self, ty: TypeId) -> Result<BasicValueEnum<'ctx>, BackendError> {
        let tid = self.prog.types.gc_typeid(ty).ok_or_else(|| BackendError::Internal(format!("GC type {} has no type id", self.prog.types.name(ty))))?;
        let i32t = self.ctx.i32_type();
        Ok(self.ctx.const_struct(&[i32t.const_int(tid as u64, false).into(), i32t.const_int(GCFLAGS_PREBUILT as u64, false).into()], false).into())
    }

    /// The LLVM type of a prebuilt object: the container's named type when it has no
    /// variable part, else a literal struct of the same fields with the items counted.
    fn static_type(&self, s: &StaticObj) -> Result<BasicTypeEnum<'ctx>, BackendError> {
        let types = &self.prog.types;
        let c = self.types.container(s.ty);
        Ok(match (&s.value, types.get(s.ty)) {
            (StaticValue::Struct { items, .. }, LlType::Struct(_)) => match types.varsize_array(s.ty) {
                None => c.ty.into(),
                Some(arr) => self.with_items(c.ty, self.types.inline_array(types, types.array_item(arr), items.len() as u32).into()).into(),
            },
            (StaticValue::Str(text), _) => {
                self.with_items(c.ty, self.types.inline_array(types, TypeId::CHAR, text.len() as u32).into()).into()
            }
            (StaticValue::Array(items), LlType::Array { item, .. }) => {
                self.with_items(c.ty, self.types.mem_type(types, *item).array_type(items.len() as u32).into()).into()
            }
            _ => return Err(BackendError::Internal(format!("prebuilt object {} does not fit its type {}", s.name, types.name(s.ty)))),
        })
    }

    /// `named`'s fields with the last (the variable part) replaced by `last`.
    fn with_items(&self, named: StructType<'ctx>, last: BasicTypeEnum<'ctx>) -> StructType<'ctx> {
        let mut fields = named.get_field_types();
        fields.pop();
        fields.push(last);
        self.ctx.struct_type(&fields, false)
    }

    fn static_value(&self, s: &StaticObj) -> Result<BasicValueEnum<'ctx>, BackendError> {
        let types = &self.prog.types;
        let c = self.types.container(s.ty);
        let mut values: Vec<BasicValueEnum<'ctx>> = Vec::new();
        if c.header == 1 {
            values.push(self.gc_header(s.ty)?);
        }
        let i64t = self.ctx.i64_type();
        match &s.value {
            StaticValue::Struct { fields, items } => {
                let st = types.struct_type(s.ty);
                for (value, field) in fields.iter().zip(&st.fields) {
                    values.push(self.mem_const(field.ty, value)?);
                }
                match types.varsize_array(s.ty) {
                    Some(arr) => {
                        let item = types.array_item(arr);
                        let items = items.iter().map(|v| self.mem_const(item, v)).collect::<Result<Vec<_>, _>>()?;
                        values.push(self.ctx.const_struct(&[i64t.const_int(items.len() as u64, false).into(), self.const_array(item, items)?.into()], false).into());
                    }
                    None if c.padding > 0 => values.push(self.ctx.i8_type().array_type(c.padding).const_zero().into()),
                    None => {}
                }
                if types.varsize_array(s.ty).is_none() {
                    return Ok(c.ty.const_named_struct(&values).into());
                }
            }
            StaticValue::Str(text) => {
                let bytes = text.as_bytes();
                values.push(i64t.const_zero().into());
                values.push(i64t.const_int(text.chars().count() as u64, false).into());
                values.push(self.types.ptr().const_null().into());
                values.push(self.ctx.const_struct(&[i64t.const_int(bytes.len() as u64, false).into(), self.ctx.const_string(bytes, false).into()], false).into());
            }
            StaticValue::Array(items) => {
                let item = types.array_item(s.ty);
                let items = items.iter().map(|v| self.mem_const(item, v)).collect::<Result<Vec<_>, _>>()?;
                values.push(i64t.const_int(items.len() as u64, false).into());
                values.push(self.const_array(item, items)?.into());
            }
        }
        Ok(self.ctx.const_struct(&values, false).into())
    }

    /// An array constant of items of lltype `item`.
    fn const_array(&self, item: TypeId, values: Vec<BasicValueEnum<'ctx>>) -> Result<inkwell::values::ArrayValue<'ctx>, BackendError> {
        Ok(match self.types.mem_type(&self.prog.types, item) {
            BasicTypeEnum::IntType(t) => t.const_array(&values.iter().map(|v| v.into_int_value()).collect::<Vec<_>>()),
            BasicTypeEnum::FloatType(t) => t.const_array(&values.iter().map(|v| v.into_float_value()).collect::<Vec<_>>()),
            BasicTypeEnum::PointerType(t) => t.const_array(&values.iter().map(|v| v.into_pointer_value()).collect::<Vec<_>>()),
            BasicTypeEnum::StructType(t) => t.const_array(&values.iter().map(|v| v.into_struct_value()).collect::<Vec<_>>()),
            other => return Err(BackendError::Internal(format!("no array constants of {other:?}"))),
        })
    }

    /// A constant stored in memory as a value of lltype `ty` (Bool as `i8`, Void as `{}`).
    pub(crate) fn mem_const(&self, ty: TypeId, c: &LlConst) -> Result<BasicValueEnum<'ctx>, BackendError> {
        Ok(match c {
            LlConst::Void => self.ctx.const_struct(&[], false).into(),
            LlConst::Bool(b) => self.ctx.i8_type().const_int(*b as u64, false).into(),
            other => self.const_value(other)?.ok_or_else(|| BackendError::Internal(format!("no constant of {} for {other:?}", self.prog.types.name(ty))))?,
        })
    }

    /// A constant as a register value; `None` for Void.
    pub(crate) fn const_value(&self, c: &LlConst) -> Result<Option<BasicValueEnum<'ctx>>, BackendError> {
        Ok(Some(match c {
            LlConst::Void => return Ok(None),
            LlConst::Bool(b) => self.ctx.bool_type().const_int(*b as u64, false).into(),
            LlConst::Signed(i) => self.ctx.i64_type().const_int(*i as u64, true).into(),
            LlConst::Unsigned(u) => self.ctx.i64_type().const_int(*u, false).into(),
            LlConst::Float(f) => self.ctx.f64_type().const_float(*f).into(),
            LlConst::Char(ch) => self.ctx.i8_type().const_int(*ch as u64, false).into(),
            LlConst::UniChar(ch) => self.ctx.i32_type().const_int(*ch as u64, false).into(),
            LlConst::Null(_) => self.types.ptr().const_null().into(),
            LlConst::Static(id, _) => self.static_ptr(id.0)?.into(),
            LlConst::Func(id, _) => self
                .funcs
                .get(id.0 as usize)
                .ok_or_else(|| BackendError::Internal(format!("a constant names function f{}, which does not exist", id.0)))?
                .as_global_value()
                .as_pointer_value()
                .into(),
        }))
    }

    fn static_ptr(&self, id: u32) -> Result<PointerValue<'ctx>, BackendError> {
        self.statics
            .get(id as usize)
            .map(|g| g.as_pointer_value())
            .ok_or_else(|| BackendError::Internal(format!("a constant names prebuilt object s{id}, which does not exist")))
    }

    /// Emits the GC type-info table and the `ProgramInfo` that points to it; returns the
    /// latter.
    pub(crate) fn emit_program_info(&self) -> Result<GlobalValue<'ctx>, BackendError> {
        let i32t = self.ctx.i32_type();
        let ptr = self.types.ptr();
        let row_ty = type_info_type(self.ctx);
        let rows = type_info_rows(&self.prog.types);
        let offsets = |tid: usize, what: &str, offs: &[u32]| -> PointerValue<'ctx> {
            if offs.is_empty() {
                return ptr.const_null();
            }
            let arr = i32t.const_array(&offs.iter().map(|o| i32t.const_int(*o as u64, false)).collect::<Vec<_>>());
            let g = self.module.add_global(arr.get_type(), None, &format!("kiln.type_info.{tid}.{what}"));
            g.set_linkage(Linkage::Private);
            g.set_constant(true);
            g.set_initializer(&arr);
            g.as_pointer_value()
        };
        let row_values: Vec<_> = rows
            .iter()
            .enumerate()
            .map(|(tid, r)| {
                let n = |x: u32| i32t.const_int(x as u64, false).as_basic_value_enum();
                row_ty.const_named_struct(&[
                    n(r.fixed_size),
                    n(r.flags),
                    n(r.length_offset),
                    n(r.items_offset),
                    n(r.item_size),
                    n(r.ptr_offsets.len() as u32),
                    offsets(tid, "ptrs", &r.ptr_offsets).into(),
                    n(r.item_ptr_offsets.len() as u32),
                    offsets(tid, "item_ptrs", &r.item_ptr_offsets).into(),
                ])
            })
            .collect();
        let table = row_ty.const_array(&row_values);
        let table_g = self.module.add_global(table.get_type(), None, "kiln.type_info");
        table_g.set_linkage(Linkage::Internal);
        table_g.set_constant(true);
        table_g.set_initializer(&table);

        let mut exc = Vec::with_capacity(BuiltinExc::COUNT);
        for i in 0..BuiltinExc::COUNT {
            exc.push(match self.prog.exc_vtables.get(i).copied().flatten() {
                Some(id) => self.static_ptr(id.0)?,
                None => ptr.const_null(),
            });
        }
        let gc = match self.prog.gc {
            Some(policy) => {
                let name = policy.symbol(kiln_abi::gc::SYM_COLLECTOR);
                let g = self.module.get_global(&name).unwrap_or_else(|| self.module.add_global(self.ctx.i8_type(), None, &name));
                g.set_linkage(Linkage::External);
                g.as_pointer_value()
            }
            None => ptr.const_null(),
        };
        let (prebuilt_count, prebuilt) = self.prebuilt_roots()?;
        let info_ty = program_info_type(self.ctx);
        let info = info_ty.const_named_struct(&[
            i32t.const_int(ABI_VERSION as u64, false).into(),
            i32t.const_int(rows.len() as u64, false).into(),
            table_g.as_pointer_value().into(),
            ptr.const_array(&exc).into(),
            gc.into(),
            self.ctx.i64_type().const_int(prebuilt_count, false).into(),
            prebuilt.into(),
        ]);
        let g = self.module.add_global(info_ty, None, "kiln.program_info");
        g.set_linkage(Linkage::Internal);
        g.set_constant(true);
        g.set_initializer(&info);
        Ok(g)
    }
}

impl<'a, 'ctx> Lowering<'a, 'ctx> {
    /// The table of prebuilt GC objects whose type has GC pointers, strings excepted
    /// (`ProgramInfo::prebuilt_objects`): its length and address (null when empty).
    fn prebuilt_roots(&self) -> Result<(u64, PointerValue<'ctx>), BackendError> {
        let types = &self.prog.types;
        let mut entries = Vec::new();
        for (i, s) in self.prog.statics.iter().enumerate() {
            if s.ty == TypeId::STR || !types.is_gc(s.ty) {
                continue;
            }
            let (fixed, items) = types.gc_pointer_offsets(s.ty);
            if fixed.is_empty() && items.is_empty() {
                continue;
            }
            entries.push(self.static_ptr(i as u32)?);
        }
        let ptr = self.types.ptr();
        if entries.is_empty() {
            return Ok((0, ptr.const_null()));
        }
        let arr = ptr.const_array(&entries);
        let g = self.module.add_global(arr.get_type(), None, "kiln.prebuilt_gc_objects");
        g.set_linkage(Linkage::Private);
        g.set_constant(true);
        g.set_initializer(&arr);
        Ok((entries.len() as u64, g.as_pointer_value()))
    }
}

/// The `TypeInfo` row type of `kiln_abi`.
pub(crate) fn type_info_type(ctx: &Context) -> StructType<'_> {
    let i32t: BasicTypeEnum = ctx.i32_type().into();
    let ptr: BasicTypeEnum = ctx.ptr_type(inkwell::AddressSpace::default()).into();
    let t = ctx.opaque_struct_type("kiln.TypeInfo");
    t.set_body(&[i32t, i32t, i32t, i32t, i32t, i32t, ptr, i32t, ptr], false);
    t
}

/// The `ProgramInfo` type of `kiln_abi`.
pub(crate) fn program_info_type(ctx: &Context) -> StructType<'_> {
    let i32t: BasicTypeEnum = ctx.i32_type().into();
    let ptr = ctx.ptr_type(inkwell::AddressSpace::default());
    let t = ctx.opaque_struct_type("kiln.ProgramInfo");
    t.set_body(&[i32t, i32t, ptr.into(), ptr.array_type(BuiltinExc::COUNT as u32).into(), ptr.into(), ctx.i64_type().into(), ptr.into()], false);
    t
}

#[cfg(test)]
mod tests {
    use std::mem::{offset_of, size_of};

    use inkwell::targets::TargetData;
    use kiln_abi::{ProgramInfo, TypeInfo};

    use super::*;

    fn offsets(td: &TargetData, t: StructType<'_>) -> Vec<u64> {
        (0..t.count_fields()).map(|i| td.offset_of_element(&t, i).expect("field exists")).collect()
    }

    /// The startup data must have the layout the runtime is compiled against.
    #[test]
    fn startup_data_matches_the_abi_structs() {
        let ctx = Context::create();
        let td = TargetData::create(crate::types::X86_64_DATA_LAYOUT);
        let ti = type_info_type(&ctx);
        assert_eq!(
            offsets(&td, ti),
            [
                offset_of!(TypeInfo, fixed_size),
                offset_of!(TypeInfo, flags),
                offset_of!(TypeInfo, length_offset),
                offset_of!(TypeInfo, items_offset),
                offset_of!(TypeInfo, item_size),
                offset_of!(TypeInfo, ptr_count),
                offset_of!(TypeInfo, ptr_offsets),
                offset_of!(TypeInfo, item_ptr_count),
                offset_of!(TypeInfo, item_ptr_offsets),
            ]
            .map(|o| o as u64)
        );
        assert_eq!(td.get_abi_size(&ti), size_of::<TypeInfo>() as u64);
        let pi = program_info_type(&ctx);
        assert_eq!(
            offsets(&td, pi),
            [
                offset_of!(ProgramInfo, abi_version),
                offset_of!(ProgramInfo, type_count),
                offset_of!(ProgramInfo, type_info),
                offset_of!(ProgramInfo, exc_vtables),
                offset_of!(ProgramInfo, gc),
                offset_of!(ProgramInfo, prebuilt_count),
                offset_of!(ProgramInfo, prebuilt_objects),
            ]
            .map(|o| o as u64)
        );
        assert_eq!(td.get_abi_size(&pi), size_of::<ProgramInfo>() as u64);
    }
}
