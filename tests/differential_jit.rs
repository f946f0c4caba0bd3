//! The differential oracle for VMs translated with `--jit`: every corpus program that
//! has a `jit_merge_point`, and every program of `tests/programs/jit/`, is translated with `kiln translate --jit` and run in every JIT
//! mode of [`MODES`]; stdout, the exit code and the last line of stderr must equal
//! CPython's. A program whose JIT Kiln cannot build says so in a header,
//! `# jit-refused: MESSAGE`: its `--jit` translation must fail with that message.
//!
//! `KILN_TEST_FILTER` selects programs by substring, `KILN_TEST_OPT` the `--opt`
//! (default 1), `KILN_TEST_JIT_GCS` the collectors (default `incminimark`; `make
//! test-full` runs all four), `KILN_TEST_JIT_MODES` extra modes (`;`-separated modes,
//! each `,`-separated `NAME=VALUE` settings of the environment, e.g.
//! `KILN_JIT_DEBUG=blackhole`), `KILN_TEST_JIT_ENV` settings added to every mode (`make
//! test-full` sets `KILN_GC_DEBUG=1` for one run: every mode with a collection at each
//! allocation and heap checks).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kiln_tests::*;

const LIMIT: Duration = Duration::from_secs(120);

/// The JIT modes every `--jit` binary runs in: the environment of each run.
const MODES: &[&[(&str, &str)]] = &[&[("KILN_JIT", "off")], &[], &[("KILN_JIT", "threshold=1")]];

fn modes() -> Vec<Vec<(String, String)>> {
    let mut v: Vec<Vec<(String, String)>> = MODES.iter().map(|m| m.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()).collect();
    for extra in std::env::var("KILN_TEST_JIT_MODES").unwrap_or_default().split(';').filter(|s| !s.trim().is_empty()) {
        v.push(settings(extra));
    }
    let common = settings(&std::env::var("KILN_TEST_JIT_ENV").unwrap_or_default());
    for m in &mut v {
        m.extend(common.iter().cloned());
    }
    v
}

/// `NAME=VALUE,NAME=VALUE` as pairs (a value may hold `=`: `KILN_JIT=threshold=1`).
fn settings(s: &str) -> Vec<(String, String)> {
    s.split(',').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect()
}

fn describe(mode: &[(String, String)]) -> String {
    if mode.is_empty() {
        "the default".into()
    } else {
        mode.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
    }
}

/// The corpus programs with a merge point.
fn programs() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("a readable program directory") {
            let p = e.expect("a directory entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "py") && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('_')) {
                out.push(p);
            }
        }
    }
    let filter = std::env::var("KILN_TEST_FILTER").unwrap_or_default();
    let mut v = Vec::new();
    walk(&repo_root().join("tests/programs"), &mut v);
    // Every program of `tests/programs/jit/` is a JIT program, also those whose merge
    // point is in an imported helper module (PyPy's toy languages).
    let jit_dir = repo_root().join("tests/programs/jit");
    v.retain(|p| p.to_string_lossy().contains(&filter) && (p.starts_with(&jit_dir) || std::fs::read_to_string(p).is_ok_and(|s| s.contains("jit_merge_point("))));
    v.sort();
    v
}

