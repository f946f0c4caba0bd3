//! Import time is full Python: `globals()`, sets, `map`/`filter`, `functools`,
//! `operator`, `itertools`, metaclasses, `ImportError` fallbacks, `sys` and `os`, and
//! the `rpython.rlib` aliases. Programs in memory, checked through the resulting heap.

use kiln_diagnostics::{render, SourceMap};
use kiln_frontend::memory::MemoryLoader;
use kiln_frontend::{ops, Object, Program, Value};

fn run(files: &[(&str, &str)]) -> (Program, SourceMap) {
    let mut loader = MemoryLoader::new(files);
    let prog = loader.evaluate_main();
    (prog, loader.map)
}

fn ok(src: &str) -> Program {
    let (p, map) = run(&[("main.py", src)]);
    assert!(p.diagnostics.is_empty(), "{}", render(&map, &p.diagnostics));
    p
}

/// `str()` of a global, as Python would print it.
fn show(p: &Program, name: &str) -> String {
    let m = p.heap.module(p.main.expect("main module")).expect("module");
    let v = m.globals.get(name).cloned().unwrap_or_else(|| panic!("no global {name}"));
    ops::to_str(&p.heap, &v)
}

#[track_caller]
fn check(src: &str, expected: &[(&str, &str)]) {
    let p = ok(src);
    for (name, want) in expected {
        assert_eq!(show(&p, name), *want, "global {name}");
    }
}

#[test]
fn globals_defines_opcode_constants() {
    check(
        "for i, n in enumerate(['LOAD', 'STORE']):\n    globals()[n] = i\nHAS = 'STORE' in globals()\nG = globals().get('NOPE', -1)\ndel globals()['i']\nGONE = 'i' in globals()\n",
        &[("LOAD", "0"), ("STORE", "1"), ("HAS", "True"), ("G", "-1"), ("GONE", "False")],
    );
}

#[test]
fn sets_map_filter() {
    check(
        "S = {3, 1, 3}\nS.add(2)\nF = frozenset([1, 2])\nU = sorted(S | {9})\nI = sorted(S & F)\nM = list(map(lambda x: x + 1, [1, 2]))\nL = list(filter(None, [0, 1, 2]))\nN = len(S)\nE = set() == set([])\nIN = 2 in F\n",
        &[("U", "[1, 2, 3, 9]"), ("I", "[1, 2]"), ("M", "[2, 3]"), ("L", "[1, 2]"), ("N", "3"), ("E", "True"), ("IN", "True")],
    );
}

#[test]
fn functools_operator_itertools() {
    check(
        "import functools, operator, itertools\nR = functools.reduce(operator.mul, [1, 2, 3, 4])\nP = functools.partial(operator.sub, 10)(3)\nG = operator.itemgetter(0, 2)('abc')\nZ = list(zip(itertools.count(5), 'ab'))\nC = list(itertools.combinations('abc', 2))\nS = list(itertools.islice(itertools.count(), 2, 5))\n",
        &[("R", "24"), ("P", "7"), ("G", "('a', 'c')"), ("Z", "[(5, 'a'), (6, 'b')]"), ("C", "[('a', 'b'), ('a', 'c'), ('b', 'c')]"), ("S", "[2, 3, 4]")],
    );
}

#[test]
fn metaclasses_generate_methods_and_keep_super_working() {
    let src = "
class Meta(type):
    def __new__(mcs, name, bases, dct):
        dct['tag'] = name.upper()
        return super().__new__(mcs, name, bases, dct)
    def __init__(cls, name, bases, dct):
        super().__init__(name, bases, dct)
        cls.made_by_meta = True
class A(metaclass=Meta):
    def f(self):
        return 1
class B(A):
    def f(self):
        return super().f() + 1
T = (A.tag, B.tag, B.made_by_meta, B().f(), type(B) is Meta, type(B()) is B)
X = type('X', (A,), {'g': 5})
XT = (X.tag, X.g, X().f())
";
    check(src, &[("T", "('A', 'B', True, 2, True, True)"), ("XT", "('X', 5, 1)")]);
}

#[test]
fn import_errors_are_catchable_and_future_imports_work() {
    let src = "
from __future__ import print_function, division
try:
    import not_a_module
    A = 'found'
except ImportError:
    A = 'missing'
try:
    from kiln.jit import no_such_hint
except ImportError as e:
    B = 'no name'
from rpython.rlib.jit import JitDriver, purefunction
from rpython.rlib.rarithmetic import r_ulonglong, intmask
import sys, os
V = sys.version_info >= (3, 0) and sys.version_info[0] == 3
MODS = 'sys' in sys.modules and 'rpython.rlib.jit' in sys.modules
ENV = os.getenv('KILN_SURELY_NOT_SET_IN_TESTS', 'dflt')
";
    check(src, &[("A", "missing"), ("B", "no name"), ("V", "True"), ("MODS", "True"), ("ENV", "dflt")]);
    let (p, map) = run(&[("main.py", "from rpython.rlib.jit import virtual_ref\n")]);
    let out = render(&map, &p.diagnostics);
    assert!(out.contains("error[E0106]: cannot import name 'virtual_ref' from 'rpython.rlib.jit'"), "{out}");
}

#[test]
fn jitdriver_subclasses_and_rpython_keywords() {
    let src = "
from kiln.jit import JitDriver
class D(JitDriver):
    greens = ['pc']
    reds = ['self', 'acc']
d = D(is_recursive=True, should_unroll_one_iteration=lambda pc: False, name='interp')
auto = JitDriver(greens=['x'], reds='auto')
";
    let p = ok(src);
    let m = p.heap.module(p.main.unwrap()).unwrap();
    let Some(Value::Obj(d)) = m.globals.get("d") else { panic!("d is an object") };
    let Object::JitDriver(info) = p.heap.get(*d) else { panic!("d is a driver") };
    assert_eq!(info.greens.iter().map(|g| &**g).collect::<Vec<_>>(), ["pc"]);
    assert_eq!(info.reds.iter().map(|g| &**g).collect::<Vec<_>>(), ["self", "acc"]);
    assert_eq!(info.name, "interp");
    let Some(Value::Obj(a)) = m.globals.get("auto") else { panic!() };
    assert!(matches!(p.heap.get(*a), Object::JitDriver(i) if i.reds_auto));
}

#[test]
fn modules_imported_inside_functions_are_imported_after_main() {
    let (p, map) = run(&[("main.py", "def f():\n    import helper\n    return helper.X\n"), ("helper.py", "X = 3\n")]);
    assert!(p.diagnostics.is_empty(), "{}", render(&map, &p.diagnostics));
    assert!(p.modules.contains_key("helper"));
    let (p, _) = run(&[("main.py", "def f():\n    import broken\n    return 0\n"), ("broken.py", "X = 1 // 0\n")]);
    assert!(p.diagnostics.is_empty());
    assert!(!p.modules.contains_key("broken"));
    assert!(p.deferred_import_errors.contains_key("broken"));
}
