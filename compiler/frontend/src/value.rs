//! The prebuilt object model: every value created while a program is imported, from
//! ints and strings to functions, classes, instances and modules.
//!
//! Immutable scalars are stored inline in [`Value`]; everything with identity lives in the
//! [`Heap`] and is referred to by an [`ObjId`]. After import, the heap is frozen: the later
//! stages read it (flow graphs refer to its objects as constants) and never change it.

use std::fmt;
use std::sync::Arc;

use indexmap::IndexMap;
use kiln_diagnostics::{FileId, Span};
use ruff_python_ast as ast;

use crate::builtins::{Builtin, BuiltinType};

/// An object in the [`Heap`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ObjId(pub u32);

impl fmt::Display for ObjId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "obj{}", self.0)
    }
}

/// A value at import time, and a constant in flow graphs.
#[derive(Clone, Debug)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    /// An `r_uint` (RPython's unsigned machine word): arithmetic wraps modulo 2**64,
    /// as `rarithmetic.r_uint` does under CPython.
    UInt(u64),
    Float(f64),
    Str(Arc<str>),
    /// A `bytes` value (a `b"..."` literal): immutable, compared by content.
    Bytes(Arc<[u8]>),
    Obj(ObjId),
}

impl PartialEq for Value {
    /// Identity-like equality for constants (floats by bits); Python's `==` is in `ops`.
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::None, Value::None) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::UInt(a), Value::UInt(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::Obj(a), Value::Obj(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Value {}

impl std::hash::Hash for Value {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Value::None => {}
            Value::Bool(b) => b.hash(state),
            Value::Int(i) => i.hash(state),
            Value::UInt(u) => u.hash(state),
            Value::Float(f) => f.to_bits().hash(state),
            Value::Str(s) => s.hash(state),
            Value::Bytes(b) => b.hash(state),
            Value::Obj(o) => o.hash(state),
        }
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    pub fn as_obj(&self) -> Option<ObjId> {
        match self {
            Value::Obj(o) => Some(*o),
            _ => None,
        }
    }
}

/// A shared, immutable reference into a parsed module's syntax tree.
///
/// Function objects keep the definition they were created from; the flowspace later builds
/// their graphs from it. The tree is owned by `root` and never mutated, so the pointer
/// stays valid as long as this value lives.
pub struct AstRef<T> {
    root: Arc<ast::ModModule>,
    ptr: *const T,
}

impl<T> AstRef<T> {
    /// `node` must be a node inside `root`.
    pub fn new(root: &Arc<ast::ModModule>, node: &T) -> AstRef<T> {
        AstRef { root: root.clone(), ptr: node as *const T }
    }

    pub fn root(&self) -> &Arc<ast::ModModule> {
        &self.root
    }
}

impl<T> Clone for AstRef<T> {
    fn clone(&self) -> Self {
        AstRef { root: self.root.clone(), ptr: self.ptr }
    }
}

impl<T> std::ops::Deref for AstRef<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: `ptr` points into the tree owned by `root`, which is immutable and kept
        // alive by the Arc this struct holds.
        unsafe { &*self.ptr }
    }
}

impl<T> fmt::Debug for AstRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AstRef({:p})", self.ptr)
    }
}

// SAFETY: the syntax tree is immutable and shared only through `Arc`.
unsafe impl<T: Sync> Send for AstRef<T> {}
unsafe impl<T: Sync> Sync for AstRef<T> {}

/// Where a function's code comes from.
#[derive(Clone, Debug)]
pub enum FuncBody {
    Def(AstRef<ast::StmtFunctionDef>),
    Lambda(AstRef<ast::ExprLambda>),
}

/// A function parameter list in a form the evaluator and flowspace both use.
#[derive(Clone, Debug, Default)]
pub struct Params {
    /// Positional (and positional-or-keyword) parameter names, in order.
    pub positional: Vec<Arc<str>>,
    /// How many of `positional` are positional-only.
    pub posonly: usize,
    pub kwonly: Vec<Arc<str>>,
    pub vararg: Option<Arc<str>>,
    pub kwarg: Option<Arc<str>>,
}

impl Params {
    pub fn all_names(&self) -> impl Iterator<Item = &Arc<str>> {
        self.positional.iter().chain(self.kwonly.iter()).chain(self.vararg.iter()).chain(self.kwarg.iter())
    }
}

/// A function object.
#[derive(Clone, Debug)]
pub struct Function {
    pub name: Arc<str>,
    pub qualname: String,
    /// The module whose globals the function sees.
    pub module: ObjId,
    pub file: FileId,
    pub body: FuncBody,
    pub params: Params,
    /// Defaults of the last `defaults.len()` positional parameters.
    pub defaults: Vec<Value>,
    pub kwdefaults: IndexMap<Arc<str>, Value>,
    /// The scope the function was defined in, when it is a closure.
    pub env: Option<ObjId>,
    /// Function attributes, where decorators record hints (`_elidable_`, ...).
    pub attrs: IndexMap<Arc<str>, Value>,
    /// The class whose body defined this function, for `super()`.
    pub class: Option<ObjId>,
    /// Hints recorded by `kiln.jit` and `kiln.objectmodel` decorators.
    pub hints: FuncHints,
    pub specialize: Option<Specialization>,
    /// The `def` line (name and parameters), for diagnostics.
    pub span: Span,
}

