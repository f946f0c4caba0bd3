//! Annotation of `%` with a mapping: `fmt % {"key": value, ...}` (`HlOp::PercentMap`), a
//! dict display of constant str keys whose values go to the formatting as a record, so
//! they may have different types, and `fmt % d` with a dict keyed by str. The format may
//! be built at run time; what the run-time formatting cannot show as CPython does is a
//! diagnostic here.

use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::Operation;
use kiln_flowspace::{Hl, Opnd};

use crate::annotate::Annotator;
use crate::model::*;

/// Whether every conversion of a constant format shows a bool held in an int and an int
/// held in a float as CPython would (`%d`, `%f` and friends: `1`, `2.000000`), so that
/// such values need no diagnostic.
fn shows_numbers_only(f: &str) -> bool {
    crate::special::percent_conversions(f).iter().all(|c| "diueEfFgG%".contains(*c))
}

impl<'a> Annotator<'a> {
    /// `args[0] % {keys: args[1..]}`: a str, or a diagnostic.
    pub(crate) fn percent_mapping(&mut self, g: GraphId, op: &Operation<Hl>, args: &[SomeValue], span: Span) -> Result<SomeValue, Diagnostic> {
        let fmt = &args[0];
        if !fmt.is_stringlike() {
            let d = self.describe(fmt);
            return Err(Diagnostic::error("E0306", format!("'%' with a mapping needs a str format, not {d}")).with_primary(self.operand_span(g, &op.args[0], span), "this is not a str"));
        }
        if fmt.can_be_none() {
            return Err(self.none_error(g, "string formatting", &op.args[0], span));
        }
        let konst = match fmt {
            SomeValue::Str { konst: Some(f), .. } => Some(f.clone()),
            _ => None,
        };
        for (k, v) in args.iter().enumerate().skip(1) {
            let o: &Opnd = &op.args[k];
            let vspan = self.operand_span(g, o, span);
            self.percent_value_supported(v, vsp(vspan, span), None)?;
            // A bool held in an int shows as `1` and an int held in a float as `2.0`
            // where CPython shows `True` and `2`: unless every conversion is numeric.
            if !konst.as_deref().is_some_and(shows_numbers_only) {
                self.check_bool_shown(g, o, v, span, "'%' formatting shows")?;
            }
        }
        Ok(SomeValue::str())
    }

    /// Whether the run-time formatting shows a mapping value as CPython does: E0401 for
    /// the types it does not format.
    fn percent_value_supported(&mut self, v: &SomeValue, at: Span, origin: Option<Span>) -> Result<(), Diagnostic> {
        match v {
            SomeValue::None_ | SomeValue::Bool { .. } | SomeValue::Int { unsigned: false, .. } | SomeValue::Float { .. } | SomeValue::Char { .. } | SomeValue::Str { .. } | SomeValue::Impossible => Ok(()),
            other => {
                let d = self.describe(other);
                let mut e = Diagnostic::error("E0401", format!("'%' formatting with a mapping of {d} values is not supported by the translator yet")).with_primary(at, format!("this value is {d}"));
                if let Some(o) = origin {
                    e = e.with_label(o, "the dict comes from here");
                }
                Err(e.with_note("the values of a mapping formatted with '%' may be str, int, float, bool or None (each may have its own type)"))
            }
        }
    }

    /// `fmt % (a, b, ...)` or `fmt % a` with a format that is not a constant: the
    /// runtime's formatting parses it, and must show every value as CPython does (E0401
    /// for the types it does not format).
    pub(crate) fn percent_runtime_values(&mut self, g: GraphId, op: &Operation<Hl>, rhs: &SomeValue, span: Span) -> Result<(), Diagnostic> {
        let vspan = vsp(self.operand_span(g, &op.args[1], span), span);
        let items: Vec<SomeValue> = match rhs {
            SomeValue::Tuple(items) => items.iter().cloned().collect(),
            other => vec![other.clone()],
        };
        for v in &items {
            match v {
                SomeValue::None_ | SomeValue::Bool { .. } | SomeValue::Int { unsigned: false, .. } | SomeValue::Float { .. } | SomeValue::Char { .. } | SomeValue::Str { .. } | SomeValue::Impossible => {}
                other => {
                    let d = self.describe(other);
                    return Err(Diagnostic::error("E0401", format!("'%' formatting of {d} with a format string that is not a constant is not supported by the translator yet"))
                        .with_primary(vspan, format!("this holds {d}"))
                        .with_note("with a format built at run time, the values formatted with '%' may be str, int, float, bool or None (each may have its own type); a constant format string formats more"));
                }
            }
        }
        Ok(())
    }

