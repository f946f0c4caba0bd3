//! Helper graphs: low-level functions the RTyper generates to spell out operations whose
//! Python semantics need control flow (a check that raises, a loop). They are ordinary
//! lltype graphs, so the llinterp, the LLVM backend (which inlines them) and the JIT see
//! exactly the same code. RPython writes these as "ll helpers" in Python; here they are
//! built with `LlBuilder`, once per program and key.

use kiln_abi::BuiltinExc;
use kiln_flowgraph::Span;
use kiln_lltype::builder::{c, int, v, LlBuilder, LlValue};
use kiln_lltype::{FieldRef, FuncId, FuncKind, LlConst, LlFunc, LlOp, RtFn, TypeId};

use crate::RTyper;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Helper {
    /// `str(e)` of an instance of the class or a subclass, some of which define
    /// `__str__` (see `rspecial.rs`).
    StrDispatch(kiln_annotator::ClassDefId),
    /// `a // b` and `a % b`: ZeroDivisionError for b == 0.
    IntFloorDiv,
    IntMod,
    /// The same on r_uint.
    UintFloorDiv,
    UintMod,
    /// Shifts with Python's rules: ValueError for a negative count; counts of 64 and more
    /// shift everything out.
    IntLshift,
    IntRshift,
    /// The same on r_uint (a logical shift; 64 and more give 0 both ways).
    UintLshift,
    UintRshift,
    /// `a ** n` for n >= 0 (ValueError otherwise; RPy ints have no float powers).
    IntPow,
    /// `ovfcheck(a + b)` and friends: OverflowError instead of wrapping.
    IntAddOvf,
    IntSubOvf,
    IntMulOvf,
    IntLshiftOvf,
    /// `ovfcheck(a // b)`: ZeroDivisionError, and OverflowError for MININT // -1.
    IntFloorDivOvf,
    /// `a / b` on floats: ZeroDivisionError for b == 0.0 (`ints`: both operands were
    /// ints, whose message CPython words differently).
    FloatTrueDiv { ints: bool },
    /// `int(f)`: OverflowError for inf, nan and out-of-range values.
    IntFromFloat,
    /// `chr(i)`: ValueError out of range.
    Chr,
    /// `str(b)` for a bool.
    BoolToStr,
    /// `str(x)` for a float that may be a bool (see `rboolfloat.rs`).
    FloatOrBoolToStr,
    /// A possibly-null string as printed: "None" for null.
    OptStr,
    /// `str(e)` of an exception: its message, or "" without one.
    ExcStr,
    /// The class id of a possibly-null instance, -1 for None (outside every class's
    /// range, so `isinstance(None, C)` is false).
    ClassIdOrNone,
    /// `s[i]`: IndexError out of range, negative indices from the end.
    StrGetItem,
    /// `b[i]` of a bytes value: the int of its code point, CPython's IndexError message.
    BytesGetItem,
    /// `bool(s)`: non-null and non-empty.
    StrIsTrue,
    /// `l[i]` (list struct, items array, storage type, index known non-negative; `tuple`
    /// for a constant tuple read as a list, which changes the IndexError message).
    ListGetItem { strukt: TypeId, array: TypeId, storage: TypeId, nonneg: bool, tuple: bool },
    ListSetItem { strukt: TypeId, array: TypeId, storage: TypeId, nonneg: bool, tuple: bool },
    /// `l.append(x)`: stores in place when there is capacity, otherwise asks the runtime
    /// to grow the items array first.
    ListAppend { strukt: TypeId, array: TypeId, storage: TypeId },
    /// `min(a, b)` / `max(a, b)` of ints or floats.
    MinMax { ty: TypeId, max: bool },
    /// `l.extend(other)` / `l += other`.
    ListExtend { strukt: TypeId, array: TypeId },
    /// `del l[i]`.
    ListDel { strukt: TypeId },
    /// `l.pop(i)`.
    ListPop { strukt: TypeId, array: TypeId, storage: TypeId },
    /// `l.insert(i, x)`.
    ListInsert { strukt: TypeId, array: TypeId, storage: TypeId },
    /// An index from a search: ValueError(msg) when it is -1.
    CheckFound { msg: String },
    /// `l.index(x)`: ValueError("<repr of x> is not in list") when the search gave -1;
    /// takes (index, item word, item type descriptor).
    CheckFoundIndex,
    /// `list(s)`: the characters of a string.
    StrToList { strukt: TypeId, array: TypeId },
    /// `list(d.items())`: (key, value) tuples.
    DictItems { dict: TypeId, kty: TypeId, vty: TypeId, tuple: TypeId, list: TypeId, array: TypeId },
    /// `bool(x)` for a container whose length is field `field`: non-null and non-empty.
    LenIsTrue { strukt: TypeId, field: u32 },
    /// `next(it)` of an iterator struct of `kind` yielding `item`: StopIteration at the end.
    IterNext { iter: TypeId, kind: kiln_annotator::IterKind, item: TypeId },
}

fn fr(strukt: TypeId, index: u32) -> FieldRef {
    FieldRef { strukt, index }
}

impl<'a> RTyper<'a> {
    /// The helper graph for `h`, built on first use.
    pub fn helper(&mut self, h: Helper) -> FuncId {
        if let Some(&f) = self.helpers.get(&h) {
            return f;
        }
        let (name, graph) = self.build_helper(&h);
        let params: Vec<TypeId> = graph.params().iter().map(|p| *graph.var_type(*p)).collect();
        let ret = *graph.var_type(graph.return_var());
        let ty = self.ll.types.func(params, ret);
        let f = self.ll.add_func(LlFunc { name, graph, ty, kind: FuncKind::Helper, hints: Default::default() });
        self.helpers.insert(h, f);
        f
    }

    fn raise_const(&mut self, b: &mut LlBuilder, e: BuiltinExc, msg: &str) {
        let (vt, inst) = self.prebuilt_exception(e, msg);
        b.raise(c(vt), c(inst));
    }

    /// Raises a new instance of built-in exception `e` with a message computed at run
    /// time; ends the current block.
    pub(crate) fn raise_with_message(&mut self, b: &mut LlBuilder, e: BuiltinExc, msg: LlValue) {
        self.raise_named_with_message(b, e.name(), msg);
    }

