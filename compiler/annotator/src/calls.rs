//! Annotation of calls: of functions, methods, bound methods and classes (instantiation),
//! and of function and class families, with the binding of arguments to parameters.

use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::Operation;
use kiln_flowspace::Hl;
use kiln_frontend::{ObjId, Object};

use crate::annotate::{Annotator, CallTarget, OpLoc, SpecKey};
use crate::model::*;
use crate::ops::{ArgSource, VIA_VARIABLE_NOTE};

impl<'a> Annotator<'a> {
    /// A call of `callee`, whatever its annotation: functions, methods, classes, builtins.
    pub(crate) fn call(&mut self, g: GraphId, site: OpLoc, op: &Operation<Hl>, callee: &SomeValue, args: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
        let span = op.span;
        let SomeValue::Pbc { descs, can_be_none } = callee else {
            let d = self.describe(callee);
            return Err(self.err("E0313", format!("{d} is not callable"), span, "called here"));
        };
        if *can_be_none {
            return Err(self.none_error(g, "a call", &op.args[0], span));
        }
        let descs: Vec<Desc> = descs.iter().copied().collect();
        if descs.len() == 1 {
            match descs[0] {
                Desc::Frozen(o) => match self.prog.heap.get(o) {
                    Object::Builtin(b) => {
                        let b = *b;
                        self.call_targets.insert(site, CallTarget::Builtin(b));
                        return self.builtin_call(g, site, op, b, args, kwnames);
                    }
                    Object::BuiltinType(t) => {
                        let t = *t;
                        self.call_targets.insert(site, CallTarget::Type(t));
                        return self.type_call(g, site, op, t, args, kwnames);
                    }
                    _ => {
                        let d = self.describe_desc(&descs[0]);
                        return Err(self.err("E0313", format!("calling {d} through a variable is not supported"), span, "called here").with_note(VIA_VARIABLE_NOTE));
                    }
                },
                Desc::Class(cls) => return self.instantiate(site, op, cls, args, kwnames),
                _ => {}
            }
        }
        if descs.iter().all(|d| matches!(d, Desc::Method { .. })) {
            return self.call_bound_method(g, site, op, &descs, args, kwnames);
        }
        if descs.iter().all(|d| matches!(d, Desc::Class(_))) {
            return self.instantiate_family(site, op, &descs, args, kwnames);
        }
        if !kwnames.is_empty() {
            return Err(self.err("E0314", "keyword arguments in calls through a variable are not supported", span, "here").with_note("call the function by name, or pass the arguments by position"));
        }
        // A family called through one pointer: every member must take these arguments.
        if descs.len() > 1 {
            let members: Vec<(String, Span, usize)> = descs
                .iter()
                .filter_map(|d| match d {
                    Desc::Function(f) => self.prog.heap.function(*f).map(|func| (func.qualname.clone(), func.span, func.params.positional.len())),
                    _ => None,
                })
                .collect();
            if let (Some(ok), Some(bad)) = (members.iter().find(|m| m.2 == args.len()), members.iter().find(|m| m.2 != args.len())) {
                return Err(self
                    .err("E0412", format!("the functions called here take different numbers of arguments: '{}' takes {}, '{}' takes {}", ok.0, ok.2, bad.0, bad.2), span, format!("called with {} here", args.len()))
                    .with_label(ok.1, format!("'{}' is defined here", ok.0))
                    .with_label(bad.1, format!("'{}' is defined here", bad.0))
                    .with_note("functions stored in the same variable, list or dict are called through one pointer: they must take and return the same types"));
            }
        }
        let mut result = SomeValue::Impossible;
        let mut gids = Vec::new();
        for d in descs {
            match d {
                Desc::Function(f) => {
                    let Some(gid) = self.function_graph(f, args, span) else { return Ok(SomeValue::Object) };
                    gids.push(gid);
                    let r = self.pass_args(gid, args, span);
                    result = self.union(&result, &r).map_err(|m| self.err("E0301", format!("the functions called here return {} and {}", m.a, m.b), span, "in this call"))?;
                }
                other => {
                    let d = self.describe_desc(&other);
                    return Err(self.err("E0313", format!("calling {d} through a variable is not supported"), span, "called here").with_note(VIA_VARIABLE_NOTE));
                }
            }
        }
        self.unify_family_returns(&gids, &result, span);
        self.call_targets.insert(site, CallTarget::Graphs(gids));
        Ok(result)
    }

