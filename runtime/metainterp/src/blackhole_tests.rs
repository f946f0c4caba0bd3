//! Tests of the blackhole interpreter on hand-made jitcodes against the real runtime
//! (every collector, with and without a collection at every allocation): iterations from
//! the merge point compared with the same loop written in Rust, resumption from guard
//! positions (Contract 3) with and without a pending exception, exceptions caught,
//! re-raised and leaving the portal, and deep recursion raising RecursionError.

use kiln_abi::BuiltinExc;
use kiln_jitcode::*;
use kiln_runtime::gc as rgc;

use crate::blackhole::{self, BhFrame};
use crate::cpu::tests::{addr_of_vtable, collectors, start, BASE, INST_CLS, INST_NEXT, INST_SIZE, INST_VALUE, OTHER, SUB};
use crate::{cpu, roots, Outcome, Program};

use Bank::{Float as F, Int as I, Ref as Rf};

fn reg(b: Bank, r: u16) -> Operand {
    Operand::Reg(b, r)
}

fn list(b: Bank, v: &[u16]) -> Operand {
    Operand::List(b, v.to_vec())
}

fn emit(a: &mut Assembler, key: &str, args: Vec<Operand>, res: Option<u16>) {
    a.emit(key, args, res).unwrap_or_else(|e| panic!("{e}"));
}

fn live(a: &mut Assembler) {
    emit(a, "live/T", vec![Operand::Live(0)], None);
}

fn field_descr(set: &mut JitCodeSet, name: &str, d: FieldDescr) -> u16 {
    set.descr(Descr { name: name.into(), kind: DescrKind::Field(d) })
}

/// `step(x)`: raises an instance of SUB carrying `x` when x % 5 == 0, of OTHER when
/// x == `RAISE_OTHER_AT`, else returns 3x.
const RAISE_OTHER_AT: i64 = 1_000;

static mut PROGRAM: *const Program = std::ptr::null();

extern "C" fn step_fn(x: i64) -> i64 {
    let cls = if x == RAISE_OTHER_AT {
        &OTHER
    } else if x % 5 == 0 {
        &SUB
    } else {
        return x.wrapping_mul(3);
    };
    // SAFETY: the tests set PROGRAM before running and the object is fresh.
    unsafe {
        let p = &*PROGRAM;
        let e = cpu::new(p, &INST_SIZE);
        cpu::setfield(p, e, &INST_CLS, addr_of_vtable(cls));
        cpu::setfield(p, e, &INST_VALUE, x as u64);
        cpu::raise(p, e);
    }
    -1
}

