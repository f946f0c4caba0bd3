//! Dicts: every operation is a runtime call on `kiln_abi::RDict` with keys and values as
//! 8-byte words; the dict's static `DictDesc` tells the runtime how to hash, compare and
//! print them.
//!
//! Prebuilt dicts (module-level constants) are static `RDict` objects with no entries;
//! an init function, run before `entry_point`, inserts their items. This keeps the
//! runtime the only code that knows the hash table layout.

use std::sync::Arc;

use kiln_flowgraph::Operation;
use kiln_flowspace::{Hl, Opnd};
use kiln_frontend::{Object, Value};
use kiln_lltype::builder::LlValue;
use kiln_lltype::{FieldRef, LlConst, LlOp, RtFn, StaticObj, StaticValue, TypeId};

use crate::helpers::Helper;
use crate::lower::Lower;
use crate::repr::{DictRepr, Repr};
use crate::RTyper;

fn c(v: LlConst) -> LlValue {
    LlValue::Const(v)
}

impl<'a> RTyper<'a> {
    /// The static for prebuilt dict `o` (filled at startup by the init function).
    pub fn prebuilt_dict(&mut self, o: kiln_frontend::ObjId, dr: &Arc<DictRepr>) -> LlConst {
        if let Some(&s) = self.prebuilt.get(&(o, dr.ptr)) {
            return LlConst::Static(s, dr.ptr);
        }
        let entries_ptr = self.ll.types.ptr(dr.entries);
        let s = self.ll.add_static(StaticObj {
            ty: dr.strukt,
            value: StaticValue::Struct {
                fields: vec![dr.desc.clone(), LlConst::Signed(0), LlConst::Signed(0), LlConst::Null(TypeId::ARRAY_SIGNED_PTR), LlConst::Null(entries_ptr)],
                items: Vec::new(),
            },
            name: format!("dict{}", o.0),
        });
        self.prebuilt.insert((o, dr.ptr), s);
        self.dict_inits.push((o, s, dr.clone()));
        LlConst::Static(s, dr.ptr)
    }
}

impl<'r, 'a> Lower<'r, 'a> {
    pub fn dict_tid(&self, dr: &DictRepr) -> LlValue {
        c(LlConst::Signed(self.rt.ll.types.gc_typeid(dr.strukt).unwrap_or(0) as i64))
    }

    /// A new dict holding `pairs` (already in the key and value representations).
    pub fn new_dict(&mut self, dr: &Arc<DictRepr>, pairs: Vec<(LlValue, LlValue)>) -> LlValue {
        let tid = self.dict_tid(dr);
        let d = self.rtcall(RtFn::DictNew, vec![c(dr.desc.clone()), tid], dr.ptr);
        for (k, v) in pairs {
            let kw = self.to_word(k, &dr.key);
            let vw = self.to_word(v, &dr.value);
            self.rtcall(RtFn::DictSetItem, vec![d.clone(), kw, vw], TypeId::VOID);
        }
        d
    }

    fn key_word(&mut self, dr: &DictRepr, k: &Opnd) -> LlValue {
        let x = self.arg_as(k, &dr.key);
        self.to_word(x, &dr.key)
    }

    fn value_word(&mut self, dr: &DictRepr, v: &Opnd) -> LlValue {
        let x = self.arg_as(v, &dr.value);
        self.to_word(x, &dr.value)
    }

    fn value_from(&mut self, dr: &DictRepr, w: LlValue, rr: &Repr) -> LlValue {
        let v = self.from_word(w, &dr.value);
        self.convert(v, &dr.value, rr)
    }

    pub fn dict_len(&mut self, d: LlValue, dr: &DictRepr) -> LlValue {
        self.genop(LlOp::GetField(FieldRef { strukt: dr.strukt, index: 1 }), vec![d], TypeId::SIGNED)
    }

    pub fn dict_getitem(&mut self, d: LlValue, dr: &Arc<DictRepr>, k: &Opnd, rr: &Repr) -> LlValue {
        let kw = self.key_word(dr, k);
        let w = self.rtcall(RtFn::DictGetItem, vec![d, kw], TypeId::SIGNED);
        self.value_from(dr, w, rr)
    }

    pub fn dict_setitem(&mut self, d: LlValue, dr: &Arc<DictRepr>, k: &Opnd, v: &Opnd) -> LlValue {
        let kw = self.key_word(dr, k);
        let vw = self.value_word(dr, v);
        self.rtcall(RtFn::DictSetItem, vec![d, kw, vw], TypeId::VOID);
        c(LlConst::Void)
    }

    pub fn dict_delitem(&mut self, d: LlValue, dr: &Arc<DictRepr>, k: &Opnd) -> LlValue {
        let kw = self.key_word(dr, k);
        self.rtcall(RtFn::DictDelItem, vec![d, kw], TypeId::VOID);
        c(LlConst::Void)
    }

    pub fn dict_contains(&mut self, d: LlValue, dr: &Arc<DictRepr>, k: &Opnd) -> LlValue {
        let kw = self.key_word(dr, k);
        self.rtcall(RtFn::DictContains, vec![d, kw], TypeId::BOOL)
    }

