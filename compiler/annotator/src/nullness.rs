//! Operations on values that may be None: compiled with a null check that raises what
//! CPython raises, and reported as a warning.
//!
//! An operation that needs a real object (`x.attr`, `x[i]`, `len(x)`, `s + x`, ...) on a
//! value the annotator cannot prove non-None is annotated as if the value were not None,
//! and the site is recorded in [`NullCheck`]s: the RTyper tests the operand first and
//! raises CPython's exception with CPython's message (`AttributeError: 'NoneType' object
//! has no attribute 'left'`). Where the annotator proves the value is not None (after
//! `if x is not None:`, an assignment of a new object, ...) there is no record and no
//! check. A value that is *always* None stays error E0305: the operation can only fail.
//!
//! The warning (W0305) keeps the old analysis visible: it names the operation and where
//! the None came from; `--strict` makes it an error again.

use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::{BlockId, Operation};
use kiln_flowspace::{Hl, HlOp, Opnd};
use kiln_frontend::ops::{BinOp, CmpOp};
use kiln_frontend::Builtin;

use crate::annotate::Annotator;
use crate::model::*;

/// A null check the RTyper inserts before an operation: if operand `arg` is None, raise
/// `exc(message)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NullCheck {
    /// The index of the operand in the operation's arguments.
    pub arg: u32,
    /// The built-in exception class raised: `AttributeError` or `TypeError`.
    pub exc: &'static str,
    /// CPython's message for this operation on None.
    pub message: String,
}

impl<'a> Annotator<'a> {
    /// Called when annotating an operation failed: if it failed because an operand may be
    /// None (and is not always None), records a null check on that operand, reports the
    /// failure as a warning, and annotates the operation again with the operand known to
    /// be non-None. Repeats for each operand that may be None. Any other failure is
    /// returned as is.
    pub(crate) fn retry_with_null_checks(&mut self, g: GraphId, b: BlockId, i: u32, op: &Operation<Hl>, args: &[SomeValue], first: Diagnostic) -> Result<SomeValue, Diagnostic> {
        let mut args = args.to_vec();
        let mut d = first;
        for _ in 0..=op.args.len() {
            let Some(opnd) = self.null_pending.take() else { return Err(d) };
            let positions: Vec<usize> = op.args.iter().enumerate().filter(|(_, a)| **a == opnd).map(|(k, _)| k).collect();
            let Some(&k) = positions.first() else { return Err(d) };
            if matches!(args[k], SomeValue::None_) || !args[k].can_be_none() {
                return Err(d);
            }
            let (exc, message) = self.none_exception(op, k, &args);
            let checks = self.null_checks.entry((g, b, i)).or_default();
            if !checks.iter().any(|c| c.arg == k as u32) {
                checks.push(NullCheck { arg: k as u32, exc, message: message.clone() });
            }
            let mut w = d;
            w.severity = kiln_diagnostics::Severity::Warning;
            w.code = Some("W0305");
            w.notes.clear();
            w.notes.push(format!("if it is None at run time, this raises `{exc}: {message}`, as in CPython"));
            w.notes.push("`if x is not None:` (or `assert x is not None`) narrows the type and removes the check".into());
            self.warn(w);
            for p in positions {
                args[p] = args[p].nonnull();
            }
            match self.consider_op(g, b, i, op, &args) {
                Ok(s) => return Ok(s),
                Err(e) => d = e,
            }
        }
        Err(d)
    }

    /// Records where None first went into list `def` (stored by the op at `origin`).
    pub(crate) fn note_list_none(&mut self, def: u32, origin: Span) {
        let root = self.lists.root(def);
        let known: Vec<u32> = self.list_none_origins.iter().map(|(d, _)| *d).collect();
        if !origin.is_dummy() && !known.into_iter().any(|d| self.lists.root(d) == root) {
            self.list_none_origins.push((def, origin));
        }
    }

    pub(crate) fn list_none_origin(&mut self, def: u32) -> Option<Span> {
        let root = self.lists.root(def);
        let entries = self.list_none_origins.clone();
        entries.into_iter().find(|(d, _)| self.lists.root(*d) == root).map(|(_, s)| s)
    }

    /// Records where None first went into attribute `name` of instances of `c`: the
    /// None origin of the stored value when the store is a `SetAttr`, else `span`.
    pub(crate) fn note_attr_none(&mut self, c: ClassDefId, name: &str, span: Span) {
        let origin = self.store_none_origin.take().unwrap_or(span);
        if !origin.is_dummy() && !self.attr_none_origins.iter().any(|(k, n, _)| *k == c && &**n == name) {
            self.attr_none_origins.push((c, Arc::from(name), origin));
        }
    }

    /// Where None first went into attribute `name` of `home` or one of its subclasses.
    pub(crate) fn attr_none_origin(&self, home: ClassDefId, name: &str) -> Option<Span> {
        self.attr_none_origins.iter().find(|(k, n, _)| &**n == name && self.is_subclassdef(*k, home)).map(|(_, _, s)| *s)
    }

