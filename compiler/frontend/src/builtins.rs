//! What Kiln provides without an import (built-in functions, types and exception classes)
//! and the modules it provides by name: the `kiln` support package, its `rpython.rlib`
//! aliases, and the standard modules RPy programs use (`math`, `sys`, `os`, `time`,
//! `functools`, `operator`, `itertools`, `__future__`).
//!
//! The same names exist in the CPython support package `runtime/python/kiln`, so one
//! program runs under both. At import time these objects behave as in Python; at run time
//! the annotator and RTyper give each [`Builtin`] its meaning.

use std::sync::Arc;

use indexmap::IndexMap;
use kiln_diagnostics::Span;

use crate::native::{self, Native, NativeFn};
use crate::value::{Class, Heap, JitDriverInfo, Module, ObjId, Object, Value};

macro_rules! builtins {
    ( $( $variant:ident $name:literal ),* $(,)? ) => {
        /// A built-in function (or built-in callable that is not a type).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Builtin { $( $variant, )* }

        impl Builtin {
            /// The name as written in Python (`len`, `kiln.os.write`, ...).
            pub fn name(self) -> &'static str {
                match self { $( Builtin::$variant => $name, )* }
            }
        }
    };
}

builtins! {
    Len "len", Print "print", Range "range", Isinstance "isinstance", Issubclass "issubclass",
    Abs "abs", Min "min", Max "max", Sum "sum", Any "any", All "all", Ord "ord", Chr "chr",
    Hash "hash", Id "id", Repr "repr", Enumerate "enumerate", Zip "zip", Reversed "reversed",
    Sorted "sorted", Divmod "divmod", Hasattr "hasattr", Getattr "getattr", Setattr "setattr",
    Iter "iter", Next "next", Super "super", StaticMethod "staticmethod",
    ExcInit "BaseException.__init__",
    Intmask "kiln.rarith.intmask", Ovfcheck "kiln.rarith.ovfcheck",
    WeAreTranslated "kiln.objectmodel.we_are_translated",
    SpecializeArgtype "kiln.objectmodel.specialize.argtype",
    SpecializeArg "kiln.objectmodel.specialize.arg",
    SpecializeMemo "kiln.objectmodel.specialize.memo",
    UnrollingIterable "kiln.objectmodel.unrolling_iterable",
    ComputeHash "kiln.objectmodel.compute_hash",
    NotRpython "kiln.objectmodel.not_rpython",
    AlwaysInline "kiln.objectmodel.always_inline",
    Promote "kiln.jit.promote", PromoteString "kiln.jit.promote_string",
    Hint "kiln.jit.hint", Elidable "kiln.jit.elidable", UnrollSafe "kiln.jit.unroll_safe",
    DontLookInside "kiln.jit.dont_look_inside", LookInside "kiln.jit.look_inside",
    WeAreJitted "kiln.jit.we_are_jitted", SetParam "kiln.jit.set_param",
    IsConstant "kiln.jit.isconstant", IsVirtual "kiln.jit.isvirtual", AssertGreen "kiln.jit.assert_green",
    JitMergePoint "JitDriver.jit_merge_point", CanEnterJit "JitDriver.can_enter_jit",
    OsWrite "kiln.os.write", OsRead "kiln.os.read", OsOpen "kiln.os.open", OsClose "kiln.os.close",
    OsReadFile "kiln.os.read_file", OsReadBytes "os.read",
    OrderedDict "collections.OrderedDict",
    TimeTime "kiln.time.time", TimeClock "kiln.time.clock",
    RgcCollect "kiln.rgc.collect", RgcDisable "kiln.rgc.disable", RgcEnable "kiln.rgc.enable", RgcIsenabled "kiln.rgc.isenabled",
    Unbound "$unbound",
    MathSqrt "math.sqrt", MathFloor "math.floor", MathCeil "math.ceil", MathSin "math.sin",
    MathCos "math.cos", MathTan "math.tan", MathAtan2 "math.atan2", MathExp "math.exp",
    MathLog "math.log", MathPow "math.pow", MathFabs "math.fabs", MathIsnan "math.isnan",
    MathIsinf "math.isinf", MathFmod "math.fmod", MathCopysign "math.copysign",
}

