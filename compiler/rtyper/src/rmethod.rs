//! Virtual dispatch: vtable slots for methods and overridden class attributes, and the
//! uniform signatures their implementations need.
//!
//! A call site needs the vtable only when the annotator found several implementations
//! (an override in a subclass of the receiver's class). For each method name, a slot is
//! placed at the topmost receiver class of such call sites ("root"); every class below a
//! root has the slot in its vtable, holding the implementation its MRO finds (null for a
//! class without one, which no correct program calls).
//!
//! All implementations in one slot get the same low-level signature — `self` typed as the
//! root's instance pointer, the return as the call's union — so the function type stored
//! in the vtable is exactly the type of the functions, which the effect analysis relies on
//! to resolve indirect calls. Each implementation casts `self` back at its entry and
//! converts its result at its return.
//!
//! Class attributes that a subclass overrides get a slot the same way, holding each
//! class's value.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use indexmap::IndexMap;
use kiln_annotator::{CallTarget, GraphId, SomeValue};
use kiln_diagnostics::Diagnostic;
use kiln_flowspace::HlOp;
use kiln_frontend::{Object, Value};
use kiln_lltype::{FieldRef, LlConst, StaticValue, TypeId};

use crate::repr::{field, Repr};
use crate::RTyper;

/// A vtable slot rooted at one class.
#[derive(Clone, Debug)]
pub struct Slot {
    pub name: Arc<str>,
    pub kind: SlotKind,
    /// Field index in the root's vtable struct.
    pub field: FieldRef,
}

#[derive(Clone, Debug)]
pub enum SlotKind {
    /// A method: the function pointer type, its parameter reprs (self first) and result.
    Method { fptr: TypeId, params: Vec<Repr>, ret: Repr },
    /// A class attribute overridden in subclasses, stored with this repr.
    ClassAttr { repr: Repr },
    /// The class's allocator `() -> root instance pointer`, for instantiating a class
    /// held in a variable (its `__init__` is then a method slot of the same root).
    Alloc { fptr: TypeId },
}

/// The slot name of the allocator; not a valid Python identifier, so no clash.
pub const ALLOC_SLOT: &str = "<alloc>";

/// The signature a graph is lowered with, when it differs from its annotations.
#[derive(Clone, Debug, PartialEq)]
pub struct Signature {
    pub params: Vec<Repr>,
    pub ret: Repr,
}

