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
        if self.is_bytes(o) {
            return self.bytes_repr(o);
        }
        let (x, r) = self.arg(o);
        match &r {
            Repr::Int => self.rtcall(RtFn::StrFromInt, vec![x], TypeId::STR_PTR),
            Repr::Uint => self.rtcall(RtFn::StrFromUint, vec![x], TypeId::STR_PTR),
            Repr::Bool => self.helper(Helper::BoolToStr, vec![x]),
            Repr::Float => self.rtcall(RtFn::StrFromFloat, vec![x], TypeId::STR_PTR),
            Repr::FloatOrBool => self.boxed_to_str(x),
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
            Repr::Instance { cdef, .. } => {
                let cdef = match o {
                    Opnd::Var(v) => match self.ann(*v) {
                        kiln_annotator::SomeValue::Instance { class, .. } => *class,
                        _ => *cdef,
                    },
                    Opnd::Const(_) => *cdef,
                };
                // A class at or below the static one defines __str__: dispatch on the
                // exact class (see rspecial.rs). Otherwise an exception's str() is its
                // message, and any other instance's is its repr (CPython's default): an
                // instance that is no exception has no message field to read.
                if !self.rt.str_impls_below(cdef).is_empty() {
                    let e = self.cast(x, TypeId::OBJECT_PTR);
                    self.helper(Helper::StrDispatch(cdef), vec![e])
                } else if self.rt.is_exception_cdef(cdef) {
                    let e = self.cast(x, TypeId::OBJECT_PTR);
                    self.helper(Helper::ExcStr, vec![e])
                } else {
                    self.value_repr(x, &r)
                }
            }
            other => {
                let other = other.clone();
                self.value_repr(x, &other)
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
                    Repr::Dict(dr) => self.dict_len(x, &dr),
                    _ => self.unsupported("len() of this type"),
                }
            }
            Builtin::RgcCollect => {
                self.rtcall(RtFn::GcCollect, vec![], TypeId::VOID);
                c(LlConst::Void)
            }
            Builtin::RgcDisable | Builtin::RgcEnable => {
                self.rtcall(RtFn::GcSetEnabled, vec![c(LlConst::Bool(b == Builtin::RgcEnable))], TypeId::VOID);
                c(LlConst::Void)
            }
            Builtin::RgcIsenabled => self.rtcall(RtFn::GcIsEnabled, vec![], TypeId::BOOL),
            Builtin::OrderedDict => {
                let Repr::Dict(dr) = rr else { return self.unsupported("OrderedDict() here") };
                let dr = dr.clone();
                self.new_dict(&dr, Vec::new())
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
            Builtin::Min | Builtin::Max if args.len() >= 2 && nkw == 0 => {
                let max = b == Builtin::Max;
                let h = match rr {
                    Repr::Float => Helper::MinMax { ty: TypeId::FLOAT, max },
                    Repr::Int => Helper::MinMax { ty: TypeId::SIGNED, max },
                    Repr::Str => Helper::MinMax { ty: TypeId::STR_PTR, max },
                    Repr::Char => Helper::MinMax { ty: TypeId::UNICHAR, max },
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
                if xr == Repr::FloatOrBool {
                    // The annotator folds a tuple naming both kinds; one kind is tested
                    // by the bit pattern.
                    let is_bool = self.boxed_is_bool(x);
                    let float = match &args[1] {
                        Opnd::Const(Value::Obj(o)) => match self.rt.prog.heap.get(*o) {
                            Object::BuiltinType(kiln_frontend::BuiltinType::Float) => true,
                            Object::Tuple(items) => items.iter().any(|v| v.as_obj().is_some_and(|o| matches!(self.rt.prog.heap.get(o), Object::BuiltinType(kiln_frontend::BuiltinType::Float)))),
                            _ => false,
                        },
                        _ => return self.unsupported("isinstance() of a float that may be a bool against a tuple display"),
                    };
                    return if float { self.genop(LlOp::BoolNot, vec![is_bool], TypeId::BOOL) } else { is_bool };
                }
                let classes: Vec<kiln_frontend::ObjId> = match &args[1] {
                    Opnd::Const(Value::Obj(o)) => match self.rt.prog.heap.get(*o) {
                        Object::Tuple(items) => items.iter().filter_map(|v| v.as_obj()).collect(),
                        _ => vec![*o],
                    },
                    // A tuple display of constant classes.
                    Opnd::Var(t) => match self.ann(*t) {
                        SomeValue::Tuple(items) => items.iter().filter_map(|i| i.const_value().and_then(|v| v.as_obj())).collect(),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                let nullable = self.may_be_none(&args[0]);
                if xr.is_ptr() && !matches!(xr, Repr::Instance { .. }) {
                    // A str, list, dict or tuple that may be None, tested against its own
                    // type (the annotator folds every other case): a null test. (It has no
                    // vtable to read a class id from.)
                    return self.genop(LlOp::PtrNonNull, vec![x], TypeId::BOOL);
                }
                self.isinstance_check(x, &xr, &classes, nullable)
            }
            Builtin::ExcInit => {
                let (x, _) = self.arg(&args[0]);
                // `KeyError.__init__(self, k)` in a subclass: the static class of self
                // says whether every instance it can be is a KeyError.
                let key_error = match &args[0] {
                    Opnd::Var(v) => match self.ann(*v) {
                        SomeValue::Instance { class, .. } => {
                            let obj = self.rt.ann.classdefs[class.0 as usize].class;
                            self.rt.is_key_error_class(obj)
                        }
                        _ => false,
                    },
                    _ => false,
                };
                self.set_exc_message(&x, &args[1..], key_error);
                c(LlConst::Void)
            }
            Builtin::Min | Builtin::Max | Builtin::Sum | Builtin::Any | Builtin::All | Builtin::Sorted => {
                let kws: Vec<(std::sync::Arc<str>, Opnd)> = kwnames.iter().cloned().zip(all[npos..].iter().cloned()).collect();
                self.list_builtin(b, args, &kws, rr)
            }
            Builtin::Range => self.range_list(args, rr),
            Builtin::Enumerate | Builtin::Zip | Builtin::Reversed => self.wrap_iter(args, rr),
            Builtin::Iter => {
                let (x, xr) = self.arg(&args[0]);
                self.make_iter(x, &xr, rr)
            }
            Builtin::Next => {
                let (it, ir) = self.arg(&args[0]);
                self.iter_next(it, &ir, rr)
            }
            Builtin::Repr => self.repr_of(&args[0]),
            Builtin::Hash | Builtin::ComputeHash => {
                let (x, xr) = self.arg(&args[0]);
                let w = self.to_word(x, &xr);
                let d = self.desc_of(&xr);
                let f = if b == Builtin::ComputeHash { RtFn::ComputeHash } else { RtFn::Hash };
                self.rtcall(f, vec![w, d], TypeId::SIGNED)
            }
            Builtin::Divmod => {
                let Repr::Tuple(tr) = rr else { return self.unsupported("divmod() here") };
                let tr = tr.clone();
                let item = tr.items[0].clone();
                let x = self.arg_as(&args[0], &item);
                let y = self.arg_as(&args[1], &item);
                let (q, m) = match item {
                    Repr::Float => (self.rtcall(RtFn::FloatFloorDiv, vec![x.clone(), y.clone()], TypeId::FLOAT), self.rtcall(RtFn::FloatMod, vec![x, y], TypeId::FLOAT)),
                    _ => (self.helper(Helper::IntFloorDiv, vec![x.clone(), y.clone()]), self.helper(Helper::IntMod, vec![x, y])),
                };
                self.new_tuple(&tr, vec![q, m])
            }
            Builtin::OsWrite => {
                let f = if self.is_bytes(&args[1]) { RtFn::OsWriteBytes } else { RtFn::OsWrite };
                let fd = self.arg_as(&args[0], &Repr::Int);
                let s = self.arg_as(&args[1], &Repr::Str);
                self.rtcall(f, vec![fd, s], TypeId::SIGNED)
            }
            Builtin::OsRead | Builtin::OsReadBytes => {
                let fd = self.arg_as(&args[0], &Repr::Int);
                let n = self.arg_as(&args[1], &Repr::Int);
                let f = if b == Builtin::OsRead { RtFn::OsRead } else { RtFn::OsReadBytes };
                self.rtcall(f, vec![fd, n], TypeId::STR_PTR)
            }
            Builtin::OsOpen => {
                let p = self.arg_as(&args[0], &Repr::Str);
                let fl = self.arg_as(&args[1], &Repr::Int);
                let mode = match args.get(2) {
                    Some(m) => self.arg_as(m, &Repr::Int),
                    None => c(LlConst::Signed(0o777)),
                };
                self.rtcall(RtFn::OsOpen, vec![p, fl, mode], TypeId::SIGNED)
            }
            Builtin::OsClose => {
                let fd = self.arg_as(&args[0], &Repr::Int);
                self.rtcall(RtFn::OsClose, vec![fd], TypeId::VOID);
                c(LlConst::Void)
            }
            Builtin::OsReadFile => {
                let p = self.arg_as(&args[0], &Repr::Str);
                self.rtcall(RtFn::OsReadFile, vec![p], TypeId::STR_PTR)
            }
            Builtin::TimeTime => self.rtcall(RtFn::TimeTime, vec![], TypeId::FLOAT),
            Builtin::TimeClock => self.rtcall(RtFn::TimeClock, vec![], TypeId::FLOAT),
            Builtin::MathSqrt | Builtin::MathExp | Builtin::MathLog | Builtin::MathSin | Builtin::MathCos | Builtin::MathTan | Builtin::MathFloor | Builtin::MathCeil => {
                let x = self.arg_as(&args[0], &Repr::Float);
                let (f, ty) = match b {
                    Builtin::MathSqrt => (RtFn::MathSqrt, TypeId::FLOAT),
                    Builtin::MathExp => (RtFn::MathExp, TypeId::FLOAT),
                    Builtin::MathLog => (RtFn::MathLog, TypeId::FLOAT),
                    Builtin::MathSin => (RtFn::MathSin, TypeId::FLOAT),
                    Builtin::MathCos => (RtFn::MathCos, TypeId::FLOAT),
                    Builtin::MathTan => (RtFn::MathTan, TypeId::FLOAT),
                    Builtin::MathFloor => (RtFn::MathFloor, TypeId::SIGNED),
                    _ => (RtFn::MathCeil, TypeId::SIGNED),
                };
                self.rtcall(f, vec![x], ty)
            }
            Builtin::MathAtan2 | Builtin::MathPow => {
                let x = self.arg_as(&args[0], &Repr::Float);
                let y = self.arg_as(&args[1], &Repr::Float);
                self.rtcall(if b == Builtin::MathPow { RtFn::FloatPow } else { RtFn::MathAtan2 }, vec![x, y], TypeId::FLOAT)
            }
            Builtin::MathFmod | Builtin::MathCopysign => {
                let x = self.arg_as(&args[0], &Repr::Float);
                let y = self.arg_as(&args[1], &Repr::Float);
                self.rtcall(if b == Builtin::MathFmod { RtFn::MathFmod } else { RtFn::MathCopysign }, vec![x, y], TypeId::FLOAT)
            }
            Builtin::MathFabs => {
                let x = self.arg_as(&args[0], &Repr::Float);
                self.genop(LlOp::FloatAbs, vec![x], TypeId::FLOAT)
            }
            Builtin::MathIsnan => {
                let x = self.arg_as(&args[0], &Repr::Float);
                self.genop(LlOp::FloatNe, vec![x.clone(), x], TypeId::BOOL)
            }
            Builtin::MathIsinf => {
                let x = self.arg_as(&args[0], &Repr::Float);
                let a = self.genop(LlOp::FloatAbs, vec![x], TypeId::FLOAT);
                self.genop(LlOp::FloatEq, vec![a, c(LlConst::Float(f64::INFINITY))], TypeId::BOOL)
            }
            Builtin::WeAreTranslated => c(LlConst::Bool(true)),
            Builtin::WeAreJitted | Builtin::Promote | Builtin::PromoteString | Builtin::Hint | Builtin::IsConstant | Builtin::IsVirtual | Builtin::AssertGreen => self.lower_jit_builtin(b, args, rr),
            Builtin::JitMergePoint | Builtin::CanEnterJit => {
                self.user_error("E0243", format!("{}() must be called as a method of its JitDriver", b.name().rsplit('.').next().unwrap_or("")), "write driver.jit_merge_point(...), so that the translator can check the greens and reds");
                c(LlConst::Void)
            }
            // The JIT's parameters: nothing to set without a JIT.
            Builtin::SetParam => c(LlConst::Void),
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
                    // int(True) is 1: the number, then int() of it.
                    Repr::FloatOrBool => {
                        let f = self.unbox_float(x);
                        self.helper(Helper::IntFromFloat, vec![f])
                    }
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
            BuiltinType::List => match args.first() {
                Some(a) => self.list_from(a, rr),
                None => {
                    let Repr::List(lr) = rr else { return self.unsupported("list() here") };
                    let lr = lr.clone();
                    self.new_list(&lr, Vec::new())
                }
            },
            BuiltinType::Dict => {
                let Repr::Dict(dr) = rr else { return self.unsupported("dict() here") };
                let dr = dr.clone();
                self.new_dict(&dr, Vec::new())
            }
            BuiltinType::Tuple => {
                let (x, xr) = self.arg(&args[0]);
                self.convert(x, &xr, rr)
            }
        }
    }

    pub fn lower_value_method(&mut self, op: &Operation<Hl>, name: &str, rr: &Repr, nkw: usize) -> LlValue {
        match self.opnd_repr(&op.args[0]) {
            Repr::Str | Repr::Char => self.str_method(op, name, nkw),
            Repr::List(_) => self.list_method(op, name, rr, nkw),
            Repr::Dict(_) => self.dict_method(op, name, rr, nkw),
            _ => self.unsupported(&format!("the method '{name}'")),
        }
    }
}
