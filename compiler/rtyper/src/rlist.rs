//! Lists: methods, slicing, concatenation and repetition, `in`, deletion, and the
//! built-ins that consume lists (`sum`, `min`, `max`, `sorted`, `any`, `all`, `list()`).
//!
//! Operations that only move items are runtime calls generic over 8-byte slots (the items'
//! GC type ids are passed where they allocate); operations on one item are helper graphs.

use std::sync::Arc;

use kiln_flowgraph::Operation;
use kiln_flowspace::{Hl, Opnd};
use kiln_lltype::builder::LlValue;
use kiln_lltype::{FieldRef, LlConst, LlOp, RtFn, TypeId};

use crate::helpers::Helper;
use crate::lower::Lower;
use crate::repr::{ListRepr, Repr};
use crate::rstr::ABSENT;

fn c(v: LlConst) -> LlValue {
    LlValue::Const(v)
}

impl<'r, 'a> Lower<'r, 'a> {
    /// The GC type ids of a list's struct and items array, as operands.
    pub fn list_tids(&mut self, lr: &ListRepr) -> (LlValue, LlValue) {
        let l = self.rt.ll.types.gc_typeid(lr.strukt).unwrap_or(0) as i64;
        let a = self.rt.ll.types.gc_typeid(lr.array).unwrap_or(0) as i64;
        (c(LlConst::Signed(l)), c(LlConst::Signed(a)))
    }

    pub fn list_len(&mut self, l: LlValue, lr: &ListRepr) -> LlValue {
        self.genop(LlOp::GetField(FieldRef { strukt: lr.strukt, index: 0 }), vec![l], TypeId::SIGNED)
    }

    /// `x in l`.
    pub fn list_contains(&mut self, l: LlValue, lr: &Arc<ListRepr>, item: &Opnd) -> LlValue {
        let x = self.arg_as(item, &lr.item);
        let w = self.to_word(x, &lr.item);
        let d = self.desc_of(&lr.item);
        let i = self.rtcall(RtFn::ListFind, vec![l, w, d, c(LlConst::Signed(0))], TypeId::SIGNED);
        self.genop(LlOp::IntGe, vec![i, c(LlConst::Signed(0))], TypeId::BOOL)
    }

    pub fn list_binop(&mut self, op: &Operation<Hl>, b: kiln_frontend::ops::BinOp, inplace: bool, rr: &Repr) -> LlValue {
        use kiln_frontend::ops::BinOp;
        let Repr::List(lr) = rr else { return self.unsupported("this list operation") };
        let lr = lr.clone();
        let (tl, ta) = self.list_tids(&lr);
        match b {
            BinOp::Add => {
                let x = self.arg_as(&op.args[0], rr);
                let y = self.arg_as(&op.args[1], rr);
                if inplace {
                    self.helper(Helper::ListExtend { strukt: lr.strukt, array: lr.array }, vec![x.clone(), y]);
                    return x;
                }
                self.rtcall(RtFn::ListConcat, vec![x, y, tl, ta], lr.ptr)
            }
            BinOp::Mul => {
                let (l, n) = if matches!(self.opnd_repr(&op.args[0]), Repr::List(_)) { (&op.args[0], &op.args[1]) } else { (&op.args[1], &op.args[0]) };
                let x = self.arg_as(l, rr);
                let n = self.arg_as(n, &Repr::Int);
                self.rtcall(RtFn::ListMul, vec![x, n, tl, ta], lr.ptr)
            }
            _ => self.unsupported(&format!("list '{}'", b.symbol())),
        }
    }

    pub fn list_getslice(&mut self, op: &Operation<Hl>, lr: &Arc<ListRepr>) -> LlValue {
        let (l, _) = self.arg(&op.args[0]);
        let lo = self.opt_int(op.args.get(1), ABSENT);
        let hi = self.opt_int(op.args.get(2), ABSENT);
        let st = self.opt_int(op.args.get(3), 1);
        let (tl, ta) = self.list_tids(lr);
        self.rtcall(RtFn::ListSlice, vec![l, lo, hi, st, tl, ta], lr.ptr)
    }

    pub fn list_setslice(&mut self, op: &Operation<Hl>, lr: &Arc<ListRepr>) -> LlValue {
        let (l, _) = self.arg(&op.args[0]);
        let lo = self.opt_int(op.args.get(1), ABSENT);
        let hi = self.opt_int(op.args.get(2), ABSENT);
        let other = self.arg_as(&op.args[3], &Repr::List(lr.clone()));
        let (_, ta) = self.list_tids(lr);
        self.rtcall(RtFn::ListSetSlice, vec![l, lo, hi, other, ta], TypeId::VOID);
        c(LlConst::Void)
    }

    pub fn list_delitem(&mut self, l: LlValue, lr: &Arc<ListRepr>, idx: &Opnd) -> LlValue {
        let i = self.arg_as(idx, &Repr::Int);
        self.helper(Helper::ListDel { strukt: lr.strukt }, vec![l, i]);
        c(LlConst::Void)
    }