impl<'a> RTyper<'a> {
    /// Finds the call sites and attribute reads that need the vtable, places their slots,
    /// gives each class its vtable struct, and fixes the implementations' signatures.
    pub fn setup_slots(&mut self) {
        // name -> receiver classes (class table indices) of dispatching method calls
        let mut method_sites: BTreeMap<Arc<str>, Vec<(usize, Vec<GraphId>, SomeValue, kiln_diagnostics::Span)>> = BTreeMap::new();
        let mut attr_sites: BTreeMap<Arc<str>, Vec<(usize, SomeValue)>> = BTreeMap::new();
        let mut alloc_roots: Vec<usize> = Vec::new();
        for (gi, ag) in self.ann.graphs.iter().enumerate() {
            let gid = GraphId(gi as u32);
            for b in ag.graph.reachable_blocks() {
                if !ag.reached[b.0 as usize] {
                    continue;
                }
                for (i, op) in ag.graph.block(b).ops.iter().enumerate() {
                    let target = self.ann.call_targets.get(&(gid, b, i as u32)).cloned();
                    let (name, gids) = match (&op.op, target) {
                        (HlOp::Call(_), Some(CallTarget::InstantiateFamily(members))) => {
                            // The allocator slot and (when the classes define one) the
                            // __init__ slot go on the family's common base.
                            let SomeValue::Instance { class, .. } = ag.binding(op.result) else { continue };
                            let ci = self.class_index[&self.ann.classdefs[class.0 as usize].class];
                            if !alloc_roots.contains(&ci) {
                                alloc_roots.push(ci);
                            }
                            let inits: Vec<GraphId> = members.iter().filter_map(|(_, g)| *g).collect();
                            if let Some(&g0) = inits.first() {
                                let ig = &self.ann.graphs[g0.0 as usize];
                                let result = ig.binding(ig.graph.return_var()).clone();
                                method_sites.entry(Arc::from("__init__")).or_default().push((ci, inits, result, op.span));
                            }
                            continue;
                        }
                        // `obj.attr(...)` calling functions held in an attribute is an
                        // indirect call of the attribute's value, not a method dispatch.
                        // (A class attribute overridden in subclasses, a static method
                        // say, is read through its vtable slot.)
                        (HlOp::CallMethod(name, _), _) if self.ann.attr_calls.contains_key(&(gid, b, i as u32)) => {
                            if let Some(kiln_flowspace::Opnd::Var(v)) = op.args.first() {
                                let recv = ag.binding(*v).clone();
                                if let Some(ci) = self.attr_slot_site(&recv, name) {
                                    let callee = self.ann.attr_calls[&(gid, b, i as u32)].clone();
                                    attr_sites.entry(name.clone()).or_default().push((ci, callee));
                                }
                            }
                            continue;
                        }
                        (HlOp::CallMethod(name, _), Some(CallTarget::Graphs(gids))) if gids.len() > 1 => (name.clone(), gids),
                        // One implementation, but a class the receiver may be lacks it:
                        // dispatch, so that class raises AttributeError as in CPython.
                        (HlOp::CallMethod(name, _), Some(CallTarget::Graphs(gids))) if self.call_reaches_missing_method(match op.args.first() { Some(kiln_flowspace::Opnd::Var(v)) => Some(ag.binding(*v)), _ => None }, name) => (name.clone(), gids),
                        (HlOp::Call(_), Some(CallTarget::BoundMethod { name, graphs })) if graphs.len() > 1 => (name, graphs),
                        (HlOp::GetAttr(name), _) => {
                            if let Some(kiln_flowspace::Opnd::Var(v)) = op.args.first() {
                                let recv = ag.binding(*v).clone();
                                if let Some(ci) = self.attr_slot_site(&recv, name) {
                                    attr_sites.entry(name.clone()).or_default().push((ci, ag.binding(op.result).clone()));
                                }
                            }
                            continue;
                        }
                        _ => continue,
                    };
                    let recv = match op.args.first() {
                        Some(kiln_flowspace::Opnd::Var(v)) => ag.binding(*v).clone(),
                        _ => continue,
                    };
                    let class = match &recv {
                        SomeValue::Instance { class, .. } => *class,
                        SomeValue::Pbc { descs, .. } => match descs.iter().next() {
                            Some(kiln_annotator::Desc::Method { class, .. }) => *class,
                            _ => continue,
                        },
                        _ => continue,
                    };
                    let ci = self.class_index[&self.ann.classdefs[class.0 as usize].class];
                    let result = ag.binding(op.result).clone();
                    method_sites.entry(name).or_default().push((ci, gids, result, op.span));
                }
            }
        }
        // Roots: receiver classes with no other receiver class above them.
        let mut slots_at: Vec<Vec<(Arc<str>, SlotKind)>> = vec![Vec::new(); self.classes.len()];
        for (name, sites) in &method_sites {
            let receivers: Vec<usize> = sites.iter().map(|s| s.0).collect();
            for root in self.roots_of(&receivers) {
                let mut gids: Vec<GraphId> = Vec::new();
                let mut result = SomeValue::Impossible;
                let mut span = kiln_diagnostics::Span::DUMMY;
                for (ci, g, r, sp) in sites {
                    if self.is_subclass_of(*ci, root) {
                        for x in g {
                            if !gids.contains(x) {
                                gids.push(*x);
                            }
                        }
                        if result.is_impossible() {
                            result = r.clone();
                            span = *sp;
                        }
                    }
                }
                // Every implementation below the root also goes in the slot.
                for gid in self.impls_below(root, name) {
                    if !gids.contains(&gid) {
                        gids.push(gid);
                    }
                }
                match self.slot_signature(root, name, &gids, &result, span) {
                    Some(kind) => slots_at[root].push((name.clone(), kind)),
                    None => continue,
                }
            }
        }
        for root in self.roots_of(&alloc_roots) {
            let Some(_) = self.classes[root].cdef else { continue };
            let ftype = self.ll.types.func(vec![], self.classes[root].inst_ptr);
            let fptr = self.ll.types.ptr(ftype);
            slots_at[root].push((Arc::from(ALLOC_SLOT), SlotKind::Alloc { fptr }));
        }
        for (name, sites) in &attr_sites {
            let receivers: Vec<usize> = sites.iter().map(|s| s.0).collect();
            for root in self.roots_of(&receivers) {
                // The annotator's result for a read at the root covers every subclass.
                let ann = sites.iter().find(|s| s.0 == root).map(|s| s.1.clone()).unwrap_or(SomeValue::Impossible);
                let repr = self.repr_of(&ann);
                slots_at[root].push((name.clone(), SlotKind::ClassAttr { repr }));
            }
        }
        // Vtable structs, parents first: a class with slots extends its parent's struct.
        for ci in 0..self.classes.len() {
            let parent_vt = self.classes[ci].parent.map(|p| self.classes[p].vtable_struct).unwrap_or(TypeId::VTABLE);
            let own = std::mem::take(&mut slots_at[ci]);
            if own.is_empty() {
                self.classes[ci].vtable_struct = parent_vt;
                self.classes[ci].vtable_ptr = self.ll.types.ptr(parent_vt);
                continue;
            }
            let mut fields = self.ll.types.struct_type(parent_vt).fields.clone();
            let name = format!("vtable_{}", self.classes[ci].name);
            let s = self.ll.types.new_struct(&name, false);
            let mut slots = IndexMap::new();
            for (slot_name, kind) in own {
                let (ty, fname) = match &kind {
                    SlotKind::Method { fptr, .. } => (*fptr, format!("m_{slot_name}")),
                    SlotKind::ClassAttr { repr } => (repr.lltype(), format!("cls_{slot_name}")),
                    SlotKind::Alloc { fptr } => (*fptr, "alloc".to_string()),
                };
                let idx = fields.len() as u32;
                fields.push(field(&fname, ty));
                slots.insert(slot_name.clone(), Slot { name: slot_name, kind, field: FieldRef { strukt: s, index: idx } });
            }
            self.ll.types.set_fields(s, fields);
            self.classes[ci].vtable_struct = s;
            self.classes[ci].vtable_ptr = self.ll.types.ptr(s);
            self.classes[ci].slots = slots;
        }
    }

