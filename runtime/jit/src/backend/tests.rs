//! Tests of the Cranelift backend: traces compiled and run on real memory, and random
//! traces whose compiled code must leave the same way as the reference interpreter.

use crate::backend::cranelift::CraneliftBackend;
use crate::backend::{Backend, BackendError, CompiledTrace, ExitKind};
use crate::descr::DescrTable;
use crate::interp::{self, Exit, Heap};
use crate::ir::{Const, Trace, Type, Value};
use crate::parse::parse_trace_file;

fn compile(text: &str) -> (CompiledTrace, Trace, DescrTable) {
    let (descrs, trace) = parse_trace_file(text).unwrap_or_else(|e| panic!("{e}"));
    crate::verify::verify_rendered(&trace, &descrs).unwrap();
    let mut backend = CraneliftBackend::new().unwrap();
    let code = backend.compile(&trace, &descrs).unwrap_or_else(|e| panic!("{e}"));
    (code, trace, descrs)
}

#[test]
fn a_counting_loop_runs_until_its_guard_fails() {
    let (code, _, _) = compile(
        "
        [i0, i1]
        label(i0, i1, descr=TargetToken(1))
        i2 = int_lt(i0, 100)
        guard_true(i2) [i0, i1]
        i3 = int_add(i1, i0)
        i4 = int_add(i0, 1)
        jump(i4, i3, descr=TargetToken(1))
        ",
    );
    let mut frame = vec![0u64; code.frame_words];
    // SAFETY: the trace reads no memory.
    let exit = unsafe { code.run(&mut frame) }.unwrap();
    assert_eq!((exit.kind, exit.op), (ExitKind::Guard, 2));
    assert_eq!(&frame[..2], &[100, 4950]);
}

#[test]
fn overflow_guards_leave_with_the_values_before_the_overflow() {
    let (code, _, _) = compile(
        "
        [i0]
        label(i0, descr=TargetToken(1))
        i1 = int_mul_ovf(i0, 3)
        guard_no_overflow() [i0, 7]
        jump(i1, descr=TargetToken(1))
        ",
    );
    let mut frame = vec![1u64; code.frame_words];
    // SAFETY: the trace reads no memory.
    let exit = unsafe { code.run(&mut frame) }.unwrap();
    assert_eq!(exit.kind, ExitKind::Guard);
    let last = 3i64.pow(39);
    assert_eq!((frame[0] as i64, frame[1]), (last, 7));
    assert!(last.checked_mul(3).is_none());
}

#[test]
fn fields_items_and_floats_read_and_write_real_memory() {
    let (code, _, _) = compile(
        "
        descr O.x: field(offset=8, size=8, type=i)
        descr O.b: field(offset=16, size=1, type=i)
        descr O.f: field(offset=24, size=8, type=f)
        descr Arr: array(base=16, len=8, item_size=4, type=i, unsigned)
        [p0, p1, i2]
        i3 = getfield_gc_i(p0, descr=O.x)
        i4 = int_add(i3, i2)
        setfield_gc(p0, i4, descr=O.x)
        i5 = getfield_gc_i(p0, descr=O.b)
        f6 = getfield_gc_f(p0, descr=O.f)
        f7 = float_mul(f6, 2.5)
        setfield_gc(p0, f7, descr=O.f)
        i8 = arraylen_gc(p1, descr=Arr)
        i9 = getarrayitem_gc_i(p1, 1, descr=Arr)
        setarrayitem_gc(p1, 2, i4, descr=Arr)
        i10 = cast_float_to_int(f7)
        finish(i4, i5, f7, i8, i9, i10)
        ",
    );
    let mut obj = vec![0u64; 4];
    obj[1] = 40;
    obj[2] = 0xfe; // a signed byte: -2
    obj[3] = 4.0f64.to_bits();
    let mut arr = vec![0u64; 4];
    arr[1] = 3; // length
    arr[2] = 0xffff_fff0_0000_0000; // items 0 and 1 (little-endian u32s)
    let mut frame = vec![0u64; code.frame_words];
    frame[0] = obj.as_mut_ptr() as u64;
    frame[1] = arr.as_mut_ptr() as u64;
    frame[2] = 2;
    // SAFETY: p0 and p1 point to buffers laid out as the descriptors say.
    let exit = unsafe { code.run(&mut frame) }.unwrap();
    assert_eq!(exit.kind, ExitKind::Finish);
    assert_eq!(frame[0], 42);
    assert_eq!(frame[1] as i64, -2);
    assert_eq!(f64::from_bits(frame[2]), 10.0);
    assert_eq!((frame[3], frame[4], frame[5]), (3, 0xffff_fff0, 10));
    assert_eq!((obj[1], f64::from_bits(obj[3])), (42, 10.0));
    assert_eq!(arr[3] & 0xffff_ffff, 42);
}

