//! The heap cache: field and array-item values known along the trace. A read of a
//! location that was read or written before reuses the value; a write of the value a
//! location already holds goes. A write to a descriptor forgets that descriptor's values on
//! every object that may be the same one (two objects allocated in the trace are not);
//! a call forgets what its descriptor's write set names, and everything when that set is
//! unknown. Immutable fields and items (`_immutable_fields_`, not quasi-immutable ones)
//! survive writes and calls.

use std::collections::{HashMap, HashSet};

use crate::descr::{DescrId, DescrTable, Mutability};
use crate::ir::{BoxId, Trace, Value};
use crate::opcode::OpCode;
use crate::opt::Rewriter;

#[derive(Default)]
struct Cache {
    fields: HashMap<(Value, DescrId), Value>,
    items: HashMap<(Value, DescrId, Value), Value>,
    /// Objects allocated in this trace since the last label: distinct from each other.
    fresh: HashSet<BoxId>,
}

impl Cache {
    fn distinct(&self, a: Value, b: Value) -> bool {
        match (a, b) {
            (Value::Box(x), Value::Box(y)) => x != y && self.fresh.contains(&x) && self.fresh.contains(&y),
            // Two constant objects at different addresses, or a fresh object and a
            // constant one, are distinct.
            (Value::Const(x), Value::Const(y)) => x != y,
            (Value::Box(x), Value::Const(_)) | (Value::Const(_), Value::Box(x)) => self.fresh.contains(&x),
        }
    }

    fn forget_descr(&mut self, d: DescrId) {
        self.fields.retain(|&(_, fd), _| fd != d);
        self.items.retain(|&(_, ad, _), _| ad != d);
    }
}

fn immutable(descrs: &DescrTable, d: DescrId) -> bool {
    match (descrs.field(d), descrs.array(d)) {
        (Some(f), _) => f.mutability == Mutability::Immutable,
        (_, Some(a)) => a.immutable_items,
        _ => false,
    }
}

pub fn run(descrs: &DescrTable, trace: &mut Trace) {
    let ops = std::mem::take(&mut trace.ops);
    let mut rw = Rewriter::new(ops.len());
    let mut cache = Cache::default();
    for op in ops {
        let op = rw.prepare(op);
        let descr = op.descr;
        match (op.opcode, descr) {
            (OpCode::Label, _) => {
                rw.emit_label(trace, op);
                cache = Cache::default();
                continue;
            }
            (OpCode::GetfieldGcI | OpCode::GetfieldGcR | OpCode::GetfieldGcF, Some(d)) => {
                let k = (op.args[0], d);
                if let (Some(&v), Some(r)) = (cache.fields.get(&k), op.result) {
                    rw.forward(r, v);
                    continue;
                }
                if let Some(r) = op.result {
                    cache.fields.insert(k, Value::Box(r));
                }
            }
            (OpCode::SetfieldGc, Some(d)) => {
                let (obj, v) = (op.args[0], op.args[1]);
                if cache.fields.get(&(obj, d)) == Some(&v) {
                    continue;
                }
                if !immutable(descrs, d) {
                    let keep: Vec<_> = cache
                        .fields
                        .iter()
                        .filter(|&(&(o, fd), _)| fd != d || cache.distinct(o, obj))
                        .map(|(&k, &v)| (k, v))
                        .collect();
                    cache.fields = keep.into_iter().collect();
                }
                cache.fields.insert((obj, d), v);
            }
            (OpCode::GetarrayitemGcI | OpCode::GetarrayitemGcR | OpCode::GetarrayitemGcF, Some(d)) => {
                let k = (op.args[0], d, op.args[1]);
                if let (Some(&v), Some(r)) = (cache.items.get(&k), op.result) {
                    rw.forward(r, v);
                    continue;
                }
                if let Some(r) = op.result {
                    cache.items.insert(k, Value::Box(r));
                }
            }
            (OpCode::SetarrayitemGc, Some(d)) => {
                let (arr, index, v) = (op.args[0], op.args[1], op.args[2]);
                if cache.items.get(&(arr, d, index)) == Some(&v) {
                    continue;
                }
                if !immutable(descrs, d) {
                    // Another entry survives if it is another descriptor, a distinct array,
                    // or a different constant index.
                    let survives = |&(a, ad, i): &(Value, DescrId, Value)| {
                        ad != d
                            || cache.distinct(a, arr)
                            || matches!((i.as_int_const(), index.as_int_const()), (Some(x), Some(y)) if x != y)
                    };
                    let keep: Vec<_> =
                        cache.items.iter().filter(|(k, _)| survives(k)).map(|(&k, &v)| (k, v)).collect();
                    cache.items = keep.into_iter().collect();
                }
                cache.items.insert((arr, d, index), v);
            }
            (OpCode::New | OpCode::NewWithVtable | OpCode::NewArray, _) => {
                if let Some(r) = op.result {
                    cache.fresh.insert(r);
                }
            }
            (opcode, d) if opcode.is_call() => match d.and_then(|d| descrs.call(d)).and_then(|c| c.effect.writes.clone()) {
                Some(writes) => {
                    for w in writes {
                        if !immutable(descrs, w) {
                            cache.forget_descr(w);
                        }
                    }
                }
                None => {
                    cache.fields.retain(|&(_, fd), _| immutable(descrs, fd));
                    cache.items.retain(|&(_, ad, _), _| immutable(descrs, ad));
                }
            },
            _ => {}
        }
        rw.emit(op);
    }
    rw.finish(trace);
}

