//! Class attributes read through a class value (`k.name`, `k.name(...)` where `k` is one of
//! several classes, a vtable pointer at run time): a constant when every class at or below
//! the classes' common base agrees, else a class-attribute slot of the vtable, as an
//! overridden class attribute read through an instance is. A static method in such a slot
//! is a function pointer; a class below the slot's root without it gets a stand-in raising
//! CPython's AttributeError, so that no call jumps to null.

use kiln_annotator::{Desc, SomeValue};
use kiln_lltype::builder::LlValue;
use kiln_lltype::{LlOp, TypeId};

use crate::lower::Lower;
use crate::repr::{FuncRepr, Repr};
use crate::RTyper;

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
}
