//! Methods of built-in values at import time (`",".join(names)`, `table.append(f)`,
//! `d.items()`), and Python's format-spec mini-language used by f-strings.

use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};

use crate::eval::{Evaluator, Exc};
use crate::ops::{self, err, OpResult};
use crate::value::{Dict, Heap, Object, Value};

type R<T> = Result<T, Exc>;

fn arg_str(v: Option<&Value>) -> Option<Arc<str>> {
    match v {
        Some(Value::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

pub(crate) fn call_method(ev: &mut Evaluator, receiver: &Value, name: &str, args: Vec<Value>, span: Span) -> R<Value> {
    if matches!((receiver, name), (Value::Str(_), "encode") | (Value::Bytes(_), "decode")) {
        let refs: Vec<&Value> = args.iter().collect();
        return ops::codec_method(receiver, name, &refs).ok_or_else(|| {
            Exc::Diag(Diagnostic::error("E0334", format!("this {name}() is not supported at import time")).with_primary(span, "here").with_note("Kiln encodes and decodes UTF-8 and ASCII (no errors argument), and reports an encoding error rather than raising it"))
        });
    }
    match receiver {
        Value::Str(s) => str_method(ev, s, name, &args).map_err(|e| ev_py(ev, e, span)),
        Value::Obj(o) => {
            let o = *o;
            match ev.p.heap.get(o) {
                Object::List(_) => list_method(ev, o, name, args, span),
                Object::Dict(_) => dict_method(ev, o, name, args, span),
                Object::Native(_) => ev.native_method(o, name, args, span),
                _ => Err(ev_py(ev, ops::PyErr { class: "AttributeError", msg: format!("no method '{name}'") }, span)),
            }
        }
        _ => Err(ev_py(ev, ops::PyErr { class: "AttributeError", msg: format!("no method '{name}'") }, span)),
    }
}

fn ev_py(ev: &mut Evaluator, e: ops::PyErr, span: Span) -> Exc {
    let cls = *ev.p.classes.by_name.get(e.class).unwrap_or(&ev.p.classes.get("Exception"));
    let mut attrs = indexmap::IndexMap::new();
    attrs.insert(Arc::from("message"), Value::str(&e.msg));
    let inst = ev.p.heap.alloc(Object::Instance(crate::value::Instance { class: cls, attrs }));
    Exc::Py { value: Value::Obj(inst), span, trace: Vec::new() }
}

fn str_method(ev: &mut Evaluator, s: &str, name: &str, args: &[Value]) -> OpResult<Value> {
    let a0 = arg_str(args.first());
    let r = match name {
        "join" => {
            let items = match args.first() {
                Some(Value::Obj(o)) => match ev.p.heap.get(*o) {
                    Object::List(v) | Object::Tuple(v) => v.clone(),
                    _ => return err("TypeError", "join() expects a list or tuple"),
                },
                _ => return err("TypeError", "join() expects a list or tuple"),
            };
            let parts: Vec<String> = items
                .iter()
                .map(|i| match i {
                    Value::Str(x) => Ok(x.to_string()),
                    _ => err("TypeError", "sequence item: expected str instance"),
                })
                .collect::<OpResult<_>>()?;
            Value::str(&parts.join(s))
        }
        "split" | "rsplit" => {
            let max = match args.get(1) {
                None => usize::MAX,
                Some(Value::Int(n)) => usize::try_from(*n).unwrap_or(usize::MAX),
                Some(_) => return err("TypeError", "'maxsplit' must be an int"),
            };
            let sep = match args.first() {
                None | Some(Value::None) => None,
                Some(Value::Str(sep)) if sep.is_empty() => return err("ValueError", "empty separator"),
                Some(Value::Str(sep)) => Some(sep.clone()),
                Some(_) => return err("TypeError", "must be str or None"),
            };
            let parts: Vec<&str> = match (&sep, name == "rsplit") {
                (Some(sep), false) => s.splitn(max.saturating_add(1), &**sep).collect(),
                (Some(sep), true) => {
                    let mut v: Vec<&str> = s.rsplitn(max.saturating_add(1), &**sep).collect();
                    v.reverse();
                    v
                }
                (None, false) => {
                    let (mut out, mut rest) = (Vec::new(), s.trim_start());
                    while out.len() < max && !rest.is_empty() {
                        match rest.find(char::is_whitespace) {
                            Some(i) => {
                                out.push(&rest[..i]);
                                rest = rest[i..].trim_start();
                            }
                            None => {
                                out.push(rest);
                                rest = "";
                            }
                        }
                    }
                    if !rest.is_empty() {
                        out.push(rest);
                    }
                    out
                }
                (None, true) => {
                    let (mut out, mut rest) = (Vec::new(), s.trim_end());
                    while out.len() < max && !rest.is_empty() {
                        match rest.char_indices().rev().find(|(_, c)| c.is_whitespace()) {
                            Some((i, c)) => {
                                out.push(&rest[i + c.len_utf8()..]);
                                rest = rest[..i].trim_end();
                            }
                            None => {
                                out.push(rest);
                                rest = "";
                            }
                        }
                    }
                    if !rest.is_empty() {
                        out.push(rest);
                    }
                    out.reverse();
                    out
                }
            };
            let parts = parts.into_iter().map(Value::str).collect();
            Value::Obj(ev.p.heap.alloc(Object::List(parts)))
        }
        "strip" => Value::str(s.trim()),
        "lstrip" => Value::str(s.trim_start()),
        "rstrip" => Value::str(s.trim_end()),
        "startswith" => Value::Bool(a0.is_some_and(|p| s.starts_with(&*p))),
        "endswith" => Value::Bool(a0.is_some_and(|p| s.ends_with(&*p))),
        "find" | "index" | "rfind" => {
            let Some(sub) = a0 else { return err("TypeError", "must be str") };
            let pos = if name == "rfind" { s.rfind(&*sub) } else { s.find(&*sub) };
            match pos {
                Some(b) => Value::Int(s[..b].chars().count() as i64),
                None if name == "index" => return err("ValueError", "substring not found"),
                None => Value::Int(-1),
            }
        }
        "replace" => match (a0, arg_str(args.get(1))) {
            (Some(a), Some(b)) => Value::str(&s.replace(&*a, &b)),
            _ => return err("TypeError", "replace() takes two strings"),
        },
        "lower" => Value::str(&s.to_lowercase()),
        "upper" => Value::str(&s.to_uppercase()),
        "isdigit" => Value::Bool(!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())),
        "isalpha" => Value::Bool(!s.is_empty() && s.chars().all(char::is_alphabetic)),
        "isalnum" => Value::Bool(!s.is_empty() && s.chars().all(char::is_alphanumeric)),
        "isspace" => Value::Bool(!s.is_empty() && s.chars().all(char::is_whitespace)),
        "count" => Value::Int(a0.map_or(0, |p| if p.is_empty() { s.chars().count() as i64 + 1 } else { s.matches(&*p).count() as i64 })),
        _ => return err("AttributeError", format!("'str' object has no attribute '{name}'")),
    };
    Ok(r)
}

fn list_method(ev: &mut Evaluator, o: crate::value::ObjId, name: &str, args: Vec<Value>, span: Span) -> R<Value> {
    let heap = &mut ev.p.heap;
    let res: OpResult<Value> = match (name, heap.get_mut(o)) {
        ("append", Object::List(l)) => {
            l.extend(args.into_iter().take(1));
            Ok(Value::None)
        }
        ("insert", Object::List(l)) => match args.as_slice() {
            [Value::Int(i), v] => {
                let n = l.len() as i64;
                let j = if *i < 0 { (*i + n).max(0) } else { (*i).min(n) };
                l.insert(j as usize, v.clone());
                Ok(Value::None)
            }
            _ => err("TypeError", "insert() takes an index and a value"),
        },
        ("pop", Object::List(l)) => {
            let n = l.len() as i64;
            let i = match args.first() {
                Some(Value::Int(i)) => *i,
                _ => n - 1,
            };
            let j = if i < 0 { i + n } else { i };
            if (0..n).contains(&j) {
                Ok(l.remove(j as usize))
            } else {
                err("IndexError", "pop index out of range")
            }
        }
        ("reverse", Object::List(l)) => {
            l.reverse();
            Ok(Value::None)
        }
        ("copy", Object::List(l)) => {
            let c = l.clone();
            Ok(Value::Obj(heap.alloc(Object::List(c))))
        }
        ("extend", Object::List(_)) => {
            let extra = match args.first() {
                Some(Value::Obj(x)) => match heap.get(*x) {
                    Object::List(v) | Object::Tuple(v) => v.clone(),
                    _ => return Err(ev_py(ev, ops::PyErr { class: "TypeError", msg: "extend() expects a list".into() }, span)),
                },
                _ => return Err(ev_py(ev, ops::PyErr { class: "TypeError", msg: "extend() expects a list".into() }, span)),
            };
            if let Object::List(l) = ev.p.heap.get_mut(o) {
                l.extend(extra);
            }
            Ok(Value::None)
        }
        ("index" | "count" | "remove", Object::List(l)) => {
            let items = l.clone();
            let target = args.first().cloned().unwrap_or(Value::None);
            let pos = items.iter().position(|x| ops::equal(&ev.p.heap, x, &target));
            match name {
                "count" => Ok(Value::Int(items.iter().filter(|x| ops::equal(&ev.p.heap, x, &target)).count() as i64)),
                "index" => pos.map(|p| Value::Int(p as i64)).map_or_else(|| err("ValueError", "x not in list"), Ok),
                _ => match pos {
                    Some(p) => {
                        if let Object::List(l) = ev.p.heap.get_mut(o) {
                            l.remove(p);
                        }
                        Ok(Value::None)
                    }
                    None => err("ValueError", "list.remove(x): x not in list"),
                },
            }
        }
        ("sort", Object::List(l)) => {
            let mut items = l.clone();
            let h = &ev.p.heap;
            items.sort_by(|a, b| {
                if ops::compare(h, ops::CmpOp::Lt, a, b).unwrap_or(false) {
                    std::cmp::Ordering::Less
                } else if ops::compare(h, ops::CmpOp::Lt, b, a).unwrap_or(false) {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            });
            if let Object::List(l) = ev.p.heap.get_mut(o) {
                *l = items;
            }
            Ok(Value::None)
        }
        _ => err("AttributeError", format!("'list' object has no attribute '{name}'")),
    };
    res.map_err(|e| ev_py(ev, e, span))
}

fn dict_method(ev: &mut Evaluator, o: crate::value::ObjId, name: &str, args: Vec<Value>, span: Span) -> R<Value> {
    let key = args.first().map(|k| ops::hash_key(&ev.p.heap, k));
    let key = match key {
        Some(Err(e)) => return Err(ev_py(ev, e, span)),
        Some(Ok(k)) => Some(k),
        None => None,
    };
    let heap = &mut ev.p.heap;
    let Object::Dict(d) = heap.get_mut(o) else { unreachable!("caller checked the receiver is a dict") };
    let res: OpResult<Value> = match name {
        "get" => Ok(key.and_then(|k| d.entries.get(&k).map(|(_, v)| v.clone())).unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::None))),
        "setdefault" => {
            let k = key.unwrap_or(crate::value::HashKey::None);
            let default = args.get(1).cloned().unwrap_or(Value::None);
            Ok(d.entries.entry(k).or_insert((args[0].clone(), default)).1.clone())
        }
        "pop" => match key.and_then(|k| d.entries.shift_remove(&k)) {
            Some((_, v)) => Ok(v),
            None => match args.get(1) {
                Some(v) => Ok(v.clone()),
                None => err("KeyError", "pop(): key not found"),
            },
        },
        "clear" => {
            d.entries.clear();
            Ok(Value::None)
        }
        "keys" | "values" | "items" | "copy" => {
            let entries: Vec<(Value, Value)> = d.entries.values().cloned().collect();
            let out = match name {
                "keys" => Object::List(entries.into_iter().map(|(k, _)| k).collect()),
                "values" => Object::List(entries.into_iter().map(|(_, v)| v).collect()),
                "items" => Object::List(entries.into_iter().map(|(k, v)| Value::Obj(heap.alloc(Object::Tuple(vec![k, v])))).collect()),
                _ => {
                    let Object::Dict(d) = heap.get(o) else { unreachable!() };
                    Object::Dict(Dict { entries: d.entries.clone() })
                }
            };
            Ok(Value::Obj(heap.alloc(out)))
        }
        "update" => {
            let other = match args.first() {
                Some(Value::Obj(x)) => match heap.get(*x) {
                    Object::Dict(od) => od.entries.clone(),
                    _ => return Err(ev_py(ev, ops::PyErr { class: "TypeError", msg: "update() expects a dict".into() }, span)),
                },
                _ => return Err(ev_py(ev, ops::PyErr { class: "TypeError", msg: "update() expects a dict".into() }, span)),
            };
            if let Object::Dict(d) = ev.p.heap.get_mut(o) {
                for (k, v) in other {
                    d.entries.insert(k, v);
                }
            }
            Ok(Value::None)
        }
        _ => err("AttributeError", format!("'dict' object has no attribute '{name}'")),
    };
    res.map_err(|e| ev_py(ev, e, span))
}

/// `format(value, spec)`: the runtime's formatter (a port of CPython's), so import-time
/// results are exactly what the translated program would compute.
pub fn format_spec(heap: &Heap, v: &Value, spec: &str) -> OpResult<String> {
    use kiln_runtime::rformat::{format_host, HostValue};
    let hv = match v {
        Value::Int(i) => HostValue::Int(*i),
        Value::Bool(b) => HostValue::Bool(*b),
        Value::Float(f) => HostValue::Float(*f),
        Value::Str(s) => HostValue::Str(s),
        other => {
            if spec.is_empty() {
                return Ok(ops::to_str(heap, other));
            }
            return err("TypeError", format!("unsupported format string passed to {}.__format__", heap.type_name(other)));
        }
    };
    format_host(hv, spec).map_err(|(class, msg)| ops::PyErr { class, msg })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_specs_match_python() {
        let h = Heap::default();
        let f = |v: Value, s: &str| format_spec(&h, &v, s).unwrap();
        assert_eq!(f(Value::Int(42), "5d"), "   42");
        assert_eq!(f(Value::Int(-42), "05d"), "-0042");
        assert_eq!(f(Value::Int(1234567), ","), "1,234,567");
        assert_eq!(f(Value::Int(255), "x"), "ff");
        assert_eq!(f(Value::Float(3.14159), ".2f"), "3.14");
        assert_eq!(f(Value::Float(-3.14159), "8.3f"), "  -3.142");
        assert_eq!(f(Value::str("ab"), ">4"), "  ab");
        assert_eq!(f(Value::str("ab"), "*^6"), "**ab**");
        assert_eq!(f(Value::str("ab"), "4"), "ab  ");
        assert_eq!(f(Value::Float(0.5), ".1%"), "50.0%");
    }
}
