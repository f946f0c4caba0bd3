//! Tests of the tracer on hand-made jitcodes, run on a model machine over real memory:
//! the recorded traces are checked as text, verified, optimized, and compiled and run by
//! the Cranelift backend, whose guard exits must carry the resume positions of Contract 3.

use std::collections::HashMap;

use jit::backend::cranelift::CraneliftBackend;
use jit::backend::{Backend, ExitKind};
use jit::print::print_trace;
use jit::resume::ResumePos;
use kiln_jitcode::*;

use crate::tracer::{Machine, Stop, Tracer};
use crate::{descr_table, Program};

/// Objects are leaked word buffers; calls go to Rust functions by fake address.
#[derive(Default)]
struct Model {
    funcs: HashMap<u64, fn(&[u64]) -> (u64, Option<u64>)>,
    exc: (u64, u64),
    calls: usize,
    /// `step` raises (class 0x77) for this argument.
    raise_on: Option<u64>,
    /// What `Machine::moving` answers (the model itself never moves anything).
    moving: bool,
}

fn addr_of(obj: u64, off: u32) -> *mut u8 {
    (obj as usize + off as usize) as *mut u8
}

fn read(p: *mut u8, size: u8, signed: bool) -> u64 {
    // SAFETY: the tests' objects are leaked buffers large enough for their descriptors.
    unsafe {
        match (size, signed) {
            (1, false) => *p as u64,
            (1, true) => *(p as *mut i8) as i64 as u64,
            (8, _) => *(p as *mut u64),
            _ => panic!("size {size}"),
        }
    }
}

fn write(p: *mut u8, size: u8, v: u64) {
    // SAFETY: as above.
    unsafe {
        match size {
            1 => *p = v as u8,
            8 => *(p as *mut u64) = v,
            _ => panic!("size {size}"),
        }
    }
}

fn alloc(words: usize) -> u64 {
    Box::leak(vec![0u64; words].into_boxed_slice()).as_mut_ptr() as u64
}

impl Machine for Model {
    fn getfield(&mut self, obj: u64, d: &FieldDescr) -> u64 {
        read(addr_of(obj, d.offset), d.size, d.signed)
    }
    fn setfield(&mut self, obj: u64, d: &FieldDescr, value: u64) {
        write(addr_of(obj, d.offset), d.size, value)
    }
    fn getarrayitem(&mut self, arr: u64, index: i64, d: &ArrayDescr) -> u64 {
        read(addr_of(arr, d.base_offset + index as u32 * d.item_size as u32), d.item_size, d.signed)
    }
    fn setarrayitem(&mut self, arr: u64, index: i64, d: &ArrayDescr, value: u64) {
        write(addr_of(arr, d.base_offset + index as u32 * d.item_size as u32), d.item_size, value)
    }
    fn arraylen(&mut self, arr: u64, d: &ArrayDescr) -> i64 {
        read(addr_of(arr, d.len_offset), 8, true) as i64
    }
    fn new(&mut self, d: &SizeDescr) -> u64 {
        alloc(d.size as usize / 8 + 1)
    }
    fn new_array(&mut self, d: &ArrayDescr, len: i64) -> u64 {
        let a = alloc(d.base_offset as usize / 8 + len as usize + 1);
        write(addr_of(a, d.len_offset), 8, len as u64);
        a
    }
    fn call(&mut self, addr: u64, _d: &CallDescr, ints: &[i64], refs: &[u64], floats: &[u64]) -> u64 {
        self.calls += 1;
        let args: Vec<u64> = ints.iter().map(|&i| i as u64).chain(refs.iter().copied()).chain(floats.iter().copied()).collect();
        let (r, exc) = self.funcs[&addr](&args);
        if let Some(cls) = exc.filter(|_| self.raise_on == Some(args[0])) {
            self.exc = (cls, alloc(2));
        }
        r
    }
    fn exception(&mut self) -> (u64, u64) {
        self.exc
    }
    fn set_exception(&mut self, cls: u64, value: u64) {
        self.exc = (cls, value);
    }
    fn clear_exception(&mut self) {
        self.exc = (0, 0);
    }
    fn class_of(&mut self, obj: u64) -> u64 {
        read(addr_of(obj, 8), 8, false)
    }
    fn is_subclass(&mut self, sub: u64, cls: u64) -> bool {
        sub == cls
    }
    fn moving(&self) -> bool {
        self.moving
    }
    unsafe fn push_roots(&mut self, _slots: *mut u64, _len: usize) {}
    fn pop_roots(&mut self) {}
}