/// A class object: user classes and the built-in exception classes.
#[derive(Clone, Debug)]
pub struct Class {
    pub name: Arc<str>,
    pub qualname: String,
    pub module: Option<ObjId>,
    pub bases: Vec<ObjId>,
    /// Method resolution order, starting with the class itself.
    pub mro: Vec<ObjId>,
    pub dict: IndexMap<Arc<str>, Value>,
    /// Set for the classes Kiln provides (`object` and the built-in exceptions).
    pub builtin: bool,
    /// The metaclass, when it is not `type`.
    pub metaclass: Option<ObjId>,
    pub span: Span,
}

/// An instance of a user or built-in exception class.
#[derive(Clone, Debug)]
pub struct Instance {
    pub class: ObjId,
    pub attrs: IndexMap<Arc<str>, Value>,
}

/// A module: a file of the program, or one Kiln provides (`kiln.os`, `math`, ...).
#[derive(Clone, Debug)]
pub struct Module {
    pub name: String,
    pub file: Option<FileId>,
    pub globals: IndexMap<Arc<str>, Value>,
    /// False while the module body is being executed (for circular imports).
    pub initialised: bool,
}

/// The local scope of a function call at import time, kept alive by closures.
#[derive(Clone, Debug)]
pub struct Env {
    pub vars: IndexMap<Arc<str>, Value>,
    pub parent: Option<ObjId>,
}

/// The greens and reds of a `JitDriver`, recorded at import time for the JIT.
#[derive(Clone, Debug)]
pub struct JitDriverInfo {
    /// `name=`, or else the name the driver is first bound to (`fill_driver = JitDriver(...)`
    /// is `fill_driver`), or else RPython's default `jitdriver`.
    pub name: String,
    /// Whether `name` is final: given by `name=`, or taken from the first binding.
    pub named: bool,
    pub greens: Vec<Arc<str>>,
    pub reds: Vec<Arc<str>>,
    /// `reds='auto'`: the hint calls pass only the greens.
    pub reds_auto: bool,
    pub virtualizables: Vec<Arc<str>>,
    pub get_printable_location: Option<Value>,
    /// The other callbacks given by keyword (`get_unique_id`, `confirm_enter_jit`,
    /// `can_never_inline`, `should_unroll_one_iteration`, and the ones Kiln rejects),
    /// with their values, in the order given.
    pub callbacks: Vec<(Arc<str>, Value)>,
    pub is_recursive: bool,
    pub span: Span,
}

/// Decorator hints on a function.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FuncHints {
    pub elidable: bool,
    /// `@elidable_promote(promote_args)`: 'all' or comma-separated argument positions.
    pub promote_args: Option<Arc<str>>,
    pub loop_invariant: bool,
    /// `@look_inside_iff(predicate)`.
    pub look_inside_iff: Option<Value>,
    pub unroll_safe: bool,
    pub dont_look_inside: bool,
    pub look_inside: bool,
    pub not_rpython: bool,
    pub always_inline: bool,
}

/// A specialisation request recorded by a `kiln.objectmodel.specialize` decorator.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Specialization {
    ArgType(Vec<usize>),
    Arg(Vec<usize>),
    Memo,
}

/// A hashable form of a value, for dict keys and sets at import time.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum HashKey {
    None,
    Int(i64),
    Float(u64),
    Str(Arc<str>),
    Bytes(Arc<[u8]>),
    Tuple(Vec<HashKey>),
    Ident(ObjId),
}

/// A dict at import time: insertion-ordered, keyed by [`HashKey`], keeping the original
/// key value for iteration.
#[derive(Clone, Debug, Default)]
pub struct Dict {
    pub entries: IndexMap<HashKey, (Value, Value)>,
}

#[derive(Clone, Debug)]
pub enum Object {
    Tuple(Vec<Value>),
    List(Vec<Value>),
    Dict(Dict),
    Function(Function),
    Class(Class),
    Instance(Instance),
    Module(Module),
    Builtin(Builtin),
    BuiltinType(BuiltinType),
    BoundMethod { func: Value, receiver: Value },
    Env(Env),
    Range { start: i64, stop: i64, step: i64 },
    UnrollingIterable(Vec<Value>),
    JitDriver(JitDriverInfo),
    /// The decorator returned by `specialize.argtype(0)` and friends.
    Specializer(Specialization),
    /// `staticmethod(f)` in a class body.
    StaticMethod(Value),
    /// An iterator at import time: the remaining items.
    Iterator(std::collections::VecDeque<Value>),
    /// `super()` inside a method at import time: the class to start after, and `self`.
    Super { after: ObjId, receiver: Value },
    /// A method of a built-in value (`",".join`, `l.append`) looked up at import time.
    BuiltinMethod { receiver: Value, name: Arc<str> },
    /// Python objects used at import time only (sets, `globals()`, `functools.partial`,
    /// the functions of `operator`, `itertools`, ...): see [`crate::native`].
    Native(crate::native::Native),
}

