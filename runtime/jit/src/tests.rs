//! Tests of the text format (printer/parser round trip, parse errors), the verifier, and
//! the whole optimizer pipeline.

use crate::opt::testing::check;
use crate::parse::parse_trace_file;
use crate::print::print_trace_file;
use crate::verify::verify;

/// Printing a parsed trace gives the text back, and parsing the print gives the same IR.
fn round_trip(text: &str) {
    let text: String = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| format!("{l}\n")).collect();
    let (descrs, trace) = parse_trace_file(&text).unwrap_or_else(|e| panic!("{e}"));
    let printed = print_trace_file(&trace, &descrs);
    assert_eq!(printed, text);
    let (descrs2, trace2) = parse_trace_file(&printed).unwrap();
    assert_eq!((descrs2, trace2), (descrs, trace));
}

const EXAMPLE: &str = "
    descr Cell.value: field(offset=8, size=8, type=i)
    descr Cell.flag: field(offset=16, size=1, type=i, unsigned, immutable)
    descr Cell.ver: field(offset=24, size=8, type=r, quasi_immutable)
    descr Arr: array(base=16, len=8, item_size=8, type=f, immutable)
    descr Node: size(size=32, type_id=4, vtable=0x1000)
    descr Plain: size(size=16, type_id=5)
    descr f: call(args=[i, r], result=i, can_raise, can_collect, reads=all, writes=[Cell.value, Arr])
    descr g: call(args=[], result=void, elidable, reads=[], writes=[])
    call_pure_result(4096, 3, NULL) = 9
    [i0, p1, f7]
    label(i0, p1, f7, descr=TargetToken(1))
    debug_merge_point(0, 0, '#12 ADD \\'x\\' \\\\ y')
    i2 = int_add_ovf(i0, 1)
    guard_no_overflow() [i0, p1]
    i3 = getfield_gc_i(p1, descr=Cell.value)
    i4 = int_lt(i2, i3)
    guard_true(i4) [@3:12 i2, p1; @0:40 i0, -5, 2.5, NULL, ConstPtr(0x7f00)]
    p5 = new_with_vtable(descr=Node)
    guard_class(p5, 4096) [@1:2 i2, v0, v1] {v0: struct(Node, Cell.value=i2, Cell.ver=v1), v1: array(Arr, f7, -0.0, inf, nan)}
    i6 = call_i(8192, i2, p5, descr=f)
    guard_no_exception() [@1:2]
    f8 = float_mul(f7, 1e100)
    f9 = float_add(f8, ConstFloat(0x7ff0000000000001))
    jump(i6, p1, f9, descr=TargetToken(1))
";

#[test]
fn printer_and_parser_round_trip() {
    round_trip(EXAMPLE);
    let (descrs, trace) = parse_trace_file(EXAMPLE).unwrap();
    verify(&trace, &descrs).unwrap();
}

#[test]
fn the_issue_example_round_trips_and_verifies() {
    let text = "
        descr Cell.value: field(offset=8, size=8, type=i)
        [i0, p1]
        label(i0, p1, descr=TargetToken(1))
        debug_merge_point(0, 0, '#12 ADD')
        i2 = int_add_ovf(i0, 1)
        guard_no_overflow() [i0, p1]
        i3 = getfield_gc_i(p1, descr=Cell.value)
        i4 = int_lt(i2, i3)
        guard_true(i4) [i2, p1]
        jump(i2, p1, descr=TargetToken(1))
    ";
    round_trip(text);
    let (descrs, trace) = parse_trace_file(text).unwrap();
    verify(&trace, &descrs).unwrap();
}