    pub fn list_method(&mut self, op: &Operation<Hl>, name: &str, rr: &Repr, nkw: usize) -> LlValue {
        let (l, lrr) = self.arg(&op.args[0]);
        let Repr::List(lr) = &lrr else { return self.unsupported("this list method") };
        let lr = lr.clone();
        let a = &op.args[1..op.args.len() - nkw];
        let kws: Vec<Opnd> = op.args[op.args.len() - nkw..].to_vec();
        match name {
            "append" => {
                let item = self.arg_as(&a[0], &lr.item);
                let stored = self.to_storage(item, &lr.item);
                self.helper(Helper::ListAppend { strukt: lr.strukt, array: lr.array, storage: lr.storage }, vec![l, stored]);
                c(LlConst::Void)
            }
            "pop" => {
                let i = self.opt_int(a.first(), -1);
                let raw = self.helper(Helper::ListPop { strukt: lr.strukt, array: lr.array, storage: lr.storage }, vec![l, i]);
                self.from_storage(raw, &lr.item, rr)
            }
            "insert" => {
                let i = self.arg_as(&a[0], &Repr::Int);
                let item = self.arg_as(&a[1], &lr.item);
                let stored = self.to_storage(item, &lr.item);
                self.helper(Helper::ListInsert { strukt: lr.strukt, array: lr.array, storage: lr.storage }, vec![l, i, stored]);
                c(LlConst::Void)
            }
            "extend" => {
                let other = self.arg_as(&a[0], &lrr);
                self.helper(Helper::ListExtend { strukt: lr.strukt, array: lr.array }, vec![l, other]);
                c(LlConst::Void)
            }
            "reverse" => {
                self.rtcall(RtFn::ListReverse, vec![l], TypeId::VOID);
                c(LlConst::Void)
            }
            "sort" => {
                let rev = match kws.first() {
                    Some(o) => {
                        let t = self.truth(o);
                        self.genop(LlOp::CastBoolToInt, vec![t], TypeId::SIGNED)
                    }
                    None => c(LlConst::Signed(0)),
                };
                let d = self.desc_of(&lr.item);
                self.rtcall(RtFn::ListSort, vec![l, d, rev], TypeId::VOID);
                c(LlConst::Void)
            }
            "index" | "remove" => {
                let x = self.arg_as(&a[0], &lr.item);
                let w = self.to_word(x, &lr.item);
                let d = self.desc_of(&lr.item);
                let i = self.rtcall(RtFn::ListFind, vec![l.clone(), w.clone(), d, c(LlConst::Signed(0))], TypeId::SIGNED);
                if name == "index" {
                    // CPython 3.11: "<repr> is not in list".
                    let d = self.desc_of(&lr.item);
                    return self.helper(Helper::CheckFoundIndex, vec![i, w, d]);
                }
                let i = self.helper(Helper::CheckFound { msg: "list.remove(x): x not in list".into() }, vec![i]);
                self.helper(Helper::ListDel { strukt: lr.strukt }, vec![l, i]);
                c(LlConst::Void)
            }
            "count" => {
                let x = self.arg_as(&a[0], &lr.item);
                let w = self.to_word(x, &lr.item);
                let d = self.desc_of(&lr.item);
                self.rtcall(RtFn::ListCount, vec![l, w, d], TypeId::SIGNED)
            }
            "copy" => {
                let (tl, ta) = self.list_tids(&lr);
                let m = c(LlConst::Signed(ABSENT));
                self.rtcall(RtFn::ListSlice, vec![l, m.clone(), m, c(LlConst::Signed(1)), tl, ta], lr.ptr)
            }
            other => self.unsupported(&format!("list.{other}()")),
        }
    }

