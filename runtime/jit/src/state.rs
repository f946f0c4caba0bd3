//! The JIT of one VM run: its parameters and warm-up state, the backend wired to the
//! runtime, the trace log, the perf map and the counters. The tracer hands it recorded
//! traces ([`JitState::compile_loop`], [`JitState::compile_bridge`]); it optimizes,
//! logs, compiles, maps and counts them. [`JitState::finish`] writes the counters at
//! the end of the run.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use kiln_abi::JitRuntime;

use crate::backend::cranelift::CraneliftBackend;
use crate::backend::{Backend, BackendError, CompiledTrace, ExitInfo};
use crate::descr::DescrTable;
use crate::ir::Trace;
use crate::resume::ResumeData;
use crate::jitlog::{GuardFailures, JitLog, JitStats, PerfMap, TraceKind};
use crate::warmstate::{GreenKey, JitParams, WarmState};

pub struct JitState {
    pub warm: WarmState,
    pub backend: CraneliftBackend,
    pub log: Option<JitLog>,
    pub perf: Option<PerfMap>,
    pub stats: JitStats,
    /// Every trace compiled, by number: its guard exits (for the failure counts).
    compiled: Vec<Vec<Rc<ExitInfo>>>,
    /// The resume data of every guard of every compiled trace, after optimization, by
    /// (trace number, op index): what a failing guard's exit (`ExitInfo::trace`, `op`)
    /// needs to rebuild the interpreter's frames.
    resumes: HashMap<(u32, usize), Rc<RefCell<ResumeData>>>,
    /// When the run's JIT started (for `JitStats::first_loop`).
    started: Instant,
}

