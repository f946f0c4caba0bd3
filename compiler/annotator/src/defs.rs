//! The bookkeeper's tables: list and dict definitions (unified with ena when values
//! flow together, as RPython's listdefs are), class definitions with their attributes,
//! and the union of annotations, which may unify definitions and may fail.

use std::collections::BTreeSet;
use std::sync::Arc;

use ena::unify::{InPlaceUnificationTable, UnifyKey};
use indexmap::IndexMap;
use kiln_diagnostics::Span;
use kiln_flowgraph::BlockId;
use kiln_frontend::ObjId;

use crate::model::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct DefKey(u32);

impl UnifyKey for DefKey {
    type Value = ();
    fn index(&self) -> u32 {
        self.0
    }
    fn from_index(u: u32) -> DefKey {
        DefKey(u)
    }
    fn tag() -> &'static str {
        "DefKey"
    }
}

/// A block that read a definition's contents and must be re-flowed when they change.
pub type Reader = (GraphId, BlockId);

#[derive(Clone, Debug)]
pub struct ListDef {
    pub item: SomeValue,
    /// Where the current item annotation came from.
    pub item_origin: Span,
    pub readers: BTreeSet<Reader>,
    /// The list's length may change (append, pop, ...): a resizable list.
    pub resized: bool,
    /// Items are assigned after creation.
    pub mutated: bool,
}

#[derive(Clone, Debug)]
pub struct DictDef {
    pub key: SomeValue,
    pub value: SomeValue,
    pub key_origin: Span,
    pub value_origin: Span,
    pub readers: BTreeSet<Reader>,
}

/// Definitions merged by union-find: each id resolves to a root holding the data.
pub struct DefTable<T> {
    keys: InPlaceUnificationTable<DefKey>,
    data: Vec<Option<T>>,
}

impl<T: Clone> Default for DefTable<T> {
    fn default() -> Self {
        DefTable { keys: InPlaceUnificationTable::new(), data: Vec::new() }
    }
}

impl<T: Clone> DefTable<T> {
    pub fn new_def(&mut self, data: T) -> u32 {
        let k = self.keys.new_key(());
        self.data.push(Some(data));
        k.0
    }

    pub fn root(&mut self, id: u32) -> u32 {
        self.keys.find(DefKey(id)).0
    }

    pub fn get(&mut self, id: u32) -> &T {
        let r = self.root(id);
        self.data[r as usize].as_ref().expect("roots hold data")
    }

    pub fn get_mut(&mut self, id: u32) -> &mut T {
        let r = self.root(id);
        self.data[r as usize].as_mut().expect("roots hold data")
    }

    /// Merges two definitions; returns (root, the two former data) when they were
    /// distinct, for the caller to combine into the root.
    pub fn union(&mut self, a: u32, b: u32) -> Option<(u32, T, T)> {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra == rb {
            return None;
        }
        let da = self.data[ra as usize].take().expect("roots hold data");
        let db = self.data[rb as usize].take().expect("roots hold data");
        self.keys.union(DefKey(ra), DefKey(rb));
        let r = self.root(ra);
        Some((r, da, db))
    }

    pub fn set(&mut self, root: u32, data: T) {
        self.data[root as usize] = Some(data);
    }

    /// Every id's root and every root's data, for read-only use after annotation.
    pub fn freeze(mut self) -> Frozen<T> {
        let roots: Vec<u32> = (0..self.data.len() as u32).map(|i| self.root(i)).collect();
        Frozen { roots, data: self.data }
    }

    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// A definition table after annotation: ids resolved to their roots.
#[derive(Clone, Debug)]
pub struct Frozen<T> {
    roots: Vec<u32>,
    data: Vec<Option<T>>,
}

impl<T> Frozen<T> {
    pub fn root(&self, id: u32) -> u32 {
        self.roots[id as usize]
    }

    pub fn get(&self, id: u32) -> &T {
        self.data[self.root(id) as usize].as_ref().expect("roots hold data")
    }

    /// The ids that are roots, in order.
    pub fn roots(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.roots.len() as u32).filter(|i| self.roots[*i as usize] == *i)
    }
}

/// An instance attribute of a class definition.
#[derive(Clone, Debug)]
pub struct AttrDef {
    pub ann: SomeValue,
    /// Where the current annotation came from.
    pub origin: Span,
    pub readers: BTreeSet<Reader>,
}

/// The annotator's view of a class.
#[derive(Clone, Debug)]
pub struct ClassDef {
    pub class: ObjId,
    pub name: Arc<str>,
    pub parent: Option<ClassDefId>,
    /// Instance attributes stored at this level of the hierarchy.
    pub attrs: IndexMap<Arc<str>, AttrDef>,
    pub subdefs: Vec<ClassDefId>,
    /// Some instance of exactly this class is created at run time (or prebuilt).
    pub instantiated: bool,
    /// Blocks whose method lookups depend on which subclasses exist.
    pub method_readers: BTreeSet<Reader>,
    /// The names this class lists in `_immutable_fields_`, each with its suffixes:
    /// `?` (quasi-immutable) and `[*]` (the list's items are immutable too), for the JIT.
    pub immutable_fields: Vec<ImmutableField>,
    /// `_immutable_ = True`: every field of the class is immutable.
    pub immutable: bool,
}

/// One entry of `_immutable_fields_`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImmutableField {
    pub name: Arc<str>,
    /// `name?`: quasi-immutable.
    pub quasi: bool,
    /// `name[*]`: the items of the list it holds are immutable.
    pub items: bool,
}
