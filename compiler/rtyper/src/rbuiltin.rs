//! Lowering calls to built-in functions and types, `print`, and `str()` conversions.

use kiln_annotator::SomeValue;
use kiln_flowgraph::Operation;
use kiln_flowspace::{Hl, HlOp, Opnd};
use kiln_frontend::{Builtin, BuiltinType, Object, Value};
use kiln_lltype::builder::LlValue;
use kiln_lltype::{FieldRef, LlConst, LlOp, RtFn, TypeId};

use crate::helpers::Helper;
use crate::lower::Lower;
use crate::repr::Repr;

fn c(v: LlConst) -> LlValue {
    LlValue::Const(v)
}

impl<'r, 'a> Lower<'r, 'a> {
    /// Whether an operand's annotation allows None.
    fn may_be_none(&self, o: &Opnd) -> bool {
        match o {
            Opnd::Var(v) => self.ann(*v).can_be_none(),
            Opnd::Const(Value::None) => true,
            Opnd::Const(_) => false,
        }
    }

    /// `str(o)` as a string pointer.
    pub fn to_str(&mut self, o: &Opnd) -> LlValue {
        let (x, r) = self.arg(o);
        match &r {
            Repr::Int => self.rtcall(RtFn::StrFromInt, vec![x], TypeId::STR_PTR),
            Repr::Uint => self.rtcall(RtFn::StrFromUint, vec![x], TypeId::STR_PTR),
            Repr::Bool => self.helper(Helper::BoolToStr, vec![x]),
            Repr::Float => self.rtcall(RtFn::StrFromFloat, vec![x], TypeId::STR_PTR),
            Repr::Char => self.rtcall(RtFn::StrFromChar, vec![x], TypeId::STR_PTR),
            Repr::Str => {
                if self.may_be_none(o) {
                    self.helper(Helper::OptStr, vec![x])
                } else {
                    x
                }
            }
            Repr::Void => {
                let text = match o {
                    Opnd::Const(v) => kiln_frontend::ops::to_str(&self.rt.prog.heap, v),
                    Opnd::Var(_) => "None".to_string(),
                };
                c(self.rt.ll.str_const(&text))
            }
            Repr::Instance { .. } => {
                let e = self.cast(x, TypeId::OBJECT_PTR);
                self.helper(Helper::ExcStr, vec![e])
            }
            _ => {
                self.unsupported("str() of this type");
                c(self.rt.ll.str_const(""))
            }
        }
    }

    /// Appends a value's printed form to the output buffer.
    fn out_value(&mut self, o: &Opnd) {
        let (x, r) = self.arg(o);
        match r {
            Repr::Int => {
                self.rtcall(RtFn::OutInt, vec![x], TypeId::VOID);
            }
            Repr::Char => {
                self.rtcall(RtFn::OutChar, vec![x], TypeId::VOID);
            }
            Repr::Float => {
                self.rtcall(RtFn::OutFloat, vec![x], TypeId::VOID);
            }
            _ => {
                let s = self.to_str(o);
                self.rtcall(RtFn::OutStr, vec![s], TypeId::VOID);
            }
        }
    }

    fn out_sep(&mut self, custom: Option<&Opnd>, default: char) {
        match custom {
            Some(o) => {
                let (x, r) = self.arg(o);
                match r {
                    Repr::Char => self.rtcall(RtFn::OutChar, vec![x], TypeId::VOID),
                    _ => {
                        let s = self.to_str(o);
                        self.rtcall(RtFn::OutStr, vec![s], TypeId::VOID)
                    }
                };
            }
            None => {
                self.rtcall(RtFn::OutChar, vec![c(LlConst::UniChar(default as u32))], TypeId::VOID);
            }
        }
    }

