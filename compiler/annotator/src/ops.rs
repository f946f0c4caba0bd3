//! Annotation rules for each high-level operation: given the annotations of the
//! arguments, the annotation of the result, or a diagnostic saying what went wrong where.

use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::{BlockId, Operation};
use kiln_flowspace::{Hl, HlOp, Opnd};
use kiln_frontend::ops::{BinOp, CmpOp};
use kiln_frontend::{ObjId, Object, Value};

use crate::annotate::{Annotator, CallTarget, OpLoc, SpecKey};
use crate::model::*;

/// How a callee's parameters are filled from a call operation's arguments.
#[derive(Clone, Debug, PartialEq)]
pub enum ArgSource {
    /// The call operation's argument at this index (after the callee or receiver).
    Arg(usize),
    /// A default value.
    Const(Value),
}

impl<'a> Annotator<'a> {
    fn err(&self, code: &'static str, msg: impl Into<String>, span: Span, label: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, msg).with_primary(span, label)
    }

    /// A diagnostic for using a possibly-None value, pointing where None came from.
    pub(crate) fn none_error(&mut self, g: GraphId, what: &str, operand: &Opnd, span: Span) -> Diagnostic {
        self.null_pending = Some(operand.clone());
        let always = match operand {
            Opnd::Var(v) => matches!(self.binding(g, *v), SomeValue::None_),
            Opnd::Const(c) => matches!(c, Value::None),
        };
        if always {
            self.always_none = true;
            return Diagnostic::error("E0305", format!("{what} on a value that is always None")).with_primary(span, "this value is None on every path").with_note("this operation can only raise; check the logic that gives it None");
        }
        let mut d = Diagnostic::error("E0305", format!("{what} on a value that may be None")).with_primary(span, "this value may be None");
        if let Opnd::Var(v) = operand {
            let origin = self.graphs[g.0 as usize].none_origins[v.0 as usize];
            if !origin.is_dummy() && origin != span {
                d = d.with_label(origin, "it can be None because of this");
            }
        }
        d.with_note("check it first: `if x is not None:` narrows the type inside the branch")
    }