use Bank::{Float as F, Int as I, Ref as Rf};

fn reg(b: Bank, r: u16) -> Operand {
    Operand::Reg(b, r)
}

fn list(b: Bank, v: &[u16]) -> Operand {
    Operand::List(b, v.to_vec())
}

fn live(a: &mut Assembler, t: u16) {
    a.emit("live/T", vec![Operand::Live(t)], None).unwrap();
}

fn lv(i: &[u16], r: &[u16]) -> Liveness {
    Liveness { regs: [i.to_vec(), r.to_vec(), vec![]] }
}

/// An interpreter loop: greens `pc` (%i0), reds `acc` (%i1), `n` (%i2), `cell` (%r0).
/// Each iteration: exit when acc >= n; cell.value += acc; acc = inc(acc) (inlined);
/// if `step(acc)` (a residual call that can raise) is odd, cell.value += 100.
fn program() -> Program {
    let mut set = JitCodeSet::default();
    let step = set.symbol("step", SymbolKind::Func);
    let cell = set.descr(Descr {
        name: "Cell.value".into(),
        kind: DescrKind::Field(FieldDescr { offset: 8, size: 8, bank: I, signed: true, mutability: Mutability::Mutable, gc: true }),
    });
    let call = set.descr(Descr {
        name: "call step".into(),
        kind: DescrKind::Call(CallDescr {
            args: vec![I],
            result: Some(I),
            target: CallTarget::Func("step".into()),
            effect: EffectInfo { can_raise: true, can_collect: false, extra: ExtraEffect::None, reads: Some(vec![]), writes: Some(vec![]) },
            oopspec: None,
        }),
    });
    // Constants of the portal: $0 = 1 (index 4), $1 = &step (index 5), $2 = 100 (6).
    let mut a = Assembler::new();
    let head = a.new_label();
    let end = a.new_label();
    let even = a.new_label();
    let handler = a.new_label();
    a.define(head);
    live(&mut a, 0);
    a.emit("jit_merge_point/cIRFIRF", vec![Operand::Imm(0), list(I, &[0]), list(Rf, &[]), list(F, &[]), list(I, &[1, 2]), list(Rf, &[0]), list(F, &[])], None).unwrap();
    live(&mut a, 0);
    a.emit("int_lt/ii>i", vec![reg(I, 1), reg(I, 2)], Some(3)).unwrap();
    live(&mut a, 1);
    a.emit("goto_if_not/iL", vec![reg(I, 3), Operand::Label(end)], None).unwrap();
    a.emit("getfield_gc_i/rd>i", vec![reg(Rf, 0), Operand::Descr(cell)], Some(3)).unwrap();
    a.emit("int_add/ii>i", vec![reg(I, 3), reg(I, 1)], Some(3)).unwrap();
    a.emit("setfield_gc_i/rid", vec![reg(Rf, 0), reg(I, 3), Operand::Descr(cell)], None).unwrap();
    a.emit("inline_call_i/jIRF>i", vec![Operand::JitCode(1), list(I, &[1]), list(Rf, &[]), list(F, &[])], Some(1)).unwrap();
    live(&mut a, 0);
    a.emit("residual_call_i/iIRFd>i", vec![reg(I, 5), list(I, &[1]), list(Rf, &[]), list(F, &[]), Operand::Descr(call)], Some(3)).unwrap();
    live(&mut a, 1);
    a.emit("catch_exception/L", vec![Operand::Label(handler)], None).unwrap();
    a.emit("int_and/ii>i", vec![reg(I, 3), reg(I, 4)], Some(3)).unwrap();
    live(&mut a, 1);
    a.emit("goto_if_not/iL", vec![reg(I, 3), Operand::Label(even)], None).unwrap();
    a.emit("getfield_gc_i/rd>i", vec![reg(Rf, 0), Operand::Descr(cell)], Some(3)).unwrap();
    a.emit("int_add/ii>i", vec![reg(I, 3), reg(I, 6)], Some(3)).unwrap();
    a.emit("setfield_gc_i/rid", vec![reg(Rf, 0), reg(I, 3), Operand::Descr(cell)], None).unwrap();
    a.define(even);
    a.emit("goto/L", vec![Operand::Label(head)], None).unwrap();
    a.define(handler);
    // An exception from `step`: acc = 0 and go on.
    a.emit("int_copy/i>i", vec![reg(I, 7)], Some(1)).unwrap();
    a.emit("goto/L", vec![Operand::Label(head)], None).unwrap();
    a.define(end);
    a.emit("int_return/i", vec![reg(I, 1)], None).unwrap();
    set.jitcodes.push(JitCode {
        name: "portal".into(),
        num_regs: [4, 1, 0],
        num_args: [3, 1, 0],
        result: Some(I),
        consts_i: vec![IntConst::Value(1), IntConst::Addr(step), IntConst::Value(100), IntConst::Value(0)],
        consts_r: vec![],
        consts_f: vec![],
        code: a.finish().unwrap(),
        liveness: vec![lv(&[0, 1, 2], &[0]), lv(&[0, 1, 2, 3], &[0])],
    });
    // inc(x) = x + 1
    let mut a = Assembler::new();
    a.emit("int_add/ii>i", vec![reg(I, 0), reg(I, 1)], Some(0)).unwrap();
    a.emit("int_return/i", vec![reg(I, 0)], None).unwrap();
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
    Program { set, addrs: vec![step_fn as *const () as usize as u64], rt: &NO_RT, vtable_offset: 8 }
}