#[cfg(test)]
mod tests {
    const DESCRS: &str = "
        descr Cell.value: field(offset=8, size=8, type=i)
        descr Cell.next: field(offset=16, size=8, type=r)
        descr Cell.id: field(offset=24, size=8, type=i, immutable)
        descr Cell.cache: field(offset=32, size=8, type=i, quasi_immutable)
        descr Arr: array(base=16, len=8, item_size=8, type=i)
        descr Cell: size(size=40, type_id=3)
        descr set_value: call(args=[r], result=void, reads=all, writes=[Cell.value])
        descr opaque: call(args=[r], result=void, can_raise, reads=all, writes=all)
        descr pure_len: call(args=[r], result=i, elidable, reads=all, writes=[])
    ";

    fn check(before: &str, after: &str) {
        super::super::testing::check(Some("heap"), &format!("{DESCRS}{before}"), after);
    }

    #[test]
    fn reads_after_reads_and_writes_reuse_the_value() {
        check(
            "
            [p0, p1, i2]
            i3 = getfield_gc_i(p0, descr=Cell.value)
            i4 = getfield_gc_i(p0, descr=Cell.value)
            setfield_gc(p1, p0, descr=Cell.next)
            i5 = getfield_gc_i(p0, descr=Cell.value)
            setfield_gc(p1, i2, descr=Cell.value)
            i6 = getfield_gc_i(p1, descr=Cell.value)
            i7 = getfield_gc_i(p0, descr=Cell.value)
            setfield_gc(p1, i6, descr=Cell.value)
            finish(i3, i4, i5, i6, i7)
            ",
            "
            [p0, p1, i2]
            i3 = getfield_gc_i(p0, descr=Cell.value)
            setfield_gc(p1, p0, descr=Cell.next)
            setfield_gc(p1, i2, descr=Cell.value)
            i7 = getfield_gc_i(p0, descr=Cell.value)
            finish(i3, i3, i3, i2, i7)
            ",
        );
    }

    #[test]
    fn calls_forget_only_what_they_may_write() {
        check(
            "
            [p0, i1]
            i2 = getfield_gc_i(p0, descr=Cell.value)
            p3 = getfield_gc_r(p0, descr=Cell.next)
            i4 = getfield_gc_i(p0, descr=Cell.id)
            i5 = getfield_gc_i(p0, descr=Cell.cache)
            call_n(4096, p0, descr=set_value)
            i6 = getfield_gc_i(p0, descr=Cell.value)
            p7 = getfield_gc_r(p0, descr=Cell.next)
            i8 = call_pure_i(8192, p0, descr=pure_len)
            i9 = getfield_gc_i(p0, descr=Cell.value)
            call_n(12288, p0, descr=opaque)
            guard_no_exception() [p0]
            p10 = getfield_gc_r(p0, descr=Cell.next)
            i11 = getfield_gc_i(p0, descr=Cell.id)
            i12 = getfield_gc_i(p0, descr=Cell.cache)
            finish(i2, p3, i4, i5, i6, p7, i8, i9, p10, i11, i12)
            ",
            "
            [p0, i1]
            i2 = getfield_gc_i(p0, descr=Cell.value)
            p3 = getfield_gc_r(p0, descr=Cell.next)
            i4 = getfield_gc_i(p0, descr=Cell.id)
            i5 = getfield_gc_i(p0, descr=Cell.cache)
            call_n(4096, p0, descr=set_value)
            i6 = getfield_gc_i(p0, descr=Cell.value)
            i8 = call_pure_i(8192, p0, descr=pure_len)
            call_n(12288, p0, descr=opaque)
            guard_no_exception() [p0]
            p10 = getfield_gc_r(p0, descr=Cell.next)
            i12 = getfield_gc_i(p0, descr=Cell.cache)
            finish(i2, p3, i4, i5, i6, p3, i8, i6, p10, i4, i12)
            ",
        );
    }

    #[test]
    fn fresh_objects_do_not_alias_and_array_items_are_cached_by_index() {
        check(
            "
            [p0, p1, i2]
            p3 = new(descr=Cell)
            p4 = new(descr=Cell)
            setfield_gc(p3, 1, descr=Cell.value)
            setfield_gc(p4, 2, descr=Cell.value)
            i5 = getfield_gc_i(p3, descr=Cell.value)
            setfield_gc(p0, 3, descr=Cell.value)
            i6 = getfield_gc_i(p3, descr=Cell.value)
            i7 = getarrayitem_gc_i(p1, 0, descr=Arr)
            setarrayitem_gc(p1, 1, i2, descr=Arr)
            i8 = getarrayitem_gc_i(p1, 0, descr=Arr)
            i9 = getarrayitem_gc_i(p1, 1, descr=Arr)
            setarrayitem_gc(p0, i2, 5, descr=Arr)
            i10 = getarrayitem_gc_i(p1, 0, descr=Arr)
            setarrayitem_gc(p0, i2, 5, descr=Arr)
            finish(i5, i6, i7, i8, i9, i10)
            ",
            "
            [p0, p1, i2]
            p3 = new(descr=Cell)
            p4 = new(descr=Cell)
            setfield_gc(p3, 1, descr=Cell.value)
            setfield_gc(p4, 2, descr=Cell.value)
            setfield_gc(p0, 3, descr=Cell.value)
            i6 = getfield_gc_i(p3, descr=Cell.value)
            i7 = getarrayitem_gc_i(p1, 0, descr=Arr)
            setarrayitem_gc(p1, 1, i2, descr=Arr)
            setarrayitem_gc(p0, i2, 5, descr=Arr)
            i10 = getarrayitem_gc_i(p1, 0, descr=Arr)
            finish(1, i6, i7, i7, i2, i10)
            ",
        );
    }
}
