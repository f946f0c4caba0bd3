//! Attributes read through a class value: `k.name` and `k.name(...)` where `k` is one of
//! several classes (a loop over a list of classes, `x.__class__`), as RPython allows. The
//! value read is each class's attribute (a static method is its function, so
//! `k.can_specialize(...)` calls whichever class `k` is at run time); the RTyper reads it
//! from a vtable slot. Also static methods that only subclasses define, called through an
//! instance of their base (`self.helper(x)`).

use std::collections::BTreeSet;
use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};
use kiln_frontend::{Object, Value};

use crate::annotate::Annotator;
use crate::model::*;

/// Whether an annotation is a class value: a set of classes (a vtable at run time).
pub fn is_class_value(s: &SomeValue) -> bool {
    matches!(s, SomeValue::Pbc { descs, can_be_none: false } if !descs.is_empty() && descs.iter().all(|d| matches!(d, Desc::Class(_))))
}

impl<'a> Annotator<'a> {
    fn is_plain_function(&self, v: &Value) -> bool {
        matches!(v, Value::Obj(o) if matches!(self.prog.heap.get(*o), Object::Function(_)))
    }

    /// Whether classes strictly below `c` define `name` and every definition is a
    /// non-function value (a static method, a constant): a call `inst.name(...)` on an
    /// instance of `c` then reads the class attribute and calls it.
    pub(crate) fn defined_below_as_value(&mut self, c: ClassDefId, name: &str) -> bool {
        let defs = self.overrides(c, name);
        !defs.is_empty() && defs.iter().all(|(_, v)| !self.is_plain_function(v))
    }

    /// The annotation of `k.name` where `k` holds one of the classes `descs`.
    ///
    /// A class of the set whose MRO lacks `name` is a diagnostic (CPython raises
    /// AttributeError there). The value is the union of `name` at the classes' common base
    /// and in every class below it, the way an instance read of a class attribute is
    /// annotated, so that the vtable slot holding it has one type for all of them.
    pub(crate) fn class_value_attr(&mut self, descs: &BTreeSet<Desc>, name: &Arc<str>, span: Span) -> Result<SomeValue, Diagnostic> {
        let mut base: Option<ClassDefId> = None;
        let mut single: Option<Value> = None;
        for d in descs {
            let Desc::Class(cls) = *d else { continue };
            let c = self.classdef(cls);
            let reader = self.cur;
            self.classdefs[c.0 as usize].method_readers.insert(reader);
            let cname = self.classdefs[c.0 as usize].name.clone();
            let v = match self.prog.heap.class_lookup(cls, name) {
                Some((_, v)) => v,
                None => {
                    return Err(Diagnostic::error("E0308", format!("class '{cname}' has no attribute '{name}'"))
                        .with_primary(span, format!("read here on a value that may be class '{cname}'"))
                        .with_note(format!("CPython raises `AttributeError: type object '{cname}' has no attribute '{name}'` when it is")));
                }
            };
            if self.is_plain_function(&v) {
                return Err(Diagnostic::error("E0401", format!("reading method '{name}' through a class value is not supported by the translator yet"))
                    .with_primary(span, format!("'{name}' is a method of class '{cname}'"))
                    .with_note("static methods and other class attributes can be read through a class value; make it a @staticmethod, or call it on an instance"));
            }
            single = Some(v);
            base = Some(match base {
                Some(b) => self.common_base(b, c),
                None => c,
            });
        }
        let (Some(base), Some(v)) = (base, single) else { return Ok(SomeValue::Impossible) };
        if descs.len() == 1 {
            // One class: a constant.
            return Ok(self.annotate_const(&v));
        }
        let mut s = SomeValue::Impossible;
        let base_cls = self.classdefs[base.0 as usize].class;
        if let Some((_, bv)) = self.prog.heap.class_lookup(base_cls, name) {
            s = self.annotate_const(&bv).without_const_keep_pbc();
        }
        for (d, ov) in self.overrides(base, name) {
            if self.is_plain_function(&ov) {
                let dname = self.classdefs[d.0 as usize].name.clone();
                return Err(Diagnostic::error("E0401", format!("reading '{name}' through a class value, where class '{dname}' below the classes' common base makes it a method, is not supported by the translator yet"))
                    .with_primary(span, "read here")
                    .with_note("the value is read from one vtable slot for all the classes below their common base: make every definition a @staticmethod"));
            }
            let os = self.annotate_const(&ov).without_const_keep_pbc();
            s = self.union(&s, &os).map_err(|m| {
                Diagnostic::error("E0304", format!("class attribute '{name}' is {} in one class and {} in another", m.a, m.b))
                    .with_primary(span, "read here through a class value")
            })?;
        }
        Ok(s)
    }
}