    pub(crate) fn consider_op(&mut self, g: GraphId, b: BlockId, i: u32, op: &Operation<Hl>, args: &[SomeValue]) -> Result<SomeValue, Diagnostic> {
        let span = op.span;
        let site: OpLoc = (g, b, i);
        self.check_boolish_use(op, args)?;
        match &op.op {
            HlOp::Bin(bop) => self.binop(g, *bop, op, args, false),
            HlOp::Inplace(bop) => self.binop(g, *bop, op, args, true),
            HlOp::Neg | HlOp::Pos => match &args[0] {
                SomeValue::Int { unsigned, konst, .. } => Ok(SomeValue::Int {
                    nonneg: matches!(op.op, HlOp::Pos) && args[0].is_nonneg(),
                    unsigned: *unsigned,
                    konst: konst.and_then(|k| if matches!(op.op, HlOp::Neg) { k.checked_neg() } else { Some(k) }),
                    boolish: false,
                }),
                SomeValue::Bool { .. } => Ok(SomeValue::int()),
                SomeValue::Float { intish, boolish, .. } => Ok(SomeValue::Float { konst: None, intish: *intish || *boolish, boolish: false }),
                other => {
                    let d = self.describe(other);
                    Err(self.err("E0306", format!("bad operand type for unary {}: {d}", if matches!(op.op, HlOp::Neg) { "-" } else { "+" }), span, "here"))
                }
            },
            HlOp::Invert => match &args[0] {
                SomeValue::Int { unsigned, .. } => Ok(SomeValue::Int { nonneg: false, unsigned: *unsigned, konst: None, boolish: false }),
                SomeValue::Bool { .. } => Ok(SomeValue::int()),
                other => {
                    let d = self.describe(other);
                    Err(self.err("E0306", format!("bad operand type for unary ~: {d}"), span, "here"))
                }
            },
            HlOp::Not | HlOp::IsTrue => {
                let negate = matches!(op.op, HlOp::Not);
                let a = &args[0];
                if let SomeValue::Bool { konst: Some(k) } = a {
                    return Ok(SomeValue::Bool { konst: Some(k ^ negate) });
                }
                if matches!(a, SomeValue::None_) {
                    return Ok(SomeValue::Bool { konst: Some(negate) });
                }
                if let Opnd::Var(v) = &op.args[0] {
                    // `bool(isinstance(x, C))`, `not (x is None)`: the narrowing of the
                    // tested bool carries over (swapped by `not`).
                    if matches!(a, SomeValue::Bool { .. }) {
                        if let Some(kt) = self.knowntypes.get(&(g, *v)).cloned() {
                            let kt = if negate { KnownTypes { on_true: kt.on_false, on_false: kt.on_true } } else { kt };
                            self.knowntypes.insert((g, op.result), kt);
                        }
                        return Ok(SomeValue::bool());
                    }
                    if a.can_be_none() {
                        let kt = KnownTypes { on_true: vec![(*v, a.nonnull())], on_false: Vec::new() };
                        let kt = if negate { KnownTypes { on_true: kt.on_false, on_false: kt.on_true } } else { kt };
                        self.knowntypes.insert((g, op.result), kt);
                    }
                }
                Ok(SomeValue::bool())
            }
            HlOp::Cmp(c) => self.compare(g, *c, op, args),
            HlOp::GetItem => self.getitem(g, op, args),
            HlOp::SetItem => self.setitem(g, op, args),
            HlOp::DelItem => match (&args[0], &args[1]) {
                (SomeValue::List { def, can_be_none: false }, idx) if idx.is_intlike() => {
                    self.lists.get_mut(def.0).resized = true;
                    Ok(SomeValue::None_)
                }
                (SomeValue::Dict { def, can_be_none: false }, k) => {
                    self.dict_key_check(def.0, k, span)?;
                    Ok(SomeValue::None_)
                }
                (c, _) if c.can_be_none() => Err(self.none_error(g, "del x[i]", &op.args[0], span)),
                (c, _) => {
                    let d = self.describe(c);
                    Err(self.err("E0307", format!("{d} does not support item deletion"), span, "here"))
                }
            },
            HlOp::GetSlice => {
                for a in &args[1..3] {
                    if !a.is_intlike() && !matches!(a, SomeValue::None_) {
                        return Err(self.err("E0307", "slice indices must be ints or None", span, "here"));
                    }
                }
                if !matches!(args[3], SomeValue::None_) && !args[3].is_intlike() {
                    return Err(self.err("E0307", "a slice step must be an int", span, "here"));
                }
                match &args[0] {
                    s if s.is_stringlike() && !s.can_be_none() => Ok(SomeValue::str()),
                    SomeValue::Bytes { ascii, .. } => Ok(SomeValue::Bytes { konst: None, ascii: *ascii }),
                    SomeValue::List { def, can_be_none: false } => Ok(SomeValue::List { def: *def, can_be_none: false }),
                    c if c.can_be_none() => Err(self.none_error(g, "slicing", &op.args[0], span)),
                    c => {
                        let d = self.describe(c);
                        Err(self.err("E0307", format!("{d} cannot be sliced"), span, "here"))
                    }
                }
            }
            HlOp::SetSlice => match (&args[0], &args[3]) {
                (SomeValue::List { def, can_be_none: false }, SomeValue::List { def: d2, .. }) => {
                    let (d1, d2) = (*def, *d2);
                    self.union(&SomeValue::List { def: d1, can_be_none: false }, &SomeValue::List { def: d2, can_be_none: false }).map_err(|m| self.err("E0302", format!("slice assignment mixes list[{}] items into list[{}]", m.b, m.a), span, "here"))?;
                    let ld = self.lists.get_mut(d1.0);
                    ld.resized = true;
                    ld.mutated = true;
                    Ok(SomeValue::None_)
                }
                (c, _) => {
                    let d = self.describe(c);
                    Err(self.err("E0307", format!("slice assignment needs a list on both sides, not {d}"), span, "here"))
                }
            },
            HlOp::GetAttr(name) => self.getattr(g, op, &args[0], name),
            HlOp::SetAttr(name) => match &args[0] {
                SomeValue::Instance { class, can_be_none: false, .. } => {
                    let c = *class;
                    if self.is_builtin_exception(c) {
                        let cname = self.classdefs[c.0 as usize].name.clone();
                        return Err(self.err("E0308", format!("cannot set attribute '{name}' on built-in exception '{cname}'"), span, "here").with_note("define a subclass to add attributes"));
                    }
                    self.store_none_origin = match &op.args[1] {
                        Opnd::Var(v) => Some(self.graphs[g.0 as usize].none_origins[v.0 as usize]).filter(|s| !s.is_dummy()),
                        Opnd::Const(_) => None,
                    };
                    self.write_attr(c, name, args[1].clone(), span)?;
                    self.store_none_origin = None;
                    Ok(SomeValue::None_)
                }
                c if c.can_be_none() => Err(self.none_error(g, &format!("setting attribute '{name}'"), &op.args[0], span)),
                c => {
                    let d = self.describe(c);
                    Err(self.err("E0308", format!("cannot set attribute '{name}' on {d}"), span, "here").with_note("only instances of classes have settable attributes at run time"))
                }
            },
            HlOp::Call(shape) => self.call(g, site, op, &args[0], &args[1..], &shape.kwnames),
            HlOp::CallMethod(name, shape) => self.call_method(g, site, op, name, &args[0], &args[1..], &shape.kwnames),
            HlOp::NewList => {
                let def = self.new_list_at(site);
                for (k, a) in args.iter().enumerate() {
                    let origin = self.operand_span(g, &op.args[k], span);
                    let a = a.without_const_keep_pbc();
                    if let Err(m) = self.list_generalize(def, a, origin) {
                        return Err(self.list_mix_error(def, &m, origin));
                    }
                }
                Ok(SomeValue::List { def: ListDefId(def), can_be_none: false })
            }
            HlOp::NewTuple => Ok(SomeValue::Tuple(args.iter().map(|a| a.without_const_keep_pbc()).collect())),
            HlOp::NewDict => {
                let def = self.new_dict_at(site);
                for pair in args.chunks(2) {
                    self.dict_generalize(def, Some(pair[0].without_const_keep_pbc()), Some(pair[1].without_const_keep_pbc()), span)
                        .map_err(|m| self.err("E0303", format!("a dict mixes {} and {}", m.a, m.b), span, "in this dict"))?;
                }
                Ok(SomeValue::Dict { def: DictDefId(def), can_be_none: false })
            }
            HlOp::Iter => self.iter_of(g, &op.args[0], &args[0], span),
            HlOp::Next => match &args[0] {
                SomeValue::Iterator { kind, source } => Ok(self.iter_item(*kind, source)),
                other => {
                    let d = self.describe(other);
                    Err(self.err("E0309", format!("next() on {d}, which is not an iterator"), span, "here"))
                }
            },
            HlOp::TypeOf => match &args[0] {
                SomeValue::Instance { class, .. } if {
                    let base = self.classdef(self.prog.classes.get("BaseException"));
                    self.is_subclassdef(*class, base)
                } =>
                {
                    Ok(SomeValue::ClassOf { class: *class })
                }
                SomeValue::Instance { class, .. } => {
                    let cname = self.classdefs[class.0 as usize].name.clone();
                    Err(self.err("E0311", format!("only exception instances can be raised, not '{cname}' instances"), span, "raised here").with_note(format!("derive '{cname}' from Exception (or another built-in exception class)")))
                }
                other => {
                    let d = self.describe(other);
                    Err(self.err("E0311", format!("only exception instances can be raised, not {d}"), span, "raised here"))
                }
            },
            HlOp::ExcMatch => {
                let Opnd::Const(Value::Obj(cls)) = &op.args[1] else { return Err(Diagnostic::internal("exc_match needs a class constant")) };
                self.isinstance_result(g, &op.args[0], &args[0], &[*cls], op.result)
            }
            HlOp::Format { conversion, spec } => {
                // `{x}` and `{x!s}` are str(x); a spec or `!r` are not.
                if matches!(conversion, None | Some('s')) && spec.is_empty() {
                    self.check_str_arg(&args[0], span)?;
                } else {
                    self.check_printable(&args[0], span)?;
                }
                self.check_exc_repr(&args[0], matches!(conversion, Some('r' | 'a')), span)?;
                // `{flag}`, `{flag!s}`, `{flag!r}` show True; a spec (`{flag:d}`) shows 1.
                self.check_format_shown(g, &op.args[0], &args[0], span, conversion.is_some(), spec)?;
                Ok(SomeValue::str())
            }
            HlOp::PercentMap(_) => self.percent_mapping(g, op, args, span),
            HlOp::BuildString => {
                for (k, a) in args.iter().enumerate() {
                    if !a.is_stringlike() || a.can_be_none() {
                        let d = self.describe(a);
                        let s = self.operand_span(g, &op.args[k], span);
                        return Err(self.err("E0306", format!("f-string part is {d}"), s, "here"));
                    }
                }
                Ok(SomeValue::str())
            }
        }
    }