// The tests never reach the runtime through the program: the model stands for it.
static NO_RT: kiln_abi::JitRuntime = {
    unsafe extern "C" fn malloc(_: i64, _: i64) -> *mut u8 {
        std::ptr::null_mut()
    }
    unsafe extern "C" fn set_root_source(_: Option<kiln_abi::RootSource>, _: *mut std::ffi::c_void) {}
    unsafe extern "C" fn hash(_: *mut u8) -> i64 {
        0
    }
    extern "C" fn raise_recursion_error() {}
    kiln_abi::JitRuntime {
        abi_version: kiln_abi::ABI_VERSION,
        moving: 0,
        gc_name: c"none".as_ptr() as *const u8,
        free: std::ptr::null_mut(),
        top: std::ptr::null_mut(),
        malloc_slow: malloc,
        malloc_varsize_slow: malloc,
        wb: None,
        wb_array: None,
        root_stack_top: std::ptr::null_mut(),
        exc_type: std::ptr::null_mut(),
        exc_value: std::ptr::null_mut(),
        set_root_source,
        identity_hash: hash,
        raise_recursion_error,
    }
};

extern "C" fn step_fn(x: i64) -> i64 {
    x.wrapping_mul(3)
}

fn model() -> Model {
    let mut m = Model::default();
    // step(x) = 3x; under the model, it raises (class 0x77) for `raise_on`.
    m.funcs.insert(step_fn as *const () as usize as u64, |a| (a[0].wrapping_mul(3), Some(0x77)));
    m
}

