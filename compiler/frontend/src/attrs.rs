//! Attribute lookup on import-time values, shared by the evaluator and by the flowspace
//! (which folds `module.name` and `Class.attr` on constants the same way).

use std::sync::Arc;

use crate::builtins::Builtin;
use crate::value::{Heap, Object, Value};

/// The result of looking an attribute up.
#[derive(Clone, Debug, PartialEq)]
pub enum Attr {
    /// The attribute's value as is.
    Plain(Value),
    /// A function found on the class of an instance: a method bound to the instance.
    Bind { func: Value, receiver: Value },
    /// A built-in method bound to a receiver (`driver.jit_merge_point`).
    BindBuiltin(Builtin, Value),
    /// A method of a str, list or dict value (`",".join`).
    ValueMethod { receiver: Value, name: Arc<str> },
}

/// The methods of built-in values that import-time code may call.
pub const STR_METHODS: &[&str] = &[
    "join", "split", "rsplit", "strip", "lstrip", "rstrip", "startswith", "endswith", "find", "rfind", "replace", "lower", "upper", "isdigit",
    "isalpha", "isalnum", "isspace", "count", "index", "format",
];
pub const LIST_METHODS: &[&str] = &["append", "extend", "pop", "insert", "index", "remove", "reverse", "sort", "count", "copy"];
pub const DICT_METHODS: &[&str] = &["get", "items", "keys", "values", "setdefault", "pop", "update", "copy", "clear"];

pub fn lookup_attr(heap: &Heap, obj: &Value, name: &str) -> Option<Attr> {
    let value_method = |methods: &[&str]| {
        methods.contains(&name).then(|| Attr::ValueMethod { receiver: obj.clone(), name: Arc::from(name) })
    };
    match obj {
        Value::Str(_) => value_method(STR_METHODS),
        Value::Obj(id) => match heap.get(*id) {
            Object::Module(m) => m.globals.get(name).cloned().map(Attr::Plain),
            Object::Class(c) => {
                match name {
                    "__name__" => return Some(Attr::Plain(Value::Str(c.name.clone()))),
                    "__qualname__" => return Some(Attr::Plain(Value::str(&c.qualname))),
                    _ => {}
                }
                let (_, v) = heap.class_lookup(*id, name)?;
                Some(Attr::Plain(unwrap_static(heap, v)))
            }
            Object::Instance(i) => {
                if let Some(v) = i.attrs.get(name) {
                    return Some(Attr::Plain(v.clone()));
                }
                if name == "__class__" {
                    return Some(Attr::Plain(Value::Obj(i.class)));
                }
                let (_, v) = heap.class_lookup(i.class, name)?;
                match &v {
                    Value::Obj(f) if matches!(heap.get(*f), Object::Function(_) | Object::Builtin(Builtin::ExcInit)) => {
                        Some(Attr::Bind { func: v.clone(), receiver: obj.clone() })
                    }
                    _ => Some(Attr::Plain(unwrap_static(heap, v))),
                }
            }
            Object::Function(f) => match name {
                "__name__" => Some(Attr::Plain(Value::Str(f.name.clone()))),
                "__qualname__" => Some(Attr::Plain(Value::str(&f.qualname))),
                _ => f.attrs.get(name).cloned().map(Attr::Plain),
            },
            Object::JitDriver(_) => match name {
                "jit_merge_point" => Some(Attr::BindBuiltin(Builtin::JitMergePoint, obj.clone())),
                "can_enter_jit" => Some(Attr::BindBuiltin(Builtin::CanEnterJit, obj.clone())),
                _ => None,
            },
            Object::List(_) => value_method(LIST_METHODS),
            Object::Dict(_) => value_method(DICT_METHODS),
            _ => None,
        },
        _ => None,
    }
}

fn unwrap_static(heap: &Heap, v: Value) -> Value {
    match &v {
        Value::Obj(o) => match heap.get(*o) {
            Object::StaticMethod(f) => f.clone(),
            _ => v,
        },
        _ => v,
    }
}
