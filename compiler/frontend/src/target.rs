//! RPython's target convention: a main module that defines `target(driver, args)`
//! returning `(entry_point, None)` instead of (or as well as) an `entry_point` function.
//!
//! As RPython's `rpython` command does, Kiln calls `target` at the end of import time
//! with a translation driver (`rpython.translator.driver.TranslationDriver`) whose
//! `config.translation.jit` says whether `--jit` was given, and reads back the entry
//! point it returns and the `exe_name` it may have set. `jitpolicy(driver)`, RPython's
//! hook for the JIT's inlining policy, is recorded; Kiln's JIT reads no policy yet, so it
//! is not called.

use std::sync::Arc;

use indexmap::IndexMap;
use kiln_diagnostics::{Diagnostic, Span};

use crate::eval::{Evaluator, Exc, R};
use crate::native::{self, NativeFn};
use crate::value::{Class, Heap, Instance, ObjId, Object, Value};
use crate::BuiltinClasses;

/// What a `target` function gave.
#[derive(Clone, Debug)]
pub struct Target {
    /// The entry point `target` returned.
    pub entry: ObjId,
    /// `driver.exe_name`, when `target` set it to a str.
    pub exe_name: Option<String>,
    /// The main module's `jitpolicy` function, if it defines one.
    pub jitpolicy: Option<ObjId>,
}

/// The module `rpython.translator.driver`: the class `TranslationDriver`, whose
/// instances carry `config.translation.jit` and `exe_name`.
pub(crate) fn driver_module_globals(heap: &mut Heap, classes: &BuiltinClasses, g: &mut IndexMap<Arc<str>, Value>) {
    let class = heap.alloc(Object::Class(Class {
        name: Arc::from("TranslationDriver"),
        qualname: "TranslationDriver".into(),
        module: None,
        bases: vec![classes.object],
        mro: Vec::new(),
        dict: IndexMap::new(),
        builtin: true,
        metaclass: None,
        span: Span::DUMMY,
    }));
    let mut dict = IndexMap::new();
    native::add_fn(heap, &mut dict, "__init__", NativeFn::TranslationDriverInit);
    if let Object::Class(c) = heap.get_mut(class) {
        c.mro = vec![class, classes.object];
        c.dict = dict;
    }
    g.insert(Arc::from("TranslationDriver"), Value::Obj(class));
}

/// The module `rpython.jit.codewriter.policy`: `JitPolicy`, the object a target's
/// `jitpolicy(driver)` returns. Kiln's JIT does not read a policy yet, so the class has
/// nothing in it; it exists so that targets import it as they do for RPython.
pub(crate) fn policy_module_globals(heap: &mut Heap, classes: &BuiltinClasses, g: &mut IndexMap<Arc<str>, Value>) {
    let class = heap.alloc(Object::Class(Class {
        name: Arc::from("JitPolicy"),
        qualname: "JitPolicy".into(),
        module: None,
        bases: vec![classes.object],
        mro: Vec::new(),
        dict: IndexMap::new(),
        builtin: true,
        metaclass: None,
        span: Span::DUMMY,
    }));
    if let Object::Class(c) = heap.get_mut(class) {
        c.mro = vec![class, classes.object];
    }
    g.insert(Arc::from("JitPolicy"), Value::Obj(class));
}

impl Evaluator<'_> {
    /// `TranslationDriver.__init__(self)`: `self.config.translation.jit` and
    /// `self.exe_name` (None until the target sets it).
    pub(crate) fn translation_driver_init(&mut self, args: &[Value], span: Span) -> R<Value> {
        let Some(Value::Obj(inst)) = args.first() else { return Err(self.raise("TypeError", "TranslationDriver.__init__ needs an instance", span)) };
        let object = self.classes().object;
        let namespace = |heap: &mut Heap, attrs: IndexMap<Arc<str>, Value>| Value::Obj(heap.alloc(Object::Instance(Instance { class: object, attrs })));
        let mut translation = IndexMap::new();
        translation.insert(Arc::from("jit"), Value::Bool(self.translation_jit));
        let translation = namespace(&mut self.p.heap, translation);
        let mut config = IndexMap::new();
        config.insert(Arc::from("translation"), translation);
        let config = namespace(&mut self.p.heap, config);
        if let Object::Instance(i) = self.p.heap.get_mut(*inst) {
            i.attrs.insert(Arc::from("config"), config);
            i.attrs.insert(Arc::from("exe_name"), Value::None);
        }
        Ok(Value::None)
    }

    /// Calls the main module's `target(driver, [])`, if it defines one, and returns what
    /// it gave. Errors are import-time failures, reported like any other.
    pub(crate) fn run_target(&mut self, main: ObjId) -> Result<Option<Target>, Diagnostic> {
        let globals = self.p.heap.module(main).map(|m| m.globals.clone()).unwrap_or_default();
        let Some(target) = globals.get("target").cloned() else { return Ok(None) };
        let Some(tf) = target.as_obj().and_then(|o| self.p.heap.function(o)) else { return Ok(None) };
        let span = tf.span;
        let jitpolicy = globals.get("jitpolicy").and_then(Value::as_obj).filter(|o| self.p.heap.function(*o).is_some());
        let result = (|| -> R<Target> {
            let module = self.import("rpython.translator.driver", span)?;
            let class = self.p.heap.module(module).and_then(|m| m.globals.get("TranslationDriver").cloned()).expect("the driver module defines TranslationDriver");
            let driver = self.call(class, Vec::new(), Vec::new(), span)?;
            let args = Value::Obj(self.p.heap.alloc(Object::List(Vec::new())));
            let returned = self.call(target.clone(), vec![driver.clone(), args], Vec::new(), span)?;
            let entry = match returned.as_obj().map(|o| self.p.heap.get(o)) {
                Some(Object::Tuple(items)) if items.len() == 2 => items[0].as_obj().filter(|o| self.p.heap.function(*o).is_some()),
                _ => None,
            };
            let Some(entry) = entry else {
                let what = self.p.heap.describe(&returned);
                return Err(Exc::Diag(
                    Diagnostic::error("E0005", format!("`target` must return `(entry_point, None)`, but it returned {what}"))
                        .with_primary(span, "this target")
                        .with_note("RPython's target convention: `def target(driver, args): return entry_point, None`"),
                ));
            };
            let exe_name = match driver.as_obj().and_then(|o| self.p.heap.instance(o)).and_then(|i| i.attrs.get("exe_name")) {
                Some(Value::Str(s)) => Some(s.to_string()),
                _ => None,
            };
            Ok(Target { entry, exe_name, jitpolicy })
        })();
        result.map(Some).map_err(|e| self.exc_to_diag(e))
    }
}
