//! Representations: the low-level type each annotation is lowered to (RPython's Reprs),
//! and the container types (lists, tuples) built on demand.
//!
//! Lists store every item in an 8-byte slot (ints, bools and chars as Signed, floats as
//! Float, references as pointers), so the runtime's list helpers are generic over items.

use std::sync::Arc;

use kiln_annotator::{ClassDefId, SomeValue};
use kiln_lltype::{Field, LlType, TypeId};

use crate::RTyper;

#[derive(Clone, Debug, PartialEq)]
pub enum Repr {
    /// No run-time value: None, a single known function or class, unreachable values.
    Void,
    Bool,
    Int,
    Uint,
    Float,
    /// A one-character string: a code point.
    Char,
    /// A string pointer, possibly null for None.
    Str,
    List(Arc<ListRepr>),
    Tuple(Arc<TupleRepr>),
    Instance { cdef: ClassDefId, ptr: TypeId },
    /// The class of an instance: a pointer to its vtable.
    ClassOf { cdef: ClassDefId, ptr: TypeId },
    /// An iterator over a container; see `IterRepr`.
    Iter(Arc<IterRepr>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ListRepr {
    /// The pointer to the list struct.
    pub ptr: TypeId,
    pub strukt: TypeId,
    /// The items array type (a GC array of the storage type).
    pub array: TypeId,
    pub item: Repr,
    /// How an item is stored (Signed, Float or a pointer).
    pub storage: TypeId,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TupleRepr {
    pub ptr: TypeId,
    pub strukt: TypeId,
    pub items: Vec<Repr>,
}

/// An iterator: a small GC struct holding the container and a position.
#[derive(Clone, Debug, PartialEq)]
pub struct IterRepr {
    pub ptr: TypeId,
    pub strukt: TypeId,
    pub kind: kiln_annotator::IterKind,
    /// The container's representation.
    pub source: Repr,
    /// The representation of the items it yields.
    pub item: Repr,
}

impl Repr {
    pub fn lltype(&self) -> TypeId {
        match self {
            Repr::Void => TypeId::VOID,
            Repr::Bool => TypeId::BOOL,
            Repr::Int => TypeId::SIGNED,
            Repr::Uint => TypeId::UNSIGNED,
            Repr::Float => TypeId::FLOAT,
            Repr::Char => TypeId::UNICHAR,
            Repr::Str => TypeId::STR_PTR,
            Repr::List(l) => l.ptr,
            Repr::Tuple(t) => t.ptr,
            Repr::Instance { ptr, .. } | Repr::ClassOf { ptr, .. } => *ptr,
            Repr::Iter(i) => i.ptr,
        }
    }

    pub fn is_void(&self) -> bool {
        matches!(self, Repr::Void)
    }

    pub fn is_ptr(&self) -> bool {
        matches!(self, Repr::Str | Repr::List(_) | Repr::Tuple(_) | Repr::Instance { .. } | Repr::ClassOf { .. } | Repr::Iter(_))
    }
}

impl<'a> RTyper<'a> {
    /// The representation of an annotation.
    pub fn repr_of(&mut self, s: &SomeValue) -> Repr {
        match s {
            SomeValue::Impossible | SomeValue::None_ | SomeValue::Object => Repr::Void,
            SomeValue::Bool { .. } => Repr::Bool,
            SomeValue::Int { unsigned: true, .. } => Repr::Uint,
            SomeValue::Int { .. } => Repr::Int,
            SomeValue::Float { .. } => Repr::Float,
            SomeValue::Char { .. } => Repr::Char,
            SomeValue::Str { .. } => Repr::Str,
            SomeValue::List { def, .. } => {
                let item = self.ann.list_item(*def).clone();
                let item = self.repr_of(&item);
                Repr::List(self.list_repr(item))
            }
            SomeValue::Tuple(items) => {
                let items: Vec<Repr> = items.iter().map(|i| self.repr_of(i)).collect();
                Repr::Tuple(self.tuple_repr(items))
            }
            SomeValue::Instance { class, .. } => {
                let c = self.class_of_cdef(*class);
                Repr::Instance { cdef: *class, ptr: self.classes[c].inst_ptr }
            }
            SomeValue::ClassOf { class } => {
                let c = self.class_of_cdef(*class);
                Repr::ClassOf { cdef: *class, ptr: self.classes[c].vtable_ptr }
            }
            SomeValue::Pbc { .. } => Repr::Void,
            SomeValue::Dict { .. } => Repr::Void,
            SomeValue::Iterator { kind, source } => {
                let src = self.repr_of(source);
                let item = self.ann_iter_item(*kind, source);
                let item = self.repr_of(&item);
                Repr::Iter(self.iter_repr(*kind, src, item))
            }
        }
    }

    /// How a list item of this representation is stored.
    pub fn storage_of(item: &Repr) -> TypeId {
        match item {
            Repr::Void | Repr::Bool | Repr::Int | Repr::Uint | Repr::Char => TypeId::SIGNED,
            Repr::Float => TypeId::FLOAT,
            other => other.lltype(),
        }
    }

    pub fn list_repr(&mut self, item: Repr) -> Arc<ListRepr> {
        let storage = Self::storage_of(&item);
        let (strukt, array) = match storage {
            TypeId::SIGNED => (TypeId::LIST_SIGNED, TypeId::ARRAY_SIGNED),
            TypeId::STR_PTR => (TypeId::LIST_STR, TypeId::ARRAY_STR),
            _ => match self.list_types.get(&storage) {
                Some(&(s, a)) => (s, a),
                None => {
                    let array = self.ll.types.gc_array(storage);
                    let array_ptr = self.ll.types.ptr(array);
                    let name = format!("LIST<{}>", self.ll.types.name(storage));
                    let s = self.ll.types.new_struct(&name, true);
                    self.ll.types.set_fields(s, vec![field("length", TypeId::SIGNED), field("items", array_ptr)]);
                    self.list_types.insert(storage, (s, array));
                    (s, array)
                }
            },
        };
        let ptr = self.ll.types.ptr(strukt);
        Arc::new(ListRepr { ptr, strukt, array, item, storage })
    }

    pub fn tuple_repr(&mut self, items: Vec<Repr>) -> Arc<TupleRepr> {
        let tys: Vec<TypeId> = items.iter().map(|r| r.lltype()).collect();
        let strukt = match self.tuple_types.get(&tys) {
            Some(&s) => s,
            None => {
                let names: Vec<String> = tys.iter().map(|t| self.ll.types.name(*t)).collect();
                let s = self.ll.types.new_struct(&format!("TUPLE({})", names.join(", ")), true);
                let fields = tys.iter().enumerate().map(|(i, t)| field(&format!("item{i}"), *t)).collect();
                self.ll.types.set_fields(s, fields);
                self.tuple_types.insert(tys, s);
                s
            }
        };
        let ptr = self.ll.types.ptr(strukt);
        Arc::new(TupleRepr { ptr, strukt, items })
    }

    pub fn iter_repr(&mut self, kind: kiln_annotator::IterKind, source: Repr, item: Repr) -> Arc<IterRepr> {
        let key = (format!("{kind:?}"), source.lltype());
        let strukt = match self.iter_types.get(&key) {
            Some(&s) => s,
            None => {
                let name = format!("ITER<{:?}, {}>", kind, self.ll.types.name(source.lltype()));
                let s = self.ll.types.new_struct(&name, true);
                let mut fields = vec![field("source", source.lltype()), field("index", TypeId::SIGNED)];
                if let Repr::Iter(inner) = &source {
                    let _ = inner;
                }
                if matches!(kind, kiln_annotator::IterKind::Enumerate) {
                    fields.push(field("count", TypeId::SIGNED));
                }
                self.ll.types.set_fields(s, fields);
                self.iter_types.insert(key, s);
                s
            }
        };
        let ptr = self.ll.types.ptr(strukt);
        Arc::new(IterRepr { ptr, strukt, kind, source, item })
    }

    /// The annotation of an iterator's items (the annotator computed it; this mirrors it
    /// on frozen tables).
    pub fn ann_iter_item(&self, kind: kiln_annotator::IterKind, source: &SomeValue) -> SomeValue {
        use kiln_annotator::IterKind as K;
        match (kind, source) {
            (K::List | K::Reversed, SomeValue::List { def, .. }) => self.ann.list_item(*def).clone(),
            (K::Str, _) => SomeValue::char(),
            (K::Range, _) => SomeValue::int(),
            (K::DictKeys, SomeValue::Dict { def, .. }) => self.ann.dict_kv(*def).0.clone(),
            (K::DictValues, SomeValue::Dict { def, .. }) => self.ann.dict_kv(*def).1.clone(),
            (K::DictItems, SomeValue::Dict { def, .. }) => {
                let (k, v) = self.ann.dict_kv(*def);
                SomeValue::Tuple(vec![k.clone(), v.clone()].into())
            }
            (K::Enumerate, SomeValue::Iterator { kind, source }) => SomeValue::Tuple(vec![SomeValue::nonneg_int(), self.ann_iter_item(*kind, source)].into()),
            (K::Zip, SomeValue::Tuple(its)) => SomeValue::Tuple(
                its.iter()
                    .map(|it| match it {
                        SomeValue::Iterator { kind, source } => self.ann_iter_item(*kind, source),
                        _ => SomeValue::Impossible,
                    })
                    .collect(),
            ),
            _ => SomeValue::Impossible,
        }
    }

    pub fn type_name(&self, t: TypeId) -> String {
        self.ll.types.name(t)
    }

    pub fn is_struct(&self, t: TypeId) -> bool {
        matches!(self.ll.types.get(t), LlType::Struct(_))
    }
}

pub fn field(name: &str, ty: TypeId) -> Field {
    Field { name: name.to_string(), ty }
}
