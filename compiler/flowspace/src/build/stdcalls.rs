//! What the flowspace resolves itself, before anything reaches the annotator: imports
//! inside run-time functions (from the modules import time loaded, as RPython does),
//! the names passed to JIT hints (checked against the driver), `print(file=...)` and
//! `sys.stdout`/`sys.stderr.write`, and the import-time objects of
//! [`kiln_frontend::native`]: the few with a run-time meaning become ordinary
//! operations, the others are diagnostics.

use kiln_frontend::builtins::JITDRIVER_CLASS;
use kiln_frontend::imports::absolute_module_name;
use kiln_frontend::native::{Native, NativeFn, OperatorFn};

use super::*;

impl<'p> Builder<'p> {
    /// `import m` / `from m import x` inside a run-time function: binds constants.
    pub(super) fn exec_import(&mut self, stmt: &'p Stmt, span: Span) {
        match stmt {
            Stmt::Import(imp) => {
                for alias in &imp.names {
                    let name = alias.name.id.as_str();
                    let (bind, module) = match &alias.asname {
                        Some(a) => (a.id.as_str(), name),
                        None => (name.split('.').next().unwrap_or(name), name.split('.').next().unwrap_or(name)),
                    };
                    if !self.prog.modules.contains_key(name) {
                        self.import_error(name, span);
                        // Bind the name so its uses do not report a second, misleading error.
                        self.store_name(bind, Opnd::Const(Value::None));
                        continue;
                    }
                    let m = self.prog.modules[module];
                    self.store_name(bind, Opnd::Const(Value::Obj(m)));
                }
            }
            Stmt::ImportFrom(imp) => {
                let current = self.heap.module(self.func.module).map_or(String::new(), |m| m.name.clone());
                let modname = absolute_module_name(&current, imp.module.as_ref().map(|m| m.id.as_str()), imp.level);
                let Some(&m) = self.prog.modules.get(&modname) else {
                    self.import_error(&modname, span);
                    for alias in &imp.names {
                        let bind = alias.asname.as_ref().map_or(alias.name.id.as_str(), |a| a.id.as_str());
                        self.store_name(bind, Opnd::Const(Value::None));
                    }
                    return;
                };
                for alias in &imp.names {
                    let name = alias.name.id.as_str();
                    if name == "*" {
                        self.error("E0207", "'import *' is not allowed inside a function", span, "here");
                        continue;
                    }
                    let value = self.heap.module(m).and_then(|md| md.globals.get(name).cloned()).or_else(|| self.prog.modules.get(&format!("{modname}.{name}")).map(|s| Value::Obj(*s)));
                    match value {
                        Some(v) => {
                            let bind = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                            self.store_name(bind, Opnd::Const(v));
                        }
                        None => {
                            let aspan = self.span(alias.range());
                            let sub = format!("{modname}.{name}");
                            if self.prog.deferred_import_errors.contains_key(&sub) {
                                self.import_error(&sub, span);
                            } else {
                                self.error("E0207", format!("cannot import name '{name}' from '{modname}'"), aspan, "not defined in that module");
                            }
                            let bind = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                            self.store_name(bind, Opnd::Const(Value::None));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn import_error(&mut self, name: &str, span: Span) {
        if let Some(d) = self.prog.deferred_import_errors.get(name) {
            self.diags.push(d.clone().with_label(span, "imported by this run-time function"));
            return;
        }
        self.diags.push(
            Diagnostic::error("E0207", format!("no module named '{name}'"))
                .with_primary(span, "imported inside a run-time function")
                .with_note("a run-time import is resolved when the function is translated, from the modules Kiln can import (as RPython does); this one does not exist"),
        );
    }

    /// Checks the names passed to `driver.jit_merge_point(...)` / `can_enter_jit(...)`
    /// against the driver's greens and reds.
    pub(super) fn check_jit_hint(&mut self, obj: &Opnd, name: &str, npos: usize, kwnames: &[Arc<str>], span: Span) {
        let Opnd::Const(Value::Obj(o)) = obj else { return };
        let Object::JitDriver(d) = self.heap.get(*o) else { return };
        if !matches!(name, "jit_merge_point" | "can_enter_jit") {
            return;
        }
        let expected: Vec<Arc<str>> = d.greens.iter().chain(if d.reds_auto { [].iter() } else { d.reds.iter() }).cloned().collect();
        let what = if d.reds_auto { "the greens (reds='auto')" } else { "the greens and reds" };
        let missing: Vec<&str> = expected.iter().filter(|e| !kwnames.contains(e)).map(|e| &**e).collect();
        let unexpected: Vec<&str> = kwnames.iter().filter(|k| !expected.contains(k)).map(|k| &**k).collect();
        if npos == 0 && missing.is_empty() && unexpected.is_empty() {
            return;
        }
        let mut parts = Vec::new();
        if npos > 0 {
            parts.push(format!("{npos} positional argument{}", if npos == 1 { "" } else { "s" }));
        }
        if !missing.is_empty() {
            parts.push(format!("missing {}", missing.join(", ")));
        }
        if !unexpected.is_empty() {
            parts.push(format!("unexpected {}", unexpected.join(", ")));
        }
        self.diags.push(
            Diagnostic::error("E0240", format!("{name}() must pass exactly {what} of JitDriver '{}' as keyword arguments: {}", d.name, parts.join("; ")))
                .with_primary(span, "in this hint")
                .with_label(d.span, format!("greens {:?}, reds {}", d.greens.iter().map(|g| &**g).collect::<Vec<_>>(), if d.reds_auto { "'auto'".to_string() } else { format!("{:?}", d.reds.iter().map(|r| &**r).collect::<Vec<_>>()) }))
                .with_note("the JIT reads the interpreter's state from these names: every green and red, and nothing else"),
        );
    }

    /// Calls the flowspace handles itself; None for an ordinary call.
    pub(super) fn special_call(&mut self, callee: &Opnd, pos: &[Opnd], kws: &[(Arc<str>, Opnd)], span: Span) -> Option<Opnd> {
        let Opnd::Const(Value::Obj(o)) = callee else { return None };
        match self.heap.get(*o) {
            Object::Builtin(Builtin::Hint) if !kws.is_empty() => Some(self.hint_call(callee, pos, kws, span)),
            Object::Builtin(Builtin::Print) if kws.iter().any(|(k, _)| matches!(&**k, "file" | "flush")) => Some(self.print_to(callee, pos, kws, span)),
            // `type(x)` at run time is `x.__class__`: RPython's `type(w_obj) is W_IntObject`
            // (the annotator accepts it on instances, and says why for anything else).
            Object::Class(c) if c.builtin && &*c.name == "type" && pos.len() == 1 && kws.is_empty() => Some(self.emit(HlOp::GetAttr(Arc::from("__class__")), vec![pos[0].clone()], span)),
            Object::Class(c) if c.mro.iter().any(|k| self.heap.class(*k).is_some_and(|kc| kc.builtin && (&*kc.name == "type" || &*kc.name == JITDRIVER_CLASS))) => {
                let name = c.name.clone();
                self.diags.push(
                    Diagnostic::error("E0322", format!("{name}() is for import time"))
                        .with_primary(span, "called from run-time code")
                        .with_note("classes, metaclasses and JIT drivers are made while the program is imported"),
                );
                Some(Opnd::Const(Value::None))
            }
            Object::Native(n) => Some(self.native_call(n.clone(), pos, span)),
            _ => None,
        }
    }

    /// `hint(x, promote=True, access_directly=True, ...)`: the keywords must be constant
    /// True. `promote` and `promote_string` become calls of `promote(x)` and
    /// `promote_string(x)`; the others (which only matter to virtualizables) are passed
    /// to `hint` as one comma-separated string constant, `hint(x, "access_directly")`.
    fn hint_call(&mut self, callee: &Opnd, pos: &[Opnd], kws: &[(Arc<str>, Opnd)], span: Span) -> Opnd {
        const FLAGS: [&str; 3] = ["access_directly", "fresh_virtualizable", "force_virtualizable"];
        let mut value = pos.first().cloned().unwrap_or(Opnd::Const(Value::None));
        let mut flags: Vec<&str> = Vec::new();
        for (k, v) in kws {
            if !matches!(v, Opnd::Const(Value::Bool(true))) {
                self.diags.push(
                    Diagnostic::error("E0244", format!("hint() keyword '{k}' must be the constant True"))
                        .with_primary(span, "in this hint")
                        .with_note("the JIT reads hint keywords at translation time"),
                );
                continue;
            }
            match &**k {
                "promote" | "promote_string" => {
                    let f = self.prog.modules.get("kiln.jit").and_then(|m| self.heap.module(*m)).and_then(|m| m.globals.get(&**k).cloned()).unwrap_or(Value::None);
                    value = self.call(Opnd::Const(f), vec![value], Vec::new(), span);
                }
                name if FLAGS.contains(&name) => flags.push(name),
                other => self.diags.push(
                    Diagnostic::error("E0244", format!("hint() keyword '{other}' is not supported"))
                        .with_primary(span, "in this hint")
                        .with_note(format!("Kiln's hint() knows promote, promote_string, {}", FLAGS.join(", "))),
                ),
            }
        }
        if flags.is_empty() {
            return value;
        }
        self.call(callee.clone(), vec![value, Opnd::Const(Value::str(&flags.join(",")))], Vec::new(), span)
    }

    /// `print(..., file=sys.stdout | sys.stderr, flush=...)`.
    fn print_to(&mut self, print: &Opnd, pos: &[Opnd], kws: &[(Arc<str>, Opnd)], span: Span) -> Opnd {
        let rest: Vec<(Arc<str>, Opnd)> = kws.iter().filter(|(k, _)| !matches!(&**k, "file" | "flush")).cloned().collect();
        let file = kws.iter().find(|(k, _)| &**k == "file").map(|(_, v)| v.clone());
        let stream = match &file {
            None | Some(Opnd::Const(Value::None)) => None,
            Some(Opnd::Const(Value::Obj(m))) => match self.heap.get(*m) {
                Object::Module(md) if md.name == "sys.stdout" => None,
                Object::Module(md) if md.name == "sys.stderr" => match md.globals.get("write") {
                    Some(Value::Obj(w)) => match self.heap.get(*w) {
                        Object::Native(Native::StreamWrite { os_write, .. }) => Some(*os_write),
                        _ => None,
                    },
                    _ => None,
                },
                _ => {
                    self.error("E0401", "print(file=...) is supported only with sys.stdout and sys.stderr", span, "here");
                    return Opnd::Const(Value::None);
                }
            },
            Some(_) => {
                self.error("E0401", "print(file=...) is supported only with sys.stdout and sys.stderr", span, "here");
                return Opnd::Const(Value::None);
            }
        };
        let Some(os_write) = stream else { return self.call(print.clone(), pos.to_vec(), rest, span) };
        // To stderr: build the line as print would, then one write to fd 2 (the runtime
        // flushes stdout first, as CPython's line-buffered streams appear to).
        let sep = rest.iter().find(|(k, _)| &**k == "sep").map_or(Opnd::Const(Value::str(" ")), |(_, v)| v.clone());
        let end = rest.iter().find(|(k, _)| &**k == "end").map_or(Opnd::Const(Value::str("\n")), |(_, v)| v.clone());
        let mut parts = Vec::new();
        for (i, p) in pos.iter().enumerate() {
            if i > 0 {
                parts.push(sep.clone());
            }
            parts.push(self.emit(HlOp::Call(CallShape::positional(1)), vec![self.builtin_const("str"), p.clone()], span));
        }
        parts.push(end);
        let line = self.emit(HlOp::BuildString, parts, span);
        self.emit(HlOp::Call(CallShape::positional(2)), vec![Opnd::Const(Value::Obj(os_write)), Opnd::Const(Value::Int(2)), line], span);
        Opnd::Const(Value::None)
    }

    fn import_time_only(&mut self, name: &str, span: Span, note: &str) -> Opnd {
        self.diags.push(Diagnostic::error("E0322", format!("{name}() is for import time")).with_primary(span, "called from run-time code").with_note(note.to_string()));
        Opnd::Const(Value::None)
    }

    fn not_translated_yet(&mut self, name: &str, span: Span, note: &str) -> Opnd {
        self.diags.push(Diagnostic::error("E0401", format!("{name}() is not supported by the translator yet")).with_primary(span, "called from run-time code").with_note(note.to_string()));
        Opnd::Const(Value::None)
    }

    fn native_call(&mut self, n: Native, pos: &[Opnd], span: Span) -> Opnd {
        let arity = |b: &mut Self, want: usize, name: &str| -> bool {
            if pos.len() != want {
                b.error("E0320", format!("{name}() takes {want} argument(s), got {}", pos.len()), span, "in this call");
                return false;
            }
            true
        };
        match n {
            Native::Func(f) => match f {
                NativeFn::StreamFlush => Opnd::Const(Value::None),
                NativeFn::MakeSureNotResized => {
                    if !arity(self, 1, f.name()) {
                        return Opnd::Const(Value::None);
                    }
                    pos[0].clone()
                }
                NativeFn::IsValidInt => {
                    if !arity(self, 1, f.name()) {
                        return Opnd::Const(Value::None);
                    }
                    let (isinstance, int) = (self.builtin_const("isinstance"), self.builtin_const("int"));
                    self.emit(HlOp::Call(CallShape::positional(2)), vec![isinstance, pos[0].clone(), int], span)
                }
                NativeFn::StringToInt => {
                    if pos.is_empty() || pos.len() > 2 {
                        self.error("E0320", format!("string_to_int() takes 1 or 2 arguments, got {}", pos.len()), span, "in this call");
                        return Opnd::Const(Value::None);
                    }
                    let int = self.builtin_const("int");
                    self.call(int, pos.to_vec(), Vec::new(), span)
                }
                NativeFn::Operator(op) => self.operator_call(op, pos, span),
                NativeFn::ComputeUniqueId | NativeFn::Instantiate => {
                    self.not_translated_yet(f.name(), span, "it works at import time; at run time, keep an id in an attribute, or call the class")
                }
                NativeFn::Getenv => self.not_translated_yet("os.getenv", span, "read the variable at import time into a module-level constant"),
                NativeFn::Set | NativeFn::Frozenset => {
                    self.error("E0208", "sets are not supported in run-time code", span, "use a dict (or a set built at import time, for membership tests use a dict too)");
                    Opnd::Const(Value::None)
                }
                NativeFn::Map | NativeFn::Filter | NativeFn::Reduce => self.import_time_only(f.name(), span, "use a loop or a list comprehension in run-time code"),
                _ => self.import_time_only(f.name(), span, "it runs while the program is imported: call it at module level"),
            },
            Native::StreamWrite { fd, os_write } => {
                if !arity(self, 1, "write") {
                    return Opnd::Const(Value::None);
                }
                let s = pos[0].clone();
                self.emit(HlOp::Call(CallShape::positional(2)), vec![Opnd::Const(Value::Obj(os_write)), Opnd::Const(Value::Int(fd)), s.clone()], span);
                // The stream's write returns the number of characters written.
                self.emit(HlOp::Call(CallShape::positional(1)), vec![self.builtin_const("len"), s], span)
            }
            other => {
                let d = other.describe();
                self.import_time_only(&d, span, "it was made while the program was imported and has no run-time form")
            }
        }
    }

    /// `operator.add(a, b)` and friends called directly: the operation itself.
    fn operator_call(&mut self, op: OperatorFn, pos: &[Opnd], span: Span) -> Opnd {
        let want = match op {
            OperatorFn::Bin(_) | OperatorFn::Cmp(_) | OperatorFn::GetItem | OperatorFn::Contains => 2,
            _ => 1,
        };
        if pos.len() != want {
            self.error("E0320", format!("operator.{}() takes {want} argument(s), got {}", op.name(), pos.len()), span, "in this call");
            return Opnd::Const(Value::None);
        }
        let a = pos.to_vec();
        match op {
            OperatorFn::Bin(b) => self.emit(HlOp::Bin(b), a, span),
            OperatorFn::Cmp(c) => self.emit(HlOp::Cmp(c), a, span),
            OperatorFn::Neg => self.emit(HlOp::Neg, a, span),
            OperatorFn::Pos => self.emit(HlOp::Pos, a, span),
            OperatorFn::Invert => self.emit(HlOp::Invert, a, span),
            OperatorFn::Not => self.emit(HlOp::Not, a, span),
            OperatorFn::Truth => self.emit(HlOp::IsTrue, a, span),
            OperatorFn::GetItem => self.emit(HlOp::GetItem, a, span),
            OperatorFn::Contains => self.emit(HlOp::Cmp(CmpOp::In), vec![a[1].clone(), a[0].clone()], span),
            OperatorFn::Index => a[0].clone(),
        }
    }

    /// A set built at import time, used by run-time code.
    pub(super) fn reject_import_time_value(&mut self, v: &Value, span: Span) -> bool {
        let Value::Obj(o) = v else { return false };
        match self.heap.get(*o) {
            Object::Native(Native::Set { .. }) => {
                self.diags.push(
                    Diagnostic::error("E0208", "sets are not supported in run-time code")
                        .with_primary(span, "this set was built at import time")
                        .with_note("use a dict whose keys are the members (`{k: True for k in s}` at import time)"),
                );
                true
            }
            _ => false,
        }
    }
}
