//! Contract 4 of docs/jit.md, checked: every jitcode instruction that the tracer records
//! as an op has a trace op (its own name or an alias), with the operand count of the
//! instruction, and every pure one computes what lltype's op of the same name computes
//! (`kiln_lltype::eval`, which the LLVM backend and the llinterp agree with), bit for
//! bit, in the optimizer's constant folding (`fold::eval`), in the reference interpreter,
//! and in code the Cranelift backend compiled.

use kiln_jitcode::{ArgCode, Opcode, INSNS};
use kiln_lltype::eval::eval_pure;
use kiln_lltype::{Kind, LlOp};

use crate::backend::cranelift::CraneliftBackend;
use crate::backend::{Backend, ExitKind};
use crate::interp::{self, Exit, Heap};
use crate::ir::{Const, Type};
use crate::opcode::OpCode;
use crate::opt::fold::eval;
use crate::parse::parse_trace_file;

/// Instructions the tracer does not record 1:1 as an op of their name: control flow and
/// liveness (guards on the condition instead), exceptions (guards and the exception
/// state), copies (nothing), calls (`call_*` / `call_pure_*` by effect info, or inlined),
/// allocation (`new` / `new_with_vtable` by descriptor), hints (`guard_value`, or
/// nothing), and the merge point.
const NOT_RECORDED_BY_NAME: &[&str] = &[
    "live", "goto", "goto_if_not", "switch", "int_return", "ref_return", "float_return", "void_return",
    "catch_exception", "goto_if_exception_mismatch", "last_exception", "last_exc_value", "raise", "reraise",
    "int_copy", "ref_copy", "float_copy",
    "residual_call_i", "residual_call_r", "residual_call_f", "residual_call_v",
    "inline_call_i", "inline_call_r", "inline_call_f", "inline_call_v",
    "new",
    "jit_merge_point", "loop_header", "int_guard_value", "ref_guard_value", "float_guard_value", "str_guard_value",
    "int_isconstant", "ref_isconstant", "float_isconstant", "ref_isvirtual",
    "int_assert_green", "ref_assert_green", "float_assert_green",
];

/// The register operands of an instruction (descriptors are the op's `descr=`).
fn register_operands(op: Opcode) -> Option<usize> {
    let mut n = 0;
    for a in op.args() {
        match a {
            ArgCode::Reg(_) => n += 1,
            ArgCode::Descr => {}
            _ => return None,
        }
    }
    Some(n)
}

#[test]
fn every_recorded_jitcode_instruction_has_a_trace_op_of_its_arity() {
    let mut missing = Vec::new();
    for i in 0..INSNS.len() {
        let insn = Opcode(i as u8);
        let name = insn.name();
        if NOT_RECORDED_BY_NAME.contains(&name) {
            continue;
        }
        let Some(op) = OpCode::from_name(name) else {
            missing.push(name);
            continue;
        };
        let n = register_operands(insn).unwrap_or_else(|| panic!("{name} has non-register operands"));
        assert_eq!(op.info().args.len(), n, "{name} takes {n} operands, {op} {}", op.info().args.len());
        let result = insn.result().map(|b| match b {
            kiln_jitcode::Bank::Int => Type::Int,
            kiln_jitcode::Bank::Ref => Type::Ref,
            kiln_jitcode::Bank::Float => Type::Float,
        });
        assert_eq!(op.result_type(), result, "{name} and {op} differ in their result");
    }
    assert!(missing.is_empty(), "jitcode instructions without a trace op: {missing:?}");
}

fn samples(kind: Kind) -> Vec<u64> {
    match kind {
        Kind::Int | Kind::Uint => [
            0i64,
            1,
            -1,
            2,
            -2,
            3,
            7,
            -7,
            63,
            64,
            255,
            256,
            0x10_ffff,
            1 << 32,
            -(1 << 32),
            1_000_000_007,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ]
        .iter()
        .map(|&v| v as u64)
        .collect(),
        Kind::Bool => vec![0, 1],
        Kind::Char => vec![0, 1, 65, 127, 128, 255],
        Kind::UniChar => vec![0, 65, 255, 0xffff, 0x10_ffff],
        Kind::Float => [0.0, -0.0, 1.5, -2.5, 0.1, 1e300, -1e300, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 9.3e18, -9.3e18, 4294967296.5]
            .iter()
            .map(|v: &f64| v.to_bits())
            .collect(),
        other => panic!("no samples of {other:?}"),
    }
}

fn trace_const(kind: Kind, bits: u64) -> Const {
    if kind == Kind::Float {
        Const::Float(bits)
    } else {
        Const::Int(bits as i64)
    }
}

