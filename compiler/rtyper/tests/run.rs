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
use kiln_lltype::Mutability;

struct Source<'p>(&'p Program);

impl GraphSource for Source<'_> {
    fn flow_graph(&self, func: ObjId, const_args: &[Option<Value>]) -> Result<Arc<Graph<Hl>>, Vec<Diagnostic>> {
        let b = build_flow_graph(self.0, func, const_args);
        b.graph.map(Arc::new).ok_or(b.diagnostics)
    }
}

/// Translates `src` to lltype (before the transforms).
fn lower(src: &str) -> kiln_lltype::LlProgram {
    let mut loader = MemoryLoader::new(&[("main.py", src)]);
    let prog = loader.evaluate_main();
    assert!(prog.diagnostics.is_empty(), "{}", render(&loader.map, &prog.diagnostics));
    let ann = annotate(&prog, prog.entry.expect("entry_point"), &Source(&prog)).unwrap_or_else(|d| panic!("{}", render(&loader.map, &d)));
    kiln_rtyper::rtype(&prog, &ann).unwrap_or_else(|d| panic!("{}", render(&loader.map, &d)))
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

#[test]
fn classes_virtual_methods_super_and_class_attributes() {
    let (code, out, err) = run(
        "
class Shape:
    sides = 0
    kind = 'shape'
    def __init__(self, name):
        self.name = name
    def area(self):
        return 0
    def describe(self):
        return self.name + ' ' + str(self.area()) + ' ' + self.kind
class Square(Shape):
    sides = 4
    kind = 'square'
    def __init__(self, side):
        super().__init__('sq')
        self.side = side
    def area(self):
        return self.side * self.side
class Tri(Shape):
    sides = 3
    def __init__(self, b, h):
        Shape.__init__(self, 'tri')
        self.b = b
        self.h = h
    def area(self):
        return self.b * self.h // 2
class Counter:
    count = 0
    def bump(self):
        self.count += 1
        return self.count
def entry_point(argv):
    shapes = [Square(3), Tri(4, 5), Shape('blob')]
    total = 0
    for s in shapes:
        print(s.describe(), s.sides)
        total += s.area()
        if isinstance(s, Square):
            print('square of side', s.side)
    print(total)
    c = Counter()
    f = c.bump
    f()
    print(f(), c.count)
    return 0
",
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "sq 9 square 4\nsquare of side 3\ntri 10 shape 3\nblob 0 shape 0\n19\n2 2\n");
}

#[test]
fn user_exceptions_with_attributes() {
    let (code, out, err) = run(
        "
class AppError(Exception):
    pass
class ParseError(AppError):
    def __init__(self, msg, line):
        AppError.__init__(self, msg)
        self.line = line
def parse(s):
    if s == 'bad':
        raise ParseError('cannot parse', 7)
    if s == '':
        raise AppError('empty')
    return len(s)
def entry_point(argv):
    for s in ['ok', 'bad', '']:
        try:
            print(parse(s))
        except ParseError as e:
            print('parse error', e.line, e)
        except AppError as e:
            print('app error', e)
        finally:
            print('done', s)
    raise ParseError('fatal', 1)
",
        &[],
    );
    assert_eq!(out, "2\ndone ok\nparse error 7 cannot parse\ndone bad\napp error empty\ndone \n");
    assert_eq!(code, 1);
    assert!(err.trim_end().ends_with("ParseError: fatal"), "{err}");
}

#[test]
fn immutable_fields_are_recorded_on_the_struct_fields() {
    let ll = lower(
        "
class Code(object):
    _immutable_fields_ = ['name', 'consts[*]', 'version?']
    def __init__(self, name):
        self.name = name
        self.consts = [1, 2]
        self.version = 0
        self.counter = 0
class Sub(Code):
    pass
def entry_point(argv):
    c = Sub('f')
    c.counter += 1
    c.version = 2
    print(c.name, c.consts[0], c.counter, c.version)
    return 0
",
    );
    let s = (0..ll.types.len() as u32)
        .map(kiln_lltype::TypeId)
        .find(|&t| matches!(ll.types.get(t), kiln_lltype::LlType::Struct(st) if st.fields.iter().any(|f| f.name == "inst_name")))
        .expect("the instance struct holding 'name'");
    let flags: Vec<(String, Mutability)> = ll.types.struct_type(s).fields.iter().map(|f| (f.name.clone(), f.mutability)).collect();
    let get = |n: &str| flags.iter().find(|(x, _)| x == n).unwrap_or_else(|| panic!("no field {n} in {flags:?}")).1;
    assert_eq!(get("inst_name"), Mutability::Immutable, "{flags:?}");
    assert_eq!(get("inst_consts"), Mutability::ImmutableItems, "{flags:?}");
    // Quasi-immutable is not immutable: the JIT must not fold its reads until it can
    // invalidate the code that did.
    assert_eq!(get("inst_version"), Mutability::QuasiImmutable, "{flags:?}");
    assert!(!get("inst_version").is_immutable());
    assert_eq!(get("inst_counter"), Mutability::Mutable, "{flags:?}");
}

#[test]
fn immutable_classes_make_every_field_immutable() {
    let ll = lower(
        "
class Point(object):
    _immutable_ = True
    def __init__(self, x, y):
        self.x = x
        self.y = y
class Mutable(object):
    _immutable_fields_ = ['a?[*]']
    def __init__(self):
        self.a = [1]
        self.b = 0
def entry_point(argv):
    p = Point(1, 2)
    m = Mutable()
    m.b = 3
    print(p.x + p.y, m.a[0], m.b)
    return 0
",
    );
    let field = |name: &str| {
        (0..ll.types.len() as u32)
            .map(kiln_lltype::TypeId)
            .find_map(|t| match ll.types.get(t) {
                kiln_lltype::LlType::Struct(st) => st.fields.iter().find(|f| f.name == name).map(|f| f.mutability),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no field {name}"))
    };
    assert_eq!(field("inst_x"), Mutability::Immutable);
    assert_eq!(field("inst_y"), Mutability::Immutable);
    assert_eq!(field("inst_a"), Mutability::QuasiImmutableItems);
    assert_eq!(field("inst_b"), Mutability::Mutable);
}

#[test]
fn classes_held_in_variables_are_instantiated_through_the_vtable() {
    let (code, out, err) = run(
        "
class Node(object):
    def __init__(self, v, scale=1):
        self.v = v * scale
    def show(self):
        return 'node %d' % self.v
class Leaf(Node):
    def show(self):
        return 'leaf %d' % self.v
class Pair(Node):
    def __init__(self, v, scale=1):
        Node.__init__(self, v + 100, scale)
KINDS = {'n': Node, 'l': Leaf, 'p': Pair}
def entry_point(argv):
    for k in argv[1]:
        cls = KINDS[k]
        print(cls(int(argv[2]), scale=2).show())
    return 0
",
        &["nlp", "4"],
    );
    assert_eq!((code, out.as_str()), (0, "node 8\nleaf 8\nnode 208\n"), "{err}");
}

#[test]
fn method_calls_fill_defaults_and_keywords() {
    let (code, out, err) = run(
        "
class A(object):
    def f(self, x, y=10, z=100):
        return x + y + z
class B(A):
    def f(self, x, y=10, z=100):
        return x * y * z
def pick(n):
    if n:
        return A()
    return B()
def entry_point(argv):
    o = pick(len(argv) - 1)
    print(o.f(1), o.f(1, z=2), o.f(1, 2, 3))
    g = o.f
    print(g(5, y=1))
    return 0
",
        &["x"],
    );
    assert_eq!((code, out.as_str()), (0, "111 13 6\n106\n"), "{err}");
}

/// `list.pop()` from the end is a length decrement and a read: the call that shifts the
/// following items (`kiln_list_move`) sits on a branch that popping the last item does
/// not take. Popping from the middle and `del` still shift.
#[test]
fn pop_from_the_end_makes_no_move_call() {
    let src = "
def entry_point(argv):
    l = [1, 2, 3, 4, 5, 6]
    a = l.pop()
    b = l.pop(0)
    c = l.pop(-2)
    del l[0]
    s = ['x', 'y', 'z']
    t = s.pop()
    print(a, b, c, l, t, s)
    return 0
";
    let (code, out, _) = run(src, &[]);
    assert_eq!((code, out.as_str()), (0, "6 1 4 [3, 5] z ['x', 'y']\n"));
    let ll = lower(src);
    let pops: Vec<&kiln_lltype::LlFunc> = ll.funcs.iter().filter(|f| f.name.starts_with("ll_list_pop")).collect();
    assert!(!pops.is_empty(), "no ll_list_pop helper");
    for f in pops {
        let g = &f.graph;
        let moves = |b: kiln_flowgraph::BlockId| g.block(b).ops.iter().any(|o| matches!(o.op, kiln_lltype::LlOp::RtCall(kiln_lltype::RtFn::ListMove)));
        assert!((0..g.blocks.len() as u32).map(kiln_flowgraph::BlockId).any(moves), "{}: no shift at all", f.name);
        // A path from the start to the return block through no block that calls the move.
        let mut seen = vec![false; g.blocks.len()];
        let mut todo = vec![g.startblock];
        let mut reached = false;
        while let Some(b) = todo.pop() {
            if seen[b.0 as usize] || moves(b) {
                continue;
            }
            seen[b.0 as usize] = true;
            reached |= b == g.returnblock;
            todo.extend(g.block(b).exits.iter().map(|l| l.target));
        }
        assert!(reached, "{}: every path to the return calls kiln_list_move", f.name);
    }
}

/// `isinstance` against a class without subclasses compares the vtable pointer; against
/// a class with subclasses it checks the class id range. Both agree with CPython.
#[test]
fn isinstance_of_a_leaf_class_compares_the_vtable() {
    let src = "
class Base(object):
    pass
class Leaf(Base):
    pass
class Mid(Base):
    pass
class Sub(Mid):
    pass
def make(i):
    if i == 0:
        return Base()
    if i == 1:
        return Leaf()
    if i == 2:
        return Mid()
    return Sub()
def entry_point(argv):
    for i in range(4):
        x = make(i)
        print(isinstance(x, Leaf), isinstance(x, Mid), isinstance(x, Sub), isinstance(x, Base))
    return 0
";
    let (code, out, _) = run(src, &[]);
    assert_eq!(code, 0);
    assert_eq!(out, "False False False True\nTrue False False True\nFalse True False True\nFalse True True True\n");
    let ll = lower(src);
    let entry = ll.funcs.iter().find(|f| f.name.contains("entry_point")).expect("entry_point");
    let ptr_eqs = entry.graph.blocks.iter().flat_map(|b| &b.ops).filter(|o| matches!(o.op, kiln_lltype::LlOp::PtrEq)).count();
    // Leaf and Sub are leaves; Mid and Base have subclasses.
    assert_eq!(ptr_eqs, 2, "one vtable compare per leaf class test");
}