#[test]
fn one_iteration_is_recorded_as_a_loop_the_verifier_and_the_backend_accept() {
    let prog = program();
    let descrs = descr_table(&prog.set).unwrap();
    let mut m = model();
    let cell = alloc(2);
    let mut t = Tracer::start(&prog, &mut m, 0, &descrs, 1, 1000, &[7, 2, 10, cell]).unwrap();
    assert_eq!(t.run().unwrap(), Stop::MergePoint);
    assert!(t.recording, "{:?}", t.abort_reason);
    // The iteration ran for real: cell.value = 0 + 2, acc = 3, step(3) = 9 is odd: +100.
    assert_eq!(t.merge_values().unwrap(), vec![7, 3, 10, cell]);
    assert_eq!(read(addr_of(cell, 8), 8, true), 102);
    assert_eq!(t.start_greens, vec![7]);
    let token = t.token;
    let mut trace = t.close(token).unwrap();
    let text = print_trace(&trace, &descrs_with_token(&descrs));
    let expected = "\
[i0, i1, p2]
label(i0, i1, p2, descr=TargetToken(1))
debug_merge_point(0, 0, 'toy: 7')
i3 = int_lt(i0, i1)
guard_true(i3) [@0:LT_GUARD1 7, i0, i1, i3, p2]
i4 = getfield_gc_i(p2, descr=Cell.value)
i5 = int_add(i4, i0)
setfield_gc(p2, i5, descr=Cell.value)
i6 = int_add(i0, 1)
i7 = call_i(STEP, i6, descr=call step)
guard_no_exception() [@0:AFTER_CALL 7, i6, i1, i7, p2]
i8 = int_and(i7, 1)
guard_true(i8) [@0:AND_GUARD 7, i6, i1, i8, p2]
i9 = getfield_gc_i(p2, descr=Cell.value)
i10 = int_add(i9, 100)
setfield_gc(p2, i10, descr=Cell.value)
jump(i6, i1, p2, descr=TargetToken(1))
";
    let pcs = guard_pcs(&prog);
    let expected = expected.replace("LT_GUARD1", &pcs[0].to_string()).replace("AFTER_CALL", &pcs[1].to_string()).replace("AND_GUARD", &pcs[2].to_string()).replace("STEP", &(step_fn as *const () as usize).to_string());
    assert_eq!(text, expected);
    let descrs = descrs_with_token(&descrs);
    jit::verify::verify_rendered(&trace, &descrs).unwrap();
    jit::opt::optimize(&descrs, &mut trace).unwrap();
    // Compiled, the loop runs on until acc reaches n or step(acc) is even, and leaves
    // with the resume values of Contract 3.
    let _session = kiln_runtime::host::Session::begin(true);
    let mut backend = CraneliftBackend::new().unwrap().with_runtime(&kiln_runtime::gc::jit::kiln_gc_none_jit).unwrap();
    let code = backend.compile(&trace, &descrs).unwrap();
    let mut frame = vec![0u64; code.frame_words.max(8)];
    frame[..3].copy_from_slice(&[3, 10, cell]);
    // SAFETY: the loop reads and writes `cell`, a live buffer, and calls `step_fn`.
    let exit = unsafe { code.run(&mut frame) }.unwrap();
    assert_eq!(exit.kind, ExitKind::Guard);
    // acc = 3: cell += 3, acc = 4, step(4) = 12 is even: the `int_and` guard fails.
    assert_eq!(read(addr_of(cell, 8), 8, true), 105);
    let guard = &trace.ops[exit.op];
    let r = guard.resume().unwrap();
    assert_eq!(r.frames.len(), 1);
    assert_eq!(r.frames[0].pos, Some(ResumePos { jitcode: 0, pc: pcs[2] }));
    assert_eq!(&frame[..exit.values.len()], &[7, 4, 10, 0, cell]);
}

fn descrs_with_token(d: &jit::descr::DescrTable) -> jit::descr::DescrTable {
    let mut d = d.clone();
    d.target(1);
    d
}

/// The offsets of the portal's guard instructions: the first `goto_if_not`, the `live`
/// after the residual call, the second `goto_if_not`.
fn guard_pcs(prog: &Program) -> Vec<u32> {
    let all = insn::decode_all(&prog.set.jitcodes[0].code).unwrap();
    let ifs: Vec<u32> = all.iter().filter(|d| d.opcode.name() == "goto_if_not").map(|d| d.pc).collect();
    let call = all.iter().find(|d| d.opcode.name() == "residual_call_i").unwrap();
    vec![ifs[0], call.next, ifs[1]]
}

