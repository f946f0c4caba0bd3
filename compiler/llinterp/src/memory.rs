//! The llinterp's view of memory: values are raw 64-bit words, objects live in real
//! memory with the layouts `lltype` computes, and function pointers are tagged words.
//!
//! This module loads and stores values of each width, encodes function pointers, and
//! materialises the program's prebuilt objects and its `ProgramInfo` (the GC type-info
//! table and the built-in exception vtables) in memory owned by the runtime session.

use kiln_abi::{BuiltinExc, ProgramInfo, TypeInfo, Vtable, ABI_VERSION};
use kiln_lltype::typeinfo::TypeInfoRow;
use kiln_lltype::{FuncId, LlConst, LlProgram, LlType, StaticValue, TypeId};
use kiln_runtime::host::Session;

use crate::compile::{const_bits, width_of, CompileEnv};

/// How many bytes a value occupies in memory: Void 0; Bool and Char 1; UniChar 4;
/// ints, floats, addresses and pointers 8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Width {
    W0,
    W1,
    W4,
    W8,
}

/// Function pointers are words with these high 32 bits and the function id below. No
/// user-space address looks like that (x86-64 user addresses are below 2^47), so a tagged
/// word is never mistaken for an object, and an object address never for a function.
const FUNC_TAG_HIGH: u64 = 0xF0F0_F0F0;

pub(crate) fn func_tag(id: FuncId) -> u64 {
    (FUNC_TAG_HIGH << 32) | id.0 as u64
}

/// The function a tagged word names, if it is one.
pub(crate) fn func_of_tag(word: u64) -> Option<FuncId> {
    (word >> 32 == FUNC_TAG_HIGH).then_some(FuncId(word as u32))
}

/// Addresses below this are the null page; above [`MAX_ADDRESS`], not user space.
const MIN_ADDRESS: u64 = 4096;
const MAX_ADDRESS: u64 = 1 << 47;

/// Whether a word can be dereferenced as an object address. Catches null, small ints
/// and function tags before they reach the hardware.
#[inline]
pub(crate) fn is_object_address(word: u64) -> bool {
    (MIN_ADDRESS..MAX_ADDRESS).contains(&word)
}

/// Reads a value of `width` at `addr`, zero-extended.
///
/// # Safety
/// `addr` is readable for the width's size.
#[inline]
pub(crate) unsafe fn load(addr: u64, width: Width) -> u64 {
    unsafe {
        match width {
            Width::W0 => 0,
            Width::W1 => *(addr as *const u8) as u64,
            Width::W4 => (addr as *const u32).read_unaligned() as u64,
            Width::W8 => (addr as *const u64).read_unaligned(),
        }
    }
}

/// Writes the low bytes of `value` at `addr`.
///
/// # Safety
/// `addr` is writable for the width's size.
#[inline]
pub(crate) unsafe fn store(addr: u64, width: Width, value: u64) {
    unsafe {
        match width {
            Width::W0 => {}
            Width::W1 => *(addr as *mut u8) = value as u8,
            Width::W4 => (addr as *mut u32).write_unaligned(value as u32),
            Width::W8 => (addr as *mut u64).write_unaligned(value),
        }
    }
}

/// The program's data in memory for one run: where each prebuilt object is, and the
/// program info handed to the runtime (which points into the buffers kept here).
pub(crate) struct ProgramData {
    pub static_addrs: Vec<u64>,
    pub rows: Vec<TypeInfoRow>,
    pub info: Box<ProgramInfo>,
    _type_info: Vec<TypeInfo>,
    _ptr_offsets: Vec<Box<[u32]>>,
}

impl ProgramData {
    /// Allocates every prebuilt object in the session's memory and fills it in, then
    /// builds the program info.
    pub fn materialise(prog: &LlProgram, session: &Session) -> Result<ProgramData, String> {
        let rows = kiln_lltype::typeinfo::type_info_rows(&prog.types);
        let mut static_addrs = Vec::with_capacity(prog.statics.len());
        for (i, obj) in prog.statics.iter().enumerate() {
            let addr = allocate_static(prog, session, obj).map_err(|m| format!("prebuilt object s{i} ({}): {m}", obj.name))?;
            static_addrs.push(addr);
        }
        // Pointers between prebuilt objects can only be written once all have addresses.
        let env = CompileEnv { prog, rows: &rows, static_addrs: &static_addrs };
        for (i, obj) in prog.statics.iter().enumerate() {
            fill_static(&env, obj, static_addrs[i]).map_err(|m| format!("prebuilt object s{i} ({}): {m}", obj.name))?;
        }

        let mut ptr_offsets: Vec<Box<[u32]>> = Vec::new();
        let mut type_info = Vec::with_capacity(rows.len());
        for row in &rows {
            let fixed: Box<[u32]> = row.ptr_offsets.clone().into_boxed_slice();
            let items: Box<[u32]> = row.item_ptr_offsets.clone().into_boxed_slice();
            type_info.push(TypeInfo {
                fixed_size: row.fixed_size,
                flags: row.flags,
                length_offset: row.length_offset,
                items_offset: row.items_offset,
                item_size: row.item_size,
                ptr_count: fixed.len() as u32,
                ptr_offsets: fixed.as_ptr(),
                item_ptr_count: items.len() as u32,
                item_ptr_offsets: items.as_ptr(),
            });
            // Moving a box into the vector does not move its heap buffer.
            ptr_offsets.push(fixed);
            ptr_offsets.push(items);
        }
        let mut exc_vtables = [std::ptr::null::<Vtable>(); BuiltinExc::COUNT];
        for (slot, id) in exc_vtables.iter_mut().zip(&prog.exc_vtables) {
            if let Some(id) = id {
                *slot = *static_addrs.get(id.0 as usize).ok_or_else(|| format!("exception vtable {id} does not exist"))? as *const Vtable;
            }
        }
        // The llinterp runs programs that were not GC-transformed, with the runtime's
        // `none` collector (a null `gc`), which needs no table of prebuilt roots.
        let info = Box::new(ProgramInfo {
            abi_version: ABI_VERSION,
            type_count: type_info.len() as u32,
            type_info: type_info.as_ptr(),
            exc_vtables,
            gc: std::ptr::null(),
            prebuilt_count: 0,
            prebuilt_objects: std::ptr::null(),
        });
        Ok(ProgramData { static_addrs, rows, info, _type_info: type_info, _ptr_offsets: ptr_offsets })
    }
}

