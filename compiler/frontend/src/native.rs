//! Python objects and functions that RPy programs use while they are imported: sets,
//! `globals()`, `map`/`filter`, `functools`, `operator`, `itertools`, `sys.modules`,
//! `os.environ`, and the RPython helpers whose run-time meaning the flowspace gives
//! (`is_valid_int`, `string_to_int`, `isconstant`, ...).
//!
//! They are [`Object::Native`] values: the evaluator gives them Python's semantics at
//! import time; the flowspace rewrites the few that have a run-time meaning into
//! ordinary operations and rejects the others with a diagnostic (`E0322`), so the
//! annotator never sees them.

use std::sync::Arc;

use indexmap::IndexMap;
use kiln_diagnostics::{Diagnostic, Span};

use crate::eval::{unsupported, Evaluator, Exc, R};
use crate::ops::{self, BinOp, CmpOp};
use crate::value::*;

/// An import-time-only object.
#[derive(Clone, Debug)]
pub enum Native {
    Func(NativeFn),
    /// `globals()` of a module: a dict view of its namespace (writes go to the module).
    Globals(ObjId),
    /// `sys.modules`.
    SysModules,
    /// `os.environ`, read from the translator's environment.
    Environ,
    /// A `set` or `frozenset`, in insertion order.
    Set { items: IndexMap<HashKey, Value>, frozen: bool },
    /// `functools.partial(func, *args, **kwargs)`.
    Partial { func: Value, args: Vec<Value>, kwargs: Vec<(Arc<str>, Value)> },
    /// `operator.itemgetter(*items)`.
    ItemGetter(Vec<Value>),
    /// `operator.attrgetter(*names)`, each name split on dots.
    AttrGetter(Vec<Vec<Arc<str>>>),
    /// `operator.methodcaller(name, *args)`.
    MethodCaller { name: Arc<str>, args: Vec<Value> },
    /// `itertools.count(start, step)`: infinite, so only `next`, `zip`, `islice` and
    /// `for ... break` loops (through `zip`) consume it.
    Count { next: Value, step: Value },
    /// A decorator made by a decorator factory (`elidable_promote()`,
    /// `look_inside_iff(pred)`, `specialize.call_location()`, `enforceargs(...)`).
    Decorator(DecoratorKind),
    /// `sys.stdout.write` / `sys.stderr.write`: `os_write` is a `kiln.os.write` built-in,
    /// which the flowspace calls with `fd`.
    StreamWrite { fd: i64, os_write: ObjId },
}

/// What a decorator made by a factory does to the function it decorates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecoratorKind {
    /// Returns the function unchanged.
    Identity,
    /// Marks the function elidable, promoting the arguments given (`elidable_promote()`).
    ElidablePromote(Arc<str>),
    /// `look_inside_iff(predicate)`.
    LookInsideIff(Value),
    /// `specialize.call_location()`: one copy per combination of argument types.
    ArgTypesAll,
}

macro_rules! native_fns {
    ( $( $variant:ident $name:literal ),* $(,)? ) => {
        /// A function Kiln provides for import time (and, for a few, run time).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum NativeFn { $( $variant, )* Operator(OperatorFn) }

        impl NativeFn {
            pub fn name(self) -> &'static str {
                match self { $( NativeFn::$variant => $name, )* NativeFn::Operator(o) => o.name() }
            }
        }
    };
}

native_fns! {
    Globals "globals", Map "map", Filter "filter", Set "set", Frozenset "frozenset",
    Callable "callable", Vars "vars",
    Reduce "functools.reduce", Partial "functools.partial",
    ItemGetter "operator.itemgetter", AttrGetter "operator.attrgetter", MethodCaller "operator.methodcaller",
    Count "itertools.count", Chain "itertools.chain", ChainFromIterable "itertools.chain.from_iterable",
    Product "itertools.product", Repeat "itertools.repeat", Islice "itertools.islice",
    Permutations "itertools.permutations", Combinations "itertools.combinations",
    ZipLongest "itertools.zip_longest", Accumulate "itertools.accumulate", Starmap "itertools.starmap",
    Getenv "os.getenv", SetRecursionLimit "sys.setrecursionlimit", GetRecursionLimit "sys.getrecursionlimit",
    StreamFlush "flush",
    ElidablePromote "kiln.jit.elidable_promote", LookInsideIff "kiln.jit.look_inside_iff",
    LoopInvariant "kiln.jit.loop_invariant", Oopspec "kiln.jit.oopspec",
    IsValidInt "kiln.rarith.is_valid_int", StringToInt "kiln.rarith.string_to_int",
    ComputeUniqueId "kiln.objectmodel.compute_unique_id", Instantiate "kiln.objectmodel.instantiate",
    MakeSureNotResized "kiln.objectmodel.make_sure_not_resized",
    SpecializeCallLocation "kiln.objectmodel.specialize.call_location",
    SpecializeArgOrVar "kiln.objectmodel.specialize.arg_or_var",
    Enforceargs "kiln.objectmodel.enforceargs",
    TypeNew "type.__new__", TypeInit "type.__init__",
    ImportModule "importlib.import_module", GetMembers "inspect.getmembers", IsClass "inspect.isclass",
    IsFunction "inspect.isfunction", IsModule "inspect.ismodule", Glob "glob.glob",
    TranslationDriverInit "TranslationDriver.__init__",
}

/// The functions of the `operator` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperatorFn {
    Bin(BinOp),
    Cmp(CmpOp),
    Neg,
    Pos,
    Invert,
    Not,
    Truth,
    GetItem,
    Contains,
    Index,
}

