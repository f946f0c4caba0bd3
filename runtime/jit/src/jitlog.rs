//! What the JIT tells its user: the trace log (`KILN_JITLOG=path`) and the perf map
//! (`KILN_JIT_PERFMAP=1`).
//!
//! **The trace log** is text. Each trace appears twice, before and after optimization,
//! as a trace file (descriptors, inputs, ops; `debug_merge_point`s carry the
//! interpreter's printable location) under a `#` header line, so every section can be
//! fed back to the trace parser as it is. Aborts get one header line each. At the end
//! come the counters:
//!
//! ```text
//! # kiln jit log
//! # loop 0 at '#3 [': before optimization, 14 ops
//! [i0, p1]
//! …
//! # loop 0 at '#3 [': after optimization, 9 ops
//! …
//! # bridge 1 from trace 0 op 4: before optimization, 5 ops
//! …
//! # abort at '#7 +': trace too long
//! # counters
//! #   loops 1
//! #   bridges 1
//! #   aborts 1
//! #   tracing_s 0.000412
//! #   optimizing_s 0.000093
//! #   compiling_s 0.001270
//! #   first_loop_s 0.012345
//! # guard failures
//! #   trace 0 op 4: 29
//! ```
//!
//! **The perf map** is `/tmp/perf-PID.map`, one `START SIZE name` line (hex, no `0x`) per
//! compiled loop and bridge, which `perf report` reads to name JIT code.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Duration;

use crate::descr::DescrTable;
use crate::ir::Trace;
use crate::print::print_trace_file;

/// The environment variable naming the log file.
pub const ENV_JITLOG: &str = "KILN_JITLOG";
/// The environment variable that turns the perf map on (`1`).
pub const ENV_PERFMAP: &str = "KILN_JIT_PERFMAP";

/// What was compiled, for headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceKind {
    /// A loop, with the printable location of its green key.
    Loop { location: String },
    /// A bridge from a guard (trace number and op index).
    Bridge { trace: u32, op: usize },
}

/// The JIT's counters (what the log ends with).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JitStats {
    pub loops: u64,
    pub bridges: u64,
    pub aborts: u64,
    pub tracing: Duration,
    pub optimizing: Duration,
    pub compiling: Duration,
    /// From the start of the run (the JIT state's creation) to the first loop compiled;
    /// `None` while no loop is.
    pub first_loop: Option<Duration>,
}

/// One guard that failed: its trace, its op index, and how often.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardFailures {
    pub trace: u32,
    pub op: usize,
    pub count: u64,
}

/// A trace-log writer.
pub struct JitLog {
    out: Box<dyn Write>,
}

