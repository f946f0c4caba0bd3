//! The import-time evaluator: runs module bodies (and everything they call) with Python's
//! dynamic semantics over Kiln's object model, producing the prebuilt objects the rest of
//! the pipeline translates.
//!
//! This is where RPy meta-programming happens: loops and calls at module level, factory
//! functions creating closures, decorators, dispatch tables, prebuilt instances. The
//! evaluator supports the part of Python those need; anything else is reported as a
//! diagnostic naming the construct. It never panics on user input: runaway loops hit a
//! step budget and deep recursion a depth limit, both reported with a span.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use kiln_diagnostics::{Diagnostic, FileId, Span};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::builtins::{self, Builtin, BuiltinClasses};
use crate::callargs;
use crate::ops::{self, BinOp, CmpOp, PyErr};
use crate::value::*;
use crate::Program;

/// Reads and parses source files for the evaluator; the driver implements it (through
/// its query database), tests implement it in memory.
pub trait SourceLoader {
    /// Loads the module file at `path`. Errors are diagnostics ready to report (a missing
    /// file, a syntax error with its span).
    fn load(&mut self, path: &Path) -> Result<Loaded, Diagnostic>;
    /// Whether a file exists, for module search.
    fn exists(&self, path: &Path) -> bool;
    /// The entries of a directory (`glob.glob` at import time), in no particular order;
    /// empty when it cannot be read, as `glob` finds nothing there.
    fn list_dir(&self, dir: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default()
    }
}

/// A parsed source file.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub file: FileId,
    pub ast: Arc<ast::ModModule>,
}

/// How many statements and expressions import-time code may execute.
const STEP_BUDGET: u64 = 50_000_000;
/// How deep import-time calls may nest.
const MAX_DEPTH: u32 = 400;

#[derive(Clone)]
pub(crate) enum Scope {
    Module,
    Function { env: ObjId, globals_decl: Arc<HashSet<String>>, nonlocal_decl: Arc<HashSet<String>> },
    Class { class: ObjId, outer: Option<ObjId> },
}

#[derive(Clone)]
pub(crate) struct Ctx {
    module: ObjId,
    file: FileId,
    root: Arc<ast::ModModule>,
    scope: Scope,
    /// The function being executed, for zero-argument `super()`.
    func: Option<ObjId>,
}

pub(crate) enum Flow {
    Normal,
    Return(Value),
    Break,
    Continue,
}

/// An import-time failure: a Python exception (catchable by import-time `try`) or a
/// diagnostic about something RPy does not support (not catchable).
pub(crate) enum Exc {
    Py { value: Value, span: Span, trace: Vec<Span> },
    Diag(Diagnostic),
}

pub(crate) type R<T> = Result<T, Exc>;

pub(crate) struct Evaluator<'l> {
    pub p: Program,
    pub(crate) loader: &'l mut dyn SourceLoader,
    search: Vec<PathBuf>,
    depth: u32,
    steps: u64,
    /// Class bodies waiting for a metaclass: the namespace dict given to the metaclass,
    /// and the class object the body filled (reused by `type.__new__`).
    pub(crate) pending_classes: std::collections::HashMap<ObjId, ObjId>,
    /// The diagnostics of import failures, by exception instance: an `ImportError`
    /// nobody catches is reported with its own message and notes.
    pub(crate) import_diags: std::collections::HashMap<Value, Diagnostic>,
    /// Whether `--jit` was given: `driver.config.translation.jit` (`target.rs`).
    pub(crate) translation_jit: bool,
}

pub(crate) fn unsupported(span: Span, what: &str) -> Exc {
    Exc::Diag(
        Diagnostic::error("E0102", format!("{what} is not supported in RPy"))
            .with_primary(span, "not supported")
            .with_note("see docs/language.md for the supported subset"),
    )
}

impl<'l> Evaluator<'l> {
    /// `fmt % r` at import time formats values with the runtime's formatting, which
    /// does not call methods: an instance whose class defines `__str__` or `__repr__`
    /// (which CPython's `%s`/`%r` call), or a single instance defining `__getitem__`
    /// (which CPython takes for a mapping), is a diagnostic rather than another result.
    fn check_percent_operands(&self, r: &Value, span: Span) -> Result<(), Exc> {
        self.check_shown(r, span, "'%' formatting")?;
        let heap = &self.p.heap;
        if let Value::Obj(id) = r {
            if let Object::Instance(i) = heap.get(*id) {
                if heap.class_lookup(i.class, "__getitem__").is_some() {
                    return Err(unsupported(span, "'%' formatting at import time with an instance defining __getitem__"));
                }
            }
        }
        Ok(())
    }

    /// `str()`, `repr()`, `print()` and f-strings at import time show values with the
    /// evaluator's own text, which calls no method: a value holding an instance whose
    /// class defines `__str__` or `__repr__` (which CPython calls) is a diagnostic
    /// rather than `<A object>`. (At run time the translated program calls them.)
    pub(crate) fn check_shown(&self, v: &Value, span: Span, what: &str) -> Result<(), Exc> {
        fn shows_method(heap: &Heap, v: &Value, depth: usize) -> bool {
            let Value::Obj(id) = v else { return false };
            if depth > 64 {
                return false;
            }
            match heap.get(*id) {
                Object::Instance(i) => heap.class_lookup(i.class, "__str__").is_some() || heap.class_lookup(i.class, "__repr__").is_some(),
                Object::Tuple(items) | Object::List(items) => items.iter().any(|x| shows_method(heap, x, depth + 1)),
                Object::Dict(d) => d.entries.values().any(|(k, x)| shows_method(heap, k, depth + 1) || shows_method(heap, x, depth + 1)),
                _ => false,
            }
        }
        if shows_method(&self.p.heap, v, 0) {
            return Err(unsupported(span, &format!("{what} at import time of an instance whose class defines __str__ or __repr__")));
        }
        Ok(())
    }

