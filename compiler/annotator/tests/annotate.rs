//! Annotation tests: small programs in memory, checked through the printed annotated
//! graphs or the rendered diagnostics.

use std::sync::Arc;

use kiln_annotator::{annotate, GraphSource};
use kiln_diagnostics::{render, Diagnostic};
use kiln_flowgraph::Graph;
use kiln_flowspace::{build_flow_graph, Hl};
use kiln_frontend::memory::MemoryLoader;
use kiln_frontend::{ObjId, Program, Value};

struct Source<'p>(&'p Program);

impl GraphSource for Source<'_> {
    fn flow_graph(&self, func: ObjId, const_args: &[Option<Value>]) -> Result<Arc<Graph<Hl>>, Vec<Diagnostic>> {
        let b = build_flow_graph(self.0, func, const_args);
        b.graph.map(Arc::new).ok_or(b.diagnostics)
    }
}

/// Annotates `src` (with `entry_point`) and prints function `f`, or the diagnostics.
fn check(src: &str, f: Option<&str>) -> String {
    let mut loader = MemoryLoader::new(&[("main.py", src)]);
    let prog = loader.evaluate_main();
    assert!(prog.diagnostics.is_empty(), "{}", render(&loader.map, &prog.diagnostics));
    match annotate(&prog, prog.entry.expect("entry_point"), &Source(&prog)) {
        Ok(a) => {
            // Warnings and the null checks they stand for follow the graphs.
            let mut out = a.print(&prog, f);
            out.push_str(&render(&loader.map, &a.warnings));
            let mut checks: Vec<String> = Vec::new();
            for ((g, b, i), cs) in &a.null_checks {
                for c in cs {
                    checks.push(format!("null check in {} at block{}[{i}] on argument {}: {}: {}", a.graphs[g.0 as usize].name, b.0, c.arg, c.exc, c.message));
                }
            }
            checks.sort();
            for c in checks {
                out.push_str(&c);
                out.push('\n');
            }
            out
        }
        Err(d) => render(&loader.map, &d),
    }
}

#[test]
fn recursive_function_gets_int() {
    insta::assert_snapshot!(check("
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
def entry_point(argv):
    print(fib(int(argv[1])))
    return 0
", Some("fib")));
}

#[test]
fn none_narrowing_with_is_none() {
    insta::assert_snapshot!(check("
def find(l, x):
    for s in l:
        if s == x:
            return s
    return None
def entry_point(argv):
    r = find(argv, 'a')
    if r is not None:
        print(len(r))
    return 0
", Some("entry_point")));
}

#[test]
fn union_error_shows_both_origins() {
    insta::assert_snapshot!(check("
def f(c):
    if c:
        x = 1
    else:
        x = 'one'
    return x
def entry_point(argv):
    f(len(argv))
    return 0
", None));
}

#[test]
fn list_of_int_and_str_is_rejected() {
    insta::assert_snapshot!(check("
def entry_point(argv):
    l = [1, 2]
    l.append('three')
    return 0
", None));
}

/// Concatenating a str that may be None: a warning, and a null check on that operand
/// raising CPython's TypeError.
#[test]
fn possibly_none_value_used() {
    insta::assert_snapshot!(check("
def pick(c):
    if c:
        return 'x'
    return None
def entry_point(argv):
    s = pick(len(argv))
    print(s + '!')
    return 0
", None));
}

#[test]
fn several_independent_errors_are_reported() {
    insta::assert_snapshot!(check("
def a():
    return 1 + 'x'
def b():
    return len(5)
def entry_point(argv):
    a()
    b()
    return 0
", None));
}

#[test]
fn exceptions_and_handlers() {
    insta::assert_snapshot!(check("
def div(a, b):
    try:
        return a // b
    except ZeroDivisionError:
        return -1
def entry_point(argv):
    print(div(7, int(argv[1])))
    raise ValueError('bad')
", Some("div")));
}
