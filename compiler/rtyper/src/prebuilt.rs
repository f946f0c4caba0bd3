//! Import-time constants as low-level constants: scalars directly, and prebuilt objects
//! (tuples, lists, instances) as static data emitted into the binary. Each prebuilt object
//! becomes one static, shared by every use, so identity and mutations are preserved.

use kiln_frontend::{Object, Value};
use kiln_lltype::{LlConst, StaticObj, StaticValue, TypeId};

use crate::repr::Repr;
use crate::RTyper;

impl<'a> RTyper<'a> {
    /// The representation of a constant operand where no annotation was recorded.
    pub fn const_repr(&mut self, v: &Value) -> Repr {
        match v {
            Value::None => Repr::Void,
            Value::Bool(_) => Repr::Bool,
            Value::Int(_) => Repr::Int,
            Value::UInt(_) => Repr::Uint,
            Value::Float(_) => Repr::Float,
            Value::Str(s) => {
                if s.chars().count() == 1 {
                    Repr::Char
                } else {
                    Repr::Str
                }
            }
            Value::Bytes(_) => Repr::Str,
            Value::Obj(o) => match self.prog.heap.get(*o) {
                Object::Tuple(items) => {
                    let items = items.clone();
                    let reprs = items.iter().map(|i| self.const_repr(i)).collect();
                    Repr::Tuple(self.tuple_repr(reprs))
                }
                Object::List(_) => match self.ann.prebuilt_lists.get(o) {
                    Some(def) => {
                        let item = self.ann.list_item(kiln_annotator::ListDefId(*def)).clone();
                        let item = self.repr_of(&item);
                        Repr::List(self.list_repr(item))
                    }
                    None => Repr::Void,
                },
                Object::Dict(_) => match self.ann.prebuilt_dicts.get(o) {
                    Some(def) => {
                        let (k, v) = self.ann.dict_kv(kiln_annotator::DictDefId(*def));
                        let (k, v) = (k.clone(), v.clone());
                        let (k, v) = (self.repr_of(&k), self.repr_of(&v));
                        Repr::Dict(self.dict_repr(k, v))
                    }
                    None => Repr::Void,
                },
                Object::Function(_) => Repr::Void,
                Object::Instance(i) => {
                    let c = self.class_index[&i.class];
                    match self.classes[c].cdef {
                        Some(cdef) => Repr::Instance { cdef, ptr: self.classes[c].inst_ptr },
                        None => Repr::Void,
                    }
                }
                _ => Repr::Void,
            },
        }
    }