/// `operator`'s function names and what each computes.
pub const OPERATOR_FUNCTIONS: &[(&str, OperatorFn)] = &[
    ("add", OperatorFn::Bin(BinOp::Add)),
    ("sub", OperatorFn::Bin(BinOp::Sub)),
    ("mul", OperatorFn::Bin(BinOp::Mul)),
    ("truediv", OperatorFn::Bin(BinOp::TrueDiv)),
    ("floordiv", OperatorFn::Bin(BinOp::FloorDiv)),
    ("mod", OperatorFn::Bin(BinOp::Mod)),
    ("pow", OperatorFn::Bin(BinOp::Pow)),
    ("lshift", OperatorFn::Bin(BinOp::LShift)),
    ("rshift", OperatorFn::Bin(BinOp::RShift)),
    ("and_", OperatorFn::Bin(BinOp::BitAnd)),
    ("or_", OperatorFn::Bin(BinOp::BitOr)),
    ("xor", OperatorFn::Bin(BinOp::BitXor)),
    ("concat", OperatorFn::Bin(BinOp::Add)),
    ("eq", OperatorFn::Cmp(CmpOp::Eq)),
    ("ne", OperatorFn::Cmp(CmpOp::Ne)),
    ("lt", OperatorFn::Cmp(CmpOp::Lt)),
    ("le", OperatorFn::Cmp(CmpOp::Le)),
    ("gt", OperatorFn::Cmp(CmpOp::Gt)),
    ("ge", OperatorFn::Cmp(CmpOp::Ge)),
    ("is_", OperatorFn::Cmp(CmpOp::Is)),
    ("is_not", OperatorFn::Cmp(CmpOp::IsNot)),
    ("neg", OperatorFn::Neg),
    ("pos", OperatorFn::Pos),
    ("invert", OperatorFn::Invert),
    ("inv", OperatorFn::Invert),
    ("not_", OperatorFn::Not),
    ("truth", OperatorFn::Truth),
    ("getitem", OperatorFn::GetItem),
    ("contains", OperatorFn::Contains),
    ("index", OperatorFn::Index),
];

impl OperatorFn {
    pub fn name(self) -> &'static str {
        OPERATOR_FUNCTIONS.iter().find(|(_, f)| *f == self).map_or("operator", |(n, _)| n)
    }
}

impl Native {
    pub fn describe(&self) -> String {
        match self {
            Native::Func(f) => format!("built-in function '{}'", f.name()),
            Native::Globals(_) => "globals() dict".into(),
            Native::SysModules => "sys.modules".into(),
            Native::Environ => "os.environ".into(),
            Native::Set { frozen: false, .. } => "set".into(),
            Native::Set { frozen: true, .. } => "frozenset".into(),
            Native::Partial { .. } => "functools.partial object".into(),
            Native::ItemGetter(_) => "operator.itemgetter object".into(),
            Native::AttrGetter(_) => "operator.attrgetter object".into(),
            Native::MethodCaller { .. } => "operator.methodcaller object".into(),
            Native::Count { .. } => "itertools.count object".into(),
            Native::Decorator(_) => "decorator".into(),
            Native::StreamWrite { fd, .. } => format!("built-in method 'write' of {}", if *fd == 2 { "sys.stderr" } else { "sys.stdout" }),
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Native::Func(_) | Native::StreamWrite { .. } => "builtin_function_or_method",
            Native::Globals(_) | Native::SysModules => "dict",
            Native::Environ => "_Environ",
            Native::Set { frozen: false, .. } => "set",
            Native::Set { frozen: true, .. } => "frozenset",
            Native::Partial { .. } => "functools.partial",
            Native::ItemGetter(_) => "operator.itemgetter",
            Native::AttrGetter(_) => "operator.attrgetter",
            Native::MethodCaller { .. } => "operator.methodcaller",
            Native::Count { .. } => "itertools.count",
            Native::Decorator(_) => "function",
        }
    }
}

/// Adds `name = NativeFn` to a module namespace.
pub fn add_fn(heap: &mut Heap, g: &mut IndexMap<Arc<str>, Value>, name: &str, f: NativeFn) {
    let id = heap.alloc(Object::Native(Native::Func(f)));
    g.insert(Arc::from(name), Value::Obj(id));
}

/// The items of a set as a fresh set object.
fn new_set(heap: &mut Heap, items: IndexMap<HashKey, Value>, frozen: bool) -> Value {
    Value::Obj(heap.alloc(Object::Native(Native::Set { items, frozen })))
}

/// The set held by `v`, if it is one.
pub fn as_set<'h>(heap: &'h Heap, v: &Value) -> Option<&'h IndexMap<HashKey, Value>> {
    match v {
        Value::Obj(o) => match heap.get(*o) {
            Object::Native(Native::Set { items, .. }) => Some(items),
            _ => None,
        },
        _ => None,
    }
}

/// `a OP b` on two sets (`| & - ^`), or None when the operands are not both sets.
pub fn set_binop(heap: &mut Heap, op: BinOp, a: &Value, b: &Value) -> Option<Value> {
    let (x, y) = (as_set(heap, a)?.clone(), as_set(heap, b)?.clone());
    let frozen = matches!(a, Value::Obj(o) if matches!(heap.get(*o), Object::Native(Native::Set { frozen: true, .. })));
    let items: IndexMap<HashKey, Value> = match op {
        BinOp::BitOr => x.into_iter().chain(y).collect(),
        BinOp::BitAnd => x.into_iter().filter(|(k, _)| y.contains_key(k)).collect(),
        BinOp::Sub => x.into_iter().filter(|(k, _)| !y.contains_key(k)).collect(),
        BinOp::BitXor => {
            let mut out: IndexMap<HashKey, Value> = x.iter().filter(|(k, _)| !y.contains_key(*k)).map(|(k, v)| (k.clone(), v.clone())).collect();
            out.extend(y.into_iter().filter(|(k, _)| !x.contains_key(k)));
            out
        }
        _ => return None,
    };
    Some(new_set(heap, items, frozen))
}

fn int_arg(v: Option<&Value>) -> Option<i64> {
    match v {
        Some(Value::Int(i)) => Some(*i),
        Some(Value::Bool(b)) => Some(*b as i64),
        _ => None,
    }
}

/// All k-permutations (or, with `combinations`, k-combinations) of `n` indices, in
/// itertools' order.
fn index_tuples(n: usize, k: usize, combinations: bool) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    fn rec(n: usize, k: usize, comb: bool, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        let start = if comb { cur.last().map_or(0, |l| l + 1) } else { 0 };
        for i in start..n {
            if !comb && cur.contains(&i) {
                continue;
            }
            cur.push(i);
            rec(n, k, comb, cur, out);
            cur.pop();
        }
    }
    if k <= n {
        rec(n, k, combinations, &mut cur, &mut out);
    }
    out
}

impl<'l> Evaluator<'l> {
    fn tuple(&mut self, items: Vec<Value>) -> Value {
        Value::Obj(self.p.heap.alloc(Object::Tuple(items)))
    }