    /// `fmt % d` with a dict `d` (`def`): keyed by str, with values the run-time
    /// formatting shows as CPython does.
    pub(crate) fn percent_dict(&mut self, g: GraphId, op: &Operation<Hl>, fmt: &SomeValue, def: u32, can_be_none: bool, span: Span) -> Result<SomeValue, Diagnostic> {
        let o = self.operand_span(g, &op.args[1], span);
        let origin = Some(o).filter(|o| !o.is_dummy() && *o != span);
        let with_origin = |e: Diagnostic| match origin {
            Some(o) => e.with_label(o, "the dict comes from here"),
            None => e,
        };
        if can_be_none {
            return Err(with_origin(Diagnostic::error("E0305", "'%' formatting with a dict that may be None").with_primary(span, "this dict may be None")).with_note("`if d is not None:` (or `assert d is not None`) narrows the type"));
        }
        let (k, v) = self.dict_kv(def);
        match &k {
            SomeValue::Str { can_be_none: false, .. } | SomeValue::Char { .. } | SomeValue::Impossible => {}
            other => {
                let d = self.describe(other);
                return Err(with_origin(Diagnostic::error("E0401", format!("'%' formatting with a dict keyed by {d} is not supported by the translator yet")).with_primary(span, "formatted here")).with_note("`%(name)s` looks its name up as a str key"));
            }
        }
        self.percent_value_supported(&v, span, origin)?;
        let konst = match fmt {
            SomeValue::Str { konst: Some(f), .. } => Some(f.clone()),
            _ => None,
        };
        if !konst.as_deref().is_some_and(shows_numbers_only) {
            let d = SomeValue::Dict { def: DictDefId(def), can_be_none: false };
            self.check_bool_shown(g, &op.args[1], &d, span, "'%' formatting shows")?;
        }
        Ok(SomeValue::str())
    }
}

/// Whether `fmt % items` with a constant format is compiled inline, one conversion at a
/// time, with CPython's result: every conversion is a plain one (`%[flags][width][.prec]`
/// and a character the inline code knows), there are as many as values, and each
/// value's type is one the conversion accepts. Anything else (`%a`, `%c` of an int, `*`
/// widths, `%(key)`, a bad character, too few or too many values, `%d` of a str, `%x` of
/// a float, a value that may be None) goes to the run-time formatting, which raises what
/// CPython raises. The annotator records its answer in `percent_runtime` for the RTyper.
pub(crate) fn percent_inline(fmt: &str, items: &[SomeValue]) -> bool {
    let mut chars = fmt.chars();
    let mut k = 0;
    while let Some(ch) = chars.next() {
        if ch != '%' {
            continue;
        }
        let mut flags = false;
        let conv = loop {
            match chars.next() {
                Some(x) if "-+ #0123456789.".contains(x) => flags = true,
                Some(x) => break x,
                None => return false,
            }
        };
        if conv == '%' {
            if flags {
                return false;
            }
            continue;
        }
        let Some(v) = items.get(k) else { return false };
        k += 1;
        if matches!(v, SomeValue::Impossible) {
            continue;
        }
        let ok = match conv {
            's' | 'r' => true,
            'd' | 'i' | 'u' => !v.can_be_none() && matches!(v, SomeValue::Int { .. } | SomeValue::Bool { .. } | SomeValue::Float { .. }),
            'x' | 'X' | 'o' => !v.can_be_none() && matches!(v, SomeValue::Int { .. } | SomeValue::Bool { .. }),
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => !v.can_be_none() && matches!(v, SomeValue::Int { .. } | SomeValue::Bool { .. } | SomeValue::Float { .. }),
            'c' => matches!(v, SomeValue::Char { .. }),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    k == items.len()
}

/// The value's own span when it has one, else the operation's.
fn vsp(v: Span, op: Span) -> Span {
    if v.is_dummy() {
        op
    } else {
        v
    }
}
