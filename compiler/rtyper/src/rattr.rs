//! Attribute reads and writes: instance fields, class attributes (a constant, or a vtable
//! slot when subclasses override them), and class attributes read through a class value
//! (`k.name`, `k.name(...)` where `k` is one of several classes, a vtable pointer at run
//! time): a constant when every class at or below the classes' common base agrees, else a
//! class-attribute slot of the vtable, as an overridden class attribute read through an
//! instance is. A static method in such a slot is a function pointer; a class below the
//! slot's root without it gets a stand-in raising CPython's AttributeError, so that no
//! call jumps to null.

use kiln_annotator::{Desc, SomeValue};
use kiln_flowgraph::Operation;
use kiln_flowspace::Hl;
use kiln_lltype::builder::LlValue;
use kiln_lltype::{FieldRef, LlConst, LlOp, TypeId};

use crate::lower::Lower;
use crate::repr::{FuncRepr, Repr};
use crate::RTyper;

fn c(v: LlConst) -> LlValue {
    LlValue::Const(v)
}

impl<'a> RTyper<'a> {
    /// The class (table index) whose vtable slot a read of class attribute `name` on a
    /// value annotated `recv` needs, if it needs one: an instance whose classes disagree on
    /// a class attribute (`needs_attr_slot`), or a class value whose classes disagree.
    pub(crate) fn attr_slot_site(&mut self, recv: &SomeValue, name: &str) -> Option<usize> {
        match recv {
            SomeValue::Instance { class, .. } => {
                let ci = self.class_index[&self.ann.classdefs[class.0 as usize].class];
                self.needs_attr_slot(ci, name).then_some(ci)
            }
            SomeValue::Pbc { descs, .. } if descs.len() > 1 && descs.iter().all(|d| matches!(d, Desc::Class(_))) => {
                let Repr::ClassOf { cdef, .. } = self.repr_of(recv) else { return None };
                let ci = self.class_of_cdef(cdef);
                (!self.class_attr_is_uniform(ci, name)).then_some(ci)
            }
            _ => None,
        }
    }

    /// An instantiated class at or below `ci` whose MRO has no attribute `name` (a class
    /// attribute only its subclasses define).
    pub(crate) fn instantiated_class_lacking(&self, ci: usize, name: &str) -> Option<usize> {
        let mut stack = vec![ci];
        while let Some(k) = stack.pop() {
            let instantiated = self.classes[k].cdef.is_some_and(|c| self.ann.classdefs[c.0 as usize].instantiated);
            if instantiated && self.prog.heap.class_lookup(self.classes[k].class, name).is_none() {
                return Some(k);
            }
            stack.extend(self.classes[k].children.iter().copied());
        }
        None
    }

    /// The function a class-attribute slot holding functions gets for class `ci`, which
    /// has no attribute `name`: it raises `AttributeError: 'C' object has no attribute
    /// 'name'`, what CPython raises for `inst.name(...)` on an instance of `ci` (the only
    /// way to reach it: a class value lacking it is a diagnostic).
    pub(crate) fn missing_class_attr_fn(&mut self, ci: usize, name: &str, fr: &FuncRepr) -> kiln_lltype::FuncId {
        use kiln_lltype::builder::{c, LlBuilder};
        let cname = self.classes[ci].name.clone();
        let tys: Vec<TypeId> = fr.params.iter().filter(|r| !r.is_void()).map(|r| r.lltype()).collect();
        let key = (format!("{cname}.{name}"), tys.clone(), fr.ret.lltype());
        if let Some(&f) = self.missing_methods.get(&key) {
            return f;
        }
        let fname = format!("ll_missing_attr_{cname}_{name}");
        let (mut b, _) = LlBuilder::new(&fname, &tys, fr.ret.lltype(), kiln_diagnostics::Span::DUMMY);
        let msg = c(self.ll.str_const(&format!("'{cname}' object has no attribute '{name}'")));
        self.raise_named_with_message(&mut b, "AttributeError", msg);
        let graph = b.finish();
        let ty = self.ll.types.func(tys, fr.ret.lltype());
        let f = self.ll.add_func(kiln_lltype::LlFunc { name: fname, graph, ty, kind: kiln_lltype::FuncKind::Helper, hints: Default::default() });
        self.missing_methods.insert(key, f);
        f
    }
}

