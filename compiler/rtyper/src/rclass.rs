//! Classes at the low level: one instance struct per class that adds attributes (its
//! parent's fields first, so a subclass pointer is usable as a base pointer), one vtable
//! per class, and subclass-range numbering so `isinstance` is a range check on the
//! vtable's `subclassrange_min` (RPython's class ids).
//!
//! Built-in exception classes use the fixed layouts of the runtime contract
//! (`BaseException`: typeptr, message; `OSError`: + errno), because the runtime builds
//! their instances itself.

use std::sync::Arc;

use indexmap::IndexMap;
use kiln_abi::BuiltinExc;
use kiln_annotator::ClassDefId;
use kiln_frontend::ObjId;
use kiln_lltype::{Mutability, FieldRef, LlConst, StaticId, StaticObj, StaticValue, TypeId};

use crate::repr::{field, Repr};
use crate::RTyper;

/// The low-level view of one class.
#[derive(Clone, Debug)]
pub struct RClass {
    pub class: ObjId,
    pub cdef: Option<ClassDefId>,
    pub name: Arc<str>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub inst_struct: TypeId,
    pub inst_ptr: TypeId,
    pub vtable_struct: TypeId,
    pub vtable_ptr: TypeId,
    pub vtable: Option<StaticId>,
    /// Every instance attribute reachable on this class (inherited ones included).
    pub fields: IndexMap<Arc<str>, (FieldRef, Repr)>,
    /// `[min, max)`: the ids of this class and its subclasses.
    pub range: (i64, i64),
    /// Vtable slots rooted at this class (see `rmethod.rs`).
    pub slots: IndexMap<Arc<str>, crate::rmethod::Slot>,
}

impl<'a> RTyper<'a> {
    /// The class table index of an annotator classdef.
    pub fn class_of_cdef(&mut self, cdef: ClassDefId) -> usize {
        let obj = self.ann.classdefs[cdef.0 as usize].class;
        self.class_index[&obj]
    }

    /// Whether class `obj` derives from BaseException (its instances carry a message).
    pub fn is_exception_class(&self, obj: ObjId) -> bool {
        self.prog.heap.is_subclass(obj, self.prog.classes.get("BaseException"))
    }

    /// Whether the instances of annotator classdef `cdef` are exceptions.
    pub fn is_exception_cdef(&self, cdef: ClassDefId) -> bool {
        self.is_exception_class(self.ann.classdefs[cdef.0 as usize].class)
    }

    /// Whether class `obj` derives from KeyError, whose `str()` of one argument is its
    /// repr (CPython's `KeyError.__str__`).
    pub fn is_key_error_class(&self, obj: ObjId) -> bool {
        self.prog.heap.is_subclass(obj, self.prog.classes.get("KeyError"))
    }

    pub fn class_of_obj(&self, obj: ObjId) -> Option<usize> {
        self.class_index.get(&obj).copied()
    }

