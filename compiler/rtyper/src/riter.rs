//! Iterators: `iter()` over lists, strings and dicts, `reversed`, `enumerate` and `zip`,
//! and the `next` helper graphs that raise StopIteration at the end.
//!
//! An iterator is a small GC struct: `source` (the container, or the inner iterator(s)),
//! `index`, and for `enumerate` a `count`. The `next` helper of each (struct, kind, item
//! type) is built once; `enumerate`'s and `zip`'s call their inner iterators' helpers.

use kiln_annotator::IterKind;
use kiln_lltype::builder::{c, int, v, LlBuilder, LlValue};
use kiln_lltype::{FieldRef, LlConst, LlOp, LlType, RtFn, TypeId};

use crate::helpers::Helper;
use crate::lower::Lower;
use crate::repr::Repr;
use crate::RTyper;

fn fr(strukt: TypeId, index: u32) -> FieldRef {
    FieldRef { strukt, index }
}

/// Converts a list item from its 8-byte storage to the item's low-level type.
pub fn storage_to(b: &mut LlBuilder, raw: LlValue, ty: TypeId) -> LlValue {
    match ty {
        TypeId::BOOL => v(b.op(LlOp::IntIsTrue, vec![raw], TypeId::BOOL)),
        TypeId::UNICHAR => v(b.op(LlOp::CastIntToUniChar, vec![raw], TypeId::UNICHAR)),
        TypeId::UNSIGNED => v(b.op(LlOp::CastIntToUint, vec![raw], TypeId::UNSIGNED)),
        TypeId::VOID => c(LlConst::Void),
        _ => raw,
    }
}

/// Converts a runtime word to a value of low-level type `ty`.
pub fn word_to(b: &mut LlBuilder, w: LlValue, ty: TypeId) -> LlValue {
    match ty {
        TypeId::SIGNED => w,
        TypeId::BOOL => v(b.op(LlOp::IntIsTrue, vec![w], TypeId::BOOL)),
        TypeId::UNICHAR => v(b.op(LlOp::CastIntToUniChar, vec![w], TypeId::UNICHAR)),
        TypeId::UNSIGNED => v(b.op(LlOp::CastIntToUint, vec![w], TypeId::UNSIGNED)),
        TypeId::FLOAT => v(b.op(LlOp::CastWordToFloat, vec![w], TypeId::FLOAT)),
        TypeId::VOID => c(LlConst::Void),
        _ => v(b.op(LlOp::CastIntToPtr, vec![w], ty)),
    }
}

impl<'a> RTyper<'a> {
    /// The field types of a struct.
    fn field_types(&self, s: TypeId) -> Vec<TypeId> {
        self.ll.types.struct_type(s).fields.iter().map(|f| f.ty).collect()
    }