    /// [`Self::raise_with_message`] for any built-in exception class the frontend knows
    /// (those without a runtime number too, such as AttributeError).
    pub(crate) fn raise_named_with_message(&mut self, b: &mut LlBuilder, class: &str, msg: LlValue) {
        let ci = self.class_index[&self.prog.classes.get(class)];
        let vt = self.vtable_const(ci, TypeId::VTABLE_PTR);
        let inst = b.op(LlOp::Malloc, vec![], TypeId::BASE_EXCEPTION_PTR);
        b.op(LlOp::SetField(fr(TypeId::OBJECT, 0)), vec![v(inst), c(vt.clone())], TypeId::VOID);
        b.op(LlOp::SetField(fr(TypeId::BASE_EXCEPTION, 1)), vec![v(inst), msg], TypeId::VOID);
        let o = b.op(LlOp::CastPointer, vec![v(inst)], TypeId::OBJECT_PTR);
        b.raise(c(vt), v(o));
    }

    /// `if cond: raise e(msg)` then continue in a new block receiving `keep`.
    pub(crate) fn raise_if(&mut self, b: &mut LlBuilder, cond: LlValue, e: BuiltinExc, msg: &str, keep: &[(LlValue, TypeId)]) -> Vec<LlValue> {
        let (err, _) = b.new_block(&[]);
        let tys: Vec<TypeId> = keep.iter().map(|(_, t)| *t).collect();
        let (ok, ok_vars) = b.new_block(&tys);
        let args: Vec<LlValue> = keep.iter().map(|(x, _)| x.clone()).collect();
        b.branch(cond, (err, vec![]), (ok, args));
        b.switch_to(err);
        self.raise_const(b, e, msg);
        b.switch_to(ok);
        ok_vars.into_iter().map(v).collect()
    }