#[test]
fn an_exception_from_a_call_is_a_guard_exception_and_goes_to_its_handler() {
    let prog = program();
    let descrs = descr_table(&prog.set).unwrap();
    let mut m = model();
    m.raise_on = Some(13);
    let cell = alloc(2);
    // acc = 12: inc gives 13, and step(13) raises under the model; the handler sets acc = 0.
    let mut t = Tracer::start(&prog, &mut m, 0, &descrs, 1, 1000, &[7, 12, 20, cell]).unwrap();
    assert_eq!(t.run().unwrap(), Stop::MergePoint);
    assert!(t.recording, "{:?}", t.abort_reason);
    assert_eq!(t.merge_values().unwrap(), vec![7, 0, 20, cell]);
    let token = t.token;
    let trace = t.close(token).unwrap();
    drop(t);
    assert_eq!(m.exc, (0, 0), "the handled exception is not pending");
    let descrs = descrs_with_token(&descrs);
    let text = print_trace(&trace, &descrs);
    let after_call = guard_pcs(&prog)[1];
    // The call's result register holds the call's result box (i7): when the guard fails
    // because `step` returned normally, the frame resumes after the call and reads it.
    assert!(text.contains(&format!("p8 = guard_exception(119) [@0:{after_call} 7, i6, i1, i7, p2]\njump(0, i1, p2, descr=TargetToken(1))")), "{text}");
    jit::verify::verify_rendered(&trace, &descrs).unwrap();
}

#[test]
fn a_too_long_trace_stops_recording_but_the_iteration_completes() {
    let prog = program();
    let descrs = descr_table(&prog.set).unwrap();
    let mut m = model();
    let cell = alloc(2);
    let mut t = Tracer::start(&prog, &mut m, 0, &descrs, 1, 5, &[7, 2, 10, cell]).unwrap();
    assert_eq!(t.run().unwrap(), Stop::MergePoint);
    assert!(!t.recording);
    assert_eq!(t.abort_reason.as_deref(), Some("trace too long"));
    assert_eq!(t.merge_values().unwrap(), vec![7, 3, 10, cell]);
    assert_eq!(read(addr_of(cell, 8), 8, true), 102);
}

#[test]
fn the_portal_returning_ends_the_run() {
    let prog = program();
    let descrs = descr_table(&prog.set).unwrap();
    let mut m = model();
    let cell = alloc(2);
    let mut t = Tracer::start(&prog, &mut m, 0, &descrs, 1, 1000, &[7, 10, 10, cell]).unwrap();
    assert_eq!(t.run().unwrap(), Stop::Return(10));
    assert_eq!(t.abort_reason.as_deref(), Some("the portal returned"));
}

#[test]
fn pure_instructions_compute_what_the_llvm_backend_computes() {
    use crate::eval_pure;
    let n = |x: i64| x as u64;
    assert_eq!(eval_pure("int_floordiv", &[n(-7), n(2)]), Some(n(-4)));
    assert_eq!(eval_pure("int_mod", &[n(-7), n(2)]), Some(1));
    assert_eq!(eval_pure("int_mod", &[n(7), n(-2)]), Some(n(-1)));
    assert_eq!(eval_pure("int_floordiv", &[n(i64::MIN), n(-1)]), Some(n(i64::MIN)));
    assert_eq!(eval_pure("int_lshift", &[1, 65]), Some(2));
    assert_eq!(eval_pure("int_rshift", &[n(-8), 1]), Some(n(-4)));
    assert_eq!(eval_pure("uint_rshift", &[n(-8), 60]), Some(15));
    assert_eq!(eval_pure("cast_int_to_char", &[0x141]), Some(0x41));
    assert_eq!(eval_pure("int_add_overflows", &[n(i64::MAX), 1]), Some(1));
    assert_eq!(eval_pure("int_between", &[1, 2, 3]), Some(1));
    assert_eq!(eval_pure("float_is_true", &[f64::NAN.to_bits()]), Some(1));
    assert_eq!(eval_pure("bool_not", &[1]), Some(0));
    assert_eq!(eval_pure("getfield_gc_i", &[1]), None);
}

/// The interpreter between merge points, for the warm-up tests: the tracer without
/// recording, from one merge point to the next.
fn interpret(prog: &Program, m: &mut Model, values: &mut Vec<u64>) -> Option<u64> {
    let descrs = descr_table(&prog.set).unwrap();
    let mut t = Tracer::start(prog, m, 0, &descrs, 1, 1000, values).unwrap();
    t.abort("interpreting");
    match t.run().unwrap() {
        Stop::MergePoint => {
            *values = t.merge_values().unwrap();
            None
        }
        Stop::Return(r) => Some(r),
        Stop::Raise => panic!("raised"),
    }
}