    fn iterator(&mut self, items: Vec<Value>) -> Value {
        Value::Obj(self.p.heap.alloc(Object::Iterator(items.into())))
    }

    fn set_items(&mut self, it: Option<&Value>, span: Span) -> R<IndexMap<HashKey, Value>> {
        let mut items = IndexMap::new();
        if let Some(v) = it {
            for x in self.iterate(v, span)? {
                let k = ops::hash_key(&self.p.heap, &x).map_err(|e| self.py(e, span))?;
                items.entry(k).or_insert(x);
            }
        }
        Ok(items)
    }

    /// Items of an iterable that may be an infinite `itertools.count`, up to `limit`.
    fn take(&mut self, v: &Value, limit: Option<usize>, span: Span) -> R<Vec<Value>> {
        if let Value::Obj(o) = v {
            if let Object::Native(Native::Count { next, step }) = self.p.heap.get(*o).clone() {
                let Some(n) = limit else {
                    return Err(unsupported(span, "iterating over itertools.count() without a bound (use zip or islice)"));
                };
                let mut out = Vec::with_capacity(n);
                let mut cur = next;
                for _ in 0..n {
                    out.push(cur.clone());
                    cur = ops::binary_op(&mut self.p.heap, BinOp::Add, &cur, &step).map_err(|e| self.py(e, span))?;
                }
                if let Object::Native(Native::Count { next, .. }) = self.p.heap.get_mut(*o) {
                    *next = cur;
                }
                return Ok(out);
            }
        }
        let mut items = self.iterate(v, span)?;
        if let Some(n) = limit {
            items.truncate(n);
        }
        Ok(items)
    }

    fn is_count(&self, v: &Value) -> bool {
        matches!(v, Value::Obj(o) if matches!(self.p.heap.get(*o), Object::Native(Native::Count { .. })))
    }

    /// `zip(*iterables)`, where some may be infinite counters.
    pub(crate) fn zip_values(&mut self, args: &[Value], span: Span) -> R<Value> {
        let mut lists: Vec<Option<Vec<Value>>> = Vec::new();
        for a in args {
            lists.push(if self.is_count(a) { None } else { Some(self.iterate(a, span)?) });
        }
        let Some(n) = lists.iter().flatten().map(|l| l.len()).min() else {
            return Err(unsupported(span, "zip() of infinite iterators only"));
        };
        let mut cols = Vec::new();
        for (a, l) in args.iter().zip(lists) {
            cols.push(match l {
                Some(l) => l,
                None => self.take(a, Some(n), span)?,
            });
        }
        let out = (0..n).map(|i| cols.iter().map(|c| c[i].clone()).collect::<Vec<_>>()).collect::<Vec<_>>();
        let out = out.into_iter().map(|t| self.tuple(t)).collect();
        Ok(self.iterator(out))
    }

    /// `next(count)`.
    pub(crate) fn native_next(&mut self, o: ObjId, span: Span) -> Option<R<Value>> {
        if !matches!(self.p.heap.get(o), Object::Native(Native::Count { .. })) {
            return None;
        }
        Some(self.take(&Value::Obj(o), Some(1), span).map(|mut v| v.remove(0)))
    }

    fn decorate(&mut self, kind: DecoratorKind, args: &[Value], span: Span) -> R<Value> {
        let [f] = args else { return Err(self.raise("TypeError", "a decorator takes one function", span)) };
        if let Value::Obj(fo) = f {
            if let Object::Function(func) = self.p.heap.get_mut(*fo) {
                match kind {
                    DecoratorKind::Identity => {}
                    DecoratorKind::ElidablePromote(a) => {
                        func.hints.elidable = true;
                        func.hints.promote_args = Some(a);
                    }
                    DecoratorKind::LookInsideIff(pred) => func.hints.look_inside_iff = Some(pred),
                    DecoratorKind::ArgTypesAll => {
                        let n = func.params.positional.len();
                        if n > 0 {
                            func.specialize = Some(Specialization::ArgType((0..n).collect()));
                        }
                    }
                }
                return Ok(f.clone());
            }
        }
        Ok(f.clone())
    }

    fn decorator(&mut self, kind: DecoratorKind) -> Value {
        Value::Obj(self.p.heap.alloc(Object::Native(Native::Decorator(kind))))
    }

    /// Calls a native object (function, partial, getter, decorator).
    pub(crate) fn call_native(&mut self, n: Native, args: Vec<Value>, kwargs: Vec<(Arc<str>, Value)>, span: Span) -> R<Value> {
        match n {
            Native::Func(f) => self.call_native_fn(f, args, kwargs, span),
            Native::Partial { func, args: pre, kwargs: prekw } => {
                let mut a = pre;
                a.extend(args);
                let mut kw = prekw;
                for (k, v) in kwargs {
                    kw.retain(|(x, _)| *x != k);
                    kw.push((k, v));
                }
                self.call(func, a, kw, span)
            }
            Native::ItemGetter(items) => {
                let [obj] = args.as_slice() else { return Err(self.raise("TypeError", "itemgetter expected 1 argument", span)) };
                let mut out = Vec::new();
                for i in &items {
                    out.push(self.getitem_value(obj, i, span)?);
                }
                Ok(if out.len() == 1 { out.remove(0) } else { self.tuple(out) })
            }
            Native::AttrGetter(paths) => {
                let [obj] = args.as_slice() else { return Err(self.raise("TypeError", "attrgetter expected 1 argument", span)) };
                let mut out = Vec::new();
                for path in &paths {
                    let mut v = obj.clone();
                    for name in path {
                        v = self.getattr(&v, name, span)?;
                    }
                    out.push(v);
                }
                Ok(if out.len() == 1 { out.remove(0) } else { self.tuple(out) })
            }
            Native::MethodCaller { name, args: margs } => {
                let [obj] = args.as_slice() else { return Err(self.raise("TypeError", "methodcaller expected 1 argument", span)) };
                let m = self.getattr(obj, &name, span)?;
                self.call_value_method(m, margs, span)
            }
            Native::Decorator(kind) => self.decorate(kind, &args, span),
            Native::StreamWrite { fd, .. } => {
                let [Value::Str(s)] = args.as_slice() else { return Err(self.raise("TypeError", "write() argument must be str", span)) };
                use std::io::Write;
                // Import-time output goes where `print` at import time goes: the
                // translator's own streams.
                if fd == 2 {
                    let _ = std::io::stdout().flush();
                    eprint!("{s}");
                } else {
                    print!("{s}");
                }
                Ok(Value::Int(ops::str_len(s)))
            }
            other => {
                let d = other.describe();
                Err(self.raise("TypeError", format!("'{d}' object is not callable"), span))
            }
        }
    }

