//! Annotation rules for methods of str, list and dict values.

use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::Operation;
use kiln_flowspace::Hl;

use crate::annotate::{Annotator, OpLoc};
use crate::model::*;

/// The methods RPy supports on each built-in type, for messages.
pub const STR_METHODS: &[&str] = &[
    "join", "split", "rsplit", "strip", "lstrip", "rstrip", "startswith", "endswith", "find", "rfind", "replace", "lower", "upper", "isdigit",
    "isalpha", "isalnum", "isspace", "count",
];
pub const LIST_METHODS: &[&str] = &["append", "pop", "insert", "extend", "reverse", "index", "remove", "sort", "count", "copy"];
pub const DICT_METHODS: &[&str] = &["get", "setdefault", "pop", "keys", "values", "items", "update", "clear", "copy"];

fn no_method(kind: &str, name: &str, list: &[&str], span: Span) -> Diagnostic {
    Diagnostic::error("E0324", format!("'{kind}' has no method '{name}' in RPy"))
        .with_primary(span, "called here")
        .with_note(format!("supported {kind} methods: {}", list.join(", ")))
}

pub(crate) fn value_method(an: &mut Annotator, _g: GraphId, site: OpLoc, op: &Operation<Hl>, name: &str, recv: &SomeValue, all: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
    let span = op.span;
    let npos = all.len() - kwnames.len();
    let args = &all[..npos];
    let kw = |n: &str| kwnames.iter().position(|k| &**k == n).map(|i| &all[npos + i]);
    use SomeValue as S;
    let arity = |min: usize, max: usize| -> Result<(), Diagnostic> {
        if args.len() < min || args.len() > max {
            let want = if min == max { format!("{min}") } else { format!("{min} to {max}") };
            return Err(Diagnostic::error("E0320", format!("{name}() takes {want} argument(s), got {}", args.len())).with_primary(span, "in this call"));
        }
        Ok(())
    };
    let is_str = |s: &SomeValue| s.is_stringlike() && !s.can_be_none();
    let want = |an: &mut Annotator, what: &str, s: &SomeValue, ok: bool| -> Result<(), Diagnostic> {
        if ok {
            Ok(())
        } else {
            let d = an.describe(s);
            Err(Diagnostic::error("E0321", format!("{name}() {what}, not {d}")).with_primary(span, "here"))
        }
    };
    if let Some(bad) = kwnames.iter().find(|k| !(name == "sort" && &***k == "reverse")) {
        return Err(Diagnostic::error("E0320", format!("{name}() got an unexpected keyword argument '{bad}'")).with_primary(span, "here"));
    }
    match recv {
        S::Bytes { .. } => match name {
            "decode" => {
                arity(0, 2)?;
                if let Some(e) = args.first() {
                    let known = match e {
                        S::Str { konst: Some(k), .. } => crate::bytes::known_encoding(k).is_some(),
                        S::Char { konst: Some(k) } => crate::bytes::known_encoding(&k.to_string()).is_some(),
                        _ => false,
                    };
                    if !known {
                        return Err(crate::bytes::unsupported("bytes.decode() with an encoding other than a constant 'utf-8' or 'ascii'", span));
                    }
                }
                let errors = match args.get(1) {
                    None => "strict".to_string(),
                    Some(S::Str { konst: Some(k), .. }) => k.to_string(),
                    Some(S::Char { konst: Some(k) }) => k.to_string(),
                    Some(_) => String::new(),
                };
                match errors.as_str() {
                    // ASCII bytes decode to the same code points with either codec.
                    "strict" => an.check_bytes_ascii(recv, "a strict decode()", span)?,
                    "replace" => {}
                    _ => return Err(crate::bytes::unsupported("bytes.decode() with an errors argument other than a constant 'strict' or 'replace'", span)),
                }
                Ok(S::str())
            }
            _ => Err(crate::bytes::unsupported(&format!("bytes.{name}()"), span)),
        },
        r if r.is_stringlike() && name == "encode" => Err(crate::bytes::unsupported("str.encode() of a str computed at run time", span)
            .with_note("encode() of a constant str is computed at translation time")),
        r if r.is_stringlike() => {
            match name {
                "join" => {
                    arity(1, 1)?;
                    match &args[0] {
                        S::List { def, can_be_none: false } => {
                            let item = an.list_item(def.0);
                            // Items that may be None are checked at run time, raising
                            // CPython's TypeError (kiln_str_join).
                            let ok = item.is_impossible() || (item.is_stringlike() && !matches!(item, S::None_));
                            want(an, "joins a list of str", &item, ok)?;
                            Ok(S::str())
                        }
                        a => {
                            let a = a.clone();
                            want(an, "takes a list of str", &a, false).map(|_| S::Object)
                        }
                    }
                }
                "split" | "rsplit" => {
                    arity(if name == "rsplit" { 1 } else { 0 }, 2)?;
                    if let Some(a) = args.first() {
                        // `split(None, n)` splits on whitespace; rsplit needs a separator.
                        let ok = (is_str(a) && !matches!(a, S::Str { konst: Some(k), .. } if k.is_empty())) || (name == "split" && matches!(a, S::None_));
                        want(an, "takes a non-empty separator str", a, ok)?;
                    }
                    if let Some(m) = args.get(1) {
                        want(an, "takes an int maxsplit", m, m.is_intlike())?;
                    }
                    let def = an.new_list_at(site);
                    let _ = an.list_generalize(def, S::str(), span);
                    an.lists.get_mut(def).resized = true;
                    Ok(S::List { def: ListDefId(def), can_be_none: false })
                }
                "strip" | "lstrip" | "rstrip" => {
                    arity(0, 1)?;
                    if let Some(a) = args.first() {
                        want(an, "takes a str of characters", a, is_str(a))?;
                    }
                    Ok(S::str())
                }
                "startswith" | "endswith" => {
                    arity(1, 3)?;
                    want(an, "takes a str", &args[0], is_str(&args[0]))?;
                    for a in &args[1..] {
                        want(an, "takes int bounds", a, a.is_intlike())?;
                    }
                    Ok(S::bool())
                }
                "find" | "rfind" | "count" => {
                    arity(1, 3)?;
                    want(an, "looks for a str", &args[0], is_str(&args[0]))?;
                    for a in &args[1..] {
                        want(an, "takes int bounds", a, a.is_intlike())?;
                    }
                    Ok(if name == "count" { S::nonneg_int() } else { S::int() })
                }
                "replace" => {
                    arity(2, 2)?;
                    for a in args {
                        want(an, "takes two str", a, is_str(a))?;
                    }
                    Ok(S::str())
                }
                "lower" | "upper" => {
                    arity(0, 0)?;
                    Ok(S::str())
                }
                "isdigit" | "isalpha" | "isalnum" | "isspace" => {
                    arity(0, 0)?;
                    Ok(S::bool())
                }
                _ => Err(no_method("str", name, STR_METHODS, span)),
            }
        }
        S::List { def, .. } => {
            let def = def.0;
            match name {
                "append" => {
                    arity(1, 1)?;
                    let origin = an.operand_span(_g, &op.args[1], span);
                    an.list_generalize(def, args[0].without_const_keep_pbc(), origin).map_err(|m| an.list_mix_error(def, &m, origin))?;
                    an.lists.get_mut(def).resized = true;
                    Ok(S::None_)
                }
                "insert" => {
                    arity(2, 2)?;
                    want(an, "takes an int index", &args[0], args[0].is_intlike())?;
                    let origin = an.operand_span(_g, &op.args[2], span);
                    an.list_generalize(def, args[1].without_const_keep_pbc(), origin).map_err(|m| an.list_mix_error(def, &m, origin))?;
                    an.lists.get_mut(def).resized = true;
                    Ok(S::None_)
                }
                "extend" => {
                    arity(1, 1)?;
                    match &args[0] {
                        S::List { def: d2, can_be_none: false } => {
                            let d2 = *d2;
                            an.union(&S::List { def: ListDefId(def), can_be_none: false }, &S::List { def: d2, can_be_none: false }).map_err(|m| {
                                let origin = an.operand_span(_g, &op.args[1], span);
                                an.list_mix_error(def, &m, origin)
                            })?;
                            an.lists.get_mut(def).resized = true;
                            Ok(S::None_)
                        }
                        a => {
                            let a = a.clone();
                            want(an, "takes a list", &a, false).map(|_| S::Object)
                        }
                    }
                }
                "pop" => {
                    arity(0, 1)?;
                    if let Some(a) = args.first() {
                        want(an, "takes an int index", a, a.is_intlike())?;
                    }
                    an.lists.get_mut(def).resized = true;
                    Ok(an.list_item(def))
                }
                "reverse" => {
                    arity(0, 0)?;
                    an.lists.get_mut(def).mutated = true;
                    Ok(S::None_)
                }
                "sort" => {
                    arity(0, 0)?;
                    if let Some(r) = kw("reverse") {
                        let r = r.clone();
                        want(an, "takes reverse=bool", &r, r.is_intlike())?;
                    }
                    let item = an.list_item(def);
                    let ok = item.is_impossible() || item.is_numeric() || is_str(&item) || matches!(item, S::Tuple(_));
                    want(an, "sorts numbers, strings or tuples", &item, ok)?;
                    an.lists.get_mut(def).mutated = true;
                    Ok(S::None_)
                }
                "index" | "count" | "remove" => {
                    arity(1, 1)?;
                    let item = an.list_item(def);
                    if !item.is_impossible() && an.union(&item, &args[0].without_const_keep_pbc()).is_err() {
                        let (di, da) = (an.describe(&item), an.describe(&args[0]));
                        return Err(Diagnostic::error("E0321", format!("{name}() looks for {da} in a list of {di}")).with_primary(span, "here"));
                    }
                    // As `in`: the needle generalises the items (chars searched for a str).
                    if !item.is_impossible() {
                        let _ = an.list_generalize(def, args[0].without_const_keep_pbc(), span);
                    }
                    if name == "remove" {
                        an.lists.get_mut(def).resized = true;
                        return Ok(S::None_);
                    }
                    Ok(S::nonneg_int())
                }
                "copy" => {
                    arity(0, 0)?;
                    Ok(S::List { def: ListDefId(def), can_be_none: false })
                }
                _ => Err(no_method("list", name, LIST_METHODS, span)),
            }
        }
        S::Dict { def, .. } => {
            let def = def.0;
            let key_check = |an: &mut Annotator, k: &SomeValue| -> Result<(), Diagnostic> {
                an.dict_generalize(def, Some(k.without_const_keep_pbc()), None, span)
                    .map_err(|m| Diagnostic::error("E0303", format!("a dict keyed by {} is used with a {} key", m.a, m.b)).with_primary(span, "here"))
            };
            match name {
                "get" => {
                    arity(1, 2)?;
                    key_check(an, &args[0])?;
                    let default = args.get(1).cloned().unwrap_or(S::None_).without_const_keep_pbc();
                    // As RPython's `method_get`, a default generalises the dict's values, so
                    // that the value the RTyper stores and the one `get` returns have one
                    // representation (`{}.get(k, 0)`, a dict of chars with a str default).
                    // A None default only makes the result nullable, not the dict's values.
                    if !matches!(default, S::None_) {
                        an.dict_generalize(def, None, Some(default.clone()), span).map_err(|m| {
                            Diagnostic::error("E0321", format!("get() returns {} values or a {} default", m.a, m.b))
                                .with_primary(span, "here")
                                .with_note("pass a default of the value type, or store values that can be None")
                        })?;
                    }
                    let (_, v) = an.dict_kv(def);
                    an.union(&v, &default).map_err(|m| {
                        Diagnostic::error("E0321", format!("get() returns {} values or a {} default", m.a, m.b))
                            .with_primary(span, "here")
                            .with_note("pass a default of the value type, or store values that can be None")
                    })
                }
                "setdefault" => {
                    arity(2, 2)?;
                    an.dict_generalize(def, Some(args[0].without_const_keep_pbc()), Some(args[1].without_const_keep_pbc()), span)
                        .map_err(|m| Diagnostic::error("E0303", format!("setdefault() mixes {} and {}", m.a, m.b)).with_primary(span, "here"))?;
                    Ok(an.dict_kv(def).1)
                }
                "pop" => {
                    arity(1, 2)?;
                    key_check(an, &args[0])?;
                    if let Some(d) = args.get(1).map(|d| d.without_const_keep_pbc()).filter(|d| !matches!(d, S::None_)) {
                        // The default generalises the values, as for `get`.
                        an.dict_generalize(def, None, Some(d), span)
                            .map_err(|m| Diagnostic::error("E0321", format!("pop() returns {} values or a {} default", m.a, m.b)).with_primary(span, "here"))?;
                    }
                    let (_, v) = an.dict_kv(def);
                    match args.get(1) {
                        Some(d) => an.union(&v, &d.without_const_keep_pbc()).map_err(|m| Diagnostic::error("E0321", format!("pop() returns {} values or a {} default", m.a, m.b)).with_primary(span, "here")),
                        None => Ok(v),
                    }
                }
                "keys" | "values" | "items" => {
                    arity(0, 0)?;
                    let (k, v) = an.dict_kv(def);
                    let item = match name {
                        "keys" => k,
                        "values" => v,
                        _ => {
                            if k.is_impossible() || v.is_impossible() {
                                S::Impossible
                            } else {
                                S::Tuple(vec![k, v].into())
                            }
                        }
                    };
                    let ldef = an.new_list_at(site);
                    if !item.is_impossible() {
                        let _ = an.list_generalize(ldef, item, span);
                    }
                    Ok(S::List { def: ListDefId(ldef), can_be_none: false })
                }
                "update" => {
                    arity(1, 1)?;
                    match &args[0] {
                        S::Dict { def: d2, can_be_none: false } => {
                            let d2 = *d2;
                            an.union(&S::Dict { def: DictDefId(def), can_be_none: false }, &S::Dict { def: d2, can_be_none: false })
                                .map_err(|m| Diagnostic::error("E0303", format!("update() mixes {} and {}", m.a, m.b)).with_primary(span, "here"))?;
                            Ok(S::None_)
                        }
                        a => {
                            let a = a.clone();
                            want(an, "takes a dict", &a, false).map(|_| S::Object)
                        }
                    }
                }
                "clear" => {
                    arity(0, 0)?;
                    Ok(S::None_)
                }
                "copy" => {
                    arity(0, 0)?;
                    Ok(S::Dict { def: DictDefId(def), can_be_none: false })
                }
                _ => Err(no_method("dict", name, DICT_METHODS, span)),
            }
        }
        other => {
            let d = an.describe(other);
            Err(Diagnostic::error("E0324", format!("{d} has no method '{name}'")).with_primary(span, "called here"))
        }
    }
}