/// Runs the toy portal to its end, with the JIT when `threshold` is given.
fn run_portal(threshold: Option<(u32, u32)>, n: u64) -> (u64, u64, Option<jit::jitlog::JitStats>) {
    use jit::warmstate::JitParams;
    let prog = program();
    let mut m = model();
    let cell = alloc(2);
    let mut values = vec![7, 0, n, cell];
    let mut warm = threshold.map(|(t, e)| {
        let params = JitParams { threshold: t, trace_eagerness: e, ..JitParams::default() };
        let jit = jit::state::JitState::new(params, &kiln_runtime::gc::jit::kiln_gc_none_jit, 8, None, None).unwrap();
        crate::warm::Warm::new(&prog, jit).unwrap()
    });
    let result = loop {
        if let Some(w) = &mut warm {
            match w.merge_point(&prog, &mut m, 0, &mut values).unwrap() {
                crate::Outcome::Continue | crate::Outcome::Restart => {}
                crate::Outcome::Return => break values[0],
                crate::Outcome::Raise => panic!("raised"),
            }
        }
        if let Some(r) = interpret(&prog, &mut m, &mut values) {
            break r;
        }
    };
    (result, read(addr_of(cell, 8), 8, true), warm.map(|w| w.jit.stats.clone()))
}

#[test]
fn the_warm_up_loop_traces_compiles_runs_and_resumes_with_the_interpreters_results() {
    let _session = kiln_runtime::host::Session::begin(true);
    let expected = run_portal(None, 50);
    assert_eq!(expected.0, 50);
    for (threshold, eagerness) in [(1, 200), (2, 200), (5, 200), (1, 1), (3, 2)] {
        let (result, cell, stats) = run_portal(Some((threshold, eagerness)), 50);
        assert_eq!((result, cell), (expected.0, expected.1), "threshold {threshold}");
        let stats = stats.unwrap();
        assert!(stats.loops >= 1, "threshold {threshold}: no loop compiled");
        if eagerness < 5 {
            assert!(stats.bridges >= 1, "threshold {threshold}, eagerness {eagerness}: no bridge");
        }
    }
}

#[test]
fn merge_point_values_are_greens_then_reds_each_by_bank() {
    use crate::tracer::{merge_slots, MergeSlot};
    let mut a = Assembler::new();
    a.emit("jit_merge_point/cIRFIRF", vec![Operand::Imm(2), list(I, &[0, 1]), list(Rf, &[0]), list(F, &[]), list(I, &[2]), list(Rf, &[1]), list(F, &[0])], None).unwrap();
    let d = insn::decode(&a.finish().unwrap(), 0).unwrap();
    let s = |bank, operand, green| MergeSlot { bank, operand, green };
    let (driver, slots) = merge_slots(&d).unwrap();
    assert_eq!(driver, 2);
    assert_eq!(slots, vec![s(I, 0, true), s(I, 1, true), s(Rf, 0, true), s(I, 2, false), s(Rf, 1, false), s(F, 0, false)]);
}

/// A portal whose green is an object: `acc += cast_ptr_to_int(obj)` each iteration.
fn address_program() -> Program {
    let mut set = JitCodeSet::default();
    let mut a = Assembler::new();
    let head = a.new_label();
    a.define(head);
    live(&mut a, 0);
    a.emit("jit_merge_point/cIRFIRF", vec![Operand::Imm(0), list(I, &[]), list(Rf, &[0]), list(F, &[]), list(I, &[0]), list(Rf, &[]), list(F, &[])], None).unwrap();
    a.emit("cast_ptr_to_int/r>i", vec![reg(Rf, 0)], Some(1)).unwrap();
    a.emit("int_add/ii>i", vec![reg(I, 0), reg(I, 1)], Some(0)).unwrap();
    a.emit("goto/L", vec![Operand::Label(head)], None).unwrap();
    set.jitcodes.push(JitCode {
        name: "portal".into(),
        num_regs: [2, 1, 0],
        num_args: [1, 1, 0],
        result: Some(I),
        consts_i: vec![],
        consts_r: vec![],
        consts_f: vec![],
        code: a.finish().unwrap(),
        liveness: vec![lv(&[0], &[0])],
    });
    set.portals = vec![PortalInfo { jitcode: 0, number: 0, driver: "addr".into(), greens: vec!["obj".into()], reds: vec!["acc".into()], printable: None }];
    let errors = verify_set(&set);
    assert!(errors.is_empty(), "{errors:?}");
    Program { set, addrs: vec![], rt: &NO_RT, vtable_offset: 8 }
}

