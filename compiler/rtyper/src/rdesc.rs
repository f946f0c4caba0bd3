//! Type descriptors and words: how generic runtime helpers (repr, format, hash,
//! equality, ordering, dicts, sorting) see RPy values.
//!
//! The RTyper emits one static `kiln_abi::TypeDesc` per representation that reaches such
//! a helper, and passes values as 8-byte words (`to_word` / `from_word`). A descriptor's
//! field table (`FieldDesc[n]`) is emitted as one non-GC struct of `3 * n` word fields,
//! which has exactly the memory layout of the array the runtime reads.

use kiln_abi::kind;
use kiln_lltype::builder::LlValue;
use kiln_lltype::{LlConst, LlOp, StaticObj, StaticValue, TypeId};

use crate::lower::Lower;
use crate::repr::{field, Repr};
use crate::RTyper;

fn c(v: LlConst) -> LlValue {
    LlValue::Const(v)
}

impl<'a> RTyper<'a> {
    /// The non-GC struct types TYPEDESC and DICTDESC (created once).
    pub fn desc_types(&mut self) -> (TypeId, TypeId) {
        if let Some(t) = self.desc_types {
            return t;
        }
        let td = self.ll.types.new_struct("TYPEDESC", false);
        let td_ptr = self.ll.types.ptr(td);
        let any = TypeId::ADDRESS;
        self.ll.types.set_fields(td, vec![field("kind", TypeId::SIGNED), field("nfields", TypeId::SIGNED), field("fields", any), field("nullable", TypeId::SIGNED)]);
        let dd = self.ll.types.new_struct("DICTDESC", false);
        self.ll.types.set_fields(dd, vec![field("key", td_ptr), field("value", td_ptr), field("entries_tid", TypeId::SIGNED), field("dict_tid", TypeId::SIGNED)]);
        self.desc_types = Some((td, dd));
        (td, dd)
    }

    /// A pointer constant to the TypeDesc of `r`. References are always marked nullable:
    /// the runtime prints, hashes and compares a null reference as None.
    pub fn type_desc(&mut self, r: &Repr) -> LlConst {
        let nullable = r.is_ptr();
        let key = format!("{r:?}");
        let (td, _) = self.desc_types();
        let td_ptr = self.ll.types.ptr(td);
        if let Some(&s) = self.type_descs.get(&key) {
            return LlConst::Static(s, td_ptr);
        }
        // Reserve the static first: descriptors of recursive types refer to themselves.
        let s = self.ll.add_static(StaticObj { ty: td, value: StaticValue::Struct { fields: vec![LlConst::Signed(0), LlConst::Signed(0), LlConst::Null(TypeId::ADDRESS), LlConst::Signed(0)], items: Vec::new() }, name: format!("typedesc{}", self.type_descs.len()) });
        self.type_descs.insert(key, s);
        let (k, subs): (i64, Vec<(i64, i64, Repr)>) = match r {
            Repr::Void => (kind::NONE, vec![]),
            Repr::Bool => (kind::BOOL, vec![]),
            Repr::Int => (kind::INT, vec![]),
            Repr::Uint => (kind::UINT, vec![]),
            // The annotator refuses what would show, compare or hash a float-or-bool
            // inside a container (boolfloat.rs): to the runtime it is a float slot.
            Repr::Float | Repr::FloatOrBool => (kind::FLOAT, vec![]),
            Repr::Char => (kind::CHAR, vec![]),
            Repr::Str => (kind::STR, vec![]),
            Repr::List(lr) => (kind::LIST, vec![(0, 8, lr.item.clone())]),
            Repr::Dict(dr) => (kind::DICT, vec![(0, 8, dr.key.clone()), (0, 8, dr.value.clone())]),
            Repr::Tuple(tr) => {
                let l = self.ll.types.struct_layout(tr.strukt);
                (kind::TUPLE, tr.items.iter().enumerate().map(|(i, ir)| (l.offsets[i] as i64, self.ll.types.layout(ir.lltype()).size.max(1) as i64, ir.clone())).collect())
            }
            Repr::Instance { .. } | Repr::Iter(_) => (kind::INSTANCE, vec![]),
            // Vtable and function pointers are not GC objects: to the runtime they are
            // words compared and hashed by identity (the GC must not trace them).
            Repr::ClassOf { .. } | Repr::Func(_) => (kind::INT, vec![]),
        };
        let mut words = Vec::new();
        for (off, width, sub) in &subs {
            let d = self.type_desc(sub);
            words.push(LlConst::Signed(*off));
            words.push(LlConst::Signed(*width));
            words.push(d);
        }
        let fields_ptr = if words.is_empty() {
            LlConst::Null(TypeId::ADDRESS)
        } else {
            let ft = self.ll.types.new_struct(&format!("FIELDDESCS{}", subs.len()), false);
            let fl = (0..words.len()).map(|i| field(&format!("w{i}"), if i % 3 == 2 { td_ptr } else { TypeId::SIGNED })).collect();
            self.ll.types.set_fields(ft, fl);
            let fs = self.ll.add_static(StaticObj { ty: ft, value: StaticValue::Struct { fields: words, items: Vec::new() }, name: format!("fielddescs{}", s.0) });
            LlConst::Static(fs, TypeId::ADDRESS)
        };
        self.ll.statics[s.0 as usize].value = StaticValue::Struct { fields: vec![LlConst::Signed(k), LlConst::Signed(subs.len() as i64), fields_ptr, LlConst::Signed(nullable as i64)], items: Vec::new() };
        LlConst::Static(s, td_ptr)
    }
}

impl<'r, 'a> Lower<'r, 'a> {
    /// A value as an 8-byte word for the generic runtime helpers.
    pub fn to_word(&mut self, v: LlValue, r: &Repr) -> LlValue {
        match r {
            Repr::Int => v,
            Repr::Bool => self.genop(LlOp::CastBoolToInt, vec![v], TypeId::SIGNED),
            Repr::Char => self.genop(LlOp::CastUniCharToInt, vec![v], TypeId::SIGNED),
            Repr::Uint => self.genop(LlOp::CastUintToInt, vec![v], TypeId::SIGNED),
            Repr::Float | Repr::FloatOrBool => self.genop(LlOp::CastFloatToWord, vec![v], TypeId::SIGNED),
            Repr::Void => c(LlConst::Signed(0)),
            _ => self.genop(LlOp::CastPtrToInt, vec![v], TypeId::SIGNED),
        }
    }

    /// A word from a generic runtime helper as a value of representation `r`.
    pub fn from_word(&mut self, w: LlValue, r: &Repr) -> LlValue {
        match r {
            Repr::Int => w,
            Repr::Bool => self.genop(LlOp::IntIsTrue, vec![w], TypeId::BOOL),
            Repr::Char => self.genop(LlOp::CastIntToUniChar, vec![w], TypeId::UNICHAR),
            Repr::Uint => self.genop(LlOp::CastIntToUint, vec![w], TypeId::UNSIGNED),
            Repr::Float | Repr::FloatOrBool => self.genop(LlOp::CastWordToFloat, vec![w], TypeId::FLOAT),
            Repr::Void => c(LlConst::Void),
            other => self.genop(LlOp::CastIntToPtr, vec![w], other.lltype()),
        }
    }

    /// The TypeDesc of a representation, as an operand.
    pub fn desc_of(&mut self, r: &Repr) -> LlValue {
        c(self.rt.type_desc(r))
    }
}