    /// Receiver classes that have no other receiver class among their ancestors.
    fn roots_of(&self, receivers: &[usize]) -> Vec<usize> {
        let mut roots: Vec<usize> = Vec::new();
        for &r in receivers {
            if receivers.iter().any(|&o| o != r && self.is_subclass_of(r, o)) || roots.contains(&r) {
                continue;
            }
            roots.push(r);
        }
        roots
    }

    pub fn is_subclass_of(&self, c: usize, sup: usize) -> bool {
        let mut x = Some(c);
        while let Some(k) = x {
            if k == sup {
                return true;
            }
            x = self.classes[k].parent;
        }
        false
    }

    /// The default-specialisation graph of a function, if the annotator made one.
    pub fn graph_of_func(&self, f: kiln_frontend::ObjId) -> Option<GraphId> {
        self.default_graphs.get(&f).copied()
    }

    /// The low-level function of `f`'s default-specialisation graph.
    pub(crate) fn func_of(&self, f: kiln_frontend::ObjId) -> Option<kiln_lltype::FuncId> {
        self.graph_of_func(f).and_then(|g| self.funcs.get(&g).copied())
    }

    /// Whether a method call on `recv` (an instance) may reach a class, at or below the
    /// receiver's class, whose MRO has no function `name`: CPython raises AttributeError
    /// there, so the call goes through the vtable, whose slot for such a class raises it.
    pub(crate) fn call_reaches_missing_method(&self, recv: Option<&SomeValue>, name: &str) -> bool {
        let Some(SomeValue::Instance { class, .. }) = recv else { return false };
        let Some(&root) = self.class_index.get(&self.ann.classdefs[class.0 as usize].class) else { return false };
        let mut stack = vec![root];
        while let Some(c) = stack.pop() {
            let has = match self.prog.heap.class_lookup(self.classes[c].class, name) {
                Some((_, Value::Obj(f))) => self.prog.heap.function(f).is_some(),
                _ => false,
            };
            if !has {
                return true;
            }
            stack.extend(self.classes[c].children.iter().copied());
        }
        false
    }