/// The portal: greens `pc` (%i0); reds `acc` (%i1), `n` (%i2), `cell` (%r0). Each
/// iteration: stop when acc >= n; cell.value += acc; acc = inc(acc) (inlined);
/// t = step(acc) (residual, may raise); a new node {value: t, next: cell.next} becomes
/// cell.next. A SUB exception adds its value * 1000 to cell.value; any other is
/// re-raised. Returns acc.
fn program(rt: &'static kiln_abi::JitRuntime) -> Program {
    let mut set = JitCodeSet::default();
    let step = set.symbol("step", SymbolKind::Func);
    let base = set.symbol("Base", SymbolKind::Static);
    let value = field_descr(&mut set, "Inst.value", INST_VALUE);
    let next = field_descr(&mut set, "Inst.next", INST_NEXT);
    let size = set.descr(Descr { name: "Inst".into(), kind: DescrKind::Size(INST_SIZE) });
    let call = set.descr(Descr {
        name: "call step".into(),
        kind: DescrKind::Call(CallDescr {
            args: vec![I],
            result: Some(I),
            target: CallTarget::Func("step".into()),
            effect: EffectInfo { can_raise: true, can_collect: true, extra: ExtraEffect::None, reads: None, writes: None },
            oopspec: None,
        }),
    });
    // Int constants: index 5 = &step, 6 = &Base (as an int: a vtable), 7 = 1000.
    let mut a = Assembler::new();
    let head = a.new_label();
    let end = a.new_label();
    let handler = a.new_label();
    let mismatch = a.new_label();
    a.define(head);
    live(&mut a);
    emit(&mut a, "jit_merge_point/cIRFIRF", vec![Operand::Imm(0), list(I, &[0]), list(Rf, &[]), list(F, &[]), list(I, &[1, 2]), list(Rf, &[0]), list(F, &[])], None);
    live(&mut a);
    emit(&mut a, "int_lt/ii>i", vec![reg(I, 1), reg(I, 2)], Some(3));
    live(&mut a);
    emit(&mut a, "goto_if_not/iL", vec![reg(I, 3), Operand::Label(end)], None);
    emit(&mut a, "getfield_gc_i/rd>i", vec![reg(Rf, 0), Operand::Descr(value)], Some(3));
    emit(&mut a, "int_add/ii>i", vec![reg(I, 3), reg(I, 1)], Some(3));
    emit(&mut a, "setfield_gc_i/rid", vec![reg(Rf, 0), reg(I, 3), Operand::Descr(value)], None);
    emit(&mut a, "inline_call_i/jIRF>i", vec![Operand::JitCode(1), list(I, &[1]), list(Rf, &[]), list(F, &[])], Some(1));
    live(&mut a);
    emit(&mut a, "residual_call_i/iIRFd>i", vec![reg(I, 5), list(I, &[1]), list(Rf, &[]), list(F, &[]), Operand::Descr(call)], Some(3));
    live(&mut a);
    emit(&mut a, "catch_exception/L", vec![Operand::Label(handler)], None);
    emit(&mut a, "new/d>r", vec![Operand::Descr(size)], Some(1));
    live(&mut a);
    emit(&mut a, "setfield_gc_i/rid", vec![reg(Rf, 1), reg(I, 3), Operand::Descr(value)], None);
    emit(&mut a, "getfield_gc_r/rd>r", vec![reg(Rf, 0), Operand::Descr(next)], Some(2));
    emit(&mut a, "setfield_gc_r/rrd", vec![reg(Rf, 1), reg(Rf, 2), Operand::Descr(next)], None);
    emit(&mut a, "setfield_gc_r/rrd", vec![reg(Rf, 0), reg(Rf, 1), Operand::Descr(next)], None);
    emit(&mut a, "goto/L", vec![Operand::Label(head)], None);
    a.define(handler);
    emit(&mut a, "goto_if_exception_mismatch/iL", vec![reg(I, 6), Operand::Label(mismatch)], None);
    emit(&mut a, "last_exc_value/>r", vec![], Some(1));
    emit(&mut a, "getfield_gc_i/rd>i", vec![reg(Rf, 1), Operand::Descr(value)], Some(3));
    emit(&mut a, "int_mul/ii>i", vec![reg(I, 3), reg(I, 7)], Some(3));
    emit(&mut a, "getfield_gc_i/rd>i", vec![reg(Rf, 0), Operand::Descr(value)], Some(4));
    emit(&mut a, "int_add/ii>i", vec![reg(I, 3), reg(I, 4)], Some(3));
    emit(&mut a, "setfield_gc_i/rid", vec![reg(Rf, 0), reg(I, 3), Operand::Descr(value)], None);
    emit(&mut a, "goto/L", vec![Operand::Label(head)], None);
    a.define(mismatch);
    emit(&mut a, "reraise/", vec![], None);
    a.define(end);
    emit(&mut a, "int_return/i", vec![reg(I, 1)], None);
    set.jitcodes.push(JitCode {
        name: "portal".into(),
        num_regs: [5, 3, 0],
        num_args: [3, 1, 0],
        result: Some(I),
        consts_i: vec![IntConst::Addr(step), IntConst::Addr(base), IntConst::Value(1000)],
        consts_r: vec![],
        consts_f: vec![],
        code: a.finish().unwrap(),
        liveness: vec![Liveness::default()],
    });
    // inc(x) = x + 1
    let mut a = Assembler::new();
    emit(&mut a, "int_add/ii>i", vec![reg(I, 0), reg(I, 1)], Some(0));
    emit(&mut a, "int_return/i", vec![reg(I, 0)], None);
    set.jitcodes.push(JitCode {
        name: "inc".into(),
        num_regs: [1, 0, 0],
        num_args: [1, 0, 0],
        result: Some(I),
        consts_i: vec![IntConst::Value(1)],
        consts_r: vec![],
        consts_f: vec![],
        code: a.finish().unwrap(),
        liveness: vec![],
    });
    set.portals = vec![PortalInfo { jitcode: 0, number: 0, driver: "toy".into(), greens: vec!["pc".into()], reds: vec!["acc".into(), "n".into(), "cell".into()], printable: None }];
    let errors = verify_set(&set);
    assert!(errors.is_empty(), "{errors:?}");
    Program { set, addrs: vec![step_fn as *const () as u64, addr_of_vtable(&BASE)], rt, vtable_offset: 8 }
}