    /// The functions one call site may reach share one low-level signature, so each
    /// returns the family's union: a caller that calls one of them directly then sees
    /// the same type (RPython's call-family normalisation).
    pub(crate) fn unify_family_returns(&mut self, gids: &[GraphId], result: &SomeValue, span: Span) {
        if gids.len() < 2 || result.is_impossible() {
            return;
        }
        for &gid in gids {
            let rv = self.graphs[gid.0 as usize].graph.return_var();
            if self.binding(gid, rv).is_impossible() {
                // Not returning yet: its own flow will generalise it later.
                continue;
            }
            if let Ok(true) = self.generalize(gid, rv, result.without_const_keep_pbc(), span) {
                let deps = self.return_deps.get(&gid).cloned().unwrap_or_default();
                self.schedule_all(&deps);
            }
        }
    }

    /// The graph for a call to `f` with these argument annotations, honouring
    /// `specialize` decorators.
    pub(crate) fn function_graph(&mut self, f: ObjId, args: &[SomeValue], span: Span) -> Option<crate::model::GraphId> {
        let func = self.prog.heap.function(f)?;
        let (spec, consts) = match &func.specialize {
            None => (SpecKey::Default, Vec::new()),
            Some(kiln_frontend::value::Specialization::ArgType(idx)) => {
                let mut keys = Vec::new();
                for i in idx {
                    let a = args.get(*i).cloned().unwrap_or(SomeValue::Impossible);
                    keys.push(self.type_key(&a));
                }
                (SpecKey::ArgTypes(keys), Vec::new())
            }
            Some(spec @ (kiln_frontend::value::Specialization::Arg(_) | kiln_frontend::value::Specialization::Memo)) => {
                // specialize.arg(i...): one graph per constant value of those arguments.
                // specialize.memo(): one graph per constant argument tuple, whose result
                // the RTyper caches (see `rmemo.rs`).
                let memo = matches!(spec, kiln_frontend::value::Specialization::Memo);
                let idx: Vec<usize> = match spec {
                    kiln_frontend::value::Specialization::Arg(idx) => idx.clone(),
                    _ => (0..args.len()).collect(),
                };
                let mut vals = Vec::new();
                let mut consts = vec![None; args.len()];
                for i in idx {
                    match args.get(i).and_then(|a| a.const_value()) {
                        Some(v) => {
                            consts[i] = Some(v.clone());
                            vals.push(v);
                        }
                        None => {
                            let name = func.qualname.clone();
                            let (what, note) = if memo {
                                ("specialize.memo", "a memo function runs once per constant argument tuple, so every argument must be known at translation time")
                            } else {
                                ("specialize.arg", "the function is copied for each constant value of this argument")
                            };
                            self.error(
                                Diagnostic::error("E0315", format!("argument {i} of {name}() must be a constant ({what})"))
                                    .with_primary(span, "not known at translation time")
                                    .with_note(note),
                            );
                            return None;
                        }
                    }
                }
                (SpecKey::Consts(vals), consts)
            }
        };
        self.graph_for(f, spec, &consts)
    }

    /// A short key naming an annotation's kind, for `specialize.argtype`.
    pub(crate) fn type_key(&mut self, s: &SomeValue) -> String {
        match s {
            SomeValue::Int { unsigned: true, .. } => "r_uint".into(),
            SomeValue::Int { .. } | SomeValue::Bool { .. } => "int".into(),
            SomeValue::Char { .. } => "char".into(),
            other => self.describe(&other.without_const_keep_pbc()),
        }
    }