    /// The low-level constant for import-time value `v` in representation `r`.
    pub fn constant(&mut self, v: &Value, r: &Repr) -> Result<LlConst, String> {
        // A static method read through an instance is its function (the annotator
        // typed it so).
        if let Value::Obj(o) = v {
            if let Object::StaticMethod(f) = self.prog.heap.get(*o) {
                let f = f.clone();
                return self.constant(&f, r);
            }
        }
        Ok(match (r, v) {
            (Repr::Void, _) => LlConst::Void,
            (Repr::Bool, Value::Bool(b)) => LlConst::Bool(*b),
            (Repr::Bool, Value::Int(i)) => LlConst::Bool(*i != 0),
            (Repr::Int, Value::Int(i)) => LlConst::Signed(*i),
            (Repr::Int, Value::Bool(b)) => LlConst::Signed(*b as i64),
            (Repr::Uint, Value::Int(i)) => LlConst::Unsigned(*i as u64),
            (Repr::Uint, Value::UInt(u)) => LlConst::Unsigned(*u),
            (Repr::Float, Value::UInt(u)) => LlConst::Float(*u as f64),
            (Repr::Float, Value::Float(f)) => LlConst::Float(*f),
            (Repr::Float, Value::Int(i)) => LlConst::Float(*i as f64),
            (Repr::Float, Value::Bool(b)) => LlConst::Float(*b as i64 as f64),
            (Repr::FloatOrBool, Value::Float(f)) => LlConst::Float(*f),
            (Repr::FloatOrBool, Value::Int(i)) => LlConst::Float(*i as f64),
            (Repr::FloatOrBool, Value::Bool(b)) => crate::rboolfloat::bool_const(*b),
            (Repr::Char, Value::Str(s)) if s.chars().count() == 1 => LlConst::UniChar(s.chars().next().map_or(0, |c| c as u32)),
            (Repr::Str, Value::Str(s)) => self.ll.str_const(s),
            (Repr::Str, Value::Bytes(b)) => self.ll.str_const(&crate::rbytes::bytes_as_str(b)),
            (r, Value::None) if r.is_ptr() => LlConst::Null(r.lltype()),
            (Repr::Tuple(tr), Value::Obj(o)) => {
                let Object::Tuple(items) = self.prog.heap.get(*o).clone() else { return Err("a tuple constant".into()) };
                if let Some(&s) = self.prebuilt.get(&(*o, tr.ptr)) {
                    return Ok(LlConst::Static(s, tr.ptr));
                }
                let mut fields = Vec::new();
                for (item, ir) in items.iter().zip(tr.items.iter()) {
                    fields.push(self.constant(item, ir)?);
                }
                let s = self.ll.add_static(StaticObj { ty: tr.strukt, value: StaticValue::Struct { fields, items: Vec::new() }, name: format!("tuple{}", o.0) });
                self.prebuilt.insert((*o, tr.ptr), s);
                LlConst::Static(s, tr.ptr)
            }
            (Repr::List(lr), Value::Obj(o)) => {
                // A constant tuple indexed at run time is read as a prebuilt list too.
                let (Object::List(items) | Object::Tuple(items)) = self.prog.heap.get(*o).clone() else { return Err("a list constant".into()) };
                if let Some(&s) = self.prebuilt.get(&(*o, lr.ptr)) {
                    return Ok(LlConst::Static(s, lr.ptr));
                }
                let mut stored = Vec::new();
                for item in &items {
                    let c = self.constant(item, &lr.item)?;
                    stored.push(to_storage(c));
                }
                let arr_ptr = self.ll.types.ptr(lr.array);
                let arr = self.ll.add_static(StaticObj { ty: lr.array, value: StaticValue::Array(stored), name: format!("list{}_items", o.0) });
                let s = self.ll.add_static(StaticObj {
                    ty: lr.strukt,
                    value: StaticValue::Struct { fields: vec![LlConst::Signed(items.len() as i64), LlConst::Static(arr, arr_ptr)], items: Vec::new() },
                    name: format!("list{}", o.0),
                });
                self.prebuilt.insert((*o, lr.ptr), s);
                LlConst::Static(s, lr.ptr)
            }
            (Repr::Instance { ptr, .. }, Value::Obj(o)) => {
                let Some(inst) = self.prog.heap.instance(*o).cloned() else { return Err("an instance constant".into()) };
                if let Some(&s) = self.prebuilt.get(&(*o, TypeId::OBJECT)) {
                    return Ok(LlConst::Static(s, *ptr));
                }
                let c = self.class_index[&inst.class];
                let strukt = self.classes[c].inst_struct;
                let nfields = self.ll.types.struct_type(strukt).fields.len();
                let mut fields: Vec<LlConst> = self.ll.types.struct_type(strukt).fields.iter().map(|f| zero_of(&self.ll.types, f.ty)).collect();
                fields[0] = self.vtable_const(c, TypeId::VTABLE_PTR);
                // Register before filling, for cycles between prebuilt instances.
                let s = self.ll.add_static(StaticObj { ty: strukt, value: StaticValue::Struct { fields: fields.clone(), items: Vec::new() }, name: format!("{}_{}", self.classes[c].name, o.0) });
                self.prebuilt.insert((*o, TypeId::OBJECT), s);
                let attrs: Vec<(std::sync::Arc<str>, (kiln_lltype::FieldRef, Repr))> = self.classes[c].fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                for (name, (fr, fr_repr)) in attrs {
                    // An attribute the instance never set has its class-level value.
                    let class_default = self.prog.heap.class_lookup(inst.class, &name).map(|(_, v)| v);
                    if let Some(v) = inst.attrs.get(&name).cloned().or(class_default) {
                        let v = &v;
                        let c = self.constant(v, &fr_repr)?;
                        if (fr.index as usize) < nfields {
                            fields[fr.index as usize] = c;
                        }
                    }
                }
                // A prebuilt exception keeps the message it was created with.
                if self.is_exception_class(inst.class) && nfields > 1 {
                    if let Some(Value::Str(m)) = inst.attrs.get("message") {
                        fields[1] = self.ll.str_const(m);
                    }
                }
                self.ll.statics[s.0 as usize].value = StaticValue::Struct { fields, items: Vec::new() };
                LlConst::Static(s, *ptr)
            }
            (Repr::Dict(dr), Value::Obj(o)) if matches!(self.prog.heap.get(*o), Object::Dict(_)) => {
                let dr = dr.clone();
                self.prebuilt_dict(*o, &dr)
            }
            (Repr::Func(fr), Value::Obj(o)) if matches!(self.prog.heap.get(*o), Object::Function(_)) => match self.func_of(*o) {
                Some(fid) => LlConst::Func(fid, fr.ptr),
                None => LlConst::Null(fr.ptr),
            },
            (Repr::ClassOf { ptr, .. }, Value::Obj(o)) => match self.class_index.get(o) {
                Some(&c) => self.vtable_const(c, *ptr),
                None => return Err("a class constant".into()),
            },
            (r, v) => return Err(format!("{} as {:?}", self.prog.heap.describe(v), r)),
        })
    }
}

/// A list item constant in its 8-byte storage form.
pub fn to_storage(c: LlConst) -> LlConst {
    match c {
        LlConst::Bool(b) => LlConst::Signed(b as i64),
        LlConst::UniChar(u) => LlConst::Signed(u as i64),
        LlConst::Unsigned(u) => LlConst::Signed(u as i64),
        LlConst::Void => LlConst::Signed(0),
        other => other,
    }
}

/// The zero value of a field type (null for pointers).
pub fn zero_of(types: &kiln_lltype::TypeTable, ty: TypeId) -> LlConst {
    match ty {
        TypeId::BOOL => LlConst::Bool(false),
        TypeId::SIGNED => LlConst::Signed(0),
        TypeId::UNSIGNED => LlConst::Unsigned(0),
        TypeId::FLOAT => LlConst::Float(0.0),
        TypeId::CHAR => LlConst::Char(0),
        TypeId::UNICHAR => LlConst::UniChar(0),
        TypeId::VOID => LlConst::Void,
        t if types.is_ptr(t) => LlConst::Null(t),
        _ => LlConst::Signed(0),
    }
}