fn parse_error(text: &str) -> String {
    match parse_trace_file(text) {
        Ok(_) => panic!("parsed: {text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn parse_errors_have_line_numbers() {
    assert_eq!(parse_error("[i0]\ni1 = int_frob(i0)"), "line 2: unknown op `int_frob`");
    assert_eq!(parse_error("[i0]\ni1 = int_add(i0, p0)\n"), "line 2: box number 0 used with two types (`i0` and `p0`)");
    assert_eq!(
        parse_error("[p0]\n\ni1 = getfield_gc_i(p0, descr=X.y)"),
        "line 3: unknown descriptor `X.y` (declare it with `descr X.y: ...`)"
    );
    assert_eq!(parse_error("i1 = int_add(1, 2)"), "line 1: expected the input boxes `[...]` before `i1 = int_add(1, 2)`");
    assert_eq!(parse_error("[i0]\nguard_true(i0) [i0"), "line 2: unclosed `[`");
    assert_eq!(parse_error("[i0]\nfinish(99999999999999999999)"), "line 2: integer `99999999999999999999` does not fit in 64 bits");
    assert_eq!(parse_error("descr a: field(offset=1, size=8)\n[]"), "line 1: `type` needed");
    assert_eq!(parse_error("[i0]\nfinish(i0) junk"), "line 2: unexpected text after the op: `junk`");
    assert_eq!(parse_error("[i4294967295]"), "line 1: box number 4294967295 too large");
    assert_eq!(parse_error(""), "line 1: no input boxes `[...]`");
}

#[test]
fn no_input_makes_the_parser_panic() {
    // Every prefix and every one-character deletion of a valid trace is parsed without panic.
    let text = EXAMPLE;
    for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
        let _ = parse_trace_file(&text[..end]);
        let mut cut = text.to_string();
        if let Some(c) = text[end..].chars().next() {
            cut.replace_range(end..end + c.len_utf8(), "");
            if let Ok((d, t)) = parse_trace_file(&cut) {
                let _ = verify(&t, &d);
                let _ = crate::print::print_trace(&t, &d);
            }
        }
    }
}

fn verify_error(text: &str) -> String {
    let (descrs, trace) = parse_trace_file(text).unwrap_or_else(|e| panic!("{e}"));
    match verify(&trace, &descrs) {
        Ok(()) => panic!("verified: {text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn verifier_finds_broken_traces() {
    let d = "descr F: field(offset=8, size=8, type=i)\ndescr c: call(args=[i], result=i, reads=all, writes=all)\n";
    let cases = [
        ("[i0]\ni1 = int_add(i0, i2)\nfinish(i1)", "op 0: i2 is used before it is defined"),
        ("[i0]\ni1 = int_add(i0, 1)\ni1 = int_add(i0, 2)\nfinish(i1)", "op 1: box 1 defined twice"),
        ("[i0, p1]\ni2 = int_add(i0, p1)\nfinish(i2)", "op 0: argument 1 of int_add must be int, not ref"),
        ("[i0]\nguard_true(i0)\nfinish()", "op 0: guard_true has no resume data"),
        ("[i0]\nguard_true(i0) [i5]\nfinish()", "op 0: in resume data: i5 is used before it is defined"),
        ("[i0]\ni1 = int_add_ovf(i0, 1)\nfinish(i1)", "op 0: int_add_ovf not followed by guard_no_overflow or guard_overflow"),
        ("[i0]\nguard_no_overflow() [i0]\nfinish()", "op 0: guard_no_overflow does not follow an _ovf op"),
        ("[i0]\ni1 = int_add(i0, 1)", "the trace must end with jump or finish"),
        ("[i0]\nfinish()\nfinish()", "op 0: finish before the end of the trace"),
        (
            "[i0, i1]\nlabel(i0, descr=TargetToken(1))\ni2 = int_add(i0, i1)\njump(i2, descr=TargetToken(1))",
            "op 1: i1 is used after a label that does not pass it",
        ),
        ("[i0]\nlabel(i0, descr=TargetToken(1))\njump(i0, 1, descr=TargetToken(1))", "op 1: jump passes 2 values to a label of 1"),
        ("[i0, f1]\nlabel(i0, descr=TargetToken(1))\njump(1.5, descr=TargetToken(1))", "op 1: jump argument 0 has another type than the label's"),
        ("[i0]\nlabel(i0, i0, descr=TargetToken(1))\njump(i0, i0, descr=TargetToken(1))", "op 0: a label's arguments must be distinct boxes"),
        ("[p0]\np1 = getfield_gc_r(p0, descr=F)\nfinish(p1)", "op 0: getfield_gc_r reads a field of type int"),
        ("[p0]\nsetfield_gc(p0, 1.5, descr=F)\nfinish()", "op 0: setfield_gc stores float into a int field"),
        ("[p0]\ni1 = getfield_gc_i(p0)\nfinish(i1)", "op 0: getfield_gc_i needs a descriptor of kind Field"),
        ("[i0]\ni1 = call_i(1, i0, i0, descr=c)\nfinish(i1)", "op 0: call_i arguments do not match the call descriptor"),
        ("[i0]\ni1 = call_pure_i(1, i0, descr=c)\nfinish(i1)", "op 0: call_pure_i of a call that is not elidable"),
        ("[i0]\nguard_value(i0, i0) [i0]\nfinish()", "op 0: guard_value compares a value with a constant of its type"),
        ("[i0]\nguard_true(i0) [v0]\nfinish()", "op 0: resume data refers to v0, which it does not describe"),
        ("[i0]\nint_add(i0, 1)\nfinish()", "op 0: int_add has a result"),
        ("[i0]\np1 = new(descr=F)\nfinish()", "op 0: new needs a descriptor of kind Size"),
    ];
    for (text, want) in cases {
        assert_eq!(verify_error(&format!("{d}{text}")), want, "{text}");
    }
}

#[test]
fn pipeline_optimizes_an_interpreter_loop() {
    // A bytecode loop as a tracer records it: the pc is bounds-checked twice (once by the
    // dispatch loop, once by the list read), the frame's fields are read again after a
    // call that cannot touch them, and the stack pointer is incremented with an overflow
    // check that the bounds make unnecessary.
    check(
        None,
        "
        descr Frame.pc: field(offset=8, size=8, type=i)
        descr Frame.sp: field(offset=16, size=8, type=i)
        descr Frame.code: field(offset=24, size=8, type=r, immutable)
        descr Frame.stack: field(offset=32, size=8, type=r, immutable)
        descr Code: array(base=16, len=8, item_size=1, type=i, unsigned, immutable)
        descr Stack: array(base=16, len=8, item_size=8, type=r)
        descr Obj: size(size=24, type_id=9, vtable=0x2000)
        descr Obj.intval: field(offset=16, size=8, type=i, immutable)
        descr print_int: call(args=[i], result=void, can_raise, reads=[], writes=[])
        [p0]
        label(p0, descr=TargetToken(1))
        debug_merge_point(0, 0, 'PRINT_TOP')
        i1 = getfield_gc_i(p0, descr=Frame.pc)
        p2 = getfield_gc_r(p0, descr=Frame.code)
        i3 = arraylen_gc(p2, descr=Code)
        i4 = int_lt(i1, i3)
        guard_true(i4) [p0]
        i5 = int_ge(i1, 0)
        guard_true(i5) [p0]
        i6 = getarrayitem_gc_i(p2, i1, descr=Code)
        guard_value(i6, 7) [p0]
        i7 = getfield_gc_i(p0, descr=Frame.sp)
        i8 = int_sub(i7, 1)
        p9 = getfield_gc_r(p0, descr=Frame.stack)
        p10 = getarrayitem_gc_r(p9, i8, descr=Stack)
        guard_nonnull_class(p10, 8192) [p0]
        i11 = getfield_gc_i(p10, descr=Obj.intval)
        call_n(4096, i11, descr=print_int)
        guard_no_exception() [p0]
        i12 = getfield_gc_i(p0, descr=Frame.pc)
        p13 = getfield_gc_r(p0, descr=Frame.code)
        i14 = arraylen_gc(p13, descr=Code)
        i15 = int_lt(i12, i14)
        guard_true(i15) [p0]
        i16 = int_add_ovf(i12, 1)
        guard_no_overflow() [p0]
        setfield_gc(p0, i16, descr=Frame.pc)
        p17 = getarrayitem_gc_r(p9, i8, descr=Stack)
        guard_nonnull_class(p17, 8192) [p0]
        jump(p0, descr=TargetToken(1))
        ",
        "
        [p0]
        label(p0, descr=TargetToken(1))
        debug_merge_point(0, 0, 'PRINT_TOP')
        i1 = getfield_gc_i(p0, descr=Frame.pc)
        p2 = getfield_gc_r(p0, descr=Frame.code)
        i3 = arraylen_gc(p2, descr=Code)
        i4 = int_lt(i1, i3)
        guard_true(i4) [p0]
        i5 = int_ge(i1, 0)
        guard_true(i5) [p0]
        i6 = getarrayitem_gc_i(p2, i1, descr=Code)
        guard_value(i6, 7) [p0]
        i7 = getfield_gc_i(p0, descr=Frame.sp)
        i8 = int_sub(i7, 1)
        p9 = getfield_gc_r(p0, descr=Frame.stack)
        p10 = getarrayitem_gc_r(p9, i8, descr=Stack)
        guard_nonnull_class(p10, 8192) [p0]
        i11 = getfield_gc_i(p10, descr=Obj.intval)
        call_n(4096, i11, descr=print_int)
        guard_no_exception() [p0]
        i16 = int_add(i1, 1)
        setfield_gc(p0, i16, descr=Frame.pc)
        jump(p0, descr=TargetToken(1))
        ",
    );
}