    pub(crate) fn instantiate(&mut self, site: OpLoc, op: &Operation<Hl>, cls: ObjId, args: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
        let span = op.span;
        let c = self.classdef(cls);
        self.classdefs[c.0 as usize].instantiated = true;
        // If it is raised and not caught, its __str__ makes the report.
        self.annotate_exc_str(c, span)?;
        let inst = SomeValue::Instance { class: c, can_be_none: false, konst: None };
        let init = self.prog.heap.class_lookup(cls, "__init__");
        let init_fn = init.as_ref().and_then(|(_, v)| v.as_obj()).filter(|o| self.prog.heap.function(*o).is_some());
        match init_fn {
            Some(f) => {
                let func = self.prog.heap.function(f).expect("an __init__ function").clone();
                let bound = self.bind_method(&func, args, kwnames, span)?;
                let mut a = vec![inst.clone()];
                for src in &bound {
                    a.push(match src {
                        ArgSource::Arg(i) => args[*i].clone(),
                        ArgSource::Const(v) => self.annotate_const(v),
                    });
                }
                let Some(gid) = self.function_graph(f, &a, span) else { return Ok(SomeValue::Object) };
                let r = self.pass_args(gid, &a, span);
                if !matches!(r, SomeValue::None_ | SomeValue::Impossible | SomeValue::Object) {
                    let d = self.describe(&r);
                    return Err(self
                        .err("E0332", format!("{}() should return None, not {d}", func.qualname), span, "instantiated here")
                        .with_label(func.span, "defined here")
                        .with_note("Python raises TypeError for an __init__ that returns a value"));
                }
                self.call_targets.insert(site, CallTarget::Instantiate { class: c, init: Some(gid) });
                self.call_args.insert(site, bound);
            }
            None => {
                let base = self.classdef(self.prog.classes.get("BaseException"));
                if self.is_subclassdef(c, base) {
                    let os = self.classdef(self.prog.classes.get("OSError"));
                    let max = if self.is_subclassdef(c, os) { 2 } else { 1 };
                    if args.len() > max {
                        let name = self.classdefs[c.0 as usize].name.clone();
                        return Err(self.err("E0316", format!("{name}() takes at most {max} argument(s) in RPy, got {}", args.len()), span, "here").with_note("an exception's message is one value (converted with str()); OSError takes (errno, message)"));
                    }
                    for a in args {
                        self.check_printable(a, span)?;
                    }
                } else if !args.is_empty() {
                    let name = self.classdefs[c.0 as usize].name.clone();
                    return Err(self.err("E0316", format!("{name}() takes no arguments"), span, "here").with_note("define __init__ to take arguments"));
                }
                if !kwnames.is_empty() {
                    let name = self.classdefs[c.0 as usize].name.clone();
                    return Err(self.err("E0316", format!("{name}() takes no keyword arguments"), span, "here"));
                }
                self.call_targets.insert(site, CallTarget::Instantiate { class: c, init: None });
                self.call_args.remove(&site);
            }
        }
        Ok(inst)
    }

