//! The trace's descriptors made from the jitcode set's: one trace descriptor per jitcode
//! descriptor, at the same index, so an instruction's `d` operand is the trace op's
//! `DescrId` as it is (call effect sets name descriptors by index and need no mapping).

use jit::descr::{self as td, DescrKind as TKind, DescrTable};
use jit::ir::Type;
use kiln_jitcode::{Bank, DescrKind, JitCodeSet};

/// The trace type of a register bank.
pub fn bank_type(b: Bank) -> Type {
    match b {
        Bank::Int => Type::Int,
        Bank::Ref => Type::Ref,
        Bank::Float => Type::Float,
    }
}

fn mutability(m: kiln_jitcode::Mutability) -> td::Mutability {
    match m {
        kiln_jitcode::Mutability::Mutable => td::Mutability::Mutable,
        kiln_jitcode::Mutability::Immutable => td::Mutability::Immutable,
        kiln_jitcode::Mutability::QuasiImmutable => td::Mutability::QuasiImmutable,
    }
}

fn extra(e: kiln_jitcode::ExtraEffect) -> td::ExtraEffect {
    match e {
        kiln_jitcode::ExtraEffect::None => td::ExtraEffect::None,
        kiln_jitcode::ExtraEffect::Elidable => td::ExtraEffect::Elidable,
        kiln_jitcode::ExtraEffect::LoopInvariant => td::ExtraEffect::LoopInvariant,
        kiln_jitcode::ExtraEffect::CanInvalidate => td::ExtraEffect::CanInvalidate,
    }
}

/// The trace descriptor table of a jitcode set: entry `i` is jitcode descriptor `i`.
/// Names are the jitcode's, made unique with a `#i` suffix where two share one.
pub fn descr_table(set: &JitCodeSet) -> Result<DescrTable, String> {
    let mut t = DescrTable::new();
    let ids = |v: &Option<Vec<u16>>| v.as_ref().map(|v| v.iter().map(|&i| td::DescrId(i as u32)).collect());
    for (i, d) in set.descrs.iter().enumerate() {
        let kind = match &d.kind {
            DescrKind::Field(f) => TKind::Field(td::FieldDescr { offset: f.offset, size: f.size, ty: bank_type(f.bank), signed: f.signed, mutability: mutability(f.mutability) }),
            DescrKind::Array(a) => TKind::Array(td::ArrayDescr {
                base_offset: a.base_offset,
                len_offset: a.len_offset,
                item_size: a.item_size,
                item_ty: bank_type(a.item_bank),
                signed: a.signed,
                immutable_items: a.immutable_items,
                type_id: a.type_id,
            }),
            DescrKind::Size(s) => TKind::Size(td::SizeDescr { size: s.size, type_id: s.type_id, vtable: None }),
            DescrKind::Call(c) => TKind::Call(td::CallDescr {
                args: c.args.iter().map(|&b| bank_type(b)).collect(),
                result: c.result.map(bank_type),
                effect: td::EffectInfo { can_raise: c.effect.can_raise, can_collect: c.effect.can_collect, extra: extra(c.effect.extra), reads: ids(&c.effect.reads), writes: ids(&c.effect.writes) },
            }),
        };
        let mut name = d.name.clone();
        if name.is_empty() || name.starts_with("TargetToken(") || t.lookup(&name).is_some() {
            name = format!("{name}#{i}");
        }
        let id = t.add(&name, kind)?;
        debug_assert_eq!(id.0 as usize, i);
    }
    Ok(t)
}
