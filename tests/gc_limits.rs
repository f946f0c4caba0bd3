//! Behaviour at the limits that CPython cannot be compared with: running out of the heap
//! under `KILN_GC_MAX_HEAP` raises MemoryError, which the program catches, with every
//! collector (and with incminimark under `KILN_GC_DEBUG=1`), wherever the allocation
//! happens, on the llinterp too.

use std::process::Command;
use std::time::Duration;

use kiln_tests::*;

#[test]
fn running_out_of_memory_raises_memory_error_with_every_collector() {
    let build = tempfile::tempdir().expect("a temporary directory");
    let src = repo_root().join("tests/limits/memory_error.py");
    let mut failures = Vec::new();
    for gc in ["incminimark", "semispace", "marksweep", "none"] {
        let exe = build.path().join(format!("memory_error.{gc}"));
        let mut translate = Command::new(kiln_bin());
        translate.arg("translate").arg("-q").arg(&src).arg("-o").arg(&exe).arg("--gc").arg(gc);
        let out = run_with_timeout(translate, Duration::from_secs(120)).expect("kiln translate runs");
        assert!(out.status.success(), "translation with --gc={gc} failed:\n{}", String::from_utf8_lossy(&out.stderr));
        let mut envs = vec![vec![("KILN_GC_MAX_HEAP", "16000000")]];
        if gc == "incminimark" {
            envs.push(vec![("KILN_GC_MAX_HEAP", "4000000"), ("KILN_GC_DEBUG", "1")]);
        }
        for env in envs {
            let mut run = Command::new(&exe);
            for (k, v) in &env {
                run.env(k, v);
            }
            match run_with_timeout(run, Duration::from_secs(120)) {
                Ok(out) => {
                    let stdout = String::from_utf8_lossy(&out.stdout);
                    let caught = "caught MemoryError 0\ncaught MemoryError 1\ncaught MemoryError 2\n";
                    // `none` never frees: the allocations after the handler fail too.
                    let (want, code) = if gc == "none" { (caught.to_string(), 1) } else { (format!("{caught}after 100 99\n"), 0) };
                    let last = String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("").to_string();
                    if out.status.code() != Some(code) || stdout != want || (code == 1 && last != "MemoryError") {
                        failures.push(format!("--gc={gc} {env:?}: exit {:?}\n--- stdout\n{stdout}--- stderr\n{}", out.status.code(), String::from_utf8_lossy(&out.stderr)));
                    }
                }
                Err(e) => failures.push(format!("--gc={gc} {env:?}: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The kinds of allocation `tests/limits/memory_error_kinds.py` tries, by its `argv[1]`.
/// The growth kinds also check that the list, dict or string whose growth failed kept
/// its items and length.
const KINDS: &[&str] = &[
    "list_mul", "list_add", "list_comp", "list_slice", "list_copy", "list_range", "sorted", "dict_keys",
    "str_concat", "str_mul", "str_join", "str_replace", "str_format", "fstring", "format_spec", "str_upper", "str_slice",
    "str_int", "tuple", "instance", "dict_new",
    "append", "extend", "insert", "inplace_add", "dict_setitem", "str_inplace_add", "sort",
    "print", "raise",
];

/// Kinds whose program checks the grown (or sorted) structure after the MemoryError.
const GROWTH: &[&str] = &["append", "extend", "insert", "inplace_add", "dict_setitem", "str_inplace_add", "sort"];

/// What the program prints: the check of the grown structure (growth kinds) and the
/// catch, then, when the collector frees memory, three more rounds of the same. The
/// sort, when memory is freed, sorts after its MemoryError.
fn expected_kind_output(kind: &str, rounds: usize) -> String {
    let check = match kind {
        "sort" if rounds > 1 => "sort intact\nsort sorted\n".to_string(),
        "print" if rounds > 1 => "print caught\n[0, 1, 2]\n".to_string(),
        "print" => "print caught\n".to_string(),
        "raise" => "raise caught\n".to_string(),
        _ if GROWTH.contains(&kind) => format!("{kind} intact\n"),
        _ => String::new(),
    };
    let mut out = format!("{check}{kind} caught MemoryError True\n");
    for _ in 1..rounds {
        out.push_str(&format!("{check}{kind} caught again True\n"));
    }
    out
}

/// An exception raised with the heap full, left uncaught: the program ends with status 1
/// and the last line CPython would print (the MemoryError that took the exception's place,
/// or the exception itself when a collection made room for it), never a crash.
fn check_uncaught(what: &str, cmd: Command) -> Option<String> {
    match run_with_timeout(cmd, Duration::from_secs(60)) {
        Ok(out) => {
            let r = RunResult::from_output(&out);
            let line_ok = r.last_err_line == "MemoryError" || r.last_err_line.starts_with("ValueError: no room for this message: ");
            if r.exit_code != 1 || !r.stdout.is_empty() || !line_ok {
                return Some(format!("{what}: exit {}\n--- stdout\n{}--- stderr\n{}", r.exit_code, r.stdout, String::from_utf8_lossy(&out.stderr)));
            }
            None
        }
        Err(e) => Some(format!("{what}: {e}")),
    }
}

/// Runs `cmd` and compares its stdout with `want` (exit status 0).
fn check_output(what: &str, cmd: Command, want: &str) -> Option<String> {
    match run_with_timeout(cmd, Duration::from_secs(60)) {
        Ok(out) => {
            let stdout = String::from_utf8_lossy(&out.stdout);
            if out.status.code() != Some(0) || stdout != want {
                return Some(format!("{what}: exit {:?}\n--- stdout\n{stdout}--- want\n{want}--- stderr\n{}", out.status.code(), String::from_utf8_lossy(&out.stderr)));
            }
            None
        }
        Err(e) => Some(format!("{what}: {e}")),
    }
}

/// One run of `memory_error_kinds.py`: the binary (or `kiln run`), its arguments and
/// environment.
struct KindRun {
    what: String,
    exe: std::path::PathBuf,
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
    /// None: the uncaught case.
    want: Option<String>,
}

/// Every kind of allocation a program makes (runtime helpers for lists, strings,
/// formatting, dicts, sorting; inline tuples and instances; printing and raising),
/// written directly inside `try`, raises a MemoryError that the `try` catches, under
/// every collector, translated and on the llinterp; after it the program frees what it
/// held and allocates again.
///
/// CPython has no heap limit, so there is no differential run: the expected output is
/// what CPython prints once its memory runs out at any point of the loop (the program
/// prints nothing that depends on where). `--gc=none` and the llinterp never free, so
/// they run one round (`once`); the others run four, which also shows that memory is
/// reclaimed after the handler.
#[test]
fn every_kind_of_allocation_raises_a_catchable_memory_error() {
    let build = tempfile::tempdir().expect("a temporary directory");
    let src = repo_root().join("tests/limits/memory_error_kinds.py");
    let heap = ("KILN_GC_MAX_HEAP", "4M");
    let mut runs = Vec::new();
    for gc in ["incminimark", "semispace", "marksweep", "none"] {
        let exe = build.path().join(format!("kinds.{gc}"));
        let mut translate = Command::new(kiln_bin());
        translate.arg("translate").arg("-q").arg(&src).arg("-o").arg(&exe).arg("--gc").arg(gc);
        let out = run_with_timeout(translate, Duration::from_secs(120)).expect("kiln translate runs");
        assert!(out.status.success(), "translation with --gc={gc} failed:\n{}", String::from_utf8_lossy(&out.stderr));
        for kind in KINDS {
            let (args, rounds) = if gc == "none" { (vec![kind.to_string(), "once".into()], 1) } else { (vec![kind.to_string()], 4) };
            runs.push(KindRun { what: format!("--gc={gc} {kind}"), exe: exe.clone(), args, env: vec![heap], want: Some(expected_kind_output(kind, rounds)) });
        }
        runs.push(KindRun { what: format!("--gc={gc} uncaught"), exe: exe.clone(), args: vec!["uncaught".into()], env: vec![heap], want: None });
        if gc == "incminimark" {
            // Stress mode: a collection at every allocation, for a few kinds.
            for kind in ["list_mul", "str_concat", "fstring", "append", "dict_setitem"] {
                let env = vec![("KILN_GC_MAX_HEAP", "1M"), ("KILN_GC_DEBUG", "1")];
                runs.push(KindRun { what: format!("--gc={gc} KILN_GC_DEBUG=1 {kind}"), exe: exe.clone(), args: vec![kind.to_string()], env, want: Some(expected_kind_output(kind, 4)) });
            }
        }
    }
    let llinterp = |args: &[&str]| -> Vec<String> { ["run", "-q", &src.to_string_lossy(), "--"].iter().chain(args).map(|a| a.to_string()).collect() };
    runs.push(KindRun { what: "kiln run uncaught".into(), exe: kiln_bin(), args: llinterp(&["uncaught"]), env: vec![heap], want: None });
    for kind in KINDS {
        runs.push(KindRun { what: format!("kiln run {kind}"), exe: kiln_bin(), args: llinterp(&[kind, "once"]), env: vec![heap], want: Some(expected_kind_output(kind, 1)) });
    }
    let jobs: Vec<_> = runs
        .into_iter()
        .map(|r| {
            move || {
                let mut cmd = Command::new(&r.exe);
                cmd.args(&r.args);
                for (k, v) in &r.env {
                    cmd.env(k, v);
                }
                match &r.want {
                    Some(want) => check_output(&r.what, cmd, want),
                    None => check_uncaught(&r.what, cmd),
                }
            }
        })
        .collect();
    let failures: Vec<String> = parallel(jobs, threads()).into_iter().flatten().collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