/// The same loop in Rust: (result or raised value, cell.value, list of node values).
fn reference(acc0: i64, n: i64) -> (Result<i64, i64>, i64, Vec<i64>) {
    let (mut acc, mut cell, mut nodes) = (acc0, 0i64, vec![]);
    while acc < n {
        cell += acc;
        acc += 1;
        if acc == RAISE_OTHER_AT {
            return (Err(acc), cell, nodes);
        }
        if acc % 5 == 0 {
            cell += acc * 1000;
        } else {
            nodes.insert(0, acc * 3);
        }
    }
    (Ok(acc), cell, nodes)
}

fn new_cell(p: &Program) -> u64 {
    let c = cpu::new(p, &INST_SIZE);
    // SAFETY: a fresh instance.
    unsafe { cpu::setfield(p, c, &INST_CLS, addr_of_vtable(&BASE)) };
    c
}

fn nodes_of(cell: u64) -> Vec<i64> {
    let mut out = vec![];
    // SAFETY: a live list of instances.
    let mut n = unsafe { cpu::getfield(cell, &INST_NEXT) };
    while n != 0 {
        // SAFETY: as above.
        unsafe {
            out.push(cpu::getfield(n, &INST_VALUE) as i64);
            n = cpu::getfield(n, &INST_NEXT);
        }
    }
    out
}

/// Runs `scenario` with a program wired to each collector (with and without a collection
/// at every allocation); checks the heap afterwards.
fn each(mut scenario: impl FnMut(&str, &Program)) {
    for gc in collectors() {
        for debug in [false, true] {
            let _session = start(gc.collector, debug);
            let what = format!("{} (debug: {debug})", gc.name);
            roots::install(gc.rt);
            let p = program(gc.rt);
            // SAFETY: `step_fn` reads it during this scenario only.
            unsafe { PROGRAM = &p };
            scenario(&what, &p);
            rgc::collect();
            if let Err(e) = rgc::check_heap() {
                panic!("{what}: {e}");
            }
            roots::uninstall(gc.rt);
            assert_eq!(roots::registered(), 0, "{what}: registrations leaked");
        }
    }
}

/// Iterates from the merge point until the portal returns or raises; the cell stays in
/// `values[3]` (rooted by the interpreter's registers while it runs).
fn iterate(p: &Program, values: &mut [u64]) -> (Outcome, usize) {
    let mut rounds = 0;
    loop {
        let o = blackhole::run_from_merge_point(p, 0, values);
        rounds += 1;
        if o != Outcome::Restart {
            return (o, rounds);
        }
        assert!(rounds < 100_000);
    }
}

