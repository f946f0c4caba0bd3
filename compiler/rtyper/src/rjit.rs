//! JIT hints as data: `driver.jit_merge_point(...)`/`can_enter_jit(...)` become marker
//! ops naming the driver (greens, then reds), the driver's facts go into
//! `LlProgram::jit_drivers` (with `reds='auto'` resolved from what is live at the merge
//! point, RPython's rule), the drivers' callbacks become entries of that table, and the
//! functions' decorators become `LlFunc::hints`.
//!
//! Invariant: every marker of one driver passes values of the same low-level types, in
//! the order of the driver's `greens` and `reds`.

use std::collections::{BTreeSet, HashSet};

use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::{ExitSwitch, Operation, Value as FValue, Var};
use kiln_flowspace::{Hl, HlOp};
use kiln_frontend::{ObjId, Object, Value};
use kiln_lltype::builder::LlValue;
use kiln_lltype::{FuncHints, FuncId, JitCallback, JitDriverDesc, JitDriverId, JitVar, LlConst, LlOp, TypeId};

use crate::lower::Lower;
use crate::repr::Repr;
use crate::RTyper;

/// Whether a value of this representation can be a green or a red: the JIT keeps ints,
/// floats and GC pointers in its registers.
fn jit_value_ok(r: &Repr) -> bool {
    matches!(r, Repr::Bool | Repr::Int | Repr::Uint | Repr::Float | Repr::FloatOrBool | Repr::Char | Repr::Str | Repr::List(_) | Repr::Dict(_) | Repr::Tuple(_) | Repr::Instance { .. })
}

impl<'a> RTyper<'a> {
    /// The low-level id of a driver object, made on first use.
    fn jit_driver(&mut self, obj: ObjId) -> JitDriverId {
        if let Some(&id) = self.jit_driver_ids.get(&obj) {
            return id;
        }
        let Object::JitDriver(info) = self.prog.heap.get(obj) else { unreachable!("jit_driver of a non-driver") };
        let var = |n: &std::sync::Arc<str>| JitVar { name: n.to_string(), ty: TypeId::VOID };
        let desc = JitDriverDesc {
            name: info.name.clone(),
            greens: info.greens.iter().map(var).collect(),
            reds: if info.reds_auto { Vec::new() } else { info.reds.iter().map(var).collect() },
            reds_auto: info.reds_auto,
            callbacks: Vec::new(),
            is_recursive: info.is_recursive,
            virtualizables: info.virtualizables.iter().map(|v| v.to_string()).collect(),
            span: info.span,
        };
        let id = JitDriverId(self.ll.jit_drivers.len() as u32);
        self.ll.jit_drivers.push(desc);
        self.jit_driver_ids.insert(obj, id);
        id
    }

    /// After every graph is lowered: resolves `reds='auto'`, records the callbacks,
    /// and refuses what the JIT cannot do.
    pub(crate) fn finish_jit(&mut self) {
        self.resolve_auto_reds();
        let drivers: Vec<(ObjId, JitDriverId)> = {
            let mut v: Vec<_> = self.jit_driver_ids.iter().map(|(o, d)| (*o, *d)).collect();
            v.sort_by_key(|(_, d)| *d);
            v
        };
        for (obj, id) in drivers {
            let Object::JitDriver(info) = self.prog.heap.get(obj) else { continue };
            let info = info.clone();
            for (k, _) in &info.callbacks {
                let refused = match &**k {
                    "get_jitcell_at" | "set_jitcell_at" => Some("RPython's old interface to the JIT's cells; Kiln keeps one cell per green key itself"),
                    "get_location" => Some("it returns a tuple for PyPy's vmprof; use get_printable_location"),
                    "confirm_enter_jit" if info.reds_auto => Some("it takes the reds, which reds='auto' leaves unnamed"),
                    _ => None,
                };
                if let Some(why) = refused {
                    self.error(
                        Diagnostic::error("E0248", format!("JitDriver({k}=...) is not supported"))
                            .with_primary(info.span, format!("JitDriver '{}' is created here", info.name))
                            .with_note(why.to_string()),
                    );
                }
            }
            let mut callbacks = Vec::new();
            for cb in self.ann.jit_callbacks.iter().filter(|c| c.driver == obj) {
                let Some(kind) = JitCallback::from_keyword(&cb.keyword) else { continue };
                let Some(&f) = self.funcs.get(&cb.graph) else { continue };
                callbacks.push((kind, f));
            }
            callbacks.sort_by_key(|(k, _)| JitCallback::ALL.iter().position(|x| x == k));
            callbacks.dedup_by_key(|(k, _)| *k);
            for (kind, f) in &callbacks {
                self.check_callback_params(id, *kind, *f);
            }
            self.ll.jit_drivers[id.0 as usize].callbacks = callbacks;
        }
    }