    /// The implementations of `name` that classes at or below `root` run.
    fn impls_below(&self, root: usize, name: &str) -> Vec<GraphId> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(c) = stack.pop() {
            if let Some((_, Value::Obj(f))) = self.prog.heap.class_lookup(self.classes[c].class, name) {
                if let Some(g) = self.graph_of_func(f) {
                    if !out.contains(&g) {
                        out.push(g);
                    }
                }
            }
            stack.extend(self.classes[c].children.iter().copied());
        }
        out
    }

    /// The uniform signature of a method slot, or a diagnostic when its implementations
    /// disagree on the types of their parameters.
    fn slot_signature(&mut self, root: usize, name: &str, gids: &[GraphId], result: &SomeValue, span: kiln_diagnostics::Span) -> Option<SlotKind> {
        let root_ptr = self.classes[root].inst_ptr;
        let Some(cdef) = self.classes[root].cdef else { return None };
        let self_repr = Repr::Instance { cdef, ptr: root_ptr };
        let mut rest: Option<(Vec<Repr>, GraphId)> = None;
        for &g in gids {
            let ag = &self.ann.graphs[g.0 as usize];
            let params: Vec<kiln_annotator::SomeValue> = ag.graph.params().iter().skip(1).map(|p| ag.binding(*p).clone()).collect();
            let reprs: Vec<Repr> = params.iter().map(|a| self.repr_of(a)).collect();
            match &rest {
                None => rest = Some((reprs, g)),
                Some((first, fg)) => {
                    if *first != reprs {
                        let (a, b) = (self.ann.graphs[fg.0 as usize].graph.span, self.ann.graphs[g.0 as usize].graph.span);
                        let (an, bn) = (self.ann.graphs[fg.0 as usize].name.clone(), self.ann.graphs[g.0 as usize].name.clone());
                        self.error(
                            Diagnostic::error("E0411", format!("the overrides of method '{name}' take different argument types"))
                                .with_primary(b, format!("'{bn}' is defined here"))
                                .with_label(a, format!("'{an}' is defined here"))
                                .with_label(span, "called here through the base class")
                                .with_note("a method called through a base class is one vtable slot: every override must accept the same argument types"),
                        );
                        return None;
                    }
                }
            }
        }
        let (rest, _) = rest?;
        let ret = self.repr_of(result);
        let mut params = vec![self_repr];
        params.extend(rest);
        let ftype = self.ll.types.func(params.iter().filter(|r| !r.is_void()).map(|r| r.lltype()).collect(), ret.lltype());
        let fptr = self.ll.types.ptr(ftype);
        for &g in gids {
            let sig = Signature { params: params.clone(), ret: ret.clone() };
            if let Some(old) = self.signatures.get(&g) {
                if *old != sig {
                    // One function in two slots with different roots: the first wins; the
                    // other slot's calls cast their arguments.
                    continue;
                }
            }
            self.signatures.insert(g, sig);
        }
        Some(SlotKind::Method { fptr, params, ret })
    }

    /// Whether reading class attribute `name` on class `ci` needs a vtable slot: it is a
    /// non-function value of the class dict overridden in a subclass, and never an
    /// instance attribute.
    pub(crate) fn needs_attr_slot(&self, ci: usize, name: &str) -> bool {
        if self.classes[ci].fields.contains_key(name) {
            return false;
        }
        match self.prog.heap.class_lookup(self.classes[ci].class, name) {
            Some((_, Value::Obj(o))) if matches!(self.prog.heap.get(o), Object::Function(_)) => false,
            Some(_) => !self.class_attr_is_uniform(ci, name),
            // Defined only in subclasses: each has its value in the vtable.
            None => self.defined_below(ci, name),
        }
    }

    /// Whether a class strictly below `ci` defines a non-function class attribute `name`.
    fn defined_below(&self, ci: usize, name: &str) -> bool {
        let mut stack = self.classes[ci].children.clone();
        while let Some(k) = stack.pop() {
            if let Some(v) = self.prog.heap.class(self.classes[k].class).and_then(|c| c.dict.get(name)) {
                if !matches!(v, Value::Obj(o) if matches!(self.prog.heap.get(*o), Object::Function(_))) {
                    return true;
                }
            }
            stack.extend(self.classes[k].children.iter().copied());
        }
        false
    }

    /// Fills every vtable: the prefix, then each slot's implementation or value.
    pub fn fill_vtables(&mut self) {
        for ci in 0..self.classes.len() {
            let Some(vt) = self.classes[ci].vtable else { continue };
            let StaticValue::Struct { fields: prefix, .. } = self.ll.statics[vt.0 as usize].value.clone() else { continue };
            let vs = self.classes[ci].vtable_struct;
            let nfields = self.ll.types.struct_type(vs).fields.len();
            let mut values: Vec<LlConst> = prefix.into_iter().take(5).collect();
            // Slots of every root above (and at) this class, in struct order.
            let mut chain = Vec::new();
            let mut x = Some(ci);
            while let Some(k) = x {
                chain.push(k);
                x = self.classes[k].parent;
            }
            chain.reverse();
            let mut slot_values: HashMap<u32, LlConst> = HashMap::new();
            for &k in &chain {
                for slot in self.classes[k].slots.values().cloned().collect::<Vec<_>>() {
                    let v = match &slot.kind {
                        SlotKind::Method { fptr, params, ret } => match self.prog.heap.class_lookup(self.classes[ci].class, &slot.name) {
                            // A class without the method (an abstract base): calling it
                            // raises AttributeError, as in Python, instead of jumping to null.
                            Some((_, Value::Obj(f))) => match self.func_of(f) {
                                Some(fid) => LlConst::Func(fid, *fptr),
                                None => LlConst::Func(self.missing_method(&slot.name, params, ret), *fptr),
                            },
                            _ => LlConst::Func(self.missing_method(&slot.name, params, ret), *fptr),
                        },
                        SlotKind::ClassAttr { repr } => match (self.prog.heap.class_lookup(self.classes[ci].class, &slot.name), repr) {
                            (Some((_, v)), _) => self.constant(&v, repr).unwrap_or_else(|_| crate::prebuilt::zero_of(&self.ll.types, repr.lltype())),
                            // Functions (static methods): a class without one raises
                            // AttributeError when called, instead of jumping to null.
                            (None, Repr::Func(fr)) => {
                                let fr = fr.clone();
                                LlConst::Func(self.missing_class_attr_fn(ci, &slot.name, &fr), fr.ptr)
                            }
                            (None, _) => crate::prebuilt::zero_of(&self.ll.types, repr.lltype()),
                        },
                        SlotKind::Alloc { fptr } => {
                            let root_ptr = self.classes[k].inst_ptr;
                            match self.classes[ci].cdef {
                                Some(_) => LlConst::Func(self.alloc_fn(ci, root_ptr), *fptr),
                                None => LlConst::Null(*fptr),
                            }
                        }
                    };
                    slot_values.insert(slot.field.index, v);
                }
            }
            for i in values.len()..nfields {
                let v = slot_values.remove(&(i as u32)).unwrap_or_else(|| {
                    let ty = self.ll.types.struct_type(vs).fields[i].ty;
                    crate::prebuilt::zero_of(&self.ll.types, ty)
                });
                values.push(v);
            }
            self.ll.statics[vt.0 as usize].ty = vs;
            self.ll.statics[vt.0 as usize].value = StaticValue::Struct { fields: values, items: Vec::new() };
        }
    }

    /// The values a new instance of class `ci` starts with: its vtable and the
    /// class-level values of its instance attributes.
    pub fn instance_defaults(&mut self, ci: usize) -> Vec<(FieldRef, LlConst)> {
        let vt = self.vtable_const(ci, TypeId::VTABLE_PTR);
        let mut out = vec![(FieldRef { strukt: TypeId::OBJECT, index: 0 }, vt)];
        for (name, (f, fr)) in self.classes[ci].fields.clone() {
            if fr.is_void() {
                continue;
            }
            if let Some((_, v)) = self.prog.heap.class_lookup(self.classes[ci].class, &name) {
                if matches!(&v, Value::Obj(o) if matches!(self.prog.heap.get(*o), Object::Function(_))) {
                    continue;
                }
                match self.constant(&v, &fr) {
                    Ok(k) => out.push((f, k)),
                    Err(what) => self.error(Diagnostic::internal(format!("cannot make a constant of {what} for attribute '{name}'"))),
                }
            }
        }
        out
    }

    /// The allocator of class `ci` returning `root_ptr`: a new instance with its
    /// defaults set, before `__init__`.
    fn alloc_fn(&mut self, ci: usize, root_ptr: TypeId) -> kiln_lltype::FuncId {
        if let Some(&f) = self.alloc_fns.get(&(ci, root_ptr)) {
            return f;
        }
        let name = format!("ll_alloc_{}", self.classes[ci].name);
        let inst_ptr = self.classes[ci].inst_ptr;
        let (mut b, _) = kiln_lltype::builder::LlBuilder::new(&name, &[], root_ptr, kiln_diagnostics::Span::DUMMY);
        let p = b.op(kiln_lltype::LlOp::Malloc, vec![], inst_ptr);
        for (f, k) in self.instance_defaults(ci) {
            b.op(kiln_lltype::LlOp::SetField(f), vec![kiln_lltype::builder::v(p), kiln_lltype::builder::c(k)], TypeId::VOID);
        }
        let r = if root_ptr == inst_ptr { p } else { b.op(kiln_lltype::LlOp::CastPointer, vec![kiln_lltype::builder::v(p)], root_ptr) };
        b.ret(kiln_lltype::builder::v(r));
        let graph = b.finish();
        let ty = self.ll.types.func(vec![], root_ptr);
        let f = self.ll.add_func(kiln_lltype::LlFunc { name, graph, ty, kind: kiln_lltype::FuncKind::Helper, hints: Default::default() });
        self.alloc_fns.insert((ci, root_ptr), f);
        f
    }

    /// The function a vtable slot holds for a class that lacks method `name`: it raises
    /// AttributeError naming the receiver's class. One per slot signature.
    fn missing_method(&mut self, name: &str, params: &[Repr], ret: &Repr) -> kiln_lltype::FuncId {
        use kiln_lltype::builder::{c, v, LlBuilder};
        let tys: Vec<TypeId> = params.iter().filter(|r| !r.is_void()).map(|r| r.lltype()).collect();
        let key = (name.to_string(), tys.clone(), ret.lltype());
        if let Some(&f) = self.missing_methods.get(&key) {
            return f;
        }
        let fname = format!("ll_missing_method_{name}");
        let (mut b, p) = LlBuilder::new(&fname, &tys, ret.lltype(), kiln_diagnostics::Span::DUMMY);
        let o = b.op(kiln_lltype::LlOp::CastPointer, vec![v(p[0])], TypeId::OBJECT_PTR);
        let t = b.op(kiln_lltype::LlOp::GetField(FieldRef { strukt: TypeId::OBJECT, index: 0 }), vec![v(o)], TypeId::VTABLE_PTR);
        let cname = b.op(kiln_lltype::LlOp::GetField(FieldRef { strukt: TypeId::VTABLE, index: 2 }), vec![v(t)], TypeId::STR_PTR);
        let quote = c(self.ll.str_const("'"));
        let m1 = b.op(kiln_lltype::LlOp::RtCall(kiln_lltype::RtFn::StrConcat), vec![quote, v(cname)], TypeId::STR_PTR);
        let tail = c(self.ll.str_const(&format!("' object has no attribute '{name}'")));
        let m2 = b.op(kiln_lltype::LlOp::RtCall(kiln_lltype::RtFn::StrConcat), vec![v(m1), tail], TypeId::STR_PTR);
        self.raise_named_with_message(&mut b, "AttributeError", v(m2));
        let graph = b.finish();
        let ty = self.ll.types.func(tys, ret.lltype());
        let f = self.ll.add_func(kiln_lltype::LlFunc { name: fname, graph, ty, kind: kiln_lltype::FuncKind::Helper, hints: Default::default() });
        self.missing_methods.insert(key, f);
        f
    }

    /// The slot for `name` visible from class `ci` (rooted at it or an ancestor).
    pub fn find_slot(&self, ci: usize, name: &str) -> Option<(usize, Slot)> {
        let mut x = Some(ci);
        while let Some(k) = x {
            if let Some(s) = self.classes[k].slots.get(name) {
                return Some((k, s.clone()));
            }
            x = self.classes[k].parent;
        }
        None
    }
}
