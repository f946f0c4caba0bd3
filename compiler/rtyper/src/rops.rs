//! Lowering rules for each high-level operation, by the representations of its operands.

use kiln_annotator::{CallTarget, SomeValue};
use kiln_flowgraph::Operation;
use kiln_flowspace::{Hl, HlOp, Opnd};
use kiln_frontend::ops::{BinOp, CmpOp};
use kiln_frontend::Value;
use kiln_lltype::builder::LlValue;
use kiln_lltype::{FieldRef, LlConst, LlOp, RtFn, TypeId};

use crate::helpers::Helper;
use crate::lower::Lower;
use crate::repr::Repr;

fn c(v: LlConst) -> LlValue {
    LlValue::Const(v)
}

impl<'r, 'a> Lower<'r, 'a> {
    pub fn result_repr(&mut self, op: &Operation<Hl>) -> Repr {
        self.var_repr(op.result)
    }

    pub fn lower_op(&mut self, op: &Operation<Hl>) -> LlValue {
        let rr = self.result_repr(op);
        match &op.op {
            HlOp::Bin(b) | HlOp::Inplace(b) => self.binop(op, *b, &rr),
            HlOp::Neg => {
                let x = self.arg_as(&op.args[0], &rr);
                match rr {
                    Repr::Float => self.genop(LlOp::FloatNeg, vec![x], TypeId::FLOAT),
                    Repr::Uint => self.genop(LlOp::UintSub, vec![c(LlConst::Unsigned(0)), x], TypeId::UNSIGNED),
                    // ovfcheck(-x): 0 - x, which overflows exactly for -MININT.
                    Repr::Int if self.rt.ovf_vars.contains(&(self.gid, op.result)) => self.helper(Helper::IntSubOvf, vec![c(LlConst::Signed(0)), x]),
                    _ => self.genop(LlOp::IntNeg, vec![x], TypeId::SIGNED),
                }
            }
            HlOp::Pos => self.arg_as(&op.args[0], &rr),
            HlOp::Invert => {
                let x = self.arg_as(&op.args[0], &rr);
                if rr == Repr::Uint {
                    self.genop(LlOp::UintInvert, vec![x], TypeId::UNSIGNED)
                } else {
                    self.genop(LlOp::IntInvert, vec![x], TypeId::SIGNED)
                }
            }
            HlOp::IsTrue => self.truth(&op.args[0]),
            HlOp::Not => {
                let t = self.truth(&op.args[0]);
                self.genop(LlOp::BoolNot, vec![t], TypeId::BOOL)
            }
            HlOp::Cmp(cmp) => self.compare(op, *cmp),
            HlOp::GetItem => self.getitem(op, &rr),
            HlOp::SetItem => self.setitem(op),
            HlOp::GetAttr(name) => self.getattr(op, name, &rr),
            HlOp::SetAttr(name) => self.setattr(op, name),
            HlOp::Call(shape) => self.lower_call(op, &rr, shape.kwnames.len()),
            HlOp::CallMethod(name, shape) => self.lower_call_method(op, name, &rr, shape.kwnames.len()),
            HlOp::NewList => {
                let Repr::List(lr) = &rr else { return self.unsupported("this list") };
                let lr = lr.clone();
                let items: Vec<LlValue> = op.args.iter().map(|a| self.arg_as(a, &lr.item)).collect();
                self.new_list(&lr, items)
            }
            HlOp::NewTuple => {
                let Repr::Tuple(tr) = &rr else { return self.unsupported("this tuple") };
                let tr = tr.clone();
                let items: Vec<LlValue> = op.args.iter().zip(tr.items.iter()).map(|(a, r)| self.arg_as(a, r)).collect();
                self.new_tuple(&tr, items)
            }
            HlOp::Iter => {
                let (x, xr) = self.arg(&op.args[0]);
                self.make_iter(x, &xr, &rr)
            }
            HlOp::Next => {
                let (it, ir) = self.arg(&op.args[0]);
                self.iter_next(it, &ir, &rr)
            }
            HlOp::TypeOf => {
                let (x, _) = self.arg(&op.args[0]);
                let t = self.genop(LlOp::GetField(FieldRef { strukt: TypeId::OBJECT, index: 0 }), vec![x], TypeId::VTABLE_PTR);
                self.cast(t, rr.lltype())
            }
            HlOp::ExcMatch => {
                let Opnd::Const(Value::Obj(cls)) = &op.args[1] else { return self.unsupported("this exception match") };
                let (x, xr) = self.arg(&op.args[0]);
                self.isinstance_check(x, &xr, &[*cls], false)
            }
            HlOp::Format { conversion, spec } => self.format_field(&op.args[0], *conversion, spec),
            HlOp::PercentMap(keys) => self.percent_mapping(op, keys),
            HlOp::BuildString => {
                let mut acc: Option<LlValue> = None;
                for a in &op.args {
                    let s = self.arg_as(a, &Repr::Str);
                    acc = Some(match acc {
                        None => s,
                        Some(prev) => self.rtcall(RtFn::StrConcat, vec![prev, s], TypeId::STR_PTR),
                    });
                }
                acc.unwrap_or_else(|| LlValue::Const(self.rt.ll.str_const("")))
            }
            HlOp::GetSlice => match self.opnd_repr(&op.args[0]) {
                Repr::Str | Repr::Char => self.str_getslice(op),
                Repr::List(lr) => self.list_getslice(op, &lr),
                _ => self.unsupported("slicing this type"),
            },
            HlOp::SetSlice => match self.opnd_repr(&op.args[0]) {
                Repr::List(lr) => self.list_setslice(op, &lr),
                _ => self.unsupported("slice assignment on this type"),
            },
            HlOp::DelItem => {
                let (x, xr) = self.arg(&op.args[0]);
                match &xr {
                    Repr::List(lr) => self.list_delitem(x, &lr.clone(), &op.args[1]),
                    Repr::Dict(dr) => self.dict_delitem(x, &dr.clone(), &op.args[1]),
                    _ => self.unsupported("del on this type"),
                }
            }
            HlOp::NewDict => {
                let Repr::Dict(dr) = &rr else { return self.unsupported("this dict") };
                let dr = dr.clone();
                let mut pairs = Vec::new();
                for kv in op.args.chunks(2) {
                    let k = self.arg_as(&kv[0], &dr.key);
                    let v = self.arg_as(&kv[1], &dr.value);
                    pairs.push((k, v));
                }
                self.new_dict(&dr, pairs)
            }
        }
    }

    /// An operation the RTyper does not lower yet: a clear error, not a crash.
    pub fn unsupported(&mut self, what: &str) -> LlValue {
        self.user_error("E0401", format!("{what} is not supported by the translator yet"), "see docs/language.md for what translates today");
        c(LlConst::Void)
    }