    /// Calls the result of a getattr, which may be a method of a built-in value.
    fn call_value_method(&mut self, m: Value, args: Vec<Value>, span: Span) -> R<Value> {
        if let Value::Obj(bm) = &m {
            if let Object::BuiltinMethod { receiver, name } = self.p.heap.get(*bm).clone() {
                return crate::methods::call_method(self, &receiver, &name, args, span);
            }
        }
        self.call(m, args, Vec::new(), span)
    }

    /// `obj[key]` with the evaluator's semantics (natives included).
    pub(crate) fn getitem_value(&mut self, obj: &Value, key: &Value, span: Span) -> R<Value> {
        if let Some(r) = self.native_getitem(obj, key, span) {
            return r;
        }
        ops::getitem(&self.p.heap, obj, key).map_err(|e| self.py(e, span))
    }

    fn call_native_fn(&mut self, f: NativeFn, args: Vec<Value>, kwargs: Vec<(Arc<str>, Value)>, span: Span) -> R<Value> {
        if matches!(f, NativeFn::ImportModule | NativeFn::GetMembers | NativeFn::IsClass | NativeFn::IsFunction | NativeFn::IsModule | NativeFn::Glob) {
            return self.call_introspection(f, args, kwargs, span);
        }
        if f == NativeFn::TranslationDriverInit {
            return self.translation_driver_init(&args, span);
        }
        if !kwargs.is_empty() && !matches!(f, NativeFn::Partial | NativeFn::Enforceargs | NativeFn::ZipLongest | NativeFn::Accumulate | NativeFn::Product | NativeFn::Getenv | NativeFn::ElidablePromote) {
            return Err(self.raise("TypeError", format!("{}() takes no keyword arguments", f.name()), span));
        }
        let kw = |name: &str| kwargs.iter().find(|(k, _)| &**k == name).map(|(_, v)| v.clone());
        let arg = |i: usize| args.get(i).cloned();
        match f {
            NativeFn::TypeNew => self.type_new(&args, span),
            NativeFn::TypeInit => Ok(Value::None),
            NativeFn::Globals => Err(self.raise("RuntimeError", "globals() is evaluated where it is called", span)),
            NativeFn::Vars => Err(self.raise("RuntimeError", "vars() is evaluated where it is called", span)),
            NativeFn::Map => {
                let Some(func) = arg(0) else { return Err(self.raise("TypeError", "map() must have at least two arguments.", span)) };
                let z = self.zip_values(&args[1..], span)?;
                let rows = self.iterate(&z, span)?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let a = self.iterate(&row, span)?;
                    out.push(self.call(func.clone(), a, Vec::new(), span)?);
                }
                Ok(self.iterator(out))
            }
            NativeFn::Filter => {
                let (Some(func), Some(it)) = (arg(0), arg(1)) else { return Err(self.raise("TypeError", "filter expected 2 arguments", span)) };
                let items = self.iterate(&it, span)?;
                let mut out = Vec::new();
                for x in items {
                    let keep = if func == Value::None { x.clone() } else { self.call(func.clone(), vec![x.clone()], Vec::new(), span)? };
                    if ops::truth(&self.p.heap, &keep) {
                        out.push(x);
                    }
                }
                Ok(self.iterator(out))
            }
            NativeFn::Set | NativeFn::Frozenset => {
                let items = self.set_items(args.first(), span)?;
                Ok(new_set(&mut self.p.heap, items, f == NativeFn::Frozenset))
            }
            NativeFn::Callable => {
                let [v] = args.as_slice() else { return Err(self.raise("TypeError", "callable() takes exactly one argument", span)) };
                let c = match v {
                    Value::Obj(o) => match self.p.heap.get(*o) {
                        Object::Function(_) | Object::Class(_) | Object::Builtin(_) | Object::BuiltinType(_) | Object::BoundMethod { .. } | Object::BuiltinMethod { .. } | Object::StaticMethod(_) | Object::Specializer(_) => true,
                        Object::Instance(i) => self.p.heap.class_lookup(i.class, "__call__").is_some(),
                        Object::Native(n) => !matches!(n, Native::Globals(_) | Native::SysModules | Native::Environ | Native::Set { .. } | Native::Count { .. }),
                        _ => false,
                    },
                    _ => false,
                };
                Ok(Value::Bool(c))
            }
            NativeFn::Reduce => {
                let (Some(func), Some(it)) = (arg(0), arg(1)) else { return Err(self.raise("TypeError", "reduce expected at least 2 arguments", span)) };
                let mut items = self.iterate(&it, span)?.into_iter();
                let mut acc = match arg(2) {
                    Some(init) => init,
                    None => match items.next() {
                        Some(x) => x,
                        None => return Err(self.raise("TypeError", "reduce() of empty iterable with no initial value", span)),
                    },
                };
                for x in items {
                    acc = self.call(func.clone(), vec![acc, x], Vec::new(), span)?;
                }
                Ok(acc)
            }
            NativeFn::Partial => {
                let Some(func) = arg(0) else { return Err(self.raise("TypeError", "partial() takes at least one argument", span)) };
                Ok(Value::Obj(self.p.heap.alloc(Object::Native(Native::Partial { func, args: args[1..].to_vec(), kwargs }))))
            }
            NativeFn::ItemGetter => Ok(Value::Obj(self.p.heap.alloc(Object::Native(Native::ItemGetter(args))))),
            NativeFn::AttrGetter => {
                let mut paths = Vec::new();
                for a in &args {
                    let Value::Str(s) = a else { return Err(self.raise("TypeError", "attribute name must be a string", span)) };
                    paths.push(s.split('.').map(Arc::from).collect());
                }
                Ok(Value::Obj(self.p.heap.alloc(Object::Native(Native::AttrGetter(paths)))))
            }
            NativeFn::MethodCaller => {
                let Some(Value::Str(name)) = arg(0) else { return Err(self.raise("TypeError", "method name must be a string", span)) };
                Ok(Value::Obj(self.p.heap.alloc(Object::Native(Native::MethodCaller { name, args: args[1..].to_vec() }))))
            }
            NativeFn::Operator(op) => self.call_operator(op, &args, span),
            NativeFn::Count => {
                let next = arg(0).unwrap_or(Value::Int(0));
                let step = arg(1).unwrap_or(Value::Int(1));
                Ok(Value::Obj(self.p.heap.alloc(Object::Native(Native::Count { next, step }))))
            }
            NativeFn::Chain => {
                let mut out = Vec::new();
                for a in &args {
                    out.extend(self.iterate(a, span)?);
                }
                Ok(self.iterator(out))
            }
            NativeFn::ChainFromIterable => {
                let Some(it) = arg(0) else { return Err(self.raise("TypeError", "from_iterable() takes one argument", span)) };
                let mut out = Vec::new();
                for a in self.iterate(&it, span)? {
                    out.extend(self.iterate(&a, span)?);
                }
                Ok(self.iterator(out))
            }
            NativeFn::Product => {
                let repeat = match kw("repeat") {
                    Some(Value::Int(r)) if r >= 0 => r as usize,
                    None => 1,
                    _ => return Err(self.raise("TypeError", "product() repeat must be a non-negative int", span)),
                };
                let mut pools = Vec::new();
                for a in &args {
                    pools.push(self.iterate(a, span)?);
                }
                let pools: Vec<Vec<Value>> = (0..repeat).flat_map(|_| pools.clone()).collect();
                let mut rows: Vec<Vec<Value>> = vec![Vec::new()];
                for pool in &pools {
                    let mut next = Vec::new();
                    for r in &rows {
                        for x in pool {
                            let mut r2 = r.clone();
                            r2.push(x.clone());
                            next.push(r2);
                        }
                    }
                    rows = next;
                    self.tick(span)?;
                }
                let out = rows.into_iter().map(|r| self.tuple(r)).collect();
                Ok(self.iterator(out))
            }
            NativeFn::Repeat => {
                let Some(x) = arg(0) else { return Err(self.raise("TypeError", "repeat() takes an object", span)) };
                let Some(n) = int_arg(args.get(1)) else { return Err(unsupported(span, "itertools.repeat() without a count")) };
                Ok(self.iterator(vec![x; n.max(0) as usize]))
            }
            NativeFn::Islice => {
                let Some(it) = arg(0) else { return Err(self.raise("TypeError", "islice() takes an iterable", span)) };
                let (start, stop, step) = match &args[1..] {
                    [stop] => (0, int_arg(Some(stop)), 1),
                    [start, stop] => (int_arg(Some(start)).unwrap_or(0), int_arg(Some(stop)), 1),
                    [start, stop, step] => (int_arg(Some(start)).unwrap_or(0), int_arg(Some(stop)), int_arg(Some(step)).unwrap_or(1)),
                    _ => return Err(self.raise("TypeError", "islice() takes 2 to 4 arguments", span)),
                };
                if start < 0 || step <= 0 || stop.is_some_and(|s| s < 0) {
                    return Err(self.raise("ValueError", "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.", span));
                }
                let items = self.take(&it, stop.map(|s| s as usize), span)?;
                let out = items.into_iter().skip(start as usize).step_by(step as usize).collect();
                Ok(self.iterator(out))
            }
            NativeFn::Permutations | NativeFn::Combinations => {
                let Some(it) = arg(0) else { return Err(self.raise("TypeError", format!("{}() takes an iterable", f.name()), span)) };
                let pool = self.iterate(&it, span)?;
                let k = match int_arg(args.get(1)) {
                    Some(k) if k >= 0 => k as usize,
                    None if f == NativeFn::Permutations => pool.len(),
                    _ => return Err(self.raise("TypeError", format!("{}() needs r >= 0", f.name()), span)),
                };
                let idx = index_tuples(pool.len(), k, f == NativeFn::Combinations);
                if idx.len() > 1_000_000 {
                    return Err(Exc::Diag(Diagnostic::error("E0103", "too many permutations to build at import time").with_primary(span, "here")));
                }
                let out = idx.into_iter().map(|t| {
                    let items = t.into_iter().map(|i| pool[i].clone()).collect();
                    self.tuple(items)
                });
                let out: Vec<Value> = out.collect();
                Ok(self.iterator(out))
            }
            NativeFn::ZipLongest => {
                let fill = kw("fillvalue").unwrap_or(Value::None);
                let mut lists = Vec::new();
                for a in &args {
                    lists.push(self.iterate(a, span)?);
                }
                let n = lists.iter().map(|l| l.len()).max().unwrap_or(0);
                let rows: Vec<Vec<Value>> = (0..n).map(|i| lists.iter().map(|l| l.get(i).cloned().unwrap_or_else(|| fill.clone())).collect()).collect();
                let out = rows.into_iter().map(|r| self.tuple(r)).collect();
                Ok(self.iterator(out))
            }
            NativeFn::Accumulate => {
                let Some(it) = arg(0) else { return Err(self.raise("TypeError", "accumulate() takes an iterable", span)) };
                let func = arg(1).or_else(|| kw("func")).filter(|f| *f != Value::None);
                let mut out = Vec::new();
                let mut acc = kw("initial").filter(|v| *v != Value::None);
                if let Some(a) = &acc {
                    out.push(a.clone());
                }
                for x in self.iterate(&it, span)? {
                    let next = match acc.take() {
                        None => x,
                        Some(a) => match &func {
                            Some(f) => self.call(f.clone(), vec![a, x], Vec::new(), span)?,
                            None => ops::binary_op(&mut self.p.heap, BinOp::Add, &a, &x).map_err(|e| self.py(e, span))?,
                        },
                    };
                    out.push(next.clone());
                    acc = Some(next);
                }
                Ok(self.iterator(out))
            }
            NativeFn::Starmap => {
                let (Some(func), Some(it)) = (arg(0), arg(1)) else { return Err(self.raise("TypeError", "starmap expected 2 arguments", span)) };
                let mut out = Vec::new();
                for row in self.iterate(&it, span)? {
                    let a = self.iterate(&row, span)?;
                    out.push(self.call(func.clone(), a, Vec::new(), span)?);
                }
                Ok(self.iterator(out))
            }
            NativeFn::Getenv => {
                let Some(Value::Str(name)) = arg(0).or_else(|| kw("key")) else { return Err(self.raise("TypeError", "getenv() takes a variable name", span)) };
                let default = arg(1).or_else(|| kw("default")).unwrap_or(Value::None);
                Ok(std::env::var(&*name).map(|v| Value::str(&v)).unwrap_or(default))
            }
            NativeFn::SetRecursionLimit => Ok(Value::None),
            NativeFn::GetRecursionLimit => Ok(Value::Int(1000)),
            NativeFn::StreamFlush => Ok(Value::None),
            NativeFn::ElidablePromote => {
                let a = match arg(0).or_else(|| kw("promote_args")) {
                    None => Arc::from("all"),
                    Some(Value::Str(s)) => s,
                    Some(_) => return Err(self.raise("TypeError", "elidable_promote() takes a string: 'all' or comma-separated argument positions", span)),
                };
                Ok(self.decorator(DecoratorKind::ElidablePromote(a)))
            }
            NativeFn::LookInsideIff => match arg(0) {
                Some(p @ Value::Obj(_)) => Ok(self.decorator(DecoratorKind::LookInsideIff(p))),
                _ => Err(self.raise("TypeError", "look_inside_iff() takes a predicate function", span)),
            },
            NativeFn::Oopspec | NativeFn::Enforceargs => Ok(self.decorator(DecoratorKind::Identity)),
            NativeFn::SpecializeCallLocation => Ok(self.decorator(DecoratorKind::ArgTypesAll)),
            NativeFn::SpecializeArgOrVar => {
                let idx: Vec<usize> = args.iter().filter_map(|a| int_arg(Some(a)).filter(|i| *i >= 0).map(|i| i as usize)).collect();
                if idx.len() != args.len() || idx.is_empty() {
                    return Err(self.raise("TypeError", "specialize.arg_or_var() takes argument positions (ints)", span));
                }
                Ok(Value::Obj(self.p.heap.alloc(Object::Specializer(Specialization::ArgType(idx)))))
            }
            NativeFn::LoopInvariant => self.set_hint(&args, span, |h| h.loop_invariant = true),
            NativeFn::MakeSureNotResized => Ok(arg(0).unwrap_or(Value::None)),
            NativeFn::IsValidInt => Ok(Value::Bool(matches!(arg(0), Some(Value::Int(_) | Value::UInt(_) | Value::Bool(_))))),
            NativeFn::StringToInt => {
                let int_t = Value::Obj(self.p.heap.alloc(Object::BuiltinType(crate::BuiltinType::Int)));
                self.call(int_t, args, Vec::new(), span)
            }
            NativeFn::ComputeUniqueId => Ok(Value::Int(match arg(0) {
                Some(Value::Obj(o)) => o.0 as i64,
                _ => 0,
            })),
            NativeFn::Instantiate => {
                let Some(Value::Obj(c)) = arg(0) else { return Err(self.raise("TypeError", "instantiate() takes a class", span)) };
                if self.p.heap.class(c).is_none() {
                    return Err(self.raise("TypeError", "instantiate() takes a class", span));
                }
                let base_exc = self.p.classes.get("BaseException");
                let mut attrs = IndexMap::new();
                if self.p.heap.is_subclass(c, base_exc) {
                    attrs.insert(Arc::from("message"), Value::None);
                }
                Ok(Value::Obj(self.p.heap.alloc(Object::Instance(Instance { class: c, attrs }))))
            }
            NativeFn::ImportModule | NativeFn::GetMembers | NativeFn::IsClass | NativeFn::IsFunction | NativeFn::IsModule | NativeFn::Glob | NativeFn::TranslationDriverInit => {
                unreachable!("dispatched at the top of call_native_fn")
            }
        }
    }

    fn call_operator(&mut self, op: OperatorFn, args: &[Value], span: Span) -> R<Value> {
        let heap_err = |s: &mut Self, e: ops::PyErr| s.py(e, span);
        match (op, args) {
            (OperatorFn::Bin(b), [x, y]) => {
                if let Some(v) = set_binop(&mut self.p.heap, b, x, y) {
                    return Ok(v);
                }
                ops::binary_op(&mut self.p.heap, b, x, y).map_err(|e| heap_err(self, e))
            }
            (OperatorFn::Cmp(c), [x, y]) => self.compare_values(c, x, y, span).map(Value::Bool),
            (OperatorFn::Neg, [x]) => ops::unary_neg(x).map_err(|e| heap_err(self, e)),
            (OperatorFn::Pos, [x]) => Ok(x.clone()),
            (OperatorFn::Invert, [x]) => ops::unary_invert(x).map_err(|e| heap_err(self, e)),
            (OperatorFn::Not, [x]) => Ok(Value::Bool(!ops::truth(&self.p.heap, x))),
            (OperatorFn::Truth, [x]) => Ok(Value::Bool(ops::truth(&self.p.heap, x))),
            (OperatorFn::GetItem, [x, y]) => self.getitem_value(x, y, span),
            (OperatorFn::Contains, [x, y]) => self.compare_values(CmpOp::In, y, x, span).map(Value::Bool),
            (OperatorFn::Index, [x]) => match x {
                Value::Int(_) => Ok(x.clone()),
                Value::Bool(b) => Ok(Value::Int(*b as i64)),
                _ => Err(self.raise("TypeError", "an integer is required", span)),
            },
            _ => Err(self.raise("TypeError", format!("operator.{}() got the wrong number of arguments", op.name()), span)),
        }
    }

    /// `a CMP b` with the evaluator's semantics (natives included).
    pub(crate) fn compare_values(&mut self, op: CmpOp, a: &Value, b: &Value, span: Span) -> R<bool> {
        if matches!(op, CmpOp::In | CmpOp::NotIn) {
            if let Some(r) = self.native_contains(b, a, span) {
                return r.map(|found| found == (op == CmpOp::In));
            }
        }
        ops::compare(&self.p.heap, op, a, b).map_err(|e| self.py(e, span))
    }

    fn modules_dict(&mut self) -> Vec<(Value, Value)> {
        self.p.modules.iter().map(|(k, v)| (Value::str(k), Value::Obj(*v))).collect()
    }

    /// `container[key]` for `sys.modules`, `os.environ` and `globals()`.
    pub(crate) fn native_getitem(&mut self, obj: &Value, key: &Value, span: Span) -> Option<R<Value>> {
        let Value::Obj(o) = obj else { return None };
        let Object::Native(n) = self.p.heap.get(*o) else { return None };
        let found = match (n.clone(), key) {
            (Native::SysModules, Value::Str(k)) => self.p.modules.get(&**k).map(|m| Value::Obj(*m)),
            (Native::Environ, Value::Str(k)) => std::env::var(&**k).ok().map(|v| Value::str(&v)),
            (Native::Globals(m), Value::Str(k)) => self.p.heap.module(m).and_then(|md| md.globals.get(&**k).cloned()),
            (Native::SysModules | Native::Environ | Native::Globals(_), _) => None,
            _ => {
                let t = n.type_name();
                return Some(Err(self.raise("TypeError", format!("'{t}' object is not subscriptable"), span)));
            }
        };
        Some(match found {
            Some(v) => Ok(v),
            None => {
                let r = ops::repr(&self.p.heap, key);
                Err(self.raise("KeyError", r, span))
            }
        })
    }

    /// `item in container` for the natives.
    pub(crate) fn native_contains(&mut self, container: &Value, item: &Value, span: Span) -> Option<R<bool>> {
        let Value::Obj(o) = container else { return None };
        let Object::Native(n) = self.p.heap.get(*o) else { return None };
        Some(match (n, item) {
            (Native::SysModules, Value::Str(k)) => Ok(self.p.modules.contains_key(&**k)),
            (Native::Environ, Value::Str(k)) => Ok(std::env::var(&**k).is_ok()),
            (Native::Globals(m), Value::Str(k)) => Ok(self.p.heap.module(*m).is_some_and(|md| md.globals.contains_key(&**k))),
            (Native::SysModules | Native::Environ | Native::Globals(_), _) => Ok(false),
            (Native::Set { items, .. }, _) => match ops::hash_key(&self.p.heap, item) {
                Ok(k) => Ok(items.contains_key(&k)),
                Err(e) => Err(self.py(e, span)),
            },
            (n, _) => {
                let t = n.type_name();
                Err(self.raise("TypeError", format!("argument of type '{t}' is not iterable"), span))
            }
        })
    }

    /// The items of a native iterable (keys of the dict-likes), or None if `v` is not one.
    pub(crate) fn native_iterate(&mut self, v: &Value, span: Span) -> Option<R<Vec<Value>>> {
        let Value::Obj(o) = v else { return None };
        let Object::Native(n) = self.p.heap.get(*o) else { return None };
        Some(match n.clone() {
            Native::Set { items, .. } => Ok(items.values().cloned().collect()),
            Native::Globals(m) => Ok(self.p.heap.module(m).map(|md| md.globals.keys().map(|k| Value::Str(k.clone())).collect()).unwrap_or_default()),
            Native::SysModules => Ok(self.modules_dict().into_iter().map(|(k, _)| k).collect()),
            Native::Environ => Ok(std::env::vars().map(|(k, _)| Value::str(&k)).collect()),
            Native::Count { .. } => Err(unsupported(span, "iterating over itertools.count() without a bound (use zip or islice)")),
            other => {
                let t = other.type_name();
                Err(self.raise("TypeError", format!("'{t}' object is not iterable"), span))
            }
        })
    }

    /// `len()` of the natives.
    pub(crate) fn native_len(&mut self, v: &Value) -> Option<i64> {
        let Value::Obj(o) = v else { return None };
        match self.p.heap.get(*o) {
            Object::Native(Native::Set { items, .. }) => Some(items.len() as i64),
            Object::Native(Native::Globals(m)) => Some(self.p.heap.module(*m).map_or(0, |md| md.globals.len() as i64)),
            Object::Native(Native::SysModules) => Some(self.p.modules.len() as i64),
            Object::Native(Native::Environ) => Some(std::env::vars().count() as i64),
            _ => None,
        }
    }

    /// `globals()[k] = v`.
    pub(crate) fn native_setitem(&mut self, obj: &Value, key: &Value, v: Value, span: Span) -> Option<R<()>> {
        let Value::Obj(o) = obj else { return None };
        let Object::Native(n) = self.p.heap.get(*o) else { return None };
        Some(match (n.clone(), key) {
            (Native::Globals(m), Value::Str(k)) => {
                if let Object::Module(md) = self.p.heap.get_mut(m) {
                    md.globals.insert(k.clone(), v);
                }
                Ok(())
            }
            (Native::Globals(_), _) => Err(unsupported(span, "a non-string key in globals()")),
            (n, _) => {
                let t = n.type_name();
                Err(self.raise("TypeError", format!("'{t}' object does not support item assignment"), span))
            }
        })
    }

    /// `del globals()[k]`.
    pub(crate) fn native_delitem(&mut self, obj: &Value, key: &Value, span: Span) -> Option<R<()>> {
        let Value::Obj(o) = obj else { return None };
        let Object::Native(n) = self.p.heap.get(*o) else { return None };
        Some(match (n.clone(), key) {
            (Native::Globals(m), Value::Str(k)) => {
                let removed = match self.p.heap.get_mut(m) {
                    Object::Module(md) => md.globals.shift_remove(&**k).is_some(),
                    _ => false,
                };
                if removed {
                    Ok(())
                } else {
                    let r = ops::repr(&self.p.heap, key);
                    Err(self.raise("KeyError", r, span))
                }
            }
            (n, _) => {
                let t = n.type_name();
                Err(self.raise("TypeError", format!("'{t}' object does not support item deletion"), span))
            }
        })
    }

    /// Methods of sets and of the dict-like natives.
    pub(crate) fn native_method(&mut self, o: ObjId, name: &str, args: Vec<Value>, span: Span) -> R<Value> {
        let Object::Native(n) = self.p.heap.get(o).clone() else { unreachable!("caller checked the receiver is native") };
        let recv = Value::Obj(o);
        match n {
            Native::Set { items, frozen } => self.set_method(o, items, frozen, name, args, span),
            Native::Globals(_) | Native::SysModules | Native::Environ => match name {
                "get" => {
                    let Some(k) = args.first() else { return Err(self.raise("TypeError", "get expected at least 1 argument", span)) };
                    match self.native_getitem(&recv, k, span) {
                        Some(Ok(v)) => Ok(v),
                        _ => Ok(args.get(1).cloned().unwrap_or(Value::None)),
                    }
                }
                "keys" | "values" | "items" => {
                    let keys = self.native_iterate(&recv, span).unwrap_or(Ok(Vec::new()))?;
                    let mut out = Vec::new();
                    for k in keys {
                        let v = self.getitem_value(&recv, &k, span)?;
                        out.push(match name {
                            "keys" => k,
                            "values" => v,
                            _ => self.tuple(vec![k, v]),
                        });
                    }
                    Ok(Value::Obj(self.p.heap.alloc(Object::List(out))))
                }
                "setdefault" => {
                    let Some(k) = args.first().cloned() else { return Err(self.raise("TypeError", "setdefault expected at least 1 argument", span)) };
                    if let Some(Ok(v)) = self.native_getitem(&recv, &k, span) {
                        return Ok(v);
                    }
                    let d = args.get(1).cloned().unwrap_or(Value::None);
                    self.native_setitem(&recv, &k, d.clone(), span).unwrap_or(Ok(()))?;
                    Ok(d)
                }
                "update" => {
                    let Some(other) = args.first() else { return Ok(Value::None) };
                    let pairs: Vec<(Value, Value)> = match other {
                        Value::Obj(x) => match self.p.heap.get(*x) {
                            Object::Dict(d) => d.entries.values().cloned().collect(),
                            _ => return Err(self.raise("TypeError", "update() expects a dict", span)),
                        },
                        _ => return Err(self.raise("TypeError", "update() expects a dict", span)),
                    };
                    for (k, v) in pairs {
                        self.native_setitem(&recv, &k, v, span).unwrap_or(Ok(()))?;
                    }
                    Ok(Value::None)
                }
                "pop" => {
                    let Some(k) = args.first().cloned() else { return Err(self.raise("TypeError", "pop expected at least 1 argument", span)) };
                    match self.native_getitem(&recv, &k, span) {
                        Some(Ok(v)) => {
                            self.native_delitem(&recv, &k, span).unwrap_or(Ok(()))?;
                            Ok(v)
                        }
                        _ => match args.get(1) {
                            Some(d) => Ok(d.clone()),
                            None => {
                                let r = ops::repr(&self.p.heap, &k);
                                Err(self.raise("KeyError", r, span))
                            }
                        },
                    }
                }
                _ => {
                    let t = n.type_name();
                    Err(self.raise("AttributeError", format!("'{t}' object has no attribute '{name}'"), span))
                }
            },
            other => {
                let t = other.type_name();
                Err(self.raise("AttributeError", format!("'{t}' object has no attribute '{name}'"), span))
            }
        }
    }

    fn set_method(&mut self, o: ObjId, items: IndexMap<HashKey, Value>, frozen: bool, name: &str, args: Vec<Value>, span: Span) -> R<Value> {
        let mutating = matches!(name, "add" | "discard" | "remove" | "update" | "clear" | "pop" | "difference_update" | "intersection_update");
        if mutating && frozen {
            return Err(self.raise("AttributeError", format!("'frozenset' object has no attribute '{name}'"), span));
        }
        let key = |s: &mut Self, v: &Value| ops::hash_key(&s.p.heap, v).map_err(|e| s.py(e, span));
        let mut items = items;
        let result = match name {
            "add" => {
                let Some(x) = args.first() else { return Err(self.raise("TypeError", "add() takes exactly one argument", span)) };
                let k = key(self, x)?;
                items.entry(k).or_insert_with(|| x.clone());
                Value::None
            }
            "discard" | "remove" => {
                let Some(x) = args.first() else { return Err(self.raise("TypeError", format!("{name}() takes exactly one argument"), span)) };
                let k = key(self, x)?;
                if items.shift_remove(&k).is_none() && name == "remove" {
                    let r = ops::repr(&self.p.heap, x);
                    return Err(self.raise("KeyError", r, span));
                }
                Value::None
            }
            "clear" => {
                items.clear();
                Value::None
            }
            "pop" => match items.shift_remove_index(0) {
                Some((_, v)) => v,
                None => return Err(self.raise("KeyError", "'pop from an empty set'", span)),
            },
            "update" | "union" | "intersection" | "difference" | "symmetric_difference" | "difference_update" | "intersection_update" | "issubset" | "issuperset" | "isdisjoint" => {
                let mut others = Vec::new();
                for a in &args {
                    others.push(self.set_items(Some(a), span)?);
                }
                let mut out = items.clone();
                match name {
                    "update" | "union" => {
                        for other in others {
                            for (k, v) in other {
                                out.entry(k).or_insert(v);
                            }
                        }
                    }
                    "intersection" | "intersection_update" => {
                        for other in &others {
                            out.retain(|k, _| other.contains_key(k));
                        }
                    }
                    "difference" | "difference_update" => {
                        for other in &others {
                            out.retain(|k, _| !other.contains_key(k));
                        }
                    }
                    "symmetric_difference" => {
                        let other = others.into_iter().next().unwrap_or_default();
                        out.retain(|k, _| !other.contains_key(k));
                        out.extend(other.into_iter().filter(|(k, _)| !items.contains_key(k)));
                    }
                    _ => {
                        let other = others.into_iter().next().unwrap_or_default();
                        let r = match name {
                            "issubset" => items.keys().all(|k| other.contains_key(k)),
                            "issuperset" => other.keys().all(|k| items.contains_key(k)),
                            _ => !items.keys().any(|k| other.contains_key(k)),
                        };
                        return Ok(Value::Bool(r));
                    }
                }
                if mutating {
                    items = out;
                    Value::None
                } else {
                    return Ok(new_set(&mut self.p.heap, out, frozen));
                }
            }
            "copy" => return Ok(new_set(&mut self.p.heap, items, frozen)),
            _ => {
                let t = if frozen { "frozenset" } else { "set" };
                return Err(self.raise("AttributeError", format!("'{t}' object has no attribute '{name}'"), span));
            }
        };
        if let Object::Native(Native::Set { items: slot, .. }) = self.p.heap.get_mut(o) {
            *slot = items;
        }
        Ok(result)
    }

    /// A set display `{a, b}`.
    pub(crate) fn make_set(&mut self, elems: Vec<Value>, span: Span) -> R<Value> {
        let mut items = IndexMap::new();
        for x in elems {
            let k = ops::hash_key(&self.p.heap, &x).map_err(|e| self.py(e, span))?;
            items.entry(k).or_insert(x);
        }
        Ok(new_set(&mut self.p.heap, items, false))
    }
}
