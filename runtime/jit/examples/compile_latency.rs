//! Measures how long the optimizer and the Cranelift backend take on a typical interpreter
//! loop trace: `cargo run --release -p kiln-jit --example compile_latency`.

use std::time::Instant;

use kiln_jit::backend::cranelift::CraneliftBackend;
use kiln_jit::backend::Backend;

const TRACE: &str = "
descr Frame.pc: field(offset=8, size=8, type=i)
descr Frame.acc: field(offset=16, size=8, type=i)
descr Frame.code: field(offset=24, size=8, type=r, immutable)
descr Code: array(base=16, len=8, item_size=1, type=i, unsigned, immutable)
[p0]
label(p0, descr=TargetToken(1))
debug_merge_point(0, 0, 'ADD')
i1 = getfield_gc_i(p0, descr=Frame.pc)
p2 = getfield_gc_r(p0, descr=Frame.code)
i3 = arraylen_gc(p2, descr=Code)
i4 = int_lt(i1, i3)
guard_true(i4) [p0]
i5 = int_ge(i1, 0)
guard_true(i5) [p0]
i6 = getarrayitem_gc_i(p2, i1, descr=Code)
guard_value(i6, 7) [p0]
i7 = getfield_gc_i(p0, descr=Frame.acc)
i8 = int_add_ovf(i7, i6)
guard_no_overflow() [p0]
setfield_gc(p0, i8, descr=Frame.acc)
i9 = int_lt(i8, 1000000)
guard_true(i9) [p0, i8]
i10 = getfield_gc_i(p0, descr=Frame.pc)
i11 = int_lt(i10, i3)
guard_true(i11) [p0]
i12 = int_add_ovf(i10, 1)
guard_no_overflow() [p0]
i13 = int_and(i12, 0)
setfield_gc(p0, i13, descr=Frame.pc)
jump(p0, descr=TargetToken(1))
";

fn main() {
    let (descrs, trace) = kiln_jit::parse_trace_file(TRACE).expect("the trace parses");
    let mut backend = CraneliftBackend::new().expect("a backend for this machine");
    let rounds = 200;
    let (mut opt_time, mut compile_time) = (0.0, 0.0);
    let mut ops = 0;
    for _ in 0..rounds {
        let mut t = trace.clone();
        let start = Instant::now();
        kiln_jit::opt::optimize(&descrs, &mut t).expect("the optimizer succeeds");
        let mid = Instant::now();
        backend.compile(&t, &descrs).expect("the trace compiles");
        let end = Instant::now();
        opt_time += (mid - start).as_secs_f64();
        compile_time += (end - mid).as_secs_f64();
        ops = t.ops.len();
    }
    println!(
        "{} ops -> {ops} ops; optimize {:.1} us, compile {:.1} us (mean of {rounds})",
        trace.ops.len(),
        opt_time / rounds as f64 * 1e6,
        compile_time / rounds as f64 * 1e6
    );
}
