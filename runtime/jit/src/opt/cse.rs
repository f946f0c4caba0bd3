//! Common-subexpression elimination of pure ops: an op equal to an earlier one (same op,
//! same arguments up to commutation and mirrored comparisons, same descriptor) reuses its
//! result. Elidable `call_pure_*` calls with equal arguments are pure ops too (the second
//! loses its `guard_no_exception`: the first returned normally). An `_ovf` op whose first
//! copy passed `guard_no_overflow` is reused with its guard, and so is the plain op that
//! computes the same value.

use std::collections::HashMap;

use crate::descr::{DescrId, DescrTable};
use crate::ir::{Trace, Value};
use crate::opcode::{flags, OpCode};
use crate::opt::Rewriter;

type Key = (OpCode, Vec<Value>, Option<DescrId>);

fn order(v: &Value) -> (u8, u64) {
    match v {
        Value::Const(c) => (0, match c {
            crate::ir::Const::Int(i) => *i as u64,
            crate::ir::Const::Float(b) | crate::ir::Const::Ref(b) => *b,
        }),
        Value::Box(b) => (1, b.0 as u64),
    }
}

/// The canonical form of an op for lookup.
fn key(opcode: OpCode, args: &[Value], descr: Option<DescrId>) -> Key {
    use OpCode::*;
    let mirrored = match opcode {
        IntGt => Some(IntLt),
        IntGe => Some(IntLe),
        UintGt => Some(UintLt),
        UintGe => Some(UintLe),
        FloatGt => Some(FloatLt),
        FloatGe => Some(FloatLe),
        _ => None,
    };
    if let (Some(m), [a, b]) = (mirrored, args) {
        return (m, vec![*b, *a], descr);
    }
    let mut args = args.to_vec();
    if opcode.info().has(flags::COMMUTATIVE) && args.len() == 2 && order(&args[1]) < order(&args[0]) {
        args.swap(0, 1);
    }
    (opcode, args, descr)
}

pub fn run(descrs: &DescrTable, trace: &mut Trace) {
    let ops = std::mem::take(&mut trace.ops);
    let mut rw = Rewriter::new(ops.len());
    let mut seen: HashMap<Key, Value> = HashMap::new();
    let mut drop_next = None;
    for (i, op) in ops.iter().enumerate() {
        let op = rw.prepare(op.clone());
        if drop_next.take() == Some(op.opcode) {
            continue;
        }
        if op.opcode == OpCode::Label {
            rw.emit_label(trace, op);
            seen.clear();
            continue;
        }
        let next = ops.get(i + 1).map(|o| o.opcode);
        let Some(result) = op.result else {
            rw.emit(op);
            continue;
        };
        // A call that raised (its guard catches the exception) gives no value to reuse,
        // and must itself run again.
        let elidable_call = op.opcode.is_call_pure()
            && next != Some(OpCode::GuardException)
            && op.descr.and_then(|d| descrs.call(d)).is_some_and(|c| c.effect.is_elidable());
        let ovf_checked = op.opcode.is_ovf() && next == Some(OpCode::GuardNoOverflow);
        if !(op.opcode.is_pure() || elidable_call || ovf_checked) {
            rw.emit(op);
            continue;
        }
        let k = key(op.opcode, &op.args, op.descr);
        if let Some(&v) = seen.get(&k) {
            rw.forward(result, v);
            if elidable_call && next == Some(OpCode::GuardNoException) || ovf_checked {
                drop_next = next;
            }
            continue;
        }
        seen.insert(k, Value::Box(result));
        if let (true, Some(base)) = (ovf_checked, op.opcode.without_ovf()) {
            seen.entry(key(base, &op.args, op.descr)).or_insert(Value::Box(result));
        }
        rw.emit(op);
    }
    rw.finish(trace);
}

#[cfg(test)]
mod tests {
    use crate::opt::testing::check;

    #[test]
    fn equal_pure_ops_share_a_result() {
        check(
            Some("cse"),
            "
            descr A: array(base=16, len=8, item_size=8, type=i)
            [i0, i1, p2]
            i3 = int_add(i0, i1)
            i4 = int_add(i1, i0)
            i5 = int_lt(i0, i1)
            i6 = int_gt(i1, i0)
            i7 = arraylen_gc(p2, descr=A)
            i8 = arraylen_gc(p2, descr=A)
            i9 = int_sub(i0, i1)
            i10 = int_sub(i1, i0)
            i11 = int_mul(i3, 2)
            i12 = int_mul(2, i4)
            finish(i3, i4, i5, i6, i7, i8, i9, i10, i11, i12)
            ",
            "
            [i0, i1, p2]
            i3 = int_add(i0, i1)
            i5 = int_lt(i0, i1)
            i7 = arraylen_gc(p2, descr=A)
            i9 = int_sub(i0, i1)
            i10 = int_sub(i1, i0)
            i11 = int_mul(i3, 2)
            finish(i3, i3, i5, i5, i7, i7, i9, i10, i11, i11)
            ",
        );
    }

    #[test]
    fn elidable_calls_with_equal_arguments_are_made_once() {
        check(
            Some("cse"),
            "
            descr f: call(args=[i], result=i, can_raise, elidable, reads=all, writes=[])
            [i0]
            i1 = call_pure_i(4096, i0, descr=f)
            guard_no_exception() [i0]
            i2 = call_pure_i(4096, i0, descr=f)
            guard_no_exception() [i0, i2]
            i3 = call_pure_i(4096, 5, descr=f)
            guard_no_exception() [i0]
            i4 = call_pure_i(4096, 5, descr=f)
            guard_no_exception() [i4]
            finish(i1, i2, i3, i4)
            ",
            "
            [i0]
            i1 = call_pure_i(4096, i0, descr=f)
            guard_no_exception() [i0]
            i3 = call_pure_i(4096, 5, descr=f)
            guard_no_exception() [i0]
            finish(i1, i1, i3, i3)
            ",
        );
    }

    #[test]
    fn checked_overflow_ops_are_reused_with_their_guard() {
        check(
            Some("cse"),
            "
            [i0]
            i1 = int_add_ovf(i0, 1)
            guard_no_overflow() [i0]
            i2 = int_add_ovf(1, i0)
            guard_no_overflow() [i0]
            i3 = int_add(i0, 1)
            i4 = int_mul_ovf(i0, i0)
            guard_overflow() [i0]
            i5 = int_mul_ovf(i0, i0)
            guard_overflow() [i0]
            finish(i1, i2, i3, i4, i5)
            ",
            "
            [i0]
            i1 = int_add_ovf(i0, 1)
            guard_no_overflow() [i0]
            i4 = int_mul_ovf(i0, i0)
            guard_overflow() [i0]
            i5 = int_mul_ovf(i0, i0)
            guard_overflow() [i0]
            finish(i1, i1, i1, i4, i5)
            ",
        );
    }
}