    /// The span where an operand's value came from, or `fallback`.
    pub(crate) fn operand_span(&self, g: GraphId, o: &Opnd, fallback: Span) -> Span {
        match o {
            Opnd::Var(v) => {
                let ag = &self.graphs[g.0 as usize];
                // A parameter's value comes from the call that first passed it.
                if ag.graph.params().contains(v) && !ag.origins[v.0 as usize].is_dummy() {
                    return ag.origins[v.0 as usize];
                }
                let s = ag.graph.var(*v).span;
                if s.is_dummy() {
                    let o = self.graphs[g.0 as usize].origins[v.0 as usize];
                    if o.is_dummy() {
                        fallback
                    } else {
                        o
                    }
                } else {
                    s
                }
            }
            Opnd::Const(_) => fallback,
        }
    }

    pub(crate) fn list_mix_error(&mut self, def: u32, m: &crate::annotate::Mismatch, origin: Span) -> Diagnostic {
        let first = self.lists.get(def).item_origin;
        let mut d = Diagnostic::error("E0302", format!("a list holds {} and {}", m.a, m.b)).with_primary(origin, format!("{} added here", m.b));
        if !first.is_dummy() {
            d = d.with_label(first, format!("{} added here", m.a));
        }
        d.with_note("RPy lists are homogeneous: every item has one type")
    }