    /// A callback's low-level parameters must take the greens (and reds) as the markers
    /// pass them.
    fn check_callback_params(&mut self, id: JitDriverId, kind: JitCallback, f: FuncId) {
        let desc = &self.ll.jit_drivers[id.0 as usize];
        let mut want: Vec<TypeId> = desc.greens.iter().map(|g| g.ty).collect();
        if kind.takes_reds() {
            want.extend(desc.reds.iter().map(|r| r.ty));
        }
        let params: Vec<TypeId> = match self.ll.types.get(self.ll.func(f).ty) {
            kiln_lltype::LlType::Func { args, .. } => args.clone(),
            _ => return,
        };
        let compatible = params.len() >= want.len() && want.iter().zip(&params).all(|(w, p)| w == p || (self.ll.types.is_gc_ptr(*w) && self.ll.types.is_gc_ptr(*p)));
        if !compatible {
            let (name, span) = (desc.name.clone(), desc.span);
            let fname = self.ll.func(f).name.clone();
            let fspan = self.ll.func(f).graph.span;
            self.error(
                Diagnostic::error("E0246", format!("{}= of JitDriver '{name}' does not take the greens as the merge point passes them", kind.keyword()))
                    .with_primary(fspan, format!("'{fname}' is defined here"))
                    .with_label(span, "the driver")
                    .with_note("the callback is also called elsewhere with values of other types; give the JIT a function of its own"),
            );
        }
    }

    /// `reds='auto'`: the reds of a merge point are the variables live after it, other
    /// than the greens, without the ones that have no run-time value (RPython's
    /// `autodetect_jit_markers_redvars`). Every merge point of a driver must find
    /// values of the same types.
    fn resolve_auto_reds(&mut self) {
        let auto: HashSet<JitDriverId> = self.ll.jit_drivers.iter().enumerate().filter(|(_, d)| d.reds_auto).map(|(i, _)| JitDriverId(i as u32)).collect();
        if auto.is_empty() {
            return;
        }
        let mut resolved: Vec<Option<(Vec<JitVar>, Span)>> = vec![None; self.ll.jit_drivers.len()];
        let mut errors = Vec::new();
        for fi in 0..self.ll.funcs.len() {
            let graph = &mut self.ll.funcs[fi].graph;
            let blocks: Vec<_> = graph.reachable_blocks();
            for b in blocks {
                let block = graph.block(b);
                let Some(mi) = block.ops.iter().position(|op| matches!(op.op, LlOp::JitMergePoint(d) if auto.contains(&d))) else { continue };
                let LlOp::JitMergePoint(d) = block.ops[mi].op else { continue };
                let span = block.ops[mi].span;
                // Defined before the marker: the block's inputs and earlier results.
                let mut defined: HashSet<Var> = block.inputargs.iter().copied().collect();
                defined.extend(block.ops[..mi].iter().map(|op| op.result));
                // Used after it: by later ops, the exit switch and the links.
                let mut used: BTreeSet<Var> = BTreeSet::new();
                let mut add = |v: &FValue<LlConst>| {
                    if let FValue::Var(x) = v {
                        used.insert(*x);
                    }
                };
                for op in &block.ops[mi + 1..] {
                    op.args.iter().for_each(&mut add);
                }
                if let ExitSwitch::Value(v) = &block.exitswitch {
                    add(v);
                }
                for link in &block.exits {
                    link.args.iter().for_each(&mut add);
                }
                let greens: HashSet<Var> = block.ops[mi].args.iter().filter_map(|a| a.as_var()).collect();
                let reds: Vec<Var> = used.into_iter().filter(|v| defined.contains(v) && !greens.contains(v) && *graph.var_type(*v) != TypeId::VOID).collect();
                let vars: Vec<JitVar> = reds.iter().map(|v| JitVar { name: graph.var(*v).name.as_deref().map_or_else(|| v.to_string(), |n| n.to_string()), ty: *graph.var_type(*v) }).collect();
                graph.block_mut(b).ops[mi].args.extend(reds.iter().map(|v| FValue::Var(*v)));
                match &resolved[d.0 as usize] {
                    None => resolved[d.0 as usize] = Some((vars, span)),
                    Some((first, first_span)) => {
                        let same = first.len() == vars.len() && first.iter().zip(&vars).all(|(a, b)| a.ty == b.ty);
                        if !same {
                            let name = self.ll.jit_drivers[d.0 as usize].name.clone();

                            let show = |vs: &[JitVar]| {
                                let s: Vec<String> = vs.iter().map(|v| format!("{}: {}", v.name, self.ll.types.name(v.ty))).collect();
                                if s.is_empty() { "no reds here".to_string() } else { format!("reds here: {}", s.join(", ")) }
                            };
                            let d = Diagnostic::error("E0247", format!("the jit_merge_points of JitDriver '{name}' (reds='auto') have different live variables"))
                                .with_primary(span, show(&vars))
                                .with_label(*first_span, show(first))
                                .with_note("with reds='auto' the reds are the variables live after jit_merge_point; give the driver explicit reds, or use one merge point");
                            errors.push(d);
                        }
                    }
                }
            }
        }
        for d in errors {
            self.error(d);
        }
        for (i, r) in resolved.into_iter().enumerate() {
            if let Some((vars, _)) = r {
                self.ll.jit_drivers[i].reds = vars;
            }
        }
    }

