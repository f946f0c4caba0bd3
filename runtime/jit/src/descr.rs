//! Descriptors: what the trace knows about fields, arrays, allocation sizes, calls and loop
//! targets, in one table that ops refer to by index and the text format names.
//!
//! The codewriter will make these from lltype's one layout computation; tests declare
//! them in the trace text (`descr Cell.value: field(offset=8, size=8, type=i)`).

use crate::ir::Type;

/// An index into a `DescrTable`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DescrId(pub u32);

/// How a field may change once its object is built (`_immutable_fields_`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutability {
    Mutable,
    /// Never written after construction: reads survive every call and write.
    Immutable,
    /// `?` in `_immutable_fields_`: rarely written, and a write invalidates code that
    /// assumed it. Until invalidation exists the optimizer treats it like `Mutable`.
    QuasiImmutable,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldDescr {
    pub offset: u32,
    /// Bytes in memory: 1, 2, 4 or 8 (8 for floats and references).
    pub size: u8,
    pub ty: Type,
    /// Whether a narrow int field is sign-extended when read.
    pub signed: bool,
    pub mutability: Mutability,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ArrayDescr {
    /// Offset of item 0 from the start of the array object.
    pub base_offset: u32,
    /// Offset of the length word.
    pub len_offset: u32,
    pub item_size: u8,
    pub item_ty: Type,
    pub signed: bool,
    /// `[*]` in `_immutable_fields_`: the items are never written after construction.
    pub immutable_items: bool,
    /// The GC type id of the array, for `new_array` (`type_id=N` in the text).
    pub type_id: Option<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SizeDescr {
    pub size: u32,
    /// The GC type id written into the header.
    pub type_id: u32,
    /// The vtable address of instances (`new_with_vtable`), if the type has one.
    pub vtable: Option<u64>,
}

/// What a call does besides computing its result (RPython's effect info).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExtraEffect {
    /// An ordinary call.
    #[default]
    None,
    /// Same arguments give the same result with no visible side effect (`@elidable`).
    Elidable,
    /// Same result for the whole loop (`@loop_invariant`).
    LoopInvariant,
    /// May invalidate quasi-immutable fields or compiled code.
    CanInvalidate,
}

/// Which heap locations a call may touch; `None` means "unknown: anything".
#[derive(Clone, Debug, PartialEq, Default)]
pub struct EffectInfo {
    pub can_raise: bool,
    pub can_collect: bool,
    pub extra: ExtraEffect,
    /// Field and array descriptors the call may read; `None` = any.
    pub reads: Option<Vec<DescrId>>,
    /// Field and array descriptors the call may write; `None` = any.
    pub writes: Option<Vec<DescrId>>,
}

impl EffectInfo {
    pub fn is_elidable(&self) -> bool {
        self.extra == ExtraEffect::Elidable
    }

    /// Whether the call may write the location described by `d`.
    pub fn may_write(&self, d: DescrId) -> bool {
        match &self.writes {
            None => true,
            Some(ws) => ws.contains(&d),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CallDescr {
    pub args: Vec<Type>,
    pub result: Option<Type>,
    pub effect: EffectInfo,
}

/// A loop header: `label` and `jump` name one. `arity` is known once a label for it exists.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetDescr {
    pub number: u32,
    pub arg_types: Option<Vec<Type>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DescrKind {
    Field(FieldDescr),
    Array(ArrayDescr),
    Size(SizeDescr),
    Call(CallDescr),
    Target(TargetDescr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Descr {
    /// The printed name: `Cell.value`, `TargetToken(1)`.
    pub name: String,
    pub kind: DescrKind,
}

/// All descriptors, referred to by index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DescrTable {
    descrs: Vec<Descr>,
}

impl DescrTable {
    pub fn new() -> DescrTable {
        DescrTable::default()
    }

    /// Adds a descriptor; names are unique, so an existing name is an error.
    pub fn add(&mut self, name: &str, kind: DescrKind) -> Result<DescrId, String> {
        if self.lookup(name).is_some() {
            return Err(format!("descriptor `{name}` declared twice"));
        }
        self.descrs.push(Descr { name: name.to_string(), kind });
        Ok(DescrId(self.descrs.len() as u32 - 1))
    }

    pub fn lookup(&self, name: &str) -> Option<DescrId> {
        self.descrs.iter().position(|d| d.name == name).map(|i| DescrId(i as u32))
    }

    /// The target token with this number, created if new.
    pub fn target(&mut self, number: u32) -> DescrId {
        let name = format!("TargetToken({number})");
        match self.lookup(&name) {
            Some(id) => id,
            None => {
                self.descrs.push(Descr {
                    name,
                    kind: DescrKind::Target(TargetDescr { number, arg_types: None }),
                });
                DescrId(self.descrs.len() as u32 - 1)
            }
        }
    }

    pub fn get(&self, id: DescrId) -> &Descr {
        &self.descrs[id.0 as usize]
    }

    pub fn get_mut(&mut self, id: DescrId) -> &mut Descr {
        &mut self.descrs[id.0 as usize]
    }

    pub fn contains(&self, id: DescrId) -> bool {
        (id.0 as usize) < self.descrs.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (DescrId, &Descr)> {
        self.descrs.iter().enumerate().map(|(i, d)| (DescrId(i as u32), d))
    }

    pub fn name(&self, id: DescrId) -> &str {
        &self.get(id).name
    }

    pub fn field(&self, id: DescrId) -> Option<&FieldDescr> {
        match &self.get(id).kind {
            DescrKind::Field(f) => Some(f),
            _ => None,
        }
    }

    pub fn array(&self, id: DescrId) -> Option<&ArrayDescr> {
        match &self.get(id).kind {
            DescrKind::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn size(&self, id: DescrId) -> Option<&SizeDescr> {
        match &self.get(id).kind {
            DescrKind::Size(s) => Some(s),
            _ => None,
        }
    }

    pub fn call(&self, id: DescrId) -> Option<&CallDescr> {
        match &self.get(id).kind {
            DescrKind::Call(c) => Some(c),
            _ => None,
        }
    }
}