    pub(crate) fn call_method(&mut self, g: GraphId, site: OpLoc, op: &Operation<Hl>, name: &Arc<str>, recv: &SomeValue, args: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
        let span = op.span;
        match recv {
            SomeValue::Instance { class, can_be_none: false, .. } => {
                let c = *class;
                let impls = self.method_impls(c, name);
                if impls.is_empty() {
                    // An attribute holding a function, bound method or class: read it,
                    // then call the value.
                    let cls = self.classdefs[c.0 as usize].class;
                    // (A static method that only subclasses define is read from each
                    // class too, through the vtable.)
                    let class_value = self.prog.heap.class_lookup(cls, name).is_some() || self.defined_below_as_value(c, name);
                    if class_value || self.has_instance_attr(c, name) {
                        let callee = self.getattr(g, op, recv, name)?;
                        if callee.is_impossible() {
                            if !class_value {
                                // Still a method miss (the read below created the
                                // attribute, with no value yet).
                                let loc = (self.cur.0, self.cur.1, self.cur_op);
                                self.method_misses.record(loc, c, name, span);
                            }
                            return Ok(SomeValue::Impossible);
                        }
                        self.attr_calls.insert(site, callee.clone());
                        return self.call(g, site, op, &callee, args, kwnames);
                    }
                    // Maybe assigned later: wait for it (reading registers this block),
                    // and report a missing method at the end if it never is.
                    let loc = (self.cur.0, self.cur.1, self.cur_op);
                    self.method_misses.record(loc, c, name, span);
                    let _ = self.read_attr(c, name);
                    return Ok(SomeValue::Impossible);
                }
                let mut result = SomeValue::Impossible;
                let mut gids = Vec::new();
                let mut first: Option<(Vec<ArgSource>, kiln_frontend::Function)> = None;
                for (f, d) in impls {
                    let self_ann = SomeValue::Instance { class: d, can_be_none: false, konst: None };
                    let func = self.prog.heap.function(f).expect("impls are functions").clone();
                    let bound = self.bind_method(&func, args, kwnames, span)?;
                    // One call site passes one argument list to whichever override runs,
                    // so every override must bind it the same way.
                    match &first {
                        None => first = Some((bound.clone(), func.clone())),
                        Some((b0, f0)) if *b0 != bound => {
                            return Err(self
                                .err("E0327", format!("the overrides of '{name}' bind this call's arguments differently"), span, "called here")
                                .with_label(f0.span, format!("'{}' is defined here", f0.qualname))
                                .with_label(func.span, format!("'{}' is defined here", func.qualname))
                                .with_note("overrides called through one call site must have the same parameters and default values"));
                        }
                        Some(_) => {}
                    }
                    let mut full = vec![self_ann];
                    for src in &bound {
                        full.push(match src {
                            ArgSource::Arg(i) => args[*i].clone(),
                            ArgSource::Const(v) => self.annotate_const(v),
                        });
                    }
                    let Some(gid) = self.function_graph(f, &full, span) else { return Ok(SomeValue::Object) };
                    gids.push(gid);
                    let r = self.pass_args(gid, &full, span);
                    result = self.union(&result, &r).map_err(|m| self.err("E0301", format!("overrides of '{name}' return {} and {}", m.a, m.b), span, "called here"))?;
                }
                self.unify_family_returns(&gids, &result, span);
                self.call_targets.insert(site, CallTarget::Graphs(gids));
                if let Some((bound, _)) = first {
                    self.call_args.insert(site, bound);
                }
                Ok(result)
            }
            // `k.name(...)` on a class value: read the class attribute (a static method
            // is its function), then call it.
            SomeValue::Pbc { .. } if crate::classvalues::is_class_value(recv) => {
                let callee = self.getattr(g, op, recv, name)?;
                if callee.is_impossible() {
                    return Ok(SomeValue::Impossible);
                }
                self.attr_calls.insert(site, callee.clone());
                self.call(g, site, op, &callee, args, kwnames)
            }
            SomeValue::Pbc { descs, can_be_none: false } if descs.len() == 1 => {
                let d = *descs.iter().next().expect("one desc");
                if let Desc::Frozen(o) = d {
                    if matches!(self.prog.heap.get(o), Object::JitDriver(_)) && matches!(&**name, "jit_merge_point" | "can_enter_jit") {
                        self.call_targets.insert(site, CallTarget::JitHint);
                        self.annotate_jit_callbacks(o, args, kwnames, span);
                        return Ok(SomeValue::None_);
                    }
                }
                let dd = self.describe_desc(&d);
                Err(self.err("E0317", format!("{dd} has no method '{name}'"), span, "called here"))
            }
            r if r.can_be_none() => Err(self.none_error(g, &format!("calling method '{name}'"), &op.args[0], span)),
            _ => {
                self.call_targets.insert(site, CallTarget::ValueMethod);
                crate::methods::value_method(self, g, site, op, name, recv, args, kwnames)
            }
        }
    }

    /// Calls a bound method held in a variable: a method call on its receiver.
    pub(crate) fn call_bound_method(&mut self, g: GraphId, site: OpLoc, op: &Operation<Hl>, descs: &[Desc], args: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
        let span = op.span;
        let mut name: Option<Arc<str>> = None;
        let mut class: Option<ClassDefId> = None;
        for d in descs {
            let Desc::Method { func, class: c } = d else { continue };
            let n = self.prog.heap.function(*func).map(|f| f.name.clone()).unwrap_or_else(|| Arc::from("?"));
            if name.as_ref().is_some_and(|x| *x != n) {
                return Err(self.err("E0326", format!("this variable holds bound methods of different names ('{}' and '{n}')", name.unwrap_or_else(|| Arc::from("?"))), span, "called here").with_note("a stored bound method is called by dispatching on its receiver, so all must have one name"));
            }
            name = Some(n);
            class = Some(match class {
                Some(k) => self.common_base(k, *c),
                None => *c,
            });
        }
        let (Some(name), Some(c)) = (name, class) else { return Err(Diagnostic::internal("a bound-method call without methods")) };
        let recv = SomeValue::Instance { class: c, can_be_none: false, konst: None };
        let r = self.call_method(g, site, op, &name, &recv, args, kwnames)?;
        if let Some(CallTarget::Graphs(gids)) = self.call_targets.get(&site).cloned() {
            self.call_targets.insert(site, CallTarget::BoundMethod { name, graphs: gids });
        }
        Ok(r)
    }

