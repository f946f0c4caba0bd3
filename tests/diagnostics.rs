//! The diagnostics corpus: every file in `tests/errors/` is bad RPy, or RPy that gets
//! warnings. `kiln check` must end cleanly (no internal compiler error, no panic) with
//! exit code 1, or the code of an `# exit: N` header line (0 for a file that only gets
//! warnings); `# check: ARGS` header lines add arguments (`--strict`). The rendered
//! output is a snapshot stored with the source (re-bless with INSTA_UPDATE=always).

use std::process::Command;
use std::time::Duration;

use kiln_tests::*;

#[test]
fn every_error_file_gets_its_diagnostics() {
    let root = repo_root();
    let dir = root.join("tests/errors");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("tests/errors exists").map(|e| e.expect("entry").path()).filter(|p| p.extension().is_some_and(|e| e == "py")).collect();
    files.sort();
    assert!(!files.is_empty());
    let kiln = kiln_bin();
    let mut failures = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&root).expect("inside the repository");
        let source = std::fs::read_to_string(f).expect("readable");
        let expected_exit: i32 = header(&source, "exit").first().map_or(1, |e| e.parse().expect("an exit code"));
        let mut cmd = Command::new(&kiln);
        cmd.current_dir(&root).arg("check").arg("-q").arg("--color").arg("never");
        for args in header(&source, "check") {
            cmd.args(args.split_whitespace());
        }
        cmd.arg(rel);
        let out = run_with_timeout(cmd, Duration::from_secs(60)).expect("kiln check finishes");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let name = f.file_stem().expect("a name").to_string_lossy().into_owned();
        if out.status.code() != Some(expected_exit) {
            failures.push(format!("{name}: exit code {:?}, expected {expected_exit}\n{stderr}", out.status.code()));
        }
        if stderr.contains("internal compiler error") || stderr.contains("panicked") {
            failures.push(format!("{name}: internal error instead of a diagnostic\n{stderr}"));
        }
        insta::with_settings!({ snapshot_path => root.join("tests/errors/snapshots"), prepend_module_to_snapshot => false, description => source.clone() }, {
            insta::assert_snapshot!(name.as_str(), stderr);
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
