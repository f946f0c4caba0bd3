//! The layouts lltype computes for well-known types must equal the `#[repr(C)]` structs of
//! the runtime contract (`kiln-abi`), which the runtime's code is compiled against.

use std::mem::{offset_of, size_of};

use kiln_abi::{typeid, RArray, RBaseException, RList, RObject, ROsError, RStr, Vtable};
use kiln_lltype::{TypeId, TypeTable};

fn offsets(t: &TypeTable, id: TypeId) -> Vec<u64> {
    t.struct_layout(id).offsets
}

#[test]
fn str_layout_matches_the_runtime() {
    let t = TypeTable::new();
    let l = t.struct_layout(TypeId::STR);
    assert_eq!(l.offsets[..3], [offset_of!(RStr, hash) as u64, offset_of!(RStr, cplen) as u64, offset_of!(RStr, index) as u64]);
    let v = l.varsize.expect("STR is variable-size");
    assert_eq!(v.length_offset, offset_of!(RStr, length) as u64);
    assert_eq!(v.items_offset, offset_of!(RStr, chars) as u64);
    assert_eq!(v.item_size, 1);
    assert_eq!(t.gc_typeid(TypeId::STR), Some(typeid::STR));
}

#[test]
fn list_and_array_layouts_match_the_runtime() {
    let t = TypeTable::new();
    assert_eq!(offsets(&t, TypeId::LIST_STR), vec![offset_of!(RList, length) as u64, offset_of!(RList, items) as u64]);
    assert_eq!(offsets(&t, TypeId::LIST_SIGNED), vec![offset_of!(RList, length) as u64, offset_of!(RList, items) as u64]);
    assert_eq!(t.struct_layout(TypeId::LIST_STR).size, size_of::<RList>() as u64);
    for arr in [TypeId::ARRAY_STR, TypeId::ARRAY_SIGNED] {
        let a = t.array_layout(arr);
        assert_eq!(a.length_offset, offset_of!(RArray, length) as u64);
        assert_eq!(a.items_offset, offset_of!(RArray, items) as u64);
        assert_eq!(a.item_size, 8);
    }
    assert_eq!(t.gc_typeid(TypeId::ARRAY_STR), Some(typeid::ARRAY_STR));
    assert_eq!(t.gc_typeid(TypeId::LIST_STR), Some(typeid::LIST_STR));
    assert_eq!(t.gc_typeid(TypeId::LIST_SIGNED), Some(typeid::LIST_SIGNED));
    assert_eq!(t.gc_typeid(TypeId::ARRAY_SIGNED), Some(typeid::ARRAY_SIGNED));
}

#[test]
fn object_vtable_and_exception_layouts_match_the_runtime() {
    let t = TypeTable::new();
    assert_eq!(offsets(&t, TypeId::OBJECT), vec![offset_of!(RObject, typeptr) as u64]);
    assert_eq!(
        offsets(&t, TypeId::VTABLE),
        vec![
            offset_of!(Vtable, subclassrange_min) as u64,
            offset_of!(Vtable, subclassrange_max) as u64,
            offset_of!(Vtable, name) as u64,
            offset_of!(Vtable, instance_typeid) as u64,
            offset_of!(Vtable, instance_size) as u64,
        ]
    );
    assert_eq!(t.struct_layout(TypeId::VTABLE).size, size_of::<Vtable>() as u64);
    assert_eq!(
        offsets(&t, TypeId::BASE_EXCEPTION),
        vec![offset_of!(RBaseException, typeptr) as u64, offset_of!(RBaseException, message) as u64]
    );
    assert_eq!(t.struct_layout(TypeId::BASE_EXCEPTION).size, size_of::<RBaseException>() as u64);
    assert_eq!(
        offsets(&t, TypeId::OS_ERROR),
        vec![offset_of!(ROsError, typeptr) as u64, offset_of!(ROsError, message) as u64, offset_of!(ROsError, errno) as u64]
    );
    assert_eq!(t.struct_layout(TypeId::OS_ERROR).size, size_of::<ROsError>() as u64);
    assert_eq!(t.gc_typeid(TypeId::BASE_EXCEPTION), Some(typeid::BASE_EXCEPTION));
    assert_eq!(t.gc_typeid(TypeId::OS_ERROR), Some(typeid::OS_ERROR));
}

#[test]
fn gc_pointer_offsets_are_found() {
    let t = TypeTable::new();
    assert_eq!(t.gc_pointer_offsets(TypeId::LIST_STR), (vec![16], vec![]));
    assert_eq!(t.gc_pointer_offsets(TypeId::ARRAY_STR), (vec![], vec![0]));
    assert_eq!(t.gc_pointer_offsets(TypeId::STR), (vec![24], vec![]));
    // The vtable is not a GC object: its pointer to the name string is not a GC root.
    assert!(!t.is_gc(TypeId::VTABLE));
}
