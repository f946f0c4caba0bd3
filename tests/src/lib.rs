//! Shared tools for Kiln's integration tests: finding the `kiln` binary and CPython,
//! running a program under each, and reading test headers.
//!
//! The tests drive the real command-line tool, as a user would, so they exercise the
//! whole pipeline including argument parsing, the runtime archive lookup and linking.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// The repository root (the parent of this crate's directory).
///
/// Read from `CARGO_MANIFEST_DIR` at run time (cargo sets it for every test it runs), and
/// only then from the value baked in at compile time: cargo does not rebuild this crate when
/// a `target/` directory is reused by another checkout, so the baked path can name the other
/// checkout, and the tests would quietly run its corpus and its Python runtime.
pub fn repo_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir.parent().expect("tests/ is inside the repository").to_path_buf()
}

/// The `kiln` binary built next to this test executable (target/<profile>/kiln), or
/// `KILN_BIN`.
///
/// Cargo does not build another package's binary for a test, so the first call runs
/// `cargo build -p kiln-cli -p kiln-runtime` in this test's profile (the runtime archive is
/// what translated binaries link): a stale binary would test old
/// code. A failed build or a missing binary fails the run, never skips it.
pub fn kiln_bin() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    if let Ok(p) = std::env::var("KILN_BIN") {
        return PathBuf::from(p);
    }
    BUILT
        .get_or_init(|| {
            let exe = std::env::current_exe().expect("the test executable has a path");
            // target/<profile>/deps/<test> -> target/<profile>/kiln
            let profile_dir = exe.parent().and_then(Path::parent).expect("tests run from target/<profile>/deps");
            let release = profile_dir.file_name().is_some_and(|n| n == "release");
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
            let mut cmd = Command::new(cargo);
            cmd.current_dir(repo_root()).args(["build", "--quiet", "-p", "kiln-cli", "-p", "kiln-runtime"]);
            if release {
                cmd.arg("--release");
            }
            let status = cmd.status().expect("cannot run cargo to build the kiln binary");
            assert!(status.success(), "building the kiln binary failed");
            let bin = profile_dir.join("kiln");
            assert!(bin.exists(), "the kiln binary is not at {} after building it; set KILN_BIN to use another", bin.display());
            bin
        })
        .clone()
}

/// The result of running one program one way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunResult {
    pub stdout: String,
    pub exit_code: i32,
    /// The last non-empty line of stderr (CPython's traceback ends with the exception).
    pub last_err_line: String,
}

impl RunResult {
    pub fn from_output(out: &Output) -> RunResult {
        let stderr = String::from_utf8_lossy(&out.stderr);
        RunResult {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            exit_code: out.status.code().unwrap_or(-1),
            last_err_line: stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").to_string(),
        }
    }
}

/// The differences between a run (`out`, the program run `way`) and CPython's
/// (`expected`): stdout, the exit code, and for a program CPython ends with an error, the
/// last line of stderr. One problem per difference, each starting with `label: way:`.
pub fn differences(label: &str, way: &str, expected: &RunResult, out: &Output) -> Vec<String> {
    let got = RunResult::from_output(out);
    let mut problems = Vec::new();
    if got.stdout != expected.stdout {
        problems.push(format!("{label}: {way}: stdout differs\n--- CPython\n{}--- {way}\n{}", expected.stdout, got.stdout));
    }
    if got.exit_code != expected.exit_code {
        problems.push(format!("{label}: {way}: exit code {} (CPython {})\n{}", got.exit_code, expected.exit_code, String::from_utf8_lossy(&out.stderr)));
    }
    if expected.exit_code != 0 && got.last_err_line != expected.last_err_line {
        problems.push(format!("{label}: {way}: last stderr line {:?} (CPython {:?})", got.last_err_line, expected.last_err_line));
    }
    problems
}

/// Runs a command with a time limit; a timeout is reported as an error.
pub fn run_with_timeout(mut cmd: Command, limit: Duration) -> Result<Output, String> {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = cmd.spawn().map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(e)) => Err(format!("waiting for the process failed: {e}")),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
            Err(format!("timed out after {}s", limit.as_secs()))
        }
    }
}

/// `python3 file args...` with the `kiln` support package on the path.
pub fn cpython(file: &Path, args: &[String]) -> Command {
    let mut c = Command::new("python3");
    c.arg(file).args(args).env("PYTHONPATH", repo_root().join("runtime/python")).env("PYTHONHASHSEED", "0").env("PYTHONIOENCODING", "utf-8");
    c
}

/// The runs a program file asks for: one per `# run: ARGS` header line, or one with no
/// arguments.
pub fn runs_of(source: &str) -> Vec<Vec<String>> {
    let runs: Vec<Vec<String>> = source
        .lines()
        .take_while(|l| l.starts_with('#') || l.trim().is_empty())
        .filter_map(|l| l.strip_prefix("# run:"))
        .map(|a| a.split_whitespace().map(str::to_string).collect())
        .collect();
    if runs.is_empty() {
        vec![Vec::new()]
    } else {
        runs
    }
}

/// Header values of `# key: value` lines at the top of a test file.
pub fn header(source: &str, key: &str) -> Vec<String> {
    let prefix = format!("# {key}:");
    source.lines().take_while(|l| l.starts_with('#') || l.trim().is_empty()).filter_map(|l| l.strip_prefix(&prefix)).map(|v| v.trim().to_string()).collect()
}

/// Runs `jobs` closures on up to `threads` worker threads; results keep their order.
pub fn parallel<T: Send, F: FnOnce() -> T + Send>(jobs: Vec<F>, threads: usize) -> Vec<T> {
    let jobs: Vec<std::sync::Mutex<Option<F>>> = jobs.into_iter().map(|j| std::sync::Mutex::new(Some(j))).collect();
    let results: Vec<std::sync::Mutex<Option<T>>> = (0..jobs.len()).map(|_| std::sync::Mutex::new(None)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if i >= jobs.len() {
                    break;
                }
                let job = jobs[i].lock().expect("job lock").take().expect("each job runs once");
                let r = job();
                *results[i].lock().expect("result lock") = Some(r);
            });
        }
    });
    results.into_iter().map(|r| r.into_inner().expect("result lock").expect("every job ran")).collect()
}

/// The number of worker threads to use: the machine's parallelism.
pub fn threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
}

/// Builds `libkiln_jit.a` (the runtime with the JIT, which `kiln translate --jit` links)
/// once per test run, in its own cargo run as `make build` does (built together with
/// kiln-cli, the unified features would rebuild Cranelift). Skipped when `KILN_BIN` names
/// the binary (the caller then provides the archive, or `KILN_JIT_RUNTIME`).
pub fn ensure_jit_archive() {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    let kiln = kiln_bin();
    if std::env::var_os("KILN_BIN").is_some() {
        return;
    }
    BUILT.get_or_init(|| {
        let release = kiln.parent().and_then(Path::file_name).is_some_and(|n| n == "release");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let mut cmd = Command::new(cargo);
        cmd.current_dir(repo_root()).args(["build", "--quiet", "-p", "kiln-jit-archive"]);
        if release {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("cannot run cargo to build libkiln_jit.a");
        assert!(status.success(), "building libkiln_jit.a failed");
    });
}
