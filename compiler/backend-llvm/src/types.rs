//! Low-level types as LLVM types, laid out exactly as `lltype` computes (DESIGN §7).
//!
//! In registers: Bool is `i1`, Signed and Unsigned `i64`, Float `double`, Char `i8`,
//! UniChar `i32`, every pointer and Address the opaque `ptr`; Void has no value. In
//! memory, Bool is `i8` and Void the empty struct `{}`.
//!
//! Every struct and array container gets a named LLVM struct: a GC container starts with
//! the header `{i32, i32}`; a struct's inline array (its last field) is `{i64, [0 x item]}`,
//! a standalone array `{[header,] i64, [0 x item]}`. `lltype` aligns every GC object to 8
//! while LLVM aligns the header to 4, so a fixed-size struct whose natural LLVM size falls
//! short of `lltype`'s gets explicit tail padding; the test at the end of this file checks
//! every offset and size against LLVM's data layout.

use std::collections::HashMap;

use inkwell::context::Context;
use inkwell::types::{BasicMetadataTypeEnum, BasicType, BasicTypeEnum, FunctionType, StructType};
use inkwell::AddressSpace;
use kiln_lltype::types::round_up;
use kiln_lltype::{Kind, LlType, TypeId, TypeTable};

/// How one container type is represented.
#[derive(Clone, Copy)]
pub(crate) struct Container<'ctx> {
    pub ty: StructType<'ctx>,
    /// 1 when the LLVM struct starts with the GC header, else 0: LLVM field `i` is
    /// lltype field `i - header`.
    pub header: u32,
    /// Bytes of tail padding added after the last field, if any.
    pub padding: u32,
}

/// The LLVM form of every type of one program.
pub(crate) struct TypeMap<'ctx> {
    ctx: &'ctx Context,
    containers: HashMap<TypeId, Container<'ctx>>,
}

impl<'ctx> TypeMap<'ctx> {
    /// Creates a named LLVM struct for every struct and array of `types`.
    pub fn new(ctx: &'ctx Context, types: &TypeTable) -> TypeMap<'ctx> {
        let mut map = TypeMap { ctx, containers: HashMap::new() };
        let ids = (0..types.len() as u32).map(TypeId);
        for id in ids.clone() {
            if matches!(types.get(id), LlType::Struct(_) | LlType::Array { .. }) {
                let name = format!("kiln.{}", types.name(id));
                let header = u32::from(types.is_gc(id));
                map.containers.insert(id, Container { ty: ctx.opaque_struct_type(&name), header, padding: 0 });
            }
        }
        for id in ids {
            let Some(c) = map.containers.get(&id).copied() else { continue };
            let mut body: Vec<BasicTypeEnum<'ctx>> = Vec::new();
            if c.header == 1 {
                body.push(map.header_type().into());
            }
            let mut padding = 0;
            match types.get(id) {
                LlType::Struct(s) => {
                    for f in &s.fields {
                        match types.get(f.ty) {
                            LlType::Array { item, .. } => body.push(map.inline_array(types, *item, 0).into()),
                            _ => body.push(map.mem_type(types, f.ty)),
                        }
                    }
                    if types.varsize_array(id).is_none() {
                        padding = tail_padding(types, id);
                        if padding > 0 {
                            body.push(ctx.i8_type().array_type(padding).into());
                        }
                    }
                }
                LlType::Array { item, .. } => {
                    body.push(ctx.i64_type().into());
                    body.push(map.mem_type(types, *item).array_type(0).into());
                }
                _ => unreachable!("only containers are in the map"),
            }
            c.ty.set_body(&body, false);
            map.containers.get_mut(&id).expect("inserted above").padding = padding;
        }
        map
    }

    /// The GC header, `{i32 tid, i32 flags}`.
    pub fn header_type(&self) -> StructType<'ctx> {
        self.ctx.struct_type(&[self.ctx.i32_type().into(), self.ctx.i32_type().into()], false)
    }

