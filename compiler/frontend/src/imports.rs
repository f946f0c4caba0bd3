//! Imports that run-time functions contain (`def f(): from x import y`). RPython
//! resolves them when it builds the function's flow graph, from the modules already
//! imported; Kiln does the same, so after the main module has run, the evaluator
//! imports every module such a function names (the flowspace then reads it from
//! [`crate::Program::modules`]).

use ruff_python_ast::{self as ast, Stmt};

use crate::eval::{Evaluator, Exc};
use crate::value::{FuncBody, ObjId, Object};

/// The absolute name of `from <dots><module> import ...` written in module `current`.
pub fn absolute_module_name(current: &str, module: Option<&str>, level: u32) -> String {
    if level == 0 {
        return module.unwrap_or_default().to_string();
    }
    let mut parts: Vec<&str> = current.split('.').collect();
    // A plain module's package is its parent; `level` dots go up `level - 1` more.
    for _ in 0..level {
        parts.pop();
    }
    let mut base = parts.join(".");
    if let Some(m) = module {
        if !base.is_empty() {
            base.push('.');
        }
        base.push_str(m);
    }
    base
}

/// The modules the import statements in `body` name (nested blocks and functions too).
fn imported_modules(body: &[Stmt], current: &str, out: &mut Vec<String>) {
    for s in body {
        match s {
            Stmt::Import(i) => out.extend(i.names.iter().map(|a| a.name.id.to_string())),
            Stmt::ImportFrom(i) => {
                let m = absolute_module_name(current, i.module.as_ref().map(|m| m.id.as_str()), i.level);
                // `from pkg import sub` may name a submodule.
                for a in &i.names {
                    out.push(format!("{m}.{}", a.name.id));
                }
                out.push(m);
            }
            Stmt::If(x) => {
                imported_modules(&x.body, current, out);
                for c in &x.elif_else_clauses {
                    imported_modules(&c.body, current, out);
                }
            }
            Stmt::While(w) => {
                imported_modules(&w.body, current, out);
                imported_modules(&w.orelse, current, out);
            }
            Stmt::For(f) => {
                imported_modules(&f.body, current, out);
                imported_modules(&f.orelse, current, out);
            }
            Stmt::Try(t) => {
                imported_modules(&t.body, current, out);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    imported_modules(&h.body, current, out);
                }
                imported_modules(&t.orelse, current, out);
                imported_modules(&t.finalbody, current, out);
            }
            Stmt::With(w) => imported_modules(&w.body, current, out),
            Stmt::FunctionDef(d) => imported_modules(&d.body, current, out),
            _ => {}
        }
    }
}

impl<'l> Evaluator<'l> {
    /// Imports the modules named by import statements inside functions. A module that
    /// fails to import (it does not exist, or raises while it runs) is forgotten, with
    /// its diagnostic kept for the flowspace to report if such a function is translated:
    /// CPython too would fail only when the function runs.
    pub(crate) fn import_function_level(&mut self) {
        let mut i = 0;
        // Importing may create functions with imports of their own: walk until no new
        // object appears.
        while i < self.p.heap.len() {
            let id = ObjId(i as u32);
            i += 1;
            let (body, module, span) = match self.p.heap.get(id) {
                Object::Function(f) => match &f.body {
                    FuncBody::Def(d) => (d.clone(), f.module, f.span),
                    FuncBody::Lambda(_) => continue,
                },
                _ => continue,
            };
            let current = self.p.heap.module(module).map_or(String::new(), |m| m.name.clone());
            let mut names = Vec::new();
            imported_modules(&body.body, &current, &mut names);
            for name in names {
                if name.is_empty() || self.p.modules.contains_key(&name) {
                    continue;
                }
                let before: Vec<String> = self.p.modules.keys().cloned().collect();
                if let Err(e) = self.import(&name, span) {
                    // A module that does not exist is reported by the flowspace itself;
                    // partial imports are undone so nothing refers to them.
                    let missing = matches!(&e, Exc::Py { value, .. } if self.import_diags.get(value).is_some_and(|d| d.code == Some("E0105")));
                    self.p.modules.retain(|k, _| before.contains(k));
                    if !missing {
                        let d = self.exc_to_diag(e);
                        self.p.deferred_import_errors.insert(name, d);
                    }
                }
            }
        }
    }
}
