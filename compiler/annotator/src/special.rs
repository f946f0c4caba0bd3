//! Where a value's Python type is observable beyond its machine representation: an int
//! that may hold a bool (it prints `1` where CPython prints `True`). Such a value is
//! fine in arithmetic, as in Python, but printing it, `str()`, `repr()`, f-strings and
//! `%s` would silently differ from CPython, so they are E0301 with both origins.

use std::collections::HashMap;
use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::Var;
use kiln_flowspace::{HlOp, Opnd};

use crate::annotate::Annotator;
use crate::model::*;

/// Where an int first met a bool: (where the bool came from, where the int came from).
#[derive(Default)]
pub struct BoolMixes {
    pub vars: HashMap<(GraphId, Var), (Span, Span)>,
    pub attrs: HashMap<(ClassDefId, Arc<str>), (Span, Span)>,
}

/// Whether generalising `old` with `new` made an int that may be a bool, and if so which
/// side was the bool: Some(true) when `new` brought the bool.
pub fn bool_mix(old: &SomeValue, new: &SomeValue, u: &SomeValue) -> Option<bool> {
    if !matches!(u, SomeValue::Int { boolish: true, .. }) {
        return None;
    }
    match (old, new) {
        (SomeValue::Int { boolish: false, .. }, SomeValue::Bool { .. }) => Some(true),
        (SomeValue::Bool { .. }, SomeValue::Int { boolish: false, .. }) => Some(false),
        _ => None,
    }
}

impl Annotator<'_> {
    /// Whether showing `s` as text could show an int where CPython shows a bool (lists,
    /// tuples and dicts show their items). Registers the current block as a reader of
    /// the containers it looks into, so a later generalisation re-checks.
    fn shows_boolish(&mut self, s: &SomeValue, depth: u32) -> bool {
        if depth > 8 {
            return false;
        }
        match s {
            SomeValue::Int { boolish, .. } => *boolish,
            SomeValue::List { def, .. } => {
                let item = self.list_item(def.0);
                self.shows_boolish(&item, depth + 1)
            }
            SomeValue::Dict { def, .. } => {
                let (k, v) = self.dict_kv(def.0);
                self.shows_boolish(&k, depth + 1) || self.shows_boolish(&v, depth + 1)
            }
            SomeValue::Tuple(items) => items.iter().any(|i| self.shows_boolish(i, depth + 1)),
            _ => false,
        }
    }

    /// E0301 when `s` (operand `o` of graph `g`) is shown as text by `what` and may be a
    /// bool held in an int.
    pub(crate) fn check_bool_shown(&mut self, g: GraphId, o: &Opnd, s: &SomeValue, span: Span, what: &str) -> Result<(), Diagnostic> {
        if !self.shows_boolish(s, 0) {
            return Ok(());
        }
        let mut d = Diagnostic::error("E0301", format!("{what} a value that is bool in one place and int in another"))
            .with_primary(span, "CPython would show True/False here where the translation shows 1/0");
        if let Some((b, i)) = self.bool_mix_origins(g, o) {
            if !b.is_dummy() {
                d = d.with_label(b, "bool here");
            }
            if !i.is_dummy() {
                d = d.with_label(i, "int here");
            }
        }
        Err(d.with_note("an RPy value keeps one type; bool mixes with int in arithmetic, but not where it is printed: use int(flag) or bool(n) on one side"))
    }

    /// Where the operand's bool and int came from: its own merge, or the attribute it was
    /// read from.
    fn bool_mix_origins(&self, g: GraphId, o: &Opnd) -> Option<(Span, Span)> {
        let Opnd::Var(v) = o else { return None };
        if let Some(m) = self.bool_mixes.vars.get(&(g, *v)) {
            return Some(*m);
        }
        let graph = &self.graphs[g.0 as usize].graph;
        let op = graph.blocks.iter().flat_map(|b| b.ops.iter()).find(|op| op.result == *v)?;
        let HlOp::GetAttr(name) = &op.op else { return None };
        let class = match op.args.first()? {
            Opnd::Var(obj) => match self.binding(g, *obj) {
                SomeValue::Instance { class, .. } => *class,
                _ => return None,
            },
            // A prebuilt instance (module-level global state).
            Opnd::Const(kiln_frontend::Value::Obj(o)) => *self.by_class.get(&self.prog.heap.instance(*o)?.class)?,
            Opnd::Const(_) => return None,
        };
        let mut c = Some(class);
        while let Some(k) = c {
            if let Some(m) = self.bool_mixes.attrs.get(&(k, name.clone())) {
                return Some(*m);
            }
            c = self.classdefs[k.0 as usize].parent;
        }
        None
    }
}