impl<'r, 'a> Lower<'r, 'a> {
    /// Reads class attribute `name` of `x`, a class value (`xr` is `ClassOf`, a vtable
    /// pointer) or one known class (`xr` is void: the result is a constant).
    pub(crate) fn class_value_getattr(&mut self, x: LlValue, xr: &Repr, name: &str, result_ann: &SomeValue, rr: &Repr) -> Option<LlValue> {
        let cdef = match xr {
            Repr::ClassOf { cdef, .. } => *cdef,
            Repr::Void => {
                let v = result_ann.const_value()?;
                return Some(self.constant(&v, rr));
            }
            _ => return None,
        };
        let ci = self.rt.class_of_cdef(cdef);
        if self.rt.class_attr_is_uniform(ci, name) {
            let cls = self.rt.classes[ci].class;
            let (_, v) = self.rt.prog.heap.class_lookup(cls, name)?;
            return Some(self.constant(&v, rr));
        }
        let (root, slot) = self.rt.find_slot(ci, name)?;
        let crate::rmethod::SlotKind::ClassAttr { repr } = slot.kind.clone() else { return None };
        let vt_ptr = self.rt.classes[root].vtable_ptr;
        let t = self.cast(x, vt_ptr);
        let v = self.genop(LlOp::GetField(slot.field), vec![t], repr.lltype());
        Some(self.convert(v, &repr, rr))
    }

    /// Reads attribute `name` of instance `x`; `result_ann` is the annotation of the
    /// value read.
    pub(crate) fn getattr_value(&mut self, x: LlValue, xr: &Repr, name: &str, result_ann: &SomeValue, rr: &Repr) -> LlValue {
        if matches!(xr, Repr::ClassOf { .. } | Repr::Void) {
            // `k.name` on a class value (or one known class).
            return match self.class_value_getattr(x, xr, name, result_ann, rr) {
                Some(r) => r,
                None => self.unsupported(&format!("attribute '{name}' of this class value")),
            };
        }
        let Repr::Instance { cdef, .. } = xr else { return self.unsupported("attributes of this type") };
        if name == "__class__" && matches!(result_ann, kiln_annotator::SomeValue::Pbc { descs, .. } if descs.iter().all(|d| matches!(d, kiln_annotator::Desc::Class(_)))) {
            // The class of an instance: its vtable pointer (none when only one class is
            // possible, a constant).
            if rr.is_void() {
                return c(LlConst::Void);
            }
            let t = self.genop(LlOp::GetField(FieldRef { strukt: TypeId::OBJECT, index: 0 }), vec![x], TypeId::VTABLE_PTR);
            return self.cast(t, rr.lltype());
        }
        let ci = self.rt.class_of_cdef(*cdef);
        if let kiln_annotator::SomeValue::Pbc { descs, .. } = result_ann {
            // (Not an instance attribute that holds a bound method of another object.)
            if descs.iter().all(|d| matches!(d, kiln_annotator::Desc::Method { .. })) && !self.rt.classes[ci].fields.contains_key(name) {
                // A bound method: its value is the receiver.
                return self.convert(x, xr, rr);
            }
        }
        if name == "errno" && self.rt.classes[ci].inst_struct == TypeId::OS_ERROR {
            return self.genop(LlOp::GetField(FieldRef { strukt: TypeId::OS_ERROR, index: 2 }), vec![x], TypeId::SIGNED);
        }
        match self.rt.classes[ci].fields.get(name).cloned() {
            Some((f, fr)) => {
                if fr.is_void() {
                    return c(LlConst::Void);
                }
                let v = self.genop(LlOp::GetField(f), vec![x], fr.lltype());
                self.convert(v, &fr, rr)
            }
            None => {
                // A class attribute: constant for the class.
                let cls = self.rt.classes[ci].class;
                match self.rt.prog.heap.class_lookup(cls, name) {
                    Some((_, v)) => {
                        if !self.rt.class_attr_is_uniform(ci, name) {
                            return match self.class_attr_via_vtable(x, ci, name, rr) {
                                Some(r) => r,
                                None => self.unsupported("this class attribute overridden in subclasses"),
                            };
                        }
                        self.constant(&v, rr)
                    }
                    // Defined only in subclasses: read through the vtable. A slot of
                    // functions raises AttributeError for a class without one (when
                    // called); any other value would be read as null or zero, where
                    // CPython raises, so an instantiated class lacking it is an error.
                    None => {
                        let lacking = if self.class_attr_slot_holds_functions(ci, name) { None } else { self.rt.instantiated_class_lacking(ci, name) };
                        let Some(k) = lacking else {
                            return match self.class_attr_via_vtable(x, ci, name, rr) {
                                Some(r) => r,
                                None => self.unsupported(&format!("attribute '{name}'")),
                            };
                        };
                        let kname = self.rt.classes[k].name.clone();
                        let base = self.rt.classes[ci].name.clone();
                        let msg = if k == ci { format!("class '{kname}' has no attribute '{name}', which only its subclasses define") } else { format!("class '{kname}' has no attribute '{name}', which only some subclasses of '{base}' define") };
                        let note = format!("CPython raises `AttributeError: '{kname}' object has no attribute '{name}'` when the instance is a '{kname}', which the program creates; give '{kname}' a value for '{name}'");
                        self.user_error("E0308", msg, &note);
                        c(crate::prebuilt::zero_of(&self.rt.ll.types, rr.lltype()))
                    }
                }
            }
        }
    }

