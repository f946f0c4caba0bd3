//! Where a value's Python type is observable beyond its machine representation: an int
//! that may hold a bool (it prints `1` where CPython prints `True`), and a float that may
//! hold an int (it prints `2.0` where CPython prints `2`). Such a value is fine in
//! arithmetic, as in Python, but printing it, `str()`, `repr()`, f-strings, `%s` and
//! `isinstance` would silently differ from CPython, so they are E0301 with both origins.

use std::collections::HashMap;
use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::Var;
use kiln_flowspace::{HlOp, Opnd};
use kiln_frontend::Value;

use crate::annotate::Annotator;
use crate::model::*;

/// Where a narrower number first met a wider one (a bool an int, or an int a float):
/// (where the narrower came from, where the wider came from).
#[derive(Default)]
pub struct BoolMixes {
    pub vars: HashMap<(GraphId, Var), (Span, Span)>,
    pub attrs: HashMap<(ClassDefId, Arc<str>), (Span, Span)>,
}

/// Whether generalising `old` with `new` made an int that may be a bool or a float that
/// may be an int, and if so which side was the narrower one: Some(true) when `new`
/// brought it.
pub fn bool_mix(old: &SomeValue, new: &SomeValue, u: &SomeValue) -> Option<bool> {
    use SomeValue as S;
    match u {
        S::Int { boolish: true, .. } => match (old, new) {
            (S::Int { boolish: false, .. }, S::Bool { .. }) => Some(true),
            (S::Bool { .. }, S::Int { boolish: false, .. }) => Some(false),
            _ => None,
        },
        S::Float { intish: true, .. } => match (old, new) {
            (S::Float { intish: false, .. }, S::Int { .. }) => Some(true),
            (S::Int { .. }, S::Float { intish: false, .. }) => Some(false),
            _ => None,
        },
        S::Float { boolish: true, .. } => match (old, new) {
            (S::Float { boolish: false, .. }, S::Bool { .. }) => Some(true),
            (S::Bool { .. }, S::Float { boolish: false, .. }) => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// What CPython would show differently: a bool shown as an int, or an int as a float;
/// or what the translation cannot show yet: a float that may be a bool inside a
/// container (the runtime shows a list's floats as floats).
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Shown {
    Bool,
    Int,
    BoolInFloat,
}

/// The conversion characters of a `%` format string, in order (after any mapping key,
/// flags, width and precision; `%%` yields `%`).
pub(crate) fn percent_conversions(f: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut it = f.chars().peekable();
    while let Some(c) = it.next() {
        if c != '%' {
            continue;
        }
        if it.peek() == Some(&'(') {
            for c in it.by_ref() {
                if c == ')' {
                    break;
                }
            }
        }
        while let Some(&c) = it.peek() {
            if "-+ #0123456789.*hlL".contains(c) {
                it.next();
            } else {
                break;
            }
        }
        if let Some(c) = it.next() {
            out.push(c);
        }
    }
    out
}

/// Whether a `%` format string has a `%s`, `%r` or `%a` conversion (with any flags, width
/// or mapping key), the conversions that show a value's type; `%d`, `%f` and friends do
/// not.
pub(crate) fn percent_shows_type(f: &str) -> bool {
    percent_conversions(f).iter().any(|c| matches!(c, 's' | 'r' | 'a'))
}

/// Whether a `%` format string has a `%r` or `%a` conversion.
pub(crate) fn percent_has_repr(f: &str) -> bool {
    percent_conversions(f).iter().any(|c| matches!(c, 'r' | 'a'))
}

/// Whether an f-string's format spec shows a float as a float whatever it holds (`.2f`,
/// `e`, `g`, `%`): with such a type, an int and a float that hold the same number show the
/// same. An empty spec or a width alone (`{x:5}`) shows `2` against `2.0`.
pub(crate) fn spec_is_float_format(spec: &str) -> bool {
    spec.chars().last().is_some_and(|c| "eEfFgG%".contains(c))
}

impl Annotator<'_> {
    /// Whether showing `s` as text could show an int where CPython shows a bool, or a
    /// float where CPython shows an int (lists, tuples and dicts show their items).
    /// Registers the current block as a reader of the containers it looks into, so a
    /// later generalisation re-checks.
    fn shows_mix(&mut self, s: &SomeValue, depth: u32) -> Option<Shown> {
        if depth > 8 {
            return None;
        }
        match s {
            SomeValue::Int { boolish: true, .. } => Some(Shown::Bool),
            SomeValue::Float { intish: true, .. } => Some(Shown::Int),
            // Shown by its own type at run time, but only on its own (see `Shown`).
            SomeValue::Float { boolish: true, .. } if depth > 0 => Some(Shown::BoolInFloat),
            SomeValue::List { def, .. } => {
                let item = self.list_item(def.0);
                self.shows_mix(&item, depth + 1)
            }
            SomeValue::Dict { def, .. } => {
                let (k, v) = self.dict_kv(def.0);
                let k = self.shows_mix(&k, depth + 1);
                let v = self.shows_mix(&v, depth + 1);
                k.or(v)
            }
            SomeValue::Tuple(items) => {
                let mut found = None;
                for i in items.iter() {
                    found = found.or(self.shows_mix(i, depth + 1));
                }
                found
            }
            _ => None,
        }
    }

    /// E0301 when `s` (operand `o` of graph `g`) is shown as text by `what` and may be a
    /// bool held in an int, or an int held in a float.
    pub(crate) fn check_bool_shown(&mut self, g: GraphId, o: &Opnd, s: &SomeValue, span: Span, what: &str) -> Result<(), Diagnostic> {
        match self.shows_mix(s, 0) {
            None => Ok(()),
            Some(kind) => Err(self.mix_shown_error(g, o, kind, span, what)),
        }
    }

    /// An f-string field: E0301 when a bool held in an int is shown with no spec or a
    /// conversion (`{flag:d}` shows 1 either way), or an int held in a float with a spec
    /// that is not a float format (`{x}`, `{x!r}`, `{x:5}`).
    pub(crate) fn check_format_shown(&mut self, g: GraphId, o: &Opnd, s: &SomeValue, span: Span, conversion: bool, spec: &str) -> Result<(), Diagnostic> {
        let what = "this f-string shows";
        match self.shows_mix(s, 0) {
            Some(Shown::Bool) if spec.is_empty() || conversion => Err(self.mix_shown_error(g, o, Shown::Bool, span, what)),
            Some(Shown::Int) if conversion || !spec_is_float_format(spec) => Err(self.mix_shown_error(g, o, Shown::Int, span, what)),
            Some(Shown::BoolInFloat) => Err(self.mix_shown_error(g, o, Shown::BoolInFloat, span, what)),
            // A float that may be a bool: shown by its type with no spec or a conversion
            // (`{x}`, `{x!r:>8}`), as a number with a float format (`{x:.2f}` is 1.00
            // for True); any other spec formats a bool as an int (`{True:5}` is `    1`),
            // not done yet.
            None if s.is_boolish_float() && !conversion && !spec.is_empty() && !spec_is_float_format(spec) => Err(self.mix_shown_error(g, o, Shown::BoolInFloat, span, what)),
            _ => Ok(()),
        }
    }

    /// E0301 for `isinstance(x, int/bool/float)` where the answer depends on which of
    /// the mixed types CPython holds.
    pub(crate) fn check_type_tested(&mut self, g: GraphId, o: &Opnd, s: &SomeValue, t: kiln_frontend::BuiltinType, span: Span) -> Result<(), Diagnostic> {
        use kiln_frontend::BuiltinType as T;
        let kind = match (s, t) {
            (SomeValue::Int { boolish: true, .. }, T::Bool) => Shown::Bool,
            (SomeValue::Float { intish: true, .. }, T::Int | T::Bool | T::Float) => Shown::Int,
            // A float that may be a bool (and not an int) is tested at run time: its
            // NaN-boxed bools answer bool and int, its floats float.
            (SomeValue::Float { boolish: true, .. }, _) => return Ok(()),
            _ => return Ok(()),
        };
        Err(self.mix_shown_error(g, o, kind, span, &format!("isinstance(x, {}) of", t.name())))
    }

    fn mix_shown_error(&mut self, g: GraphId, o: &Opnd, kind: Shown, span: Span, what: &str) -> Diagnostic {
        let (narrow, wide, primary, note) = match kind {
            Shown::Bool => (
                "bool",
                "int",
                "CPython would show True/False here where the translation shows 1/0",
                "an RPy value keeps one type; bool mixes with int in arithmetic, but not where it is printed: use int(flag) or bool(n) on one side",
            ),
            Shown::Int => (
                "int",
                "float",
                "CPython would show an int here (`2`) where the translation shows a float (`2.0`)",
                "an RPy value keeps one type; int mixes with float in arithmetic, but not where it is printed or its type tested: make the int a float where it is made (`total = 0.0` instead of `total = 0`, `float(n)`, `sum(xs, 0.0)`), or format it with a float format (`%.2f`, `{x:.2f}`)",
            ),
            Shown::BoolInFloat => (
                "bool",
                "float",
                "a float that may be a bool is shown here in a way the translation does not support yet",
                "a float that may be a bool keeps its type at run time and is shown on its own (print(x), str(x), repr(x), %s, {x}, {x:.2f}); inside a list, tuple or dict, or with an int format, it is not done yet: show the items one by one, or convert with float(x) or bool(x) first",
            ),
        };
        // A type test does not show the value: its answer is what would differ.
        let primary = if what.starts_with("isinstance") { format!("CPython answers by the type this holds at run time ({narrow} or {wide}); the translation always sees {wide}") } else { primary.to_string() };
        let mut d = Diagnostic::error("E0301", format!("{what} a value that is {narrow} in one place and {wide} in another")).with_primary(span, primary);
        if let Some((b, i)) = self.bool_mix_origins(g, o) {
            if !b.is_dummy() {
                d = d.with_label(b, format!("{narrow} here"));
            }
            if !i.is_dummy() {
                d = d.with_label(i, format!("{wide} here"));
            }
        }
        d.with_note(note)
    }
}

impl Annotator<'_> {
    /// Where a block input's mix happened upstream: a variable passed along links from
    /// the merge (the loop header of `total = 0; for f in fs: total += f`) to where it
    /// is read (after the loop).
    fn mix_through_links(&self, g: GraphId, v: Var) -> Option<(Span, Span)> {
        let graph = &self.graphs[g.0 as usize].graph;
        let mut seen = std::collections::HashSet::new();
        let mut work = vec![v];
        while let Some(v) = work.pop() {
            if !seen.insert(v) || seen.len() > 64 {
                continue;
            }
            if let Some(m) = self.bool_mixes.vars.get(&(g, v)) {
                return Some(*m);
            }
            for (bi, b) in graph.blocks.iter().enumerate() {
                let Some(k) = b.inputargs.iter().position(|a| *a == v) else { continue };
                for src in &graph.blocks {
                    for l in src.exits.iter().filter(|l| l.target.0 as usize == bi) {
                        if let Some(Opnd::Var(a)) = l.args.get(k) {
                            work.push(*a);
                        }
                    }
                }
            }
        }
        None
    }

    /// Where the operand's bool and int came from: its own merge, or the attribute it was
    /// read from.
    fn bool_mix_origins(&self, g: GraphId, o: &Opnd) -> Option<(Span, Span)> {
        let Opnd::Var(v) = o else { return None };
        if let Some(m) = self.bool_mixes.vars.get(&(g, *v)) {
            return Some(*m);
        }
        if let Some(m) = self.mix_through_links(g, *v) {
            return Some(m);
        }
        let graph = &self.graphs[g.0 as usize].graph;
        let (bi, i, op) = graph.blocks.iter().enumerate().find_map(|(bi, b)| b.ops.iter().enumerate().find(|(_, op)| op.result == *v).map(|(i, op)| (bi, i, op)))?;
        // A call's result: where the callee's returns met.
        if let Some(crate::annotate::CallTarget::Graphs(gids)) = self.call_targets.get(&(g, kiln_flowgraph::BlockId(bi as u32), i as u32)) {
            let ret = gids.iter().find_map(|c| self.bool_mixes.vars.get(&(*c, self.graphs[c.0 as usize].graph.return_var())).copied());
            // Else where they met inside the callee, before its return.
            return ret.or_else(|| gids.iter().find_map(|c| self.bool_mixes.vars.iter().filter(|((cg, _), _)| cg == c).map(|(_, m)| *m).min()));
        }
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

/// The comparison special methods the translator does not dispatch: on instances, `==`
/// would compare identities (and `<` fail) where CPython calls them.
const COMPARE_METHODS: &[&str] = &["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"];
const HASH_METHODS: &[&str] = &["__eq__", "__ne__", "__hash__"];

impl Annotator<'_> {
    /// A user-defined method among `names` that instances of `class` (or of a subclass)
    /// have: the name of the class defining it and the method's name.
    fn special_method_of(&self, class: ClassDefId, names: &[&'static str]) -> Option<(Arc<str>, &'static str)> {
        let mut stack = vec![class];
        while let Some(c) = stack.pop() {
            let cls = self.classdefs[c.0 as usize].class;
            for name in names {
                if let Some((owner, _)) = self.prog.heap.class_lookup(cls, name) {
                    if let Some(k) = self.prog.heap.class(owner).filter(|k| !k.builtin) {
                        return Some((k.name.clone(), name));
                    }
                }
            }
            stack.extend(self.classdefs[c.0 as usize].subdefs.iter().copied());
        }
        None
    }

    /// Whether comparing values of annotation `s` compares instances whose class defines
    /// one of `names` (lists and tuples compare their items).
    fn compares_special(&mut self, s: &SomeValue, names: &[&'static str], depth: u32) -> Option<(Arc<str>, &'static str)> {
        if depth > 8 {
            return None;
        }
        match s {
            SomeValue::Instance { class, .. } => self.special_method_of(*class, names),
            SomeValue::List { def, .. } => {
                let item = self.lists.get(def.0).item.clone();
                self.compares_special(&item, names, depth + 1)
            }
            SomeValue::Tuple(items) => items.iter().find_map(|i| self.compares_special(i, names, depth + 1)),
            _ => None,
        }
    }

    /// After the fixpoint: every comparison, membership test, list search and dict key
    /// that would call a comparison or hash special method CPython calls but the
    /// translation does not (E0340), so no program compiles with identity semantics
    /// where Python has the user's.
    pub fn check_special_methods(&mut self) {
        let mut found: Vec<(Span, String, Arc<str>, &'static str)> = Vec::new();
        for gi in 0..self.graphs.len() {
            let graph = self.graphs[gi].graph.clone();
            for b in graph.reachable_blocks() {
                if !self.graphs[gi].reached[b.0 as usize] {
                    continue;
                }
                for op in &graph.block(b).ops {
                    let ann = |an: &mut Self, o: &Opnd| match o {
                        Opnd::Var(v) => an.graphs[gi].bindings[v.0 as usize].clone(),
                        Opnd::Const(c) => an.annotate_const(c),
                    };
                    let (what, values, names): (String, Vec<SomeValue>, &[&'static str]) = match &op.op {
                        HlOp::Cmp(c) => {
                            use kiln_frontend::ops::CmpOp;
                            match c {
                                CmpOp::Is | CmpOp::IsNot => continue,
                                CmpOp::In | CmpOp::NotIn => {
                                    let (hay, names): (SomeValue, &[&'static str]) = match ann(self, &op.args[1]) {
                                        SomeValue::List { def, .. } => (self.lists.get(def.0).item.clone(), COMPARE_METHODS),
                                        SomeValue::Dict { def, .. } => (self.dicts.get(def.0).key.clone(), HASH_METHODS),
                                        t @ SomeValue::Tuple(_) => (t, COMPARE_METHODS),
                                        _ => continue,
                                    };
                                    (format!("'{}' on", c.symbol()), vec![hay], names)
                                }
                                _ => {
                                    let (a, b) = (ann(self, &op.args[0]), ann(self, &op.args[1]));
                                    // Ordering two instances is already E0306.
                                    let ordering = !matches!(c, CmpOp::Eq | CmpOp::Ne);
                                    if ordering && (matches!(a, SomeValue::Instance { .. }) || matches!(b, SomeValue::Instance { .. })) {
                                        continue;
                                    }
                                    (format!("'{}' on", c.symbol()), vec![a, b], COMPARE_METHODS)
                                }
                            }
                        }
                        HlOp::CallMethod(name, _) if matches!(&**name, "index" | "remove" | "count") => match ann(self, &op.args[0]) {
                            SomeValue::List { def, .. } => (format!("list.{name}() on"), vec![self.lists.get(def.0).item.clone()], COMPARE_METHODS),
                            _ => continue,
                        },
                        _ => continue,
                    };
                    for v in values {
                        if let Some((cls, m)) = self.compares_special(&v, names, 0) {
                            found.push((op.span, what.clone(), cls, m));
                            break;
                        }
                    }
                }
            }
        }
        // Dict keys are hashed and compared whatever operation put them there.
        for i in 0..self.dicts.len() as u32 {
            if self.dicts.root(i) != i {
                continue;
            }
            let (key, origin) = {
                let d = self.dicts.get(i);
                (d.key.clone(), d.key_origin)
            };
            if let Some((cls, m)) = self.compares_special(&key, HASH_METHODS, 0) {
                found.push((origin, "a dict keyed by".to_string(), cls, m));
            }
        }
        for (span, what, cls, m) in found {
            let d = Diagnostic::error("E0340", format!("{what} instances of '{cls}' would call {cls}.{m}, which the translator does not dispatch"))
                .with_primary(span, format!("CPython calls {m} here; the translation would compare identities"))
                .with_note("special methods other than __init__ and __str__ are not called at run time: write an ordinary method (a.equals(b)) and call it, or compare a key (a.id == b.id)");
            self.error(d);
        }
    }
}

impl Annotator<'_> {
    /// Annotates the user `__str__` methods that exception instances of `class` (or of
    /// a subclass) run, each with `self` of the classes it serves: `str(e)` and the
    /// report of an uncaught exception call them. Not an exception class: nothing.
    pub(crate) fn annotate_exc_str(&mut self, class: ClassDefId, span: Span) -> Result<(), Diagnostic> {
        let base = self.classdef(self.prog.classes.get("BaseException"));
        if !self.is_subclassdef(class, base) {
            return Ok(());
        }
        self.annotate_str_methods(class, span)
    }

    /// What `str(x)`, `print(x)` and `f"{x}"` accept: what `check_printable` does, and
    /// also an instance of an ordinary class (or None) when every class at or below
    /// its class finds a user-defined `__str__`, which is then called, as in CPython.
    /// A class that would use `object.__str__` prints its address in CPython: that
    /// stays `E0319`, naming the class.
    pub(crate) fn check_str_arg(&mut self, s: &SomeValue, span: Span) -> Result<(), Diagnostic> {
        let SomeValue::Instance { class, .. } = s else { return self.check_printable(s, span) };
        let base = self.classdef(self.prog.classes.get("BaseException"));
        if self.is_subclassdef(*class, base) {
            return self.check_printable(s, span);
        }
        let mut stack = vec![*class];
        while let Some(d) = stack.pop() {
            let cls = self.classdefs[d.0 as usize].class;
            let user = match self.prog.heap.class_lookup(cls, "__str__") {
                Some((owner, Value::Obj(f))) => self.prog.heap.class(owner).is_some_and(|k| !k.builtin) && self.prog.heap.function(f).is_some(),
                _ => false,
            };
            if !user {
                let desc = self.describe(s);
                let d_err = Self::no_str_error(&desc, &self.classdefs[d.0 as usize].name.clone(), span);
                if !self.classdefs[d.0 as usize].instantiated {
                    // An abstract base whose subclasses define __str__ (PySOM's
                    // `_Variable`): no value has exactly this class unless it is
                    // instantiated later, which the end of annotation checks.
                    self.str_uninstantiated.push((d, d_err));
                } else {
                    return Err(d_err);
                }
            }
            stack.extend(self.classdefs[d.0 as usize].subdefs.iter().copied());
        }
        self.annotate_str_methods(*class, span)
    }

    fn no_str_error(desc: &str, cname: &str, span: Span) -> Diagnostic {
        Diagnostic::error("E0319", format!("cannot convert {desc} to a string"))
            .with_primary(span, "here")
            .with_note(format!("'{cname}' has no __str__ method: CPython shows its address (`<... {cname} object at 0x...>`), which a translated program cannot reproduce"))
            .with_note("define __str__ in this class or a base class; print and str() accept numbers, strings, None, exceptions, instances whose classes define __str__, and lists, tuples and dicts of the non-instance values")
    }

    /// E0319 for the classes without `__str__` that `str()` skipped because nothing had
    /// instantiated them then, if something did later.
    pub(crate) fn check_str_uninstantiated(&mut self) {
        for (d, e) in std::mem::take(&mut self.str_uninstantiated) {
            if self.classdefs[d.0 as usize].instantiated {
                self.error(e);
            }
        }
    }

    /// Annotates the user `__str__` methods that instances of `class` (or of a
    /// subclass) run, each with `self` of the classes it serves.
    fn annotate_str_methods(&mut self, class: ClassDefId, span: Span) -> Result<(), Diagnostic> {
        for (f, d) in self.method_impls(class, "__str__") {
            let Some(func) = self.prog.heap.function(f) else { continue };
            let qualname = func.qualname.clone();
            let fspan = func.span;
            let Some(g) = self.graph_for(f, crate::annotate::SpecKey::Default, &[]) else { continue };
            // Not a call of this operation: keep the operation's own origins.
            let saved = (self.call_none_origin.take(), self.call_ret_origin.take());
            let r = self.pass_args(g, &[SomeValue::Instance { class: d, can_be_none: false, konst: None }], span);
            (self.call_none_origin, self.call_ret_origin) = saved;
            if !matches!(r, SomeValue::Str { can_be_none: false, .. } | SomeValue::Char { .. } | SomeValue::Impossible | SomeValue::Object) {
                let desc = self.describe(&r);
                return Err(Diagnostic::error("E0319", format!("{qualname}() returns {desc}, but __str__ must return a str"))
                    .with_primary(fspan, "defined here")
                    .with_label(span, "called for this value"));
            }
        }
        Ok(())
    }
}

impl Annotator<'_> {
    /// E0319 where an exception instance would be shown by its `repr()`: CPython shows
    /// `E('x')` (its class and the repr of its arguments), which the translation, which
    /// keeps only the message, cannot rebuild. `top` says whether `s` itself is shown by
    /// repr (`repr(e)`, `%r`, `{e!r}`); items of lists, tuples and dicts always are.
    pub(crate) fn check_exc_repr(&mut self, s: &SomeValue, top: bool, span: Span) -> Result<(), Diagnostic> {
        self.exc_repr_walk(s, top, span, 0)
    }

    fn exc_repr_walk(&mut self, s: &SomeValue, top: bool, span: Span, depth: u32) -> Result<(), Diagnostic> {
        if depth > 8 {
            return Ok(());
        }
        match s {
            SomeValue::Instance { class, .. } if top => {
                let base = self.classdef(self.prog.classes.get("BaseException"));
                if self.is_subclassdef(*class, base) {
                    let name = self.classdefs[class.0 as usize].name.clone();
                    return Err(Diagnostic::error("E0319", format!("the repr() of a '{name}' exception instance is not translated"))
                        .with_primary(span, format!("CPython would show {name}(...) with the repr of its arguments here"))
                        .with_note("the translation keeps an exception's message, not its arguments: show str(e) (print(e), %s, {e}) or build the text yourself"));
                }
                Ok(())
            }
            SomeValue::List { def, .. } => {
                let item = self.list_item(def.0);
                self.exc_repr_walk(&item, true, span, depth + 1)
            }
            SomeValue::Dict { def, .. } => {
                let (k, v) = self.dict_kv(def.0);
                self.exc_repr_walk(&k, true, span, depth + 1)?;
                self.exc_repr_walk(&v, true, span, depth + 1)
            }
            SomeValue::Tuple(items) => {
                for i in items.iter() {
                    self.exc_repr_walk(i, true, span, depth + 1)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}