    /// The JIT hints of a function's decorators, checked.
    pub(crate) fn func_hints(&mut self, func: ObjId) -> FuncHints {
        let Some(f) = self.prog.heap.function(func) else { return FuncHints::default() };
        let h = &f.hints;
        let hints = FuncHints {
            elidable: h.elidable,
            promote_args: h.promote_args.as_ref().map(|a| a.to_string()),
            // `@loop_invariant` implies `@dont_look_inside`, as in RPython.
            dont_look_inside: h.dont_look_inside || h.loop_invariant,
            look_inside: h.look_inside,
            look_inside_iff: h.look_inside_iff.as_ref().map(|p| match p.as_obj().and_then(|o| self.prog.heap.function(o)) {
                Some(pf) => pf.qualname.clone(),
                None => "?".to_string(),
            }),
            unroll_safe: h.unroll_safe,
            loop_invariant: h.loop_invariant,
            always_inline: h.always_inline,
        };
        let (span, qualname) = (f.span, f.qualname.clone());
        let nparams = f.params.positional.len() + f.params.kwonly.len() + f.params.vararg.iter().count() + f.params.kwarg.iter().count();
        let mut bad = |why: String, note: &str| {
            self.error(Diagnostic::error("E0249", format!("'{qualname}': {why}")).with_primary(span, "decorated here").with_note(note.to_string()));
        };
        if hints.look_inside && (hints.dont_look_inside || hints.elidable) {
            bad("@look_inside contradicts @dont_look_inside and @elidable".into(), "the tracer either traces into a function or calls it; pick one");
        }
        if hints.unroll_safe && hints.dont_look_inside {
            bad("@unroll_safe has no effect on a @dont_look_inside function".into(), "@unroll_safe lets the tracer inline a function with a loop; @dont_look_inside forbids inlining it");
        }
        // A @loop_invariant function with arguments translates (RPython's translator
        // accepts it too); the codewriter refuses it when it builds the JIT.
        if hints.look_inside_iff.as_deref() == Some("?") {
            bad("look_inside_iff() needs a predicate function".into(), "the predicate takes the function's arguments and says whether to trace into it");
        }
        if let Some(a) = &hints.promote_args {
            let ok = a == "all" || a.split(',').all(|p| p.trim().parse::<usize>().is_ok_and(|i| i < nparams));
            if !ok {
                bad(format!("elidable_promote({a:?}) must name 'all' or argument positions of the function"), "for example elidable_promote('0,2')");
            }
        }
        hints
    }
}