    /// Calls a variable holding one of several classes: creates an instance of whichever
    /// it is, running that class's `__init__`.
    pub(crate) fn instantiate_family(&mut self, site: OpLoc, op: &Operation<Hl>, descs: &[Desc], args: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
        let mut result = SomeValue::Impossible;
        let mut members = Vec::new();
        // (binding, class) of the first member, which every other member must match:
        // one call site passes one argument list to whichever __init__ runs.
        let mut first: Option<(Option<Vec<ArgSource>>, ObjId)> = None;
        for d in descs {
            let Desc::Class(cls) = d else { continue };
            let inst = self.instantiate(site, op, *cls, args, kwnames)?;
            let bound = self.call_args.get(&site).cloned();
            if let Some(CallTarget::Instantiate { class, init }) = self.call_targets.get(&site).cloned() {
                members.push((class, init));
            }
            match &first {
                None => first = Some((bound, *cls)),
                Some((b0, c0)) if *b0 != bound => {
                    let name_of = |a: &Self, c: ObjId| a.prog.heap.class(c).map(|k| k.name.to_string()).unwrap_or_default();
                    let span_of = |a: &Self, c: ObjId| {
                        a.prog.heap.class_lookup(c, "__init__").and_then(|(_, v)| v.as_obj()).and_then(|f| a.prog.heap.function(f)).map(|f| f.span).unwrap_or(Span::DUMMY)
                    };
                    let (n0, n1) = (name_of(self, *c0), name_of(self, *cls));
                    let mut d = self
                        .err("E0328", format!("classes '{n0}' and '{n1}' are instantiated through one variable but their constructors take different arguments"), op.span, "instantiated here");
                    for (c, n) in [(*c0, &n0), (*cls, &n1)] {
                        let sp = span_of(self, c);
                        if !sp.is_dummy() {
                            d = d.with_label(sp, format!("'{n}.__init__' is defined here"));
                        }
                    }
                    return Err(d.with_note("every class called through one variable must define __init__ with the same parameters and defaults"));
                }
                Some(_) => {}
            }
            result = self.union(&result, &inst).map_err(|m| self.err("E0301", format!("the classes called here create {} and {}", m.a, m.b), op.span, "here"))?;
        }
        self.call_targets.insert(site, CallTarget::InstantiateFamily(members));
        Ok(result)
    }

    /// Binds a method call's arguments (after self) to the method's parameters.
    pub(crate) fn bind_method(&mut self, f: &kiln_frontend::Function, args: &[SomeValue], kwnames: &[Arc<str>], span: Span) -> Result<Vec<ArgSource>, Diagnostic> {
        let mut params = f.params.clone();
        if params.positional.is_empty() {
            return Err(self.err("E0318", format!("method '{}' has no 'self' parameter", f.qualname), f.span, "defined here"));
        }
        params.positional.remove(0);
        params.posonly = params.posonly.saturating_sub(1);
        let npos = args.len() - kwnames.len();
        let pos: Vec<ArgSource> = (0..npos).map(ArgSource::Arg).collect();
        let kws: Vec<(Arc<str>, ArgSource)> = kwnames.iter().enumerate().map(|(k, n)| (n.clone(), ArgSource::Arg(npos + k))).collect();
        let ndef = f.defaults.len().min(params.positional.len());
        let defaults: Vec<ArgSource> = f.defaults[f.defaults.len() - ndef..].iter().map(|d| ArgSource::Const(d.clone())).collect();
        let kwd: Vec<(Arc<str>, ArgSource)> = f.kwdefaults.iter().map(|(k, v)| (k.clone(), ArgSource::Const(v.clone()))).collect();
        kiln_frontend::callargs::bind(&f.qualname, &params, &defaults, &kwd, pos, kws)
            .map_err(|e| Diagnostic::error("E0320", e.0).with_primary(span, "in this call").with_label(f.span, format!("'{}' is defined here", f.qualname)))
    }
}