    pub(crate) fn setattr(&mut self, op: &Operation<Hl>, name: &str) -> LlValue {
        let (x, xr) = self.arg(&op.args[0]);
        let Repr::Instance { cdef, .. } = &xr else { return self.unsupported("setting attributes of this type") };
        let ci = self.rt.class_of_cdef(*cdef);
        match self.rt.classes[ci].fields.get(name).cloned() {
            Some((f, fr)) => {
                if fr.is_void() {
                    return c(LlConst::Void);
                }
                let v = self.arg_as(&op.args[1], &fr);
                self.genop(LlOp::SetField(f), vec![x, v], TypeId::VOID);
                c(LlConst::Void)
            }
            None => self.unsupported(&format!("setting attribute '{name}'")),
        }
    }

    /// Whether the vtable slot for class attribute `name` visible from class `ci` holds
    /// function pointers (static methods, which raise AttributeError for a class without
    /// one).
    pub(crate) fn class_attr_slot_holds_functions(&self, ci: usize, name: &str) -> bool {
        matches!(self.rt.find_slot(ci, name), Some((_, s)) if matches!(&s.kind, crate::rmethod::SlotKind::ClassAttr { repr: Repr::Func(_) }))
    }

    /// A class attribute read through the vtable (it is overridden in subclasses).
    pub fn class_attr_via_vtable(&mut self, x: LlValue, ci: usize, name: &str, rr: &Repr) -> Option<LlValue> {
        let (root, slot) = self.rt.find_slot(ci, name)?;
        let crate::rmethod::SlotKind::ClassAttr { repr } = slot.kind.clone() else { return None };
        let vt_ptr = self.rt.classes[root].vtable_ptr;
        let t = self.genop(LlOp::GetField(FieldRef { strukt: TypeId::OBJECT, index: 0 }), vec![x], TypeId::VTABLE_PTR);
        let t = self.cast(t, vt_ptr);
        let v = self.genop(LlOp::GetField(slot.field), vec![t], repr.lltype());
        Some(self.convert(v, &repr, rr))
    }
}
