//! End-to-end tests of the RTyper's output: programs are imported, annotated, lowered,
//! exception-transformed and run on the llinterp; stdout and the exit code are checked.

use std::sync::Arc;

use kiln_annotator::{annotate, GraphSource};
use kiln_diagnostics::{render, Diagnostic};
use kiln_flowgraph::Graph;
use kiln_flowspace::{build_flow_graph, Hl};
use kiln_frontend::memory::MemoryLoader;
use kiln_frontend::{ObjId, Program, Value};
use kiln_llinterp::{run_captured, RunOptions};

struct Source<'p>(&'p Program);

impl GraphSource for Source<'_> {
    fn flow_graph(&self, func: ObjId, const_args: &[Option<Value>]) -> Result<Arc<Graph<Hl>>, Vec<Diagnostic>> {
        let b = build_flow_graph(self.0, func, const_args);
        b.graph.map(Arc::new).ok_or(b.diagnostics)
    }
}

/// Translates `src` and runs it with `args`; returns (exit code, stdout, stderr).
fn run(src: &str, args: &[&str]) -> (i32, String, String) {
    let mut loader = MemoryLoader::new(&[("main.py", src)]);
    let prog = loader.evaluate_main();
    assert!(prog.diagnostics.is_empty(), "{}", render(&loader.map, &prog.diagnostics));
    let ann = annotate(&prog, prog.entry.expect("entry_point"), &Source(&prog)).unwrap_or_else(|d| panic!("{}", render(&loader.map, &d)));
    let mut ll = kiln_rtyper::rtype(&prog, &ann).unwrap_or_else(|d| panic!("{}", render(&loader.map, &d)));
    kiln_transform::run_all(&mut ll, &kiln_transform::TransformOptions::default()).expect("transforms");
    let mut argv = vec!["prog".to_string()];
    argv.extend(args.iter().map(|s| s.to_string()));
    let out = run_captured(&ll, &argv, &RunOptions::default()).expect("llinterp");
    (out.exit_code, String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn fib_prints_and_returns() {
    let (code, out, _) = run(
        "
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
def entry_point(argv):
    print(fib(int(argv[1])))
    return 3
",
        &["20"],
    );
    assert_eq!((code, out.as_str()), (3, "6765\n"));
}

#[test]
fn floor_division_and_modulo_follow_python() {
    let (code, out, _) = run(
        "
def entry_point(argv):
    a = int(argv[1])
    b = int(argv[2])
    print(a // b, a % b, -a // b, -a % b, a // -b, a % -b)
    print(a << 3, a >> 1, a & 6, a | 8, a ^ 5, ~a, -a)
    print(1 < a <= 7, a == 7 and b == 2, not a, a if b else 0)
    return 0
",
        &["7", "2"],
    );
    assert_eq!(code, 0);
    assert_eq!(out, "3 1 -4 1 -4 -1\n56 3 6 15 2 -8 -7\nTrue True False 7\n");
}

#[test]
fn zero_division_escapes_entry_point() {
    let (code, out, err) = run(
        "
def entry_point(argv):
    print('before')
    x = 1 // (len(argv) - 1)
    print('after', x)
    return 0
",
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(out, "before\n");
    assert!(err.trim_end().ends_with("ZeroDivisionError: integer division or modulo by zero"), "{err}");
}

#[test]
fn try_except_catches_and_raise_propagates() {
    let (code, out, err) = run(
        "
def div(a, b):
    try:
        return a // b
    except ZeroDivisionError:
        return -1
def check(x):
    if x > 5:
        raise ValueError('too big: ' + str(x))
    return x
def entry_point(argv):
    print(div(7, 2), div(7, 0))
    try:
        check(9)
    except ValueError as e:
        print('caught', e)
    print(check(3))
    check(10)
    return 0
",
        &[],
    );
    assert_eq!(out, "3 -1\ncaught too big: 9\n3\n");
    assert_eq!(code, 1);
    assert!(err.trim_end().ends_with("ValueError: too big: 10"), "{err}");
}

#[test]
fn while_loops_strings_and_lists() {
    let (code, out, _) = run(
        "
def entry_point(argv):
    i = 0
    total = 0
    while i < 10:
        i += 1
        if i % 2 == 0:
            continue
        total += i
    else:
        total += 100
    s = 'ab' + 'cd'
    l = [1, 2, 3]
    l.append(total)
    print(total, s, len(s), s[1], s[-1], l[3], len(l), len(argv), argv[0])
    for x in l:
        print(x)
    for ch in 'xyz':
        print(ch, ord(ch))
    for k in range(3):
        print(k * k)
    return 0
",
        &[],
    );
    assert_eq!(code, 0);
    assert_eq!(out, "125 abcd 4 b d 125 4 1 prog\n1\n2\n3\n125\nx 120\ny 121\nz 122\n0\n1\n4\n");
}

#[test]
fn index_error_is_raised_and_catchable() {
    let (code, out, _) = run(
        "
def entry_point(argv):
    l = [10, 20]
    try:
        print(l[5])
    except IndexError as e:
        print('index', e)
    print(l[-1])
    return l[0]
",
        &[],
    );
    assert_eq!((code, out.as_str()), (10, "index list index out of range\n20\n"));
}