    fn binop(&mut self, op: &Operation<Hl>, b: BinOp, rr: &Repr) -> LlValue {
        let ra = self.opnd_repr(&op.args[0]);
        let inplace = matches!(op.op, HlOp::Inplace(_));
        match rr {
            Repr::List(_) => return self.list_binop(op, b, inplace, rr),
            Repr::Tuple(tr) => {
                let tr = tr.clone();
                return self.tuple_binop(op, b, &tr);
            }
            Repr::Str if b == BinOp::Mod => return self.percent_format(op),
            Repr::Str if b == BinOp::Mul => {
                let (s, n) = if matches!(self.opnd_repr(&op.args[0]), Repr::Str | Repr::Char) { (&op.args[0], &op.args[1]) } else { (&op.args[1], &op.args[0]) };
                let s = self.arg_as(s, &Repr::Str);
                let n = self.arg_as(n, &Repr::Int);
                return self.rtcall(RtFn::StrMul, vec![s, n], TypeId::STR_PTR);
            }
            _ => {}
        }
        match rr {
            Repr::Int => {
                let x = self.arg_as(&op.args[0], &Repr::Int);
                let y = self.arg_as(&op.args[1], &Repr::Int);
                let ovf = self.rt.ovf_vars.contains(&(self.gid, op.result));
                let k = y.as_const().and_then(|k| k.as_signed());
                let ty = TypeId::SIGNED;
                match b {
                    BinOp::Add if ovf => self.helper(Helper::IntAddOvf, vec![x, y]),
                    BinOp::Sub if ovf => self.helper(Helper::IntSubOvf, vec![x, y]),
                    BinOp::Mul if ovf => self.helper(Helper::IntMulOvf, vec![x, y]),
                    BinOp::LShift if ovf => self.helper(Helper::IntLshiftOvf, vec![x, y]),
                    BinOp::FloorDiv if ovf => self.helper(Helper::IntFloorDivOvf, vec![x, y]),
                    BinOp::Add => self.genop(LlOp::IntAdd, vec![x, y], ty),
                    BinOp::Sub => self.genop(LlOp::IntSub, vec![x, y], ty),
                    BinOp::Mul => self.genop(LlOp::IntMul, vec![x, y], ty),
                    BinOp::BitAnd => self.genop(LlOp::IntAnd, vec![x, y], ty),
                    BinOp::BitOr => self.genop(LlOp::IntOr, vec![x, y], ty),
                    BinOp::BitXor => self.genop(LlOp::IntXor, vec![x, y], ty),
                    BinOp::FloorDiv if k.is_some_and(|k| k != 0) => self.genop(LlOp::IntFloorDiv, vec![x, y], ty),
                    BinOp::Mod if k.is_some_and(|k| k != 0) => self.genop(LlOp::IntMod, vec![x, y], ty),
                    BinOp::FloorDiv => self.helper(Helper::IntFloorDiv, vec![x, y]),
                    BinOp::Mod => self.helper(Helper::IntMod, vec![x, y]),
                    BinOp::LShift if k.is_some_and(|k| (0..64).contains(&k)) => self.genop(LlOp::IntLshift, vec![x, y], ty),
                    BinOp::RShift if k.is_some_and(|k| (0..64).contains(&k)) => self.genop(LlOp::IntRshift, vec![x, y], ty),
                    BinOp::LShift => self.helper(Helper::IntLshift, vec![x, y]),
                    BinOp::RShift => self.helper(Helper::IntRshift, vec![x, y]),
                    BinOp::Pow => self.helper(Helper::IntPow, vec![x, y]),
                    BinOp::TrueDiv => self.unsupported("int true division with an int result"),
                }
            }
            Repr::Uint => {
                let x = self.arg_as(&op.args[0], &Repr::Uint);
                let y = if matches!(b, BinOp::LShift | BinOp::RShift) { self.arg_as(&op.args[1], &Repr::Int) } else { self.arg_as(&op.args[1], &Repr::Uint) };
                let ty = TypeId::UNSIGNED;
                let opc = match b {
                    BinOp::Add => LlOp::UintAdd,
                    BinOp::Sub => LlOp::UintSub,
                    BinOp::Mul => LlOp::UintMul,
                    BinOp::BitAnd => LlOp::UintAnd,
                    BinOp::BitOr => LlOp::UintOr,
                    BinOp::BitXor => LlOp::UintXor,
                    BinOp::FloorDiv => LlOp::UintFloorDiv,
                    BinOp::Mod => LlOp::UintMod,
                    BinOp::LShift => LlOp::UintLshift,
                    BinOp::RShift => LlOp::UintRshift,
                    _ => return self.unsupported("this r_uint operation"),
                };
                if matches!(b, BinOp::FloorDiv | BinOp::Mod) && !y.as_const().is_some_and(|k| k.to_bits().is_some_and(|b| b != 0)) {
                    let h = if b == BinOp::FloorDiv { Helper::UintFloorDiv } else { Helper::UintMod };
                    return self.helper(h, vec![x, y]);
                }
                // A shift count outside 0..64 is ValueError (negative) or shifts everything
                // out, as under CPython; only a constant count in range is a plain op.
                if matches!(b, BinOp::LShift | BinOp::RShift) && !y.as_const().and_then(|k| k.as_signed()).is_some_and(|k| (0..64).contains(&k)) {
                    let h = if b == BinOp::LShift { Helper::UintLshift } else { Helper::UintRshift };
                    return self.helper(h, vec![x, y]);
                }
                self.genop(opc, vec![x, y], ty)
            }
            Repr::Float => {
                let x = self.arg_as(&op.args[0], &Repr::Float);
                let y = self.arg_as(&op.args[1], &Repr::Float);
                let ty = TypeId::FLOAT;
                match b {
                    BinOp::Add => self.genop(LlOp::FloatAdd, vec![x, y], ty),
                    BinOp::Sub => self.genop(LlOp::FloatSub, vec![x, y], ty),
                    BinOp::Mul => self.genop(LlOp::FloatMul, vec![x, y], ty),
                    BinOp::TrueDiv => {
                        let ints = !matches!(self.opnd_repr(&op.args[0]), Repr::Float) && !matches!(self.opnd_repr(&op.args[1]), Repr::Float);
                        self.helper(Helper::FloatTrueDiv { ints }, vec![x, y])
                    }
                    BinOp::FloorDiv => self.rtcall(RtFn::FloatFloorDiv, vec![x, y], ty),
                    BinOp::Mod => self.rtcall(RtFn::FloatMod, vec![x, y], ty),
                    BinOp::Pow => self.rtcall(RtFn::FloatPow, vec![x, y], ty),
                    _ => self.unsupported(&format!("float '{}'", b.symbol())),
                }
            }
            Repr::Bool => {
                let x = self.arg_as(&op.args[0], &Repr::Int);
                let y = self.arg_as(&op.args[1], &Repr::Int);
                let opc = match b {
                    BinOp::BitAnd => LlOp::IntAnd,
                    BinOp::BitOr => LlOp::IntOr,
                    _ => LlOp::IntXor,
                };
                let r = self.genop(opc, vec![x, y], TypeId::SIGNED);
                self.genop(LlOp::IntIsTrue, vec![r], TypeId::BOOL)
            }
            Repr::Str => match b {
                BinOp::Add => {
                    let x = self.arg_as(&op.args[0], &Repr::Str);
                    let y = self.arg_as(&op.args[1], &Repr::Str);
                    self.rtcall(RtFn::StrConcat, vec![x, y], TypeId::STR_PTR)
                }
                _ => self.unsupported(&format!("str '{}'", b.symbol())),
            },
            _ => {
                let _ = ra;
                self.unsupported(&format!("'{}' on these types", b.symbol()))
            }
        }
    }