    /// Builds `next(it)` for an iterator struct of `kind` yielding values of type `item`.
    pub fn build_iter_next(&mut self, iter: TypeId, kind: IterKind, item: TypeId) -> (String, kiln_lltype::LlGraph) {
        let s = TypeId::SIGNED;
        let itp = self.ll.types.ptr(iter);
        let source_ty = self.field_types(iter)[0];
        let name = format!("ll_next_{}_{}", self.ll.types.name(iter).replace([' ', '<', '>', ','], "_"), self.ll.types.name(item).replace(['*', ' ', '<', '>', ','], "_"));
        let (mut b, p) = LlBuilder::new(&name, &[itp], item, kiln_diagnostics::Span::DUMMY);
        let it = v(p[0]);
        let src = v(b.op(LlOp::GetField(fr(iter, 0)), vec![it.clone()], source_ty));
        match kind {
            IterKind::List | IterKind::Reversed => {
                let list = self.ll.types.deref(source_ty);
                let aptr = self.field_types(list)[1];
                let storage = self.ll.types.array_item(self.ll.types.deref(aptr));
                let i = v(b.op(LlOp::GetField(fr(iter, 1)), vec![it.clone()], s));
                let n = v(b.op(LlOp::GetField(fr(list, 0)), vec![src.clone()], s));
                // Forward: stop at i >= len. Reversed: stop at i < 0 (or past a shrunk end).
                let ok = v(b.op(LlOp::IntBetween, vec![int(0), i.clone(), n], TypeId::BOOL));
                let end = v(b.op(LlOp::BoolNot, vec![ok], TypeId::BOOL));
                let k = self.raise_if(&mut b, end, kiln_abi::BuiltinExc::StopIteration, "", &[(it, itp), (src, source_ty), (i, s)]);
                let step = if kind == IterKind::List { 1 } else { -1 };
                let i1 = v(b.op(LlOp::IntAdd, vec![k[2].clone(), int(step)], s));
                b.op(LlOp::SetField(fr(iter, 1)), vec![k[0].clone(), i1], TypeId::VOID);
                let items = v(b.op(LlOp::GetField(fr(list, 1)), vec![k[1].clone()], aptr));
                let raw = v(b.op(LlOp::GetArrayItem, vec![items, k[2].clone()], storage));
                let x = storage_to(&mut b, raw, item);
                b.ret(x);
            }
            IterKind::Str | IterKind::Bytes => {
                let i = v(b.op(LlOp::GetField(fr(iter, 1)), vec![it.clone()], s));
                let n = v(b.op(LlOp::GetField(fr(TypeId::STR, 1)), vec![src.clone()], s));
                let end = v(b.op(LlOp::IntGe, vec![i.clone(), n], TypeId::BOOL));
                let k = self.raise_if(&mut b, end, kiln_abi::BuiltinExc::StopIteration, "", &[(it, itp), (src, source_ty), (i, s)]);
                let i1 = v(b.op(LlOp::IntAdd, vec![k[2].clone(), int(1)], s));
                b.op(LlOp::SetField(fr(iter, 1)), vec![k[0].clone(), i1], TypeId::VOID);
                let sg = self.helper(Helper::StrGetItem);
                let fc = self.ll.func_const(sg);
                let ch = v(b.op(LlOp::DirectCall, vec![c(fc), k[1].clone(), k[2].clone()], TypeId::UNICHAR));
                if item == TypeId::STR_PTR {
                    let st = v(b.op(LlOp::RtCall(RtFn::StrFromChar), vec![ch], TypeId::STR_PTR));
                    b.ret(st);
                } else if kind == IterKind::Bytes {
                    // A byte is the int of its code point.
                    let n = v(b.op(LlOp::CastUniCharToInt, vec![ch], TypeId::SIGNED));
                    b.ret(n);
                } else {
                    b.ret(ch);
                }
            }
            IterKind::DictKeys | IterKind::DictValues | IterKind::DictItems => {
                let i = v(b.op(LlOp::GetField(fr(iter, 1)), vec![it.clone()], s));
                let pos = v(b.op(LlOp::RtCall(RtFn::DictNext), vec![src.clone(), i], s));
                let end = v(b.op(LlOp::IntLt, vec![pos.clone(), int(0)], TypeId::BOOL));
                let k = self.raise_if(&mut b, end, kiln_abi::BuiltinExc::StopIteration, "", &[(it, itp), (src, source_ty), (pos, s)]);
                let p1 = v(b.op(LlOp::IntAdd, vec![k[2].clone(), int(1)], s));
                b.op(LlOp::SetField(fr(iter, 1)), vec![k[0].clone(), p1], TypeId::VOID);
                match kind {
                    IterKind::DictKeys | IterKind::DictValues => {
                        let f = if kind == IterKind::DictKeys { RtFn::DictKeyAt } else { RtFn::DictValueAt };
                        let w = v(b.op(LlOp::RtCall(f), vec![k[1].clone(), k[2].clone()], s));
                        let x = word_to(&mut b, w, item);
                        b.ret(x);
                    }
                    _ => {
                        let tup = self.ll.types.deref(item);
                        let tys = self.field_types(tup);
                        let kw = v(b.op(LlOp::RtCall(RtFn::DictKeyAt), vec![k[1].clone(), k[2].clone()], s));
                        let vw = v(b.op(LlOp::RtCall(RtFn::DictValueAt), vec![k[1].clone(), k[2].clone()], s));
                        let kx = word_to(&mut b, kw, tys[0]);
                        let vx = word_to(&mut b, vw, tys[1]);
                        let t = v(b.op(LlOp::Malloc, vec![], item));
                        b.op(LlOp::SetField(fr(tup, 0)), vec![t.clone(), kx], TypeId::VOID);
                        b.op(LlOp::SetField(fr(tup, 1)), vec![t.clone(), vx], TypeId::VOID);
                        b.ret(t);
                    }
                }
            }
            IterKind::Enumerate => {
                // item is a (count, inner item) tuple.
                let tup = self.ll.types.deref(item);
                let tys = self.field_types(tup);
                let inner = self.ll.types.deref(source_ty);
                let inner_kind = self.iter_kinds[&inner];
                let f = self.helper(Helper::IterNext { iter: inner, kind: inner_kind, item: tys[1] });
                let fc = self.ll.func_const(f);
                let x = v(b.op(LlOp::DirectCall, vec![c(fc), src], tys[1]));
                let n = v(b.op(LlOp::GetField(fr(iter, 2)), vec![it.clone()], s));
                let n1 = v(b.op(LlOp::IntAdd, vec![n.clone(), int(1)], s));
                b.op(LlOp::SetField(fr(iter, 2)), vec![it, n1], TypeId::VOID);
                let t = v(b.op(LlOp::Malloc, vec![], item));
                b.op(LlOp::SetField(fr(tup, 0)), vec![t.clone(), n], TypeId::VOID);
                b.op(LlOp::SetField(fr(tup, 1)), vec![t.clone(), x], TypeId::VOID);
                b.ret(t);
            }
            IterKind::Zip => {
                let tup = self.ll.types.deref(item);
                let tys = self.field_types(tup);
                let inners = self.ll.types.deref(source_ty);
                let inner_tys = self.field_types(inners);
                let mut xs = Vec::new();
                for (i, ity) in inner_tys.iter().enumerate() {
                    let inner = self.ll.types.deref(*ity);
                    let ik = self.iter_kinds[&inner];
                    let f = self.helper(Helper::IterNext { iter: inner, kind: ik, item: tys[i] });
                    let fc = self.ll.func_const(f);
                    let itv = v(b.op(LlOp::GetField(fr(inners, i as u32)), vec![src.clone()], *ity));
                    xs.push(v(b.op(LlOp::DirectCall, vec![c(fc), itv], tys[i])));
                }
                let t = v(b.op(LlOp::Malloc, vec![], item));
                for (i, x) in xs.into_iter().enumerate() {
                    b.op(LlOp::SetField(fr(tup, i as u32)), vec![t.clone(), x], TypeId::VOID);
                }
                b.ret(t);
            }
            IterKind::Range => {
                let _ = LlType::Void;
                b.ret(int(0));
            }
        }
        (name, b.finish())
    }
}

