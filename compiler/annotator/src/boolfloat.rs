//! Where a float that may be a bool (`SomeValue::Float { boolish: true }`, NaN-boxed at
//! run time) may go. It flows anywhere a float does (variables, attributes, list items,
//! calls), is read as a number by arithmetic and comparisons (True is 1.0, as CPython's
//! `True + 0.5` is 1.5), and shows its own type to `isinstance`, `str`, `repr`, `print`,
//! `%s` and f-strings. Every other operation that would look at one, on its own or
//! inside a container, is E0301 here rather than a silent 1.0.

use kiln_diagnostics::Diagnostic;
use kiln_flowgraph::Operation;
use kiln_flowspace::{Hl, HlOp, Opnd};
use kiln_frontend::ops::{BinOp, CmpOp};
use kiln_frontend::{Builtin, BuiltinType, Object, Value};

use crate::annotate::Annotator;
use crate::model::*;

/// Where a float that may be a bool sits in a value.
#[derive(Clone, Copy, PartialEq)]
enum Held {
    No,
    /// The value itself.
    Own,
    /// An item of a list, tuple or dict (at any depth).
    Inside,
}

impl Annotator<'_> {
    fn held(&mut self, s: &SomeValue, depth: u32) -> Held {
        if depth > 8 {
            return Held::No;
        }
        let inner = |h: Held| if h == Held::No { Held::No } else { Held::Inside };
        match s {
            SomeValue::Float { boolish: true, .. } => Held::Own,
            SomeValue::List { def, .. } => {
                let item = self.list_item(def.0);
                inner(self.held(&item, depth + 1))
            }
            SomeValue::Dict { def, .. } => {
                let (k, v) = self.dict_kv(def.0);
                let k = self.held(&k, depth + 1);
                let v = self.held(&v, depth + 1);
                inner(if k != Held::No { k } else { v })
            }
            SomeValue::Tuple(items) => {
                for i in items.iter() {
                    if self.held(i, depth + 1) != Held::No {
                        return Held::Inside;
                    }
                }
                Held::No
            }
            _ => Held::No,
        }
    }

    /// E0301 when operation `op` would look at a float that may be a bool in a way the
    /// translation does not do (yet); `args` are its operands' annotations.
    pub(crate) fn check_boolish_use(&mut self, op: &Operation<Hl>, args: &[SomeValue]) -> Result<(), Diagnostic> {
        let held: Vec<Held> = args.iter().map(|a| self.held(a, 0)).collect();
        if held.iter().all(|h| *h == Held::No) {
            return Ok(());
        }
        let ok = match &op.op {
            // `fmt % (x, y)`: each item is formatted on its own (checked in `special.rs`).
            HlOp::Bin(BinOp::Mod) if args[0].is_stringlike() => match &args[1] {
                SomeValue::Tuple(items) => items.iter().all(|i| !matches!(i, SomeValue::List { .. } | SomeValue::Dict { .. } | SomeValue::Tuple(_))) || {
                    let items = items.clone();
                    items.iter().all(|i| self.held(i, 0) != Held::Inside)
                },
                _ => held[1] != Held::Inside,
            },
            // CPython words a division by zero by the operands' run-time types
            // (`True / 0` is "division by zero", `1.5 / 0` "float division by zero").
            HlOp::Bin(BinOp::TrueDiv | BinOp::FloorDiv | BinOp::Mod | BinOp::Pow) | HlOp::Inplace(BinOp::TrueDiv | BinOp::FloorDiv | BinOp::Mod | BinOp::Pow)
                if held.contains(&Held::Own) && args.iter().all(|a| a.may_be_int()) =>
            {
                false
            }
            // Read as numbers (arithmetic, `-x`, truth, ordering and equality: True is
            // 1.0), or a list built, repeated or joined.
            HlOp::Bin(_) | HlOp::Inplace(_) | HlOp::Neg | HlOp::Pos | HlOp::Not | HlOp::IsTrue => {
                let joins = matches!(op.op, HlOp::Bin(BinOp::Add | BinOp::Mul) | HlOp::Inplace(BinOp::Add | BinOp::Mul) | HlOp::Not | HlOp::IsTrue);
                held.iter().all(|h| *h != Held::Inside) || (joins && !held.iter().any(|h| *h == Held::Own))
            }
            HlOp::Cmp(CmpOp::Eq | CmpOp::Ne | CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge) => held.iter().all(|h| *h != Held::Inside),
            HlOp::Cmp(CmpOp::Is | CmpOp::IsNot) => held.iter().all(|h| *h != Held::Own),
            HlOp::Cmp(_) => false,
            // Items read, stored and passed on keep their bit pattern; a dict key is
            // hashed and compared by the runtime as a float.
            HlOp::GetItem | HlOp::DelItem | HlOp::SetItem => {
                let key_ok = match args.first() {
                    Some(SomeValue::Dict { def, .. }) => {
                        let (k, _) = self.dict_kv(def.0);
                        self.held(&k, 0) == Held::No
                    }
                    _ => true,
                };
                key_ok && held.get(1).is_none_or(|h| *h == Held::No)
            }
            HlOp::GetSlice | HlOp::SetSlice | HlOp::GetAttr(_) | HlOp::SetAttr(_) | HlOp::NewList | HlOp::NewTuple | HlOp::Iter | HlOp::Next => true,
            HlOp::TypeOf | HlOp::ExcMatch => false,
            // A key, or a tuple key holding one, is hashed by the runtime as a float.
            HlOp::NewDict => {
                let keys: Vec<SomeValue> = args.iter().step_by(2).cloned().collect();
                keys.iter().all(|k| self.held(k, 0) == Held::No)
            }
            // Checked where the type shows (see `special.rs`).
            HlOp::Format { .. } | HlOp::BuildString => true,
            HlOp::PercentMap(_) | HlOp::Invert => false,
            HlOp::CallMethod(name, _) => match args.first() {
                Some(SomeValue::List { .. }) => matches!(&**name, "append" | "pop" | "insert" | "extend" | "reverse" | "copy" | "clear"),
                Some(SomeValue::Dict { .. }) => false,
                Some(SomeValue::Str { .. } | SomeValue::Char { .. }) => false,
                _ => true,
            },
            HlOp::Call(_) => match &op.args[0] {
                Opnd::Const(Value::Obj(o)) => match self.prog.heap.get(*o) {
                    // Shown or type-tested: checked in `special.rs`, lowered by type.
                    Object::Builtin(Builtin::Print | Builtin::Repr | Builtin::Isinstance) => true,
                    Object::Builtin(Builtin::Len | Builtin::Iter | Builtin::Next | Builtin::Enumerate | Builtin::Reversed) => !held.iter().any(|h| *h == Held::Own),
                    Object::Builtin(Builtin::Promote | Builtin::Hint) => true,
                    Object::BuiltinType(BuiltinType::Str | BuiltinType::Float | BuiltinType::Int | BuiltinType::Bool) => !held.iter().any(|h| *h == Held::Inside),
                    Object::BuiltinType(BuiltinType::List) => true,
                    Object::Builtin(_) | Object::BuiltinType(_) => false,
                    // A function, method or class: the value flows into its parameter.
                    _ => true,
                },
                _ => true,
            },
        };
        if ok {
            return Ok(());
        }
        let where_ = if held.iter().any(|h| *h == Held::Own) { "a value that is float in one place and bool in another" } else { "a container holding values that are float in one place and bool in another" };
        let what = match &op.op {
            HlOp::Call(_) => match &op.args[0] {
                Opnd::Const(Value::Obj(o)) => match self.prog.heap.get(*o) {
                    Object::Builtin(b) => format!("{}()", b.name()),
                    Object::BuiltinType(t) => format!("{}()", t.name()),
                    _ => "this call".to_string(),
                },
                _ => "this call".to_string(),
            },
            HlOp::CallMethod(name, _) => format!(".{name}()"),
            HlOp::Cmp(c) => format!("'{}'", c.symbol()),
            HlOp::Bin(b) | HlOp::Inplace(b) => format!("'{}'", b.symbol()),
            HlOp::NewDict => "a dict key".to_string(),
            HlOp::SetItem | HlOp::GetItem | HlOp::DelItem => "a dict key or list index".to_string(),
            other => format!("`{}`", other.name()),
        };
        Err(Diagnostic::error("E0301", format!("{what} on {where_} is not supported"))
            .with_primary(op.span, "CPython would see True/False here for the bools; the translation does not do this operation on them yet")
            .with_note("a float that may be a bool (a list filled with floats in one place and bools in another) keeps its type at run time: it is read as a number by arithmetic and comparisons, and shows its type to isinstance, str, repr, print, %s and f-strings; convert it with float(x) or bool(x) first for anything else"))
    }
}

impl Annotator<'_> {
    /// After the fixpoint: a dict whose keys may be floats that may be bools, however the
    /// key type got there (two dicts met, a literal `{True: 0, 1.5: 1}`), is E0301: the
    /// runtime hashes and compares its keys as floats, where CPython has `True == 1.0`.
    pub fn check_boolish_dict_keys(&mut self) {
        let mut found = Vec::new();
        for i in 0..self.dicts.len() as u32 {
            if self.dicts.root(i) != i {
                continue;
            }
            let (key, origin) = {
                let d = self.dicts.get(i);
                (d.key.clone(), d.key_origin)
            };
            if self.held(&key, 0) != Held::No {
                found.push(origin);
            }
        }
        for span in found {
            self.error(
                Diagnostic::error("E0301", "a dict keyed by values that are float in one place and bool in another is not supported")
                    .with_primary(span, "CPython hashes and compares these keys by number (`True == 1.0`); the translation does not do this yet")
                    .with_note("convert the key with float(x) or bool(x) where it is made"),
            );
        }
    }
}