    fn build_helper(&mut self, h: &Helper) -> (String, kiln_lltype::LlGraph) {
        let s = TypeId::SIGNED;
        let span = Span::DUMMY;
        match h {
            Helper::StrDispatch(cdef) => {
                let impls = self.str_impls_below(*cdef);
                let name = format!("ll_str_dispatch_{}", self.ann.classdefs[cdef.0 as usize].name);
                let exc = self.is_exception_class(self.ann.classdefs[cdef.0 as usize].class);
                let g = self.build_str_dispatch(&impls, false, exc, &name);
                (name, g)
            }
            Helper::IntFloorDiv | Helper::IntMod | Helper::UintFloorDiv | Helper::UintMod => {
                // CPython 3.11's messages differ between // and %.
                let (name, op, msg, t) = match h {
                    Helper::IntFloorDiv => ("ll_int_floordiv", LlOp::IntFloorDiv, "integer division or modulo by zero", s),
                    Helper::IntMod => ("ll_int_mod", LlOp::IntMod, "integer modulo by zero", s),
                    Helper::UintFloorDiv => ("ll_uint_floordiv", LlOp::UintFloorDiv, "integer division or modulo by zero", TypeId::UNSIGNED),
                    _ => ("ll_uint_mod", LlOp::UintMod, "integer modulo by zero", TypeId::UNSIGNED),
                };
                let (mut b, p) = LlBuilder::new(name, &[t, t], t, span);
                let zero = if t == s { int(0) } else { c(LlConst::Unsigned(0)) };
                let z = b.op(if t == s { LlOp::IntEq } else { LlOp::UintEq }, vec![v(p[1]), zero], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(z), BuiltinExc::ZeroDivisionError, msg, &[(v(p[0]), t), (v(p[1]), t)]);
                let r = b.op(op, k, t);
                b.ret(v(r));
                (name.into(), b.finish())
            }
            Helper::IntLshift | Helper::IntRshift | Helper::UintLshift | Helper::UintRshift => {
                let left = matches!(h, Helper::IntLshift | Helper::UintLshift);
                let unsigned = matches!(h, Helper::UintLshift | Helper::UintRshift);
                let t = if unsigned { TypeId::UNSIGNED } else { s };
                let name = match h {
                    Helper::IntLshift => "ll_int_lshift",
                    Helper::IntRshift => "ll_int_rshift",
                    Helper::UintLshift => "ll_uint_lshift",
                    _ => "ll_uint_rshift",
                };
                let (mut b, p) = LlBuilder::new(name, &[t, s], t, span);
                let neg = b.op(LlOp::IntLt, vec![v(p[1]), int(0)], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(neg), BuiltinExc::ValueError, "negative shift count", &[(v(p[0]), t), (v(p[1]), s)]);
                let big = b.op(LlOp::IntGe, vec![k[1].clone(), int(64)], TypeId::BOOL);
                let (wide, wv) = b.new_block(&[t]);
                let (norm, nv) = b.new_block(&[t, s]);
                b.branch(v(big), (wide, vec![k[0].clone()]), (norm, vec![k[0].clone(), k[1].clone()]));
                b.switch_to(wide);
                if unsigned {
                    b.ret(c(LlConst::Unsigned(0)));
                } else if left {
                    b.ret(int(0));
                } else {
                    let r = b.op(LlOp::IntRshift, vec![v(wv[0]), int(63)], s);
                    b.ret(v(r));
                }
                b.switch_to(norm);
                let op = match h {
                    Helper::IntLshift => LlOp::IntLshift,
                    Helper::IntRshift => LlOp::IntRshift,
                    Helper::UintLshift => LlOp::UintLshift,
                    _ => LlOp::UintRshift,
                };
                let r = b.op(op, vec![v(nv[0]), v(nv[1])], t);
                b.ret(v(r));
                (name.into(), b.finish())
            }
            Helper::IntPow => {
                let (mut b, p) = LlBuilder::new("ll_int_pow", &[s, s], s, span);
                let neg = b.op(LlOp::IntLt, vec![v(p[1]), int(0)], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(neg), BuiltinExc::ValueError, "negative exponent: RPy ints cannot be raised to a negative power", &[(v(p[0]), s), (v(p[1]), s)]);
                // result = 1; while n > 0: if n & 1: result *= a; a *= a; n >>= 1
                let (head, hv) = b.new_block(&[s, s, s]);
                b.jump(head, vec![int(1), k[0].clone(), k[1].clone()]);
                b.switch_to(head);
                let more = b.op(LlOp::IntGt, vec![v(hv[2]), int(0)], TypeId::BOOL);
                let (body, bv) = b.new_block(&[s, s, s]);
                let (done, dv) = b.new_block(&[s]);
                b.branch(v(more), (body, vec![v(hv[0]), v(hv[1]), v(hv[2])]), (done, vec![v(hv[0])]));
                b.switch_to(done);
                b.ret(v(dv[0]));
                b.switch_to(body);
                let bit = b.op(LlOp::IntAnd, vec![v(bv[2]), int(1)], s);
                let odd = b.op(LlOp::IntIsTrue, vec![v(bit)], TypeId::BOOL);
                let prod = b.op(LlOp::IntMul, vec![v(bv[0]), v(bv[1])], s);
                let (pick, pv) = b.new_block(&[s, s, s]);
                let (keep, kv) = b.new_block(&[s, s, s]);
                b.branch(v(odd), (pick, vec![v(prod), v(bv[1]), v(bv[2])]), (keep, vec![v(bv[0]), v(bv[1]), v(bv[2])]));
                for (blk, vars) in [(pick, pv), (keep, kv)] {
                    b.switch_to(blk);
                    let sq = b.op(LlOp::IntMul, vec![v(vars[1]), v(vars[1])], s);
                    let n2 = b.op(LlOp::IntRshift, vec![v(vars[2]), int(1)], s);
                    b.jump(head, vec![v(vars[0]), v(sq), v(n2)]);
                }
                ("ll_int_pow".into(), b.finish())
            }
            Helper::IntFloorDivOvf => {
                let (mut b, p) = LlBuilder::new("ll_int_floordiv_ovf", &[s, s], s, span);
                let z = b.op(LlOp::IntEq, vec![v(p[1]), int(0)], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(z), BuiltinExc::ZeroDivisionError, "integer division or modulo by zero", &[(v(p[0]), s), (v(p[1]), s)]);
                // a == MININT and b == -1  <=>  ((a ^ MININT) | (b ^ -1)) == 0
                let xa = b.op(LlOp::IntXor, vec![k[0].clone(), int(i64::MIN)], s);
                let xb = b.op(LlOp::IntXor, vec![k[1].clone(), int(-1)], s);
                let or = b.op(LlOp::IntOr, vec![v(xa), v(xb)], s);
                let both = b.op(LlOp::IntEq, vec![v(or), int(0)], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(both), BuiltinExc::OverflowError, "integer overflow", &[(k[0].clone(), s), (k[1].clone(), s)]);
                let r = b.op(LlOp::IntFloorDiv, k, s);
                b.ret(v(r));
                ("ll_int_floordiv_ovf".into(), b.finish())
            }
            Helper::IntAddOvf | Helper::IntSubOvf | Helper::IntMulOvf | Helper::IntLshiftOvf => {
                let (name, check, op) = match h {
                    Helper::IntAddOvf => ("ll_int_add_ovf", LlOp::IntAddOverflows, LlOp::IntAdd),
                    Helper::IntSubOvf => ("ll_int_sub_ovf", LlOp::IntSubOverflows, LlOp::IntSub),
                    Helper::IntMulOvf => ("ll_int_mul_ovf", LlOp::IntMulOverflows, LlOp::IntMul),
                    _ => ("ll_int_lshift_ovf", LlOp::IntMulOverflows, LlOp::IntLshift),
                };
                let (mut b, p) = LlBuilder::new(name, &[s, s], s, span);
                if *h == Helper::IntLshiftOvf {
                    // a << n overflows when (a << n) >> n != a, or n is out of 0..64.
                    let bad = b.op(LlOp::IntBetween, vec![int(0), v(p[1]), int(64)], TypeId::BOOL);
                    let out = b.op(LlOp::BoolNot, vec![v(bad)], TypeId::BOOL);
                    let k = self.raise_if(&mut b, v(out), BuiltinExc::OverflowError, "integer overflow", &[(v(p[0]), s), (v(p[1]), s)]);
                    let sh = b.op(LlOp::IntLshift, k.clone(), s);
                    let back = b.op(LlOp::IntRshift, vec![v(sh), k[1].clone()], s);
                    let lost = b.op(LlOp::IntNe, vec![v(back), k[0].clone()], TypeId::BOOL);
                    let r = self.raise_if(&mut b, v(lost), BuiltinExc::OverflowError, "integer overflow", &[(v(sh), s)]);
                    b.ret(r[0].clone());
                    return (name.into(), b.finish());
                }
                let o = b.op(check, vec![v(p[0]), v(p[1])], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(o), BuiltinExc::OverflowError, "integer overflow", &[(v(p[0]), s), (v(p[1]), s)]);
                let r = b.op(op, k, s);
                b.ret(v(r));
                (name.into(), b.finish())
            }
            Helper::FloatTrueDiv { ints } => {
                let f = TypeId::FLOAT;
                let (name, msg) = if *ints { ("ll_int_truediv", "division by zero") } else { ("ll_float_truediv", "float division by zero") };
                let (mut b, p) = LlBuilder::new(name, &[f, f], f, span);
                let z = b.op(LlOp::FloatEq, vec![v(p[1]), c(LlConst::Float(0.0))], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(z), BuiltinExc::ZeroDivisionError, msg, &[(v(p[0]), f), (v(p[1]), f)]);
                let r = b.op(LlOp::FloatTrueDiv, k, f);
                b.ret(v(r));
                (name.into(), b.finish())
            }
            Helper::IntFromFloat => {
                let f = TypeId::FLOAT;
                let (mut b, p) = LlBuilder::new("ll_int_from_float", &[f], s, span);
                // In range iff -2**63 <= x < 2**63 (false for nan).
                let lo = b.op(LlOp::FloatGe, vec![v(p[0]), c(LlConst::Float(-9.223_372_036_854_776e18))], TypeId::BOOL);
                let hi = b.op(LlOp::FloatLt, vec![v(p[0]), c(LlConst::Float(9.223_372_036_854_776e18))], TypeId::BOOL);
                let lo_i = b.op(LlOp::CastBoolToInt, vec![v(lo)], s);
                let hi_i = b.op(LlOp::CastBoolToInt, vec![v(hi)], s);
                let both = b.op(LlOp::IntAnd, vec![v(lo_i), v(hi_i)], s);
                let bad = b.op(LlOp::IntEq, vec![v(both), int(0)], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(bad), BuiltinExc::OverflowError, "cannot convert float to a 64-bit integer", &[(v(p[0]), f)]);
                let r = b.op(LlOp::CastFloatToInt, k, s);
                b.ret(v(r));
                ("ll_int_from_float".into(), b.finish())
            }
            Helper::Chr => {
                let (mut b, p) = LlBuilder::new("ll_chr", &[s], TypeId::UNICHAR, span);
                let ok = b.op(LlOp::IntBetween, vec![int(0), v(p[0]), int(0x110000)], TypeId::BOOL);
                let bad = b.op(LlOp::BoolNot, vec![v(ok)], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(bad), BuiltinExc::ValueError, "chr() arg not in range(0x110000)", &[(v(p[0]), s)]);
                let r = b.op(LlOp::CastIntToUniChar, k, TypeId::UNICHAR);
                b.ret(v(r));
                ("ll_chr".into(), b.finish())
            }
            Helper::FloatOrBoolToStr => self.build_float_or_bool_to_str(),
            Helper::BoolToStr => {
                let (mut b, p) = LlBuilder::new("ll_bool_to_str", &[TypeId::BOOL], TypeId::STR_PTR, span);
                let t = self.ll.str_const("True");
                let f = self.ll.str_const("False");
                let rb = b.graph.returnblock;
                b.branch(v(p[0]), (rb, vec![c(t)]), (rb, vec![c(f)]));
                ("ll_bool_to_str".into(), b.finish())
            }
            Helper::OptStr | Helper::StrIsTrue => {
                let is_opt = *h == Helper::OptStr;
                let name = if is_opt { "ll_opt_str" } else { "ll_str_is_true" };
                let ret = if is_opt { TypeId::STR_PTR } else { TypeId::BOOL };
                let (mut b, p) = LlBuilder::new(name, &[TypeId::STR_PTR], ret, span);
                let null = b.op(LlOp::PtrIsNull, vec![v(p[0])], TypeId::BOOL);
                let rb = b.graph.returnblock;
                let (nn, nv) = b.new_block(&[TypeId::STR_PTR]);
                let none = if is_opt { c(self.ll.str_const("None")) } else { c(LlConst::Bool(false)) };
                b.branch(v(null), (rb, vec![none]), (nn, vec![v(p[0])]));
                b.switch_to(nn);
                if is_opt {
                    b.ret(v(nv[0]));
                } else {
                    let n = b.op(LlOp::GetField(fr(TypeId::STR, 1)), vec![v(nv[0])], s);
                    let t = b.op(LlOp::IntGt, vec![v(n), int(0)], TypeId::BOOL);
                    b.ret(v(t));
                }
                (name.into(), b.finish())
            }
            Helper::ClassIdOrNone => {
                let name = "ll_class_id_or_none";
                let (mut b, p) = LlBuilder::new(name, &[TypeId::OBJECT_PTR], s, span);
                let null = b.op(LlOp::PtrIsNull, vec![v(p[0])], TypeId::BOOL);
                let rb = b.graph.returnblock;
                let (nn, nv) = b.new_block(&[TypeId::OBJECT_PTR]);
                b.branch(v(null), (rb, vec![int(-1)]), (nn, vec![v(p[0])]));
                b.switch_to(nn);
                let t = b.op(LlOp::GetField(fr(TypeId::OBJECT, 0)), vec![v(nv[0])], TypeId::VTABLE_PTR);
                let id = b.op(LlOp::GetField(fr(TypeId::VTABLE, 0)), vec![v(t)], s);
                b.ret(v(id));
                (name.into(), b.finish())
            }
            Helper::ExcStr => {
                let (mut b, p) = LlBuilder::new("ll_exc_str", &[TypeId::OBJECT_PTR], TypeId::STR_PTR, span);
                let e = b.op(LlOp::CastPointer, vec![v(p[0])], TypeId::BASE_EXCEPTION_PTR);
                let m = b.op(LlOp::GetField(fr(TypeId::BASE_EXCEPTION, 1)), vec![v(e)], TypeId::STR_PTR);
                let null = b.op(LlOp::PtrIsNull, vec![v(m)], TypeId::BOOL);
                let rb = b.graph.returnblock;
                let empty = self.ll.str_const("");
                b.branch(v(null), (rb, vec![c(empty)]), (rb, vec![v(m)]));
                ("ll_exc_str".into(), b.finish())
            }
            Helper::StrGetItem | Helper::BytesGetItem => {
                let is_bytes = matches!(h, Helper::BytesGetItem);
                let (name, msg, ret) = if is_bytes { ("ll_bytes_getitem", "index out of range", s) } else { ("ll_str_getitem", "string index out of range", TypeId::UNICHAR) };
                let (mut b, p) = LlBuilder::new(name, &[TypeId::STR_PTR, s], ret, span);
                let n = b.op(LlOp::GetField(fr(TypeId::STR, 1)), vec![v(p[0])], s);
                let i = self.normalize_index(&mut b, v(p[1]), v(n), msg, &[(v(p[0]), TypeId::STR_PTR)]);
                let (idx, keep) = (i[0].clone(), i[1].clone());
                // ASCII strings (code points == bytes) index their bytes directly.
                let bytes = b.op(LlOp::GetInteriorLength(fr(TypeId::STR, 3)), vec![keep.clone()], s);
                let cp = b.op(LlOp::GetField(fr(TypeId::STR, 1)), vec![keep.clone()], s);
                let ascii = b.op(LlOp::IntEq, vec![v(bytes), v(cp)], TypeId::BOOL);
                let (fast, fv) = b.new_block(&[TypeId::STR_PTR, s]);
                let (slow, sv) = b.new_block(&[TypeId::STR_PTR, s]);
                b.branch(v(ascii), (fast, vec![keep.clone(), idx.clone()]), (slow, vec![keep, idx]));
                b.switch_to(fast);
                let ch = b.op(LlOp::GetInteriorItem(fr(TypeId::STR, 3)), vec![v(fv[0]), v(fv[1])], TypeId::CHAR);
                let u = b.op(LlOp::CastCharToUniChar, vec![v(ch)], TypeId::UNICHAR);
                let u = if is_bytes { b.op(LlOp::CastUniCharToInt, vec![v(u)], s) } else { u };
                b.ret(v(u));
                b.switch_to(slow);
                let u = b.op(LlOp::RtCall(RtFn::StrCharAt), vec![v(sv[0]), v(sv[1])], TypeId::UNICHAR);
                let u = if is_bytes { b.op(LlOp::CastUniCharToInt, vec![v(u)], s) } else { u };
                b.ret(v(u));
                (name.into(), b.finish())
            }
            Helper::ListGetItem { strukt, array, storage, nonneg, tuple } | Helper::ListSetItem { strukt, array, storage, nonneg, tuple } => {
                let get = matches!(h, Helper::ListGetItem { .. });
                let lptr = self.ll.types.ptr(*strukt);
                let aptr = self.ll.types.ptr(*array);
                let name = format!("ll_{}_{}item{}_{}", if *tuple { "tuple" } else { "list" }, if get { "get" } else { "set" }, if *nonneg { "_nonneg" } else { "" }, self.ll.types.name(*storage));
                let params: Vec<TypeId> = if get { vec![lptr, s] } else { vec![lptr, s, *storage] };
                let (mut b, p) = LlBuilder::new(&name, &params, if get { *storage } else { TypeId::VOID }, span);
                let n = b.op(LlOp::GetField(fr(*strukt, 0)), vec![v(p[0])], s);
                let mut keep = vec![(v(p[0]), lptr)];
                if !get {
                    keep.push((v(p[2]), *storage));
                }
                let msg = if *tuple {
                    "tuple index out of range"
                } else if get {
                    "list index out of range"
                } else {
                    "list assignment index out of range"
                };
                let k = if *nonneg {
                    let ok = b.op(LlOp::IntLt, vec![v(p[1]), v(n)], TypeId::BOOL);
                    let bad = b.op(LlOp::BoolNot, vec![v(ok)], TypeId::BOOL);
                    let mut kk = vec![(v(p[1]), s)];
                    kk.extend(keep.iter().cloned());
                    self.raise_if(&mut b, v(bad), BuiltinExc::IndexError, msg, &kk)
                } else {
                    self.normalize_index(&mut b, v(p[1]), v(n), msg, &keep)
                };
                let items = b.op(LlOp::GetField(fr(*strukt, 1)), vec![k[1].clone()], aptr);
                if get {
                    let x = b.op(LlOp::GetArrayItem, vec![v(items), k[0].clone()], *storage);
                    b.ret(v(x));
                } else {
                    b.op(LlOp::SetArrayItem, vec![v(items), k[0].clone(), k[2].clone()], TypeId::VOID);
                    b.ret(c(LlConst::Void));
                }
                (name, b.finish())
            }
            Helper::ListAppend { strukt, array, storage } => {
                let lptr = self.ll.types.ptr(*strukt);
                let aptr = self.ll.types.ptr(*array);
                let name = format!("ll_list_append_{}", self.ll.types.name(*storage));
                let (mut b, p) = LlBuilder::new(&name, &[lptr, *storage], TypeId::VOID, span);
                let n = b.op(LlOp::GetField(fr(*strukt, 0)), vec![v(p[0])], s);
                let items = b.op(LlOp::GetField(fr(*strukt, 1)), vec![v(p[0])], aptr);
                let cap = b.op(LlOp::GetArrayLength, vec![v(items)], s);
                let room = b.op(LlOp::IntLt, vec![v(n), v(cap)], TypeId::BOOL);
                let (grow, gv) = b.new_block(&[lptr, s, *storage]);
                let (store, sv) = b.new_block(&[lptr, aptr, s, *storage]);
                b.branch(v(room), (store, vec![v(p[0]), v(items), v(n), v(p[1])]), (grow, vec![v(p[0]), v(n), v(p[1])]));
                b.switch_to(grow);
                let n1 = b.op(LlOp::IntAdd, vec![v(gv[1]), int(1)], s);
                let tid = self.ll.types.gc_typeid(*array).unwrap_or(0) as i64;
                b.op(LlOp::RtCall(RtFn::ListResize), vec![v(gv[0]), v(n1), int(tid)], TypeId::VOID);
                let items2 = b.op(LlOp::GetField(fr(*strukt, 1)), vec![v(gv[0])], aptr);
                b.jump(store, vec![v(gv[0]), v(items2), v(gv[1]), v(gv[2])]);
                b.switch_to(store);
                b.op(LlOp::SetArrayItem, vec![v(sv[1]), v(sv[2]), v(sv[3])], TypeId::VOID);
                let n1 = b.op(LlOp::IntAdd, vec![v(sv[2]), int(1)], s);
                b.op(LlOp::SetField(fr(*strukt, 0)), vec![v(sv[0]), v(n1)], TypeId::VOID);
                b.ret(c(LlConst::Void));
                (name, b.finish())
            }
            Helper::MinMax { ty, max } => {
                let name = match (*ty, *max) {
                    (TypeId::FLOAT, false) => "ll_float_min",
                    (TypeId::FLOAT, true) => "ll_float_max",
                    (TypeId::STR_PTR, false) => "ll_str_min",
                    (TypeId::STR_PTR, true) => "ll_str_max",
                    (TypeId::UNICHAR, false) => "ll_char_min",
                    (TypeId::UNICHAR, true) => "ll_char_max",
                    (_, false) => "ll_int_min",
                    (_, true) => "ll_int_max",
                };
                let (mut b, p) = LlBuilder::new(name, &[*ty, *ty], *ty, span);
                // Python keeps the first argument on ties: pick b only when strictly better.
                let (x, y) = if *max { (v(p[0]), v(p[1])) } else { (v(p[1]), v(p[0])) };
                let better = match *ty {
                    TypeId::FLOAT => b.op(LlOp::FloatLt, vec![x, y], TypeId::BOOL),
                    TypeId::UNICHAR => b.op(LlOp::UniCharLt, vec![x, y], TypeId::BOOL),
                    TypeId::STR_PTR => {
                        let c = b.op(LlOp::RtCall(RtFn::StrCmp), vec![x, y], s);
                        b.op(LlOp::IntLt, vec![v(c), int(0)], TypeId::BOOL)
                    }
                    _ => b.op(LlOp::IntLt, vec![x, y], TypeId::BOOL),
                };
                let rb = b.graph.returnblock;
                b.branch(v(better), (rb, vec![v(p[1])]), (rb, vec![v(p[0])]));
                (name.into(), b.finish())
            }
            Helper::IterNext { iter, kind, item } => self.build_iter_next(*iter, *kind, *item),
            Helper::LenIsTrue { strukt, field } => {
                let p_ty = self.ll.types.ptr(*strukt);
                let (mut b, p) = LlBuilder::new("ll_len_is_true", &[p_ty], TypeId::BOOL, span);
                let null = b.op(LlOp::PtrIsNull, vec![v(p[0])], TypeId::BOOL);
                let rb = b.graph.returnblock;
                let (nn, nv) = b.new_block(&[p_ty]);
                b.branch(v(null), (rb, vec![c(LlConst::Bool(false))]), (nn, vec![v(p[0])]));
                b.switch_to(nn);
                let n = b.op(LlOp::GetField(fr(*strukt, *field)), vec![v(nv[0])], s);
                let t = b.op(LlOp::IntGt, vec![v(n), int(0)], TypeId::BOOL);
                b.ret(v(t));
                (format!("ll_len_is_true_{}", self.ll.types.name(*strukt)), b.finish())
            }
            Helper::CheckFoundIndex => {
                let name = "ll_check_found_index";
                let (td, _) = self.desc_types();
                let td_ptr = self.ll.types.ptr(td);
                let (mut b, p) = LlBuilder::new(name, &[s, s, td_ptr], s, span);
                let missing = b.op(LlOp::IntLt, vec![v(p[0]), int(0)], TypeId::BOOL);
                let (err, _) = b.new_block(&[]);
                let rb = b.graph.returnblock;
                b.branch(v(missing), (err, vec![]), (rb, vec![v(p[0])]));
                b.switch_to(err);
                let r = b.op(LlOp::RtCall(RtFn::Repr), vec![v(p[1]), v(p[2])], TypeId::STR_PTR);
                let tail = c(self.ll.str_const(" is not in list"));
                let msg = b.op(LlOp::RtCall(RtFn::StrConcat), vec![v(r), tail], TypeId::STR_PTR);
                self.raise_with_message(&mut b, BuiltinExc::ValueError, v(msg));
                (name.into(), b.finish())
            }
            Helper::CheckFound { msg } => {
                let (mut b, p) = LlBuilder::new("ll_check_found", &[s], s, span);
                let missing = b.op(LlOp::IntLt, vec![v(p[0]), int(0)], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(missing), BuiltinExc::ValueError, msg, &[(v(p[0]), s)]);
                b.ret(k[0].clone());
                ("ll_check_found".into(), b.finish())
            }
            Helper::ListExtend { strukt, array } => {
                let lptr = self.ll.types.ptr(*strukt);
                let (mut b, p) = LlBuilder::new("ll_list_extend", &[lptr, lptr], TypeId::VOID, span);
                let n = b.op(LlOp::GetField(fr(*strukt, 0)), vec![v(p[0])], s);
                let m = b.op(LlOp::GetField(fr(*strukt, 0)), vec![v(p[1])], s);
                let total = b.op(LlOp::IntAdd, vec![v(n), v(m)], s);
                let tid = self.ll.types.gc_typeid(*array).unwrap_or(0) as i64;
                b.op(LlOp::RtCall(RtFn::ListResize), vec![v(p[0]), v(total), int(tid)], TypeId::VOID);
                b.op(LlOp::RtCall(RtFn::ListCopyFrom), vec![v(p[0]), v(n), v(p[1]), int(0), v(m)], TypeId::VOID);
                b.op(LlOp::SetField(fr(*strukt, 0)), vec![v(p[0]), v(total)], TypeId::VOID);
                b.ret(c(LlConst::Void));
                (format!("ll_list_extend_{}", self.ll.types.name(*strukt)), b.finish())
            }
            Helper::ListDel { strukt } => {
                let lptr = self.ll.types.ptr(*strukt);
                let (mut b, p) = LlBuilder::new("ll_list_del", &[lptr, s], TypeId::VOID, span);
                let n = b.op(LlOp::GetField(fr(*strukt, 0)), vec![v(p[0])], s);
                let k = self.normalize_index(&mut b, v(p[1]), v(n), "list assignment index out of range", &[(v(p[0]), lptr), (v(n), s)]);
                let (i, l, n) = (k[0].clone(), k[1].clone(), k[2].clone());
                self.remove_at(&mut b, *strukt, l, i, n);
                b.ret(c(LlConst::Void));
                (format!("ll_list_del_{}", self.ll.types.name(*strukt)), b.finish())
            }
            Helper::ListPop { strukt, array, storage } => {
                let lptr = self.ll.types.ptr(*strukt);
                let aptr = self.ll.types.ptr(*array);
                let (mut b, p) = LlBuilder::new("ll_list_pop", &[lptr, s], *storage, span);
                let n = b.op(LlOp::GetField(fr(*strukt, 0)), vec![v(p[0])], s);
                let empty = b.op(LlOp::IntEq, vec![v(n), int(0)], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(empty), BuiltinExc::IndexError, "pop from empty list", &[(v(p[0]), lptr), (v(p[1]), s), (v(n), s)]);
                let k = self.normalize_index(&mut b, k[1].clone(), k[2].clone(), "pop index out of range", &[(k[0].clone(), lptr), (k[2].clone(), s)]);
                let (i, l, n) = (k[0].clone(), k[1].clone(), k[2].clone());
                let items = b.op(LlOp::GetField(fr(*strukt, 1)), vec![l.clone()], aptr);
                let x = b.op(LlOp::GetArrayItem, vec![v(items), i.clone()], *storage);
                self.remove_at(&mut b, *strukt, l, i, n);
                b.ret(v(x));
                (format!("ll_list_pop_{}", self.ll.types.name(*storage)), b.finish())
            }
            Helper::ListInsert { strukt, array, storage } => {
                let lptr = self.ll.types.ptr(*strukt);
                let aptr = self.ll.types.ptr(*array);
                let (mut b, p) = LlBuilder::new("ll_list_insert", &[lptr, s, *storage], TypeId::VOID, span);
                let n = b.op(LlOp::GetField(fr(*strukt, 0)), vec![v(p[0])], s);
                // Python clamps the index: negative from the end, then into 0..=len.
                let neg = b.op(LlOp::IntLt, vec![v(p[1]), int(0)], TypeId::BOOL);
                let adj = b.op(LlOp::IntAdd, vec![v(p[1]), v(n)], s);
                let (pick, pv) = b.new_block(&[s]);
                b.branch(v(neg), (pick, vec![v(adj)]), (pick, vec![v(p[1])]));
                b.switch_to(pick);
                let lo = self.helper(Helper::MinMax { ty: s, max: true });
                let hi = self.helper(Helper::MinMax { ty: s, max: false });
                let (lo_c, hi_c) = (self.ll.func_const(lo), self.ll.func_const(hi));
                let i0 = b.op(LlOp::DirectCall, vec![c(lo_c), v(pv[0]), int(0)], s);
                let i = b.op(LlOp::DirectCall, vec![c(hi_c), v(i0), v(n)], s);
                let n1 = b.op(LlOp::IntAdd, vec![v(n), int(1)], s);
                let tid = self.ll.types.gc_typeid(*array).unwrap_or(0) as i64;
                b.op(LlOp::RtCall(RtFn::ListResize), vec![v(p[0]), v(n1), int(tid)], TypeId::VOID);
                let i1 = b.op(LlOp::IntAdd, vec![v(i), int(1)], s);
                let cnt = b.op(LlOp::IntSub, vec![v(n), v(i)], s);
                b.op(LlOp::RtCall(RtFn::ListMove), vec![v(p[0]), v(i1), v(i), v(cnt)], TypeId::VOID);
                let items = b.op(LlOp::GetField(fr(*strukt, 1)), vec![v(p[0])], aptr);
                b.op(LlOp::SetArrayItem, vec![v(items), v(i), v(p[2])], TypeId::VOID);
                b.op(LlOp::SetField(fr(*strukt, 0)), vec![v(p[0]), v(n1)], TypeId::VOID);
                b.ret(c(LlConst::Void));
                (format!("ll_list_insert_{}", self.ll.types.name(*storage)), b.finish())
            }
            Helper::StrToList { strukt, array } => {
                let lptr = self.ll.types.ptr(*strukt);
                let aptr = self.ll.types.ptr(*array);
                let storage = self.ll.types.array_item(*array);
                let (mut b, p) = LlBuilder::new("ll_str_to_list", &[TypeId::STR_PTR], lptr, span);
                let n = b.op(LlOp::GetField(fr(TypeId::STR, 1)), vec![v(p[0])], s);
                let l = b.op(LlOp::Malloc, vec![], lptr);
                let arr = b.op(LlOp::MallocVarsize, vec![v(n)], aptr);
                b.op(LlOp::SetField(fr(*strukt, 0)), vec![v(l), v(n)], TypeId::VOID);
                b.op(LlOp::SetField(fr(*strukt, 1)), vec![v(l), v(arr)], TypeId::VOID);
                let (head, hv) = b.new_block(&[TypeId::STR_PTR, lptr, s, s]);
                b.jump(head, vec![v(p[0]), v(l), int(0), v(n)]);
                b.switch_to(head);
                let more = b.op(LlOp::IntLt, vec![v(hv[2]), v(hv[3])], TypeId::BOOL);
                let (body, bv) = b.new_block(&[TypeId::STR_PTR, lptr, s, s]);
                let (done, dv) = b.new_block(&[lptr]);
                b.branch(v(more), (body, vec![v(hv[0]), v(hv[1]), v(hv[2]), v(hv[3])]), (done, vec![v(hv[1])]));
                b.switch_to(done);
                b.ret(v(dv[0]));
                b.switch_to(body);
                let sg = self.helper(Helper::StrGetItem);
                let fc = self.ll.func_const(sg);
                let ch = b.op(LlOp::DirectCall, vec![c(fc), v(bv[0]), v(bv[2])], TypeId::UNICHAR);
                let item = if storage == TypeId::SIGNED { v(b.op(LlOp::CastUniCharToInt, vec![v(ch)], s)) } else { v(b.op(LlOp::RtCall(RtFn::StrFromChar), vec![v(ch)], TypeId::STR_PTR)) };
                let items = b.op(LlOp::GetField(fr(*strukt, 1)), vec![v(bv[1])], aptr);
                b.op(LlOp::SetArrayItem, vec![v(items), v(bv[2]), item], TypeId::VOID);
                let i1 = b.op(LlOp::IntAdd, vec![v(bv[2]), int(1)], s);
                b.jump(head, vec![v(bv[0]), v(bv[1]), v(i1), v(bv[3])]);
                (format!("ll_str_to_list_{}", self.ll.types.name(storage)), b.finish())
            }
            Helper::DictItems { dict, kty, vty, tuple, list, array } => {
                let dptr = self.ll.types.ptr(*dict);
                let lptr = self.ll.types.ptr(*list);
                let aptr = self.ll.types.ptr(*array);
                let tptr = self.ll.types.ptr(*tuple);
                let (mut b, p) = LlBuilder::new("ll_dict_items", &[dptr], lptr, span);
                let n = b.op(LlOp::GetField(fr(*dict, 1)), vec![v(p[0])], s);
                let l = b.op(LlOp::Malloc, vec![], lptr);
                let arr = b.op(LlOp::MallocVarsize, vec![v(n)], aptr);
                b.op(LlOp::SetField(fr(*list, 0)), vec![v(l), v(n)], TypeId::VOID);
                b.op(LlOp::SetField(fr(*list, 1)), vec![v(l), v(arr)], TypeId::VOID);
                // (dict, list, next position, next list index)
                let (head, hv) = b.new_block(&[dptr, lptr, s, s]);
                b.jump(head, vec![v(p[0]), v(l), int(0), int(0)]);
                b.switch_to(head);
                let pos = b.op(LlOp::RtCall(RtFn::DictNext), vec![v(hv[0]), v(hv[2])], s);
                let end = b.op(LlOp::IntLt, vec![v(pos), int(0)], TypeId::BOOL);
                let (body, bv) = b.new_block(&[dptr, lptr, s, s]);
                let (done, dv) = b.new_block(&[lptr]);
                b.branch(v(end), (done, vec![v(hv[1])]), (body, vec![v(hv[0]), v(hv[1]), v(pos), v(hv[3])]));
                b.switch_to(done);
                b.ret(v(dv[0]));
                b.switch_to(body);
                let kw = b.op(LlOp::RtCall(RtFn::DictKeyAt), vec![v(bv[0]), v(bv[2])], s);
                let vw = b.op(LlOp::RtCall(RtFn::DictValueAt), vec![v(bv[0]), v(bv[2])], s);
                let kx = crate::riter::word_to(&mut b, v(kw), *kty);
                let vx = crate::riter::word_to(&mut b, v(vw), *vty);
                let t = b.op(LlOp::Malloc, vec![], tptr);
                b.op(LlOp::SetField(fr(*tuple, 0)), vec![v(t), kx], TypeId::VOID);
                b.op(LlOp::SetField(fr(*tuple, 1)), vec![v(t), vx], TypeId::VOID);
                let items = b.op(LlOp::GetField(fr(*list, 1)), vec![v(bv[1])], aptr);
                b.op(LlOp::SetArrayItem, vec![v(items), v(bv[3]), v(t)], TypeId::VOID);
                let p1 = b.op(LlOp::IntAdd, vec![v(bv[2]), int(1)], s);
                let i1 = b.op(LlOp::IntAdd, vec![v(bv[3]), int(1)], s);
                b.jump(head, vec![v(bv[0]), v(bv[1]), v(p1), v(i1)]);
                (format!("ll_dict_items_{}", self.ll.types.name(*dict)), b.finish())
            }
        }
    }