    /// Builds the class table: structs, vtables, numbering. Runs before any graph is
    /// lowered.
    pub fn setup_classes(&mut self) {
        let mut wanted: Vec<ObjId> = self.ann.classdefs.iter().map(|c| c.class).collect();
        for e in BuiltinExc::ALL {
            wanted.push(self.prog.classes.get(e.name()));
        }
        // Raised by vtable slots of classes that lack a method (see `rmethod.rs`).
        wanted.push(self.prog.classes.get("AttributeError"));
        for obj in wanted {
            self.ensure_class(obj);
        }
        // Structs: create empty ones first so attribute types may refer to any class.
        let n = self.classes.len();
        for i in 0..n {
            let obj = self.classes[i].class;
            let own_attrs = self.classes[i].cdef.map(|c| !self.ann.classdefs[c.0 as usize].attrs.is_empty()).unwrap_or(false);
            let builtin_struct = if obj == self.prog.classes.object {
                Some(TypeId::OBJECT)
            } else if obj == self.prog.classes.get("BaseException") {
                Some(TypeId::BASE_EXCEPTION)
            } else if obj == self.prog.classes.get("OSError") {
                Some(TypeId::OS_ERROR)
            } else {
                None
            };
            let s = match builtin_struct {
                Some(s) => s,
                None if own_attrs => self.ll.types.new_struct(&self.classes[i].name.clone(), true),
                None => {
                    let p = self.classes[i].parent.expect("non-root classes have parents");
                    self.classes[p].inst_struct
                }
            };
            self.classes[i].inst_struct = s;
            self.classes[i].inst_ptr = self.ll.types.ptr(s);
            self.classes[i].vtable_struct = TypeId::VTABLE;
            self.classes[i].vtable_ptr = TypeId::VTABLE_PTR;
        }
        // Fields, parents first (the table is in parent-before-child order).
        for i in 0..n {
            let mut fields = match self.classes[i].parent {
                Some(p) => self.classes[p].fields.clone(),
                None => IndexMap::new(),
            };
            let s = self.classes[i].inst_struct;
            let parent_struct = self.classes[i].parent.map(|p| self.classes[p].inst_struct);
            if parent_struct != Some(s) && s != TypeId::OBJECT && s != TypeId::BASE_EXCEPTION && s != TypeId::OS_ERROR {
                let mut fl: Vec<kiln_lltype::Field> = match parent_struct {
                    Some(ps) => self.ll.types.struct_type(ps).fields.clone(),
                    None => Vec::new(),
                };
                let cdef = self.classes[i].cdef.expect("only annotated classes add attributes");
                let attrs: Vec<(Arc<str>, kiln_annotator::SomeValue)> = self.ann.classdefs[cdef.0 as usize].attrs.iter().map(|(k, a)| (k.clone(), a.ann.clone())).collect();
                // `_immutable_fields_` of this class and its ancestors.
                // `_immutable_ = True` on the class or an ancestor makes every field
                // immutable (RPython's rule).
                let mut immutable: Vec<kiln_annotator::defs::ImmutableField> = Vec::new();
                let mut all_immutable = false;
                let mut k = Some(cdef);
                while let Some(c) = k {
                    immutable.extend(self.ann.classdefs[c.0 as usize].immutable_fields.iter().cloned());
                    all_immutable |= self.ann.classdefs[c.0 as usize].immutable;
                    k = self.ann.classdefs[c.0 as usize].parent;
                }
                for (name, ann) in attrs {
                    let r = self.repr_of(&ann);
                    let idx = fl.len() as u32;
                    let mut f = field(&format!("inst_{name}"), r.lltype());
                    f.mutability = match immutable.iter().find(|i| i.name == name) {
                        Some(i) => match (i.quasi, i.items) {
                            (false, false) => Mutability::Immutable,
                            (true, false) => Mutability::QuasiImmutable,
                            (false, true) => Mutability::ImmutableItems,
                            (true, true) => Mutability::QuasiImmutableItems,
                        },
                        None if all_immutable => Mutability::Immutable,
                        None => Mutability::Mutable,
                    };
                    fl.push(f);
                    fields.insert(name, (FieldRef { strukt: s, index: idx }, r));
                }
                self.ll.types.set_fields(s, fl);
            }
            self.classes[i].fields = fields;
        }
        // Numbering: preorder over the hierarchy.
        let root = self.class_index[&self.prog.classes.object];
        let mut next = 0;
        self.number(root, &mut next);
        // Vtables.
        for i in 0..n {
            let c = &self.classes[i];
            let name = self.ll.str_const(&c.name.clone());
            let c = &self.classes[i];
            let inst = c.inst_struct;
            let typeid = self.ll.types.gc_typeid(inst).unwrap_or(0) as i64;
            let size = self.ll.types.struct_layout(inst).size as i64;
            let (min, max) = c.range;
            let vt = self.ll.add_static(StaticObj {
                ty: TypeId::VTABLE,
                value: StaticValue::Struct {
                    fields: vec![LlConst::Signed(min), LlConst::Signed(max), name, LlConst::Signed(typeid), LlConst::Signed(size)],
                    items: Vec::new(),
                },
                name: format!("vtable_{}", c.name),
            });
            self.classes[i].vtable = Some(vt);
        }
        for e in BuiltinExc::ALL {
            let c = self.class_index[&self.prog.classes.get(e.name())];
            self.ll.exc_vtables[e as usize] = self.classes[c].vtable;
        }
    }

    fn number(&mut self, c: usize, next: &mut i64) {
        let min = *next;
        *next += 1;
        for ch in self.classes[c].children.clone() {
            self.number(ch, next);
        }
        self.classes[c].range = (min, *next);
    }

    fn ensure_class(&mut self, obj: ObjId) -> usize {
        if let Some(&i) = self.class_index.get(&obj) {
            return i;
        }
        let k = self.prog.heap.class(obj).expect("a class").clone();
        let parent = if obj == self.prog.classes.object { None } else { Some(self.ensure_class(*k.bases.first().unwrap_or(&self.prog.classes.object))) };
        let i = self.classes.len();
        self.classes.push(RClass {
            class: obj,
            cdef: self.ann.by_class.get(&obj).copied(),
            name: k.name.clone(),
            parent,
            children: Vec::new(),
            inst_struct: TypeId::OBJECT,
            inst_ptr: TypeId::OBJECT_PTR,
            vtable_struct: TypeId::VTABLE,
            vtable_ptr: TypeId::VTABLE_PTR,
            vtable: None,
            fields: IndexMap::new(),
            range: (0, 0),
            slots: IndexMap::new(),
        });
        self.class_index.insert(obj, i);
        if let Some(p) = parent {
            self.classes[p].children.push(i);
        }
        i
    }

    /// A constant pointer to a class's vtable, typed as `ptr`.
    pub fn vtable_const(&self, c: usize, ptr: TypeId) -> LlConst {
        LlConst::Static(self.classes[c].vtable.expect("vtables exist after setup"), ptr)
    }

    /// The vtable and a prebuilt instance of a built-in exception with a fixed message,
    /// for helpers that raise (`1 // 0`, an index out of range).
    pub fn prebuilt_exception(&mut self, e: BuiltinExc, msg: &str) -> (LlConst, LlConst) {
        let key = (e as u32, msg.to_string());
        let c = self.class_index[&self.prog.classes.get(e.name())];
        let vt = self.vtable_const(c, TypeId::VTABLE_PTR);
        if let Some(&s) = self.prebuilt_exc.get(&key) {
            return (vt, LlConst::Static(s, TypeId::OBJECT_PTR));
        }
        let m = self.ll.str_const(msg);
        let (ty, fields) = if self.classes[c].inst_struct == TypeId::OS_ERROR {
            (TypeId::OS_ERROR, vec![vt.clone(), m, LlConst::Signed(0)])
        } else {
            (TypeId::BASE_EXCEPTION, vec![vt.clone(), m])
        };
        let s = self.ll.add_static(StaticObj { ty, value: StaticValue::Struct { fields, items: Vec::new() }, name: format!("{}_{}", e.name(), self.prebuilt_exc.len()) });
        self.prebuilt_exc.insert(key, s);
        (vt, LlConst::Static(s, TypeId::OBJECT_PTR))
    }
}