#[test]
fn the_address_of_a_constant_object_is_recorded_under_a_moving_collector_and_folded_otherwise() {
    let prog = address_program();
    let descrs = descr_table(&prog.set).unwrap();
    let obj = alloc(2);
    for moving in [false, true] {
        let mut m = Model { moving, ..Model::default() };
        let mut t = Tracer::start(&prog, &mut m, 0, &descrs, 1, 1000, &[obj, 5]).unwrap();
        assert_eq!(t.run().unwrap(), Stop::MergePoint);
        assert!(t.recording, "{:?}", t.abort_reason);
        assert_eq!(t.merge_values().unwrap(), vec![obj, 5 + obj]);
        let token = t.token;
        let trace = t.close(token).unwrap();
        let text = print_trace(&trace, &descrs_with_token(&descrs));
        // The green is a constant of the trace; its address is one only if nothing moves.
        assert_eq!(text.contains("cast_ptr_to_int("), moving, "{text}");
        assert_eq!(text.contains(&format!("int_add(i0, {obj})")), !moving, "{text}");
    }
}

/// A bridge starts from a failed guard's resume values: one input box each, but a value
/// the guard's resume data holds as a constant (here the green `pc`) stays that constant
/// in the bridge, so it folds and needs no `guard_value` at the next merge point.
#[test]
fn a_bridge_keeps_the_constants_of_its_guards_resume_data() {
    let prog = program();
    let descrs = descr_table(&prog.set).unwrap();
    let mut m = model();
    let cell = alloc(2);
    let mut t = Tracer::start(&prog, &mut m, 0, &descrs, 1, 1000, &[7, 2, 10, cell]).unwrap();
    assert_eq!(t.run().unwrap(), Stop::MergePoint);
    let token = t.token;
    let trace = t.close(token).unwrap();
    drop(t);
    // The guard on `step(acc) & 1`, failing with acc = 4: its resume values are
    // `7, i6, i1, i8, p2`, the green a constant.
    let pcs = guard_pcs(&prog);
    let guard = trace.ops.iter().find(|o| o.resume().is_some_and(|r| r.frames[0].pos == Some(ResumePos { jitcode: 0, pc: pcs[2] }))).unwrap();
    let resume = guard.resume().unwrap();
    let frames = crate::resume::rebuild(&prog, resume, &[7, 4, 10, 0, cell]).unwrap();
    assert_eq!(frames[0].constant, vec![true, false, false, false, false]);
    let types = [jit::ir::Type::Int, jit::ir::Type::Int, jit::ir::Type::Int, jit::ir::Type::Int, jit::ir::Type::Ref];
    let (_, slots) = crate::tracer::merge_slots(&crate::tracer::find_merge_point(&prog, 0).unwrap().1).unwrap();
    let mut tr = Tracer::resume_recording(&prog, &mut m, frames, &slots, &descrs_with_token(&descrs), 1000, &types).unwrap();
    assert_eq!(tr.run().unwrap(), Stop::MergePoint);
    assert!(tr.recording, "{:?}", tr.abort_reason);
    assert_eq!(tr.merge_values().unwrap(), vec![7, 4, 10, cell]);
    let bridge = tr.close(token).unwrap();
    let text = print_trace(&bridge, &descrs_with_token(&descrs));
    assert_eq!(bridge.inputargs.len(), 5, "{text}");
    assert!(!text.contains("guard_value"), "the green was not kept constant:\n{text}");
    assert!(text.starts_with("[i0, i1, i2, i3, p4]\nguard_false(i3) [@0:"), "{text}");
}