fn collectors() -> Vec<String> {
    std::env::var("KILN_TEST_JIT_GCS").unwrap_or_else(|_| "incminimark".into()).split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn check_program(file: &Path, build: &Path) -> Vec<String> {
    let source = std::fs::read_to_string(file).expect("program readable");
    let rel = file.strip_prefix(repo_root().join("tests/programs")).unwrap_or(file);
    let name = rel.with_extension("").to_string_lossy().replace('/', "_");
    let opt = std::env::var("KILN_TEST_OPT").unwrap_or_else(|_| "1".into());
    let refused = header(&source, "jit-refused");
    let mut problems = Vec::new();
    let mut binaries = Vec::new();
    for gc in collectors() {
        let exe = build.join(format!("{name}.jit.{gc}"));
        let mut translate = Command::new(kiln_bin());
        translate.arg("translate").arg("-q").arg("--jit").arg(file).arg("-o").arg(&exe).arg("--opt").arg(&opt).arg("--gc").arg(&gc);
        match (run_with_timeout(translate, LIMIT), refused.first()) {
            (Ok(out), None) if out.status.success() => binaries.push((gc, exe)),
            (Ok(out), None) => problems.push(format!("{name}: translation with --jit --gc={gc} failed:\n{}", String::from_utf8_lossy(&out.stderr))),
            (Ok(out), Some(msg)) => {
                let err = String::from_utf8_lossy(&out.stderr);
                if out.status.success() || !err.contains(msg.as_str()) {
                    problems.push(format!("{name}: --jit translation should be refused with `{msg}`, got status {:?}:\n{err}", out.status.code()));
                }
            }
            (Err(e), _) => problems.push(format!("{name}: translation with --jit --gc={gc} {e}")),
        }
    }
    for args in runs_of(&source) {
        if binaries.is_empty() {
            break;
        }
        let label = if args.is_empty() { name.clone() } else { format!("{name} {}", args.join(" ")) };
        let expected = match run_with_timeout(cpython(file, &args), LIMIT) {
            Ok(out) => RunResult::from_output(&out),
            Err(e) => {
                problems.push(format!("{label}: CPython {e}"));
                continue;
            }
        };
        for (gc, exe) in &binaries {
            for mode in modes() {
                let way = format!("--jit --gc={gc} with {}", describe(&mode));
                let mut bin = Command::new(exe);
                bin.args(&args).env_remove("KILN_JIT").env_remove("KILN_JITLOG");
                for (k, v) in &mode {
                    bin.env(k, v);
                }
                match run_with_timeout(bin, LIMIT) {
                    Ok(out) => {
                        // A JIT that failed to load runs the interpreter alone and says
                        // so on stderr: the output would match, the JIT untested.
                        let stderr = String::from_utf8_lossy(&out.stderr);
                        if let Some(line) = stderr.lines().find(|l| l.starts_with("kiln: the JIT is off")) {
                            problems.push(format!("{label}: {way}: {line}"));
                        }
                        problems.extend(differences(&label, &way, &expected, &out));
                    }
                    Err(e) => problems.push(format!("{label}: {way}: {e}")),
                }
            }
        }
    }
    problems
}

#[test]
fn every_jit_program_matches_cpython_in_every_jit_mode() {
    ensure_jit_archive();
    let build = tempfile::tempdir().expect("a temporary directory");
    let progs = programs();
    assert!(!progs.is_empty(), "no corpus program has a jit_merge_point");
    let jobs: Vec<_> = progs
        .iter()
        .map(|p| {
            let p = p.clone();
            let b = build.path().to_path_buf();
            move || check_program(&p, &b)
        })
        .collect();
    let problems: Vec<String> = parallel(jobs, threads()).into_iter().flatten().collect();
    assert!(problems.is_empty(), "{} mismatch(es) over {} programs:\n\n{}", problems.len(), progs.len(), problems.join("\n\n"));
}

/// A counter of the trace log's `# counters` section (`#   loops 3`).
fn counter(log: &str, name: &str) -> Option<u64> {
    log.lines().find_map(|l| l.trim_start_matches('#').trim().strip_prefix(name).and_then(|rest| rest.trim().parse().ok()))
}

/// The op names of a trace log's trace lines (`i5 = int_add(...)`, `guard_true(i3) [...]`).
fn op_names(log: &str) -> std::collections::BTreeSet<String> {
    log.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("descr "))
        .filter_map(|l| {
            let rest = l.split_once(" = ").map_or(l, |(_, r)| r);
            let name = rest.split_once('(')?.0;
            name.chars().all(|c| c.is_ascii_lowercase() || c == '_').then(|| name.to_string())
        })
        .collect()
}