impl JitState {
    /// The JIT as the environment configures it (`KILN_JIT`, `KILN_JITLOG`,
    /// `KILN_JIT_PERFMAP`; bad values are reported on stderr), or `None` when it is
    /// off or the host machine is not supported (reported too): the interpreter then
    /// runs alone.
    pub fn from_env(rt: &'static JitRuntime, vtable_offset: i32) -> Option<JitState> {
        let params = JitParams::from_env();
        if !params.enabled {
            return None;
        }
        match JitState::new(params, rt, vtable_offset, JitLog::from_env(), PerfMap::from_env()) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("kiln: the JIT is off: {e}");
                None
            }
        }
    }

    pub fn new(params: JitParams, rt: &'static JitRuntime, vtable_offset: i32, log: Option<JitLog>, perf: Option<PerfMap>) -> Result<JitState, BackendError> {
        let backend = CraneliftBackend::new()?.with_vtable_offset(vtable_offset).with_runtime(rt)?;
        Ok(JitState { warm: WarmState::new(params), backend, log, perf, stats: JitStats::default(), compiled: vec![], resumes: HashMap::new(), started: Instant::now() })
    }

    /// Time spent recording a trace (the tracer measures it).
    pub fn add_tracing_time(&mut self, d: Duration) {
        self.stats.tracing += d;
    }

    fn compile(&mut self, kind: TraceKind, mut trace: Trace, descrs: &DescrTable, guard: Option<&ExitInfo>) -> Result<CompiledTrace, BackendError> {
        let number = self.backend.next_number();
        if let Some(log) = &mut self.log {
            log.before(&kind, number, &trace, descrs);
        }
        let t = Instant::now();
        let optimized = crate::opt::optimize(descrs, &mut trace);
        self.stats.optimizing += t.elapsed();
        optimized.map_err(BackendError::Malformed)?;
        if let Some(log) = &mut self.log {
            log.after(&kind, number, &trace, descrs);
        }
        let t = Instant::now();
        let compiled = match guard {
            None => self.backend.compile(&trace, descrs),
            Some(g) => self.backend.compile_bridge(g, &trace, descrs),
        };
        self.stats.compiling += t.elapsed();
        let compiled = compiled?;
        for (i, op) in trace.ops.iter().enumerate() {
            if let Some(r) = op.resume() {
                self.resumes.insert((compiled.number, i), Rc::new(RefCell::new(r.clone())));
            }
        }
        if let (Some(perf), Some((start, size))) = (&mut self.perf, self.backend.code_range(compiled.number)) {
            perf.add(start, size, &PerfMap::name(&kind, compiled.number));
        }
        self.compiled.push(compiled.exits.clone());
        Ok(compiled)
    }

    /// Optimizes, logs, compiles and maps the loop traced from `key` (at `location`),
    /// and makes it the key's loop. An error leaves the key to be traced again.
    pub fn compile_loop(&mut self, key: &GreenKey, location: &str, trace: Trace, descrs: &DescrTable) -> Result<CompiledTrace, BackendError> {
        match self.compile(TraceKind::Loop { location: location.to_string() }, trace, descrs, None) {
            Ok(c) => {
                self.stats.loops += 1;
                if self.stats.first_loop.is_none() {
                    self.stats.first_loop = Some(self.started.elapsed());
                }
                self.warm.loop_compiled(key, c.number);
                Ok(c)
            }
            Err(e) => {
                self.abort(key, location, &e.to_string());
                Err(e)
            }
        }
    }

    /// The same for a bridge from `guard`, attached to it.
    pub fn compile_bridge(&mut self, guard: &ExitInfo, trace: Trace, descrs: &DescrTable) -> Result<CompiledTrace, BackendError> {
        let c = self.compile(TraceKind::Bridge { trace: guard.trace, op: guard.op }, trace, descrs, Some(guard))?;
        self.stats.bridges += 1;
        Ok(c)
    }

    /// A trace from `key` given up on (too long, or something the tracer cannot follow).
    pub fn abort(&mut self, key: &GreenKey, location: &str, reason: &str) {
        self.stats.aborts += 1;
        self.warm.trace_aborted(key);
        if let Some(log) = &mut self.log {
            log.abort(location, reason);
        }
    }

    /// The resume data of guard `op` of compiled trace `trace` (as optimized and compiled).
    /// Shared with the state, which keeps its reference constants current (see
    /// [`JitState::for_each_ref_slot`]): borrow it only between calls that may collect.
    pub fn resume_data(&self, trace: u32, op: usize) -> Option<Rc<RefCell<ResumeData>>> {
        self.resumes.get(&(trace, op)).cloned()
    }

    /// Calls `f` with the slot of every GC reference the state holds: the instances of
    /// the warm state's green keys and the reference constants of every guard's resume
    /// data (a GC root source: a moving collector updates them in place; resume data holds
    /// constants such as the instances of green keys, which may be young).
    pub fn for_each_ref_slot(&mut self, mut f: impl FnMut(&mut u64)) {
        self.warm.for_each_ref_slot(&mut f);
        for r in self.resumes.values() {
            // A borrow held across a collection would be a metainterp bug: it panics
            // (and aborts, inside the collector's callback) rather than skip roots.
            r.borrow_mut().map_values(&mut |v| match v {
                crate::ir::Value::Const(crate::ir::Const::Ref(mut a)) if a != 0 => {
                    f(&mut a);
                    crate::ir::Value::Const(crate::ir::Const::Ref(a))
                }
                v => v,
            });
        }
    }

    /// How often each guard of each compiled trace failed.
    pub fn guard_failures(&self) -> Vec<GuardFailures> {
        self.compiled
            .iter()
            .flatten()
            .filter(|e| e.failures() > 0)
            .map(|e| GuardFailures { trace: e.trace, op: e.op, count: e.failures() })
            .collect()
    }

    /// The end of the run: the counters go to the log.
    pub fn finish(&mut self) {
        let guards = self.guard_failures();
        if let Some(log) = &mut self.log {
            log.summary(&self.stats, &guards);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::io::Write;

    use super::*;
    use crate::backend::ExitKind;
    use crate::ir::Type;
    use crate::parse::parse_trace_file;
    use crate::warmstate::{Action, Green};

    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_loop_and_a_bridge_are_logged_mapped_and_counted() {
        let _session = kiln_runtime::host::Session::begin(true);
        let (log_out, map_out) = (Shared::default(), Shared::default());
        let params = JitParams { threshold: 2, trace_eagerness: 3, ..JitParams::default() };
        let rt = &kiln_runtime::gc::jit::kiln_gc_none_jit;
        let mut jit = JitState::new(params, rt, 8, Some(JitLog::new(Box::new(log_out.clone()))), Some(PerfMap::new(Box::new(map_out.clone())))).unwrap();
        let key = GreenKey(vec![Green::Int(3)]);
        assert_eq!(jit.warm.back_jump(&key), Action::Interpret);
        assert_eq!(jit.warm.back_jump(&key), Action::StartTracing);
        let (descrs, trace) = parse_trace_file(
            "
            [i0, i1]
            label(i0, i1, descr=TargetToken(1))
            debug_merge_point(0, 0, '#3 [')
            i2 = int_lt(i0, 100)
            guard_true(i2) [i0, i1]
            i3 = int_and(i0, 1)
            guard_false(i3) [i0, i1]
            i4 = int_add(i1, 0)
            i5 = int_add(i4, i0)
            i6 = int_add(i0, 1)
            jump(i6, i5, descr=TargetToken(1))
            ",
        )
        .unwrap();
        let code = jit.compile_loop(&key, "#3 [", trace.clone(), &descrs).unwrap();
        let first = jit.stats.first_loop.expect("the first loop's time is recorded");
        assert!(first <= jit.started.elapsed());
        assert_eq!(jit.warm.back_jump(&key), Action::EnterCompiled(code.number));
        let mut frame = jit.backend.new_frame();
        let mut failed = None;
        for round in 0.. {
            frame.set(0, Type::Int, 0);
            frame.set(1, Type::Int, 0);
            // SAFETY: the trace reads no memory.
            let exit = unsafe { code.run_frame(&mut frame) }.unwrap();
            assert_eq!(exit.kind, ExitKind::Guard);
            if jit.warm.bridge_wanted(exit.failures()) {
                assert_eq!(round, 2);
                failed = Some(exit);
                break;
            }
        }
        let guard = failed.unwrap();
        let (d, bridge) = parse_trace_file("[i0, i1]\ni2 = int_add(i0, 1)\njump(i2, i1, descr=TargetToken(1))").unwrap();
        jit.compile_bridge(&guard, bridge, &d).unwrap();
        // A second loop (or a bridge) does not move the time to the first one.
        jit.compile_loop(&GreenKey(vec![Green::Int(4)]), "#4 [", trace, &descrs).unwrap();
        assert_eq!(jit.stats.first_loop, Some(first));
        jit.abort(&GreenKey(vec![Green::Int(9)]), "#9 +", "trace too long");
        jit.finish();
        let log = String::from_utf8(log_out.0.borrow().clone()).unwrap();
        assert!(log.contains("# loop 0 at '#3 [': before optimization, 10 ops\n"), "{log}");
        assert!(log.contains("# loop 0 at '#3 [': after optimization, 9 ops\n"), "{log}");
        assert!(log.contains("# bridge 1 from trace 0 op 5: before optimization, 2 ops\n"), "{log}");
        assert!(log.contains("# abort at '#9 +': trace too long\n"), "{log}");
        assert!(log.contains("#   loops 2\n#   bridges 1\n#   aborts 1\n"), "{log}");
        assert!(log.contains(&format!("#   first_loop_s {:.6}\n", first.as_secs_f64())), "{log}");
        assert!(log.ends_with("# guard failures\n#   trace 0 op 5: 3\n"), "{log}");
        let map = String::from_utf8(map_out.0.borrow().clone()).unwrap();
        let lines: Vec<&str> = map.lines().collect();
        assert_eq!(lines.len(), 3, "{map}");
        for (line, (n, name)) in lines.iter().zip([(0, "kiln-jit loop 0 #3 ["), (1, "kiln-jit bridge 1 from trace 0 op 5"), (2, "kiln-jit loop 2 #4 [")]) {
            let (start, size) = jit.backend.code_range(n).unwrap();
            assert_eq!(*line, format!("{start:x} {size:x} {name}"));
            assert!(size > 0);
        }
    }
}
