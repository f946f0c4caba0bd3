//! Cases from RPython's optimizer tests (`rpython/jit/metainterp/optimizeopt/test/
//! test_optimizebasic.py`), restated in our text format and run through the whole
//! pipeline: RPython's expectations are ours too. Their `jump(...)` without a loop is our
//! `finish(...)`, their `escape_*` a call with unknown effects that cannot raise, and
//! their `ConstClass(node_vtable)` the vtable address 4096. Box numbers are renamed where
//! RPython reuses one number for two types.

use crate::opt::testing::check;

const DESCRS: &str = "
    descr nodesize: size(size=24, type_id=1, vtable=0x1000)
    descr valuedescr: field(offset=8, size=8, type=i)
    descr escape_i: call(args=[], result=i, reads=all, writes=all)
    descr escape_r: call(args=[], result=r, reads=all, writes=all)
    descr escape_n: call(args=[i], result=void, reads=all, writes=all)
    descr escape_p: call(args=[r], result=void, reads=all, writes=all)
    descr nonwritedescr: call(args=[i], result=i, can_raise, elidable, reads=all, writes=[])
";

fn optimize(before: &str, after: &str) {
    check(None, &format!("{DESCRS}{before}"), after);
}

#[test]
fn test_very_simple() {
    optimize(
        "[i5]\ni0 = int_sub(i5, 1)\nguard_value(i0, 0) [i0]\nfinish(i0)",
        "[i5]\ni0 = int_sub(i5, 1)\nguard_value(i0, 0) [i0]\nfinish(0)",
    );
}

#[test]
fn test_constant_propagate_and_ovf() {
    for add in ["i0 = int_add(2, 3)", "i0 = int_add_ovf(2, 3)\nguard_no_overflow() []"] {
        optimize(
            &format!(
                "[]\n{add}\ni1 = int_is_true(i0)\nguard_true(i1) []\ni2 = int_is_zero(i1)\nguard_false(i2) []\nguard_value(i0, 5) []\nfinish()"
            ),
            "[]\nfinish()",
        );
    }
}

#[test]
fn test_remove_guard_class_1_and_2() {
    optimize(
        "[p0]\nguard_class(p0, 4096) []\nguard_class(p0, 4096) []\nfinish(p0)",
        "[p0]\nguard_class(p0, 4096) []\nfinish(p0)",
    );
    optimize(
        "[i0]\np1 = new_with_vtable(descr=nodesize)\ncall_n(1, p1, descr=escape_p)\nguard_class(p1, 4096) []\nfinish(i0)",
        "[i0]\np1 = new_with_vtable(descr=nodesize)\ncall_n(1, p1, descr=escape_p)\nfinish(i0)",
    );
}

#[test]
fn test_constant_boolrewrite() {
    // lt, gt, reflex, reflex inverse
    for (first, second) in [
        ("int_lt(i0, 0)", "guard_false(i2) []\ni2 = int_ge(i0, 0)"),
        ("int_gt(i0, 0)", "guard_false(i2) []\ni2 = int_le(i0, 0)"),
        ("int_gt(i0, 0)", "guard_true(i2) []\ni2 = int_lt(0, i0)"),
        ("int_gt(i0, 0)", "guard_false(i2) []\ni2 = int_ge(0, i0)"),
    ] {
        let (guard, def) = second.split_once('\n').unwrap();
        optimize(
            &format!("[i0]\ni1 = {first}\nguard_true(i1) []\n{def}\n{guard}\nfinish(i0)"),
            &format!("[i0]\ni1 = {first}\nguard_true(i1) []\nfinish(i0)"),
        );
    }
}

#[test]
fn test_remove_consecutive_guard_value_constfold() {
    optimize(
        "[]
        i0 = call_i(1, descr=escape_i)
        guard_value(i0, 0) []
        i1 = int_add(i0, 1)
        guard_value(i1, 1) []
        i2 = int_add(i1, 2)
        call_n(2, i2, descr=escape_n)
        finish()",
        "[]
        i0 = call_i(1, descr=escape_i)
        guard_value(i0, 0) []
        call_n(2, 3, descr=escape_n)
        finish()",
    );
}

#[test]
fn test_remove_guard_value_if_constant() {
    optimize(
        "[p1]\nguard_value(p1, ConstPtr(0x500)) []\nguard_value(p1, ConstPtr(0x500)) []\nfinish(ConstPtr(0x500))",
        "[p1]\nguard_value(p1, ConstPtr(0x500)) []\nfinish(ConstPtr(0x500))",
    );
}

#[test]
fn test_ooisnull_oononnull() {
    optimize("[p0]\nguard_class(p0, 4096) []\nguard_nonnull(p0) []\nfinish(p0)", "[p0]\nguard_class(p0, 4096) []\nfinish(p0)");
    optimize("[p0]\nguard_nonnull(p0) []\nguard_nonnull(p0) []\nfinish(p0)", "[p0]\nguard_nonnull(p0) []\nfinish(p0)");
    optimize(
        "[]\np0 = call_r(1, descr=escape_r)\nguard_isnull(p0) []\nguard_isnull(p0) []\nfinish()",
        "[]\np0 = call_r(1, descr=escape_r)\nguard_isnull(p0) []\nfinish()",
    );
}

