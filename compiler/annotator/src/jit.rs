//! The functions a `JitDriver` calls back (`get_printable_location`, `get_unique_id`,
//! `should_unroll_one_iteration`, `can_never_inline`, `confirm_enter_jit`): each is
//! annotated as an extra entry point, called with the greens (and, for
//! `confirm_enter_jit`, the reds) as every `jit_merge_point` passes them, as RPython's
//! `annotate_hooks` does. Their results are checked once the fixpoint is reached.

use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};
use kiln_frontend::{ObjId, Object, Value};

use crate::annotate::Annotator;
use crate::model::{GraphId, SomeValue};

/// A callback of a driver that the annotator translated.
#[derive(Clone, Debug, PartialEq)]
pub struct JitCallbackGraph {
    /// The `JitDriver` object.
    pub driver: ObjId,
    /// The keyword it was given with (`get_printable_location`, ...).
    pub keyword: Arc<str>,
    pub graph: GraphId,
}

/// What a callback must return.
fn expected_result(keyword: &str) -> Option<(&'static str, fn(&SomeValue) -> bool)> {
    match keyword {
        "get_printable_location" => Some(("a str", |s| s.is_stringlike() && !s.can_be_none())),
        "get_unique_id" => Some(("an int", |s| s.is_intlike())),
        "should_unroll_one_iteration" | "can_never_inline" | "confirm_enter_jit" => Some(("a bool", |s| matches!(s, SomeValue::Bool { .. }))),
        _ => None,
    }
}

impl<'a> Annotator<'a> {
    /// At a `jit_merge_point`/`can_enter_jit` of `driver` whose keyword arguments are
    /// `args` (named by `kwnames`): annotates the driver's callbacks with them.
    pub(crate) fn annotate_jit_callbacks(&mut self, driver: ObjId, args: &[SomeValue], kwnames: &[Arc<str>], span: Span) {
        let Object::JitDriver(d) = self.prog.heap.get(driver) else { return };
        let d = d.clone();
        let npos = args.len().saturating_sub(kwnames.len());
        let find = |name: &Arc<str>| kwnames.iter().position(|k| k == name).map(|i| args[npos + i].clone());
        // A hint missing one of the names was reported by the flowspace (E0240).
        let Some(greens) = d.greens.iter().map(find).collect::<Option<Vec<_>>>() else { return };
        let reds: Option<Vec<SomeValue>> = if d.reds_auto { None } else { d.reds.iter().map(find).collect() };
        let mut callbacks: Vec<(Arc<str>, Value)> = Vec::new();
        if let Some(f) = &d.get_printable_location {
            callbacks.push((Arc::from("get_printable_location"), f.clone()));
        }
        callbacks.extend(d.callbacks.iter().cloned());
        for (keyword, f) in callbacks {
            if expected_result(&keyword).is_none() {
                // `get_jitcell_at` and the like: refused by the RTyper, with a span.
                continue;
            }
            let mut cargs = greens.clone();
            if keyword.as_ref() == "confirm_enter_jit" {
                match &reds {
                    Some(r) => cargs.extend(r.iter().cloned()),
                    // Refused by the RTyper: it needs the reds by name.
                    None => continue,
                }
            }
            let Some(fo) = f.as_obj().filter(|o| self.prog.heap.function(*o).is_some()) else {
                self.error(
                    Diagnostic::error("E0245", format!("JitDriver {keyword}= must be a function"))
                        .with_primary(d.span, "this driver")
                        .with_note("the JIT calls it with the greens of the driver"),
                );
                continue;
            };
            let func = self.prog.heap.function(fo).expect("checked above").clone();
            let p = &func.params;
            let takes = p.positional.len();
            let required = takes - func.defaults.len().min(takes);
            if p.vararg.is_none() && (cargs.len() > takes || cargs.len() < required) || p.kwonly.iter().any(|k| !func.kwdefaults.contains_key(k)) {
                let what = if keyword.as_ref() == "confirm_enter_jit" { "greens and reds" } else { "greens" };
                self.error(
                    Diagnostic::error("E0245", format!("'{}' must take the {} of JitDriver '{}' ({} arguments), but it takes {}", func.qualname, what, d.name, cargs.len(), takes))
                        .with_primary(func.span, format!("given as {keyword}="))
                        .with_label(d.span, format!("greens {:?}", d.greens.iter().map(|g| &**g).collect::<Vec<_>>()))
                        .with_note(format!("the JIT calls {keyword}(*greens{})", if what == "greens" { "" } else { ", *reds" })),
                );
                continue;
            }
            // Fill the defaults the way a call would.
            let mut full = cargs;
            if full.len() < takes {
                let from = func.defaults.len() - (takes - full.len());
                for v in func.defaults[from..].to_vec() {
                    full.push(self.annotate_const(&v));
                }
            }
            if p.vararg.is_some() {
                // Varargs would need a tuple: not worth it for a callback.
                self.error(
                    Diagnostic::error("E0245", format!("'{}' takes *args; a JIT driver callback must take the greens as plain parameters", func.qualname))
                        .with_primary(func.span, format!("given as {keyword}=")),
                );
                continue;
            }
            let Some(gid) = self.function_graph(fo, &full, span) else { continue };
            let _ = self.pass_args(gid, &full, func.span);
            let entry = crate::jit::JitCallbackGraph { driver, keyword: keyword.clone(), graph: gid };
            if !self.jit_callbacks.contains(&entry) {
                self.jit_callbacks.push(entry);
            }
        }
    }

    /// Checks what each translated callback returns.
    pub(crate) fn check_jit_callbacks(&mut self) {
        for cb in self.jit_callbacks.clone() {
            let Some((what, ok)) = expected_result(&cb.keyword) else { continue };
            let graph = self.graphs[cb.graph.0 as usize].graph.clone();
            let ret = self.binding(cb.graph, graph.return_var()).clone();
            if ret.is_impossible() || ok(&ret) {
                continue;
            }
            let d = self.describe(&ret);
            let dspan = match self.prog.heap.get(cb.driver) {
                Object::JitDriver(info) => info.span,
                _ => Span::DUMMY,
            };
            let mut diag = Diagnostic::error("E0246", format!("{}= must return {what}, but '{}' returns {d}", cb.keyword, self.graphs[cb.graph.0 as usize].name))
                .with_primary(graph.span, "defined here");
            if !dspan.is_dummy() {
                diag = diag.with_label(dspan, "given to this JitDriver");
            }
            self.error(diag);
        }
    }
}