    pub fn new(loader: &'l mut dyn SourceLoader, search: Vec<PathBuf>) -> Evaluator<'l> {
        let mut heap = Heap::default();
        let classes = builtins::install_classes(&mut heap);
        let mut builtins = builtins::builtin_namespace(&mut heap, &classes);
        let exc_init = heap.alloc(Object::Builtin(Builtin::ExcInit));
        if let Object::Class(c) = heap.get_mut(classes.get("BaseException")) {
            c.dict.insert(Arc::from("__init__"), Value::Obj(exc_init));
        }
        builtins.insert(Arc::from("__name__"), Value::str("builtins"));
        let p = Program { heap, classes, builtins, modules: IndexMap::new(), main: None, entry: None, target: None, diagnostics: Vec::new(), deferred_import_errors: IndexMap::new() };
        Evaluator { p, loader, search, depth: 0, steps: 0, import_diags: Default::default(), pending_classes: Default::default(), translation_jit: false }
    }

    pub(crate) fn span(&self, ctx: &Ctx, r: TextRange) -> Span {
        Span::new(ctx.file, r.start().into(), r.end().into())
    }

    pub(crate) fn classes(&self) -> &BuiltinClasses {
        &self.p.classes
    }

    /// Creates a built-in exception instance and wraps it as an import-time failure.
    pub(crate) fn raise(&mut self, class: &str, msg: impl Into<String>, span: Span) -> Exc {
        let cls = *self.classes().by_name.get(class).unwrap_or(&self.classes().get("Exception"));
        let msg: String = msg.into();
        let mut attrs = IndexMap::new();
        attrs.insert(Arc::from("message"), Value::str(&msg));
        let args = self.p.heap.alloc(Object::Tuple(vec![Value::str(&msg)]));
        attrs.insert(Arc::from("args"), Value::Obj(args));
        let inst = self.p.heap.alloc(Object::Instance(Instance { class: cls, attrs }));
        Exc::Py { value: Value::Obj(inst), span, trace: Vec::new() }
    }

    pub(crate) fn py(&mut self, e: PyErr, span: Span) -> Exc {
        self.raise(e.class, e.msg, span)
    }

    pub(crate) fn tick(&mut self, span: Span) -> R<()> {
        self.steps += 1;
        if self.steps > STEP_BUDGET {
            return Err(Exc::Diag(
                Diagnostic::error("E0103", "import-time evaluation did not finish")
                    .with_primary(span, format!("still running here after {STEP_BUDGET} steps"))
                    .with_note("module-level code runs at translation time; is there an infinite loop?"),
            ));
        }
        Ok(())
    }

    // ----- modules -------------------------------------------------------------------

    /// Imports the program's main file and returns its module.
    pub fn run_main(&mut self, path: &Path) -> Result<ObjId, Diagnostic> {
        let name = path.file_stem().map_or("main".to_string(), |s| s.to_string_lossy().into_owned());
        let loaded = self.loader.load(path)?;
        match self.exec_module_file(&name, loaded, path, Span::DUMMY) {
            Ok(m) => Ok(m),
            Err(e) => Err(self.exc_to_diag(e)),
        }
    }

    fn exec_module_file(&mut self, name: &str, loaded: Loaded, path: &Path, _span: Span) -> R<ObjId> {
        let mut globals = IndexMap::new();
        globals.insert(Arc::from("__name__"), Value::str(name));
        // The path as the module was found (CPython's `__file__`), which import-time
        // code uses to find files beside it.
        globals.insert(Arc::from("__file__"), Value::str(&path.display().to_string()));
        let m = self.p.heap.alloc(Object::Module(Module { name: name.to_string(), file: Some(loaded.file), globals, initialised: false }));
        self.p.modules.insert(name.to_string(), m);
        let ctx = Ctx { module: m, file: loaded.file, root: loaded.ast.clone(), scope: Scope::Module, func: None };
        let root = loaded.ast.clone();
        match self.exec_block(&ctx, &root.body)? {
            Flow::Normal => {}
            _ => {
                return Err(Exc::Diag(
                    Diagnostic::error("E0104", "'return', 'break' or 'continue' outside a function or loop")
                        .with_primary(Span::new(loaded.file, 0, 0), "in this module"),
                ))
            }
        }
        if let Object::Module(md) = self.p.heap.get_mut(m) {
            md.initialised = true;
        }
        Ok(m)
    }

    /// Imports module `name` (absolute, dotted) and returns it.
    pub(crate) fn import(&mut self, name: &str, span: Span) -> R<ObjId> {
        if let Some(&m) = self.p.modules.get(name) {
            return Ok(m);
        }
        let (parent, last) = match name.rsplit_once('.') {
            Some((p, l)) => (Some(p.to_string()), l.to_string()),
            None => (None, name.to_string()),
        };
        let parent_mod = match &parent {
            Some(p) => Some(self.import(p, span)?),
            None => None,
        };
        let module = if let Some((kiln_name, names)) = builtins::rpython_alias(name) {
            let km = self.import(kiln_name, span)?;
            let mut g: IndexMap<Arc<str>, Value> = IndexMap::new();
            g.insert(Arc::from("__name__"), Value::str(name));
            for n in names {
                if let Some(v) = self.p.heap.module(km).and_then(|m| m.globals.get(*n)).cloned() {
                    g.insert(Arc::from(*n), v);
                }
            }
            let m = self.p.heap.alloc(Object::Module(Module { name: name.to_string(), file: None, globals: g, initialised: true }));
            self.p.modules.insert(name.to_string(), m);
            m
        } else if builtins::is_builtin_module(name) {
            let classes = self.p.classes.clone();
            let m = builtins::make_module(&mut self.p.heap, &classes, name).expect("is_builtin_module agrees with make_module");
            self.p.modules.insert(name.to_string(), m);
            m
        } else {
            let rel: PathBuf = name.split('.').collect();
            let mut found = None;
            for dir in &self.search {
                let file = dir.join(&rel).with_extension("py");
                let pkg = dir.join(&rel).join("__init__.py");
                if self.loader.exists(&file) {
                    found = Some(file);
                    break;
                }
                if self.loader.exists(&pkg) {
                    found = Some(pkg);
                    break;
                }
            }
            let Some(path) = found else {
                let dirs: Vec<String> = self.search.iter().filter(|d| d.as_os_str() != crate::library::LIBRARY_ROOT).map(|d| d.display().to_string()).collect();
                let d = Diagnostic::error("E0105", format!("no module named '{name}'"))
                    .with_primary(span, "imported here")
                    .with_note(format!("searched: {}", dirs.join(", ")))
                    .with_note("RPy programs can import sibling modules, packages next to the main file, Kiln's own modules (kiln.*, rpython.rlib.*) and the standard modules listed in docs/language.md");
                return Err(self.import_error("ModuleNotFoundError", format!("No module named '{name}'"), span, d));
            };
            let loaded = self.loader.load(&path).map_err(Exc::Diag)?;
            self.exec_module_file(name, loaded, &path, span)?
        };
        if let Some(pm) = parent_mod {
            if let Object::Module(md) = self.p.heap.get_mut(pm) {
                md.globals.insert(Arc::from(last.as_str()), Value::Obj(module));
            }
        }
        Ok(module)
    }

    fn resolve_relative(&self, ctx: &Ctx, module: Option<&str>, level: u32) -> String {
        let current = self.p.heap.module(ctx.module).map_or(String::new(), |m| m.name.clone());
        crate::imports::absolute_module_name(&current, module, level)
    }

    // ----- names -----------------------------------------------------------------

    pub(crate) fn lookup(&self, ctx: &Ctx, name: &str) -> Option<Value> {
        let mut env = match &ctx.scope {
            Scope::Module => None,
            Scope::Function { env, globals_decl, .. } => {
                if globals_decl.contains(name) {
                    None
                } else {
                    Some(*env)
                }
            }
            Scope::Class { class, outer } => {
                if let Some(v) = self.p.heap.class(*class).and_then(|c| c.dict.get(name)) {
                    return Some(v.clone());
                }
                *outer
            }
        };
        while let Some(e) = env {
            match self.p.heap.get(e) {
                Object::Env(en) => {
                    if let Some(v) = en.vars.get(name) {
                        return Some(v.clone());
                    }
                    env = en.parent;
                }
                _ => break,
            }
        }
        if let Some(v) = self.p.heap.module(ctx.module).and_then(|m| m.globals.get(name)) {
            return Some(v.clone());
        }
        self.p.builtins.get(name).cloned()
    }

    pub(crate) fn store_name(&mut self, ctx: &Ctx, name: &str, v: Value) {
        // A driver without `name=` is named by its first binding (the JIT log's name of
        // its loops).
        if let Value::Obj(id) = &v {
            if let Object::JitDriver(info) = self.p.heap.get_mut(*id) {
                if !info.named {
                    info.name = name.to_string();
                    info.named = true;
                }
            }
        }
        let key: Arc<str> = Arc::from(name);
        match &ctx.scope {
            Scope::Module => self.store_global(ctx.module, key, v),
            Scope::Function { env, globals_decl, nonlocal_decl } => {
                if globals_decl.contains(name) {
                    self.store_global(ctx.module, key, v);
                    return;
                }
                let mut target = *env;
                if nonlocal_decl.contains(name) {
                    let mut cur = self.env_parent(*env);
                    while let Some(e) = cur {
                        if matches!(self.p.heap.get(e), Object::Env(en) if en.vars.contains_key(name)) {
                            target = e;
                            break;
                        }
                        cur = self.env_parent(e);
                    }
                }
                if let Object::Env(en) = self.p.heap.get_mut(target) {
                    en.vars.insert(key, v);
                }
            }
            Scope::Class { class, .. } => {
                if let Object::Class(c) = self.p.heap.get_mut(*class) {
                    c.dict.insert(key, v);
                }
            }
        }
    }

    fn env_parent(&self, e: ObjId) -> Option<ObjId> {
        match self.p.heap.get(e) {
            Object::Env(en) => en.parent,
            _ => None,
        }
    }

    fn store_global(&mut self, module: ObjId, key: Arc<str>, v: Value) {
        if let Object::Module(m) = self.p.heap.get_mut(module) {
            m.globals.insert(key, v);
        }
    }

    fn delete_name(&mut self, ctx: &Ctx, name: &str, span: Span) -> R<()> {
        let target = match &ctx.scope {
            Scope::Module => ctx.module,
            Scope::Function { env, .. } => *env,
            Scope::Class { class, .. } => *class,
        };
        let removed = match self.p.heap.get_mut(target) {
            Object::Module(m) => m.globals.shift_remove(name).is_some(),
            Object::Env(en) => en.vars.shift_remove(name).is_some(),
            Object::Class(c) => c.dict.shift_remove(name).is_some(),
            _ => false,
        };
        if removed {
            Ok(())
        } else {
            Err(self.raise("NameError", format!("name '{name}' is not defined"), span))
        }
    }

    // ----- statements -------------------------------------------------------------

    pub(crate) fn exec_block(&mut self, ctx: &Ctx, stmts: &[Stmt]) -> R<Flow> {
        for s in stmts {
            match self.exec(ctx, s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec(&mut self, ctx: &Ctx, stmt: &Stmt) -> R<Flow> {
        let span = self.span(ctx, stmt.range());
        self.tick(span)?;
        match stmt {
            Stmt::Expr(e) => {
                self.eval(ctx, &e.value)?;
            }
            Stmt::Pass(_) => {}
            Stmt::Assign(a) => {
                let v = self.eval(ctx, &a.value)?;
                for t in &a.targets {
                    self.assign(ctx, t, v.clone())?;
                }
            }
            Stmt::AnnAssign(a) => {
                if let Some(value) = &a.value {
                    let v = self.eval(ctx, value)?;
                    self.assign(ctx, &a.target, v)?;
                }
            }
            Stmt::AugAssign(a) => {
                let op = BinOp::from_ast(a.op).ok_or_else(|| unsupported(span, "the @ operator"))?;
                let cur = self.eval(ctx, &a.target)?;
                let rhs = self.eval(ctx, &a.value)?;
                // `list += iterable` extends in place, as in Python.
                if let (BinOp::Add, Value::Obj(id)) = (op, &cur) {
                    if matches!(self.p.heap.get(*id), Object::List(_)) {
                        let items = self.iterate(&rhs, span)?;
                        if let Object::List(l) = self.p.heap.get_mut(*id) {
                            l.extend(items);
                        }
                        return Ok(Flow::Normal);
                    }
                }
                let v = ops::binary_op(&mut self.p.heap, op, &cur, &rhs).map_err(|e| self.py(e, span))?;
                self.assign(ctx, &a.target, v)?;
            }
            Stmt::FunctionDef(def) => {
                let f = self.make_function(ctx, def)?;
                let mut v = Value::Obj(f);
                for d in def.decorator_list.iter().rev() {
                    let dec = self.eval(ctx, &d.expression)?;
                    let dspan = self.span(ctx, d.range());
                    v = self.call(dec, vec![v], Vec::new(), dspan)?;
                }
                self.store_name(ctx, def.name.id.as_str(), v);
            }
            Stmt::ClassDef(cd) => {
                let c = self.make_class(ctx, cd)?;
                let mut v = Value::Obj(c);
                for d in cd.decorator_list.iter().rev() {
                    let dec = self.eval(ctx, &d.expression)?;
                    let dspan = self.span(ctx, d.range());
                    v = self.call(dec, vec![v], Vec::new(), dspan)?;
                }
                self.store_name(ctx, cd.name.id.as_str(), v);
            }
            Stmt::Return(r) => {
                let v = match &r.value {
                    Some(e) => self.eval(ctx, e)?,
                    None => Value::None,
                };
                return Ok(Flow::Return(v));
            }
            Stmt::If(i) => {
                let t = self.eval(ctx, &i.test)?;
                if ops::truth(&self.p.heap, &t) {
                    return self.exec_block(ctx, &i.body);
                }
                for clause in &i.elif_else_clauses {
                    let take = match &clause.test {
                        Some(test) => {
                            let t = self.eval(ctx, test)?;
                            ops::truth(&self.p.heap, &t)
                        }
                        None => true,
                    };
                    if take {
                        return self.exec_block(ctx, &clause.body);
                    }
                }
            }
            Stmt::While(w) => {
                loop {
                    self.tick(span)?;
                    let t = self.eval(ctx, &w.test)?;
                    if !ops::truth(&self.p.heap, &t) {
                        return self.exec_block(ctx, &w.orelse);
                    }
                    match self.exec_block(ctx, &w.body)? {
                        Flow::Break => return Ok(Flow::Normal),
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
            }
            Stmt::For(f) => {
                if f.is_async {
                    return Err(unsupported(span, "async for"));
                }
                let it = self.eval(ctx, &f.iter)?;
                let items = self.iterate(&it, span)?;
                for item in items {
                    self.tick(span)?;
                    self.assign(ctx, &f.target, item)?;
                    match self.exec_block(ctx, &f.body)? {
                        Flow::Break => return Ok(Flow::Normal),
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
                return self.exec_block(ctx, &f.orelse);
            }
            Stmt::Break(_) => return Ok(Flow::Break),
            Stmt::Continue(_) => return Ok(Flow::Continue),
            Stmt::Import(imp) => {
                for alias in &imp.names {
                    let name = alias.name.id.as_str();
                    let m = self.import(name, span)?;
                    match &alias.asname {
                        Some(asname) => self.store_name(ctx, asname.id.as_str(), Value::Obj(m)),
                        None => {
                            let top = name.split('.').next().unwrap_or(name);
                            let tm = self.p.modules[top];
                            self.store_name(ctx, top, Value::Obj(tm));
                        }
                    }
                }
            }
            Stmt::ImportFrom(imp) => {
                let modname = if imp.level > 0 {
                    self.resolve_relative(ctx, imp.module.as_ref().map(|m| m.id.as_str()), imp.level)
                } else {
                    imp.module.as_ref().map(|m| m.id.to_string()).unwrap_or_default()
                };
                let m = self.import(&modname, span)?;
                for alias in &imp.names {
                    let name = alias.name.id.as_str();
                    if name == "*" {
                        let globals: Vec<(Arc<str>, Value)> = self.p.heap.module(m).map(|md| md.globals.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default();
                        for (k, v) in globals {
                            if !k.starts_with('_') {
                                self.store_name(ctx, &k, v);
                            }
                        }
                        continue;
                    }
                    let v = match self.p.heap.module(m).and_then(|md| md.globals.get(name).cloned()) {
                        Some(v) => v,
                        None => {
                            let sub = format!("{modname}.{name}");
                            match self.import(&sub, span) {
                                Ok(sm) => Value::Obj(sm),
                                Err(Exc::Py { value, .. }) if self.import_diags.contains_key(&value) => {
                                    let aspan = self.span(ctx, alias.range());
                                    let d = Diagnostic::error("E0106", format!("cannot import name '{name}' from '{modname}'")).with_primary(aspan, "not defined in that module");
                                    let d = if modname.starts_with("rpython") || modname.starts_with("kiln") {
                                        d.with_note("Kiln provides the names listed in docs/language.md (\"Porting from RPython\"); RPython code that guards an import with `try: ... except ImportError:` runs its fallback")
                                    } else {
                                        d
                                    };
                                    return Err(self.import_error("ImportError", format!("cannot import name '{name}' from '{modname}'"), aspan, d));
                                }
                                Err(e) => return Err(e),
                            }
                        }
                    };
                    let bind = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                    self.store_name(ctx, bind, v);
                }
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) => {}
            Stmt::Raise(r) => {
                let Some(exc) = &r.exc else {
                    return Err(self.raise("RuntimeError", "No active exception to reraise", span));
                };
                let v = self.eval(ctx, exc)?;
                let inst = self.exception_instance(v, span)?;
                return Err(Exc::Py { value: inst, span, trace: Vec::new() });
            }
            Stmt::Try(t) => return self.exec_try(ctx, t),
            Stmt::Assert(a) => {
                let v = self.eval(ctx, &a.test)?;
                if !ops::truth(&self.p.heap, &v) {
                    let msg = match &a.msg {
                        Some(m) => {
                            let mv = self.eval(ctx, m)?;
                            ops::to_str(&self.p.heap, &mv)
                        }
                        None => String::new(),
                    };
                    return Err(self.raise("AssertionError", msg, span));
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    let tspan = self.span(ctx, t.range());
                    match t {
                        Expr::Name(n) => self.delete_name(ctx, n.id.as_str(), tspan)?,
                        Expr::Subscript(s) => {
                            let obj = self.eval(ctx, &s.value)?;
                            let key = self.eval(ctx, &s.slice)?;
                            self.delitem(&obj, &key, tspan)?;
                        }
                        _ => return Err(unsupported(tspan, "this kind of del target")),
                    }
                }
            }
            Stmt::With(_) => return Err(unsupported(span, "the with statement")),
            Stmt::Match(_) => return Err(unsupported(span, "the match statement")),
            Stmt::TypeAlias(_) => return Err(unsupported(span, "type aliases")),
            Stmt::IpyEscapeCommand(_) => return Err(unsupported(span, "IPython escapes")),
        }
        Ok(Flow::Normal)
    }

    fn exec_try(&mut self, ctx: &Ctx, t: &ast::StmtTry) -> R<Flow> {
        let result = self.exec_block(ctx, &t.body);
        let result = match result {
            Err(Exc::Py { value, span, trace }) => {
                let mut handled = None;
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    let matches = match &h.type_ {
                        None => true,
                        Some(te) => {
                            let cls = self.eval(ctx, te)?;
                            self.exc_matches(&value, &cls)
                        }
                    };
                    if matches {
                        if let Some(name) = &h.name {
                            self.store_name(ctx, name.id.as_str(), value.clone());
                        }
                        handled = Some(self.exec_block(ctx, &h.body));
                        break;
                    }
                }
                handled.unwrap_or(Err(Exc::Py { value, span, trace }))
            }
            Ok(Flow::Normal) => self.exec_block(ctx, &t.orelse),
            other => other,
        };
        if !t.finalbody.is_empty() {
            match self.exec_block(ctx, &t.finalbody)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        result
    }

    fn exc_matches(&self, exc: &Value, cls: &Value) -> bool {
        let Some(ec) = exc.as_obj().and_then(|i| self.p.heap.instance(i)).map(|i| i.class) else { return false };
        match cls {
            Value::Obj(c) => match self.p.heap.get(*c) {
                Object::Class(_) => self.p.heap.is_subclass(ec, *c),
                Object::Tuple(items) => items.iter().any(|x| self.exc_matches(exc, x)),
                _ => false,
            },
            _ => false,
        }
    }

    /// `raise X`: X may be an exception class (instantiated with no arguments) or instance.
    fn exception_instance(&mut self, v: Value, span: Span) -> R<Value> {
        let base = self.classes().get("BaseException");
        if let Value::Obj(id) = &v {
            if let Some(c) = self.p.heap.class(*id) {
                if c.mro.contains(&base) {
                    return self.call(v, Vec::new(), Vec::new(), span);
                }
            }
            if let Some(i) = self.p.heap.instance(*id) {
                if self.p.heap.is_subclass(i.class, base) {
                    return Ok(v);
                }
            }
        }
        Err(self.raise("TypeError", "exceptions must derive from BaseException", span))
    }

    pub(crate) fn assign(&mut self, ctx: &Ctx, target: &Expr, v: Value) -> R<()> {
        let span = self.span(ctx, target.range());
        match target {
            Expr::Name(n) => {
                self.store_name(ctx, n.id.as_str(), v);
                Ok(())
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                let items = self.iterate(&v, span)?;
                if items.len() != elts.len() {
                    let msg = if items.len() > elts.len() {
                        format!("too many values to unpack (expected {})", elts.len())
                    } else {
                        format!("not enough values to unpack (expected {}, got {})", elts.len(), items.len())
                    };
                    return Err(self.raise("ValueError", msg, span));
                }
                for (t, item) in elts.iter().zip(items) {
                    self.assign(ctx, t, item)?;
                }
                Ok(())
            }
            Expr::Attribute(a) => {
                let obj = self.eval(ctx, &a.value)?;
                self.setattr(&obj, a.attr.id.as_str(), v, span)
            }
            Expr::Subscript(s) => {
                let obj = self.eval(ctx, &s.value)?;
                let key = self.eval(ctx, &s.slice)?;
                self.setitem(&obj, key, v, span)
            }
            _ => Err(unsupported(span, "this assignment target")),
        }
    }

    // ----- functions and classes -------------------------------------------------------

    fn params(&mut self, ctx: &Ctx, p: &ast::Parameters) -> R<(Params, Vec<Value>, IndexMap<Arc<str>, Value>)> {
        let mut params = Params::default();
        let mut defaults = Vec::new();
        for a in p.posonlyargs.iter().chain(p.args.iter()) {
            params.positional.push(Arc::from(a.parameter.name.id.as_str()));
            if let Some(d) = &a.default {
                defaults.push(self.eval(ctx, d)?);
            } else if !defaults.is_empty() {
                let span = self.span(ctx, a.range());
                return Err(unsupported(span, "a parameter without default after one with a default"));
            }
        }
        params.posonly = p.posonlyargs.len();
        let mut kwdefaults = IndexMap::new();
        for a in &p.kwonlyargs {
            let name: Arc<str> = Arc::from(a.parameter.name.id.as_str());
            params.kwonly.push(name.clone());
            if let Some(d) = &a.default {
                let v = self.eval(ctx, d)?;
                kwdefaults.insert(name, v);
            }
        }
        params.vararg = p.vararg.as_ref().map(|a| Arc::from(a.name.id.as_str()));
        params.kwarg = p.kwarg.as_ref().map(|a| Arc::from(a.name.id.as_str()));
        Ok((params, defaults, kwdefaults))
    }

    fn enclosing_env(ctx: &Ctx) -> Option<ObjId> {
        match &ctx.scope {
            Scope::Module => None,
            Scope::Function { env, .. } => Some(*env),
            Scope::Class { outer, .. } => *outer,
        }
    }

    fn qualname(&self, ctx: &Ctx, name: &str) -> String {
        match &ctx.scope {
            Scope::Class { class, .. } => format!("{}.{}", self.p.heap.class(*class).map_or("?", |c| &c.qualname), name),
            Scope::Function { .. } => match ctx.func.and_then(|f| self.p.heap.function(f)) {
                Some(f) => format!("{}.<locals>.{}", f.qualname, name),
                None => name.to_string(),
            },
            Scope::Module => name.to_string(),
        }
    }

    fn make_function(&mut self, ctx: &Ctx, def: &ast::StmtFunctionDef) -> R<ObjId> {
        let span = self.span(ctx, TextRange::new(def.range().start(), def.parameters.range().end()));
        if def.is_async {
            return Err(unsupported(span, "async def"));
        }
        let (params, defaults, kwdefaults) = self.params(ctx, &def.parameters)?;
        let class = match &ctx.scope {
            Scope::Class { class, .. } => Some(*class),
            _ => None,
        };
        let f = Function {
            name: Arc::from(def.name.id.as_str()),
            qualname: self.qualname(ctx, def.name.id.as_str()),
            module: ctx.module,
            file: ctx.file,
            body: FuncBody::Def(AstRef::new(&ctx.root, def)),
            params,
            defaults,
            kwdefaults,
            env: Self::enclosing_env(ctx),
            attrs: IndexMap::new(),
            class,
            hints: FuncHints::default(),
            specialize: None,
            span,
        };
        Ok(self.p.heap.alloc(Object::Function(f)))
    }

    fn make_lambda(&mut self, ctx: &Ctx, l: &ast::ExprLambda) -> R<Value> {
        let span = self.span(ctx, l.range());
        let (params, defaults, kwdefaults) = match &l.parameters {
            Some(p) => self.params(ctx, p)?,
            None => (Params::default(), Vec::new(), IndexMap::new()),
        };
        let f = Function {
            name: Arc::from("<lambda>"),
            qualname: self.qualname(ctx, "<lambda>"),
            module: ctx.module,
            file: ctx.file,
            body: FuncBody::Lambda(AstRef::new(&ctx.root, l)),
            params,
            defaults,
            kwdefaults,
            env: Self::enclosing_env(ctx),
            attrs: IndexMap::new(),
            class: None,
            hints: FuncHints::default(),
            specialize: None,
            span,
        };
        Ok(Value::Obj(self.p.heap.alloc(Object::Function(f))))
    }

    fn make_class(&mut self, ctx: &Ctx, cd: &ast::StmtClassDef) -> R<ObjId> {
        let span = self.span(ctx, cd.name.range());
        let mut bases = Vec::new();
        let mut explicit_meta = None;
        if let Some(args) = &cd.arguments {
            for k in args.keywords.iter() {
                match k.arg.as_ref().map(|a| a.id.as_str()) {
                    Some("metaclass") => explicit_meta = Some((self.eval(ctx, &k.value)?, self.span(ctx, k.range()))),
                    _ => return Err(unsupported(self.span(ctx, k.range()), "class keywords other than metaclass=")),
                }
            }
            for b in args.args.iter() {
                let bspan = self.span(ctx, b.range());
                let v = self.eval(ctx, b)?;
                match v.as_obj().map(|o| (o, self.p.heap.get(o))) {
                    Some((o, Object::Class(_))) => bases.push(o),
                    _ => {
                        return Err(Exc::Diag(
                            Diagnostic::error("E0107", format!("a base class must be a class, not {}", self.p.heap.describe(&v)))
                                .with_primary(bspan, "this base"),
                        ))
                    }
                }
            }
        }
        if bases.is_empty() {
            bases.push(self.classes().object);
        }
        let mro = self.c3_mro(&bases).ok_or_else(|| {
            Exc::Diag(Diagnostic::error("E0108", "cannot create a consistent method resolution order for these bases").with_primary(span, "in this class"))
        })?;
        let name = cd.name.id.as_str();
        let class = self.p.heap.alloc(Object::Class(Class {
            name: Arc::from(name),
            qualname: self.qualname(ctx, name),
            module: Some(ctx.module),
            bases,
            mro: Vec::new(),
            dict: IndexMap::new(),
            builtin: false,
            metaclass: None,
            span,
        }));
        let mut full = vec![class];
        full.extend(mro);
        let modname = self.p.heap.module(ctx.module).map_or(String::new(), |m| m.name.clone());
        if let Object::Class(c) = self.p.heap.get_mut(class) {
            c.mro = full;
            c.dict.insert(Arc::from("__module__"), Value::str(&modname));
        }
        let meta = self.metaclass_of(explicit_meta, class, span)?;
        let body_ctx = Ctx { scope: Scope::Class { class, outer: Self::enclosing_env(ctx) }, ..ctx.clone() };
        match self.exec_block(&body_ctx, &cd.body)? {
            Flow::Normal => {}
            _ => return Err(unsupported(span, "return/break/continue in a class body")),
        }
        match meta {
            None => Ok(class),
            Some(m) => self.apply_metaclass(m, class, span),
        }
    }

    /// C3 linearisation of the bases' MROs (the class itself is prepended by the caller).
    pub(crate) fn c3_mro(&self, bases: &[ObjId]) -> Option<Vec<ObjId>> {
        let mut seqs: Vec<Vec<ObjId>> = bases.iter().map(|b| self.p.heap.class(*b).map_or(vec![*b], |c| c.mro.clone())).collect();
        seqs.push(bases.to_vec());
        let mut out = Vec::new();
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                return Some(out);
            }
            let head = seqs.iter().map(|s| s[0]).find(|h| !seqs.iter().any(|s| s[1..].contains(h)))?;
            out.push(head);
            for s in &mut seqs {
                if s[0] == head {
                    s.remove(0);
                }
            }
        }
    }

    fn body_decls(body: &[Stmt], globals: &mut HashSet<String>, nonlocals: &mut HashSet<String>) {
        for s in body {
            match s {
                Stmt::Global(g) => globals.extend(g.names.iter().map(|n| n.id.to_string())),
                Stmt::Nonlocal(n) => nonlocals.extend(n.names.iter().map(|n| n.id.to_string())),
                Stmt::If(i) => {
                    Self::body_decls(&i.body, globals, nonlocals);
                    for c in &i.elif_else_clauses {
                        Self::body_decls(&c.body, globals, nonlocals);
                    }
                }
                Stmt::While(w) => {
                    Self::body_decls(&w.body, globals, nonlocals);
                    Self::body_decls(&w.orelse, globals, nonlocals);
                }
                Stmt::For(f) => {
                    Self::body_decls(&f.body, globals, nonlocals);
                    Self::body_decls(&f.orelse, globals, nonlocals);
                }
                Stmt::Try(t) => {
                    Self::body_decls(&t.body, globals, nonlocals);
                    Self::body_decls(&t.orelse, globals, nonlocals);
                    Self::body_decls(&t.finalbody, globals, nonlocals);
                    for h in &t.handlers {
                        let ast::ExceptHandler::ExceptHandler(h) = h;
                        Self::body_decls(&h.body, globals, nonlocals);
                    }
                }
                _ => {}
            }
        }
    }

    pub(crate) fn call_function(&mut self, fid: ObjId, mut args: Vec<Value>, kwargs: Vec<(Arc<str>, Value)>, span: Span) -> R<Value> {
        let f = self.p.heap.function(fid).expect("caller checked").clone();
        if self.depth >= MAX_DEPTH {
            return Err(self.raise("RecursionError", "maximum recursion depth exceeded at import time", span));
        }
        let mut extra = Vec::new();
        if f.params.vararg.is_some() && args.len() > f.params.positional.len() {
            extra = args.split_off(f.params.positional.len());
        }
        if f.params.kwarg.is_some() {
            return Err(unsupported(f.span, "**kwargs parameters"));
        }
        let kwd: Vec<(Arc<str>, Value)> = f.kwdefaults.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let bound = callargs::bind(&f.qualname, &f.params, &f.defaults, &kwd, args, kwargs).map_err(|e| self.raise("TypeError", e.0, span))?;
        let mut vars = IndexMap::new();
        for (name, v) in f.params.positional.iter().chain(f.params.kwonly.iter()).zip(bound) {
            vars.insert(name.clone(), v);
        }
        if let Some(va) = &f.params.vararg {
            let t = self.p.heap.alloc(Object::Tuple(extra));
            vars.insert(va.clone(), Value::Obj(t));
        }
        let env = self.p.heap.alloc(Object::Env(Env { vars, parent: f.env }));
        let (root, result) = match &f.body {
            FuncBody::Def(d) => {
                let mut g = HashSet::new();
                let mut n = HashSet::new();
                Self::body_decls(&d.body, &mut g, &mut n);
                let ctx = Ctx {
                    module: f.module,
                    file: f.file,
                    root: d.root().clone(),
                    scope: Scope::Function { env, globals_decl: Arc::new(g), nonlocal_decl: Arc::new(n) },
                    func: Some(fid),
                };
                self.depth += 1;
                let r = self.exec_block(&ctx, &d.body);
                self.depth -= 1;
                (d.root().clone(), r.map(|flow| match flow {
                    Flow::Return(v) => v,
                    _ => Value::None,
                }))
            }
            FuncBody::Lambda(l) => {
                let ctx = Ctx {
                    module: f.module,
                    file: f.file,
                    root: l.root().clone(),
                    scope: Scope::Function { env, globals_decl: Arc::default(), nonlocal_decl: Arc::default() },
                    func: Some(fid),
                };
                self.depth += 1;
                let r = self.eval(&ctx, &l.body);
                self.depth -= 1;
                (l.root().clone(), r)
            }
        };
        let _ = root;
        result.map_err(|e| match e {
            Exc::Py { value, span: s, mut trace } => {
                trace.push(span);
                Exc::Py { value, span: s, trace }
            }
            other => other,
        })
    }

    /// Calls any callable value.
    pub(crate) fn call(&mut self, callee: Value, args: Vec<Value>, kwargs: Vec<(Arc<str>, Value)>, span: Span) -> R<Value> {
        self.tick(span)?;
        let Value::Obj(id) = callee else {
            let t = self.p.heap.type_name(&callee);
            return Err(self.raise("TypeError", format!("'{t}' object is not callable"), span));
        };
        match self.p.heap.get(id).clone() {
            Object::Function(_) => self.call_function(id, args, kwargs, span),
            Object::BoundMethod { func, receiver } => {
                let mut a = vec![receiver];
                a.extend(args);
                self.call(func, a, kwargs, span)
            }
            Object::Class(_) => self.instantiate(id, args, kwargs, span),
            Object::Builtin(b) => self.call_builtin(b, args, kwargs, span),
            Object::BuiltinType(t) => self.call_type(t, args, span),
            Object::Specializer(s) => {
                let [f] = args.as_slice() else { return Err(self.raise("TypeError", "a specializer decorates one function", span)) };
                match f.as_obj() {
                    Some(fo) if self.p.heap.function(fo).is_some() => {
                        if let Object::Function(func) = self.p.heap.get_mut(fo) {
                            func.specialize = Some(s);
                        }
                        Ok(f.clone())
                    }
                    _ => Err(self.raise("TypeError", "specialize decorators apply to functions", span)),
                }
            }
            Object::StaticMethod(f) => self.call(f, args, kwargs, span),
            Object::JitDriver(_) => Err(self.raise("TypeError", "'JitDriver' object is not callable", span)),
            Object::Native(n) => self.call_native(n, args, kwargs, span),
            _ => {
                let d = self.p.heap.describe(&callee);
                Err(self.raise("TypeError", format!("{d} is not callable"), span))
            }
        }
    }

    pub(crate) fn instantiate(&mut self, class: ObjId, args: Vec<Value>, kwargs: Vec<(Arc<str>, Value)>, span: Span) -> R<Value> {
        if let Some(r) = self.call_metaclass(class, &args, &kwargs, span) {
            return r;
        }
        let is_driver = self.p.heap.class(class).is_some_and(|c| c.mro.iter().any(|k| self.p.heap.class(*k).is_some_and(|kc| kc.builtin && &*kc.name == builtins::JITDRIVER_CLASS)));
        if is_driver {
            if !args.is_empty() {
                return Err(self.raise("TypeError", "JitDriver() takes keyword arguments only", span));
            }
            return self.make_jitdriver(Some(class), kwargs, span);
        }
        let inst = self.p.heap.alloc(Object::Instance(Instance { class, attrs: IndexMap::new() }));
        let base_exc = self.classes().get("BaseException");
        match self.p.heap.class_lookup(class, "__init__") {
            Some((_, init)) => {
                let mut a = vec![Value::Obj(inst)];
                a.extend(args);
                self.call(init, a, kwargs, span)?;
            }
            None => {
                if !args.is_empty() || !kwargs.is_empty() {
                    let name = self.p.heap.class(class).map_or("?".into(), |c| c.name.to_string());
                    return Err(self.raise("TypeError", format!("{name}() takes no arguments"), span));
                }
            }
        }
        if self.p.heap.is_subclass(class, base_exc) {
            if let Object::Instance(i) = self.p.heap.get_mut(inst) {
                i.attrs.entry(Arc::from("message")).or_insert(Value::None);
            }
        }
        Ok(Value::Obj(inst))
    }


    // ----- expressions -------------------------------------------------------------

    pub(crate) fn eval(&mut self, ctx: &Ctx, e: &Expr) -> R<Value> {
        let span = self.span(ctx, e.range());
        match e {
            Expr::NumberLiteral(n) => match &n.value {
                ast::Number::Int(i) => match i.as_i64() {
                    Some(v) => Ok(Value::Int(v)),
                    None => Err(Exc::Diag(
                        Diagnostic::error("E0110", "integer literal does not fit in 64 bits")
                            .with_primary(span, "too large")
                            .with_note("RPy ints are 64-bit machine words"),
                    )),
                },
                ast::Number::Float(f) => Ok(Value::Float(*f)),
                ast::Number::Complex { .. } => Err(unsupported(span, "complex numbers")),
            },
            Expr::StringLiteral(s) => Ok(Value::str(s.value.to_str())),
            Expr::BooleanLiteral(b) => Ok(Value::Bool(b.value)),
            Expr::NoneLiteral(_) => Ok(Value::None),
            Expr::BytesLiteral(b) => Ok(Value::Bytes(b.value.as_slice().iter().flat_map(|l| l.value.iter().copied()).collect())),
            Expr::EllipsisLiteral(_) => Err(unsupported(span, "Ellipsis")),
            Expr::FString(f) => {
                let mut out = String::new();
                for part in f.value.iter() {
                    match part {
                        ast::FStringPart::Literal(l) => out.push_str(&l.value),
                        ast::FStringPart::FString(fs) => self.eval_fstring_elements(ctx, &fs.elements, &mut out)?,
                    }
                }
                Ok(Value::str(&out))
            }
            Expr::Name(n) => match self.lookup(ctx, n.id.as_str()) {
                Some(v) => Ok(v),
                None => Err(self.raise("NameError", format!("name '{}' is not defined", n.id), span)),
            },
            Expr::Attribute(a) => {
                let obj = self.eval(ctx, &a.value)?;
                self.getattr(&obj, a.attr.id.as_str(), span)
            }
            Expr::Subscript(s) => {
                let obj = self.eval(ctx, &s.value)?;
                if let Expr::Slice(sl) = &*s.slice {
                    let bound = |x: &Option<Box<Expr>>, s: &mut Self| -> R<Option<i64>> {
                        match x {
                            None => Ok(None),
                            Some(e) => match s.eval(ctx, e)? {
                                Value::Int(i) => Ok(Some(i)),
                                Value::None => Ok(None),
                                _ => Err(s.raise("TypeError", "slice indices must be integers or None", span)),
                            },
                        }
                    };
                    let lo = bound(&sl.lower, self)?;
                    let hi = bound(&sl.upper, self)?;
                    let st = bound(&sl.step, self)?;
                    return ops::getslice(&mut self.p.heap, &obj, lo, hi, st).map_err(|e| self.py(e, span));
                }
                let idx = self.eval(ctx, &s.slice)?;
                self.getitem_value(&obj, &idx, span)
            }
            Expr::BinOp(b) => {
                let l = self.eval(ctx, &b.left)?;
                let r = self.eval(ctx, &b.right)?;
                let op = BinOp::from_ast(b.op).ok_or_else(|| unsupported(span, "the @ operator"))?;
                if let Some(v) = crate::native::set_binop(&mut self.p.heap, op, &l, &r) {
                    return Ok(v);
                }
                if op == BinOp::Mod && matches!(l, Value::Str(_)) {
                    self.check_percent_operands(&r, span)?;
                }
                ops::binary_op(&mut self.p.heap, op, &l, &r).map_err(|e| self.py(e, span))
            }
            Expr::UnaryOp(u) => {
                let v = self.eval(ctx, &u.operand)?;
                match u.op {
                    ast::UnaryOp::Not => Ok(Value::Bool(!ops::truth(&self.p.heap, &v))),
                    ast::UnaryOp::USub => ops::unary_neg(&v).map_err(|e| self.py(e, span)),
                    ast::UnaryOp::UAdd => Ok(v),
                    ast::UnaryOp::Invert => ops::unary_invert(&v).map_err(|e| self.py(e, span)),
                }
            }
            Expr::BoolOp(b) => {
                let mut last = Value::None;
                for (i, v) in b.values.iter().enumerate() {
                    last = self.eval(ctx, v)?;
                    let t = ops::truth(&self.p.heap, &last);
                    let stop = match b.op {
                        ast::BoolOp::And => !t,
                        ast::BoolOp::Or => t,
                    };
                    if stop || i == b.values.len() - 1 {
                        break;
                    }
                }
                Ok(last)
            }
            Expr::Compare(c) => {
                let mut left = self.eval(ctx, &c.left)?;
                for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
                    let r = self.eval(ctx, right)?;
                    let ok = self.compare_values(CmpOp::from_ast(*op), &left, &r, span)?;
                    if !ok {
                        return Ok(Value::Bool(false));
                    }
                    left = r;
                }
                Ok(Value::Bool(true))
            }
            Expr::If(i) => {
                let t = self.eval(ctx, &i.test)?;
                if ops::truth(&self.p.heap, &t) {
                    self.eval(ctx, &i.body)
                } else {
                    self.eval(ctx, &i.orelse)
                }
            }
            Expr::Call(c) => {
                // Zero-argument super() inside a method.
                if let Expr::Name(n) = &*c.func {
                    if n.id.as_str() == "super" && c.arguments.args.is_empty() && self.lookup(ctx, "super").is_some_and(|v| self.is_builtin(&v, Builtin::Super)) {
                        return self.zero_arg_super(ctx, span);
                    }
                }
                let f = self.eval(ctx, &c.func)?;
                if let Value::Obj(fo) = &f {
                    if let Object::Native(crate::native::Native::Func(nf @ (crate::native::NativeFn::Globals | crate::native::NativeFn::Vars))) = self.p.heap.get(*fo) {
                        if *nf == crate::native::NativeFn::Vars && (!c.arguments.args.is_empty() || !matches!(ctx.scope, Scope::Module)) {
                            return Err(unsupported(span, "vars() other than at module level"));
                        }
                        if !c.arguments.args.is_empty() || !c.arguments.keywords.is_empty() {
                            return Err(self.raise("TypeError", "globals() takes no arguments", span));
                        }
                        return Ok(Value::Obj(self.p.heap.alloc(Object::Native(crate::native::Native::Globals(ctx.module)))));
                    }
                }
                let mut args = Vec::new();
                for a in c.arguments.args.iter() {
                    if let Expr::Starred(s) = a {
                        let v = self.eval(ctx, &s.value)?;
                        args.extend(self.iterate(&v, span)?);
                    } else {
                        args.push(self.eval(ctx, a)?);
                    }
                }
                let mut kwargs = Vec::new();
                for k in c.arguments.keywords.iter() {
                    match &k.arg {
                        Some(name) => {
                            let v = self.eval(ctx, &k.value)?;
                            kwargs.push((Arc::from(name.id.as_str()), v));
                        }
                        None => return Err(unsupported(span, "**kwargs in calls")),
                    }
                }
                // Method calls on built-in values (`",".join(xs)`, `l.append(x)`).
                if let (Expr::Attribute(a), Value::Obj(bm)) = (&*c.func, &f) {
                    if let Object::BuiltinMethod { receiver, name } = self.p.heap.get(*bm).clone() {
                        let _ = a;
                        return crate::methods::call_method(self, &receiver, &name, args, span);
                    }
                }
                self.call(f, args, kwargs, span)
            }
            Expr::Tuple(t) => {
                let items = self.eval_elts(ctx, &t.elts, span)?;
                Ok(Value::Obj(self.p.heap.alloc(Object::Tuple(items))))
            }
            Expr::List(l) => {
                let items = self.eval_elts(ctx, &l.elts, span)?;
                Ok(Value::Obj(self.p.heap.alloc(Object::List(items))))
            }
            Expr::Dict(d) => {
                let mut dict = Dict::default();
                for item in &d.items {
                    let Some(kx) = &item.key else { return Err(unsupported(span, "** in dict displays")) };
                    let k = self.eval(ctx, kx)?;
                    let v = self.eval(ctx, &item.value)?;
                    let hk = ops::hash_key(&self.p.heap, &k).map_err(|e| self.py(e, span))?;
                    match dict.entries.get_mut(&hk) {
                        Some(slot) => slot.1 = v,
                        None => {
                            dict.entries.insert(hk, (k, v));
                        }
                    }
                }
                Ok(Value::Obj(self.p.heap.alloc(Object::Dict(dict))))
            }
            Expr::ListComp(lc) => {
                let mut out = Vec::new();
                self.comprehension(ctx, &lc.generators, 0, &mut |s, c| {
                    out.push(s.eval(c, &lc.elt)?);
                    Ok(())
                })?;
                Ok(Value::Obj(self.p.heap.alloc(Object::List(out))))
            }
            Expr::Generator(g) => {
                let mut out = Vec::new();
                self.comprehension(ctx, &g.generators, 0, &mut |s, c| {
                    out.push(s.eval(c, &g.elt)?);
                    Ok(())
                })?;
                Ok(Value::Obj(self.p.heap.alloc(Object::Iterator(out.into()))))
            }
            Expr::DictComp(dc) => {
                let mut dict = Dict::default();
                let Some(kx) = &dc.key else { return Err(unsupported(span, "** in dict comprehensions")) };
                self.comprehension(ctx, &dc.generators, 0, &mut |s, c| {
                    let k = s.eval(c, kx)?;
                    let v = s.eval(c, &dc.value)?;
                    let hk = ops::hash_key(&s.p.heap, &k).map_err(|e| s.py(e, span))?;
                    dict.entries.insert(hk, (k, v));
                    Ok(())
                })?;
                Ok(Value::Obj(self.p.heap.alloc(Object::Dict(dict))))
            }
            Expr::Lambda(l) => self.make_lambda(ctx, l),
            Expr::Named(n) => {
                let v = self.eval(ctx, &n.value)?;
                self.assign(ctx, &n.target, v.clone())?;
                Ok(v)
            }
            Expr::Starred(_) => Err(unsupported(span, "a starred expression here")),
            Expr::Slice(_) => Err(unsupported(span, "a slice outside a subscript")),
            Expr::Set(st) => {
                let items = self.eval_elts(ctx, &st.elts, span)?;
                self.make_set(items, span)
            }
            Expr::SetComp(sc) => {
                let mut out = Vec::new();
                self.comprehension(ctx, &sc.generators, 0, &mut |s, c| {
                    out.push(s.eval(c, &sc.elt)?);
                    Ok(())
                })?;
                self.make_set(out, span)
            }
            Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) => Err(unsupported(span, "generators and coroutines")),
            Expr::TString(_) => Err(unsupported(span, "template strings")),
            Expr::IpyEscapeCommand(_) => Err(unsupported(span, "IPython escapes")),
        }
    }

    pub(crate) fn is_builtin(&self, v: &Value, b: Builtin) -> bool {
        matches!(v, Value::Obj(o) if matches!(self.p.heap.get(*o), Object::Builtin(x) if *x == b))
    }

    fn zero_arg_super(&mut self, ctx: &Ctx, span: Span) -> R<Value> {
        let Some(f) = ctx.func.and_then(|f| self.p.heap.function(f)).cloned() else {
            return Err(self.raise("RuntimeError", "super(): no arguments", span));
        };
        let (Some(class), Some(first)) = (f.class, f.params.positional.first()) else {
            return Err(self.raise("RuntimeError", "super(): no arguments", span));
        };
        let receiver = self.lookup(ctx, first).unwrap_or(Value::None);
        Ok(Value::Obj(self.p.heap.alloc(Object::Super { after: class, receiver })))
    }

    fn eval_elts(&mut self, ctx: &Ctx, elts: &[Expr], span: Span) -> R<Vec<Value>> {
        let mut items = Vec::with_capacity(elts.len());
        for x in elts {
            if let Expr::Starred(s) = x {
                let v = self.eval(ctx, &s.value)?;
                items.extend(self.iterate(&v, span)?);
            } else {
                items.push(self.eval(ctx, x)?);
            }
        }
        Ok(items)
    }

    fn eval_fstring_elements(&mut self, ctx: &Ctx, elements: &ast::InterpolatedStringElements, out: &mut String) -> R<()> {
        for el in elements.iter() {
            match el {
                ast::InterpolatedStringElement::Literal(l) => out.push_str(&l.value),
                ast::InterpolatedStringElement::Interpolation(i) => {
                    let span = self.span(ctx, i.range());
                    let v = self.eval(ctx, &i.expression)?;
                    let mut spec = String::new();
                    if let Some(fs) = &i.format_spec {
                        self.eval_fstring_elements(ctx, &fs.elements, &mut spec)?;
                    }
                    self.check_shown(&v, span, "an f-string")?;
                    let text = match i.conversion {
                        ast::ConversionFlag::Repr => ops::repr(&self.p.heap, &v),
                        _ => {
                            if spec.is_empty() {
                                ops::to_str(&self.p.heap, &v)
                            } else {
                                crate::methods::format_spec(&self.p.heap, &v, &spec).map_err(|e| self.py(e, span))?
                            }
                        }
                    };
                    out.push_str(&text);
                }
            }
        }
        Ok(())
    }

    /// Runs `body` for every binding of a comprehension's generators, in a scope of its own.
    fn comprehension(&mut self, ctx: &Ctx, gens: &[ast::Comprehension], i: usize, body: &mut dyn FnMut(&mut Self, &Ctx) -> R<()>) -> R<()> {
        if i == 0 {
            let env = self.p.heap.alloc(Object::Env(Env { vars: IndexMap::new(), parent: Self::enclosing_env(ctx) }));
            let inner = Ctx { scope: Scope::Function { env, globals_decl: Arc::default(), nonlocal_decl: Arc::default() }, ..ctx.clone() };
            // The first iterable is evaluated in the enclosing scope, as in Python.
            let span = self.span(ctx, gens[0].range());
            let it = self.eval(ctx, &gens[0].iter)?;
            let items = self.iterate(&it, span)?;
            return self.comprehension_items(&inner, gens, 0, items, body);
        }
        let span = self.span(ctx, gens[i].range());
        let it = self.eval(ctx, &gens[i].iter)?;
        let items = self.iterate(&it, span)?;
        self.comprehension_items(ctx, gens, i, items, body)
    }

    fn comprehension_items(&mut self, ctx: &Ctx, gens: &[ast::Comprehension], i: usize, items: Vec<Value>, body: &mut dyn FnMut(&mut Self, &Ctx) -> R<()>) -> R<()> {
        let span = self.span(ctx, gens[i].range());
        'items: for item in items {
            self.tick(span)?;
            self.assign(ctx, &gens[i].target, item)?;
            for cond in &gens[i].ifs {
                let c = self.eval(ctx, cond)?;
                if !ops::truth(&self.p.heap, &c) {
                    continue 'items;
                }
            }
            if i + 1 < gens.len() {
                self.comprehension(ctx, gens, i + 1, body)?;
            } else {
                body(self, ctx)?;
            }
        }
        Ok(())
    }

    // ----- errors ------------------------------------------------------------------

    /// An `ImportError` (catchable at import time) that is reported as diagnostic `d`
    /// when nothing catches it.
    fn import_error(&mut self, class: &str, msg: String, span: Span, d: Diagnostic) -> Exc {
        let e = self.raise(class, msg, span);
        if let Exc::Py { value, .. } = &e {
            self.import_diags.insert(value.clone(), d);
        }
        e
    }

    pub(crate) fn exc_to_diag(&self, e: Exc) -> Diagnostic {
        match e {
            Exc::Diag(d) => d,
            Exc::Py { value, .. } if self.import_diags.contains_key(&value) => self.import_diags[&value].clone(),
            Exc::Py { value, span, trace } => {
                let (name, msg) = match value.as_obj().and_then(|o| self.p.heap.instance(o)) {
                    Some(i) => (
                        self.p.heap.class(i.class).map_or("Exception".to_string(), |c| c.name.to_string()),
                        match i.attrs.get("message") {
                            Some(Value::Str(m)) => m.to_string(),
                            _ => String::new(),
                        },
                    ),
                    None => ("Exception".into(), String::new()),
                };
                let text = if msg.is_empty() { name.clone() } else { format!("{name}: {msg}") };
                let mut d = Diagnostic::error("E0101", format!("exception at import time: {text}"))
                    .with_primary(span, "raised here")
                    .with_note("module-level code, class bodies and decorators run while Kiln imports the program");
                for s in trace.into_iter().rev() {
                    d = d.with_label(s, "called from here");
                }
                d
            }
        }
    }
}

/// Evaluates the program whose main file is `path`.
pub fn evaluate(path: &Path, loader: &mut dyn SourceLoader) -> Program {
    evaluate_with(path, loader, &EvalOptions::default())
}

/// What the translation's options tell import-time code.
#[derive(Clone, Debug, Default)]
pub struct EvalOptions {
    /// `--jit`: `driver.config.translation.jit` for a `target(driver, args)` function.
    pub jit: bool,
}

/// Evaluates the program whose main file is `path`, then calls its `target(driver,
/// args)` if it defines one (RPython's convention, `target.rs`).
pub fn evaluate_with(path: &Path, loader: &mut dyn SourceLoader, opts: &EvalOptions) -> Program {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    // The library first: `rpython.rlib.*` means Kiln's modules, whatever sits next to
    // the program.
    let mut ev = Evaluator::new(loader, vec![PathBuf::from(crate::library::LIBRARY_ROOT), dir]);
    ev.translation_jit = opts.jit;
    match ev.run_main(path) {
        Ok(m) => {
            ev.p.main = Some(m);
            match ev.run_target(m) {
                Ok(target) => ev.p.target = target,
                Err(d) => {
                    ev.p.diagnostics.push(d);
                    return ev.p;
                }
            }
            ev.import_function_level();
            let entry = ev.p.heap.module(m).and_then(|md| md.globals.get("entry_point").cloned());
            ev.p.entry = match &ev.p.target {
                Some(t) => Some(t.entry),
                None => entry.and_then(|v| v.as_obj()).filter(|o| ev.p.heap.function(*o).is_some()),
            };
        }
        Err(d) => ev.p.diagnostics.push(d),
    }
    ev.p
}