#[test]
fn test_int_is_true_and_is_zero() {
    optimize(
        "[i0]\ni1 = int_is_true(i0)\nguard_true(i1) []\ni2 = int_is_true(i0)\nguard_true(i2) []\nfinish(i0)",
        "[i0]\ni1 = int_is_true(i0)\nguard_true(i1) []\nfinish(i0)",
    );
    optimize(
        "[i0]\ni1 = int_is_true(i0)\nguard_true(i1) []\ni2 = int_is_zero(i0)\nguard_false(i2) []\nfinish(i0)",
        "[i0]\ni1 = int_is_true(i0)\nguard_true(i1) []\nfinish(i0)",
    );
    optimize(
        "[i0]\ni2 = int_is_zero(i0)\nguard_false(i2) []\ni1 = int_is_true(i0)\nguard_true(i1) []\nfinish(i0)",
        "[i0]\ni2 = int_is_zero(i0)\nguard_false(i2) []\nfinish(i0)",
    );
    optimize(
        "[i0]\ni1 = int_is_zero(i0)\nguard_true(i1) []\ni2 = int_is_true(i0)\nguard_false(i2) []\nfinish(i0)",
        "[i0]\ni1 = int_is_zero(i0)\nguard_true(i1) []\nfinish(0)",
    );
}

#[test]
fn test_nonnull_1() {
    optimize(
        "[p9]
        setfield_gc(p9, 5, descr=valuedescr)
        i0 = ptr_ne(p9, NULL)
        guard_true(i0) []
        i1 = ptr_eq(p9, NULL)
        guard_false(i1) []
        i2 = ptr_ne(NULL, p9)
        guard_true(i0) []
        i3 = ptr_eq(NULL, p9)
        guard_false(i1) []
        guard_nonnull(p9) []
        finish(p9)",
        "[p9]\nsetfield_gc(p9, 5, descr=valuedescr)\nfinish(p9)",
    );
}

#[test]
fn test_const_guard_value() {
    optimize("[]\ni0 = int_add(5, 3)\nguard_value(i0, 8) []\nfinish()", "[]\nfinish()");
}

#[test]
fn test_guard_value_to_guard_true_and_false() {
    optimize(
        "[i0]\ni1 = int_lt(i0, 3)\nguard_value(i1, 1) [i0]\nfinish(i0)",
        "[i0]\ni1 = int_lt(i0, 3)\nguard_true(i1) [i0]\nfinish(i0)",
    );
    optimize(
        "[i0]\ni1 = int_is_true(i0)\nguard_value(i1, 0) [i0]\nfinish(i0)",
        "[i0]\ni1 = int_is_true(i0)\nguard_false(i1) [i0]\nfinish(0)",
    );
}

#[test]
fn test_int_is_true_of_bool() {
    optimize(
        "[i0, i1]\ni2 = int_gt(i0, i1)\ni3 = int_is_true(i2)\ni4 = int_is_true(i3)\nguard_value(i4, 0) [i0, i1]\nfinish(i0, i1)",
        "[i0, i1]\ni2 = int_gt(i0, i1)\nguard_false(i2) [i0, i1]\nfinish(i0, i1)",
    );
}

#[test]
fn test_call_pure() {
    // test_keep_guard_no_exception_with_call_pure_that_is_not_folded (we keep the op's
    // name), test_remove_guard_no_exception_with_call_pure_on_constant_args,
    // test_remove_guard_no_exception_with_duplicated_call_pure.
    optimize(
        "[i1]\ni2 = call_pure_i(123456, i1, descr=nonwritedescr)\nguard_no_exception() [i1, i2]\nfinish(i2)",
        "[i1]\ni2 = call_pure_i(123456, i1, descr=nonwritedescr)\nguard_no_exception() [i1, i2]\nfinish(i2)",
    );
    optimize(
        "call_pure_result(123456, 81) = 5
        [i1]
        i3 = same_as_i(81)
        i2 = call_pure_i(123456, i3, descr=nonwritedescr)
        guard_no_exception() [i1, i2]
        finish(i2)",
        "call_pure_result(123456, 81) = 5\n[i1]\nfinish(5)",
    );
    optimize(
        "[i1]
        i2 = call_pure_i(123456, i1, descr=nonwritedescr)
        guard_no_exception() [i1, i2]
        i3 = call_pure_i(123456, i1, descr=nonwritedescr)
        guard_no_exception() [i1, i2, i3]
        finish(i3)",
        "[i1]\ni2 = call_pure_i(123456, i1, descr=nonwritedescr)\nguard_no_exception() [i1, i2]\nfinish(i2)",
    );
}