    /// The truth value of an operand, as a Bool.
    pub fn truth(&mut self, o: &Opnd) -> LlValue {
        let (x, r) = self.arg(o);
        match r {
            Repr::Bool => x,
            Repr::Int => self.genop(LlOp::IntIsTrue, vec![x], TypeId::BOOL),
            Repr::Uint => self.genop(LlOp::UintNe, vec![x, c(LlConst::Unsigned(0))], TypeId::BOOL),
            Repr::Float => self.genop(LlOp::FloatIsTrue, vec![x], TypeId::BOOL),
            Repr::FloatOrBool => self.convert(x, &Repr::FloatOrBool, &Repr::Bool),
            Repr::Char => c(LlConst::Bool(true)),
            Repr::Void => {
                let truth = match o {
                    Opnd::Const(v) => kiln_frontend::ops::truth(&self.rt.prog.heap, v),
                    Opnd::Var(v) => !matches!(self.ann(*v), SomeValue::None_ | SomeValue::Impossible),
                };
                c(LlConst::Bool(truth))
            }
            Repr::Str => self.helper(Helper::StrIsTrue, vec![x]),
            Repr::List(lr) => {
                let strukt = lr.strukt;
                self.helper(Helper::LenIsTrue { strukt, field: 0 }, vec![x])
            }
            Repr::Dict(dr) => {
                let strukt = dr.strukt;
                self.helper(Helper::LenIsTrue { strukt, field: 1 }, vec![x])
            }
            Repr::Tuple(t) => c(LlConst::Bool(!t.items.is_empty())),
            Repr::Instance { .. } | Repr::ClassOf { .. } | Repr::Iter(_) | Repr::Func(_) => self.genop(LlOp::PtrNonNull, vec![x], TypeId::BOOL),
        }
    }

    /// Whether an operand is None (the constant, or a variable that can only be None).
    fn is_none(&self, o: &Opnd) -> bool {
        match o {
            Opnd::Const(Value::None) => true,
            Opnd::Const(_) => false,
            Opnd::Var(v) => matches!(self.ann(*v), SomeValue::None_),
        }
    }

