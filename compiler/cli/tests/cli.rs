//! The `kiln` command as a user runs it: help texts, dumps, checks, errors and exit codes,
//! with insta snapshots of what it prints.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of `kiln` did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The exit code and both streams, for a snapshot.
    fn transcript(&self) -> String {
        format!("exit: {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// A directory holding a program's files.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// Runs `kiln args...` in `dir` with the extra environment `env` (`None` removes a
/// variable), with timings replaced by `[T]` so that transcripts are stable.
fn kiln_in(dir: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
    run_exe(Path::new(env!("CARGO_BIN_EXE_kiln")), dir, args, env)
}

fn run_exe(exe: &Path, dir: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
    let mut cmd = Command::new(exe);
    cmd.args(args).current_dir(dir).env_remove("KILN_RUNTIME");
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let out = cmd.output().expect("kiln runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: without_times(&String::from_utf8_lossy(&out.stderr)),
    }
}

fn kiln(dir: &Path, args: &[&str]) -> Run {
    kiln_in(dir, args, &[])
}

/// Copies a file with `cp` rather than `fs::copy`: an executable this process holds open
/// for writing while another test thread forks would fail to run with "text file busy".
fn copy(from: &Path, to: &Path) {
    let status = Command::new("cp").arg(from).arg(to).status().unwrap();
    assert!(status.success(), "cp {} {}", from.display(), to.display());
}

/// Replaces durations (`12.3ms`, `1.23s`) with `[T]`.
fn without_times(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| c.is_ascii_digit()) {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        let num_len = from.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(from.len());
        let (num, after) = from.split_at(num_len);
        let unit = ["ms", "s"].into_iter().find(|u| after.starts_with(u) && !after[u.len()..].starts_with(|c: char| c.is_alphanumeric()));
        match unit {
            Some(u) if num.contains('.') => {
                out.push_str("[T]");
                rest = &after[u.len()..];
            }
            _ => {
                out.push_str(num);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

const FIB: &str = "\
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def entry_point(argv):
    print(fib(10))
    return 0
";

#[test]
fn times_are_masked() {
    assert_eq!(without_times("a (12.3ms) in 1.23s, 3 graphs, v1.2"), "a ([T]) in [T], 3 graphs, v1.2");
}

#[test]
fn help_of_kiln() {
    let dir = project(&[]);
    let r = kiln(&dir.path(), &["--help"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn help_of_translate() {
    let dir = project(&[]);
    insta::assert_snapshot!(kiln(dir.path(), &["translate", "--help"]).stdout);
}

#[test]
fn help_of_run() {
    let dir = project(&[]);
    insta::assert_snapshot!(kiln(dir.path(), &["run", "--help"]).stdout);
}

#[test]
fn help_of_dump() {
    let dir = project(&[]);
    insta::assert_snapshot!(kiln(dir.path(), &["dump", "--help"]).stdout);
}

#[test]
fn help_of_check() {
    let dir = project(&[]);
    insta::assert_snapshot!(kiln(dir.path(), &["check", "--help"]).stdout);
}

#[test]
fn dump_flow_prints_every_reachable_graph() {
    let dir = project(&[
        ("prog.py", "import helper\n\nclass Acc:\n    def __init__(self):\n        self.total = 0\n\n    def add(self, n):\n        self.total = helper.plus(self.total, n)\n\n\ndef entry_point(argv):\n    a = Acc()\n    i = 0\n    while i < len(argv):\n        a.add(i)\n        i += 1\n    return a.total\n"),
        ("helper.py", "def plus(a, b):\n    return a + b\n"),
    ]);
    let r = kiln(dir.path(), &["-q", "dump", "prog.py", "--stage", "flow"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn dump_function_filters_by_name() {
    let dir = project(&[("prog.py", FIB)]);
    let r = kiln(dir.path(), &["-q", "dump", "prog.py", "--stage", "flow", "--function", "fib"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("graph fib(n_") && !r.stdout.contains("entry_point"), "{}", r.stdout);
    let r = kiln(dir.path(), &["-q", "dump", "prog.py", "--stage", "annotated", "--function", "fib"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("graph fib(n_") && r.stdout.contains(": int") && !r.stdout.contains("entry_point"), "{}", r.stdout);
    insta::assert_snapshot!(kiln(dir.path(), &["-q", "dump", "prog.py", "--stage", "flow", "--function", "nope"]).transcript());
}

#[test]
fn check_reports_every_error_in_one_run() {
    let dir = project(&[(
        "prog.py",
        "\
def f(x):
    return undefined_name + x


def g(flag):
    if flag:
        y = 1
    else:
        y = \"one\"
    return y


def h(n):
    items = [1, 2]
    items.append(\"three\")
    return len(items)


def k(x):
    with open(x) as fh:
        return 1


def entry_point(argv):
    return f(1) + g(len(argv) > 1) + h(3) + k(\"a\")
",
    )]);
    insta::assert_snapshot!(kiln(dir.path(), &["check", "--color", "never", "prog.py"]).transcript());
}

#[test]
fn check_of_a_correct_program_succeeds() {
    let dir = project(&[("prog.py", FIB)]);
    let r = kiln(dir.path(), &["check", "prog.py"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.ends_with("    Finished checking `prog.py` in [T]: no errors\n"), "{}", r.stderr);
}

#[test]
fn missing_entry_point() {
    let dir = project(&[("prog.py", "def main(argv):\n    return 0\n")]);
    insta::assert_snapshot!(kiln(dir.path(), &["check", "prog.py"]).transcript());
}

#[test]
fn missing_file() {
    let dir = project(&[]);
    insta::assert_snapshot!(kiln(dir.path(), &["-q", "check", "nothere.py"]).transcript());
}

#[test]
fn syntax_error() {
    let dir = project(&[("prog.py", "def entry_point(argv):\n    return (1 +\n")]);
    insta::assert_snapshot!(kiln(dir.path(), &["-q", "check", "prog.py"]).transcript());
}

#[test]
fn import_error_in_a_sibling_module() {
    let dir = project(&[("prog.py", "import helper\n\ndef entry_point(argv):\n    return 0\n"), ("helper.py", "x = 1 / 0\n")]);
    insta::assert_snapshot!(kiln(dir.path(), &["-q", "check", "prog.py"]).transcript());
}

#[test]
fn unknown_gc_is_refused_naming_what_exists() {
    let dir = project(&[("prog.py", FIB)]);
    insta::assert_snapshot!(kiln(dir.path(), &["translate", "--gc", "boehm", "prog.py"]).transcript());
}

#[test]
fn jit_without_a_driver_warns_and_builds_a_plain_vm() {
    // Without a driver the plain runtime is linked: the JIT archive must exist (it is
    // looked for before translating) but is not used, so an empty file does.
    let dir = project(&[("prog.py", FIB), ("unused.a", "")]);
    let unused = dir.path().join("unused.a");
    let r = kiln_in(dir.path(), &["translate", "-q", "--jit", "prog.py", "-o", "fib"], &[("KILN_JIT_RUNTIME", Some(unused.to_str().unwrap()))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning[W0950]: --jit: the program has no JIT driver"), "{}", r.stderr);
    let out = std::process::Command::new(dir.path().join("fib")).output().expect("the binary runs");
    assert!(out.status.success());
}

#[test]
fn jit_needs_its_runtime_archive() {
    let dir = project(&[("prog.py", FIB)]);
    let r = kiln_in(dir.path(), &["translate", "--jit", "prog.py"], &[("KILN_JIT_RUNTIME", Some("/nonexistent/libkiln_jit.a"))]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("the Kiln JIT runtime archive (needed by --jit) was not found: KILN_JIT_RUNTIME is set to `/nonexistent/libkiln_jit.a`"), "{}", r.stderr);
    assert!(r.stderr.contains("kiln-jit-archive"), "{}", r.stderr);
}

#[test]
fn jitcodes_need_a_portal() {
    let dir = project(&[("prog.py", FIB)]);
    let r = kiln(dir.path(), &["dump", "prog.py", "--stage", "jitcodes"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("no portal: no function calls `jit_merge_point`"), "{}", r.stderr);
}

/// RPython's rule: a driver has one `jit_merge_point` (its portal). Two, in two
/// functions, is E0952 pointing at both; several drivers with one merge point each are
/// fine (tests/programs/jit/several_drivers.py).
#[test]
fn a_driver_with_two_merge_points_is_refused() {
    let prog = "from kiln.jit import JitDriver

driver = JitDriver(greens=[], reds=[\"n\"])


def count(n):
    while n > 0:
        driver.jit_merge_point(n=n)
        n -= 1
    return n


def count_again(n):
    while n > 0:
        driver.jit_merge_point(n=n)
        n -= 2
    return n


def entry_point(argv):
    print(count(len(argv)) + count_again(len(argv)))
    return 0
";
    let dir = project(&[("prog.py", prog)]);
    let r = kiln(dir.path(), &["dump", "prog.py", "--stage", "jitcodes", "--color", "never"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn bad_option_values_are_usage_errors() {
    let dir = project(&[("prog.py", FIB)]);
    for args in [&["translate", "--opt", "4", "prog.py"][..], &["translate", "--emit", "exe", "prog.py"], &["dump", "prog.py"], &["dump", "--stage", "ast", "prog.py"]] {
        let r = kiln(dir.path(), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("error: "), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn runtime_archive_named_by_kiln_runtime_must_exist() {
    let dir = project(&[("prog.py", FIB)]);
    let r = kiln_in(dir.path(), &["translate", "prog.py"], &[("KILN_RUNTIME", Some("/nowhere/libkiln_runtime.a"))]);
    insta::assert_snapshot!(r.transcript());
    assert!(!dir.path().join("prog").exists());
}

#[test]
fn runtime_archive_is_looked_for_next_to_kiln() {
    // A copy of kiln alone in a directory: the error names where it looked.
    let bin = tempfile::tempdir().unwrap();
    let exe = bin.path().join("kiln");
    copy(Path::new(env!("CARGO_BIN_EXE_kiln")), &exe);
    let dir = project(&[("prog.py", FIB)]);
    let r = run_exe(&exe, dir.path(), &["translate", "prog.py"], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let looked = bin.path().canonicalize().unwrap().join("libkiln_runtime.a");
    assert!(r.stderr.contains(&format!("looked for `{}` (next to the kiln executable)", looked.display())), "{}", r.stderr);
}

/// The runtime archive cargo built for these tests (kiln-runtime is a dev-dependency).
fn built_runtime_archive() -> PathBuf {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_kiln"));
    let profile = exe.parent().unwrap();
    let mut candidates = vec![profile.join("libkiln_runtime.a")];
    if let Ok(entries) = std::fs::read_dir(profile.join("deps")) {
        candidates.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("libkiln_runtime") && n.ends_with(".a"))),
        );
    }
    candidates
        .into_iter()
        .filter(|p| p.is_file())
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .expect("cargo builds libkiln_runtime.a for the tests")
}

#[test]
fn run_exits_with_the_programs_status() {
    let dir = project(&[("prog.py", "def entry_point(argv):\n    print(\"args:\", len(argv) - 1, argv[0])\n    return len(argv)\n")]);
    let r = kiln(dir.path(), &["-q", "run", "prog.py", "--", "a", "-b", "--c"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (4, "args: 3 prog.py\n", ""));
    let raising = project(&[("prog.py", "def entry_point(argv):\n    return 1 // (len(argv) - 1)\n")]);
    let r = kiln(raising.path(), &["-q", "run", "prog.py"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("ZeroDivisionError"), "{}", r.stderr);
}

#[test]
fn translate_shows_each_stage_and_the_binary_runs() {
    let dir = project(&[("prog.py", FIB)]);
    let archive = built_runtime_archive();
    let r = kiln_in(dir.path(), &["translate", "prog.py"], &[("KILN_RUNTIME", archive.to_str())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let verbs: Vec<&str> = r.stderr.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert_eq!(verbs, ["Importing", "Building", "Annotating", "RTyping", "Transforming", "Compiling", "Linking", "Finished"], "{}", r.stderr);
    assert!(r.stderr.lines().take(7).all(|l| l.ends_with("([T])")), "{}", r.stderr);
    assert!(r.stderr.ends_with("    Finished `prog` in [T]\n"), "{}", r.stderr);
    let out = Command::new(dir.path().join("prog")).arg("x").output().unwrap();
    assert_eq!((out.status.code(), String::from_utf8_lossy(&out.stdout).as_ref()), (Some(0), "55\n"));
}

#[test]
fn translate_writes_ir_and_objects_next_to_the_input_or_to_o() {
    let dir = project(&[("prog.py", FIB)]);
    let r = kiln(dir.path(), &["-q", "translate", "--emit", "llvm-ir", "--opt", "0", "prog.py"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ir = std::fs::read_to_string(dir.path().join("prog.ll")).unwrap();
    assert!(ir.contains("define") && ir.contains("kiln.fib"), "{ir}");
    let r = kiln(dir.path(), &["-q", "translate", "--emit", "obj", "-o", "out.o", "prog.py"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read(dir.path().join("out.o")).unwrap().starts_with(b"\x7fELF"));
}

#[test]
fn a_copy_of_kiln_next_to_the_archive_translates() {
    let bin = tempfile::tempdir().unwrap();
    let exe = bin.path().join("kiln");
    copy(Path::new(env!("CARGO_BIN_EXE_kiln")), &exe);
    copy(&built_runtime_archive(), &bin.path().join("libkiln_runtime.a"));
    let dir = project(&[("prog.py", FIB)]);
    let r = run_exe(&exe, dir.path(), &["-q", "translate", "prog.py", "-o", "fib"], &[]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let out = Command::new(dir.path().join("fib")).output().unwrap();
    assert_eq!((out.status.code(), String::from_utf8_lossy(&out.stdout).as_ref()), (Some(0), "55\n"));
}

#[test]
fn dump_of_the_low_level_stages() {
    let dir = project(&[("prog.py", FIB)]);
    for stage in ["lltype", "transformed"] {
        let r = kiln(dir.path(), &["-q", "dump", "prog.py", "--stage", stage, "--function", "fib"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.starts_with("graph fib(") && !r.stdout.contains("entry_point"), "{stage}: {}", r.stdout);
    }
    let r = kiln(dir.path(), &["-q", "dump", "prog.py", "--stage", "llvm", "--function", "fib"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("define ") && r.stdout.contains("kiln.fib") && !r.stdout.contains("@main"), "{}", r.stdout);
    let r = kiln(dir.path(), &["-q", "dump", "prog.py", "--stage", "llvm"]);
    assert!(r.stdout.contains("@main("), "{}", r.stdout);
}

#[test]
fn verbose_output_has_sizes_pass_timings_and_a_table() {
    let dir = project(&[("prog.py", FIB)]);
    let r = kiln(dir.path(), &["-v", "run", "prog.py"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "55\n"), "{}", r.stderr);
    for want in ["1 module, ", "2 graphs, ", "2 graphs annotated", "low-level graphs", "exceptions: [T]", "timings:", "llinterp", "total"] {
        assert!(r.stderr.contains(want), "{want}: {}", r.stderr);
    }
}

#[test]
fn deeply_nested_source_does_not_overflow_the_stack() {
    // The parser and the flowspace recurse once per level; the driver's big stack keeps
    // such (machine-generated) sources from aborting kiln.
    let src = format!("def entry_point(argv):\n    return {}len(argv)\n", "-".repeat(10_000));
    let dir = project(&[("prog.py", &src)]);
    let r = kiln(dir.path(), &["-q", "check", "prog.py"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
}

/// Where Kiln knowingly differs from CPython (whose ints grow): `int(s)` past 64 bits
/// raises OverflowError, catchable, with a message that says why.
#[test]
fn int_of_a_string_past_64_bits_raises_overflow_error() {
    let prog = "def entry_point(argv):\n    try:\n        int(argv[1])\n    except OverflowError as e:\n        print(str(e))\n    print(int(argv[2]))\n    return 0\n";
    let dir = project(&[("prog.py", prog)]);
    let r = kiln(dir.path(), &["-q", "run", "prog.py", "--", "-9223372036854775809", "99999999999999999999"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "int too large to convert: '-9223372036854775809' does not fit in a 64-bit machine word\n");
    assert_eq!(r.stderr.lines().last(), Some("OverflowError: int too large to convert: '99999999999999999999' does not fit in a 64-bit machine word"), "{}", r.stderr);
}