#[test]
fn iterations_from_the_merge_point_compute_what_the_loop_computes() {
    each(|what, p| {
        for (acc0, n) in [(0i64, 0i64), (0, 1), (3, 40), (0, 400)] {
            let mut held = vec![new_cell(p)];
            let (out, cell) = roots::with_rooted(&mut held, |held| {
                let mut values = [7, acc0 as u64, n as u64, held[0]];
                let (o, rounds) = iterate(p, &mut values);
                assert_eq!(rounds as i64, (n - acc0).max(0) + 1, "{what}: one Restart per iteration");
                (o, values)
            });
            let (expect, cell_value, nodes) = reference(acc0, n);
            assert_eq!(out, Outcome::Return, "{what}");
            assert_eq!(Ok(cell[0] as i64), expect, "{what}: the result");
            // SAFETY: the cell is rooted in `held`.
            assert_eq!(unsafe { cpu::getfield(held[0], &INST_VALUE) } as i64, cell_value, "{what} ({acc0}, {n})");
            assert_eq!(nodes_of(held[0]), nodes, "{what}");
            assert_eq!(cpu::exc_pending(p), None);
        }
    });
}

#[test]
fn an_exception_the_portal_does_not_catch_leaves_it_pending() {
    each(|what, p| {
        let mut held = vec![new_cell(p)];
        roots::with_rooted(&mut held, |held| {
            let mut values = [0, 990, 2000, held[0]];
            let (o, _) = iterate(p, &mut values);
            assert_eq!(o, Outcome::Raise, "{what}");
            let (t, v) = cpu::exc_pending(p).expect("pending");
            assert_eq!(t, addr_of_vtable(&OTHER), "{what}");
            // SAFETY: the pending exception is a live instance.
            assert_eq!(unsafe { cpu::getfield(v, &INST_VALUE) } as i64, RAISE_OTHER_AT);
            cpu::exc_clear(p);
        });
        let (_, cell_value, nodes) = reference(990, 2000);
        // SAFETY: rooted.
        assert_eq!(unsafe { cpu::getfield(held[0], &INST_VALUE) } as i64, cell_value, "{what}");
        assert_eq!(nodes_of(held[0]), nodes);
    });
}

fn find(p: &Program, j: u16, name: &str, nth: usize) -> Decoded {
    insn::decode_all(&p.set.jitcodes[j as usize].code).unwrap().into_iter().filter(|d| d.opcode.name() == name).nth(nth).unwrap_or_else(|| panic!("no {name} #{nth}"))
}

#[test]
fn resuming_at_a_guard_re_executes_it_and_runs_to_the_merge_point() {
    each(|what, p| {
        let mut held = vec![new_cell(p)];
        roots::with_rooted(&mut held, |held| {
            // At the loop's exit test (goto_if_not, guard of `acc < n`) with the
            // comparison already computed as true: one iteration, then the merge point.
            let guard = find(p, 0, "goto_if_not", 0);
            let mut f = BhFrame::new(p, 0);
            f.pc = guard.pc;
            f.ints = vec![7, 5, 10, 1, 0];
            f.refs = vec![held[0], 0, 0];
            let mut values = [0u64; 4];
            assert_eq!(blackhole::resume(p, vec![f], &mut values), Outcome::Restart, "{what}");
            assert_eq!(&values[..3], &[7, 6, 10], "{what}: pc, acc + 1, n");
            assert_eq!(values[3], held[0]);
            // SAFETY: rooted.
            assert_eq!(unsafe { cpu::getfield(held[0], &INST_VALUE) }, 5, "{what}");
            assert_eq!(nodes_of(held[0]), vec![18]);

            // Two frames: the portal at its inline call of `inc`, and `inc` at its start.
            let call = find(p, 0, "inline_call_i", 0);
            let mut outer = BhFrame::new(p, 0);
            outer.pc = call.pc;
            outer.ints = vec![7, 0, 10, 0, 0];
            outer.refs = vec![held[0], 0, 0];
            let mut inner = BhFrame::new(p, 1);
            inner.ints = vec![8];
            assert_eq!(blackhole::resume(p, vec![outer, inner], &mut values), Outcome::Restart, "{what}");
            assert_eq!(&values[..3], &[7, 9, 10], "{what}: the inner frame's result lands in acc");
            assert_eq!(nodes_of(held[0]), vec![27, 18]);

            // Right after the residual call with its exception pending (a failed
            // guard_no_exception): the exception goes to the handler.
            let rcall = find(p, 0, "residual_call_i", 0);
            let e = cpu::new(p, &INST_SIZE);
            // SAFETY: a fresh instance.
            unsafe {
                cpu::setfield(p, e, &INST_CLS, addr_of_vtable(&SUB));
                cpu::setfield(p, e, &INST_VALUE, 3);
                cpu::raise(p, e);
            }
            let mut f = BhFrame::new(p, 0);
            f.pc = rcall.next;
            f.ints = vec![7, 20, 30, 0, 0];
            f.refs = vec![held[0], 0, 0];
            assert_eq!(blackhole::resume(p, vec![f], &mut values), Outcome::Restart, "{what}");
            assert_eq!(cpu::exc_pending(p), None, "{what}: caught");
            assert_eq!(&values[..3], &[7, 20, 30]);
            // SAFETY: rooted.
            assert_eq!(unsafe { cpu::getfield(held[0], &INST_VALUE) }, 5 + 3000, "{what}: value * 1000 added");
        });
    });
}