/// Every object created at import time.
#[derive(Clone, Debug, Default)]
pub struct Heap {
    objects: Vec<Object>,
}

impl Heap {
    pub fn alloc(&mut self, obj: Object) -> ObjId {
        let id = ObjId(self.objects.len() as u32);
        self.objects.push(obj);
        id
    }

    pub fn get(&self, id: ObjId) -> &Object {
        &self.objects[id.0 as usize]
    }

    pub fn get_mut(&mut self, id: ObjId) -> &mut Object {
        &mut self.objects[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    pub fn function(&self, id: ObjId) -> Option<&Function> {
        match self.get(id) {
            Object::Function(f) => Some(f),
            _ => None,
        }
    }

    pub fn class(&self, id: ObjId) -> Option<&Class> {
        match self.get(id) {
            Object::Class(c) => Some(c),
            _ => None,
        }
    }

    pub fn module(&self, id: ObjId) -> Option<&Module> {
        match self.get(id) {
            Object::Module(m) => Some(m),
            _ => None,
        }
    }

    pub fn instance(&self, id: ObjId) -> Option<&Instance> {
        match self.get(id) {
            Object::Instance(i) => Some(i),
            _ => None,
        }
    }

    /// Whether class `sub` is `sup` or derives from it.
    pub fn is_subclass(&self, sub: ObjId, sup: ObjId) -> bool {
        match self.class(sub) {
            Some(c) => c.mro.contains(&sup),
            None => false,
        }
    }

    /// Looks a name up along a class's MRO.
    pub fn class_lookup(&self, class: ObjId, name: &str) -> Option<(ObjId, Value)> {
        let c = self.class(class)?;
        for &k in &c.mro {
            if let Some(v) = self.class(k).and_then(|kc| kc.dict.get(name)) {
                return Some((k, v.clone()));
            }
        }
        None
    }

    /// A short description of a value for messages: `function 'f'`, `class 'A'`, `int`.
    pub fn describe(&self, v: &Value) -> String {
        match v {
            Value::None => "None".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::UInt(_) => "r_uint".into(),
            Value::Float(_) => "float".into(),
            Value::Str(_) => "str".into(),
            Value::Bytes(_) => "bytes".into(),
            Value::Obj(id) => match self.get(*id) {
                Object::Tuple(_) => "tuple".into(),
                Object::List(_) => "list".into(),
                Object::Dict(_) => "dict".into(),
                Object::Function(f) => format!("function '{}'", f.qualname),
                Object::Class(c) => format!("class '{}'", c.qualname),
                Object::Instance(i) => format!("'{}' instance", self.class(i.class).map_or("?", |c| &*c.name)),
                Object::Module(m) => format!("module '{}'", m.name),
                Object::Builtin(b) => format!("built-in function '{}'", b.name()),
                Object::BuiltinType(t) => format!("type '{}'", t.name()),
                Object::BoundMethod { func, .. } => format!("bound method of {}", self.describe(func)),
                Object::Env(_) => "scope".into(),
                Object::Range { .. } => "range".into(),
                Object::UnrollingIterable(_) => "unrolling_iterable".into(),
                Object::JitDriver(d) => format!("JitDriver '{}'", d.name),
                Object::Specializer(_) => "specializer".into(),
                Object::StaticMethod(_) => "staticmethod".into(),
                Object::Iterator(_) => "iterator".into(),
                Object::Super { .. } => "super".into(),
                Object::BuiltinMethod { name, .. } => format!("built-in method '{name}'"),
                Object::Native(n) => n.describe(),
            },
        }
    }

    /// The name a value's type has in Python, for error messages (`int`, `str`, `A`).
    pub fn type_name(&self, v: &Value) -> String {
        match v {
            Value::None => "NoneType".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::UInt(_) => "r_uint".into(),
            Value::Float(_) => "float".into(),
            Value::Str(_) => "str".into(),
            Value::Bytes(_) => "bytes".into(),
            Value::Obj(id) => match self.get(*id) {
                Object::Tuple(_) => "tuple".into(),
                Object::List(_) => "list".into(),
                Object::Dict(_) => "dict".into(),
                Object::Function(_) => "function".into(),
                Object::Class(_) | Object::BuiltinType(_) => "type".into(),
                Object::Instance(i) => self.class(i.class).map_or("object".into(), |c| c.name.to_string()),
                Object::Module(_) => "module".into(),
                Object::Builtin(_) => "builtin_function_or_method".into(),
                Object::BoundMethod { .. } => "method".into(),
                Object::Range { .. } => "range".into(),
                Object::Native(n) => n.type_name().into(),
                _ => "object".into(),
            },
        }
    }
}