    fn compare(&mut self, op: &Operation<Hl>, cmp: CmpOp) -> LlValue {
        let ra = self.opnd_repr(&op.args[0]);
        let rb = self.opnd_repr(&op.args[1]);
        // Decided by the annotator (e.g. `x is None` when x cannot be None).
        if let SomeValue::Bool { konst: Some(k) } = self.ann(op.result) {
            let k = *k;
            return c(LlConst::Bool(k));
        }
        let bool_op = |b: bool| if b { LlOp::PtrIsNull } else { LlOp::PtrNonNull };
        match cmp {
            CmpOp::Is | CmpOp::IsNot | CmpOp::Eq | CmpOp::Ne if ra.is_void() != rb.is_void() && !(self.is_none(&op.args[0]) || self.is_none(&op.args[1])) => {
                // A constant with no run-time representation (one function, one class)
                // against a variable that may hold it: compare with its pointer.
                let positive = matches!(cmp, CmpOp::Is | CmpOp::Eq);
                let (k, other) = if ra.is_void() { (&op.args[0], &op.args[1]) } else { (&op.args[1], &op.args[0]) };
                let (x, xr) = self.arg(other);
                if !xr.is_ptr() {
                    return c(LlConst::Bool(!positive));
                }
                let y = self.arg_as(k, &xr);
                let eq = self.genop(LlOp::PtrEq, vec![x, y], TypeId::BOOL);
                if positive {
                    eq
                } else {
                    self.genop(LlOp::BoolNot, vec![eq], TypeId::BOOL)
                }
            }
            CmpOp::Is | CmpOp::IsNot | CmpOp::Eq | CmpOp::Ne if ra.is_void() || rb.is_void() => {
                // Comparison with None: a null test on the other side.
                let positive = matches!(cmp, CmpOp::Is | CmpOp::Eq);
                let other = if ra.is_void() { &op.args[1] } else { &op.args[0] };
                let (x, xr) = self.arg(other);
                if xr.is_ptr() {
                    return self.genop(bool_op(positive), vec![x], TypeId::BOOL);
                }
                c(LlConst::Bool(xr.is_void() == positive))
            }
            CmpOp::In | CmpOp::NotIn => {
                let r = match &rb {
                    Repr::Tuple(tr) => {
                        let tr = tr.clone();
                        let (item, ir) = self.arg(&op.args[0]);
                        let (t, _) = self.arg(&op.args[1]);
                        let mut acc = c(LlConst::Bool(false));
                        for (i, er) in tr.items.iter().enumerate() {
                            let f = FieldRef { strukt: tr.strukt, index: i as u32 };
                            let e = if er.is_void() { c(LlConst::Void) } else { self.genop(LlOp::GetField(f), vec![t.clone()], er.lltype()) };
                            let eq = self.equal(item.clone(), &ir, e, er);
                            let a = self.genop(LlOp::CastBoolToInt, vec![acc], TypeId::SIGNED);
                            let b2 = self.genop(LlOp::CastBoolToInt, vec![eq], TypeId::SIGNED);
                            let o = self.genop(LlOp::IntOr, vec![a, b2], TypeId::SIGNED);
                            acc = self.genop(LlOp::IntIsTrue, vec![o], TypeId::BOOL);
                        }
                        acc
                    }
                    Repr::Str | Repr::Char => {
                        let hay = self.arg_as(&op.args[1], &Repr::Str);
                        let needle = self.arg_as(&op.args[0], &Repr::Str);
                        self.rtcall(RtFn::StrContains, vec![hay, needle], TypeId::BOOL)
                    }
                    Repr::List(lr) => {
                        let lr = lr.clone();
                        let (l, _) = self.arg(&op.args[1]);
                        self.list_contains(l, &lr, &op.args[0])
                    }
                    Repr::Dict(dr) => {
                        let dr = dr.clone();
                        let (d, _) = self.arg(&op.args[1]);
                        self.dict_contains(d, &dr, &op.args[0])
                    }
                    _ => return self.unsupported("'in' on this container"),
                };
                if cmp == CmpOp::NotIn {
                    self.genop(LlOp::BoolNot, vec![r], TypeId::BOOL)
                } else {
                    r
                }
            }
            CmpOp::Is | CmpOp::IsNot => {
                let (x, xr) = self.arg(&op.args[0]);
                let (y, yr) = self.arg(&op.args[1]);
                let eq = if xr.is_ptr() && yr.is_ptr() {
                    let y = self.cast(y, xr.lltype());
                    self.genop(LlOp::PtrEq, vec![x, y], TypeId::BOOL)
                } else {
                    self.equal(x, &xr, y, &yr)
                };
                if cmp == CmpOp::IsNot {
                    self.genop(LlOp::BoolNot, vec![eq], TypeId::BOOL)
                } else {
                    eq
                }
            }
            CmpOp::Eq | CmpOp::Ne => {
                let (x, xr) = self.arg(&op.args[0]);
                let (y, yr) = self.arg(&op.args[1]);
                let eq = self.equal(x, &xr, y, &yr);
                if cmp == CmpOp::Ne {
                    self.genop(LlOp::BoolNot, vec![eq], TypeId::BOOL)
                } else {
                    eq
                }
            }
            CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
                let num = |r: &Repr| matches!(r, Repr::Bool | Repr::Int | Repr::Uint | Repr::Float | Repr::FloatOrBool);
                if num(&ra) && num(&rb) {
                    let common = if crate::rboolfloat::is_floatish(&ra) || crate::rboolfloat::is_floatish(&rb) {
                        Repr::Float
                    } else if ra == Repr::Uint || rb == Repr::Uint {
                        Repr::Uint
                    } else {
                        Repr::Int
                    };
                    let x = self.arg_as(&op.args[0], &common);
                    let y = self.arg_as(&op.args[1], &common);
                    let o = match (&common, cmp) {
                        (Repr::Float, CmpOp::Lt) => LlOp::FloatLt,
                        (Repr::Float, CmpOp::Le) => LlOp::FloatLe,
                        (Repr::Float, CmpOp::Gt) => LlOp::FloatGt,
                        (Repr::Float, _) => LlOp::FloatGe,
                        (Repr::Uint, CmpOp::Lt) => LlOp::UintLt,
                        (Repr::Uint, CmpOp::Le) => LlOp::UintLe,
                        (Repr::Uint, CmpOp::Gt) => LlOp::UintGt,
                        (Repr::Uint, _) => LlOp::UintGe,
                        (_, CmpOp::Lt) => LlOp::IntLt,
                        (_, CmpOp::Le) => LlOp::IntLe,
                        (_, CmpOp::Gt) => LlOp::IntGt,
                        _ => LlOp::IntGe,
                    };
                    return self.genop(o, vec![x, y], TypeId::BOOL);
                }
                if ra == Repr::Char && rb == Repr::Char {
                    let (x, _) = self.arg(&op.args[0]);
                    let (y, _) = self.arg(&op.args[1]);
                    let o = match cmp {
                        CmpOp::Lt => LlOp::UniCharLt,
                        CmpOp::Le => LlOp::UniCharLe,
                        CmpOp::Gt => LlOp::UniCharGt,
                        _ => LlOp::UniCharGe,
                    };
                    return self.genop(o, vec![x, y], TypeId::BOOL);
                }
                if matches!(ra, Repr::Str | Repr::Char) && matches!(rb, Repr::Str | Repr::Char) {
                    let x = self.arg_as(&op.args[0], &Repr::Str);
                    let y = self.arg_as(&op.args[1], &Repr::Str);
                    let d = self.rtcall(RtFn::StrCmp, vec![x, y], TypeId::SIGNED);
                    let o = match cmp {
                        CmpOp::Lt => LlOp::IntLt,
                        CmpOp::Le => LlOp::IntLe,
                        CmpOp::Gt => LlOp::IntGt,
                        _ => LlOp::IntGe,
                    };
                    return self.genop(o, vec![d, c(LlConst::Signed(0))], TypeId::BOOL);
                }
                if matches!((&ra, &rb), (Repr::Tuple(_), Repr::Tuple(_)) | (Repr::List(_), Repr::List(_))) {
                    let (x, xr) = self.arg(&op.args[0]);
                    let (y, _) = self.arg(&op.args[1]);
                    let y = self.cast(y, xr.lltype());
                    let (wx, wy) = (self.to_word(x, &xr), self.to_word(y, &xr));
                    let d = self.desc_of(&xr);
                    let r = self.rtcall(RtFn::Cmp, vec![wx, wy, d], TypeId::SIGNED);
                    let o = match cmp {
                        CmpOp::Lt => LlOp::IntLt,
                        CmpOp::Le => LlOp::IntLe,
                        CmpOp::Gt => LlOp::IntGt,
                        _ => LlOp::IntGe,
                    };
                    return self.genop(o, vec![r, c(LlConst::Signed(0))], TypeId::BOOL);
                }
                self.unsupported("ordering comparison of these types")
            }
        }
    }

    /// `x == y` for values of compatible representations.
    pub fn equal(&mut self, x: LlValue, xr: &Repr, y: LlValue, yr: &Repr) -> LlValue {
        let num = |r: &Repr| matches!(r, Repr::Bool | Repr::Int | Repr::Uint | Repr::Float | Repr::FloatOrBool);
        if num(xr) && num(yr) {
            // A float-or-bool compares as its number (`True == 1.0`).
            if crate::rboolfloat::is_floatish(xr) || crate::rboolfloat::is_floatish(yr) {
                let a = self.convert(x, xr, &Repr::Float);
                let b = self.convert(y, yr, &Repr::Float);
                return self.genop(LlOp::FloatEq, vec![a, b], TypeId::BOOL);
            }
            if *xr == Repr::Bool && *yr == Repr::Bool {
                return self.genop(LlOp::BoolEq, vec![x, y], TypeId::BOOL);
            }
            let common = if *xr == Repr::Uint || *yr == Repr::Uint { Repr::Uint } else { Repr::Int };
            let a = self.convert(x, xr, &common);
            let b = self.convert(y, yr, &common);
            return self.genop(if common == Repr::Uint { LlOp::UintEq } else { LlOp::IntEq }, vec![a, b], TypeId::BOOL);
        }
        match (xr, yr) {
            (Repr::Char, Repr::Char) => self.genop(LlOp::UniCharEq, vec![x, y], TypeId::BOOL),
            (Repr::Str | Repr::Char, Repr::Str | Repr::Char) => {
                let a = self.convert(x, xr, &Repr::Str);
                let b = self.convert(y, yr, &Repr::Str);
                self.rtcall(RtFn::StrEq, vec![a, b], TypeId::BOOL)
            }
            (Repr::Void, Repr::Void) => c(LlConst::Bool(true)),
            (Repr::Tuple(ta), Repr::Tuple(tb)) if ta.items.len() == tb.items.len() => {
                let (ta, tb) = (ta.clone(), tb.clone());
                let mut acc = c(LlConst::Bool(true));
                for i in 0..ta.items.len() {
                    let (ia, ib) = (&ta.items[i], &tb.items[i]);
                    let ea = if ia.is_void() { c(LlConst::Void) } else { self.genop(LlOp::GetField(FieldRef { strukt: ta.strukt, index: i as u32 }), vec![x.clone()], ia.lltype()) };
                    let eb = if ib.is_void() { c(LlConst::Void) } else { self.genop(LlOp::GetField(FieldRef { strukt: tb.strukt, index: i as u32 }), vec![y.clone()], ib.lltype()) };
                    let e = self.equal(ea, ia, eb, ib);
                    let a = self.genop(LlOp::CastBoolToInt, vec![acc], TypeId::SIGNED);
                    let b = self.genop(LlOp::CastBoolToInt, vec![e], TypeId::SIGNED);
                    let both = self.genop(LlOp::IntAnd, vec![a, b], TypeId::SIGNED);
                    acc = self.genop(LlOp::IntIsTrue, vec![both], TypeId::BOOL);
                }
                acc
            }
            (Repr::List(_), Repr::List(_)) | (Repr::Dict(_), Repr::Dict(_)) => {
                let y = self.cast(y, xr.lltype());
                let (wx, wy) = (self.to_word(x, xr), self.to_word(y, xr));
                let d = self.desc_of(xr);
                self.rtcall(RtFn::Eq, vec![wx, wy, d], TypeId::BOOL)
            }
            (a, b) if a.is_ptr() && b.is_ptr() => {
                let y = self.cast(y, a.lltype());
                self.genop(LlOp::PtrEq, vec![x, y], TypeId::BOOL)
            }
            _ => c(LlConst::Bool(false)),
        }
    }

    fn getitem(&mut self, op: &Operation<Hl>, rr: &Repr) -> LlValue {
        let (x, xr) = self.arg(&op.args[0]);
        match &xr {
            Repr::List(lr) => {
                let lr = lr.clone();
                let nonneg = match &op.args[1] {
                    Opnd::Var(v) => self.ann(*v).is_nonneg(),
                    Opnd::Const(Value::Int(k)) => *k >= 0,
                    _ => false,
                };
                let i = self.arg_as(&op.args[1], &Repr::Int);
                let raw = self.helper(Helper::ListGetItem { strukt: lr.strukt, array: lr.array, storage: lr.storage, nonneg, tuple: false }, vec![x, i]);
                self.from_storage(raw, &lr.item, rr)
            }
            Repr::Str | Repr::Char => {
                let s = self.convert(x, &xr, &Repr::Str);
                let i = self.arg_as(&op.args[1], &Repr::Int);
                // Indexing bytes (annotated an int, not a char): the byte is the code point.
                if matches!(rr, Repr::Int) && self.is_bytes(&op.args[0]) {
                    return self.helper(Helper::BytesGetItem, vec![s, i]);
                }
                self.helper(Helper::StrGetItem, vec![s, i])
            }
            Repr::Tuple(tr) => {
                let tr = tr.clone();
                let Some(k) = op.args[1].as_const().and_then(|v| if let Value::Int(i) = v { Some(*i) } else { None }).or_else(|| match &op.args[1] {
                    Opnd::Var(v) => self.ann(*v).const_int(),
                    _ => None,
                }) else {
                    // A constant tuple indexed at run time: read it as a prebuilt list.
                    let Opnd::Const(tv) = &op.args[0] else { return self.unsupported("indexing a non-constant tuple by a variable") };
                    let tv = tv.clone();
                    let lr = self.rt.list_repr(rr.clone());
                    let list = self.constant(&tv, &Repr::List(lr.clone()));
                    let i = self.arg_as(&op.args[1], &Repr::Int);
                    let nonneg = match &op.args[1] {
                        Opnd::Var(v) => self.ann(*v).is_nonneg(),
                        _ => false,
                    };
                    let raw = self.helper(Helper::ListGetItem { strukt: lr.strukt, array: lr.array, storage: lr.storage, nonneg, tuple: true }, vec![list, i]);
                    return self.from_storage(raw, &lr.item, rr);
                };
                let n = tr.items.len() as i64;
                let j = if k < 0 { k + n } else { k } as usize;
                let ir = tr.items[j].clone();
                if ir.is_void() {
                    return c(LlConst::Void);
                }
                let v = self.genop(LlOp::GetField(FieldRef { strukt: tr.strukt, index: j as u32 }), vec![x], ir.lltype());
                self.convert(v, &ir, rr)
            }
            Repr::Dict(dr) => {
                let dr = dr.clone();
                self.dict_getitem(x, &dr, &op.args[1], rr)
            }
            _ => self.unsupported("indexing this type"),
        }
    }

    fn setitem(&mut self, op: &Operation<Hl>) -> LlValue {
        let (x, xr) = self.arg(&op.args[0]);
        match &xr {
            Repr::List(lr) => {
                let lr = lr.clone();
                let nonneg = match &op.args[1] {
                    Opnd::Var(v) => self.ann(*v).is_nonneg(),
                    Opnd::Const(Value::Int(k)) => *k >= 0,
                    _ => false,
                };
                let i = self.arg_as(&op.args[1], &Repr::Int);
                let item = self.arg_as(&op.args[2], &lr.item);
                let stored = self.to_storage(item, &lr.item);
                self.helper(Helper::ListSetItem { strukt: lr.strukt, array: lr.array, storage: lr.storage, nonneg, tuple: false }, vec![x, i, stored]);
                c(LlConst::Void)
            }
            Repr::Dict(dr) => {
                let dr = dr.clone();
                self.dict_setitem(x, &dr, &op.args[1], &op.args[2])
            }
            _ => self.unsupported("item assignment on this type"),
        }
    }

    /// A list item read from its 8-byte storage, as representation `to`.
    pub fn from_storage(&mut self, raw: LlValue, item: &Repr, to: &Repr) -> LlValue {
        let v = match item {
            Repr::Bool => self.genop(LlOp::IntIsTrue, vec![raw], TypeId::BOOL),
            Repr::Char => self.genop(LlOp::CastIntToUniChar, vec![raw], TypeId::UNICHAR),
            Repr::Uint => self.genop(LlOp::CastIntToUint, vec![raw], TypeId::UNSIGNED),
            Repr::Void => c(LlConst::Void),
            _ => raw,
        };
        self.convert(v, item, to)
    }

    /// A list item in its 8-byte storage form.
    pub fn to_storage(&mut self, v: LlValue, item: &Repr) -> LlValue {
        match item {
            Repr::Bool => self.genop(LlOp::CastBoolToInt, vec![v], TypeId::SIGNED),
            Repr::Char => self.genop(LlOp::CastUniCharToInt, vec![v], TypeId::SIGNED),
            Repr::Uint => self.genop(LlOp::CastUintToInt, vec![v], TypeId::SIGNED),
            Repr::Void => c(LlConst::Signed(0)),
            _ => v,
        }
    }

    /// A new list holding `items` (already in the item representation).
    pub fn new_list(&mut self, lr: &crate::repr::ListRepr, items: Vec<LlValue>) -> LlValue {
        let n = items.len() as i64;
        let l = self.genop(LlOp::Malloc, vec![], lr.ptr);
        let aptr = self.rt.ll.types.ptr(lr.array);
        let arr = self.genop(LlOp::MallocVarsize, vec![c(LlConst::Signed(n))], aptr);
        self.genop(LlOp::SetField(FieldRef { strukt: lr.strukt, index: 0 }), vec![l.clone(), c(LlConst::Signed(n))], TypeId::VOID);
        self.genop(LlOp::SetField(FieldRef { strukt: lr.strukt, index: 1 }), vec![l.clone(), arr.clone()], TypeId::VOID);
        for (i, it) in items.into_iter().enumerate() {
            let s = self.to_storage(it, &lr.item);
            self.genop(LlOp::SetArrayItem, vec![arr.clone(), c(LlConst::Signed(i as i64)), s], TypeId::VOID);
        }
        l
    }

    fn getattr(&mut self, op: &Operation<Hl>, name: &str, rr: &Repr) -> LlValue {
        let (x, xr) = self.arg(&op.args[0]);
        let result_ann = self.ann(op.result).clone();
        self.getattr_value(x, &xr, name, &result_ann, rr)
    }

    /// `isinstance(x, classes)` as range checks on the class id in x's vtable.
    pub fn isinstance_check(&mut self, x: LlValue, xr: &Repr, classes: &[kiln_frontend::ObjId], nullable: bool) -> LlValue {
        if !xr.is_ptr() {
            return c(LlConst::Bool(false));
        }
        let id = if nullable {
            let o = self.cast(x, TypeId::OBJECT_PTR);
            self.helper(crate::Helper::ClassIdOrNone, vec![o])
        } else {
            let t = self.genop(LlOp::GetField(FieldRef { strukt: TypeId::OBJECT, index: 0 }), vec![x], TypeId::VTABLE_PTR);
            // A class without subclasses has one vtable: comparing the pointer to it saves
            // the load of the class id (the type checks of a VM's values, `W_Int`...).
            if let [cls] = classes {
                if let Some(ci) = self.rt.class_of_obj(*cls) {
                    let (lo, hi) = self.rt.classes[ci].range;
                    if hi == lo + 1 && self.rt.classes[ci].vtable.is_some() {
                        let vt = self.rt.vtable_const(ci, TypeId::VTABLE_PTR);
                        return self.genop(LlOp::PtrEq, vec![t, c(vt)], TypeId::BOOL);
                    }
                }
            }
            self.genop(LlOp::GetField(FieldRef { strukt: TypeId::VTABLE, index: 0 }), vec![t], TypeId::SIGNED)
        };
        let mut acc: Option<LlValue> = None;
        for cls in classes {
            let Some(ci) = self.rt.class_of_obj(*cls) else { continue };
            let (lo, hi) = self.rt.classes[ci].range;
            let m = self.genop(LlOp::IntBetween, vec![c(LlConst::Signed(lo)), id.clone(), c(LlConst::Signed(hi))], TypeId::BOOL);
            acc = Some(match acc {
                None => m,
                Some(prev) => {
                    let a = self.genop(LlOp::CastBoolToInt, vec![prev], TypeId::SIGNED);
                    let b = self.genop(LlOp::CastBoolToInt, vec![m], TypeId::SIGNED);
                    let o = self.genop(LlOp::IntOr, vec![a, b], TypeId::SIGNED);
                    self.genop(LlOp::IntIsTrue, vec![o], TypeId::BOOL)
                }
            });
        }
        acc.unwrap_or(c(LlConst::Bool(false)))
    }

    fn lower_call(&mut self, op: &Operation<Hl>, rr: &Repr, nkw: usize) -> LlValue {
        let site = (self.gid, self.site.0, self.site.1);
        let target = self.rt.ann.call_targets.get(&site).cloned();
        match target {
            Some(CallTarget::Graphs(gids)) if gids.len() == 1 => {
                let gid = gids[0];
                let args: Vec<kiln_flowspace::Opnd> = op.args[1..].to_vec();
                self.call_graph(gid, &args, rr)
            }
            Some(CallTarget::Graphs(_)) => {
                let (f, fr) = self.callee(op);
                let Repr::Func(fr) = fr else { return self.unsupported("calling one of several functions through a variable") };
                let fr = fr.clone();
                let mut ll_args = vec![f];
                for (a, pr) in op.args[1..].iter().zip(fr.params.iter()) {
                    if pr.is_void() {
                        continue;
                    }
                    ll_args.push(self.arg_as(a, pr));
                }
                let v = self.genop(LlOp::IndirectCall, ll_args, fr.ret.lltype());
                if fr.ret.is_void() {
                    return c(LlConst::Void);
                }
                self.convert(v, &fr.ret, rr)
            }
            Some(CallTarget::BoundMethod { name, graphs }) => {
                let rest = self.method_args(op);
                let (recv, recv_r) = self.callee(op);
                if graphs.len() == 1 {
                    return self.call_graph_on(graphs[0], (recv, recv_r), &rest, rr);
                }
                self.virtual_call_ll(recv, &recv_r, &name, &rest, rr)
            }
            Some(CallTarget::InstantiateFamily(members)) => self.instantiate_family(op, &members, rr),
            Some(CallTarget::Builtin(b)) => self.lower_builtin(op, b, rr, nkw),
            Some(CallTarget::Type(t)) => self.lower_type_call(op, t, rr),
            Some(CallTarget::Instantiate { class, init }) => self.instantiate(op, class, init),
            Some(CallTarget::ValueMethod) | Some(CallTarget::JitHint) | None => {
                self.internal(format!("no call target recorded for {}", op.op.name()));
                c(LlConst::Void)
            }
        }
    }

    /// The called value of a call operation: its first argument, or the attribute read
    /// for an `obj.attr(...)` call of a callable attribute.
    fn callee(&mut self, op: &Operation<Hl>) -> (LlValue, Repr) {
        match self.callee_override.clone() {
            Some(c) => c,
            None => self.arg(&op.args[0]),
        }
    }

    /// [`Self::call_graph`] with the first argument already lowered (a bound method's
    /// receiver).
    fn call_graph_on(&mut self, gid: kiln_annotator::GraphId, first: (LlValue, Repr), rest: &[Opnd], rr: &Repr) -> LlValue {
        self.call_graph_with(gid, Some(first), rest, rr)
    }

    /// A direct call to an annotated graph, converting arguments to its parameters.
    pub fn call_graph(&mut self, gid: kiln_annotator::GraphId, args: &[kiln_flowspace::Opnd], rr: &Repr) -> LlValue {
        self.call_graph_with(gid, None, args, rr)
    }

    fn call_graph_with(&mut self, gid: kiln_annotator::GraphId, first: Option<(LlValue, Repr)>, args: &[Opnd], rr: &Repr) -> LlValue {
        let f = self.rt.funcs[&gid];
        let (params, ret_r) = self.rt.signature_of(gid);
        let mut params = params.iter();
        let mut ll_args = Vec::new();
        if let Some((v, r)) = first {
            if let Some(p0) = params.next().filter(|p| !p.is_void()) {
                ll_args.push(self.convert(v, &r, p0));
            }
        }
        for (pr, a) in params.zip(args) {
            if pr.is_void() {
                continue;
            }
            ll_args.push(self.arg_as(a, pr));
        }
        let v = self.call(f, ll_args);
        if ret_r.is_void() {
            return c(LlConst::Void);
        }
        self.convert(v, &ret_r, rr)
    }

    fn lower_call_method(&mut self, op: &Operation<Hl>, name: &str, rr: &Repr, nkw: usize) -> LlValue {
        let site = (self.gid, self.site.0, self.site.1);
        if let Some(callee_ann) = self.rt.ann.attr_calls.get(&site).cloned() {
            // `obj.attr(...)` where attr holds a callable: read it, then call it.
            let (x, xr) = self.arg(&op.args[0]);
            let cr = self.rt.repr_of(&callee_ann);
            let v = self.getattr_value(x, &xr, name, &callee_ann, &cr);
            self.callee_override = Some((v, cr));
            let r = self.lower_call(op, rr, nkw);
            self.callee_override = None;
            return r;
        }
        let recv_ann = match op.args.first() {
            Some(Opnd::Var(v)) => Some(self.ann(*v).clone()),
            _ => None,
        };
        let reaches_missing = self.rt.call_reaches_missing_method(recv_ann.as_ref(), name);
        match self.rt.ann.call_targets.get(&site).cloned() {
            Some(CallTarget::Graphs(gids)) if gids.len() == 1 && !reaches_missing => {
                let mut args = vec![op.args[0].clone()];
                args.extend(self.method_args(op));
                self.call_graph(gids[0], &args, rr)
            }
            Some(CallTarget::Graphs(_)) => {
                let rest = self.method_args(op);
                self.virtual_call(name, &op.args[0], &rest, rr)
            }
            Some(CallTarget::JitHint) => self.lower_jit_marker(op, name),
            Some(CallTarget::ValueMethod) => self.lower_value_method(op, name, rr, nkw),
            _ => {
                self.internal(format!("no call target recorded for method '{name}'"));
                c(LlConst::Void)
            }
        }
    }

    /// A method call's arguments after the receiver, as the callee's parameters take
    /// them: keyword arguments in place and defaults filled in (the annotator's binding).
    fn method_args(&self, op: &Operation<Hl>) -> Vec<Opnd> {
        let site = (self.gid, self.site.0, self.site.1);
        match self.rt.ann.call_args.get(&site) {
            Some(bound) => bound
                .iter()
                .map(|src| match src {
                    kiln_annotator::ArgSource::Arg(i) => op.args[1 + i].clone(),
                    kiln_annotator::ArgSource::Const(v) => Opnd::Const(v.clone()),
                })
                .collect(),
            None => op.args[1..].to_vec(),
        }
    }

    fn instantiate(&mut self, op: &Operation<Hl>, cdef: kiln_annotator::ClassDefId, init: Option<kiln_annotator::GraphId>) -> LlValue {
        let ci = self.rt.class_of_cdef(cdef);
        let ptr = self.rt.classes[ci].inst_ptr;
        let p = self.genop(LlOp::Malloc, vec![], ptr);
        // The vtable, then class-level values of instance attributes as initial values.
        for (f, k) in self.rt.instance_defaults(ci) {
            self.genop(LlOp::SetField(f), vec![p.clone(), c(k)], TypeId::VOID);
        }
        let is_exc = self.rt.is_exception_class(self.rt.classes[ci].class);
        let key_error = self.rt.is_key_error_class(self.rt.classes[ci].class);
        match init {
            Some(g) => {
                // An exception's message is str() of its constructor arguments, as
                // CPython's `args`, whatever its own __init__ does with them; a call of
                // the base class's __init__ inside it replaces the message.
                if is_exc {
                    self.set_exc_message(&p, &op.args[1..], key_error);
                }
                // __init__(self, args...): self is the new instance.
                let f = self.rt.funcs[&g];
                let (params, _) = self.rt.signature_of(g);
                let inst_r = Repr::Instance { cdef, ptr };
                let mut ll_args = vec![self.convert(p.clone(), &inst_r, &params[0])];
                let args = self.method_args(op);
                for (pr, a) in params[1..].iter().zip(&args) {
                    if pr.is_void() {
                        continue;
                    }
                    ll_args.push(self.arg_as(a, pr));
                }
                self.call(f, ll_args);
            }
            None => {
                // Built-in exception construction: the message is str() of the argument;
                // OSError(errno, message) also stores the errno.
                let args = &op.args[1..];
                let os = self.rt.classes[ci].inst_struct == TypeId::OS_ERROR;
                if os && args.len() == 2 {
                    self.set_exc_message(&p, &args[1..], false);
                } else if is_exc {
                    self.set_exc_message(&p, args, key_error);
                }
                if os && args.len() == 2 {
                    let n = self.arg_as(&args[0], &Repr::Int);
                    let e = self.cast(p.clone(), TypeId::OS_ERROR_PTR);
                    self.genop(LlOp::SetField(FieldRef { strukt: TypeId::OS_ERROR, index: 2 }), vec![e, n], TypeId::VOID);
                }
            }
        }
        p
    }

    /// Calling a variable holding one of several classes: the class's allocator from
    /// its vtable, then `__init__` through the vtable when the classes define one.
    fn instantiate_family(&mut self, op: &Operation<Hl>, members: &[(kiln_annotator::ClassDefId, Option<kiln_annotator::GraphId>)], rr: &Repr) -> LlValue {
        let Repr::Instance { cdef: root_cdef, .. } = self.result_repr(op) else {
            self.internal("a class family's instance has no instance representation".to_string());
            return c(LlConst::Void);
        };
        let root = self.rt.class_of_cdef(root_cdef);
        let Some((slot_root, slot)) = self.rt.find_slot(root, crate::rmethod::ALLOC_SLOT) else {
            self.internal("no allocator slot for a class family".to_string());
            return c(LlConst::Void);
        };
        let (cls, _) = self.callee(op);
        let vt = self.cast(cls, self.rt.classes[slot_root].vtable_ptr);
        let crate::rmethod::SlotKind::Alloc { fptr } = slot.kind else {
            self.internal("the allocator slot holds something else".to_string());
            return c(LlConst::Void);
        };
        let f = self.genop(LlOp::GetField(slot.field), vec![vt], fptr);
        let root_ptr = self.rt.classes[slot_root].inst_ptr;
        let p = self.genop(LlOp::IndirectCall, vec![f], root_ptr);
        let Some(root_cdef) = self.rt.classes[slot_root].cdef else {
            self.internal("a class family rooted at a class without a classdef".to_string());
            return c(LlConst::Void);
        };
        let root_r = Repr::Instance { cdef: root_cdef, ptr: root_ptr };
        let args = self.method_args(op);
        if self.rt.is_exception_class(self.rt.classes[slot_root].class) {
            let key_error = self.rt.is_key_error_class(self.rt.classes[slot_root].class);
            self.set_exc_message(&p, &args, key_error);
        }
        if members.iter().any(|(_, init)| init.is_some()) {
            self.virtual_call_ll(p.clone(), &root_r, "__init__", &args, &Repr::Void);
        }
        self.convert(p, &root_r, rr)
    }

    /// Stores str() of an exception's arguments as its message: nothing for no
    /// arguments, str(a) for one (repr(a) for a KeyError, `key_error`), the tuple's repr
    /// for several (CPython's `str(e)`).
    pub(crate) fn set_exc_message(&mut self, exc: &LlValue, args: &[Opnd], key_error: bool) {
        let msg = match args {
            [] => return,
            [a] if key_error => {
                let (x, r) = self.arg(a);
                self.value_repr(x, &r)
            }
            [a] => self.to_str(a),
            _ => {
                let mut acc = c(self.rt.ll.str_const("("));
                for (i, a) in args.iter().enumerate() {
                    let (x, r) = self.arg(a);
                    let piece = self.value_repr(x, &r);
                    acc = self.rtcall(RtFn::StrConcat, vec![acc, piece], TypeId::STR_PTR);
                    let sep = if i + 1 < args.len() { ", " } else { ")" };
                    let sep = c(self.rt.ll.str_const(sep));
                    acc = self.rtcall(RtFn::StrConcat, vec![acc, sep], TypeId::STR_PTR);
                }
                acc
            }
        };
        let e = self.cast(exc.clone(), TypeId::BASE_EXCEPTION_PTR);
        self.genop(LlOp::SetField(FieldRef { strukt: TypeId::BASE_EXCEPTION, index: 1 }), vec![e, msg], TypeId::VOID);
    }
}