/// A built-in type used as a callable and in `isinstance`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BuiltinType {
    Int,
    Float,
    Str,
    Bool,
    List,
    Dict,
    Tuple,
    RUint,
}

impl BuiltinType {
    pub fn name(self) -> &'static str {
        match self {
            BuiltinType::Int => "int",
            BuiltinType::Float => "float",
            BuiltinType::Str => "str",
            BuiltinType::Bool => "bool",
            BuiltinType::List => "list",
            BuiltinType::Dict => "dict",
            BuiltinType::Tuple => "tuple",
            BuiltinType::RUint => "r_uint",
        }
    }
}

/// The built-in exception hierarchy: (name, base). `object` is the root of everything.
pub const EXCEPTION_CLASSES: &[(&str, &str)] = &[
    ("BaseException", "object"),
    ("SystemExit", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("Exception", "BaseException"),
    ("ArithmeticError", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("LookupError", "Exception"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("ValueError", "Exception"),
    ("UnicodeError", "ValueError"),
    ("TypeError", "Exception"),
    ("AttributeError", "Exception"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("AssertionError", "Exception"),
    ("OSError", "Exception"),
    ("EOFError", "Exception"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("MemoryError", "Exception"),
    ("RuntimeError", "Exception"),
    ("RecursionError", "RuntimeError"),
    ("NotImplementedError", "RuntimeError"),
    ("StopIteration", "Exception"),
];

/// The classes Kiln provides, by name.
#[derive(Clone, Debug)]
pub struct BuiltinClasses {
    pub object: ObjId,
    pub by_name: IndexMap<&'static str, ObjId>,
}

impl BuiltinClasses {
    pub fn get(&self, name: &str) -> ObjId {
        *self.by_name.get(name).unwrap_or_else(|| panic!("no built-in class {name}"))
    }
}

/// Creates `object` and the built-in exception classes in `heap`.
pub fn install_classes(heap: &mut Heap) -> BuiltinClasses {
    let mut by_name: IndexMap<&'static str, ObjId> = IndexMap::new();
    let object = heap.alloc(Object::Class(Class {
        name: Arc::from("object"),
        qualname: "object".into(),
        module: None,
        bases: Vec::new(),
        mro: Vec::new(),
        dict: IndexMap::new(),
        builtin: true,
        metaclass: None,
        span: Span::DUMMY,
    }));
    if let Object::Class(c) = heap.get_mut(object) {
        c.mro = vec![object];
    }
    by_name.insert("object", object);
    for (name, base) in EXCEPTION_CLASSES {
        let base_id = by_name[base];
        let mut mro = vec![];
        if let Some(bc) = heap.class(base_id) {
            mro = bc.mro.clone();
        }
        let id = heap.alloc(Object::Class(Class {
            name: Arc::from(*name),
            qualname: name.to_string(),
            module: None,
            bases: vec![base_id],
            mro: Vec::new(),
            dict: IndexMap::new(),
            builtin: true,
            metaclass: None,
            span: Span::DUMMY,
        }));
        mro.insert(0, id);
        if let Object::Class(c) = heap.get_mut(id) {
            c.mro = mro;
        }
        by_name.insert(name, id);
    }
    // `type`, so that metaclasses can derive from it; calling it is handled by the
    // evaluator (`type(x)`, `type(name, bases, dict)`).
    let type_class = heap.alloc(Object::Class(Class {
        name: Arc::from("type"),
        qualname: "type".into(),
        module: None,
        bases: vec![object],
        mro: Vec::new(),
        dict: IndexMap::new(),
        builtin: true,
        metaclass: None,
        span: Span::DUMMY,
    }));
    let new = heap.alloc(Object::Native(Native::Func(NativeFn::TypeNew)));
    let init = heap.alloc(Object::Native(Native::Func(NativeFn::TypeInit)));
    if let Object::Class(c) = heap.get_mut(type_class) {
        c.mro = vec![type_class, object];
        c.dict.insert(Arc::from("__new__"), Value::Obj(new));
        c.dict.insert(Arc::from("__init__"), Value::Obj(init));
    }
    by_name.insert("type", type_class);
    BuiltinClasses { object, by_name }
}

/// The names visible in every module without an import.
pub fn builtin_namespace(heap: &mut Heap, classes: &BuiltinClasses) -> IndexMap<Arc<str>, Value> {
    let mut ns = IndexMap::new();
    for b in [
        Builtin::Len,
        Builtin::Print,
        Builtin::Range,
        Builtin::Isinstance,
        Builtin::Issubclass,
        Builtin::Abs,
        Builtin::Min,
        Builtin::Max,
        Builtin::Sum,
        Builtin::Any,
        Builtin::All,
        Builtin::Ord,
        Builtin::Chr,
        Builtin::Hash,
        Builtin::Id,
        Builtin::Repr,
        Builtin::Enumerate,
        Builtin::Zip,
        Builtin::Reversed,
        Builtin::Sorted,
        Builtin::Divmod,
        Builtin::Hasattr,
        Builtin::Getattr,
        Builtin::Setattr,
        Builtin::Iter,
        Builtin::Next,
        Builtin::Super,
        Builtin::StaticMethod,
        // Not a Python name: the flowspace's value of a local on paths where it is
        // unbound (see kiln_flowspace's `join`); no source can spell it.
        Builtin::Unbound,
    ] {
        let id = heap.alloc(Object::Builtin(b));
        ns.insert(Arc::from(b.name()), Value::Obj(id));
    }
    for t in [BuiltinType::Int, BuiltinType::Float, BuiltinType::Str, BuiltinType::Bool, BuiltinType::List, BuiltinType::Dict, BuiltinType::Tuple] {
        let id = heap.alloc(Object::BuiltinType(t));
        ns.insert(Arc::from(t.name()), Value::Obj(id));
    }
    for (name, id) in &classes.by_name {
        ns.insert(Arc::from(*name), Value::Obj(*id));
    }
    for (name, f) in [
        ("globals", NativeFn::Globals),
        ("vars", NativeFn::Vars),
        ("map", NativeFn::Map),
        ("filter", NativeFn::Filter),
        ("set", NativeFn::Set),
        ("frozenset", NativeFn::Frozenset),
        ("callable", NativeFn::Callable),
    ] {
        native::add_fn(heap, &mut ns, name, f);
    }
    ns.insert(Arc::from("IOError"), Value::Obj(classes.get("OSError")));
    ns
}

/// Names of the modules Kiln provides itself.
pub fn is_builtin_module(name: &str) -> bool {
    matches!(
        name,
        "kiln" | "kiln.rarith" | "kiln.objectmodel" | "kiln.jit" | "kiln.os" | "kiln.time" | "kiln.rgc" | "math" | "collections" | "sys" | "os" | "time" | "functools" | "operator" | "itertools" | "__future__" | "importlib" | "inspect" | "glob" | "rpython" | "rpython.rlib" | "rpython.translator" | "rpython.translator.driver" | "rpython.jit" | "rpython.jit.codewriter" | "rpython.jit.codewriter.policy"
    ) || rpython_alias(name).is_some()
}

/// RPython's library modules that Kiln provides: (Kiln module, the names it re-exports).
/// The same lists are in the CPython support package (`runtime/python/rpython/rlib`).
/// The modules written in RPy (`rarithmetic`, `rbigint`, ...) are not aliases: they are
/// in [`crate::library`].
pub fn rpython_alias(name: &str) -> Option<(&'static str, &'static [&'static str])> {
    Some(match name {
        "rpython.rlib.jit" => (
            "kiln.jit",
            &[
                "JitDriver", "assert_green", "dont_look_inside", "elidable", "elidable_promote", "hint", "isconstant", "isvirtual", "look_inside", "look_inside_iff",
                "loop_invariant", "oopspec", "promote", "promote_string", "purefunction", "set_param", "unroll_safe", "we_are_jitted",
            ],
        ),
        "rpython.rlib.objectmodel" => (
            "kiln.objectmodel",
            &[
                "always_inline", "compute_hash", "compute_identity_hash", "compute_unique_id", "enforceargs", "instantiate", "not_rpython", "specialize", "unrolling_iterable",
                "we_are_translated",
            ],
        ),
        "rpython.rlib.unroll" => ("kiln.objectmodel", &["unrolling_iterable"]),
        "rpython.rlib.debug" => ("kiln.objectmodel", &["make_sure_not_resized"]),
        "rpython.rlib.rgc" => ("kiln.rgc", &["collect", "disable", "enable", "isenabled"]),
        _ => return None,
    })
}

/// The version of Python whose semantics Kiln follows, as `sys.version_info`.
pub const PYTHON_VERSION: (i64, i64, i64) = (3, 11, 0);

fn builtin_fn(heap: &mut Heap, globals: &mut IndexMap<Arc<str>, Value>, short: &str, b: Builtin) {
    let id = heap.alloc(Object::Builtin(b));
    globals.insert(Arc::from(short), Value::Obj(id));
}

fn new_module(heap: &mut Heap, name: &str, globals: IndexMap<Arc<str>, Value>) -> ObjId {
    heap.alloc(Object::Module(Module { name: name.to_string(), file: None, globals, initialised: true }))
}

/// `sys.stdout` or `sys.stderr`: a namespace with `write` and `flush`.
fn stream(heap: &mut Heap, name: &str, fd: i64) -> Value {
    let os_write = heap.alloc(Object::Builtin(Builtin::OsWrite));
    let mut g: IndexMap<Arc<str>, Value> = IndexMap::new();
    let w = heap.alloc(Object::Native(Native::StreamWrite { fd, os_write }));
    g.insert(Arc::from("write"), Value::Obj(w));
    native::add_fn(heap, &mut g, "flush", NativeFn::StreamFlush);
    Value::Obj(new_module(heap, name, g))
}

/// Creates a module Kiln provides. Submodules of `kiln` are attached to the `kiln`
/// module by the importer; the `rpython.rlib` aliases are made by the importer from
/// the `kiln` modules (see [`rpython_alias`]).
pub fn make_module(heap: &mut Heap, classes: &BuiltinClasses, name: &str) -> Option<ObjId> {
    let mut g: IndexMap<Arc<str>, Value> = IndexMap::new();
    g.insert(Arc::from("__name__"), Value::str(name));
    match name {
        "kiln" | "rpython" | "rpython.rlib" | "rpython.translator" | "rpython.jit" | "rpython.jit.codewriter" => {}
        "rpython.jit.codewriter.policy" => crate::target::policy_module_globals(heap, classes, &mut g),
        "rpython.translator.driver" => crate::target::driver_module_globals(heap, classes, &mut g),
        "kiln.rarith" => {
            builtin_fn(heap, &mut g, "intmask", Builtin::Intmask);
            builtin_fn(heap, &mut g, "ovfcheck", Builtin::Ovfcheck);
            let t = heap.alloc(Object::BuiltinType(BuiltinType::RUint));
            g.insert(Arc::from("r_uint"), Value::Obj(t));
            let t = heap.alloc(Object::BuiltinType(BuiltinType::Int));
            g.insert(Arc::from("r_int"), Value::Obj(t));
            g.insert(Arc::from("LONG_BIT"), Value::Int(64));
            g.insert(Arc::from("maxint"), Value::Int(i64::MAX));
            let t = heap.alloc(Object::BuiltinType(BuiltinType::Int));
            g.insert(Arc::from("r_longlong"), Value::Obj(t));
            let t = heap.alloc(Object::BuiltinType(BuiltinType::RUint));
            g.insert(Arc::from("r_ulonglong"), Value::Obj(t));
            native::add_fn(heap, &mut g, "is_valid_int", NativeFn::IsValidInt);
            native::add_fn(heap, &mut g, "string_to_int", NativeFn::StringToInt);
        }
        "kiln.objectmodel" => {
            builtin_fn(heap, &mut g, "we_are_translated", Builtin::WeAreTranslated);
            builtin_fn(heap, &mut g, "unrolling_iterable", Builtin::UnrollingIterable);
            builtin_fn(heap, &mut g, "compute_hash", Builtin::ComputeHash);
            builtin_fn(heap, &mut g, "not_rpython", Builtin::NotRpython);
            builtin_fn(heap, &mut g, "always_inline", Builtin::AlwaysInline);
            builtin_fn(heap, &mut g, "compute_identity_hash", Builtin::ComputeHash);
            native::add_fn(heap, &mut g, "compute_unique_id", NativeFn::ComputeUniqueId);
            native::add_fn(heap, &mut g, "instantiate", NativeFn::Instantiate);
            native::add_fn(heap, &mut g, "make_sure_not_resized", NativeFn::MakeSureNotResized);
            native::add_fn(heap, &mut g, "enforceargs", NativeFn::Enforceargs);
            let mut sg: IndexMap<Arc<str>, Value> = IndexMap::new();
            builtin_fn(heap, &mut sg, "argtype", Builtin::SpecializeArgtype);
            builtin_fn(heap, &mut sg, "arg", Builtin::SpecializeArg);
            builtin_fn(heap, &mut sg, "memo", Builtin::SpecializeMemo);
            native::add_fn(heap, &mut sg, "call_location", NativeFn::SpecializeCallLocation);
            native::add_fn(heap, &mut sg, "arg_or_var", NativeFn::SpecializeArgOrVar);
            let spec = heap.alloc(Object::Module(Module { name: "kiln.objectmodel.specialize".into(), file: None, globals: sg, initialised: true }));
            g.insert(Arc::from("specialize"), Value::Obj(spec));
        }
        "kiln.jit" => {
            let driver = heap.alloc(Object::Class(Class {
                name: Arc::from(JITDRIVER_CLASS),
                qualname: JITDRIVER_CLASS.into(),
                module: None,
                bases: vec![classes.object],
                mro: Vec::new(),
                dict: IndexMap::new(),
                builtin: true,
                metaclass: None,
                span: Span::DUMMY,
            }));
            if let Object::Class(c) = heap.get_mut(driver) {
                c.mro = vec![driver, classes.object];
            }
            g.insert(Arc::from("JitDriver"), Value::Obj(driver));
            builtin_fn(heap, &mut g, "purefunction", Builtin::Elidable);
            for (n, f) in [
                ("elidable_promote", NativeFn::ElidablePromote),
                ("look_inside_iff", NativeFn::LookInsideIff),
                ("loop_invariant", NativeFn::LoopInvariant),
                ("oopspec", NativeFn::Oopspec),
            ] {
                native::add_fn(heap, &mut g, n, f);
            }
            builtin_fn(heap, &mut g, "promote", Builtin::Promote);
            builtin_fn(heap, &mut g, "promote_string", Builtin::PromoteString);
            builtin_fn(heap, &mut g, "hint", Builtin::Hint);
            builtin_fn(heap, &mut g, "elidable", Builtin::Elidable);
            builtin_fn(heap, &mut g, "unroll_safe", Builtin::UnrollSafe);
            builtin_fn(heap, &mut g, "dont_look_inside", Builtin::DontLookInside);
            builtin_fn(heap, &mut g, "look_inside", Builtin::LookInside);
            builtin_fn(heap, &mut g, "we_are_jitted", Builtin::WeAreJitted);
            builtin_fn(heap, &mut g, "isconstant", Builtin::IsConstant);
            builtin_fn(heap, &mut g, "isvirtual", Builtin::IsVirtual);
            builtin_fn(heap, &mut g, "assert_green", Builtin::AssertGreen);
            builtin_fn(heap, &mut g, "set_param", Builtin::SetParam);
        }
        "kiln.os" => {
            builtin_fn(heap, &mut g, "write", Builtin::OsWrite);
            builtin_fn(heap, &mut g, "read", Builtin::OsRead);
            builtin_fn(heap, &mut g, "open", Builtin::OsOpen);
            builtin_fn(heap, &mut g, "close", Builtin::OsClose);
            builtin_fn(heap, &mut g, "read_file", Builtin::OsReadFile);
            for (n, v) in [("O_RDONLY", 0), ("O_WRONLY", 1), ("O_RDWR", 2), ("O_CREAT", 0o100), ("O_TRUNC", 0o1000), ("O_APPEND", 0o2000)] {
                g.insert(Arc::from(n), Value::Int(v));
            }
        }
        "kiln.time" => {
            builtin_fn(heap, &mut g, "time", Builtin::TimeTime);
            builtin_fn(heap, &mut g, "clock", Builtin::TimeClock);
        }
        "kiln.rgc" => {
            builtin_fn(heap, &mut g, "collect", Builtin::RgcCollect);
            builtin_fn(heap, &mut g, "disable", Builtin::RgcDisable);
            builtin_fn(heap, &mut g, "enable", Builtin::RgcEnable);
            builtin_fn(heap, &mut g, "isenabled", Builtin::RgcIsenabled);
        }
        "math" => {
            for (n, b) in [
                ("sqrt", Builtin::MathSqrt),
                ("floor", Builtin::MathFloor),
                ("ceil", Builtin::MathCeil),
                ("sin", Builtin::MathSin),
                ("cos", Builtin::MathCos),
                ("tan", Builtin::MathTan),
                ("atan2", Builtin::MathAtan2),
                ("exp", Builtin::MathExp),
                ("log", Builtin::MathLog),
                ("pow", Builtin::MathPow),
                ("fabs", Builtin::MathFabs),
                ("isnan", Builtin::MathIsnan),
                ("isinf", Builtin::MathIsinf),
                ("fmod", Builtin::MathFmod),
                ("copysign", Builtin::MathCopysign),
            ] {
                builtin_fn(heap, &mut g, n, b);
            }
            g.insert(Arc::from("pi"), Value::Float(std::f64::consts::PI));
            g.insert(Arc::from("e"), Value::Float(std::f64::consts::E));
            g.insert(Arc::from("inf"), Value::Float(f64::INFINITY));
            g.insert(Arc::from("nan"), Value::Float(f64::NAN));
        }
        "time" => {
            builtin_fn(heap, &mut g, "time", Builtin::TimeTime);
            builtin_fn(heap, &mut g, "perf_counter", Builtin::TimeClock);
            builtin_fn(heap, &mut g, "monotonic", Builtin::TimeClock);
        }
        "sys" => {
            g.insert(Arc::from("maxsize"), Value::Int(i64::MAX));
            g.insert(Arc::from("maxunicode"), Value::Int(0x10FFFF));
            g.insert(Arc::from("platform"), Value::str("linux"));
            g.insert(Arc::from("byteorder"), Value::str("little"));
            let (major, minor, micro) = PYTHON_VERSION;
            let vi = heap.alloc(Object::Tuple(vec![Value::Int(major), Value::Int(minor), Value::Int(micro), Value::str("final"), Value::Int(0)]));
            g.insert(Arc::from("version_info"), Value::Obj(vi));
            let m = heap.alloc(Object::Native(Native::SysModules));
            g.insert(Arc::from("modules"), Value::Obj(m));
            let out = stream(heap, "sys.stdout", 1);
            g.insert(Arc::from("stdout"), out);
            let err = stream(heap, "sys.stderr", 2);
            g.insert(Arc::from("stderr"), err);
            native::add_fn(heap, &mut g, "setrecursionlimit", NativeFn::SetRecursionLimit);
            native::add_fn(heap, &mut g, "getrecursionlimit", NativeFn::GetRecursionLimit);
        }
        // `os` at run time has kiln.os's semantics (RPython's: file descriptors, str
        // data), except `os.read`, which returns bytes as CPython 3's does; `getenv` and
        // `environ` are read at import time.
        "os" => {
            builtin_fn(heap, &mut g, "write", Builtin::OsWrite);
            builtin_fn(heap, &mut g, "read", Builtin::OsReadBytes);
            builtin_fn(heap, &mut g, "open", Builtin::OsOpen);
            builtin_fn(heap, &mut g, "close", Builtin::OsClose);
            for (n, v) in [("O_RDONLY", 0), ("O_WRONLY", 1), ("O_RDWR", 2), ("O_CREAT", 0o100), ("O_TRUNC", 0o1000), ("O_APPEND", 0o2000)] {
                g.insert(Arc::from(n), Value::Int(v));
            }
            native::add_fn(heap, &mut g, "getenv", NativeFn::Getenv);
            let env = heap.alloc(Object::Native(Native::Environ));
            g.insert(Arc::from("environ"), Value::Obj(env));
            g.insert(Arc::from("sep"), Value::str("/"));
            g.insert(Arc::from("pathsep"), Value::str(":"));
            g.insert(Arc::from("linesep"), Value::str("\n"));
            g.insert(Arc::from("name"), Value::str("posix"));
        }
        // Import-time introspection (`introspect.rs`).
        "importlib" => native::add_fn(heap, &mut g, "import_module", NativeFn::ImportModule),
        // `OrderedDict()` at run time: a dict whose printing and `==` are diagnostics
        // (see `docs/language.md`, "Dicts").
        "collections" => builtin_fn(heap, &mut g, "OrderedDict", Builtin::OrderedDict),
        "inspect" => {
            native::add_fn(heap, &mut g, "getmembers", NativeFn::GetMembers);
            native::add_fn(heap, &mut g, "isclass", NativeFn::IsClass);
            native::add_fn(heap, &mut g, "isfunction", NativeFn::IsFunction);
            native::add_fn(heap, &mut g, "ismodule", NativeFn::IsModule);
        }
        "glob" => native::add_fn(heap, &mut g, "glob", NativeFn::Glob),
        "functools" => {
            native::add_fn(heap, &mut g, "reduce", NativeFn::Reduce);
            native::add_fn(heap, &mut g, "partial", NativeFn::Partial);
        }
        "operator" => {
            for (n, f) in native::OPERATOR_FUNCTIONS {
                native::add_fn(heap, &mut g, n, NativeFn::Operator(*f));
            }
            native::add_fn(heap, &mut g, "itemgetter", NativeFn::ItemGetter);
            native::add_fn(heap, &mut g, "attrgetter", NativeFn::AttrGetter);
            native::add_fn(heap, &mut g, "methodcaller", NativeFn::MethodCaller);
        }
        "itertools" => {
            for (n, f) in [
                ("count", NativeFn::Count),
                ("chain", NativeFn::Chain),
                ("product", NativeFn::Product),
                ("repeat", NativeFn::Repeat),
                ("islice", NativeFn::Islice),
                ("permutations", NativeFn::Permutations),
                ("combinations", NativeFn::Combinations),
                ("zip_longest", NativeFn::ZipLongest),
                ("accumulate", NativeFn::Accumulate),
                ("starmap", NativeFn::Starmap),
            ] {
                native::add_fn(heap, &mut g, n, f);
            }
        }
        // The features are all mandatory in Python 3; importing them changes nothing.
        "__future__" => {
            for n in ["absolute_import", "division", "print_function", "unicode_literals", "with_statement", "generators", "nested_scopes", "generator_stop", "annotations"] {
                g.insert(Arc::from(n), Value::Bool(true));
            }
        }
        _ => return None,
    }
    Some(new_module(heap, name, g))
}

/// The name of `kiln.jit.JitDriver`, a built-in class: instantiating it (or a subclass
/// declaring `greens`/`reds` as class attributes) makes a driver object.
pub const JITDRIVER_CLASS: &str = "JitDriver";

/// A fresh `JitDriver` description (filled by the evaluator from the call's keywords).
pub fn new_jitdriver(span: Span) -> JitDriverInfo {
    JitDriverInfo { name: "jitdriver".into(), named: false, greens: Vec::new(), reds: Vec::new(), reds_auto: false, virtualizables: Vec::new(), get_printable_location: None, callbacks: Vec::new(), is_recursive: false, span }
}
