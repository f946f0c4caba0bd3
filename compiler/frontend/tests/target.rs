//! RPython's target convention and the import-time introspection interpreters use to
//! find their own parts (`importlib`, `inspect`, `glob`, a class's `__dict__`).

use kiln_diagnostics::{render, SourceMap};
use kiln_frontend::memory::MemoryLoader;
use kiln_frontend::{evaluate_with, EvalOptions, Program, Value};

fn run(files: &[(&str, &str)], jit: bool) -> (Program, SourceMap) {
    let mut loader = MemoryLoader::new(files);
    let prog = evaluate_with(std::path::Path::new("/t/main.py"), &mut loader, &EvalOptions { jit });
    (prog, loader.map)
}

fn ok(files: &[(&str, &str)], jit: bool) -> Program {
    let (p, map) = run(files, jit);
    assert!(p.diagnostics.is_empty(), "{}", render(&map, &p.diagnostics));
    p
}

fn global(p: &Program, name: &str) -> Value {
    let m = p.heap.module(p.main.expect("main module")).expect("module");
    m.globals.get(name).cloned().unwrap_or_else(|| panic!("no global {name}"))
}

const TARGET: &str = "
MODE = []
def run(argv):
    return 0
def target(driver, args):
    MODE.append(driver.config.translation.jit)
    driver.exe_name = 'vm-jit' if driver.config.translation.jit else 'vm'
    return run, None
";

#[test]
fn target_sees_the_jit_flag_and_names_the_entry_point_and_executable() {
    for jit in [false, true] {
        let p = ok(&[("main.py", TARGET)], jit);
        let t = p.target.as_ref().expect("target was called");
        assert_eq!(t.exe_name.as_deref(), Some(if jit { "vm-jit" } else { "vm" }));
        assert_eq!(Some(Value::Obj(t.entry)), Some(global(&p, "run")));
        assert_eq!(p.entry, Some(t.entry));
    }
}

#[test]
fn a_target_returning_something_else_is_e0005() {
    let (p, map) = run(&[("main.py", "def target(driver, args):\n    return 3\n")], false);
    let text = render(&map, &p.diagnostics);
    assert!(text.contains("E0005") && text.contains("(entry_point, None)"), "{text}");
}

#[test]
fn importlib_inspect_and_glob_find_modules_and_classes() {
    let prims = "
class Primitives(object):
    pass
class IntegerPrimitives(Primitives):
    pass
def helper():
    pass
";
    let main = "
import inspect
from glob import glob
from importlib import import_module
DIRECTORY = __file__.replace('main.py', '')
FILES = glob(DIRECTORY + '*_prims.py')
NAMES = [f.replace(DIRECTORY, '').replace('.py', '') for f in FILES]
MOD = import_module(NAMES[0])
CLASSES = [name for name, c in inspect.getmembers(MOD) if inspect.isclass(c) and c.__base__ is not object]
FUNCS = [name for name, _ in inspect.getmembers(MOD, inspect.isfunction)]
OWN = sorted(k for k in MOD.IntegerPrimitives.__dict__ if not k.startswith('__'))
";
    let p = ok(&[("main.py", main), ("int_prims.py", prims), ("notes.txt", "")], false);
    let strs = |name: &str| -> Vec<String> {
        let Value::Obj(o) = global(&p, name) else { panic!("{name} is not a list") };
        let Some(kiln_frontend::Object::List(items)) = Some(p.heap.get(o)) else { panic!("{name} is not a list") };
        items.iter().map(|v| match v {
            Value::Str(s) => s.to_string(),
            other => panic!("{other:?}"),
        }).collect()
    };
    assert_eq!(strs("NAMES"), ["int_prims"]);
    assert_eq!(strs("CLASSES"), ["IntegerPrimitives"]);
    assert_eq!(strs("FUNCS"), ["helper"]);
    assert!(strs("OWN").is_empty());
}