    pub fn warn(&mut self, d: Diagnostic) {
        if !self.warnings.contains(&d) {
            self.warnings.push(d);
        }
    }

    /// The exception class and message CPython raises for `op` when operand `k` is None.
    fn none_exception(&self, op: &Operation<Hl>, k: usize, args: &[SomeValue]) -> (&'static str, String) {
        const ATTR: &str = "AttributeError";
        const TYPE: &str = "TypeError";
        let other = |j: usize| args.get(j).map_or_else(|| "object".to_string(), |a| self.py_type_name(a));
        match &op.op {
            HlOp::GetAttr(name) | HlOp::SetAttr(name) | HlOp::CallMethod(name, _) => (ATTR, format!("'NoneType' object has no attribute '{name}'")),
            HlOp::GetItem | HlOp::GetSlice => (TYPE, "'NoneType' object is not subscriptable".into()),
            HlOp::SetItem | HlOp::SetSlice => (TYPE, "'NoneType' object does not support item assignment".into()),
            HlOp::DelItem => (TYPE, "'NoneType' object does not support item deletion".into()),
            HlOp::Cmp(CmpOp::In | CmpOp::NotIn) => (TYPE, "argument of type 'NoneType' is not iterable".into()),
            HlOp::Cmp(c) => {
                let (a, b) = if k == 0 { ("NoneType".to_string(), other(1)) } else { (other(0), "NoneType".to_string()) };
                (TYPE, format!("'{}' not supported between instances of '{a}' and '{b}'", c.symbol()))
            }
            HlOp::Bin(bop) | HlOp::Inplace(bop) => {
                let inplace = matches!(op.op, HlOp::Inplace(_));
                let sym = format!("{}{}", bop.symbol(), if inplace { "=" } else { "" });
                if k == 1 && *bop == BinOp::Add && matches!(args[0], SomeValue::Str { .. } | SomeValue::Char { .. } | SomeValue::List { .. }) {
                    let t = self.py_type_name(&args[0]);
                    return (TYPE, format!("can only concatenate {t} (not \"NoneType\") to {t}"));
                }
                let (a, b) = if k == 0 { ("NoneType".to_string(), other(1)) } else { (other(0), "NoneType".to_string()) };
                (TYPE, format!("unsupported operand type(s) for {sym}: '{a}' and '{b}'"))
            }
            HlOp::PercentMap(_) => (TYPE, "unsupported operand type(s) for %: 'NoneType' and 'dict'".into()),
            HlOp::Call(_) if k == 0 => (TYPE, "'NoneType' object is not callable".into()),
            HlOp::Call(_) if self.is_builtin_call(op, Builtin::Len) => (TYPE, "object of type 'NoneType' has no len()".into()),
            HlOp::Call(_) if self.is_type_call(op, kiln_frontend::BuiltinType::Int) && op.args.len() == 3 => (TYPE, "int() can't convert non-string with explicit base".into()),
            HlOp::Call(_) if self.is_builtin_call(op, Builtin::OsOpen) || self.is_builtin_call(op, Builtin::OsReadFile) => (TYPE, "open: path should be string, bytes or os.PathLike, not NoneType".into()),
            HlOp::Call(_) if self.is_type_call(op, kiln_frontend::BuiltinType::Int) => (TYPE, "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'".into()),
            HlOp::Call(_) if self.is_type_call(op, kiln_frontend::BuiltinType::Float) => (TYPE, "float() argument must be a string or a real number, not 'NoneType'".into()),
            _ => (TYPE, "'NoneType' object is not iterable".into()),
        }
    }

    fn is_builtin_call(&self, op: &Operation<Hl>, b: Builtin) -> bool {
        matches!(op.args.first(), Some(Opnd::Const(kiln_frontend::Value::Obj(o))) if matches!(self.prog.heap.get(*o), kiln_frontend::Object::Builtin(x) if *x == b))
    }

    fn is_type_call(&self, op: &Operation<Hl>, t: kiln_frontend::BuiltinType) -> bool {
        matches!(op.args.first(), Some(Opnd::Const(kiln_frontend::Value::Obj(o))) if matches!(self.prog.heap.get(*o), kiln_frontend::Object::BuiltinType(x) if *x == t))
    }

    /// The name CPython gives the type of a value of this annotation.
    fn py_type_name(&self, s: &SomeValue) -> String {
        match s {
            SomeValue::None_ => "NoneType".into(),
            SomeValue::Bool { .. } => "bool".into(),
            SomeValue::Int { .. } => "int".into(),
            SomeValue::Float { .. } => "float".into(),
            SomeValue::Char { .. } | SomeValue::Str { .. } => "str".into(),
            SomeValue::List { .. } => "list".into(),
            SomeValue::Dict { .. } => "dict".into(),
            SomeValue::Tuple(_) => "tuple".into(),
            SomeValue::Instance { class, .. } => self.classdefs[class.0 as usize].name.to_string(),
            SomeValue::Pbc { .. } => "function".into(),
            _ => "object".into(),
        }
    }
}
