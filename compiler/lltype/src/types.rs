//! Low-level types and their x86-64 layout, computed once here for every consumer.
//!
//! Primitive types, pointers, arrays and function types are interned structurally;
//! structs are nominal (created empty, then given fields, so they can be recursive).
//! A GC container (struct or array with `gc: true`) starts with the 8-byte
//! [`kiln_abi::GcHeader`] and gets a GC type id when it is created.

use std::collections::HashMap;
use std::fmt;

use kiln_abi::typeid;

/// Index of a type in the [`TypeTable`]. The first few ids are fixed (see the constants).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default)]
pub struct TypeId(pub u32);

impl TypeId {
    pub const VOID: TypeId = TypeId(0);
    pub const BOOL: TypeId = TypeId(1);
    pub const SIGNED: TypeId = TypeId(2);
    pub const UNSIGNED: TypeId = TypeId(3);
    pub const FLOAT: TypeId = TypeId(4);
    /// One byte of a string's UTF-8 data.
    pub const CHAR: TypeId = TypeId(5);
    /// A Unicode code point: the low-level form of a one-character string.
    pub const UNICHAR: TypeId = TypeId(6);
    /// An untyped machine address (GC internals only).
    pub const ADDRESS: TypeId = TypeId(7);
    /// The inline byte array of a string.
    pub const CHAR_ARRAY: TypeId = TypeId(8);
    /// An immutable string (see `kiln_abi::RStr`).
    pub const STR: TypeId = TypeId(9);
    pub const STR_PTR: TypeId = TypeId(10);
    pub const ARRAY_SIGNED: TypeId = TypeId(11);
    pub const ARRAY_SIGNED_PTR: TypeId = TypeId(12);
    pub const ARRAY_STR: TypeId = TypeId(13);
    pub const ARRAY_STR_PTR: TypeId = TypeId(14);
    pub const LIST_STR: TypeId = TypeId(15);
    pub const LIST_STR_PTR: TypeId = TypeId(16);
    /// The vtable prefix every class vtable starts with.
    pub const VTABLE: TypeId = TypeId(17);
    pub const VTABLE_PTR: TypeId = TypeId(18);
    /// The root instance struct: GC header and class pointer.
    pub const OBJECT: TypeId = TypeId(19);
    pub const OBJECT_PTR: TypeId = TypeId(20);
    pub const BASE_EXCEPTION: TypeId = TypeId(21);
    pub const BASE_EXCEPTION_PTR: TypeId = TypeId(22);
    pub const OS_ERROR: TypeId = TypeId(23);
    pub const OS_ERROR_PTR: TypeId = TypeId(24);
    pub const LIST_SIGNED: TypeId = TypeId(25);
    pub const LIST_SIGNED_PTR: TypeId = TypeId(26);
}

/// A field of a struct.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    pub name: String,
    pub ty: TypeId,
    /// How the field may change after construction (`_immutable_fields_`): the JIT
    /// may constant-fold reads of immutable fields from a constant object.
    pub mutability: crate::jit::Mutability,
}

/// A struct. With `gc`, it is a GC object with a header. If its last field has an
/// [`LlType::Array`] type, that array is stored inline and the struct is variable-sized.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StructType {
    pub name: String,
    pub gc: bool,
    pub fields: Vec<Field>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LlType {
    Void,
    Bool,
    Signed,
    Unsigned,
    Float,
    Char,
    UniChar,
    Address,
    /// A pointer to a container (struct or array) or to a function type.
    Ptr(TypeId),
    Struct(StructType),
    /// A length-prefixed array. With `gc`, a standalone GC object; without, either
    /// stored inline as the last field of a struct or standalone static data.
    Array { item: TypeId, gc: bool },
    Func { args: Vec<TypeId>, ret: TypeId },
}

/// Size and alignment in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub size: u64,
    pub align: u64,
}

/// The layout of a struct: each field's offset; for a variable-size struct, where the
/// inline array's length word and first item are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructLayout {
    pub offsets: Vec<u64>,
    /// Size of the fixed part (for a varsize struct: up to the first item).
    pub size: u64,
    pub align: u64,
    pub varsize: Option<VarsizeLayout>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VarsizeLayout {
    pub length_offset: u64,
    pub items_offset: u64,
    pub item_size: u64,
    pub item_type: TypeId,
}

