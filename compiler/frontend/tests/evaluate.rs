//! Import-time evaluation tests: programs in memory, checked through the resulting heap.

use kiln_diagnostics::{render, SourceMap};
use kiln_frontend::memory::MemoryLoader;
use kiln_frontend::{Object, Program, Value};

fn run(files: &[(&str, &str)]) -> (Program, SourceMap) {
    let mut loader = MemoryLoader::new(files);
    let prog = loader.evaluate_main();
    (prog, loader.map)
}

fn global(p: &Program, name: &str) -> Value {
    let m = p.heap.module(p.main.expect("main module")).expect("module");
    m.globals.get(name).cloned().unwrap_or_else(|| panic!("no global {name}"))
}

fn ok(src: &str) -> Program {
    let (p, map) = run(&[("main.py", src)]);
    assert!(p.diagnostics.is_empty(), "{}", render(&map, &p.diagnostics));
    p
}

#[test]
fn constants_and_arithmetic() {
    let p = ok("A = 7 // -2\nB = -7 % 3\nC = (1, 'x') + (2,)\nD = 'ab' * 3\nE = 2 ** 10\nF = 1 < 2 < 3\n");
    assert_eq!(global(&p, "A"), Value::Int(-4));
    assert_eq!(global(&p, "B"), Value::Int(2));
    assert_eq!(global(&p, "D"), Value::str("ababab"));
    assert_eq!(global(&p, "E"), Value::Int(1024));
    assert_eq!(global(&p, "F"), Value::Bool(true));
    let Value::Obj(c) = global(&p, "C") else { panic!() };
    assert!(matches!(p.heap.get(c), Object::Tuple(t) if t.len() == 3));
}

#[test]
fn factories_make_closures_over_import_time_constants() {
    let src = "
def make_adder(n):
    def add(x):
        return x + n
    return add
ADDERS = [make_adder(i) for i in range(3)]
TOTAL = 0
for f in ADDERS:
    TOTAL += f(10)
";
    let p = ok(src);
    assert_eq!(global(&p, "TOTAL"), Value::Int(33));
}

#[test]
fn classes_inheritance_and_super() {
    let src = "
class Base:
    kind = 'base'
    def __init__(self, x):
        self.x = x
    def get(self):
        return self.x
class Derived(Base):
    def __init__(self, x, y):
        super().__init__(x)
        self.y = y
    def get(self):
        return Base.get(self) + self.y
OBJ = Derived(3, 4)
V = OBJ.get()
K = Derived.kind
I = isinstance(OBJ, Base)
";
    let p = ok(src);
    assert_eq!(global(&p, "V"), Value::Int(7));
    assert_eq!(global(&p, "K"), Value::str("base"));
    assert_eq!(global(&p, "I"), Value::Bool(true));
}

#[test]
fn imports_sibling_modules_and_kiln() {
    let (p, map) = run(&[
        ("main.py", "import util\nfrom util import twice as tw\nfrom kiln.rarith import intmask\nimport kiln.jit\nX = tw(util.BASE)\nif __name__ == '__main__':\n    X = 0\n"),
        ("util.py", "BASE = 21\ndef twice(v):\n    return v * 2\n"),
    ]);
    assert!(p.diagnostics.is_empty(), "{}", render(&map, &p.diagnostics));
    assert_eq!(global(&p, "X"), Value::Int(42));
    assert!(matches!(global(&p, "intmask"), Value::Obj(o) if matches!(p.heap.get(o), Object::Builtin(_))));
}

#[test]
fn decorators_record_hints_and_specialisation() {
    let p = ok("from kiln.jit import elidable\nfrom kiln.objectmodel import specialize\n@elidable\ndef f(x):\n    return x\n@specialize.argtype(0)\ndef g(x):\n    return x\n");
    let Value::Obj(f) = global(&p, "f") else { panic!() };
    assert!(p.heap.function(f).unwrap().hints.elidable);
    let Value::Obj(g) = global(&p, "g") else { panic!() };
    assert!(p.heap.function(g).unwrap().specialize.is_some());
}

#[test]
fn import_time_exception_is_a_diagnostic_with_the_call_chain() {
    let (p, map) = run(&[("main.py", "def f(x):\n    return 1 // x\nY = f(0)\n")]);
    let out = render(&map, &p.diagnostics);
    assert!(out.contains("exception at import time: ZeroDivisionError: integer division or modulo by zero"), "{out}");
    assert!(out.contains("called from here"), "{out}");
}

#[test]
fn missing_module_and_syntax_errors_are_reported() {
    let (p, map) = run(&[("main.py", "import nothere\n")]);
    assert!(render(&map, &p.diagnostics).contains("no module named 'nothere'"));
    let (p, map) = run(&[("main.py", "def f(:\n  pass\n")]);
    assert!(render(&map, &p.diagnostics).contains("syntax error"));
}

#[test]
fn runaway_loops_hit_the_step_budget() {
    let (p, map) = run(&[("main.py", "while True:\n    pass\n")]);
    assert!(render(&map, &p.diagnostics).contains("did not finish"));
}
