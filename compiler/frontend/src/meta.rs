//! Metaclasses at import time: `class Node(metaclass=Meta)`, `class Meta(type)` with
//! `__new__`/`__init__`, `type(name, bases, dict)` and `type(x)`.
//!
//! A class statement with a metaclass runs its body into a class object as usual, then
//! calls the metaclass with the name, the bases and a namespace dict copied from that
//! class. `type.__new__` given that namespace returns the same class object, updated from
//! the dict, so that methods defined in the body keep the class `super()` needs. Only the
//! class objects that come out of this exist at run time: metaclasses are import-time
//! machinery, as in RPython.

use std::sync::Arc;

use indexmap::IndexMap;
use kiln_diagnostics::{Diagnostic, Span};

use crate::eval::{Evaluator, Exc, R};
use crate::value::*;

impl<'l> Evaluator<'l> {
    fn type_class(&self) -> ObjId {
        self.p.classes.get("type")
    }

    /// The metaclass of a class object: its recorded one, or `type`.
    fn meta_of(&self, class: ObjId) -> ObjId {
        self.p.heap.class(class).and_then(|c| c.metaclass).unwrap_or(self.type_class())
    }

    /// The metaclass a class statement uses: the explicit `metaclass=`, else the most
    /// derived metaclass of the bases. None means plain `type`.
    pub(crate) fn metaclass_of(&mut self, explicit: Option<(Value, Span)>, class: ObjId, span: Span) -> R<Option<ObjId>> {
        let ty = self.type_class();
        let mut winner = match &explicit {
            Some((Value::Obj(m), _)) if self.p.heap.class(*m).is_some() && self.p.heap.is_subclass(*m, ty) => *m,
            Some((v, mspan)) => {
                let d = self.p.heap.describe(v);
                return Err(Exc::Diag(Diagnostic::error("E0107", format!("a metaclass must be a subclass of type, not {d}")).with_primary(*mspan, "this metaclass")));
            }
            None => ty,
        };
        let bases = self.p.heap.class(class).map(|c| c.bases.clone()).unwrap_or_default();
        for b in bases {
            let m = self.meta_of(b);
            if self.p.heap.is_subclass(m, winner) {
                winner = m;
            } else if !self.p.heap.is_subclass(winner, m) {
                return Err(self.raise(
                    "TypeError",
                    "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases",
                    span,
                ));
            }
        }
        Ok((winner != ty).then_some(winner))
    }

    /// Calls metaclass `meta` for the class statement that filled `class`.
    pub(crate) fn apply_metaclass(&mut self, meta: ObjId, class: ObjId, span: Span) -> R<ObjId> {
        let (name, bases, dict) = {
            let c = self.p.heap.class(class).expect("made by make_class");
            (c.name.clone(), c.bases.clone(), c.dict.clone())
        };
        let mut ns = Dict::default();
        for (k, v) in dict {
            ns.entries.insert(HashKey::Str(k.clone()), (Value::Str(k), v));
        }
        let ns = self.p.heap.alloc(Object::Dict(ns));
        self.pending_classes.insert(ns, class);
        let bases_t = self.p.heap.alloc(Object::Tuple(bases.into_iter().map(Value::Obj).collect()));
        let r = self.call(Value::Obj(meta), vec![Value::Str(name), Value::Obj(bases_t), Value::Obj(ns)], Vec::new(), span);
        self.pending_classes.remove(&ns);
        match r? {
            Value::Obj(c) if self.p.heap.class(c).is_some() => Ok(c),
            other => {
                let d = self.p.heap.describe(&other);
                Err(Exc::Diag(
                    Diagnostic::error("E0107", format!("the metaclass returned {d}, not a class"))
                        .with_primary(span, "in this class statement")
                        .with_note("Kiln translates classes; a metaclass must return the class type.__new__ made"),
                ))
            }
        }
    }

