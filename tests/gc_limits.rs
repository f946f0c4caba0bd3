//! Behaviour at the limits that CPython cannot be compared with: running out of the heap
//! under `KILN_GC_MAX_HEAP` raises MemoryError, which the program catches, with every
//! collector (and with incminimark under `KILN_GC_DEBUG=1`).

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
