//! Descriptors from lltype's layout: field, array, size and call descriptors, made once
//! per distinct location and shared by every jitcode of the set.

use kiln_jitcode::{ArrayDescr, Bank, CallDescr, CallTarget, Descr, DescrKind, EffectInfo, FieldDescr, JitCodeSet, Mutability, SizeDescr};
use kiln_lltype::{FieldRef, LlType, Mutability as LlMut, RtFn, TypeId, TypeTable};

/// The bank a value of type `ty` lives in; `Ok(None)` for `Void`, `Err` for types that no
/// register can hold (structs and arrays by value).
pub fn bank_of(types: &TypeTable, ty: TypeId) -> Result<Option<Bank>, String> {
    Ok(Some(match types.get(ty) {
        LlType::Void => return Ok(None),
        LlType::Float => Bank::Float,
        LlType::Bool | LlType::Signed | LlType::Unsigned | LlType::Char | LlType::UniChar | LlType::Address => Bank::Int,
        LlType::Ptr(_) if types.is_gc_ptr(ty) => Bank::Ref,
        LlType::Ptr(_) => Bank::Int,
        other => return Err(format!("a value of type {} ({other:?}) in a register", types.name(ty))),
    }))
}

/// Whether narrow ints of this type are sign-extended when read.
fn signed(ty: TypeId) -> bool {
    ty == TypeId::SIGNED
}

/// The field descriptor of `f`; `Ok(None)` for a `Void` field. Besides
/// `_immutable_fields_`, three kinds of fields are immutable: an object's `typeptr` (set
/// once, by the allocation of the instance), a string's `cplen` (its length in code
/// points: the runtime writes it when it allocates the string, and nothing writes it
/// after, as nothing writes the chars), and a field of a raw struct that no op of the
/// program (`written`) stores into (raw structs are prebuilt data, such as vtables). A
/// string's `hash` and `index` are filled lazily and stay mutable.
pub fn field(set: &mut JitCodeSet, types: &TypeTable, f: FieldRef, written: &std::collections::HashSet<FieldRef>) -> Result<Option<u16>, String> {
    let s = types.struct_type(f.strukt);
    let fl = s.fields.get(f.index as usize).ok_or_else(|| format!("{} has no field {}", s.name, f.index))?;
    let Some(bank) = bank_of(types, fl.ty)? else { return Ok(None) };
    let layout = types.struct_layout(f.strukt);
    let size = types.layout(fl.ty).size;
    // `[*]` (items of the held list never change) is not used yet: the field itself is
    // read as immutable (or quasi-immutable), the list's items as mutable.
    let typeptr = f == FieldRef { strukt: TypeId::OBJECT, index: 0 };
    let str_cplen = f.strukt == TypeId::STR && fl.name == "cplen";
    let never_written = !s.gc && !written.contains(&f);
    let mutability = match fl.mutability {
        _ if typeptr || str_cplen || never_written => Mutability::Immutable,
        LlMut::Mutable => Mutability::Mutable,
        LlMut::Immutable | LlMut::ImmutableItems => Mutability::Immutable,
        LlMut::QuasiImmutable | LlMut::QuasiImmutableItems => Mutability::QuasiImmutable,
    };
    let d = FieldDescr { offset: layout.offsets[f.index as usize] as u32, size: size as u8, bank, signed: signed(fl.ty), mutability, gc: s.gc };
    Ok(Some(set.descr(Descr { name: format!("{}.{}", s.name, fl.name), kind: DescrKind::Field(d) })))
}

/// The array descriptor of the standalone array type `arr`.
pub fn array(set: &mut JitCodeSet, types: &TypeTable, arr: TypeId) -> Result<u16, String> {
    let l = types.array_layout(arr);
    let gc = types.is_gc(arr);
    let bank = bank_of(types, l.item_type)?.ok_or("an array of Void")?;
    let d = ArrayDescr {
        base_offset: l.items_offset as u32,
        len_offset: l.length_offset as u32,
        item_size: l.item_size as u8,
        item_bank: bank,
        signed: signed(l.item_type),
        immutable_items: false,
        gc,
        type_id: types.gc_typeid(arr),
    };
    Ok(set.descr(Descr { name: types.name(arr), kind: DescrKind::Array(d) }))
}

/// The array descriptor of the inline array of a variable-size struct. A string's
/// characters never change once it is built: its items are immutable.
pub fn inline_array(set: &mut JitCodeSet, types: &TypeTable, strukt: TypeId) -> Result<u16, String> {
    let s = types.struct_type(strukt);
    let l = types.struct_layout(strukt);
    let v = l.varsize.ok_or_else(|| format!("{} has no inline array", s.name))?;
    let bank = bank_of(types, v.item_type)?.ok_or("an array of Void")?;
    let field = s.fields.last().map_or("items", |f| f.name.as_str());
    let d = ArrayDescr {
        base_offset: v.items_offset as u32,
        len_offset: v.length_offset as u32,
        item_size: v.item_size as u8,
        item_bank: bank,
        signed: signed(v.item_type),
        immutable_items: strukt == TypeId::STR,
        gc: s.gc,
        type_id: types.gc_typeid(strukt),
    };
    Ok(set.descr(Descr { name: format!("{}.{}[*]", s.name, field), kind: DescrKind::Array(d) }))
}

/// The size descriptor of the fixed-size GC struct `strukt`.
pub fn size(set: &mut JitCodeSet, types: &TypeTable, strukt: TypeId) -> Result<u16, String> {
    let type_id = types.gc_typeid(strukt).ok_or_else(|| format!("{} is not a GC type", types.name(strukt)))?;
    let l = types.struct_layout(strukt);
    Ok(set.descr(Descr { name: types.name(strukt), kind: DescrKind::Size(SizeDescr { size: l.size as u32, type_id }) }))
}

/// A call descriptor.
pub fn call(set: &mut JitCodeSet, name: String, args: Vec<Bank>, result: Option<Bank>, target: CallTarget, effect: EffectInfo, oopspec: Option<String>) -> u16 {
    set.descr(Descr { name, kind: DescrKind::Call(CallDescr { args, result, target, effect, oopspec }) })
}

/// What the optimizer may know about a runtime helper (RPython's oopspec): the helpers
/// on strings, lists and dicts, named `family.operation` after their symbol
/// (`kiln_str_concat` is `str.concat`).
pub fn oopspec(f: RtFn) -> Option<String> {
    let sym = f.info().symbol.strip_prefix("kiln_")?;
    let (family, op) = sym.split_once('_')?;
    matches!(family, "str" | "list" | "dict").then(|| format!("{family}.{op}"))
}