    /// Calling `type` or a metaclass: `type(x)`, `type(name, bases, dict)`, `Meta(...)`.
    /// None when `class` is an ordinary class.
    pub(crate) fn call_metaclass(&mut self, class: ObjId, args: &[Value], kwargs: &[(Arc<str>, Value)], span: Span) -> Option<R<Value>> {
        let ty = self.type_class();
        if !self.p.heap.is_subclass(class, ty) {
            return None;
        }
        if class == ty && args.len() == 1 {
            return Some(Ok(match &args[0] {
                Value::Obj(o) => match self.p.heap.get(*o) {
                    Object::Instance(i) => Value::Obj(i.class),
                    Object::Class(_) => Value::Obj(self.meta_of(*o)),
                    _ => return Some(Err(crate::eval::unsupported(span, "type() of a built-in value at import time"))),
                },
                _ => return Some(Err(crate::eval::unsupported(span, "type() of a built-in value at import time"))),
            }));
        }
        if !kwargs.is_empty() {
            return Some(Err(self.raise("TypeError", "type() takes no keyword arguments", span)));
        }
        // `type(name, bases, dict)` uses the most derived metaclass of the bases, as
        // CPython's type.__new__ does.
        let mut meta = class;
        if class == ty && args.len() == 3 {
            let bases = match self.iterate(&args[1], span) {
                Ok(b) => b,
                Err(e) => return Some(Err(e)),
            };
            for b in bases {
                if let Value::Obj(o) = b {
                    if self.p.heap.class(o).is_some() {
                        let m = self.meta_of(o);
                        if self.p.heap.is_subclass(m, meta) {
                            meta = m;
                        }
                    }
                }
            }
        }
        Some(self.construct_class(meta, args, span))
    }

    fn construct_class(&mut self, meta: ObjId, args: &[Value], span: Span) -> R<Value> {
        let mut a = vec![Value::Obj(meta)];
        a.extend(args.iter().cloned());
        let new = self.p.heap.class_lookup(meta, "__new__").map(|(_, v)| v).unwrap_or(Value::None);
        let made = self.call(new, a, Vec::new(), span)?;
        if let Value::Obj(c) = &made {
            if self.p.heap.class(*c).is_some() && self.p.heap.is_subclass(self.meta_of(*c), meta) {
                if let Some((_, init)) = self.p.heap.class_lookup(meta, "__init__") {
                    let mut a = vec![made.clone()];
                    a.extend(args.iter().cloned());
                    self.call(init, a, Vec::new(), span)?;
                }
            }
        }
        Ok(made)
    }

    /// `type.__new__(mcs, name, bases, dict)`.
    pub(crate) fn type_new(&mut self, args: &[Value], span: Span) -> R<Value> {
        let [Value::Obj(mcs), Value::Str(name), bases, Value::Obj(ns)] = args else {
            return Err(self.raise("TypeError", "type.__new__() takes exactly 3 arguments (name, bases, dict)", span));
        };
        let entries: Vec<(Value, Value)> = match self.p.heap.get(*ns) {
            Object::Dict(d) => d.entries.values().cloned().collect(),
            _ => return Err(self.raise("TypeError", "type.__new__() argument 3 must be dict", span)),
        };
        let mut dict: IndexMap<Arc<str>, Value> = IndexMap::new();
        for (k, v) in entries {
            let Value::Str(k) = k else { return Err(self.raise("TypeError", "class namespace keys must be strings", span)) };
            dict.insert(k, v);
        }
        let mut base_ids = Vec::new();
        for b in self.iterate(bases, span)? {
            match b {
                Value::Obj(o) if self.p.heap.class(o).is_some() => base_ids.push(o),
                other => {
                    let d = self.p.heap.describe(&other);
                    return Err(self.raise("TypeError", format!("bases must be classes, not {d}"), span));
                }
            }
        }
        if base_ids.is_empty() {
            base_ids.push(self.p.classes.object);
        }
        let ty = self.type_class();
        let metaclass = (*mcs != ty).then_some(*mcs);
        if let Some(&class) = self.pending_classes.get(ns) {
            if let Object::Class(c) = self.p.heap.get_mut(class) {
                c.dict = dict;
                c.metaclass = metaclass;
                c.name = name.clone();
            }
            return Ok(Value::Obj(class));
        }
        let mro = self.c3_mro(&base_ids).ok_or_else(|| self.raise("TypeError", "cannot create a consistent method resolution order", span))?;
        let module = match dict.get("__module__") {
            Some(Value::Str(m)) => self.p.modules.get(&**m).copied(),
            _ => None,
        };
        let class = self.p.heap.alloc(Object::Class(Class {
            name: name.clone(),
            qualname: name.to_string(),
            module,
            bases: base_ids,
            mro: Vec::new(),
            dict,
            builtin: false,
            metaclass,
            span,
        }));
        let mut full = vec![class];
        full.extend(mro);
        if let Object::Class(c) = self.p.heap.get_mut(class) {
            c.mro = full;
        }
        Ok(Value::Obj(class))
    }
}