pub const GC_HEADER_SIZE: u64 = 8;

/// All low-level types of one program.
#[derive(Clone, Debug)]
pub struct TypeTable {
    types: Vec<LlType>,
    interned: HashMap<LlType, TypeId>,
    gc_typeids: HashMap<TypeId, u32>,
    next_typeid: u32,
}

impl Default for TypeTable {
    fn default() -> Self {
        TypeTable::new()
    }
}

impl TypeTable {
    /// A table holding the primitive and well-known types at their fixed ids.
    pub fn new() -> TypeTable {
        let mut t = TypeTable { types: Vec::new(), interned: HashMap::new(), gc_typeids: HashMap::new(), next_typeid: typeid::FIRST_FREE_TYPEID };
        for ty in [LlType::Void, LlType::Bool, LlType::Signed, LlType::Unsigned, LlType::Float, LlType::Char, LlType::UniChar, LlType::Address] {
            t.intern(ty);
        }
        let s = TypeId::SIGNED;
        let chars = t.intern(LlType::Array { item: TypeId::CHAR, gc: false });
        let str_ = t.new_struct_fixed("STR", true, typeid::STR);
        let str_ptr = t.ptr(str_);
        let arr_signed = t.new_array_fixed(s, typeid::ARRAY_SIGNED);
        let arr_signed_ptr = t.ptr(arr_signed);
        t.set_fields(
            str_,
            vec![f("hash", s), f("cplen", s), f("index", arr_signed_ptr), f("chars", chars)],
        );
        let arr_str = t.new_array_fixed(str_ptr, typeid::ARRAY_STR);
        let arr_str_ptr = t.ptr(arr_str);
        let list_str = t.new_struct_fixed("LIST_OF_STR", true, typeid::LIST_STR);
        let list_str_ptr = t.ptr(list_str);
        t.set_fields(list_str, vec![f("length", s), f("items", arr_str_ptr)]);
        let vtable = t.new_struct("object_vtable", false);
        let vtable_ptr = t.ptr(vtable);
        t.set_fields(vtable, Self::vtable_prefix(str_ptr));
        let object = t.new_struct("OBJECT", true);
        let object_ptr = t.ptr(object);
        t.set_fields(object, vec![f("typeptr", vtable_ptr)]);
        let base_exc = t.new_struct_fixed("BaseException", true, typeid::BASE_EXCEPTION);
        let base_exc_ptr = t.ptr(base_exc);
        t.set_fields(base_exc, vec![f("typeptr", vtable_ptr), f("message", str_ptr)]);
        let os_error = t.new_struct_fixed("OSError", true, typeid::OS_ERROR);
        let os_error_ptr = t.ptr(os_error);
        t.set_fields(os_error, vec![f("typeptr", vtable_ptr), f("message", str_ptr), f("errno", s)]);
        let list_signed = t.new_struct_fixed("LIST_OF_SIGNED", true, typeid::LIST_SIGNED);
        let list_signed_ptr = t.ptr(list_signed);
        t.set_fields(list_signed, vec![f("length", s), f("items", arr_signed_ptr)]);
        let expected = [
            (chars, TypeId::CHAR_ARRAY),
            (str_, TypeId::STR),
            (str_ptr, TypeId::STR_PTR),
            (arr_signed, TypeId::ARRAY_SIGNED),
            (arr_signed_ptr, TypeId::ARRAY_SIGNED_PTR),
            (arr_str, TypeId::ARRAY_STR),
            (arr_str_ptr, TypeId::ARRAY_STR_PTR),
            (list_str, TypeId::LIST_STR),
            (list_str_ptr, TypeId::LIST_STR_PTR),
            (vtable, TypeId::VTABLE),
            (vtable_ptr, TypeId::VTABLE_PTR),
            (object, TypeId::OBJECT),
            (object_ptr, TypeId::OBJECT_PTR),
            (base_exc, TypeId::BASE_EXCEPTION),
            (base_exc_ptr, TypeId::BASE_EXCEPTION_PTR),
            (os_error, TypeId::OS_ERROR),
            (os_error_ptr, TypeId::OS_ERROR_PTR),
            (list_signed, TypeId::LIST_SIGNED),
            (list_signed_ptr, TypeId::LIST_SIGNED_PTR),
        ];
        for (got, want) in expected {
            assert_eq!(got, want, "well-known type ids are fixed");
        }
        t
    }