impl<'r, 'a> Lower<'r, 'a> {
    /// `t1 + t2` and `t * n` (n a constant) on tuples: a new tuple of the items.
    fn tuple_binop(&mut self, op: &Operation<Hl>, b: BinOp, tr: &std::sync::Arc<crate::repr::TupleRepr>) -> LlValue {
        let mut items = Vec::new();
        let sources: Vec<kiln_flowspace::Opnd> = match b {
            BinOp::Add => op.args.to_vec(),
            BinOp::Mul => {
                let (t, n) = if matches!(self.opnd_repr(&op.args[0]), Repr::Tuple(_)) { (&op.args[0], &op.args[1]) } else { (&op.args[1], &op.args[0]) };
                let k = match n {
                    Opnd::Const(Value::Int(k)) => *k,
                    Opnd::Var(v) => self.ann(*v).const_int().unwrap_or(0),
                    _ => 0,
                };
                std::iter::repeat_n(t.clone(), k.max(0) as usize).collect()
            }
            _ => return self.unsupported(&format!("tuple '{}'", b.symbol())),
        };
        for src in &sources {
            let (t, r) = self.arg(src);
            let Repr::Tuple(st) = &r else { continue };
            let st = st.clone();
            for (i, ir) in st.items.iter().enumerate() {
                let v = if ir.is_void() { c(LlConst::Void) } else { self.genop(LlOp::GetField(FieldRef { strukt: st.strukt, index: i as u32 }), vec![t.clone()], ir.lltype()) };
                items.push((v, ir.clone()));
            }
        }
        let converted: Vec<LlValue> = items.into_iter().zip(tr.items.iter()).map(|((v, r), to)| self.convert(v, &r, to)).collect();
        self.new_tuple(tr, converted)
    }
}