    /// Removes item `i` of a list of length `n`: shifts the rest down, clears the freed
    /// slot (so it keeps nothing alive) and shortens the list. Removing the last item
    /// (`pop()`, the common case) makes no call: the shift is skipped when nothing follows.
    fn remove_at(&mut self, b: &mut LlBuilder, strukt: TypeId, l: LlValue, i: LlValue, n: LlValue) {
        let s = TypeId::SIGNED;
        let aptr = self.ll.types.struct_type(strukt).fields[1].ty;
        let storage = self.ll.types.array_item(self.ll.types.deref(aptr));
        let i1 = v(b.op(LlOp::IntAdd, vec![i.clone(), int(1)], s));
        let n1 = v(b.op(LlOp::IntSub, vec![n, int(1)], s));
        let cnt = v(b.op(LlOp::IntSub, vec![n1.clone(), i.clone()], s));
        let shift = b.op(LlOp::IntGt, vec![cnt.clone(), int(0)], TypeId::BOOL);
        let (mv, _) = b.new_block(&[]);
        let (done, _) = b.new_block(&[]);
        b.branch(v(shift), (mv, vec![]), (done, vec![]));
        b.switch_to(mv);
        b.op(LlOp::RtCall(RtFn::ListMove), vec![l.clone(), i, i1, cnt], TypeId::VOID);
        b.jump(done, vec![]);
        b.switch_to(done);
        let items = v(b.op(LlOp::GetField(fr(strukt, 1)), vec![l.clone()], aptr));
        let zero = crate::prebuilt::zero_of(&self.ll.types, storage);
        b.op(LlOp::SetArrayItem, vec![items, n1.clone(), c(zero)], TypeId::VOID);
        b.op(LlOp::SetField(fr(strukt, 0)), vec![l, n1], TypeId::VOID);
    }