    pub fn lower_builtin(&mut self, op: &Operation<Hl>, b: Builtin, rr: &Repr, nkw: usize) -> LlValue {
        let all = &op.args[1..];
        let npos = all.len() - nkw;
        let args = &all[..npos];
        let kwnames: Vec<std::sync::Arc<str>> = match &op.op {
            HlOp::Call(shape) => shape.kwnames.clone(),
            _ => Vec::new(),
        };
        let kw = |name: &str| kwnames.iter().position(|k| &**k == name).map(|i| all[npos + i].clone());
        match b {
            Builtin::Print => {
                let (sep, end) = (kw("sep"), kw("end"));
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        self.out_sep(sep.as_ref(), ' ');
                    }
                    self.out_value(a);
                }
                self.out_sep(end.as_ref(), '\n');
                c(LlConst::Void)
            }
            Builtin::Len => {
                let (x, r) = self.arg(&args[0]);
                match r {
                    Repr::Str => self.genop(LlOp::GetField(FieldRef { strukt: TypeId::STR, index: 1 }), vec![x], TypeId::SIGNED),
                    Repr::Char => c(LlConst::Signed(1)),
                    Repr::List(lr) => self.genop(LlOp::GetField(FieldRef { strukt: lr.strukt, index: 0 }), vec![x], TypeId::SIGNED),
                    Repr::Tuple(t) => c(LlConst::Signed(t.items.len() as i64)),
                    _ => self.unsupported("len() of this type"),
                }
            }
            Builtin::Intmask | Builtin::Ovfcheck => {
                let (x, r) = self.arg(&args[0]);
                match r {
                    Repr::Uint => self.convert(x, &Repr::Uint, &Repr::Int),
                    other => self.convert(x, &other, &Repr::Int),
                }
            }
            Builtin::Ord => {
                let (x, r) = self.arg(&args[0]);
                let ch = match r {
                    Repr::Char => x,
                    _ => {
                        let s = self.convert(x, &r, &Repr::Str);
                        self.helper(Helper::StrGetItem, vec![s, c(LlConst::Signed(0))])
                    }
                };
                self.genop(LlOp::CastUniCharToInt, vec![ch], TypeId::SIGNED)
            }
            Builtin::Chr => {
                let x = self.arg_as(&args[0], &Repr::Int);
                self.helper(Helper::Chr, vec![x])
            }
            Builtin::Abs => match rr {
                Repr::Float => {
                    let x = self.arg_as(&args[0], &Repr::Float);
                    self.genop(LlOp::FloatAbs, vec![x], TypeId::FLOAT)
                }
                _ => {
                    let x = self.arg_as(&args[0], &Repr::Int);
                    self.genop(LlOp::IntAbs, vec![x], TypeId::SIGNED)
                }
            },
            Builtin::Min | Builtin::Max if args.len() >= 2 => {
                let max = b == Builtin::Max;
                let h = match rr {
                    Repr::Float => Helper::MinMax { ty: TypeId::FLOAT, max },
                    Repr::Int => Helper::MinMax { ty: TypeId::SIGNED, max },
                    _ => return self.unsupported("min()/max() of these types"),
                };
                let mut acc = self.arg_as(&args[0], rr);
                for a in &args[1..] {
                    let y = self.arg_as(a, rr);
                    acc = self.helper(h.clone(), vec![acc, y]);
                }
                acc
            }
            Builtin::Isinstance => {
                if let SomeValue::Bool { konst: Some(k) } = self.ann(op.result) {
                    return c(LlConst::Bool(*k));
                }
                let (x, xr) = self.arg(&args[0]);
                let classes: Vec<kiln_frontend::ObjId> = match &args[1] {
                    Opnd::Const(Value::Obj(o)) => match self.rt.prog.heap.get(*o) {
                        Object::Tuple(items) => items.iter().filter_map(|v| v.as_obj()).collect(),
                        _ => vec![*o],
                    },
                    _ => Vec::new(),
                };
                if self.may_be_none(&args[0]) {
                    return self.unsupported("isinstance() on a value that may be None");
                }
                self.isinstance_check(x, &xr, &classes)
            }
            Builtin::ExcInit => {
                let (x, _) = self.arg(&args[0]);
                if let Some(a) = args.get(1) {
                    let s = self.to_str(a);
                    let e = self.cast(x, TypeId::BASE_EXCEPTION_PTR);
                    self.genop(LlOp::SetField(FieldRef { strukt: TypeId::BASE_EXCEPTION, index: 1 }), vec![e, s], TypeId::VOID);
                }
                c(LlConst::Void)
            }
            Builtin::WeAreTranslated => c(LlConst::Bool(true)),
            Builtin::WeAreJitted => c(LlConst::Bool(false)),
            Builtin::Promote | Builtin::PromoteString | Builtin::Hint => self.arg_as(&args[0], rr),
            Builtin::JitMergePoint | Builtin::CanEnterJit | Builtin::SetParam => c(LlConst::Void),
            other => self.unsupported(&format!("{}()", other.name())),
        }
    }

    pub fn lower_type_call(&mut self, op: &Operation<Hl>, t: BuiltinType, rr: &Repr) -> LlValue {
        let args = &op.args[1..];
        match t {
            BuiltinType::Int => {
                let Some(a) = args.first() else { return c(LlConst::Signed(0)) };
                let (x, r) = self.arg(a);
                match r {
                    Repr::Int => x,
                    Repr::Bool => self.genop(LlOp::CastBoolToInt, vec![x], TypeId::SIGNED),
                    Repr::Uint => self.genop(LlOp::CastUintToInt, vec![x], TypeId::SIGNED),
                    Repr::Float => self.helper(Helper::IntFromFloat, vec![x]),
                    Repr::Str | Repr::Char => {
                        let s = self.convert(x, &r, &Repr::Str);
                        let base = match args.get(1) {
                            Some(bo) => self.arg_as(bo, &Repr::Int),
                            None => c(LlConst::Signed(10)),
                        };
                        self.rtcall(RtFn::StrToInt, vec![s, base], TypeId::SIGNED)
                    }
                    _ => self.unsupported("int() of this type"),
                }
            }
            BuiltinType::RUint => {
                let x = self.arg_as(&args[0], &Repr::Int);
                self.genop(LlOp::CastIntToUint, vec![x], TypeId::UNSIGNED)
            }
            BuiltinType::Float => {
                let Some(a) = args.first() else { return c(LlConst::Float(0.0)) };
                let (x, r) = self.arg(a);
                match r {
                    Repr::Str | Repr::Char => {
                        let s = self.convert(x, &r, &Repr::Str);
                        self.rtcall(RtFn::StrToFloat, vec![s], TypeId::FLOAT)
                    }
                    Repr::Uint => self.genop(LlOp::CastUintToFloat, vec![x], TypeId::FLOAT),
                    other => self.convert(x, &other, &Repr::Float),
                }
            }
            BuiltinType::Str => match args.first() {
                Some(a) => self.to_str(a),
                None => c(self.rt.ll.str_const("")),
            },
            BuiltinType::Bool => match args.first() {
                Some(a) => self.truth(a),
                None => c(LlConst::Bool(false)),
            },
            _ => {
                let _ = rr;
                self.unsupported(&format!("{}()", t.name()))
            }
        }
    }

    pub fn lower_value_method(&mut self, op: &Operation<Hl>, name: &str, rr: &Repr, _nkw: usize) -> LlValue {
        let (recv, r) = self.arg(&op.args[0]);
        match (&r, name) {
            (Repr::List(lr), "append") => {
                let lr = lr.clone();
                let item = self.arg_as(&op.args[1], &lr.item);
                let stored = self.to_storage(item, &lr.item);
                self.helper(Helper::ListAppend { strukt: lr.strukt, array: lr.array, storage: lr.storage }, vec![recv, stored]);
                c(LlConst::Void)
            }
            _ => {
                let _ = rr;
                self.unsupported(&format!("the method '{name}'"))
            }
        }
    }
}