/// The size of a prebuilt object, and (for variable-size ones) its length and the offset
/// of its length word.
fn static_shape(prog: &LlProgram, obj: &kiln_lltype::StaticObj) -> Result<(u64, Option<(u64, u64)>), String> {
    let types = &prog.types;
    match (&obj.value, types.get(obj.ty)) {
        (StaticValue::Str(_), _) => Err("strings are allocated by the runtime".into()),
        (StaticValue::Struct { items, .. }, LlType::Struct(_)) => {
            let l = types.struct_layout(obj.ty);
            Ok(match l.varsize {
                Some(v) => (v.items_offset + v.item_size * items.len() as u64, Some((items.len() as u64, v.length_offset))),
                None => (l.size, None),
            })
        }
        (StaticValue::Array(items), LlType::Array { .. }) => {
            let v = types.array_layout(obj.ty);
            Ok((v.items_offset + v.item_size * items.len() as u64, Some((items.len() as u64, v.length_offset))))
        }
        _ => Err(format!("its value does not fit its type {}", types.name(obj.ty))),
    }
}

fn allocate_static(prog: &LlProgram, session: &Session, obj: &kiln_lltype::StaticObj) -> Result<u64, String> {
    if let StaticValue::Str(text) = &obj.value {
        if obj.ty != TypeId::STR {
            return Err(format!("a string value for type {}", prog.types.name(obj.ty)));
        }
        let s = session.alloc_prebuilt_str(text);
        return if s.is_null() { Err("out of memory".into()) } else { Ok(s as u64) };
    }
    let (size, varsize) = static_shape(prog, obj)?;
    let addr = match prog.types.gc_typeid(obj.ty) {
        Some(tid) => session.alloc_prebuilt(tid, size),
        None => session.alloc_static(size),
    };
    if addr.is_null() {
        return Err("out of memory".into());
    }
    if let Some((length, length_offset)) = varsize {
        // SAFETY: the object was allocated with room for its length word.
        unsafe { store(addr as u64 + length_offset, Width::W8, length) };
    }
    Ok(addr as u64)
}

fn fill_static(env: &CompileEnv, obj: &kiln_lltype::StaticObj, addr: u64) -> Result<(), String> {
    let types = &env.prog.types;
    let write = |offset: u64, ty: TypeId, c: &LlConst| -> Result<(), String> {
        let width = width_of(env, ty)?;
        let bits = const_bits(env, c)?;
        // SAFETY: `offset` lies inside the object, sized by `static_shape` from the same
        // layout.
        unsafe { store(addr + offset, width, bits) };
        Ok(())
    };
    match &obj.value {
        StaticValue::Str(_) => Ok(()),
        StaticValue::Struct { fields, items } => {
            let st = types.struct_type(obj.ty);
            let l = types.struct_layout(obj.ty);
            for ((c, field), offset) in fields.iter().zip(&st.fields).zip(&l.offsets) {
                write(*offset, field.ty, c).map_err(|m| format!("field {}: {m}", field.name))?;
            }
            if let Some(v) = l.varsize {
                for (i, c) in items.iter().enumerate() {
                    write(v.items_offset + v.item_size * i as u64, v.item_type, c).map_err(|m| format!("item {i}: {m}"))?;
                }
            }
            Ok(())
        }
        StaticValue::Array(items) => {
            let v = types.array_layout(obj.ty);
            for (i, c) in items.iter().enumerate() {
                write(v.items_offset + v.item_size * i as u64, v.item_type, c).map_err(|m| format!("item {i}: {m}"))?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_tags_are_never_object_addresses() {
        for id in [0, 1, 12345, u32::MAX] {
            let tag = func_tag(FuncId(id));
            assert_eq!(func_of_tag(tag), Some(FuncId(id)));
            assert!(!is_object_address(tag));
        }
        let object = Box::new(0u64);
        let addr = &*object as *const u64 as u64;
        assert!(is_object_address(addr));
        assert_eq!(func_of_tag(addr), None);
        assert!(!is_object_address(0) && !is_object_address(8));
    }

    #[test]
    fn values_are_stored_with_their_width() {
        let mut word = [0xFFu8; 16];
        let addr = word.as_mut_ptr() as u64;
        // SAFETY: all writes and reads stay inside `word`.
        unsafe {
            store(addr, Width::W1, 0x1234);
            store(addr + 4, Width::W4, 0x1_2345_6789);
            store(addr + 8, Width::W0, 7);
            assert_eq!(load(addr, Width::W1), 0x34);
            assert_eq!(load(addr + 4, Width::W4), 0x2345_6789);
            assert_eq!(load(addr + 8, Width::W8), u64::MAX, "a Void store writes nothing");
            assert_eq!(load(addr + 8, Width::W0), 0);
        }
        assert_eq!(word[1], 0xFF, "a one-byte store leaves its neighbours alone");
    }
}
