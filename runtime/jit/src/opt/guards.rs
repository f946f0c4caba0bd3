//! Removal of duplicate and implied guards: what a passed guard or an allocation proves
//! (a box is non-null, has a class, is not zero) makes later guards that check the same
//! thing redundant. `guard_nonnull_class` on a box known non-null becomes `guard_class`;
//! `guard_no_exception` goes when the op before it cannot raise; `ptr_eq(p, NULL)` on a
//! box known non-null is decided, and so are `int_is_true`/`int_is_zero` of a box a guard
//! showed is not zero. A reference that an op read or wrote through is not null after it
//! (compiled code does not check). A guard that the facts say always fails stays.

use std::collections::{HashMap, HashSet};

use crate::descr::DescrTable;
use crate::ir::{BoxId, Const, Trace, Value};
use crate::opcode::OpCode;
use crate::opt::{guard_outcome, Rewriter};

#[derive(Default)]
struct Facts {
    nonnull: HashSet<BoxId>,
    class: HashMap<BoxId, Const>,
    /// Int boxes that a passed guard showed are not zero.
    nonzero: HashSet<BoxId>,
    /// `int_is_true(x)`, `int_is_zero(x)`, `ptr_nonzero(p)` and `ptr_iszero(p)` results:
    /// what a guard on them says about x or p.
    tests: HashMap<BoxId, (OpCode, BoxId)>,
}

pub fn run(descrs: &DescrTable, trace: &mut Trace) {
    let ops = std::mem::take(&mut trace.ops);
    let mut rw = Rewriter::new(ops.len());
    let mut facts = Facts::default();
    for op in ops {
        let mut op = rw.prepare(op);
        let arg = op.args.first().and_then(|a| a.as_box());
        let redundant = match (op.opcode, arg) {
            (OpCode::Label, _) => {
                rw.emit_label(trace, op);
                facts = Facts::default();
                continue;
            }
            _ if guard_outcome(&op) == Some(true) => true,
            (OpCode::GuardNonnull, Some(b)) => !facts.nonnull.insert(b),
            (OpCode::GuardTrue | OpCode::GuardFalse, Some(b)) => {
                let truth = op.opcode == OpCode::GuardTrue;
                match facts.tests.get(&b) {
                    Some(&(OpCode::PtrNonzero, p)) if truth => {
                        facts.nonnull.insert(p);
                    }
                    Some(&(OpCode::PtrIszero, p)) if !truth => {
                        facts.nonnull.insert(p);
                    }
                    Some(&(OpCode::IntIsTrue, x)) if truth => {
                        facts.nonzero.insert(x);
                    }
                    Some(&(OpCode::IntIsZero, x)) if !truth => {
                        facts.nonzero.insert(x);
                    }
                    _ => {}
                }
                truth && !facts.nonzero.insert(b)
            }
            (OpCode::IntIsTrue | OpCode::IntIsZero, Some(x)) => {
                if let Some(r) = op.result {
                    if facts.nonzero.contains(&x) {
                        rw.forward(r, Value::int((op.opcode == OpCode::IntIsTrue) as i64));
                        continue;
                    }
                    facts.tests.insert(r, (op.opcode, x));
                }
                false
            }
            (OpCode::GuardClass | OpCode::GuardNonnullClass, Some(b)) => {
                let cls = op.args[1].as_const();
                match (facts.class.get(&b), cls) {
                    (Some(known), Some(c)) if *known == c => true,
                    (Some(_), _) => false,
                    (None, Some(c)) => {
                        if op.opcode == OpCode::GuardNonnullClass && facts.nonnull.contains(&b) {
                            op.opcode = OpCode::GuardClass;
                        }
                        facts.class.insert(b, c);
                        facts.nonnull.insert(b);
                        false
                    }
                    (None, None) => false,
                }
            }
            (OpCode::GuardNoException, _) => !rw.out.last().is_some_and(|prev| {
                prev.opcode.is_call() && prev.descr.and_then(|d| descrs.call(d)).is_none_or(|c| c.effect.can_raise)
            }),
            (OpCode::New | OpCode::NewArray, _) => {
                if let Some(r) = op.result {
                    facts.nonnull.insert(r);
                }
                false
            }
            (OpCode::NewWithVtable, _) => {
                if let Some(r) = op.result {
                    facts.nonnull.insert(r);
                    if let Some(vt) = op.descr.and_then(|d| descrs.size(d)).and_then(|s| s.vtable) {
                        facts.class.insert(r, Const::Int(vt as i64));
                    }
                }
                false
            }
            (OpCode::PtrIszero | OpCode::PtrNonzero, Some(p)) => {
                if let Some(r) = op.result {
                    if facts.nonnull.contains(&p) {
                        rw.forward(r, Value::int((op.opcode == OpCode::PtrNonzero) as i64));
                        continue;
                    }
                    facts.tests.insert(r, (op.opcode, p));
                }
                false
            }
            (OpCode::PtrEq | OpCode::PtrNe, _) => {
                let null = Value::Const(Const::Ref(0));
                let other = match (op.args[0], op.args[1]) {
                    (Value::Box(b), n) | (n, Value::Box(b)) if n == null => Some(b),
                    _ => None,
                };
                if let (Some(b), Some(r)) = (other, op.result) {
                    if facts.nonnull.contains(&b) {
                        rw.forward(r, Value::int((op.opcode == OpCode::PtrNe) as i64));
                        continue;
                    }
                }
                false
            }
            // Compiled code reads and writes through a reference without a check: once
            // that happened, the reference was not null.
            (
                OpCode::GetfieldGcI
                | OpCode::GetfieldGcR
                | OpCode::GetfieldGcF
                | OpCode::SetfieldGc
                | OpCode::GetarrayitemGcI
                | OpCode::GetarrayitemGcR
                | OpCode::GetarrayitemGcF
                | OpCode::SetarrayitemGc
                | OpCode::ArraylenGc
                | OpCode::Strlen
                | OpCode::Strgetitem,
                Some(p),
            ) => {
                rw.emit(op);
                facts.nonnull.insert(p);
                continue;
            }
            _ => false,
        };
        if !redundant {
            rw.emit(op);
        }
    }
    rw.finish(trace);
}

