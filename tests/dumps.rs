//! Snapshots of `kiln dump` at each stage for a few functions: each file in
//! `tests/dumps/` lists its dumps in `# dump: STAGE FUNCTION` header lines.

use std::process::Command;
use std::time::Duration;

use kiln_tests::*;

#[test]
fn dumps_match_their_snapshots() {
    let root = repo_root();
    let dir = root.join("tests/dumps");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("tests/dumps exists").map(|e| e.expect("entry").path()).filter(|p| p.extension().is_some_and(|e| e == "py")).collect();
    files.sort();
    assert!(!files.is_empty());
    let kiln = kiln_bin();
    for f in &files {
        let source = std::fs::read_to_string(f).expect("readable");
        let rel = f.strip_prefix(&root).expect("inside the repository");
        let stem = f.file_stem().expect("a name").to_string_lossy().into_owned();
        for spec in header(&source, "dump") {
            let mut parts = spec.split_whitespace();
            let (stage, function) = (parts.next().expect("a stage"), parts.next().expect("a function"));
            let mut cmd = Command::new(&kiln);
            cmd.current_dir(&root).arg("dump").arg("-q").arg(rel).arg("--stage").arg(stage).arg("--function").arg(function);
            let out = run_with_timeout(cmd, Duration::from_secs(60)).expect("kiln dump finishes");
            assert!(out.status.success(), "kiln dump {spec} of {stem} failed:\n{}", String::from_utf8_lossy(&out.stderr));
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let name = format!("{stem}__{stage}__{function}");
            insta::with_settings!({ snapshot_path => root.join("tests/dumps/snapshots"), prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name.as_str(), text);
            });
        }
    }
}