    pub fn dict_method(&mut self, op: &Operation<Hl>, name: &str, rr: &Repr, nkw: usize) -> LlValue {
        if nkw > 0 {
            return self.unsupported("keyword arguments to dict methods");
        }
        let (d, drr) = self.arg(&op.args[0]);
        let Repr::Dict(dr) = &drr else { return self.unsupported("this dict method") };
        let dr = dr.clone();
        let a = &op.args[1..];
        match name {
            "get" | "pop" if a.len() == 2 || name == "get" => {
                let kw = self.key_word(&dr, &a[0]);
                let dw = match a.get(1) {
                    Some(o) => self.value_word(&dr, o),
                    None => c(LlConst::Signed(0)),
                };
                let f = if name == "get" { RtFn::DictGet } else { RtFn::DictPopDefault };
                let w = self.rtcall(f, vec![d, kw, dw], TypeId::SIGNED);
                self.value_from(&dr, w, rr)
            }
            "pop" => {
                let kw = self.key_word(&dr, &a[0]);
                let w = self.rtcall(RtFn::DictPop, vec![d, kw], TypeId::SIGNED);
                self.value_from(&dr, w, rr)
            }
            "setdefault" => {
                let kw = self.key_word(&dr, &a[0]);
                let vw = self.value_word(&dr, &a[1]);
                let w = self.rtcall(RtFn::DictSetDefault, vec![d, kw, vw], TypeId::SIGNED);
                self.value_from(&dr, w, rr)
            }
            "keys" | "values" => {
                let Repr::List(lr) = rr else { return self.unsupported("keys()/values() here") };
                let lr = lr.clone();
                let (tl, ta) = self.list_tids(&lr);
                self.rtcall(if name == "keys" { RtFn::DictKeys } else { RtFn::DictValues }, vec![d, tl, ta], lr.ptr)
            }
            "items" => {
                let Repr::List(lr) = rr else { return self.unsupported("items() here") };
                let Repr::Tuple(tr) = &lr.item else {
                    // A dict that never holds anything: no items.
                    let lr = lr.clone();
                    return self.new_list(&lr, Vec::new());
                };
                let h = Helper::DictItems { dict: dr.strukt, kty: dr.key.lltype(), vty: dr.value.lltype(), tuple: tr.strukt, list: lr.strukt, array: lr.array };
                self.helper(h, vec![d])
            }
            "update" => {
                let other = self.arg_as(&a[0], &drr);
                self.rtcall(RtFn::DictUpdate, vec![d, other], TypeId::VOID);
                c(LlConst::Void)
            }
            "clear" => {
                self.rtcall(RtFn::DictClear, vec![d], TypeId::VOID);
                c(LlConst::Void)
            }
            "copy" => self.rtcall(RtFn::DictCopy, vec![d], dr.ptr),
            other => self.unsupported(&format!("dict.{other}()")),
        }
    }
}

impl<'a> RTyper<'a> {
    /// The function run before `entry_point` that fills the prebuilt dicts.
    pub fn dict_init_function(&mut self) -> Option<kiln_lltype::FuncId> {
        if self.dict_inits.is_empty() {
            return None;
        }
        let (mut b, _) = kiln_lltype::builder::LlBuilder::new("kiln_init_prebuilt_dicts", &[], TypeId::VOID, kiln_diagnostics::Span::DUMMY);
        let mut done = 0;
        // Filling a dict may reach another prebuilt dict (a value): keep going until none
        // is left, each filled once.
        while done < self.dict_inits.len() {
            let (o, s, dr) = self.dict_inits[done].clone();
            done += 1;
            let Object::Dict(dict) = self.prog.heap.get(o).clone() else { continue };
            let d = c(LlConst::Static(s, dr.ptr));
            for (k, v) in dict.entries.values() {
                let kc = self.word_const(&mut b, k, &dr.key);
                let vc = self.word_const(&mut b, v, &dr.value);
                b.op(LlOp::RtCall(RtFn::DictSetItem), vec![d.clone(), kc, vc], TypeId::VOID);
            }
        }
        b.ret(c(LlConst::Void));
        let graph = b.finish();
        let ty = self.ll.types.func(vec![], TypeId::VOID);
        Some(self.ll.add_func(kiln_lltype::LlFunc { name: "kiln_init_prebuilt_dicts".into(), graph, ty, kind: kiln_lltype::FuncKind::Helper, hints: Default::default() }))
    }

    /// A constant as a word operand, emitting the cast a pointer constant needs.
    fn word_const(&mut self, b: &mut kiln_lltype::builder::LlBuilder, v: &Value, r: &Repr) -> LlValue {
        let k = match self.constant(v, r) {
            Ok(k) => k,
            Err(what) => {
                self.error(kiln_diagnostics::Diagnostic::internal(format!("rtyper: cannot make a constant of {what} for a prebuilt dict")));
                LlConst::Signed(0)
            }
        };
        match k {
            LlConst::Signed(i) => c(LlConst::Signed(i)),
            LlConst::Bool(x) => c(LlConst::Signed(x as i64)),
            LlConst::UniChar(u) => c(LlConst::Signed(u as i64)),
            LlConst::Unsigned(u) => c(LlConst::Signed(u as i64)),
            LlConst::Float(f) => c(LlConst::Signed(f.to_bits() as i64)),
            LlConst::Void | LlConst::Null(_) => c(LlConst::Signed(0)),
            ptr => kiln_lltype::builder::v(b.op(LlOp::CastPtrToInt, vec![c(ptr)], TypeId::SIGNED)),
        }
    }
}