/// `rec(x)`: returns rec(x + 1) — never returns: the frame limit raises RecursionError.
fn recursive_program(rt: &'static kiln_abi::JitRuntime) -> Program {
    let mut set = JitCodeSet::default();
    let mut a = Assembler::new();
    emit(&mut a, "live/T", vec![Operand::Live(0)], None);
    emit(&mut a, "jit_merge_point/cIRFIRF", vec![Operand::Imm(0), list(I, &[]), list(Rf, &[]), list(F, &[]), list(I, &[0]), list(Rf, &[]), list(F, &[])], None);
    emit(&mut a, "inline_call_i/jIRF>i", vec![Operand::JitCode(1), list(I, &[0]), list(Rf, &[]), list(F, &[])], Some(0));
    emit(&mut a, "int_return/i", vec![reg(I, 0)], None);
    set.jitcodes.push(JitCode { name: "portal".into(), num_regs: [1, 0, 0], num_args: [1, 0, 0], result: Some(I), consts_i: vec![], consts_r: vec![], consts_f: vec![], code: a.finish().unwrap(), liveness: vec![Liveness::default()] });
    let mut a = Assembler::new();
    emit(&mut a, "int_add/ii>i", vec![reg(I, 0), reg(I, 1)], Some(0));
    emit(&mut a, "inline_call_i/jIRF>i", vec![Operand::JitCode(1), list(I, &[0]), list(Rf, &[]), list(F, &[])], Some(0));
    emit(&mut a, "int_return/i", vec![reg(I, 0)], None);
    set.jitcodes.push(JitCode { name: "rec".into(), num_regs: [1, 0, 0], num_args: [1, 0, 0], result: Some(I), consts_i: vec![IntConst::Value(1)], consts_r: vec![], consts_f: vec![], code: a.finish().unwrap(), liveness: vec![] });
    set.portals = vec![PortalInfo { jitcode: 0, number: 0, driver: "rec".into(), greens: vec![], reds: vec!["x".into()], printable: None }];
    assert!(verify_set(&set).is_empty());
    Program { set, addrs: vec![], rt, vtable_offset: 8 }
}

#[test]
fn unbounded_recursion_raises_recursion_error_without_growing_the_native_stack() {
    let gc = &collectors()[1];
    let _session = start(gc.collector, false);
    roots::install(gc.rt);
    let p = recursive_program(gc.rt);
    let mut values = [0u64];
    assert_eq!(blackhole::run_from_merge_point(&p, 0, &mut values), Outcome::Raise);
    let (t, _) = cpu::exc_pending(&p).expect("pending");
    assert_eq!(t, kiln_runtime::exc::vtable_of(BuiltinExc::RecursionError) as u64);
    cpu::exc_clear(&p);
    roots::uninstall(gc.rt);
}