    /// Python index normalisation: `i += n` when negative, then IndexError unless
    /// `0 <= i < n`. Returns the index followed by the `keep` values, in a block where
    /// the index is valid.
    pub(crate) fn normalize_index(&mut self, b: &mut LlBuilder, i: LlValue, n: LlValue, msg: &str, keep: &[(LlValue, TypeId)]) -> Vec<LlValue> {
        let s = TypeId::SIGNED;
        let neg = b.op(LlOp::IntLt, vec![i.clone(), int(0)], TypeId::BOOL);
        let mut tys = vec![s, s];
        tys.extend(keep.iter().map(|(_, t)| *t));
        let (adj, av) = b.new_block(&tys);
        let (chk, cv) = b.new_block(&tys);
        let mut args = vec![i, n];
        args.extend(keep.iter().map(|(x, _)| x.clone()));
        b.branch(v(neg), (adj, args.clone()), (chk, args));
        b.switch_to(adj);
        let i2 = b.op(LlOp::IntAdd, vec![v(av[0]), v(av[1])], s);
        let mut a2 = vec![v(i2), v(av[1])];
        a2.extend(av[2..].iter().map(|x| v(*x)));
        b.jump(chk, a2);
        b.switch_to(chk);
        let ok = b.op(LlOp::IntBetween, vec![int(0), v(cv[0]), v(cv[1])], TypeId::BOOL);
        let bad = b.op(LlOp::BoolNot, vec![v(ok)], TypeId::BOOL);
        let mut kk = vec![(v(cv[0]), s)];
        kk.extend(cv[2..].iter().zip(keep.iter()).map(|(x, (_, t))| (v(*x), *t)));
        self.raise_if(b, v(bad), BuiltinExc::IndexError, msg, &kk)
    }
}