fn quote(s: &str) -> String {
    let mut q = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => q.push_str("\\'"),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            c if c.is_control() => q.push_str(&format!("\\x{:02x}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('\'');
    q
}

impl JitLog {
    /// A log writing to `out`.
    pub fn new(out: Box<dyn Write>) -> JitLog {
        let mut log = JitLog { out };
        log.line("# kiln jit log");
        log
    }

    /// The log `KILN_JITLOG` names, if set; a file that cannot be created is reported on
    /// stderr (`kiln: KILN_JITLOG: …`) and there is no log.
    pub fn from_env() -> Option<JitLog> {
        let path = std::env::var_os(ENV_JITLOG)?;
        match File::create(&path) {
            Ok(f) => Some(JitLog::new(Box::new(BufWriter::new(f)))),
            Err(e) => {
                eprintln!("kiln: {ENV_JITLOG}: cannot create {}: {e}", path.to_string_lossy());
                None
            }
        }
    }

    fn line(&mut self, s: &str) {
        // A log that cannot be written is not worth stopping the program for.
        let _ = writeln!(self.out, "{s}");
    }

    fn header(kind: &TraceKind, number: u32) -> String {
        match kind {
            TraceKind::Loop { location } => format!("loop {number} at {}", quote(location)),
            TraceKind::Bridge { trace, op } => format!("bridge {number} from trace {trace} op {op}"),
        }
    }

    /// A trace as the tracer recorded it.
    pub fn before(&mut self, kind: &TraceKind, number: u32, trace: &Trace, descrs: &DescrTable) {
        self.section(kind, number, "before", trace, descrs);
    }

    /// A trace as the optimizer left it.
    pub fn after(&mut self, kind: &TraceKind, number: u32, trace: &Trace, descrs: &DescrTable) {
        self.section(kind, number, "after", trace, descrs);
    }

    fn section(&mut self, kind: &TraceKind, number: u32, when: &str, trace: &Trace, descrs: &DescrTable) {
        let text = format!("# {}: {when} optimization, {} ops", Self::header(kind, number), trace.ops.len());
        self.line(&text);
        let body = print_trace_file(trace, descrs);
        let _ = self.out.write_all(body.as_bytes());
        if !body.ends_with('\n') {
            self.line("");
        }
    }

    /// A trace given up on.
    pub fn abort(&mut self, location: &str, reason: &str) {
        let text = format!("# abort at {}: {reason}", quote(location));
        self.line(&text);
    }

    /// The counters and the guards that failed (most failures first), then a flush.
    pub fn summary(&mut self, stats: &JitStats, guards: &[GuardFailures]) {
        self.line("# counters");
        let lines = [
            format!("#   loops {}", stats.loops),
            format!("#   bridges {}", stats.bridges),
            format!("#   aborts {}", stats.aborts),
            format!("#   tracing_s {:.6}", stats.tracing.as_secs_f64()),
            format!("#   optimizing_s {:.6}", stats.optimizing.as_secs_f64()),
            format!("#   compiling_s {:.6}", stats.compiling.as_secs_f64()),
            match stats.first_loop {
                Some(d) => format!("#   first_loop_s {:.6}", d.as_secs_f64()),
                None => "#   first_loop_s none".to_string(),
            },
        ];
        for l in lines {
            self.line(&l);
        }
        self.line("# guard failures");
        let mut g: Vec<&GuardFailures> = guards.iter().filter(|g| g.count > 0).collect();
        g.sort_by(|a, b| b.count.cmp(&a.count).then(a.trace.cmp(&b.trace)).then(a.op.cmp(&b.op)));
        for x in g {
            let l = format!("#   trace {} op {}: {}", x.trace, x.op, x.count);
            self.line(&l);
        }
        let _ = self.out.flush();
    }
}

/// A perf map writer.
pub struct PerfMap {
    out: Box<dyn Write>,
}

impl PerfMap {
    pub fn new(out: Box<dyn Write>) -> PerfMap {
        PerfMap { out }
    }

    /// `/tmp/perf-PID.map` when `KILN_JIT_PERFMAP=1`; another value, or a file that
    /// cannot be created, is reported on stderr and there is no map.
    pub fn from_env() -> Option<PerfMap> {
        let v = std::env::var_os(ENV_PERFMAP)?;
        match v.to_str() {
            Some("1") => {}
            Some("0") | Some("") => return None,
            _ => {
                eprintln!("kiln: {ENV_PERFMAP}: `1` turns the perf map on, not `{}`", v.to_string_lossy());
                return None;
            }
        }
        let path = format!("/tmp/perf-{}.map", std::process::id());
        match File::create(&path) {
            Ok(f) => Some(PerfMap::new(Box::new(f))),
            Err(e) => {
                eprintln!("kiln: {ENV_PERFMAP}: cannot create {path}: {e}");
                None
            }
        }
    }

    /// One compiled trace: its code's address and size, and its name (what perf shows;
    /// spaces are fine, newlines become spaces). Written at once: perf reads the map
    /// after the process is gone, however it ended.
    pub fn add(&mut self, start: u64, size: u64, name: &str) {
        let name: String = name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let _ = writeln!(self.out, "{start:x} {size:x} {name}");
        let _ = self.out.flush();
    }

    /// The name of a compiled trace in the map.
    pub fn name(kind: &TraceKind, number: u32) -> String {
        match kind {
            TraceKind::Loop { location } => format!("kiln-jit loop {number} {location}"),
            TraceKind::Bridge { trace, op } => format!("kiln-jit bridge {number} from trace {trace} op {op}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;
    use crate::parse::parse_trace_file;

    /// A writer whose bytes the test can read afterwards.
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

    impl Shared {
        fn text(&self) -> String {
            String::from_utf8(self.0.borrow().clone()).unwrap()
        }
    }

    const LOOP: &str = "descr Cell.value: field(offset=8, size=8, type=i)
[i0, p1]
label(i0, p1, descr=TargetToken(1))
debug_merge_point(0, 0, '#3 [')
i2 = getfield_gc_i(p1, descr=Cell.value)
i3 = getfield_gc_i(p1, descr=Cell.value)
i4 = int_add(i2, i3)
jump(i4, p1, descr=TargetToken(1))
";

    #[test]
    fn the_log_has_traces_before_and_after_then_counters() {
        let out = Shared::default();
        let mut log = JitLog::new(Box::new(out.clone()));
        let (descrs, trace) = parse_trace_file(LOOP).unwrap();
        let mut optimized = trace.clone();
        crate::opt::optimize(&descrs, &mut optimized).unwrap();
        let kind = TraceKind::Loop { location: "#3 [".into() };
        log.before(&kind, 0, &trace, &descrs);
        log.after(&kind, 0, &optimized, &descrs);
        log.before(&TraceKind::Bridge { trace: 0, op: 4 }, 1, &trace, &descrs);
        log.abort("#7 'x'", "trace too long");
        let stats = JitStats { loops: 1, bridges: 1, aborts: 1, tracing: Duration::from_micros(412), optimizing: Duration::from_micros(93), compiling: Duration::from_millis(2), first_loop: Some(Duration::from_micros(1500)) };
        log.summary(&stats, &[GuardFailures { trace: 0, op: 2, count: 3 }, GuardFailures { trace: 1, op: 1, count: 0 }, GuardFailures { trace: 0, op: 4, count: 29 }]);
        let text = out.text();
        let after = crate::print::print_trace_file(&optimized, &descrs);
        let expected = format!(
            "# kiln jit log
# loop 0 at '#3 [': before optimization, 6 ops
{LOOP}# loop 0 at '#3 [': after optimization, {} ops
{after}# bridge 1 from trace 0 op 4: before optimization, 6 ops
{LOOP}# abort at '#7 \\'x\\'': trace too long
# counters
#   loops 1
#   bridges 1
#   aborts 1
#   tracing_s 0.000412
#   optimizing_s 0.000093
#   compiling_s 0.002000
#   first_loop_s 0.001500
# guard failures
#   trace 0 op 4: 29
#   trace 0 op 2: 3
",
            optimized.ops.len()
        );
        assert_eq!(text, expected);
        assert!(optimized.ops.len() < trace.ops.len(), "the optimizer removed the second read");
        // Every trace section reads back as a trace file.
        let sections: Vec<&str> = text.split("\n# loop").chain(text.split("\n# bridge")).collect();
        assert!(sections.len() > 2);
        for section in text.split("# loop 0 at '#3 [': ").skip(1) {
            let body: String = section.lines().skip(1).take_while(|l| !l.starts_with('#')).map(|l| format!("{l}\n")).collect();
            let (d, t) = parse_trace_file(&body).unwrap_or_else(|e| panic!("{e}\n{body}"));
            assert_eq!(crate::print::print_trace_file(&t, &d), body);
        }
    }

    #[test]
    fn perf_map_lines_are_hex_start_size_and_name() {
        let out = Shared::default();
        let mut map = PerfMap::new(Box::new(out.clone()));
        map.add(0x7f00_1234_5000, 0x1a0, &PerfMap::name(&TraceKind::Loop { location: "#3 [\n".into() }, 0));
        map.add(0x7f00_1234_6000, 0x40, &PerfMap::name(&TraceKind::Bridge { trace: 0, op: 4 }, 1));
        assert_eq!(out.text(), "7f0012345000 1a0 kiln-jit loop 0 #3 [ \n7f0012346000 40 kiln-jit bridge 1 from trace 0 op 4\n");
    }
}