impl<'r, 'a> Lower<'r, 'a> {
    /// `driver.jit_merge_point(**greens_and_reds)` / `driver.can_enter_jit(...)`.
    pub fn lower_jit_marker(&mut self, op: &Operation<Hl>, method: &str) -> LlValue {
        let void = LlValue::Const(LlConst::Void);
        let Some(Value::Obj(obj)) = op.args[0].as_const().cloned() else {
            self.internal("a JIT hint on a driver that is not a constant".into());
            return void;
        };
        let Object::JitDriver(info) = self.rt.prog.heap.get(obj) else {
            self.internal("a JIT hint on a non-driver".into());
            return void;
        };
        let info = info.clone();
        let HlOp::CallMethod(_, shape) = &op.op else {
            self.internal("a JIT hint that is not a method call".into());
            return void;
        };
        let npos = shape.npos as usize;
        let kwnames = shape.kwnames.clone();
        let id = self.rt.jit_driver(obj);
        if method == "can_enter_jit" && info.reds_auto {
            let d = Diagnostic::error("E0243", format!("can_enter_jit() cannot be used with JitDriver '{}', whose reds are 'auto'", info.name))
                .with_primary(self.span, "here")
                .with_label(info.span, "reds='auto' here")
                .with_note("the reds of can_enter_jit must match those of jit_merge_point; with reds='auto' only jit_merge_point is possible (as in RPython)");
            self.rt.error(d);
            return void;
        }
        let mut args = Vec::new();
        let reds: &[std::sync::Arc<str>] = if info.reds_auto { &[] } else { &info.reds };
        for (green, names) in [(true, &info.greens[..]), (false, reds)] {
            for (i, name) in names.iter().enumerate() {
                // A missing name was reported by the flowspace (E0240).
                let Some(k) = kwnames.iter().position(|n| n == name) else { return void };
                let (v, r) = self.arg(&op.args[1 + npos + k]);
                let role = if green { "green" } else { "red" };
                if !jit_value_ok(&r) {
                    let a = self.opnd_ann(&op.args[1 + npos + k]);
                    let d = Diagnostic::error("E0242", format!("{role} '{name}' of JitDriver '{}' is {a}", info.name))
                        .with_primary(self.span, "passed here")
                        .with_label(info.span, "the driver")
                        .with_note("greens and reds must be ints, floats, bools, strs, lists, dicts, tuples or instances (a value that is always the same constant is not a variable of the interpreter)");
                    self.rt.error(d);
                    return void;
                }
                let ty = r.lltype();
                let desc = &mut self.rt.ll.jit_drivers[id.0 as usize];
                let slot = if green { &mut desc.greens[i] } else { &mut desc.reds[i] };
                if slot.ty == TypeId::VOID {
                    slot.ty = ty;
                } else if slot.ty != ty {
                    let (was, now) = (self.rt.ll.types.name(slot.ty), self.rt.ll.types.name(ty));
                    let d = Diagnostic::error("E0242", format!("{role} '{name}' of JitDriver '{}' is a {now} here, a {was} at another hint", info.name))
                        .with_primary(self.span, "passed here")
                        .with_note("every jit_merge_point and can_enter_jit of a driver must pass values of the same types");
                    self.rt.error(d);
                    return void;
                }
                args.push(v);
            }
        }
        let marker = if method == "jit_merge_point" { LlOp::JitMergePoint(id) } else { LlOp::JitCanEnterJit(id) };
        self.genop(marker, args, TypeId::VOID);
        void
    }

    /// The annotation of an operand, described for a message.
    fn opnd_ann(&mut self, o: &kiln_flowspace::Opnd) -> String {
        let a = match o {
            kiln_flowspace::Opnd::Var(v) => self.ann(*v).clone(),
            kiln_flowspace::Opnd::Const(_) => return "a constant".into(),
        };
        self.rt.ann.describe(&a)
    }

    /// `promote(x)`, `promote_string(s)`, `hint(x, "flags")`, `isconstant(x)`,
    /// `isvirtual(x)`, `assert_green(x)`, `we_are_jitted()`.
    pub fn lower_jit_builtin(&mut self, b: kiln_frontend::Builtin, args: &[kiln_flowspace::Opnd], rr: &Repr) -> LlValue {
        use kiln_frontend::Builtin as B;
        if b == B::WeAreJitted {
            return self.genop(LlOp::JitWeAreJitted, vec![], TypeId::BOOL);
        }
        let (x, xr) = self.arg(&args[0]);
        if matches!(xr, Repr::Iter(_)) {
            let d = Diagnostic::error("E0242", format!("{}() of an iterator is not supported", b.name().rsplit('.').next().unwrap_or("hint")))
                .with_primary(self.span, "here")
                .with_note("the JIT promotes and checks ints, floats, strs and objects");
            self.rt.error(d);
            return LlValue::Const(LlConst::Void);
        }
        // A value with no run-time representation is a constant already.
        let is_void = xr.is_void();
        match b {
            B::Promote | B::PromoteString | B::Hint => {
                let x = self.convert(x, &xr, rr);
                if is_void || rr.is_void() {
                    return x;
                }
                let op = match b {
                    B::Promote => LlOp::JitPromote,
                    // A one-character str is a char: promoted by value like an int.
                    B::PromoteString if kiln_lltype::kind_of(rr.lltype()) == kiln_lltype::Kind::Ptr => LlOp::JitPromoteString,
                    B::PromoteString => LlOp::JitPromote,
                    _ => {
                        let flags = match args.get(1).and_then(|a| a.as_const()) {
                            Some(Value::Str(s)) => s.split(',').filter_map(kiln_lltype::HintFlags::from_keyword).fold(kiln_lltype::HintFlags::default(), |a, f| a | f),
                            _ => kiln_lltype::HintFlags::default(),
                        };
                        if flags == kiln_lltype::HintFlags::default() {
                            return x;
                        }
                        LlOp::JitHint(flags)
                    }
                };
                self.genop(op, vec![x], rr.lltype())
            }
            // False outside JIT code, as under CPython, even for a value with no run-time
            // representation (which a trace would know as a constant): the op stays.
            B::IsConstant => self.genop(LlOp::JitIsConstant, vec![x], TypeId::BOOL),
            B::IsVirtual => self.genop(LlOp::JitIsVirtual, vec![x], TypeId::BOOL),
            _ => {
                self.genop(LlOp::JitAssertGreen, vec![x], TypeId::VOID);
                LlValue::Const(LlConst::Void)
            }
        }
    }
}