impl<'r, 'a> Lower<'r, 'a> {
    /// A method call through the receiver's vtable.
    pub fn virtual_call(&mut self, name: &str, recv: &Opnd, args: &[Opnd], rr: &Repr) -> LlValue {
        let (x, xr) = self.arg(recv);
        self.virtual_call_ll(x, &xr, name, args, rr)
    }

    /// [`Self::virtual_call`] on a receiver already lowered.
    pub fn virtual_call_ll(&mut self, x: LlValue, xr: &Repr, name: &str, args: &[Opnd], rr: &Repr) -> LlValue {
        let Repr::Instance { cdef, .. } = xr else { return self.unsupported("this virtual call") };
        let ci = self.rt.class_of_cdef(*cdef);
        let Some((root, slot)) = self.rt.find_slot(ci, name) else {
            self.internal(format!("no vtable slot for method '{name}'"));
            return c(LlConst::Void);
        };
        let crate::rmethod::SlotKind::Method { fptr, params, ret } = slot.kind.clone() else {
            self.internal(format!("slot '{name}' is not a method"));
            return c(LlConst::Void);
        };
        let vt_ptr = self.rt.classes[root].vtable_ptr;
        let t = self.genop(LlOp::GetField(FieldRef { strukt: TypeId::OBJECT, index: 0 }), vec![x.clone()], TypeId::VTABLE_PTR);
        let t = self.cast(t, vt_ptr);
        let f = self.genop(LlOp::GetField(slot.field), vec![t], fptr);
        let mut ll_args = vec![f, self.convert(x, xr, &params[0])];
        for (a, pr) in args.iter().zip(params[1..].iter()) {
            if pr.is_void() {
                continue;
            }
            ll_args.push(self.arg_as(a, pr));
        }
        let v = self.genop(LlOp::IndirectCall, ll_args, ret.lltype());
        if ret.is_void() {
            return c(LlConst::Void);
        }
        self.convert(v, &ret, rr)
    }
}