    /// A struct's inline array with `len` items: `{i64, [len x item]}`.
    pub fn inline_array(&self, types: &TypeTable, item: TypeId, len: u32) -> StructType<'ctx> {
        self.ctx.struct_type(&[self.ctx.i64_type().into(), self.mem_type(types, item).array_type(len).into()], false)
    }

    pub fn container(&self, id: TypeId) -> Container<'ctx> {
        *self.containers.get(&id).unwrap_or_else(|| panic!("type t{} is not a struct or array", id.0))
    }

    pub fn ptr(&self) -> inkwell::types::PointerType<'ctx> {
        self.ctx.ptr_type(AddressSpace::default())
    }

    /// The type of a value of `ty` in a register; `None` for Void.
    pub fn value_type(&self, ty: TypeId) -> Option<BasicTypeEnum<'ctx>> {
        self.kind_type(kiln_lltype::kind_of(ty))
    }

    /// The register type of a value of a kind; `None` for Void.
    pub fn kind_type(&self, kind: Kind) -> Option<BasicTypeEnum<'ctx>> {
        Some(match kind {
            Kind::Void => return None,
            Kind::Bool => self.ctx.bool_type().into(),
            Kind::Int | Kind::Uint => self.ctx.i64_type().into(),
            Kind::Float => self.ctx.f64_type().into(),
            Kind::Char => self.ctx.i8_type().into(),
            Kind::UniChar => self.ctx.i32_type().into(),
            Kind::Ptr | Kind::Any => self.ptr().into(),
        })
    }

    /// The type of a value of `ty` stored in a field, an array item or a static.
    pub fn mem_type(&self, types: &TypeTable, ty: TypeId) -> BasicTypeEnum<'ctx> {
        match types.get(ty) {
            LlType::Void => self.ctx.struct_type(&[], false).into(),
            LlType::Bool => self.ctx.i8_type().into(),
            LlType::Struct(_) => self.container(ty).ty.into(),
            _ => self.value_type(ty).expect("only Void has no register type"),
        }
    }

    /// The LLVM function type of an `LlType::Func`; Void parameters are dropped.
    pub fn fn_type(&self, types: &TypeTable, func_ty: TypeId) -> FunctionType<'ctx> {
        let LlType::Func { args, ret } = types.get(func_ty) else {
            panic!("type t{} is not a function type", func_ty.0);
        };
        let params: Vec<BasicMetadataTypeEnum<'ctx>> = args.iter().filter_map(|a| self.value_type(*a)).map(Into::into).collect();
        match self.value_type(*ret) {
            Some(r) => r.fn_type(&params, false),
            None => self.ctx.void_type().fn_type(&params, false),
        }
    }
}

/// The tail padding a fixed-size struct needs so that LLVM's size equals lltype's.
fn tail_padding(types: &TypeTable, id: TypeId) -> u32 {
    let layout = types.struct_layout(id);
    let s = types.struct_type(id);
    let end = match s.fields.last() {
        Some(f) => layout.offsets.last().copied().unwrap_or(0) + types.layout(f.ty).size,
        None if s.gc => kiln_lltype::types::GC_HEADER_SIZE,
        None => 0,
    };
    if round_up(end, llvm_align(types, id)) == layout.size {
        0
    } else {
        (layout.size - end) as u32
    }
}

/// The alignment LLVM gives a container: that of its most aligned field, with the GC
/// header counting as 4.
fn llvm_align(types: &TypeTable, id: TypeId) -> u64 {
    match types.get(id) {
        LlType::Struct(s) => {
            let mut align = if s.gc { 4 } else { 1 };
            for f in &s.fields {
                let a = match types.get(f.ty) {
                    LlType::Array { item, .. } => types.layout(*item).align.max(8),
                    LlType::Struct(_) => llvm_align(types, f.ty),
                    _ => types.layout(f.ty).align,
                };
                align = align.max(a);
            }
            align
        }
        _ => types.layout(id).align,
    }
}

/// LLVM 19's data layout for x86-64 Linux, which `lltype`'s layout targets; the layout
/// tests check against it whatever the machine running them.
#[cfg(test)]
pub(crate) const X86_64_DATA_LAYOUT: &str = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128";

#[cfg(test)]
mod tests {
    use super::*;
    use inkwell::targets::TargetData;
    use kiln_lltype::Field;

    const X86_64: &str = super::X86_64_DATA_LAYOUT;

    fn field(name: &str, ty: TypeId) -> Field {
        Field { name: name.into(), ty, mutability: Default::default() }
    }