#[test]
fn unsupported_ops_are_errors_not_crashes() {
    let (descrs, trace) = parse_trace_file(
        "
        descr S: size(size=16, type_id=1)
        [i0]
        p1 = new(descr=S)
        finish(i0)
        ",
    )
    .unwrap();
    let mut backend = CraneliftBackend::new().unwrap();
    assert_eq!(backend.compile(&trace, &descrs).err(), Some(BackendError::Unsupported("new without the runtime's JIT record".into())));
    let (descrs, trace) = parse_trace_file("[i0]\nguard_no_exception() [i0]\nfinish(i0)").unwrap();
    assert_eq!(
        backend.compile(&trace, &descrs).err(),
        Some(BackendError::Unsupported("guard_no_exception without the runtime's JIT record".into()))
    );
    // The backend still compiles after a refusal.
    let (descrs, trace) = parse_trace_file("[i0]\ni1 = int_add(i0, 1)\nfinish(i1)").unwrap();
    let code = backend.compile(&trace, &descrs).unwrap();
    let mut frame = vec![41u64; code.frame_words];
    // SAFETY: the trace reads no memory.
    unsafe { code.run(&mut frame) }.unwrap();
    assert_eq!(frame[0], 42);
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const INTS: &[i64] = &[0, 1, -1, 2, 3, 17, 63, 64, -100, i64::MAX, i64::MIN];
const FLOATS: &[&str] = &["0.0", "-0.0", "1.5", "-2.25", "inf", "nan", "1e300"];

/// A random arithmetic loop with a counter that ends it after at most 20 iterations.
fn random_loop(seed: u64) -> String {
    let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let (mut ints, mut floats) = (vec!["i0".to_string(), "i1".to_string()], vec!["f2".to_string()]);
    let mut lines = vec![
        "label(i0, i1, f2, i3, descr=TargetToken(1))".to_string(),
        "i4 = int_add(i3, 1)".into(),
        "i5 = int_lt(i4, 20)".into(),
        "guard_true(i5) [i0, i1, f2, i3]".into(),
    ];
    let mut n = 5;
    let pick_int = |r: &mut Rng, ints: &Vec<String>| {
        if r.below(3) == 0 { INTS[r.below(INTS.len())].to_string() } else { ints[r.below(ints.len())].clone() }
    };
    for _ in 0..5 + r.below(25) {
        n += 1;
        let (a, b) = (pick_int(&mut r, &ints), pick_int(&mut r, &ints));
        let f = |r: &mut Rng, floats: &Vec<String>| {
            if r.below(3) == 0 { FLOATS[r.below(FLOATS.len())].to_string() } else { floats[r.below(floats.len())].clone() }
        };
        let resume = format!("[{}, {}]", ints[r.below(ints.len())], floats[r.below(floats.len())]);
        match r.below(8) {
            0 | 1 => {
                let ops = [
                    "int_add", "int_sub", "int_mul", "int_and", "int_or", "int_xor", "int_lshift", "int_rshift", "uint_rshift", "int_lt",
                    "int_ge", "uint_lt", "int_eq", "int_ne", "int_floordiv", "int_mod", "uint_floordiv", "uint_mod", "int_add_overflows",
                    "int_sub_overflows", "int_mul_overflows", "int_between",
                ];
                let op = ops[r.below(ops.len())];
                if op.contains("div") || op.contains("mod") {
                    // A divisor the interpreter checked is not zero.
                    lines.push(format!("i{n} = int_or({b}, 1)"));
                    lines.push(format!("i{} = {op}({a}, i{n})", n + 1));
                    ints.push(format!("i{n}"));
                    n += 1;
                } else if op == "int_between" {
                    let c = pick_int(&mut r, &ints);
                    lines.push(format!("i{n} = {op}({a}, {b}, {c})"));
                } else {
                    lines.push(format!("i{n} = {op}({a}, {b})"));
                }
                ints.push(format!("i{n}"));
            }
            2 => {
                let ops = ["int_neg", "int_invert", "int_is_true", "int_is_zero", "cast_int_to_float", "int_abs", "cast_int_to_char", "cast_int_to_unichar", "cast_uint_to_float", "cast_word_to_float"];
                let op = ops[r.below(ops.len())];
                let t = if op.ends_with("to_float") { 'f' } else { 'i' };
                lines.push(format!("{t}{n} = {op}({a})"));
                if t == 'f' { floats.push(format!("f{n}")) } else { ints.push(format!("i{n}")) }
            }
            3 => {
                let ops = ["int_add_ovf", "int_sub_ovf", "int_mul_ovf"];
                lines.push(format!("i{n} = {}({a}, {b})", ops[r.below(3)]));
                lines.push(format!("guard_no_overflow() {resume}"));
                ints.push(format!("i{n}"));
            }
            4 => {
                let ops = ["float_add", "float_sub", "float_mul", "float_truediv"];
                let (x, y) = (f(&mut r, &floats), f(&mut r, &floats));
                lines.push(format!("f{n} = {}({x}, {y})", ops[r.below(4)]));
                floats.push(format!("f{n}"));
            }
            5 => {
                let ops = ["float_lt", "float_le", "float_eq", "float_ne", "float_gt", "float_ge"];
                let (x, y) = (f(&mut r, &floats), f(&mut r, &floats));
                lines.push(format!("i{n} = {}({x}, {y})", ops[r.below(6)]));
                ints.push(format!("i{n}"));
            }
            6 => {
                let x = f(&mut r, &floats);
                let op = ["cast_float_to_int", "float_neg", "float_abs", "float_is_true", "cast_float_to_word"][r.below(5)];
                let t = if matches!(op, "float_neg" | "float_abs") { 'f' } else { 'i' };
                lines.push(format!("{t}{n} = {op}({x})"));
                if t == 'f' { floats.push(format!("f{n}")) } else { ints.push(format!("i{n}")) }
            }
            _ => {
                let g = ["guard_true", "guard_false"][r.below(2)];
                lines.push(format!("{g}({a}) {resume}"));
            }
        }
    }
    let (a, b) = (ints[r.below(ints.len())].clone(), ints[r.below(ints.len())].clone());
    let x = floats[r.below(floats.len())].clone();
    lines.push(format!("jump({a}, {b}, {x}, i4, descr=TargetToken(1))"));
    format!("[i0, i1, f2, i3]\n{}\n", lines.join("\n"))
}

/// The frame words an interpreter exit corresponds to.
fn words(values: &[Const]) -> Vec<u64> {
    values
        .iter()
        .map(|c| match *c {
            Const::Int(i) => i as u64,
            Const::Float(b) | Const::Ref(b) => b,
        })
        .collect()
}

#[test]
fn compiled_random_loops_leave_like_the_interpreter() {
    let mut backend = CraneliftBackend::new().unwrap();
    let mut compiled = 0;
    for seed in 0..300u64 {
        let text = random_loop(seed);
        let (descrs, trace) = parse_trace_file(&text).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        crate::verify::verify_rendered(&trace, &descrs).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let inputs = [Const::Int(INTS[seed as usize % INTS.len()]), Const::Int(7), Const::float(0.5), Const::Int(0)];
        let expected = interp::run(&trace, &descrs, &inputs, &mut Heap::default(), &mut |_, _, _| Err("no calls".into()), 100)
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let (op, want) = match &expected {
            Exit::GuardFailure { op, frames, .. } => (*op, words(&frames.iter().flat_map(|f| f.1.clone()).collect::<Vec<_>>())),
            other => panic!("seed {seed}: the counter guard must end the loop, not {other:?}"),
        };
        // The unoptimized and the optimized trace, compiled, leave with the same values.
        let mut optimized = trace.clone();
        crate::opt::optimize(&descrs, &mut optimized).unwrap();
        for (what, t) in [("unoptimized", &trace), ("optimized", &optimized)] {
            let code = backend.compile(t, &descrs).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
            let mut frame = vec![0u64; code.frame_words.max(4)];
            frame[..4].copy_from_slice(&words(&inputs));
            // SAFETY: the trace reads no memory.
            let exit = unsafe { code.run(&mut frame) }.unwrap();
            assert_eq!(exit.kind, ExitKind::Guard, "seed {seed} {what}");
            if what == "unoptimized" {
                assert_eq!(exit.op, op, "seed {seed}: another guard failed\n{text}");
            }
            assert_eq!(exit.values.len(), want.len(), "seed {seed} {what}: another guard failed\n{text}");
            // Resume values that optimization made constant are compared as values, and
            // NaNs as NaN whatever their payload.
            let canon = |v: &Value, w: u64| {
                let is_float = match v {
                    Value::Const(c) => c.ty() == Type::Float,
                    Value::Box(b) => t.box_type(*b) == Some(Type::Float),
                };
                if is_float && f64::from_bits(w).is_nan() { f64::NAN.to_bits() } else { w }
            };
            let got: Vec<u64> = exit
                .values
                .iter()
                .zip(&frame)
                .map(|(v, &w)| canon(v, if let Value::Const(c) = v { words(&[*c])[0] } else { w }))
                .collect();
            let want: Vec<u64> = exit.values.iter().zip(&want).map(|(v, &w)| canon(v, w)).collect();
            assert_eq!(got, want, "seed {seed} {what}\n{text}");
        }
        compiled += 1;
    }
    assert_eq!(compiled, 300);
}

#[test]
fn class_guards_read_the_vtable_and_check_null_first() {
    let (descrs, trace) = parse_trace_file(
        "
        [p0, p1]
        guard_nonnull_class(p0, 4096) [p0]
        guard_class(p1, 8192) [p1]
        finish(1)
        ",
    )
    .unwrap();
    // Without a vtable offset the backend refuses; with one it compiles.
    let mut plain = CraneliftBackend::new().unwrap();
    assert!(matches!(plain.compile(&trace, &descrs), Err(BackendError::Unsupported(_))));
    let mut backend = CraneliftBackend::new().unwrap().with_vtable_offset(8);
    let code = backend.compile(&trace, &descrs).unwrap();
    let a = [0u64, 4096];
    let b = [0u64, 8192];
    let run = |p0: u64, p1: u64| {
        let mut frame = vec![p0, p1];
        // SAFETY: p0 and p1 are null or point to two words with the vtable in the second.
        let exit = unsafe { code.run(&mut frame) }.unwrap();
        (exit.kind, exit.op, frame[0])
    };
    let (pa, pb) = (a.as_ptr() as u64, b.as_ptr() as u64);
    assert_eq!(run(pa, pb), (ExitKind::Finish, 2, 1));
    assert_eq!(run(0, pb), (ExitKind::Guard, 0, 0));
    assert_eq!(run(pb, pb), (ExitKind::Guard, 0, pb));
    assert_eq!(run(pa, pa), (ExitKind::Guard, 1, pa));
}

#[test]
fn raw_memory_is_read_and_written_through_int_addresses() {
    // A vtable-like raw struct and a raw array, addressed by ints (no write barrier).
    let (code, _, _) = compile(
        "
        descr V.size: field(offset=8, size=4, type=i)
        descr V.w: field(offset=16, size=8, type=f)
        descr R: array(base=8, len=0, item_size=2, type=i)
        [i0, i1]
        i2 = getfield_raw_i(i0, descr=V.size)
        f3 = getfield_raw_f(i0, descr=V.w)
        setfield_raw(i0, 77, descr=V.size)
        i4 = arraylen_raw(i1, descr=R)
        i5 = getarrayitem_raw_i(i1, 1, descr=R)
        i6 = getfield_raw_i(i0, descr=V.size)
        finish(i2, f3, i4, i5, i6)
        ",
    );
    let mut v = [0u64, 0xffff_ffff_0000_0005, 2.5f64.to_bits()];
    let mut arr = [3u64, 0x0000_0000_8001_0002];
    let mut frame = vec![v.as_mut_ptr() as u64, arr.as_mut_ptr() as u64, 0, 0, 0, 0];
    // SAFETY: the addresses point to buffers laid out as the descriptors say.
    let exit = unsafe { code.run(&mut frame) }.unwrap();
    assert_eq!(exit.kind, ExitKind::Finish);
    assert_eq!(frame[0], 5);
    assert_eq!(f64::from_bits(frame[1]), 2.5);
    assert_eq!((frame[2], frame[3] as i64, frame[4]), (3, -32767, 77));
    assert_eq!(v[1], 0xffff_ffff_0000_004d);
}
