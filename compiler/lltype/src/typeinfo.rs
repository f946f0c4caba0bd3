//! The GC type-info table: for every GC type id, the object's fixed size, where its length
//! and items are, and the offsets of the GC pointers the collector must trace. The LLVM
//! backend emits it as data ([`kiln_abi::TypeInfo`] rows); the llinterp builds it in
//! memory; both from this one computation.

use kiln_abi::{TI_VALID, TI_VARSIZE};

use crate::types::{LlType, TypeId, TypeTable};

/// One row of the table, before it is laid out as [`kiln_abi::TypeInfo`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TypeInfoRow {
    /// The type this row describes; `None` for unused type ids.
    pub ty: Option<TypeId>,
    pub fixed_size: u32,
    pub flags: u32,
    pub length_offset: u32,
    pub items_offset: u32,
    pub item_size: u32,
    pub ptr_offsets: Vec<u32>,
    pub item_ptr_offsets: Vec<u32>,
}

/// Rows indexed by GC type id, from 0 to the largest id in use.
pub fn type_info_rows(types: &TypeTable) -> Vec<TypeInfoRow> {
    let mut rows = vec![TypeInfoRow::default(); types.typeid_count() as usize];
    for (tid, ty) in types.gc_types() {
        let (fixed_ptrs, item_ptrs) = types.gc_pointer_offsets(ty);
        let mut row = TypeInfoRow {
            ty: Some(ty),
            flags: TI_VALID,
            ptr_offsets: fixed_ptrs.iter().map(|o| *o as u32).collect(),
            item_ptr_offsets: item_ptrs.iter().map(|o| *o as u32).collect(),
            ..Default::default()
        };
        match types.get(ty) {
            LlType::Struct(_) => {
                let l = types.struct_layout(ty);
                row.fixed_size = l.size as u32;
                if let Some(v) = l.varsize {
                    row.flags |= TI_VARSIZE;
                    row.length_offset = v.length_offset as u32;
                    row.items_offset = v.items_offset as u32;
                    row.item_size = v.item_size as u32;
                }
            }
            LlType::Array { .. } => {
                let v = types.array_layout(ty);
                row.flags |= TI_VARSIZE;
                row.fixed_size = v.items_offset as u32;
                row.length_offset = v.length_offset as u32;
                row.items_offset = v.items_offset as u32;
                row.item_size = v.item_size as u32;
            }
            _ => continue,
        }
        rows[tid as usize] = row;
    }
    rows
}

/// The total size in bytes of a variable-size object with `length` items.
pub fn varsize_total(row: &TypeInfoRow, length: u64) -> u64 {
    crate::types::round_up(row.items_offset as u64 + row.item_size as u64 * length, 8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiln_abi::typeid;

    #[test]
    fn well_known_rows() {
        let t = TypeTable::new();
        let rows = type_info_rows(&t);
        let s = &rows[typeid::STR as usize];
        assert_eq!(s.ty, Some(TypeId::STR));
        assert_eq!((s.fixed_size, s.length_offset, s.items_offset, s.item_size), (40, 32, 40, 1));
        assert_eq!(s.ptr_offsets, vec![24]);
        let a = &rows[typeid::ARRAY_STR as usize];
        assert_eq!((a.fixed_size, a.length_offset, a.items_offset, a.item_size), (16, 8, 16, 8));
        assert_eq!(a.item_ptr_offsets, vec![0]);
        assert_eq!(rows[0].flags, 0);
        assert_eq!(varsize_total(s, 3), 48);
    }

    /// GC pointers inside inline (non-GC) structs are found, in fields and in items: a
    /// dict's entries array holds `{key, value, hash}` items.
    #[test]
    fn pointers_in_inline_structs_are_found() {
        let mut t = TypeTable::new();
        let entry = t.new_struct("ENTRY", false);
        t.set_fields(
            entry,
            vec![
                crate::types::Field { name: "key".into(), ty: TypeId::STR_PTR, mutability: Default::default() },
                crate::types::Field { name: "hash".into(), ty: TypeId::SIGNED, mutability: Default::default() },
                crate::types::Field { name: "value".into(), ty: TypeId::OBJECT_PTR, mutability: Default::default() },
            ],
        );
        let entries = t.gc_array(entry);
        let holder = t.new_struct("HOLDER", true);
        t.set_fields(holder, vec![crate::types::Field { name: "first".into(), ty: entry, mutability: Default::default() }, crate::types::Field { name: "n".into(), ty: TypeId::SIGNED, mutability: Default::default() }]);
        let rows = type_info_rows(&t);
        let row = |ty| rows.iter().find(|r| r.ty == Some(ty)).expect("a row");
        assert_eq!((row(entries).item_size, row(entries).item_ptr_offsets.clone()), (24, vec![0, 16]));
        assert_eq!(row(holder).ptr_offsets, vec![8, 24]);
        assert!(t.contains_gc_ptr(entry) && !t.contains_gc_ptr(TypeId::SIGNED));
    }
}
