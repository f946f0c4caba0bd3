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
    /// `a // b` and `a % b`: ZeroDivisionError for b == 0.
    IntFloorDiv,
    IntMod,
    /// Shifts with Python's rules: ValueError for a negative count; counts of 64 and more
    /// shift everything out.
    IntLshift,
    IntRshift,
    /// `a ** n` for n >= 0 (ValueError otherwise; RPy ints have no float powers).
    IntPow,
    /// `ovfcheck(a + b)` and friends: OverflowError instead of wrapping.
    IntAddOvf,
    IntSubOvf,
    IntMulOvf,
    IntLshiftOvf,
    /// `a / b` on floats: ZeroDivisionError for b == 0.0.
    FloatTrueDiv,
    /// `int(f)`: OverflowError for inf, nan and out-of-range values.
    IntFromFloat,
    /// `chr(i)`: ValueError out of range.
    Chr,
    /// `str(b)` for a bool.
    BoolToStr,
    /// A possibly-null string as printed: "None" for null.
    OptStr,
    /// `str(e)` of an exception: its message, or "" without one.
    ExcStr,
    /// `s[i]`: IndexError out of range, negative indices from the end.
    StrGetItem,
    /// `bool(s)`: non-null and non-empty.
    StrIsTrue,
    /// `l[i]` (list struct, items array, storage type, index known non-negative).
    ListGetItem { strukt: TypeId, array: TypeId, storage: TypeId, nonneg: bool },
    ListSetItem { strukt: TypeId, array: TypeId, storage: TypeId, nonneg: bool },
    /// `bool(l)`: non-null and non-empty.
    ListIsTrue { strukt: TypeId },
    /// `l.append(x)`: stores in place when there is capacity, otherwise asks the runtime
    /// to grow the items array first.
    ListAppend { strukt: TypeId, array: TypeId, storage: TypeId },
    /// `min(a, b)` / `max(a, b)` of ints or floats.
    MinMax { ty: TypeId, max: bool },
    /// `next(it)` over a list or a str: StopIteration at the end.
    ListIterNext { iter: TypeId, list: TypeId, array: TypeId, storage: TypeId },
    StrIterNext { iter: TypeId },
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
        let f = self.ll.add_func(LlFunc { name, graph, ty, kind: FuncKind::Helper });
        self.helpers.insert(h, f);
        f
    }

    fn raise_const(&mut self, b: &mut LlBuilder, e: BuiltinExc, msg: &str) {
        let (vt, inst) = self.prebuilt_exception(e, msg);
        b.raise(c(vt), c(inst));
    }

    /// `if cond: raise e(msg)` then continue in a new block receiving `keep`.
    fn raise_if(&mut self, b: &mut LlBuilder, cond: LlValue, e: BuiltinExc, msg: &str, keep: &[(LlValue, TypeId)]) -> Vec<LlValue> {
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
            Helper::IntFloorDiv | Helper::IntMod => {
                let (name, op) = if *h == Helper::IntFloorDiv { ("ll_int_floordiv", LlOp::IntFloorDiv) } else { ("ll_int_mod", LlOp::IntMod) };
                let (mut b, p) = LlBuilder::new(name, &[s, s], s, span);
                let z = b.op(LlOp::IntEq, vec![v(p[1]), int(0)], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(z), BuiltinExc::ZeroDivisionError, "integer division or modulo by zero", &[(v(p[0]), s), (v(p[1]), s)]);
                let r = b.op(op, k, s);
                b.ret(v(r));
                (name.into(), b.finish())
            }
            Helper::IntLshift | Helper::IntRshift => {
                let left = *h == Helper::IntLshift;
                let name = if left { "ll_int_lshift" } else { "ll_int_rshift" };
                let (mut b, p) = LlBuilder::new(name, &[s, s], s, span);
                let neg = b.op(LlOp::IntLt, vec![v(p[1]), int(0)], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(neg), BuiltinExc::ValueError, "negative shift count", &[(v(p[0]), s), (v(p[1]), s)]);
                let big = b.op(LlOp::IntGe, vec![k[1].clone(), int(64)], TypeId::BOOL);
                let (wide, wv) = b.new_block(&[s]);
                let (norm, nv) = b.new_block(&[s, s]);
                b.branch(v(big), (wide, vec![k[0].clone()]), (norm, vec![k[0].clone(), k[1].clone()]));
                b.switch_to(wide);
                if left {
                    b.ret(int(0));
                } else {
                    let r = b.op(LlOp::IntRshift, vec![v(wv[0]), int(63)], s);
                    b.ret(v(r));
                }
                b.switch_to(norm);
                let r = b.op(if left { LlOp::IntLshift } else { LlOp::IntRshift }, vec![v(nv[0]), v(nv[1])], s);
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
            Helper::FloatTrueDiv => {
                let f = TypeId::FLOAT;
                let (mut b, p) = LlBuilder::new("ll_float_truediv", &[f, f], f, span);
                let z = b.op(LlOp::FloatEq, vec![v(p[1]), c(LlConst::Float(0.0))], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(z), BuiltinExc::ZeroDivisionError, "float division by zero", &[(v(p[0]), f), (v(p[1]), f)]);
                let r = b.op(LlOp::FloatTrueDiv, k, f);
                b.ret(v(r));
                ("ll_float_truediv".into(), b.finish())
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
            Helper::StrGetItem => {
                let (mut b, p) = LlBuilder::new("ll_str_getitem", &[TypeId::STR_PTR, s], TypeId::UNICHAR, span);
                let n = b.op(LlOp::GetField(fr(TypeId::STR, 1)), vec![v(p[0])], s);
                let i = self.normalize_index(&mut b, v(p[1]), v(n), "string index out of range", &[(v(p[0]), TypeId::STR_PTR)]);
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
                b.ret(v(u));
                b.switch_to(slow);
                let u = b.op(LlOp::RtCall(RtFn::StrCharAt), vec![v(sv[0]), v(sv[1])], TypeId::UNICHAR);
                b.ret(v(u));
                ("ll_str_getitem".into(), b.finish())
            }
            Helper::ListGetItem { strukt, array, storage, nonneg } | Helper::ListSetItem { strukt, array, storage, nonneg } => {
                let get = matches!(h, Helper::ListGetItem { .. });
                let lptr = self.ll.types.ptr(*strukt);
                let aptr = self.ll.types.ptr(*array);
                let name = format!("ll_list_{}item{}_{}", if get { "get" } else { "set" }, if *nonneg { "_nonneg" } else { "" }, self.ll.types.name(*storage));
                let params: Vec<TypeId> = if get { vec![lptr, s] } else { vec![lptr, s, *storage] };
                let (mut b, p) = LlBuilder::new(&name, &params, if get { *storage } else { TypeId::VOID }, span);
                let n = b.op(LlOp::GetField(fr(*strukt, 0)), vec![v(p[0])], s);
                let mut keep = vec![(v(p[0]), lptr)];
                if !get {
                    keep.push((v(p[2]), *storage));
                }
                let msg = if get { "list index out of range" } else { "list assignment index out of range" };
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
            Helper::ListIsTrue { strukt } => {
                let lptr = self.ll.types.ptr(*strukt);
                let (mut b, p) = LlBuilder::new("ll_list_is_true", &[lptr], TypeId::BOOL, span);
                let null = b.op(LlOp::PtrIsNull, vec![v(p[0])], TypeId::BOOL);
                let rb = b.graph.returnblock;
                let (nn, nv) = b.new_block(&[lptr]);
                b.branch(v(null), (rb, vec![c(LlConst::Bool(false))]), (nn, vec![v(p[0])]));
                b.switch_to(nn);
                let n = b.op(LlOp::GetField(fr(*strukt, 0)), vec![v(nv[0])], s);
                let t = b.op(LlOp::IntGt, vec![v(n), int(0)], TypeId::BOOL);
                b.ret(v(t));
                (format!("ll_list_is_true_{}", self.ll.types.name(*strukt)), b.finish())
            }
            Helper::ListIterNext { iter, list, array, storage } => {
                let itp = self.ll.types.ptr(*iter);
                let lptr = self.ll.types.ptr(*list);
                let aptr = self.ll.types.ptr(*array);
                let name = format!("ll_listiter_next_{}", self.ll.types.name(*storage));
                let (mut b, p) = LlBuilder::new(&name, &[itp], *storage, span);
                let l = b.op(LlOp::GetField(fr(*iter, 0)), vec![v(p[0])], lptr);
                let i = b.op(LlOp::GetField(fr(*iter, 1)), vec![v(p[0])], s);
                let n = b.op(LlOp::GetField(fr(*list, 0)), vec![v(l)], s);
                let end = b.op(LlOp::IntGe, vec![v(i), v(n)], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(end), BuiltinExc::StopIteration, "", &[(v(p[0]), itp), (v(l), lptr), (v(i), s)]);
                let i1 = b.op(LlOp::IntAdd, vec![k[2].clone(), int(1)], s);
                b.op(LlOp::SetField(fr(*iter, 1)), vec![k[0].clone(), v(i1)], TypeId::VOID);
                let items = b.op(LlOp::GetField(fr(*list, 1)), vec![k[1].clone()], aptr);
                let x = b.op(LlOp::GetArrayItem, vec![v(items), k[2].clone()], *storage);
                b.ret(v(x));
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
                let (lt, name) = match (*ty, *max) {
                    (TypeId::FLOAT, false) => (LlOp::FloatLt, "ll_float_min"),
                    (TypeId::FLOAT, true) => (LlOp::FloatGt, "ll_float_max"),
                    (_, false) => (LlOp::IntLt, "ll_int_min"),
                    (_, true) => (LlOp::IntGt, "ll_int_max"),
                };
                let (mut b, p) = LlBuilder::new(name, &[*ty, *ty], *ty, span);
                // Python keeps the first argument on ties: pick b only when strictly better.
                let better = b.op(lt, vec![v(p[1]), v(p[0])], TypeId::BOOL);
                let rb = b.graph.returnblock;
                b.branch(v(better), (rb, vec![v(p[1])]), (rb, vec![v(p[0])]));
                (name.into(), b.finish())
            }
            Helper::StrIterNext { iter } => {
                let itp = self.ll.types.ptr(*iter);
                let (mut b, p) = LlBuilder::new("ll_striter_next", &[itp], TypeId::UNICHAR, span);
                let st = b.op(LlOp::GetField(fr(*iter, 0)), vec![v(p[0])], TypeId::STR_PTR);
                let i = b.op(LlOp::GetField(fr(*iter, 1)), vec![v(p[0])], s);
                let n = b.op(LlOp::GetField(fr(TypeId::STR, 1)), vec![v(st)], s);
                let end = b.op(LlOp::IntGe, vec![v(i), v(n)], TypeId::BOOL);
                let k = self.raise_if(&mut b, v(end), BuiltinExc::StopIteration, "", &[(v(p[0]), itp), (v(st), TypeId::STR_PTR), (v(i), s)]);
                let i1 = b.op(LlOp::IntAdd, vec![k[2].clone(), int(1)], s);
                b.op(LlOp::SetField(fr(*iter, 1)), vec![k[0].clone(), v(i1)], TypeId::VOID);
                let sg = self.helper(Helper::StrGetItem);
                let fc = self.ll.func_const(sg);
                let ch = b.op(LlOp::DirectCall, vec![c(fc), k[1].clone(), k[2].clone()], TypeId::UNICHAR);
                b.ret(v(ch));
                ("ll_striter_next".into(), b.finish())
            }
        }
    }

    /// Python index normalisation: `i += n` when negative, then IndexError unless
    /// `0 <= i < n`. Returns the index followed by the `keep` values, in a block where
    /// the index is valid.
    fn normalize_index(&mut self, b: &mut LlBuilder, i: LlValue, n: LlValue, msg: &str, keep: &[(LlValue, TypeId)]) -> Vec<LlValue> {
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