impl<'r, 'a> Lower<'r, 'a> {
    /// Creates an iterator of representation `rr` over a value.
    pub fn make_iter(&mut self, x: LlValue, xr: &Repr, rr: &Repr) -> LlValue {
        let Repr::Iter(ir) = rr else { return self.unsupported("this iterator") };
        if matches!(xr, Repr::Iter(_)) {
            return x;
        }
        let ir = ir.clone();
        let src = self.convert(x, xr, &ir.source);
        let it = self.genop(LlOp::Malloc, vec![], ir.ptr);
        let start = match (&ir.kind, &ir.source) {
            (kiln_annotator::IterKind::Reversed, Repr::List(lr)) => {
                let n = self.list_len(src.clone(), &lr.clone());
                self.genop(LlOp::IntSub, vec![n, c(LlConst::Signed(1))], TypeId::SIGNED)
            }
            _ => c(LlConst::Signed(0)),
        };
        self.genop(LlOp::SetField(FieldRef { strukt: ir.strukt, index: 0 }), vec![it.clone(), src], TypeId::VOID);
        self.genop(LlOp::SetField(FieldRef { strukt: ir.strukt, index: 1 }), vec![it.clone(), start], TypeId::VOID);
        it
    }

    /// `next(it)`: a call to the iterator's helper (which raises StopIteration at the end).
    pub fn iter_next(&mut self, it: LlValue, ir: &Repr, rr: &Repr) -> LlValue {
        let Repr::Iter(ir) = ir else { return self.unsupported("next() on this value") };
        let ir = ir.clone();
        let item_ty = ir.item.lltype();
        let x = self.helper(Helper::IterNext { iter: ir.strukt, kind: ir.kind, item: item_ty }, vec![it]);
        self.convert(x, &ir.item, rr)
    }

    /// `enumerate(x)`, `zip(a, b, ...)`, `reversed(l)`: iterators over iterators.
    pub fn wrap_iter(&mut self, args: &[kiln_flowspace::Opnd], rr: &Repr) -> LlValue {
        let Repr::Iter(ir) = rr else { return self.unsupported("this iterator") };
        let ir = ir.clone();
        match (&ir.kind, &ir.source) {
            (IterKind::Enumerate, Repr::Iter(_)) => {
                let (x, xr) = self.arg(&args[0]);
                let inner = self.make_iter(x, &xr, &ir.source);
                let it = self.genop(LlOp::Malloc, vec![], ir.ptr);
                self.genop(LlOp::SetField(FieldRef { strukt: ir.strukt, index: 0 }), vec![it.clone(), inner], TypeId::VOID);
                self.genop(LlOp::SetField(FieldRef { strukt: ir.strukt, index: 2 }), vec![it.clone(), c(LlConst::Signed(0))], TypeId::VOID);
                it
            }
            (IterKind::Zip, Repr::Tuple(tr)) => {
                let tr = tr.clone();
                let mut inners = Vec::new();
                for (a, r) in args.iter().zip(tr.items.iter()) {
                    let (x, xr) = self.arg(a);
                    inners.push(self.make_iter(x, &xr, r));
                }
                let t = self.new_tuple(&tr, inners);
                let it = self.genop(LlOp::Malloc, vec![], ir.ptr);
                self.genop(LlOp::SetField(FieldRef { strukt: ir.strukt, index: 0 }), vec![it.clone(), t], TypeId::VOID);
                it
            }
            (IterKind::Reversed, _) => {
                let (x, xr) = self.arg(&args[0]);
                self.make_iter(x, &xr, rr)
            }
            _ => self.unsupported("this iterator"),
        }
    }
}
