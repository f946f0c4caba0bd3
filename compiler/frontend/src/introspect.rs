//! The import-time-only standard functions that look at the program itself: `importlib`,
//! `inspect` and `glob`, which interpreters use to discover their own modules and classes
//! while they are imported (PySOM finds its primitive classes this way).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kiln_diagnostics::Span;

use crate::eval::{Evaluator, Exc, R};
use crate::native::NativeFn;
use crate::value::{Object, Value};

impl Evaluator<'_> {
    pub(crate) fn call_introspection(&mut self, f: NativeFn, args: Vec<Value>, kwargs: Vec<(Arc<str>, Value)>, span: Span) -> R<Value> {
        let kw = |name: &str| kwargs.iter().find(|(k, _)| &**k == name).map(|(_, v)| v.clone());
        let arg = |i: usize| args.get(i).cloned();
        match f {
            NativeFn::ImportModule => {
                let Some(Value::Str(name)) = arg(0).or_else(|| kw("name")) else {
                    return Err(self.raise("TypeError", "import_module() takes a module name (str)", span));
                };
                let absolute = if name.starts_with('.') {
                    let Some(Value::Str(package)) = arg(1).or_else(|| kw("package")) else {
                        return Err(self.raise("TypeError", format!("the 'package' argument is required to perform a relative import for '{name}'"), span));
                    };
                    let level = name.chars().take_while(|c| *c == '.').count() as u32;
                    // `package` names a package, so level 1 is the package itself:
                    // resolve as if from a module inside it.
                    crate::imports::absolute_module_name(&format!("{package}.__init__"), Some(&name[level as usize..]).filter(|s| !s.is_empty()), level)
                } else {
                    name.to_string()
                };
                let m = self.import(&absolute, span)?;
                Ok(Value::Obj(m))
            }
            NativeFn::GetMembers => {
                let Some(obj) = arg(0).or_else(|| kw("object")) else { return Err(self.raise("TypeError", "getmembers() takes an object", span)) };
                let predicate = arg(1).or_else(|| kw("predicate")).filter(|p| *p != Value::None);
                let mut names: Vec<Arc<str>> = match &obj {
                    Value::Obj(o) => match self.p.heap.get(*o) {
                        Object::Module(m) => m.globals.keys().cloned().collect(),
                        Object::Class(c) => {
                            let mut seen: Vec<Arc<str>> = Vec::new();
                            for k in c.mro.clone() {
                                for n in self.p.heap.class(k).map(|kc| kc.dict.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                                    if !seen.contains(&n) {
                                        seen.push(n);
                                    }
                                }
                            }
                            seen
                        }
                        Object::Instance(i) => {
                            let mut seen: Vec<Arc<str>> = i.attrs.keys().cloned().collect();
                            let class = i.class;
                            for k in self.p.heap.class(class).map(|c| c.mro.clone()).unwrap_or_default() {
                                for n in self.p.heap.class(k).map(|kc| kc.dict.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                                    if !seen.contains(&n) {
                                        seen.push(n);
                                    }
                                }
                            }
                            seen
                        }
                        _ => return Err(self.unsupported_introspection("inspect.getmembers() of this kind of object", span)),
                    },
                    _ => return Err(self.unsupported_introspection("inspect.getmembers() of this kind of object", span)),
                };
                // CPython sorts the members by name.
                names.sort();
                let mut out = Vec::new();
                for n in names {
                    let v = self.getattr(&obj, &n, span)?;
                    if let Some(p) = &predicate {
                        let keep = self.call(p.clone(), vec![v.clone()], Vec::new(), span)?;
                        if !crate::ops::truth(&self.p.heap, &keep) {
                            continue;
                        }
                    }
                    let pair = self.p.heap.alloc(Object::Tuple(vec![Value::Str(n), v]));
                    out.push(Value::Obj(pair));
                }
                Ok(Value::Obj(self.p.heap.alloc(Object::List(out))))
            }
            NativeFn::IsClass | NativeFn::IsFunction | NativeFn::IsModule => {
                let [v] = args.as_slice() else { return Err(self.raise("TypeError", format!("{}() takes exactly one argument", f.name()), span)) };
                let yes = match v {
                    Value::Obj(o) => match (f, self.p.heap.get(*o)) {
                        (NativeFn::IsClass, Object::Class(_) | Object::BuiltinType(_)) => true,
                        (NativeFn::IsFunction, Object::Function(_)) => true,
                        (NativeFn::IsModule, Object::Module(_)) => true,
                        _ => false,
                    },
                    _ => false,
                };
                Ok(Value::Bool(yes))
            }
            NativeFn::Glob => {
                let Some(Value::Str(pattern)) = arg(0).or_else(|| kw("pathname")) else {
                    return Err(self.raise("TypeError", "glob() takes a path pattern (str)", span));
                };
                let path = Path::new(&*pattern);
                let (dir, file_pat) = match (path.parent(), path.file_name()) {
                    (Some(d), Some(f)) => (d.to_path_buf(), f.to_string_lossy().into_owned()),
                    _ => (PathBuf::new(), pattern.to_string()),
                };
                let dir_str = dir.to_string_lossy();
                if dir_str.contains(['*', '?', '[']) || file_pat.contains('[') || kw("recursive").is_some() {
                    return Err(self.unsupported_introspection("glob.glob() with wildcards outside the last path component, '[...]' or recursive=", span));
                }
                let listing = if dir_str.is_empty() { self.loader.list_dir(Path::new(".")) } else { self.loader.list_dir(&dir) };
                let mut found: Vec<String> = listing
                    .into_iter()
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    // As glob does, a leading '.' must be matched explicitly.
                    .filter(|n| (!n.starts_with('.') || file_pat.starts_with('.')) && wildcard_match(file_pat.as_bytes(), n.as_bytes()))
                    .map(|n| if dir_str.is_empty() { n } else { format!("{}/{}", dir_str.trim_end_matches('/'), n) })
                    .collect();
                // CPython returns the directory's order, which the file system decides; a
                // sorted list is one of the orders it may give, and the same on every run.
                found.sort();
                let items = found.iter().map(|s| Value::str(s)).collect();
                Ok(Value::Obj(self.p.heap.alloc(Object::List(items))))
            }
            _ => unreachable!("call_introspection is called for introspection functions only"),
        }
    }

    fn unsupported_introspection(&self, what: &str, span: Span) -> Exc {
        crate::eval::unsupported(span, what)
    }
}

/// Whether `name` matches a shell pattern of `*` (any run) and `?` (one character).
fn wildcard_match(pat: &[u8], name: &[u8]) -> bool {
    match (pat.first(), name.first()) {
        (None, None) => true,
        (Some(b'*'), _) => wildcard_match(&pat[1..], name) || (!name.is_empty() && wildcard_match(pat, &name[1..])),
        (Some(b'?'), Some(_)) => wildcard_match(&pat[1..], &name[1..]),
        (Some(p), Some(n)) if p == n => wildcard_match(&pat[1..], &name[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn wildcards_match_as_the_shell_does() {
        assert!(wildcard_match(b"*_primitives.py", b"integer_primitives.py"));
        assert!(!wildcard_match(b"*_primitives.py", b"integer_primitives.pyc"));
        assert!(wildcard_match(b"a?c", b"abc"));
        assert!(!wildcard_match(b"a?c", b"ac"));
        assert!(wildcard_match(b"*", b""));
    }
}