/// The JIT test VM (`tests/programs/jit/object_vm.py`) really compiles: with every merge
/// point traced at once and bridges after 3 failures, the log of each of its programs
/// counts compiled loops, the programs made for it count bridges, and together the traces
/// hold every kind of guard and the overflow check. It runs under incminimark, and under
/// marksweep and semispace with a collection at every allocation (`KILN_GC_DEBUG=1`: a
/// reference only the tracer holds must survive a non-moving collection too, which it
/// once did not); stdout must equal CPython's.
#[test]
fn object_vm_compiles_loops_bridges_and_every_guard_kind() {
    ensure_jit_archive();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = repo_root().join("tests/programs/jit/object_vm.py");
    // (program, n, whether it must compile a bridge)
    let runs = [
        ("loop", "300", false),
        ("phases", "400", true),
        ("objects", "400", true),
        ("calls", "50", false),
        ("exceptions", "300", true),
        ("residual", "100", false),
        ("overflow", "60", true),
        ("uncaught", "30", false),
    ];
    let mut problems = Vec::new();
    // (collector, KILN_GC_DEBUG). Under KILN_GC_DEBUG, bridges also check that a guard
    // exit's values are no roots while a bridge runs (an int there once was).
    for (gc, gc_debug) in [("incminimark", false), ("marksweep", true), ("semispace", true)] {
        let exe = dir.path().join(format!("object_vm.{gc}"));
        let mut translate = Command::new(kiln_bin());
        translate.arg("translate").arg("-q").arg("--jit").arg("--gc").arg(gc).arg(&file).arg("-o").arg(&exe);
        let out = run_with_timeout(translate, LIMIT).expect("kiln translate ran");
        assert!(out.status.success(), "translation with --gc={gc} failed:\n{}", String::from_utf8_lossy(&out.stderr));
        let mut ops = std::collections::BTreeSet::new();
        for (prog, n, bridge) in runs {
            let args = vec![prog.to_string(), n.to_string()];
            let expected = RunResult::from_output(&run_with_timeout(cpython(&file, &args), LIMIT).expect("CPython ran"));
            let log = dir.path().join(format!("{prog}.{gc}.log"));
            let mut run = Command::new(&exe);
            run.args(&args).env("KILN_JIT", "threshold=1,trace_eagerness=3").env("KILN_JITLOG", &log);
            if gc_debug {
                run.env("KILN_GC_DEBUG", "1");
            }
            let out = run_with_timeout(run, LIMIT).expect("the VM ran");
            let diffs = differences(&format!("{prog} {n}"), &format!("--jit --gc={gc}"), &expected, &out);
            if !diffs.is_empty() {
                problems.extend(diffs);
                continue;
            }
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            let loops = counter(&text, "loops");
            let bridge_count = counter(&text, "bridges");
            if !loops.is_some_and(|n| n > 0) {
                problems.push(format!("{prog} --gc={gc}: no loop compiled (loops {loops:?})"));
            }
            if bridge && !bridge_count.is_some_and(|n| n > 0) {
                problems.push(format!("{prog} --gc={gc}: no bridge compiled (bridges {bridge_count:?})"));
            }
            ops.extend(op_names(&text));
        }
        for kind in ["guard_true", "guard_false", "guard_value", "guard_class", "guard_no_exception", "guard_exception", "int_add_overflows"] {
            if !ops.contains(kind) {
                problems.push(format!("--gc={gc}: no trace has a `{kind}` (ops seen: {ops:?})"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Several drivers (docs/jit.md, "Several drivers"): each driver of
/// `jit/several_drivers.py` (a portal whose primitives loop under drivers of their own)
/// and both of PyPy's tl interpreters in `jit/pypy_tl_two_portals.py` (two drivers of one
/// name, told apart by their portal functions) compile loops when traced at once, and the
/// log names each loop's driver; stdout equals CPython's.
#[test]
fn each_driver_compiles_its_own_loops() {
    ensure_jit_archive();
    let dir = tempfile::tempdir().expect("a temporary directory");
    // tl's loops close at its `start` label, not at pc 0: a trace from pc 0 must be cut
    // (trace_limit) for the next key to be traced.
    let cases: [(&str, &str, &str, &[&str]); 2] = [
        ("several_drivers", "40", "threshold=1", &["'jitdriver: ", "'fill_driver: ", "'sum_driver: ", "'count_driver: "]),
        ("pypy_tl_two_portals", "12", "threshold=1,trace_limit=1000", &["'myjitdriver@", "'myjitdriver@"]),
    ];
    let mut problems = Vec::new();
    for (prog, n, params, drivers) in cases {
        let file = repo_root().join(format!("tests/programs/jit/{prog}.py"));
        let exe = dir.path().join(prog);
        let mut translate = Command::new(kiln_bin());
        translate.arg("translate").arg("-q").arg("--jit").arg(&file).arg("-o").arg(&exe);
        let out = run_with_timeout(translate, LIMIT).expect("kiln translate ran");
        assert!(out.status.success(), "translating {prog} with --jit failed:\n{}", String::from_utf8_lossy(&out.stderr));
        let args = vec![n.to_string()];
        let expected = RunResult::from_output(&run_with_timeout(cpython(&file, &args), LIMIT).expect("CPython ran"));
        let log = dir.path().join(format!("{prog}.log"));
        let mut run = Command::new(&exe);
        run.args(&args).env("KILN_JIT", params).env("KILN_JITLOG", &log);
        let out = run_with_timeout(run, LIMIT).expect("the VM ran");
        problems.extend(differences(&format!("{prog} {n}"), &format!("--jit {params}"), &expected, &out));
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let loops: Vec<&str> = text.lines().filter(|l| l.starts_with("# loop ") && l.contains(": after optimization")).collect();
        // Each expected driver prefix names a loop of its own (a prefix listed twice
        // needs two loops of distinct drivers with that prefix).
        let mut names: Vec<String> = loops.iter().filter_map(|l| l.split_once(" at ").map(|(_, r)| r.split(':').next().unwrap_or("").to_string())).collect();
        names.sort();
        names.dedup();
        for (k, d) in drivers.iter().enumerate() {
            let want = drivers[..=k].iter().filter(|x| *x == d).count();
            let have = names.iter().filter(|x| format!("{x}: ").starts_with(d)).count();
            if have < want {
                problems.push(format!("{prog}: no loop of driver `{d}` in the log (loops: {loops:?})"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// With `KILN_JITLOG`, each merge point of a trace, each loop and each abort is named by
/// the driver's `get_printable_location` (called by the JIT with the greens; it may
/// allocate), and a call of it that raises is written `<error>`: the RPython tutorial's
/// Brainfuck (its location is the program with the position between underscores) and
/// `printable_location.py` (a location that raises at one position).
#[test]
fn the_log_names_positions_with_get_printable_location() {
    ensure_jit_archive();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cases: [(&str, &str, &[&str]); 2] = [
        ("tutorial_bf", "stars", &["'jitdriver: +++++>", "_<_"]),
        ("printable_location", "300", &["debug_merge_point(0, 0, 'driver: at 0: add')", "debug_merge_point(0, 0, 'driver: <error>')", "# loop 0 at 'driver: at 0: add'"]),
    ];
    let mut problems = Vec::new();
    for (prog, arg, wanted) in cases {
        let file = repo_root().join(format!("tests/programs/jit/{prog}.py"));
        let exe = dir.path().join(prog);
        let mut translate = Command::new(kiln_bin());
        translate.arg("translate").arg("-q").arg("--jit").arg(&file).arg("-o").arg(&exe);
        let out = run_with_timeout(translate, LIMIT).expect("kiln translate ran");
        assert!(out.status.success(), "translating {prog} with --jit failed:\n{}", String::from_utf8_lossy(&out.stderr));
        let args = vec![arg.to_string()];
        let expected = RunResult::from_output(&run_with_timeout(cpython(&file, &args), LIMIT).expect("CPython ran"));
        let log = dir.path().join(format!("{prog}.log"));
        let mut run = Command::new(&exe);
        run.args(&args).env("KILN_JIT", "threshold=1").env("KILN_JITLOG", &log);
        let out = run_with_timeout(run, LIMIT).expect("the VM ran");
        problems.extend(differences(&format!("{prog} {arg}"), "--jit threshold=1 with KILN_JITLOG", &expected, &out));
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        for w in wanted {
            if !text.contains(w) {
                problems.push(format!("{prog}: the log has no `{w}`"));
            }
        }
        // No merge point is named by its raw greens (a list's or a string's address).
        let raw: Vec<&str> = text.lines().filter(|l| l.contains("debug_merge_point(") && l.contains("0x")).take(3).collect();
        if !raw.is_empty() {
            problems.push(format!("{prog}: merge points named by their greens: {raw:?}"));
        }
        if !text.lines().any(|l| l.starts_with("# loop ")) {
            problems.push(format!("{prog}: no loop in the log"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
