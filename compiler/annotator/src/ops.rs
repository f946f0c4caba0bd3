//! Annotation rules for each high-level operation: given the annotations of the
//! arguments, the annotation of the result, or a diagnostic saying what went wrong where.

use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::{BlockId, Operation};
use kiln_flowspace::{Hl, HlOp, Opnd};
use kiln_frontend::ops::{BinOp, CmpOp};
use kiln_frontend::{ObjId, Object, Value};

use crate::annotate::{Annotator, OpLoc};
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
    pub(crate) fn err(&self, code: &'static str, msg: impl Into<String>, span: Span, label: impl Into<String>) -> Diagnostic {
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
                    self.percent_runtime.insert((self.cur.0, self.cur.1, self.cur_op));
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

    pub(crate) fn getattr(&mut self, g: GraphId, op: &Operation<Hl>, obj: &SomeValue, name: &Arc<str>) -> Result<SomeValue, Diagnostic> {
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
pub(crate) const VIA_VARIABLE_NOTE: &str = "built-in functions (operator.add, len, ...) are called by name; only functions defined in Python can be stored in a variable and called through it: wrap it (def add(a, b): return a + b)";