    /// The fields every vtable starts with; subclass vtables append methods and class
    /// attributes after them.
    pub fn vtable_prefix(str_ptr: TypeId) -> Vec<Field> {
        let s = TypeId::SIGNED;
        vec![f("subclassrange_min", s), f("subclassrange_max", s), f("name", str_ptr), f("instance_typeid", s), f("instance_size", s)]
    }

    fn intern(&mut self, ty: LlType) -> TypeId {
        if let Some(&id) = self.interned.get(&ty) {
            return id;
        }
        let id = TypeId(self.types.len() as u32);
        self.types.push(ty.clone());
        self.interned.insert(ty, id);
        id
    }

    pub fn get(&self, id: TypeId) -> &LlType {
        &self.types[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.types.len()
    }

    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    pub fn ptr(&mut self, to: TypeId) -> TypeId {
        self.intern(LlType::Ptr(to))
    }

    pub fn func(&mut self, args: Vec<TypeId>, ret: TypeId) -> TypeId {
        self.intern(LlType::Func { args, ret })
    }

    /// A standalone GC array of `item`, interned.
    pub fn gc_array(&mut self, item: TypeId) -> TypeId {
        let ty = LlType::Array { item, gc: true };
        if let Some(&id) = self.interned.get(&ty) {
            return id;
        }
        let id = self.intern(ty);
        self.assign_typeid(id);
        id
    }

    /// A non-GC array of `item`: inline in a struct, or standalone static data.
    pub fn raw_array(&mut self, item: TypeId) -> TypeId {
        self.intern(LlType::Array { item, gc: false })
    }

    fn new_array_fixed(&mut self, item: TypeId, tid: u32) -> TypeId {
        let id = self.intern(LlType::Array { item, gc: true });
        self.gc_typeids.insert(id, tid);
        id
    }

    /// A new nominal struct with no fields yet; give it fields with [`Self::set_fields`].
    pub fn new_struct(&mut self, name: &str, gc: bool) -> TypeId {
        let id = TypeId(self.types.len() as u32);
        self.types.push(LlType::Struct(StructType { name: name.to_string(), gc, fields: Vec::new() }));
        if gc {
            self.assign_typeid(id);
        }
        id
    }

    fn new_struct_fixed(&mut self, name: &str, gc: bool, tid: u32) -> TypeId {
        let id = TypeId(self.types.len() as u32);
        self.types.push(LlType::Struct(StructType { name: name.to_string(), gc, fields: Vec::new() }));
        self.gc_typeids.insert(id, tid);
        id
    }

    fn assign_typeid(&mut self, id: TypeId) {
        self.gc_typeids.insert(id, self.next_typeid);
        self.next_typeid += 1;
    }

    pub fn set_fields(&mut self, id: TypeId, fields: Vec<Field>) {
        match &mut self.types[id.0 as usize] {
            LlType::Struct(s) => s.fields = fields,
            other => panic!("set_fields on non-struct {other:?}"),
        }
    }

    /// Appends a field to a struct and returns its index.
    pub fn add_field(&mut self, id: TypeId, name: &str, ty: TypeId) -> u32 {
        match &mut self.types[id.0 as usize] {
            LlType::Struct(s) => {
                s.fields.push(f(name, ty));
                (s.fields.len() - 1) as u32
            }
            other => panic!("add_field on non-struct {other:?}"),
        }
    }

    pub fn struct_type(&self, id: TypeId) -> &StructType {
        match self.get(id) {
            LlType::Struct(s) => s,
            other => panic!("{other:?} is not a struct"),
        }
    }

    pub fn field_index(&self, id: TypeId, name: &str) -> Option<u32> {
        self.struct_type(id).fields.iter().position(|fl| fl.name == name).map(|i| i as u32)
    }

    /// The GC type id of a GC container, if it is one.
    pub fn gc_typeid(&self, id: TypeId) -> Option<u32> {
        self.gc_typeids.get(&id).copied()
    }

    /// One more than the largest GC type id in use.
    pub fn typeid_count(&self) -> u32 {
        self.gc_typeids.values().copied().max().map_or(typeid::FIRST_FREE_TYPEID, |m| (m + 1).max(typeid::FIRST_FREE_TYPEID))
    }

    /// GC containers with their type ids, ordered by type id.
    pub fn gc_types(&self) -> Vec<(u32, TypeId)> {
        let mut v: Vec<(u32, TypeId)> = self.gc_typeids.iter().map(|(t, n)| (*n, *t)).collect();
        v.sort();
        v
    }

    pub fn is_gc(&self, id: TypeId) -> bool {
        match self.get(id) {
            LlType::Struct(s) => s.gc,
            LlType::Array { gc, .. } => *gc,
            _ => false,
        }
    }

    /// The pointee of a pointer type.
    pub fn deref(&self, ptr: TypeId) -> TypeId {
        match self.get(ptr) {
            LlType::Ptr(t) => *t,
            other => panic!("{other:?} is not a pointer"),
        }
    }

    pub fn is_ptr(&self, id: TypeId) -> bool {
        matches!(self.get(id), LlType::Ptr(_))
    }

    /// Whether values of this type are pointers to GC objects (what the GC must trace).
    pub fn is_gc_ptr(&self, id: TypeId) -> bool {
        match self.get(id) {
            LlType::Ptr(t) => self.is_gc(*t),
            _ => false,
        }
    }

    /// The inline array type of a variable-size struct, if any.
    pub fn varsize_array(&self, id: TypeId) -> Option<TypeId> {
        match self.get(id) {
            LlType::Struct(s) => s.fields.last().filter(|fl| matches!(self.get(fl.ty), LlType::Array { .. })).map(|fl| fl.ty),
            LlType::Array { .. } => Some(id),
            _ => None,
        }
    }

    pub fn array_item(&self, id: TypeId) -> TypeId {
        match self.get(id) {
            LlType::Array { item, .. } => *item,
            other => panic!("{other:?} is not an array"),
        }
    }

    /// Size and alignment of a value of this type stored in a field or array item.
    pub fn layout(&self, id: TypeId) -> Layout {
        match self.get(id) {
            LlType::Void => Layout { size: 0, align: 1 },
            LlType::Bool | LlType::Char => Layout { size: 1, align: 1 },
            LlType::UniChar => Layout { size: 4, align: 4 },
            LlType::Signed | LlType::Unsigned | LlType::Float | LlType::Address | LlType::Ptr(_) => Layout { size: 8, align: 8 },
            LlType::Struct(_) => {
                let l = self.struct_layout(id);
                Layout { size: l.size, align: l.align }
            }
            LlType::Array { .. } => Layout { size: 8, align: 8 },
            LlType::Func { .. } => Layout { size: 0, align: 1 },
        }
    }

    /// Field offsets of a struct (after the GC header for GC structs).
    pub fn struct_layout(&self, id: TypeId) -> StructLayout {
        let s = self.struct_type(id);
        let mut offset = if s.gc { GC_HEADER_SIZE } else { 0 };
        let mut align = 8u64.min(if s.gc { 8 } else { 1 });
        let mut offsets = Vec::with_capacity(s.fields.len());
        let mut varsize = None;
        for (i, fl) in s.fields.iter().enumerate() {
            if let LlType::Array { item, .. } = self.get(fl.ty) {
                assert_eq!(i, s.fields.len() - 1, "an inline array must be the last field of {}", s.name);
                let item_l = self.layout(*item);
                offset = round_up(offset, 8);
                offsets.push(offset);
                let length_offset = offset;
                let items_offset = round_up(offset + 8, item_l.align);
                align = align.max(8).max(item_l.align);
                varsize = Some(VarsizeLayout { length_offset, items_offset, item_size: item_l.size, item_type: *item });
                offset = items_offset;
                continue;
            }
            let l = self.layout(fl.ty);
            offset = round_up(offset, l.align);
            offsets.push(offset);
            offset += l.size;
            align = align.max(l.align);
        }
        let size = if varsize.is_some() { offset } else { round_up(offset, align) };
        StructLayout { offsets, size, align, varsize }
    }

    /// Layout of a standalone array: (length offset, items offset, item size).
    pub fn array_layout(&self, id: TypeId) -> VarsizeLayout {
        match self.get(id) {
            LlType::Array { item, gc } => {
                let base = if *gc { GC_HEADER_SIZE } else { 0 };
                let item_l = self.layout(*item);
                VarsizeLayout { length_offset: base, items_offset: round_up(base + 8, item_l.align), item_size: item_l.size, item_type: *item }
            }
            other => panic!("{other:?} is not an array"),
        }
    }

    /// Offsets of the GC pointers in the fixed part of a container, and in one item.
    /// Inline (non-GC) structs, as fields or as array items, are searched too.
    pub fn gc_pointer_offsets(&self, id: TypeId) -> (Vec<u64>, Vec<u64>) {
        match self.get(id) {
            LlType::Struct(s) => {
                let l = self.struct_layout(id);
                let mut fixed = Vec::new();
                for (fl, off) in s.fields.iter().zip(&l.offsets) {
                    if !matches!(self.get(fl.ty), LlType::Array { .. }) {
                        self.push_gc_pointers(fl.ty, *off, &mut fixed);
                    }
                }
                let mut items = Vec::new();
                if let Some(v) = l.varsize {
                    self.push_gc_pointers(v.item_type, 0, &mut items);
                }
                (fixed, items)
            }
            LlType::Array { item, .. } => {
                let mut items = Vec::new();
                self.push_gc_pointers(*item, 0, &mut items);
                (Vec::new(), items)
            }
            _ => (Vec::new(), Vec::new()),
        }
    }

    /// Appends the offsets (from `base`) of the GC pointers in a value of type `ty`
    /// stored inline.
    fn push_gc_pointers(&self, ty: TypeId, base: u64, out: &mut Vec<u64>) {
        match self.get(ty) {
            LlType::Ptr(_) if self.is_gc_ptr(ty) => out.push(base),
            LlType::Struct(s) if !s.gc => {
                let l = self.struct_layout(ty);
                for (fl, off) in s.fields.iter().zip(&l.offsets) {
                    self.push_gc_pointers(fl.ty, base + off, out);
                }
            }
            _ => {}
        }
    }

    /// Whether a value of type `ty` (stored in a field or an item) holds GC pointers:
    /// what a store needs a write barrier for.
    pub fn contains_gc_ptr(&self, ty: TypeId) -> bool {
        let mut v = Vec::new();
        self.push_gc_pointers(ty, 0, &mut v);
        !v.is_empty()
    }

    /// A short, stable name for printing.
    pub fn name(&self, id: TypeId) -> String {
        match self.get(id) {
            LlType::Void => "Void".into(),
            LlType::Bool => "Bool".into(),
            LlType::Signed => "Signed".into(),
            LlType::Unsigned => "Unsigned".into(),
            LlType::Float => "Float".into(),
            LlType::Char => "Char".into(),
            LlType::UniChar => "UniChar".into(),
            LlType::Address => "Address".into(),
            LlType::Ptr(t) => format!("*{}", self.name(*t)),
            LlType::Struct(s) => s.name.clone(),
            LlType::Array { item, gc: true } => format!("GcArray<{}>", self.name(*item)),
            LlType::Array { item, gc: false } => format!("Array<{}>", self.name(*item)),
            LlType::Func { args, ret } => {
                let a: Vec<String> = args.iter().map(|t| self.name(*t)).collect();
                format!("fn({}) -> {}", a.join(", "), self.name(*ret))
            }
        }
    }

    /// Whether `sub` is `sup` or a struct whose fields start with all of `sup`'s fields
    /// (instance and vtable structs of subclasses).
    pub fn is_prefix_struct(&self, sub: TypeId, sup: TypeId) -> bool {
        if sub == sup {
            return true;
        }
        match (self.get(sub), self.get(sup)) {
            (LlType::Struct(a), LlType::Struct(b)) => a.gc == b.gc && a.fields.len() >= b.fields.len() && a.fields.iter().zip(&b.fields).all(|(x, y)| x.ty == y.ty),
            _ => false,
        }
    }
}

fn f(name: &str, ty: TypeId) -> Field {
    Field { name: name.to_string(), ty, mutability: Default::default() }
}

pub fn round_up(n: u64, align: u64) -> u64 {
    n.div_ceil(align) * align
}

impl fmt::Display for TypeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t{}", self.0)
    }
}
