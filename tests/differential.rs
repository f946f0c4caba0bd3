//! The differential oracle: every program in `tests/programs/` runs under CPython, under
//! `kiln run` (the llinterp) and as a binary translated by `kiln translate`; stdout, the
//! exit code and the last line of stderr must be identical.
//!
//! Programs whose names start with `_` are helper modules, not programs. A program's
//! header may ask for several runs (`# run: ARGS`). Set `KILN_TEST_FILTER` to a substring
//! to run only matching programs, and `KILN_TEST_OPT` to choose the translation's `--opt`
//! (default 1), and `KILN_TEST_GCS` to choose the collectors (default all four; the
//! incminimark binary also runs with `KILN_GC_DEBUG=1`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kiln_tests::*;

const LIMIT: Duration = Duration::from_secs(120);

/// Every program under `tests/programs/`, in subdirectories too (one per topic).
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
    v.retain(|p| p.to_string_lossy().contains(&filter));
    v.sort();
    v
}

/// The collectors every program is translated with (`KILN_TEST_GCS`, comma-separated;
/// all four by default).
fn collectors() -> Vec<String> {
    std::env::var("KILN_TEST_GCS").unwrap_or_else(|_| "incminimark,semispace,marksweep,none".into()).split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Checks one program every way; returns a description of each mismatch.
///
/// The ways: `kiln run`, then a binary per collector, and the incminimark binary again
/// with `KILN_GC_DEBUG=1` (a collection at every allocation, with heap checks).
fn check_program(file: &Path, build: &Path) -> Vec<String> {
    let source = std::fs::read_to_string(file).expect("program readable");
    // The name relative to tests/programs, so programs in different directories differ.
    let rel = file.strip_prefix(repo_root().join("tests/programs")).unwrap_or(file);
    let name = rel.with_extension("").to_string_lossy().replace('/', "_");
    let kiln = kiln_bin();
    let opt = std::env::var("KILN_TEST_OPT").unwrap_or_else(|_| "1".into());
    let mut problems = Vec::new();
    // (way, binary, environment)
    let mut binaries: Vec<(String, PathBuf, Option<(&str, &str)>)> = Vec::new();
    for gc in collectors() {
        let exe = build.join(format!("{name}.{gc}"));
        let mut translate = Command::new(&kiln);
        translate.arg("translate").arg("-q").arg(file).arg("-o").arg(&exe).arg("--opt").arg(&opt).arg("--gc").arg(&gc);
        match run_with_timeout(translate, LIMIT) {
            Ok(out) if out.status.success() => {
                binaries.push((format!("translated --gc={gc}"), exe.clone(), None));
                if gc == "incminimark" {
                    binaries.push(("translated --gc=incminimark, KILN_GC_DEBUG=1".into(), exe, Some(("KILN_GC_DEBUG", "1"))));
                }
            }
            Ok(out) => problems.push(format!("{name}: translation with --gc={gc} failed:\n{}", String::from_utf8_lossy(&out.stderr))),
            Err(e) => problems.push(format!("{name}: translation with --gc={gc} {e}")),
        }
    }
    for args in runs_of(&source) {
        let label = if args.is_empty() { name.clone() } else { format!("{name} {}", args.join(" ")) };
        let expected = match run_with_timeout(cpython(file, &args), LIMIT) {
            Ok(out) => RunResult::from_output(&out),
            Err(e) => {
                problems.push(format!("{label}: CPython {e}"));
                continue;
            }
        };
        let mut run = Command::new(&kiln);
        run.arg("run").arg("-q").arg(file).arg("--").args(&args);
        let mut ways: Vec<(String, Result<std::process::Output, String>)> = vec![("kiln run".into(), run_with_timeout(run, LIMIT))];
        for (way, exe, env) in &binaries {
            let mut bin = Command::new(exe);
            // argv[0] of the binary is its own path; programs print argv[0] only as len.
            bin.args(&args);
            if let Some((k, v)) = env {
                bin.env(k, v);
            }
            ways.push((way.clone(), run_with_timeout(bin, LIMIT)));
        }
        for (way, out) in ways {
            match out {
                Ok(out) => problems.extend(differences(&label, &way, &expected, &out)),
                Err(e) => problems.push(format!("{label}: {way} {e}")),
            }
        }
    }
    problems
}

#[test]
fn every_program_matches_cpython() {
    let build = tempfile::tempdir().expect("a temporary directory");
    let progs = programs();
    assert!(!progs.is_empty(), "no programs found");
    let jobs: Vec<_> = progs.iter().map(|p| {
        let p = p.clone();
        let b = build.path().to_path_buf();
        move || check_program(&p, &b)
    }).collect();
    let problems: Vec<String> = parallel(jobs, threads()).into_iter().flatten().collect();
    assert!(problems.is_empty(), "{} mismatch(es) over {} programs:\n\n{}", problems.len(), progs.len(), problems.join("\n\n"));
}