    /// The well-known types plus structs shaped like the RTyper's: instances with mixed
    /// field sizes, a subclass vtable with a method pointer, a variable-size struct with
    /// code-point items, and small structs that need tail padding.
    fn sample_types() -> TypeTable {
        let mut t = TypeTable::new();
        let inst = t.new_struct("Node", true);
        t.set_fields(
            inst,
            vec![field("typeptr", TypeId::VTABLE_PTR), field("flag", TypeId::BOOL), field("ch", TypeId::UNICHAR), field("value", TypeId::FLOAT), field("c", TypeId::CHAR), field("next", TypeId::STR_PTR)],
        );
        let fty = t.func(vec![TypeId::OBJECT_PTR], TypeId::SIGNED);
        let fptr = t.ptr(fty);
        let vt = t.new_struct("Node_vtable", false);
        let mut fields = TypeTable::vtable_prefix(TypeId::STR_PTR);
        fields.push(field("method_eval", fptr));
        fields.push(field("attr_arity", TypeId::CHAR));
        t.set_fields(vt, fields);
        let arr = t.raw_array(TypeId::UNICHAR);
        let ustr = t.new_struct("UnicodeBuf", true);
        t.set_fields(ustr, vec![field("flag", TypeId::BOOL), field("chars", arr)]);
        let small = t.new_struct("Small", true);
        t.set_fields(small, vec![field("b", TypeId::BOOL)]);
        let empty = t.new_struct("Empty", true);
        t.set_fields(empty, vec![]);
        let raw = t.new_struct("RawPair", false);
        t.set_fields(raw, vec![field("a", TypeId::CHAR), field("b", TypeId::UNICHAR), field("v", TypeId::VOID)]);
        t.gc_array(TypeId::FLOAT);
        t.gc_array(TypeId::BOOL);
        t
    }

    #[test]
    fn llvm_offsets_equal_lltype_layout() {
        let types = sample_types();
        let ctx = Context::create();
        let map = TypeMap::new(&ctx, &types);
        let td = TargetData::create(X86_64);
        let mut checked = 0;
        for id in (0..types.len() as u32).map(TypeId) {
            match types.get(id) {
                LlType::Struct(s) => {
                    let c = map.container(id);
                    let layout = types.struct_layout(id);
                    for (i, off) in layout.offsets.iter().enumerate() {
                        let llvm = td.offset_of_element(&c.ty, i as u32 + c.header).expect("field exists");
                        assert_eq!(llvm, *off, "{}.{}", s.name, s.fields[i].name);
                    }
                    match layout.varsize {
                        Some(v) => {
                            let last = c.ty.count_fields() - 1;
                            let inner = c.ty.get_field_type_at_index(last).expect("inline array").into_struct_type();
                            let at = td.offset_of_element(&c.ty, last).expect("inline array");
                            assert_eq!(at, v.length_offset, "{} length", s.name);
                            assert_eq!(at + td.offset_of_element(&inner, 1).expect("items"), v.items_offset, "{} items", s.name);
                        }
                        None => assert_eq!(td.get_abi_size(&c.ty), layout.size, "size of {}", s.name),
                    }
                    if s.gc {
                        assert_eq!(td.offset_of_element(&c.ty, 0), Some(0), "{} header", s.name);
                    }
                    checked += 1;
                }
                LlType::Array { .. } => {
                    let c = map.container(id);
                    let v = types.array_layout(id);
                    assert_eq!(td.offset_of_element(&c.ty, c.header), Some(v.length_offset), "{} length", types.name(id));
                    assert_eq!(td.offset_of_element(&c.ty, c.header + 1), Some(v.items_offset), "{} items", types.name(id));
                    checked += 1;
                }
                _ => {}
            }
        }
        assert_eq!(checked, 19, "10 well-known containers and 9 sample ones");
    }

    #[test]
    fn tail_padding_makes_small_gc_structs_full_size() {
        let types = sample_types();
        let ctx = Context::create();
        let map = TypeMap::new(&ctx, &types);
        let td = TargetData::create(X86_64);
        let small = (0..types.len() as u32).map(TypeId).find(|t| types.name(*t) == "Small").expect("Small exists");
        assert_eq!(types.struct_layout(small).size, 16);
        assert_eq!(map.container(small).padding, 7);
        assert_eq!(td.get_abi_size(&map.container(small).ty), 16);
    }
}
