//! Flow graphs of small functions, as snapshots of their printed form.

use kiln_diagnostics::render;
use kiln_flowgraph::{print_graph, verify_graph};
use kiln_flowspace::build_flow_graph;
use kiln_frontend::memory::MemoryLoader;

/// Builds the graph of function `name` in `src` and prints it (or the diagnostics).
fn flow(src: &str, name: &str) -> String {
    let mut loader = MemoryLoader::new(&[("main.py", src)]);
    let prog = loader.evaluate_main();
    assert!(prog.diagnostics.is_empty(), "{}", render(&loader.map, &prog.diagnostics));
    let m = prog.heap.module(prog.main.unwrap()).unwrap();
    let f = m.globals.get(name).and_then(|v| v.as_obj()).expect("function");
    let built = build_flow_graph(&prog, f, &[]);
    match built.graph {
        Some(g) => {
            verify_graph(&g).unwrap_or_else(|e| panic!("{e}\n{}", print_graph(&g, &prog.heap)));
            print_graph(&g, &prog.heap)
        }
        None => render(&loader.map, &built.diagnostics),
    }
}

#[test]
fn constants_fold_and_dead_branches_vanish() {
    insta::assert_snapshot!(flow("
from kiln.objectmodel import we_are_translated
N = 10
def f(x):
    if we_are_translated():
        return x + N * 2
    return undefined_name(x)
", "f"));
}

#[test]
fn recursion_and_conditionals() {
    insta::assert_snapshot!(flow("
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
", "fib"));
}

#[test]
fn while_loop_with_break_and_else() {
    insta::assert_snapshot!(flow("
def f(n):
    i = 0
    total = 0
    while i < n:
        i += 1
        if i == 5:
            break
        total += i
    else:
        total = -1
    return total
", "f"));
}

#[test]
fn range_loops_count_without_iterators() {
    insta::assert_snapshot!(flow("
def f(n):
    s = 0
    for i in range(n):
        s += i
    return s
", "f"));
}

#[test]
fn keyword_and_default_arguments_bind_at_flow_time() {
    insta::assert_snapshot!(flow("
def g(a, b=2, c=3):
    return a + b + c
def f(x):
    return g(x, c=10)
", "f"));
}

#[test]
fn chained_comparison_and_boolean_values() {
    insta::assert_snapshot!(flow("
def f(a, b, c):
    x = a < b < c
    y = a or c
    return x and y
", "f"));
}

#[test]
fn try_except_dispatches_on_classes() {
    insta::assert_snapshot!(flow("
def f(a, b):
    try:
        r = a // b
    except ZeroDivisionError:
        r = -1
    except (ValueError, IndexError) as e:
        raise
    return r
", "f"));
}

#[test]
fn unrolled_loop_over_constant_tuple() {
    insta::assert_snapshot!(flow("
OPS = (1, 2, 3)
def f(x):
    for k in OPS:
        if x == k:
            return k * 10
    return 0
", "f"));
}

#[test]
fn bad_call_reports_both_spans() {
    insta::assert_snapshot!(flow("
def g(a, b):
    return a
def f(x):
    return g(x, 1, 2)
", "f"));
}

#[test]
fn variable_defined_only_in_loop() {
    insta::assert_snapshot!(flow("
def f(n):
    while n > 0:
        last = n
        n -= 1
    return last
", "f"));
}

#[test]
fn none_that_only_meets_folding_tests_gets_its_own_path() {
    // rpystone's Proc2: the None path compares `None == 1`, which folds to False, and
    // loops without EnumLoc; the int path never sees the None.
    insta::assert_snapshot!(flow("
IDENT1 = 1
def f(n, letter):
    kind = None
    while 1:
        if letter == 'A':
            n = n - 1
            kind = IDENT1
        if kind == IDENT1:
            break
    return n
", "f"));
}

#[test]
fn none_that_reaches_other_uses_keeps_the_merge() {
    // Printed, and compared with a variable: no split, so the annotator sees the mix.
    insta::assert_snapshot!(flow("
def f(n):
    x = None
    if n > 2:
        x = 5
    print(x)
    y = None
    if n > 3:
        y = 1
    return y == n
", "f"));
}