    /// `sum`, `min`, `max`, `any`, `all`, `sorted` over a list.
    pub fn list_builtin(&mut self, b: kiln_frontend::Builtin, args: &[Opnd], kws: &[(std::sync::Arc<str>, Opnd)], rr: &Repr) -> LlValue {
        use kiln_frontend::Builtin as B;
        let (l, lrr) = self.arg(&args[0]);
        let Repr::List(lr) = &lrr else { return self.unsupported(&format!("{}() of this value", b.name())) };
        let lr = lr.clone();
        match b {
            B::Sum => {
                let total = match lr.item {
                    Repr::Float => self.rtcall(RtFn::ListSumFloat, vec![l], TypeId::FLOAT),
                    _ => self.rtcall(RtFn::ListSumInt, vec![l], TypeId::SIGNED),
                };
                let tr = if lr.item == Repr::Float { Repr::Float } else { Repr::Int };
                let total = self.convert(total, &tr, rr);
                match args.get(1) {
                    Some(start) => {
                        let s = self.arg_as(start, rr);
                        match rr {
                            Repr::Float => self.genop(LlOp::FloatAdd, vec![total, s], TypeId::FLOAT),
                            _ => self.genop(LlOp::IntAdd, vec![total, s], TypeId::SIGNED),
                        }
                    }
                    None => total,
                }
            }
            B::Min | B::Max => {
                let d = self.desc_of(&lr.item);
                let w = self.rtcall(RtFn::ListMinMax, vec![l, d, c(LlConst::Signed((b == B::Max) as i64))], TypeId::SIGNED);
                let v = self.from_word(w, &lr.item);
                self.convert(v, &lr.item, rr)
            }
            B::Any | B::All => {
                // Whether some item is false, with equality to the item type's false value.
                let falsy = match lr.item {
                    Repr::Int | Repr::Bool | Repr::Uint => c(LlConst::Signed(0)),
                    Repr::Float => c(LlConst::Signed(0)),
                    Repr::Str => {
                        let e = self.str_const("");
                        self.to_word(e, &Repr::Str)
                    }
                    Repr::Char => {
                        // Chars are never empty: any() is "non-empty", all() is true.
                        let n = self.list_len(l, &lr);
                        return if b == B::Any { self.genop(LlOp::IntGt, vec![n, c(LlConst::Signed(0))], TypeId::BOOL) } else { c(LlConst::Bool(true)) };
                    }
                    // A list whose items are all None, or that never holds anything
                    // (`any([])`): any() is false, all() is "empty".
                    Repr::Void => {
                        if b == B::Any {
                            return c(LlConst::Bool(false));
                        }
                        let n = self.list_len(l, &lr);
                        return self.genop(LlOp::IntEq, vec![n, c(LlConst::Signed(0))], TypeId::BOOL);
                    }
                    // Instances are true unless None (the null word).
                    Repr::Instance { .. } => c(LlConst::Signed(0)),
                    _ => return self.unsupported(&format!("{}() of a list of this type", b.name())),
                };
                let d = self.desc_of(&lr.item);
                if b == B::All {
                    let i = self.rtcall(RtFn::ListFind, vec![l, falsy, d, c(LlConst::Signed(0))], TypeId::SIGNED);
                    self.genop(LlOp::IntLt, vec![i, c(LlConst::Signed(0))], TypeId::BOOL)
                } else {
                    let k = self.rtcall(RtFn::ListCount, vec![l.clone(), falsy, d], TypeId::SIGNED);
                    let n = self.list_len(l, &lr);
                    self.genop(LlOp::IntLt, vec![k, n], TypeId::BOOL)
                }
            }
            B::Sorted => {
                let (tl, ta) = self.list_tids(&lr);
                let m = c(LlConst::Signed(ABSENT));
                let copy = self.rtcall(RtFn::ListSlice, vec![l, m.clone(), m, c(LlConst::Signed(1)), tl, ta], lr.ptr);
                let rev = match kws.iter().find(|(k, _)| &**k == "reverse") {
                    Some((_, o)) => {
                        let t = self.truth(o);
                        self.genop(LlOp::CastBoolToInt, vec![t], TypeId::SIGNED)
                    }
                    None => c(LlConst::Signed(0)),
                };
                let d = self.desc_of(&lr.item);
                self.rtcall(RtFn::ListSort, vec![copy.clone(), d, rev], TypeId::VOID);
                copy
            }
            _ => self.unsupported(&format!("{}()", b.name())),
        }
    }

    /// `list(x)`: a copy of a list, the characters of a str, or a dict's keys.
    pub fn list_from(&mut self, o: &Opnd, rr: &Repr) -> LlValue {
        let Repr::List(lr) = rr else { return self.unsupported("list() producing this") };
        let lr = lr.clone();
        let (x, xr) = self.arg(o);
        let (tl, ta) = self.list_tids(&lr);
        match &xr {
            Repr::List(_) => {
                let m = c(LlConst::Signed(ABSENT));
                self.rtcall(RtFn::ListSlice, vec![x, m.clone(), m, c(LlConst::Signed(1)), tl, ta], lr.ptr)
            }
            Repr::Dict(_) => self.rtcall(RtFn::DictKeys, vec![x, tl, ta], lr.ptr),
            Repr::Str | Repr::Char => {
                let s = self.convert(x, &xr, &Repr::Str);
                self.helper(Helper::StrToList { strukt: lr.strukt, array: lr.array }, vec![s])
            }
            _ => self.unsupported("list() of this value"),
        }
    }

    /// `range(...)` used as a value: a new list of ints.
    pub fn range_list(&mut self, args: &[Opnd], rr: &Repr) -> LlValue {
        let Repr::List(lr) = rr else { return self.unsupported("range() here") };
        let lr = lr.clone();
        let (start, stop, step) = match args.len() {
            1 => (c(LlConst::Signed(0)), self.arg_as(&args[0], &Repr::Int), c(LlConst::Signed(1))),
            2 => (self.arg_as(&args[0], &Repr::Int), self.arg_as(&args[1], &Repr::Int), c(LlConst::Signed(1))),
            _ => (self.arg_as(&args[0], &Repr::Int), self.arg_as(&args[1], &Repr::Int), self.arg_as(&args[2], &Repr::Int)),
        };
        let (tl, ta) = self.list_tids(&lr);
        self.rtcall(RtFn::ListRange, vec![start, stop, step, tl, ta], lr.ptr)
    }
}