#[cfg(test)]
mod tests {
    use crate::opt::testing::check;

    #[test]
    fn duplicate_and_implied_guards_go() {
        check(
            Some("guards"),
            "
            descr Node: size(size=24, type_id=7, vtable=0x1000)
            [p0, p1, i2]
            guard_nonnull(p0) [p0]
            guard_class(p0, 4096) [p0]
            guard_nonnull(p0) [p0]
            guard_class(p0, 4096) [p0, i2]
            guard_nonnull_class(p0, 4096) [p0]
            p3 = new_with_vtable(descr=Node)
            guard_nonnull(p3) [p3]
            guard_class(p3, 4096) [p3]
            guard_nonnull(p1) [p1]
            guard_nonnull_class(p1, 8192) [p1]
            guard_class(p1, 4096) [p1]
            guard_true(i2) [p0]
            guard_true(i2) [p1]
            i4 = ptr_eq(p0, NULL)
            i5 = ptr_ne(NULL, p3)
            finish(i4, i5)
            ",
            "
            [p0, p1, i2]
            guard_nonnull(p0) [p0]
            guard_class(p0, 4096) [p0]
            p3 = new_with_vtable(descr=Node)
            guard_nonnull(p1) [p1]
            guard_class(p1, 8192) [p1]
            guard_class(p1, 4096) [p1]
            guard_true(i2) [p0]
            finish(0, 1)
            ",
        );
    }

    #[test]
    fn guard_no_exception_stays_only_after_a_call_that_can_raise() {
        check(
            Some("guards"),
            "
            descr f: call(args=[i], result=i, can_raise, reads=all, writes=all)
            descr g: call(args=[i], result=i, reads=all, writes=all)
            [i0]
            i1 = call_i(4096, i0, descr=f)
            guard_no_exception() [i0]
            i2 = call_i(8192, i0, descr=g)
            guard_no_exception() [i0]
            guard_no_exception() [i0]
            finish(i1, i2)
            ",
            "
            [i0]
            i1 = call_i(4096, i0, descr=f)
            guard_no_exception() [i0]
            i2 = call_i(8192, i0, descr=g)
            finish(i1, i2)
            ",
        );
    }

    #[test]
    fn facts_end_at_a_label() {
        check(
            Some("guards"),
            "
            [p0]
            guard_nonnull(p0) [p0]
            label(p0, descr=TargetToken(1))
            guard_nonnull(p0) [p0]
            guard_nonnull(p0) [p0]
            jump(p0, descr=TargetToken(1))
            ",
            "
            [p0]
            guard_nonnull(p0) [p0]
            label(p0, descr=TargetToken(1))
            guard_nonnull(p0) [p0]
            jump(p0, descr=TargetToken(1))
            ",
        );
    }

    #[test]
    fn pointer_tests_learn_and_are_decided_by_non_null() {
        // `ptr_nonzero` guarded true (a jitcode's `if p:`) makes p non-null: a later
        // guard_nonnull and pointer tests of it go.
        check(
            Some("guards"),
            "
            [p0, p1]
            i2 = ptr_nonzero(p0)
            guard_true(i2) [p0]
            guard_nonnull(p0) [p0]
            i3 = ptr_iszero(p0)
            i4 = ptr_iszero(p1)
            guard_false(i4) [p1]
            i5 = ptr_nonzero(p1)
            finish(i3, i5)
            ",
            "
            [p0, p1]
            i2 = ptr_nonzero(p0)
            guard_true(i2) [p0]
            i4 = ptr_iszero(p1)
            guard_false(i4) [p1]
            finish(0, 1)
            ",
        );
    }
}