/// Every combination of the sample values of `kinds`.
fn combinations(kinds: &[Kind]) -> Vec<Vec<u64>> {
    let mut out = vec![vec![]];
    for &k in kinds {
        let mut next = Vec::new();
        for prefix in &out {
            for v in samples(k) {
                let mut p = prefix.clone();
                p.push(v);
                next.push(p);
            }
        }
        out = next;
    }
    out
}

/// The pure instructions with an lltype op of the same name on plain values, with it.
fn pure_instructions() -> Vec<(&'static str, LlOp, OpCode, &'static [Kind], Kind)> {
    let mut out = Vec::new();
    for i in 0..INSNS.len() {
        let name = Opcode(i as u8).name();
        let Some(ll) = LlOp::SIMPLE.iter().copied().find(|o| o.name() == name) else { continue };
        let Some((args, res)) = ll.signature() else { continue };
        let plain = |k: &Kind| matches!(k, Kind::Int | Kind::Uint | Kind::Bool | Kind::Char | Kind::UniChar | Kind::Float);
        if !args.iter().all(plain) || !plain(&res) {
            continue;
        }
        let op = OpCode::from_name(name).unwrap_or_else(|| panic!("no trace op for {name}"));
        out.push((name, ll, op, args, res));
    }
    out
}

#[test]
fn folding_computes_what_lltype_computes() {
    let insns = pure_instructions();
    assert!(insns.len() > 70, "only {} pure instructions found", insns.len());
    for (name, ll, op, args, res) in insns {
        assert!(op.is_pure(), "{name} is recorded as {op}, which is not pure");
        for vals in combinations(args) {
            let Some(want) = eval_pure(ll, &vals) else { continue };
            let consts: Vec<Const> = args.iter().zip(&vals).map(|(&k, &v)| trace_const(k, v)).collect();
            let got = eval(op, &consts);
            assert_eq!(got, Some(trace_const(res, want)), "{name}{vals:x?} as {op}");
        }
    }
}

#[test]
fn compiled_code_and_the_interpreter_compute_what_lltype_computes() {
    let mut backend = CraneliftBackend::new().unwrap();
    for (name, ll, op, args, res) in pure_instructions() {
        let letter = |k: Kind| if k == Kind::Float { 'f' } else { 'i' };
        let inputs: Vec<String> = args.iter().enumerate().map(|(k, &a)| format!("{}{k}", letter(a))).collect();
        let n = args.len();
        let text = format!("[{}]\n{}{n} = {name}({})\nfinish({}{n})\n", inputs.join(", "), letter(res), inputs.join(", "), letter(res));
        let (descrs, trace) = parse_trace_file(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(trace.ops[0].opcode, op);
        let code = backend.compile(&trace, &descrs).unwrap_or_else(|e| panic!("{name}: {e}"));
        for vals in combinations(args) {
            let Some(want) = eval_pure(ll, &vals) else { continue };
            let mut frame = vals.clone();
            frame.resize(8, 0);
            // SAFETY: the trace reads no memory.
            let exit = unsafe { code.run(&mut frame) }.unwrap();
            assert_eq!(exit.kind, ExitKind::Finish);
            let want_bits = if res == Kind::Float { want } else { trace_const(res, want).as_int().unwrap() as u64 };
            assert_eq!(frame[0], want_bits, "compiled {name}{vals:x?}: {:#x}, lltype {:#x}", frame[0], want_bits);
            let consts: Vec<Const> = args.iter().zip(&vals).map(|(&k, &v)| trace_const(k, v)).collect();
            let ran = interp::run(&trace, &descrs, &consts, &mut Heap::default(), &mut |_, _, _| Err("no calls".into()), 1);
            assert_eq!(ran, Ok(Exit::Finish(vec![trace_const(res, want)])), "interpreted {name}{vals:x?}");
        }
    }
}

#[test]
fn division_by_zero_and_min_by_minus_one_do_not_trap_in_compiled_code() {
    // The interpreter checks divisors before dividing, so these never reach a trace of a
    // correct interpreter; compiled code must still not crash the VM if one does.
    let mut backend = CraneliftBackend::new().unwrap();
    for name in ["int_floordiv", "int_mod", "uint_floordiv", "uint_mod"] {
        let (descrs, trace) = parse_trace_file(&format!("[i0, i1]\ni2 = {name}(i0, i1)\nfinish(i2)")).unwrap();
        let code = backend.compile(&trace, &descrs).unwrap();
        for (a, b) in [(7i64, 0i64), (i64::MIN, -1), (i64::MIN, 0)] {
            let mut frame = vec![a as u64, b as u64, 0, 0, 0, 0, 0, 0];
            // SAFETY: the trace reads no memory.
            unsafe { code.run(&mut frame) }.unwrap();
        }
    }
}