    fn binop(&mut self, g: GraphId, op: BinOp, o: &Operation<Hl>, args: &[SomeValue], inplace: bool) -> Result<SomeValue, Diagnostic> {
        let (a, b) = (&args[0], &args[1]);
        let span = o.span;
        use SomeValue as S;
        if matches!(a, S::Bytes { .. }) || matches!(b, S::Bytes { .. }) {
            return self.bytes_binop(op, a, b, span, inplace);
        }
        if a.is_numeric() && b.is_numeric() {
            let float = matches!(a, S::Float { .. }) || matches!(b, S::Float { .. });
            if float {
                return match op {
                    BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::TrueDiv | BinOp::FloorDiv | BinOp::Mod | BinOp::Pow => {
                        if a.is_unsigned() || b.is_unsigned() {
                            return Err(self.err("E0306", "cannot mix r_uint and float", span, "here"));
                        }
                        // Two values that may both be ints under CPython give an int there
                        // (except `/`): the result may be an int too.
                        let intish = op != BinOp::TrueDiv && a.may_be_int() && b.may_be_int();
                        Ok(S::Float { konst: None, intish, boolish: false })
                    }
                    _ => Err(self.err("E0306", format!("unsupported operand types for {}: float", op.symbol()), span, "here")),
                };
            }
            let unsigned = a.is_unsigned() || b.is_unsigned();
            if matches!((a, b), (S::Bool { .. }, S::Bool { .. })) && matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor) {
                return Ok(S::bool());
            }
            if op == BinOp::TrueDiv {
                return Ok(S::float());
            }
            let (an, bn) = (a.is_nonneg(), b.is_nonneg());
            let nonneg = match op {
                BinOp::Add | BinOp::Mul | BinOp::FloorDiv => an && bn,
                BinOp::Mod => bn,
                BinOp::BitAnd => an || bn,
                BinOp::BitOr | BinOp::BitXor => an && bn,
                BinOp::RShift => an,
                BinOp::Pow => an,
                _ => false,
            };
            if op == BinOp::Pow {
                if let Some(k) = b.const_int() {
                    if k < 0 {
                        return Err(self.err("E0306", "an int raised to a negative power is a float in Python; RPy's int ** needs a non-negative exponent", span, "negative exponent").with_note("write float(x) ** n for a float result"));
                    }
                }
            }
            return Ok(S::Int { nonneg: nonneg || unsigned, unsigned, konst: None, boolish: false });
        }
        match (op, a, b) {
            (BinOp::Add, x, y) if x.is_stringlike() && y.is_stringlike() => {
                if x.can_be_none() {
                    return Err(self.none_error(g, "string concatenation", &o.args[0], span));
                }
                if y.can_be_none() {
                    return Err(self.none_error(g, "string concatenation", &o.args[1], span));
                }
                Ok(S::str())
            }
            (BinOp::Mul, x, n) | (BinOp::Mul, n, x) if x.is_stringlike() && n.is_intlike() => {
                // `s * n` on a str that may be None: checked like concatenation.
                let k = if a.is_stringlike() { 0 } else { 1 };
                if x.can_be_none() {
                    return Err(self.none_error(g, "string repetition", &o.args[k], span));
                }
                Ok(S::str())
            }
            (BinOp::Mod, x, rhs) if x.is_stringlike() => {
                if x.can_be_none() {
                    return Err(self.none_error(g, "string formatting", &o.args[0], span));
                }
                if let S::Dict { def, can_be_none } = rhs {
                    return self.percent_dict(g, o, x, def.0, *can_be_none, span);
                }
                // A format built at run time, or a constant one the inline code would not
                // format as CPython: the run-time formatting.
                let items: Vec<SomeValue> = match rhs {
                    S::Tuple(items) => items.iter().cloned().collect(),
                    other => vec![other.clone()],
                };
                if !matches!(x, S::Str { konst: Some(f), .. } if crate::percent::percent_inline(f, &items)) {
                    self.percent_runtime_values(g, o, rhs, span)?;
                }
                // `%r` shows an exception by its repr; `%s` of a container too.
                let has_r = match x {
                    S::Str { konst: Some(f), .. } => crate::special::percent_has_repr(f),
                    _ => true,
                };
                match rhs {
                    S::Tuple(items) => {
                        for it in items.iter() {
                            self.check_exc_repr(it, has_r, span)?;
                        }
                    }
                    other => self.check_exc_repr(other, has_r, span)?,
                }
                // `%s`/`%r` show a bool as True; `%d` shows 1 either way.
                let shows = match x {
                    S::Str { konst: Some(f), .. } => crate::special::percent_shows_type(f),
                    _ => true,
                };
                if shows {
                    // A tuple's items are shown one by one (a float that may be a bool
                    // is shown by its type on its own, not inside a container).
                    match rhs {
                        S::Tuple(items) => {
                            for it in items.iter() {
                                self.check_bool_shown(g, &o.args[1], it, span, "'%' formatting shows")?;
                            }
                        }
                        _ => self.check_bool_shown(g, &o.args[1], rhs, span, "'%' formatting shows")?,
                    }
                }
                // `%s` of an ordinary instance calls its __str__ (annotated here); `%r`
                // would call __repr__, which is not supported.
                let items: Vec<SomeValue> = match rhs {
                    S::Tuple(items) => items.iter().cloned().collect(),
                    other => vec![other.clone()],
                };
                let base = self.classdef(self.prog.classes.get("BaseException"));
                let has_repr = match x {
                    S::Str { konst: Some(f), .. } => f.contains("%r") || f.contains("%a"),
                    _ => true,
                };
                for item in &items {
                    if let S::Instance { class, .. } = item {
                        if !self.is_subclassdef(*class, base) {
                            if has_repr {
                                let d = self.describe(item);
                                return Err(self.err("E0319", format!("cannot convert {d} to a string with '%' formatting"), span, "here").with_note("`%s` of an instance calls its __str__; `%r` (its __repr__) is not supported"));
                            }
                            self.check_str_arg(item, span)?;
                        }
                    }
                }
                Ok(S::str())
            }
            (BinOp::Add, S::List { def: d1, can_be_none: false }, S::List { def: d2, can_be_none: false }) => {
                let (d1, d2) = (*d1, *d2);
                self.union(&S::List { def: d1, can_be_none: false }, &S::List { def: d2, can_be_none: false }).map_err(|m| {
                    let origin = self.operand_span(g, &o.args[1], span);
                    self.list_mix_error(d1.0, &m, origin)
                })?;
                if inplace {
                    self.lists.get_mut(d1.0).resized = true;
                }
                Ok(S::List { def: d1, can_be_none: false })
            }
            (BinOp::Mul, S::List { def, can_be_none: false }, n) | (BinOp::Mul, n, S::List { def, can_be_none: false }) if n.is_intlike() => Ok(S::List { def: *def, can_be_none: false }),
            (BinOp::Add, S::Tuple(x), S::Tuple(y)) => Ok(S::Tuple(x.iter().chain(y.iter()).cloned().collect())),
            (BinOp::Mul, S::Tuple(x), n) if n.const_int().is_some() => {
                let k = n.const_int().unwrap_or(0).max(0) as usize;
                Ok(S::Tuple(x.iter().cloned().cycle().take(x.len() * k).collect()))
            }
            _ => {
                for (k, v) in [(0, a), (1, b)] {
                    if v.can_be_none() && !matches!(v, S::None_) {
                        return Err(self.none_error(g, &format!("'{}'", op.symbol()), &o.args[k], span));
                    }
                }
                let (da, db) = (self.describe(a), self.describe(b));
                let mut d = Diagnostic::error("E0306", format!("unsupported operand types for {}: {da} and {db}", op.symbol())).with_primary(span, "in this operation");
                for (k, desc) in [(0, &da), (1, &db)] {
                    let s = self.operand_span(g, &o.args[k], span);
                    if s != span {
                        d = d.with_label(s, format!("{desc} from here"));
                    }
                }
                Err(d)
            }
        }
    }

    fn compare(&mut self, g: GraphId, c: CmpOp, op: &Operation<Hl>, args: &[SomeValue]) -> Result<SomeValue, Diagnostic> {
        let (a, b) = (&args[0], &args[1]);
        let span = op.span;
        use SomeValue as S;
        match c {
            CmpOp::Is | CmpOp::IsNot => {
                let positive = c == CmpOp::Is;
                // `x is None` narrows x on both sides.
                for (k, other) in [(0usize, b), (1usize, a)] {
                    let this = &args[k];
                    if matches!(other, S::None_) {
                        if matches!(this, S::None_) {
                            return Ok(S::Bool { konst: Some(positive) });
                        }
                        if !this.can_be_none() {
                            return Ok(S::Bool { konst: Some(!positive) });
                        }
                        if let Opnd::Var(v) = &op.args[k] {
                            let (t, f) = (vec![(*v, S::None_)], vec![(*v, this.nonnull())]);
                            let kt = if positive { KnownTypes { on_true: t, on_false: f } } else { KnownTypes { on_true: f, on_false: t } };
                            self.knowntypes.insert((g, op.result), kt);
                        }
                        return Ok(S::bool());
                    }
                }
                Ok(S::bool())
            }
            CmpOp::Eq | CmpOp::Ne | CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge | CmpOp::In | CmpOp::NotIn if matches!(a, S::Bytes { .. }) || matches!(b, S::Bytes { .. }) => {
                if let Some(r) = self.bytes_compare(c, a, b, span)? {
                    return Ok(r);
                }
                // A bytes in a list, tuple or dict: the container's rules below.
                self.compare_containers(g, c, op, args)
            }
            CmpOp::Eq | CmpOp::Ne => {
                for s in [a, b] {
                    self.note_dicts_compared(s, span, 0);
                }
                self.check_container_bytes_str(a, b, span)?;
                if (a.is_numeric() && b.is_numeric()) || (a.is_stringlike() && b.is_stringlike()) {
                    return Ok(S::bool());
                }
                match (a, b) {
                    (S::Tuple(x), S::Tuple(y)) if x.len() == y.len() => Ok(S::bool()),
                    (S::List { .. }, S::List { .. }) | (S::Dict { .. }, S::Dict { .. }) => Ok(S::bool()),
                    (S::Instance { .. }, S::Instance { .. }) | (S::ClassOf { .. }, S::ClassOf { .. }) | (S::Pbc { .. }, S::Pbc { .. }) => Ok(S::bool()),
                    (S::None_, _) | (_, S::None_) => Ok(S::bool()),
                    // Values of unrelated kinds are never equal, as in Python.
                    _ => Ok(S::Bool { konst: Some(c == CmpOp::Ne) }),
                }
            }
            CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
                self.check_container_bytes_str(a, b, span)?;
                // A str or list that may be None: CPython raises TypeError when it is, so
                // the operation gets a null check (see nullness.rs).
                let orderable = (a.is_stringlike() && b.is_stringlike()) || (matches!(a, S::List { .. }) && matches!(b, S::List { .. }));
                if orderable {
                    if let Some(k) = [a, b].iter().position(|x| x.can_be_none()) {
                        return Err(self.none_error(g, &format!("'{}'", c.symbol()), &op.args[k], span));
                    }
                }
                if (a.is_numeric() && b.is_numeric()) || (a.is_stringlike() && b.is_stringlike() && !a.can_be_none() && !b.can_be_none()) {
                    if a.is_unsigned() != b.is_unsigned() && a.is_intlike() && b.is_intlike() && !(a.const_int().is_some_and(|k| k >= 0) || b.const_int().is_some_and(|k| k >= 0)) {
                        return Err(self.err("E0306", "comparing an r_uint with a signed int", span, "here").with_note("convert one side explicitly with r_uint() or intmask()"));
                    }
                    return Ok(S::bool());
                }
                match (a, b) {
                    (S::Tuple(x), S::Tuple(y)) if x.len() == y.len() => Ok(S::bool()),
                    (S::List { .. }, S::List { .. }) => Ok(S::bool()),
                    _ => {
                        let (da, db) = (self.describe(a), self.describe(b));
                        Err(self.err("E0306", format!("'{}' is not supported between {da} and {db}", c.symbol()), span, "here"))
                    }
                }
            }
            CmpOp::In | CmpOp::NotIn => self.compare_containers(g, c, op, args),
        }
    }

    /// `a in b` where `b` is a str, list, dict or tuple.
    fn compare_containers(&mut self, g: GraphId, _c: CmpOp, op: &Operation<Hl>, args: &[SomeValue]) -> Result<SomeValue, Diagnostic> {
        let (a, b) = (&args[0], &args[1]);
        let span = op.span;
        use SomeValue as S;
        match b {
            x if x.is_stringlike() && !x.can_be_none() => {
                if !a.is_stringlike() || a.can_be_none() {
                    let d = self.describe(a);
                    return Err(self.err("E0306", format!("'in <str>' needs a str on the left, not {d}"), span, "here"));
                }
            }
            S::List { def, can_be_none: false } => {
                // As RPython: the needle generalises the item type (a list of
                // chars searched for a str becomes a list of str).
                let item = self.list_item(def.0);
                if !item.is_impossible() && self.union(&item, &a.without_const_keep_pbc()).is_err() {
                    let (da, di) = (self.describe(a), self.describe(&item));
                    return Err(self.err("E0306", format!("looking for {da} in a list of {di}"), span, "here"));
                }
                if !item.is_impossible() {
                    let _ = self.list_generalize(def.0, a.without_const_keep_pbc(), span);
                }
            }
            S::Dict { def, can_be_none: false } => self.dict_key_check(def.0, a, span)?,
            S::Tuple(items) => {
                // Each item is compared with `==`: bytes against a str would compare
                // their text, where CPython finds them different.
                let items = items.clone();
                if items.iter().any(|i| self.mixes_bytes_and_str(a, i, 0)) {
                    return Err(crate::bytes::unsupported("looking for bytes in a tuple holding a str (or a str in one holding bytes)", span));
                }
            }
            x if x.can_be_none() => return Err(self.none_error(g, "'in'", &op.args[1], span)),
            x => {
                let d = self.describe(x);
                return Err(self.err("E0306", format!("'in' is not supported on {d}"), span, "here"));
            }
        }
        Ok(S::bool())
    }

    /// A dict lookup key must fit the dict's key type; the key type is generalised.
    fn dict_key_check(&mut self, def: u32, key: &SomeValue, span: Span) -> Result<(), Diagnostic> {
        self.dict_generalize(def, Some(key.without_const_keep_pbc()), None, span).map_err(|m| self.err("E0303", format!("a dict keyed by {} is used with a {} key", m.a, m.b), span, "here").with_note("RPy dicts have one key type"))?;
        let reader = self.cur;
        self.dicts.get_mut(def).readers.insert(reader);
        Ok(())
    }

    fn getitem(&mut self, g: GraphId, op: &Operation<Hl>, args: &[SomeValue]) -> Result<SomeValue, Diagnostic> {
        let span = op.span;
        let (c, idx) = (&args[0], &args[1]);
        use SomeValue as S;
        match c {
            S::List { def, can_be_none: false } if idx.is_intlike() => Ok(self.list_item(def.0)),
            x if x.is_stringlike() && !x.can_be_none() && idx.is_intlike() => Ok(S::char()),
            // A byte is an int in 0..=255 (its code point in the str that holds it).
            S::Bytes { .. } if idx.is_intlike() => Ok(S::nonneg_int()),
            S::Bytes { .. } => {
                let d = self.describe(idx);
                Err(self.err("E0307", format!("byte indices must be ints, not {d}"), span, "here"))
            }
            S::Tuple(items) => match idx.const_int() {
                Some(k) => {
                    let n = items.len() as i64;
                    let j = if k < 0 { k + n } else { k };
                    if (0..n).contains(&j) {
                        Ok(items[j as usize].clone())
                    } else {
                        Err(self.err("E0307", format!("tuple index {k} out of range for a tuple of {n} items"), span, "here"))
                    }
                }
                None if idx.is_intlike() && matches!(op.args[0], Opnd::Const(_)) && !items.is_empty() => {
                    // A constant tuple indexed at run time: a table of one item type.
                    let mut acc = S::Impossible;
                    for it in items.iter() {
                        acc = self.union(&acc, &it.without_const_keep_pbc()).map_err(|m| {
                            self.err("E0307", format!("a constant tuple indexed by a variable must hold one type, but it holds {} and {}", m.a, m.b), span, "indexed here")
                        })?;
                    }
                    Ok(acc)
                }
                None => Err(self.err("E0307", "a tuple can only be indexed by a constant", span, "this index is not known at translation time").with_note("tuples are heterogeneous records in RPy; use a list (or a constant tuple of one item type) to index by a variable")),
            },
            S::Dict { def, can_be_none: false } => {
                self.dict_key_check(def.0, idx, span)?;
                Ok(self.dict_kv(def.0).1)
            }
            x if x.can_be_none() => Err(self.none_error(g, "indexing", &op.args[0], span)),
            S::List { .. } | S::Str { .. } | S::Char { .. } => {
                let d = self.describe(idx);
                Err(self.err("E0307", format!("indices must be ints, not {d}"), span, "here"))
            }
            other => {
                let d = self.describe(other);
                let s = self.operand_span(g, &op.args[0], span);
                let mut dg = Diagnostic::error("E0307", format!("{d} is not subscriptable")).with_primary(span, "indexed here");
                if s != span {
                    dg = dg.with_label(s, format!("{d} from here"));
                }
                Err(dg)
            }
        }
    }

    fn setitem(&mut self, g: GraphId, op: &Operation<Hl>, args: &[SomeValue]) -> Result<SomeValue, Diagnostic> {
        let span = op.span;
        use SomeValue as S;
        match (&args[0], &args[1]) {
            (S::List { def, can_be_none: false }, idx) if idx.is_intlike() => {
                let def = def.0;
                let origin = self.operand_span(g, &op.args[2], span);
                self.list_generalize(def, args[2].without_const_keep_pbc(), origin).map_err(|m| self.list_mix_error(def, &m, origin))?;
                self.lists.get_mut(def).mutated = true;
                Ok(S::None_)
            }
            (S::Dict { def, can_be_none: false }, _) => {
                let def = def.0;
                self.dict_generalize(def, Some(args[1].without_const_keep_pbc()), Some(args[2].without_const_keep_pbc()), span).map_err(|m| {
                    let d = self.dicts.get(def).clone();
                    let mut dg = Diagnostic::error("E0303", format!("a dict mixes {} and {}", m.a, m.b)).with_primary(span, format!("{} stored here", m.b));
                    let first = if m.a == "nothing" { Span::DUMMY } else if !d.value_origin.is_dummy() { d.value_origin } else { d.key_origin };
                    if !first.is_dummy() {
                        dg = dg.with_label(first, format!("{} stored here", m.a));
                    }
                    dg.with_note("RPy dicts have one key type and one value type")
                })?;
                Ok(S::None_)
            }
            (c, _) if c.can_be_none() => Err(self.none_error(g, "item assignment", &op.args[0], span)),
            (c, _) => {
                let d = self.describe(c);
                Err(self.err("E0307", format!("{d} does not support item assignment"), span, "here"))
            }
        }
    }

    fn getattr(&mut self, g: GraphId, op: &Operation<Hl>, obj: &SomeValue, name: &Arc<str>) -> Result<SomeValue, Diagnostic> {
        let span = op.span;
        match obj {
            SomeValue::Instance { class, can_be_none: false, .. } if &**name == "__class__" && !self.is_builtin_exception(*class) => Ok(self.classes_at_or_below(*class)),
            SomeValue::Instance { class, can_be_none: false, .. } => {
                let c = *class;
                if self.is_builtin_exception(c) {
                    let os = self.classdef(self.prog.classes.get("OSError"));
                    if &**name == "errno" && self.is_subclassdef(c, os) {
                        return Ok(SomeValue::int());
                    }
                    let cname = self.classdefs[c.0 as usize].name.clone();
                    return Err(self.err("E0308", format!("'{cname}' instances have no attribute '{name}'"), span, "here").with_note("use str(e) for an exception's message; OSError also has errno"));
                }
                let cls = self.classdefs[c.0 as usize].class;
                if let Some((_, v)) = self.prog.heap.class_lookup(cls, name) {
                    if let Value::Obj(f) = &v {
                        if matches!(self.prog.heap.get(*f), Object::Function(_)) {
                            // A bound method: the value is the receiver; the call site
                            // dispatches on it like `obj.method(...)`.
                            let reader = self.cur;
                            self.classdefs[c.0 as usize].method_readers.insert(reader);
                            return Ok(SomeValue::single(Desc::Method { func: *f, class: c }));
                        }
                    }
                    if !self.has_instance_attr_here_or_below(c, name) {
                        // A class attribute: constant for the class (and its subclasses).
                        let mut s = self.annotate_const(&v).without_const_keep_pbc();
                        for (_, ov) in self.overrides(c, name) {
                            let os = self.annotate_const(&ov).without_const_keep_pbc();
                            s = self.union(&s, &os).map_err(|m| self.err("E0304", format!("class attribute '{name}' is {} in one class and {} in a subclass", m.a, m.b), span, "read here"))?;
                        }
                        return Ok(s);
                    }
                }
                if !self.has_instance_attr_here_or_below(c, name) {
                    // A class attribute that only subclasses define (each class's value
                    // is read through the vtable), as RPython allows.
                    let defs = self.overrides(c, name);
                    if !defs.is_empty() && defs.iter().all(|(_, v)| !matches!(v, Value::Obj(f) if matches!(self.prog.heap.get(*f), Object::Function(_)))) {
                        let mut s = SomeValue::Impossible;
                        for (_, ov) in defs {
                            let os = self.annotate_const(&ov).without_const_keep_pbc();
                            s = self.union(&s, &os).map_err(|m| self.err("E0304", format!("class attribute '{name}' is {} in one subclass and {} in another", m.a, m.b), span, "read here"))?;
                        }
                        return Ok(s);
                    }
                }
                let s = self.read_attr(c, name);
                Ok(s)
            }
            SomeValue::Instance { .. } if &**name == "__class__" => {
                // CPython gives `NoneType` for None, a class Kiln has no value for: a null
                // check raising AttributeError would be a quiet difference.
                let d = self.describe(obj);
                Err(self.err("E0308", format!("`.__class__` of {d}"), span, "this value may be None").with_note("None's class is `NoneType`, which RPy has no value for; check `x is not None` first"))
            }
            SomeValue::Pbc { descs, .. } if crate::classvalues::is_class_value(obj) => {
                let descs = descs.clone();
                self.class_value_attr(&descs, name, span)
            }
            o if o.can_be_none() => Err(self.none_error(g, &format!("reading attribute '{name}'"), &op.args[0], span)),
            o => {
                let d = self.describe(o);
                Err(self.err("E0308", format!("{d} has no attribute '{name}'"), span, "here"))
            }
        }
    }

    /// Records the dicts `s` holds (itself, or as items of lists, tuples and dict
    /// values) as compared with `==` at `span`.
    fn note_dicts_compared(&mut self, s: &SomeValue, span: Span, depth: u32) {
        if depth > 8 {
            return;
        }
        match s {
            SomeValue::Dict { def, .. } => {
                self.dict_uses.push((def.0, span, "compared with `==`"));
                let v = self.dicts.get(def.0).value.clone();
                self.note_dicts_compared(&v, span, depth + 1);
            }
            SomeValue::List { def, .. } => {
                let item = self.lists.get(def.0).item.clone();
                self.note_dicts_compared(&item, span, depth + 1);
            }
            SomeValue::Tuple(items) => {
                for i in items.iter() {
                    self.note_dicts_compared(i, span, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// E0333 where a dict that may be an `OrderedDict` is shown or compared: CPython
    /// prints it as `OrderedDict({...})` and compares two of them in order, which a Kiln
    /// dict (ordered by insertion, printed as a dict) would not.
    pub(crate) fn check_ordered_dicts(&mut self) {
        let ordered: std::collections::BTreeSet<u32> = self.ordered_dicts.clone().into_iter().map(|d| self.dicts.root(d)).collect();
        if ordered.is_empty() {
            return;
        }
        let mut seen = std::collections::BTreeSet::new();
        for (d, span, what) in std::mem::take(&mut self.dict_uses) {
            if ordered.contains(&self.dicts.root(d)) && seen.insert((span, what)) {
                self.error(
                    Diagnostic::error("E0333", format!("a dict that may be a collections.OrderedDict is {what}"))
                        .with_primary(span, "here")
                        .with_note("Kiln's OrderedDict is a dict (insertion-ordered), but CPython prints an OrderedDict as `OrderedDict({...})` and compares two in order: use a plain dict here, or show its items"),
                );
            }
        }
    }

    /// `x.__class__` of an instance of `c`: one of the classes at or below `c` (the
    /// classes the annotator has seen instances or subclasses of). The reading block
    /// flows again when a new subclass appears.
    fn classes_at_or_below(&mut self, c: ClassDefId) -> SomeValue {
        let reader = self.cur;
        self.classdefs[c.0 as usize].method_readers.insert(reader);
        let mut descs = std::collections::BTreeSet::new();
        let mut stack = vec![c];
        while let Some(d) = stack.pop() {
            descs.insert(Desc::Class(self.classdefs[d.0 as usize].class));
            stack.extend(self.classdefs[d.0 as usize].subdefs.iter().copied());
        }
        SomeValue::Pbc { descs: Arc::new(descs), can_be_none: false }
    }

    /// Values of class attribute `name` defined directly in subclasses of `c`.
    pub(crate) fn overrides(&mut self, c: ClassDefId, name: &str) -> Vec<(ClassDefId, Value)> {
        let reader = self.cur;
        self.classdefs[c.0 as usize].method_readers.insert(reader);
        let mut out = Vec::new();
        let mut stack = self.classdefs[c.0 as usize].subdefs.clone();
        while let Some(d) = stack.pop() {
            let cls = self.classdefs[d.0 as usize].class;
            if let Some(v) = self.prog.heap.class(cls).and_then(|k| k.dict.get(name)) {
                out.push((d, v.clone()));
            }
            stack.extend(self.classdefs[d.0 as usize].subdefs.iter().copied());
        }
        out
    }

    /// The functions a method call on an instance of `c` may run, with the class each
    /// runs for (its `self`).
    ///
    /// Each class at or below `c` runs what its MRO finds (so a method from a mixin
    /// counts too); a function several classes share runs for their common base.
    pub fn method_impls(&mut self, c: ClassDefId, name: &str) -> Vec<(ObjId, ClassDefId)> {
        let reader = self.cur;
        self.classdefs[c.0 as usize].method_readers.insert(reader);
        let mut out: Vec<(ObjId, ClassDefId)> = Vec::new();
        let mut stack = vec![c];
        while let Some(d) = stack.pop() {
            let cls = self.classdefs[d.0 as usize].class;
            if let Some((_, Value::Obj(f))) = self.prog.heap.class_lookup(cls, name) {
                if self.prog.heap.function(f).is_some() {
                    match out.iter().position(|(x, _)| *x == f) {
                        Some(i) => out[i].1 = self.common_base(out[i].1, d),
                        None => out.push((f, d)),
                    }
                }
            }
            let subs = self.classdefs[d.0 as usize].subdefs.clone();
            stack.extend(subs.into_iter().rev());
        }
        out
    }

    /// A call of `callee`, whatever its annotation: functions, methods, classes, builtins.
    fn call(&mut self, g: GraphId, site: OpLoc, op: &Operation<Hl>, callee: &SomeValue, args: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
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
    fn unify_family_returns(&mut self, gids: &[GraphId], result: &SomeValue, span: Span) {
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
    fn type_key(&mut self, s: &SomeValue) -> String {
        match s {
            SomeValue::Int { unsigned: true, .. } => "r_uint".into(),
            SomeValue::Int { .. } | SomeValue::Bool { .. } => "int".into(),
            SomeValue::Char { .. } => "char".into(),
            other => self.describe(&other.without_const_keep_pbc()),
        }
    }

    fn instantiate(&mut self, site: OpLoc, op: &Operation<Hl>, cls: ObjId, args: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
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

    fn call_method(&mut self, g: GraphId, site: OpLoc, op: &Operation<Hl>, name: &Arc<str>, recv: &SomeValue, args: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
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
    fn call_bound_method(&mut self, g: GraphId, site: OpLoc, op: &Operation<Hl>, descs: &[Desc], args: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
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
    fn instantiate_family(&mut self, site: OpLoc, op: &Operation<Hl>, descs: &[Desc], args: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
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
    fn bind_method(&mut self, f: &kiln_frontend::Function, args: &[SomeValue], kwnames: &[Arc<str>], span: Span) -> Result<Vec<ArgSource>, Diagnostic> {
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

    /// `iter(x)`.
    pub(crate) fn iter_of(&mut self, g: GraphId, o: &Opnd, x: &SomeValue, span: Span) -> Result<SomeValue, Diagnostic> {
        use SomeValue as S;
        let kind = match x {
            S::List { can_be_none: false, .. } => IterKind::List,
            s if s.is_stringlike() && !s.can_be_none() => IterKind::Str,
            S::Bytes { .. } => IterKind::Bytes,
            S::Dict { can_be_none: false, .. } => IterKind::DictKeys,
            S::Iterator { .. } => return Ok(x.clone()),
            s if s.can_be_none() => return Err(self.none_error(g, "iteration", o, span)),
            S::Tuple(_) => return Err(self.err("E0309", "iterating over a tuple needs a constant tuple (it is unrolled at translation time)", span, "this tuple is not constant").with_note("use a list to loop over a variable sequence")),
            other => {
                let d = self.describe(other);
                return Err(self.err("E0309", format!("{d} is not iterable"), span, "iterated here"));
            }
        };
        Ok(S::Iterator { kind, source: Box::new(x.nonnull()) })
    }

    pub(crate) fn iter_item(&mut self, kind: IterKind, source: &SomeValue) -> SomeValue {
        use SomeValue as S;
        match (kind, source) {
            (IterKind::List | IterKind::Reversed, S::List { def, .. }) => self.list_item(def.0),
            (IterKind::Str, _) => S::char(),
            (IterKind::Bytes, _) => S::nonneg_int(),
            (IterKind::Range, _) => S::int(),
            (IterKind::DictKeys, S::Dict { def, .. }) => self.dict_kv(def.0).0,
            (IterKind::DictValues, S::Dict { def, .. }) => self.dict_kv(def.0).1,
            (IterKind::DictItems, S::Dict { def, .. }) => {
                let (k, v) = self.dict_kv(def.0);
                if k.is_impossible() || v.is_impossible() {
                    return S::Impossible;
                }
                S::Tuple(vec![k, v].into())
            }
            (IterKind::Enumerate, S::Iterator { kind, source }) => {
                let item = self.iter_item(*kind, source);
                if item.is_impossible() {
                    return S::Impossible;
                }
                S::Tuple(vec![S::nonneg_int(), item].into())
            }
            (IterKind::Zip, S::Tuple(its)) => {
                let mut items = Vec::new();
                for it in its.iter() {
                    let S::Iterator { kind, source } = it else { return S::Object };
                    let item = self.iter_item(*kind, source);
                    if item.is_impossible() {
                        return S::Impossible;
                    }
                    items.push(item);
                }
                S::Tuple(items.into())
            }
            _ => S::Object,
        }
    }

    /// Whether `print` and `str()` know how to show the value.
    pub(crate) fn check_printable(&mut self, s: &SomeValue, span: Span) -> Result<(), Diagnostic> {
        use SomeValue as S;
        match s {
            S::Int { .. } | S::Bool { .. } | S::Float { .. } | S::Char { .. } | S::Str { .. } | S::None_ => Ok(()),
            S::List { def, .. } => {
                let item = self.lists.get(def.0).item.clone();
                self.check_printable(&item, span)
            }
            S::Dict { def, .. } => {
                self.dict_uses.push((def.0, span, "shown as text"));
                let (k, v) = {
                    let d = self.dicts.get(def.0);
                    (d.key.clone(), d.value.clone())
                };
                self.check_printable(&k, span)?;
                self.check_printable(&v, span)
            }
            S::Tuple(items) => {
                for i in items.iter() {
                    self.check_printable(i, span)?;
                }
                Ok(())
            }
            S::Instance { class, .. } if {
                let base = self.classdef(self.prog.classes.get("BaseException"));
                self.is_subclassdef(*class, base)
            } =>
            {
                self.annotate_exc_str(*class, span)
            }
            S::Impossible | S::Object => Ok(()),
            S::Bytes { .. } => Err(self.err("E0334", "showing bytes as text here (in an f-string, a % format, or inside a list, tuple or dict) is not supported yet", span, "here")
                .with_note("print(b), str(b) and repr(b) of ASCII bytes are supported: format str(b) instead")),
            other => {
                let d = self.describe(other);
                Err(self.err("E0319", format!("cannot convert {d} to a string"), span, "here").with_note("print and str() accept numbers, strings, None, exceptions, and lists, tuples and dicts of those"))
            }
        }
    }
}

/// Why a built-in function (`operator.add`, `len`) cannot be called through a variable,
/// and what to write instead.
const VIA_VARIABLE_NOTE: &str = "built-in functions (operator.add, len, ...) are called by name; only functions defined in Python can be stored in a variable and called through it: wrap it (def add(a, b): return a + b)";
