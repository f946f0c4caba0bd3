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
    /// A float that may be a bool: a float whose True/False are two reserved NaN
    /// patterns (see `rboolfloat.rs`).
    FloatOrBool,
    /// A one-character string: a code point.
    Char,
    /// A string pointer, possibly null for None.
    Str,
    List(Arc<ListRepr>),
    Dict(Arc<DictRepr>),
    Tuple(Arc<TupleRepr>),
    Instance { cdef: ClassDefId, ptr: TypeId },
    /// The class of an instance: a pointer to its vtable.
    ClassOf { cdef: ClassDefId, ptr: TypeId },
    /// An iterator over a container; see `IterRepr`.
    Iter(Arc<IterRepr>),
    /// One of several functions (or None): a function pointer of their common signature.
    Func(Arc<FuncRepr>),
}

/// A function pointer: the pointer type and the representations of its signature.
#[derive(Clone, Debug, PartialEq)]
pub struct FuncRepr {
    pub ptr: TypeId,
    pub params: Vec<Repr>,
    pub ret: Repr,
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

/// A dict (kiln_abi::RDict): keys and values are stored as 8-byte words in entries of
/// a GC array the runtime manages; `desc` is the static DictDesc shared by all dicts of
/// this type.
#[derive(Clone, Debug, PartialEq)]
pub struct DictRepr {
    pub ptr: TypeId,
    pub strukt: TypeId,
    pub entries: TypeId,
    pub key: Repr,
    pub value: Repr,
    pub desc: kiln_lltype::LlConst,
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
            Repr::Float | Repr::FloatOrBool => TypeId::FLOAT,
            Repr::Char => TypeId::UNICHAR,
            Repr::Str => TypeId::STR_PTR,
            Repr::List(l) => l.ptr,
            Repr::Dict(d) => d.ptr,
            Repr::Tuple(t) => t.ptr,
            Repr::Instance { ptr, .. } | Repr::ClassOf { ptr, .. } => *ptr,
            Repr::Iter(i) => i.ptr,
            Repr::Func(f) => f.ptr,
        }
    }

    pub fn is_void(&self) -> bool {
        matches!(self, Repr::Void)
    }

    pub fn is_ptr(&self) -> bool {
        matches!(self, Repr::Str | Repr::List(_) | Repr::Dict(_) | Repr::Tuple(_) | Repr::Instance { .. } | Repr::ClassOf { .. } | Repr::Iter(_) | Repr::Func(_))
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
            SomeValue::Float { boolish: true, .. } => Repr::FloatOrBool,
            SomeValue::Float { .. } => Repr::Float,
            SomeValue::Char { .. } => Repr::Char,
            // A bytes value is the str of its bytes as code points (see `rbytes.rs`).
            SomeValue::Str { .. } | SomeValue::Bytes { .. } => Repr::Str,
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
            // A class value is the generic vtable pointer, cast to a class's own vtable
            // type where a slot is read: reprs are made while the vtables are still
            // being built (a method signature with a class in it), and must not depend
            // on when.
            SomeValue::ClassOf { class } => Repr::ClassOf { cdef: *class, ptr: TypeId::VTABLE_PTR },
            SomeValue::Pbc { descs, can_be_none } => self.pbc_repr(descs, *can_be_none),
            SomeValue::Dict { def, .. } => {
                let (k, v) = self.ann.dict_kv(*def);
                let (k, v) = (k.clone(), v.clone());
                let (k, v) = (self.repr_of(&k), self.repr_of(&v));
                Repr::Dict(self.dict_repr(k, v))
            }
            SomeValue::Iterator { kind, source } => {
                // Iterating over a one-character string: the iterator holds it as a
                // str, which is what the str iterator's helper reads.
                let src = match self.repr_of(source) {
                    Repr::Char if matches!(kind, kiln_annotator::IterKind::Str) => Repr::Str,
                    r => r,
                };
                let item = self.ann_iter_item(*kind, source);
                let item = self.repr_of(&item);
                Repr::Iter(self.iter_repr(*kind, src, item))
            }
        }
    }

    /// Prebuilt-object values: a bound method is its receiver; one of several functions a
    /// function pointer; one of several classes a vtable pointer; anything else has no
    /// run-time value.
    fn pbc_repr(&mut self, descs: &std::collections::BTreeSet<kiln_annotator::Desc>, can_be_none: bool) -> Repr {
        use kiln_annotator::Desc;
        if descs.iter().all(|d| matches!(d, Desc::Method { .. })) {
            let mut cdef: Option<kiln_annotator::ClassDefId> = None;
            for d in descs {
                if let Desc::Method { class, .. } = d {
                    cdef = Some(match cdef {
                        Some(c) => self.common_cdef(c, *class),
                        None => *class,
                    });
                }
            }
            if let Some(c) = cdef {
                let ci = self.class_of_cdef(c);
                return Repr::Instance { cdef: c, ptr: self.classes[ci].inst_ptr };
            }
        }
        let several = descs.len() > 1 || can_be_none;
        if several && descs.iter().all(|d| matches!(d, Desc::Function(_))) {
            return self.func_repr(descs);
        }
        if several && descs.iter().all(|d| matches!(d, Desc::Class(_))) {
            let mut cdef: Option<kiln_annotator::ClassDefId> = None;
            for d in descs {
                if let Desc::Class(o) = d {
                    if let Some(c) = self.ann.by_class.get(o).copied() {
                        cdef = Some(match cdef {
                            Some(x) => self.common_cdef(x, c),
                            None => c,
                        });
                    }
                }
            }
            if let Some(c) = cdef {
                return Repr::ClassOf { cdef: c, ptr: TypeId::VTABLE_PTR };
            }
        }
        Repr::Void
    }

    /// The nearest common ancestor of two annotator classdefs.
    pub fn common_cdef(&self, a: kiln_annotator::ClassDefId, b: kiln_annotator::ClassDefId) -> kiln_annotator::ClassDefId {
        let is_sub = |x: kiln_annotator::ClassDefId, sup: kiln_annotator::ClassDefId| {
            let mut k = Some(x);
            while let Some(c) = k {
                if c == sup {
                    return true;
                }
                k = self.ann.classdefs[c.0 as usize].parent;
            }
            false
        };
        let mut x = Some(a);
        while let Some(c) = x {
            if is_sub(b, c) {
                return c;
            }
            x = self.ann.classdefs[c.0 as usize].parent;
        }
        a
    }

    /// The function-pointer representation for a set of functions: they must share one
    /// low-level signature.
    fn func_repr(&mut self, descs: &std::collections::BTreeSet<kiln_annotator::Desc>) -> Repr {
        let key: Vec<kiln_frontend::ObjId> = descs.iter().filter_map(|d| if let kiln_annotator::Desc::Function(f) = d { Some(*f) } else { None }).collect();
        if let Some(r) = self.func_reprs.get(&key) {
            return Repr::Func(r.clone());
        }
        let mut sig: Option<(Vec<Repr>, Repr, kiln_annotator::GraphId)> = None;
        for f in &key {
            let Some(g) = self.graph_of_func(*f) else { continue };
            let (p, r) = self.signature_of(g);
            match &sig {
                None => sig = Some((p, r, g)),
                Some((p0, r0, g0)) => {
                    if *p0 != p || *r0 != r {
                        let (a, b) = (self.ann.graphs[g0.0 as usize].graph.span, self.ann.graphs[g.0 as usize].graph.span);
                        let (an, bn) = (self.ann.graphs[g0.0 as usize].name.clone(), self.ann.graphs[g.0 as usize].name.clone());
                        self.error(
                            kiln_diagnostics::Diagnostic::error("E0412", format!("functions '{an}' and '{bn}' are used as one value but have different signatures"))
                                .with_primary(b, format!("'{bn}' is defined here"))
                                .with_label(a, format!("'{an}' is defined here"))
                                .with_note("functions stored in the same variable, list or dict are called through one pointer: they must take and return the same types"),
                        );
                        break;
                    }
                }
            }
        }
        let (params, ret) = match sig {
            Some((p, r, _)) => (p, r),
            None => (Vec::new(), Repr::Void),
        };
        let fty = self.ll.types.func(params.iter().filter(|r| !r.is_void()).map(|r| r.lltype()).collect(), ret.lltype());
        let ptr = self.ll.types.ptr(fty);
        let r = Arc::new(FuncRepr { ptr, params, ret });
        self.func_reprs.insert(key, r.clone());
        Repr::Func(r)
    }

    /// How a list item of this representation is stored.
    pub fn storage_of(item: &Repr) -> TypeId {
        match item {
            Repr::Void | Repr::Bool | Repr::Int | Repr::Uint | Repr::Char => TypeId::SIGNED,
            Repr::Float | Repr::FloatOrBool => TypeId::FLOAT,
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

    /// The dict type for keys and values of these representations.
    pub fn dict_repr(&mut self, key: Repr, value: Repr) -> Arc<DictRepr> {
        let (ks, vs) = (Self::storage_of(&key), Self::storage_of(&value));
        let (strukt, entries) = match self.dict_types.get(&(ks, vs)) {
            Some(&t) => t,
            None => {
                let (kn, vn) = (self.ll.types.name(ks), self.ll.types.name(vs));
                let entry = self.ll.types.new_struct(&format!("ENTRY<{kn}, {vn}>"), false);
                self.ll.types.set_fields(entry, vec![field("state", TypeId::SIGNED), field("hash", TypeId::SIGNED), field("key", ks), field("value", vs)]);
                let entries = self.ll.types.gc_array(entry);
                let entries_ptr = self.ll.types.ptr(entries);
                let (_, dd) = self.desc_types();
                let dd_ptr = self.ll.types.ptr(dd);
                let s = self.ll.types.new_struct(&format!("DICT<{kn}, {vn}>"), true);
                self.ll.types.set_fields(
                    s,
                    vec![
                        field("desc", dd_ptr),
                        field("num_items", TypeId::SIGNED),
                        field("num_used", TypeId::SIGNED),
                        field("indexes", TypeId::ARRAY_SIGNED_PTR),
                        field("entries", entries_ptr),
                    ],
                );
                self.dict_types.insert((ks, vs), (s, entries));
                (s, entries)
            }
        };
        let ptr = self.ll.types.ptr(strukt);
        let dkey = (format!("{key:?}"), format!("{value:?}"));
        let desc = match self.dict_descs.get(&dkey) {
            Some(d) => d.clone(),
            None => {
                let (_, dd) = self.desc_types();
                let dd_ptr = self.ll.types.ptr(dd);
                let kd = self.type_desc(&key);
                let vd = self.type_desc(&value);
                let etid = self.ll.types.gc_typeid(entries).unwrap_or(0) as i64;
                let dtid = self.ll.types.gc_typeid(strukt).unwrap_or(0) as i64;
                let s = self.ll.add_static(kiln_lltype::StaticObj {
                    ty: dd,
                    value: kiln_lltype::StaticValue::Struct { fields: vec![kd, vd, kiln_lltype::LlConst::Signed(etid), kiln_lltype::LlConst::Signed(dtid)], items: Vec::new() },
                    name: format!("dictdesc{}", self.dict_descs.len()),
                });
                let d = kiln_lltype::LlConst::Static(s, dd_ptr);
                self.dict_descs.insert(dkey, d.clone());
                d
            }
        };
        Arc::new(DictRepr { ptr, strukt, entries, key, value, desc })
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
                self.iter_kinds.insert(s, kind);
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
            (K::Bytes, _) => SomeValue::nonneg_int(),
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
    Field { name: name.to_string(), ty, mutability: Default::default() }
}
