//! The parser of the trace text format that `print` writes (RPython's oparser, our syntax).
//!
//! Lines are, in order: descriptor declarations (`descr NAME: kind(...)`), recorded
//! elidable-call results (`call_pure_result(args) = value`), the input boxes (`[i0, p1]`),
//! then one op per line. Blank lines and lines starting with `#` are skipped. A box's name
//! is its type prefix and its number, and the number is kept. The parser checks syntax and
//! names only; SSA and types are the verifier's job. Errors carry a line number; no input
//! makes it panic.

use std::fmt;

use crate::descr::{
    ArrayDescr, CallDescr, DescrId, DescrKind, DescrTable, EffectInfo, ExtraEffect, FieldDescr,
    Mutability, SizeDescr,
};
use crate::ir::{BoxId, Const, Op, OpExtra, PureResult, Trace, Type, Value};
use crate::opcode::OpCode;
use crate::print::prefix_type;
use crate::resume::{FrameSnapshot, ResumeData, ResumePos, ResumeValue, VirtualInfo};

/// Box numbers above this are refused, so a typo cannot make the parser allocate gigabytes.
const MAX_BOX: u32 = 1 << 24;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

type PResult<T> = Result<T, String>;

/// Parses a whole test file: descriptor declarations and a trace.
pub fn parse_trace_file(text: &str) -> Result<(DescrTable, Trace), ParseError> {
    let mut descrs = DescrTable::new();
    let trace = parse_trace(text, &mut descrs)?;
    Ok((descrs, trace))
}

/// Parses a trace whose descriptors are in `descrs` or declared in the text (and then added).
pub fn parse_trace(text: &str, descrs: &mut DescrTable) -> Result<Trace, ParseError> {
    let mut trace = Trace::default();
    let mut seen_inputs = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |message: String| ParseError { line: i + 1, message };
        if let Some(decl) = line.strip_prefix("descr ") {
            parse_descr_decl(decl, descrs).map_err(err)?;
        } else if let Some(rest) = line.strip_prefix("call_pure_result(") {
            let p = parse_pure_result(rest).map_err(err)?;
            trace.pure_results.push(p);
        } else if line.starts_with('[') && !seen_inputs {
            let inner = line
                .strip_prefix('[')
                .and_then(|l| l.strip_suffix(']'))
                .ok_or_else(|| err("input boxes must be written `[i0, p1, ...]`".into()))?;
            for tok in split_top(inner).map_err(err)? {
                let b = parse_box(&tok, &mut trace).map_err(err)?;
                trace.inputargs.push(b);
            }
            seen_inputs = true;
        } else if !seen_inputs {
            return Err(err(format!("expected the input boxes `[...]` before `{line}`")));
        } else {
            let op = parse_op(line, &mut trace, descrs).map_err(err)?;
            trace.ops.push(op);
        }
    }
    if !seen_inputs {
        return Err(ParseError { line: text.lines().count().max(1), message: "no input boxes `[...]`".into() });
    }
    Ok(trace)
}

/// Splits at commas that are not inside brackets, braces, parentheses or quotes. An empty
/// (all-blank) input gives no items.
fn split_top(s: &str) -> PResult<Vec<String>> {
    let mut items = Vec::new();
    let mut depth: Vec<char> = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                cur.push(c);
                loop {
                    match chars.next() {
                        None => return Err("unterminated string".into()),
                        Some('\\') => {
                            cur.push('\\');
                            match chars.next() {
                                Some(e) => cur.push(e),
                                None => return Err("unterminated string".into()),
                            }
                        }
                        Some('\'') => {
                            cur.push('\'');
                            break;
                        }
                        Some(o) => cur.push(o),
                    }
                }
                continue;
            }
            '(' | '[' | '{' => depth.push(c),
            ')' | ']' | '}' => {
                let open = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if depth.pop() != Some(open) {
                    return Err(format!("unbalanced `{c}`"));
                }
            }
            ',' if depth.is_empty() => {
                items.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !depth.is_empty() {
        return Err("unclosed bracket".into());
    }
    if !cur.trim().is_empty() || !items.is_empty() {
        items.push(cur.trim().to_string());
    }
    if items.iter().any(|s| s.is_empty()) {
        return Err("empty item in a comma-separated list".into());
    }
    Ok(items)
}

/// The index just after the bracket that closes the one at `open` (same kind), skipping
/// quoted strings.
fn matching_close(s: &str, open: usize) -> PResult<usize> {
    let bytes = s.as_bytes();
    let (o, c) = match bytes[open] {
        b'(' => (b'(', b')'),
        b'[' => (b'[', b']'),
        _ => (b'{', b'}'),
    };
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'\'' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b if b == o => depth += 1,
            b if b == c => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    Err(format!("unclosed `{}`", o as char))
}

fn parse_box(tok: &str, trace: &mut Trace) -> PResult<BoxId> {
    let mut chars = tok.chars();
    let ty = chars.next().and_then(prefix_type).ok_or_else(|| format!("`{tok}` is not a box name"))?;
    let digits = chars.as_str();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{tok}` is not a box name (a type letter i, f or p and a number)"));
    }
    let n: u32 = digits.parse().map_err(|_| format!("box number `{digits}` too large"))?;
    if n > MAX_BOX {
        return Err(format!("box number {n} too large"));
    }
    let b = BoxId(n);
    match trace.box_type(b) {
        Some(t) if t != ty => Err(format!(
            "box number {n} used with two types (`{}{n}` and `{tok}`)",
            t.box_prefix()
        )),
        _ => {
            trace.declare_box(b, ty);
            Ok(b)
        }
    }
}

fn parse_int(tok: &str) -> PResult<i64> {
    let (neg, body) = match tok.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, tok),
    };
    let mag: i128 = if let Some(hex) = body.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).map_err(|_| format!("bad integer `{tok}`"))?
    } else {
        body.parse::<i128>().map_err(|_| format!("bad integer `{tok}`"))?
    };
    let v = if neg { -mag } else { mag };
    i64::try_from(v).map_err(|_| format!("integer `{tok}` does not fit in 64 bits"))
}

fn parse_u64(tok: &str) -> PResult<u64> {
    if let Some(hex) = tok.strip_prefix("0x") {
        u64::from_str_radix(hex, 16).map_err(|_| format!("bad address `{tok}`"))
    } else {
        tok.parse::<u64>().map_err(|_| format!("bad address `{tok}`"))
    }
}

fn parse_const(tok: &str) -> PResult<Const> {
    if tok == "NULL" {
        return Ok(Const::Ref(0));
    }
    if let Some(inner) = tok.strip_prefix("ConstPtr(").and_then(|t| t.strip_suffix(')')) {
        return Ok(Const::Ref(parse_u64(inner.trim())?));
    }
    if let Some(inner) = tok.strip_prefix("ConstFloat(").and_then(|t| t.strip_suffix(')')) {
        return Ok(Const::Float(parse_u64(inner.trim())?));
    }
    match tok {
        "nan" => return Ok(Const::float(f64::NAN)),
        "inf" => return Ok(Const::float(f64::INFINITY)),
        "-inf" => return Ok(Const::float(f64::NEG_INFINITY)),
        _ => {}
    }
    let is_hex = tok.trim_start_matches('-').starts_with("0x");
    if !is_hex && (tok.contains('.') || tok.contains('e') || tok.contains('E')) {
        let x: f64 = tok.parse().map_err(|_| format!("bad float `{tok}`"))?;
        return Ok(Const::float(x));
    }
    Ok(Const::Int(parse_int(tok)?))
}

fn parse_value(tok: &str, trace: &mut Trace) -> PResult<Value> {
    match tok.chars().next() {
        Some('i' | 'f' | 'p') if tok[1..].bytes().next().is_some_and(|b| b.is_ascii_digit()) => {
            Ok(Value::Box(parse_box(tok, trace)?))
        }
        Some(_) => Ok(Value::Const(parse_const(tok)?)),
        None => Err("empty operand".into()),
    }
}

fn parse_string(tok: &str) -> PResult<String> {
    let inner = tok
        .strip_prefix('\'')
        .and_then(|t| t.strip_suffix('\''))
        .ok_or_else(|| format!("bad string literal {tok}"))?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(e @ ('\\' | '\'')) => out.push(e),
                _ => return Err(format!("bad escape in {tok}")),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

fn lookup_descr(name: &str, descrs: &mut DescrTable) -> PResult<DescrId> {
    if let Some(n) = name.strip_prefix("TargetToken(").and_then(|t| t.strip_suffix(')')) {
        let n: u32 = n.trim().parse().map_err(|_| format!("bad target token `{name}`"))?;
        return Ok(descrs.target(n));
    }
    descrs.lookup(name).ok_or_else(|| format!("unknown descriptor `{name}` (declare it with `descr {name}: ...`)"))
}

fn parse_op(line: &str, trace: &mut Trace, descrs: &mut DescrTable) -> PResult<Op> {
    let open = line.find('(').ok_or("an op needs `(`")?;
    let head = &line[..open];
    let (result, name) = match head.split_once('=') {
        Some((lhs, name)) => (Some(parse_box(lhs.trim(), trace)?), name.trim()),
        None => (None, head.trim()),
    };
    let opcode = OpCode::from_name(name).ok_or_else(|| format!("unknown op `{name}`"))?;
    let close = matching_close(line, open)?;
    let mut op = Op::new(opcode, vec![], result);
    for tok in split_top(&line[open + 1..close - 1])? {
        if let Some(dname) = tok.strip_prefix("descr=") {
            if op.descr.is_some() {
                return Err("two descriptors".into());
            }
            op.descr = Some(lookup_descr(dname.trim(), descrs)?);
        } else if tok.starts_with('\'') {
            if opcode != OpCode::DebugMergePoint || op.extra != OpExtra::None {
                return Err("a string is only allowed as the location of debug_merge_point".into());
            }
            op.extra = OpExtra::Location(parse_string(&tok)?.into());
        } else if op.descr.is_some() {
            return Err("`descr=` must be the last argument".into());
        } else {
            op.args.push(parse_value(&tok, trace)?);
        }
    }
    let mut tail = line[close..].trim();
    if tail.starts_with('[') {
        let end = matching_close(tail, 0)?;
        let mut resume = parse_frames(&tail[1..end - 1], trace)?;
        tail = tail[end..].trim();
        if tail.starts_with('{') {
            let end = matching_close(tail, 0)?;
            resume.virtuals = parse_virtuals(&tail[1..end - 1], trace, descrs)?;
            tail = tail[end..].trim();
        }
        if op.extra != OpExtra::None {
            return Err("resume data on debug_merge_point".into());
        }
        op.extra = OpExtra::Resume(Box::new(resume));
    }
    if !tail.is_empty() && !tail.starts_with('#') {
        return Err(format!("unexpected text after the op: `{tail}`"));
    }
    Ok(op)
}

fn parse_resume_value(tok: &str, trace: &mut Trace) -> PResult<ResumeValue> {
    if let Some(n) = tok.strip_prefix('v') {
        let n: u32 = n.parse().map_err(|_| format!("bad virtual `{tok}`"))?;
        return Ok(ResumeValue::Virtual(n));
    }
    Ok(ResumeValue::Value(parse_value(tok, trace)?))
}

fn parse_frames(s: &str, trace: &mut Trace) -> PResult<ResumeData> {
    let mut frames = Vec::new();
    for part in s.split(';') {
        let mut part = part.trim();
        let mut pos = None;
        if let Some(rest) = part.strip_prefix('@') {
            let (p, values) = rest.split_once(' ').unwrap_or((rest, ""));
            let (j, pc) = p.split_once(':').ok_or("a frame position is `@jitcode:pc`")?;
            let jitcode = j.parse().map_err(|_| format!("bad jitcode number `{j}`"))?;
            let pc = pc.parse().map_err(|_| format!("bad pc `{pc}`"))?;
            pos = Some(ResumePos { jitcode, pc });
            part = values.trim();
        }
        let mut values = Vec::new();
        for tok in split_top(part)? {
            values.push(parse_resume_value(&tok, trace)?);
        }
        frames.push(FrameSnapshot { pos, values });
    }
    Ok(ResumeData { frames, virtuals: vec![] })
}

fn parse_virtuals(s: &str, trace: &mut Trace, descrs: &mut DescrTable) -> PResult<Vec<VirtualInfo>> {
    let mut out = Vec::new();
    for (i, item) in split_top(s)?.into_iter().enumerate() {
        let (name, body) = item.split_once(':').ok_or("a virtual is `vN: struct(...)` or `vN: array(...)`")?;
        if name.trim() != format!("v{i}") {
            return Err(format!("virtuals must be numbered in order: expected v{i}, found {}", name.trim()));
        }
        let body = body.trim();
        let open = body.find('(').ok_or("a virtual needs `(`")?;
        let close = matching_close(body, open)?;
        if close != body.len() {
            return Err(format!("unexpected text after virtual v{i}"));
        }
        let parts = split_top(&body[open + 1..close - 1])?;
        let (first, rest) = parts.split_first().ok_or("a virtual names its descriptor first")?;
        let descr = lookup_descr(first, descrs)?;
        out.push(match &body[..open] {
            "struct" => {
                let mut fields = Vec::new();
                for p in rest {
                    let (f, v) = p.split_once('=').ok_or("a virtual's field is `descr=value`")?;
                    fields.push((lookup_descr(f.trim(), descrs)?, parse_resume_value(v.trim(), trace)?));
                }
                VirtualInfo::Struct { descr, fields }
            }
            "array" => {
                let items = rest.iter().map(|p| parse_resume_value(p, trace)).collect::<PResult<_>>()?;
                VirtualInfo::Array { descr, items }
            }
            other => return Err(format!("unknown virtual kind `{other}`")),
        });
    }
    Ok(out)
}

fn parse_pure_result(rest: &str) -> PResult<PureResult> {
    let s = format!("({rest}");
    let close = matching_close(&s, 0)?;
    let args = split_top(&s[1..close - 1])?.iter().map(|t| parse_const(t)).collect::<PResult<Vec<_>>>()?;
    let result = s[close..].trim().strip_prefix('=').ok_or("expected `call_pure_result(args) = value`")?;
    Ok(PureResult { args, result: parse_const(result.trim())? })
}

fn parse_type(s: &str) -> PResult<Type> {
    let mut chars = s.chars();
    match (chars.next().and_then(Type::from_letter), chars.next()) {
        (Some(t), None) => Ok(t),
        _ => Err(format!("bad type `{s}` (expected i, f or r)")),
    }
}

fn parse_num<T: std::str::FromStr>(key: &str, v: Option<&str>) -> PResult<T> {
    let v = v.ok_or_else(|| format!("`{key}` needs a value"))?;
    v.parse().map_err(|_| format!("bad value `{v}` for `{key}`"))
}

fn parse_descr_list(v: &str, descrs: &mut DescrTable) -> PResult<Option<Vec<DescrId>>> {
    if v == "all" {
        return Ok(None);
    }
    let inner = v
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .ok_or_else(|| format!("expected `all` or `[descr, ...]`, found `{v}`"))?;
    let names = split_top(inner)?;
    names.iter().map(|n| lookup_descr(n, descrs)).collect::<PResult<Vec<_>>>().map(Some)
}

fn parse_descr_decl(decl: &str, descrs: &mut DescrTable) -> PResult<()> {
    let (name, body) = decl.split_once(':').ok_or("expected `descr NAME: kind(...)`")?;
    let name = name.trim();
    if name.is_empty() || name.starts_with("TargetToken(") || name.contains(['=', ',', ' ']) {
        return Err(format!("bad descriptor name `{name}`"));
    }
    let body = body.trim();
    let open = body.find('(').ok_or("expected `kind(...)`")?;
    let close = matching_close(body, open)?;
    if close != body.len() {
        return Err("unexpected text after the descriptor".into());
    }
    let kind_name = &body[..open];
    let mut keys: Vec<(String, Option<String>)> = Vec::new();
    for item in split_top(&body[open + 1..close - 1])? {
        match item.split_once('=') {
            Some((k, v)) => keys.push((k.trim().to_string(), Some(v.trim().to_string()))),
            None => keys.push((item, None)),
        }
    }
    let get = |k: &str| keys.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_deref());
    let flag = |k: &str| get(k).is_some();
    let allowed: &[&str] = match kind_name {
        "field" => &["offset", "size", "type", "unsigned", "immutable", "quasi_immutable"],
        "array" => &["base", "len", "item_size", "type", "unsigned", "immutable", "type_id"],
        "size" => &["size", "type_id", "vtable"],
        "call" => &[
            "args", "result", "can_raise", "can_collect", "elidable", "loop_invariant",
            "can_invalidate", "reads", "writes",
        ],
        other => return Err(format!("unknown descriptor kind `{other}`")),
    };
    for (k, _) in &keys {
        if !allowed.contains(&k.as_str()) {
            return Err(format!("unknown key `{k}` in a {kind_name} descriptor"));
        }
    }
    let kind = match kind_name {
        "field" => {
            let mutability = match (flag("immutable"), flag("quasi_immutable")) {
                (false, false) => Mutability::Mutable,
                (true, false) => Mutability::Immutable,
                (false, true) => Mutability::QuasiImmutable,
                (true, true) => return Err("a field cannot be both immutable and quasi_immutable".into()),
            };
            DescrKind::Field(FieldDescr {
                offset: parse_num("offset", get("offset").flatten())?,
                size: parse_num("size", get("size").flatten())?,
                ty: parse_type(get("type").flatten().ok_or("`type` needed")?)?,
                signed: !flag("unsigned"),
                mutability,
            })
        }
        "array" => DescrKind::Array(ArrayDescr {
            base_offset: parse_num("base", get("base").flatten())?,
            len_offset: parse_num("len", get("len").flatten())?,
            item_size: parse_num("item_size", get("item_size").flatten())?,
            item_ty: parse_type(get("type").flatten().ok_or("`type` needed")?)?,
            signed: !flag("unsigned"),
            immutable_items: flag("immutable"),
            type_id: match get("type_id") {
                None => None,
                Some(v) => Some(parse_num("type_id", v)?),
            },
        }),
        "size" => DescrKind::Size(SizeDescr {
            size: parse_num("size", get("size").flatten())?,
            type_id: parse_num("type_id", get("type_id").flatten())?,
            vtable: match get("vtable") {
                None => None,
                Some(v) => Some(parse_u64(v.ok_or("`vtable` needs a value")?)?),
            },
        }),
        _ => {
            let args_s = get("args").flatten().ok_or("`args` needed")?;
            let inner = args_s
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .ok_or("`args` is a list `[i, r, ...]`")?;
            let args = split_top(inner)?.iter().map(|t| parse_type(t)).collect::<PResult<Vec<_>>>()?;
            let result = match get("result").flatten().ok_or("`result` needed")? {
                "void" => None,
                t => Some(parse_type(t)?),
            };
            let extras = [
                ("elidable", ExtraEffect::Elidable),
                ("loop_invariant", ExtraEffect::LoopInvariant),
                ("can_invalidate", ExtraEffect::CanInvalidate),
            ];
            let mut extra = ExtraEffect::None;
            for (k, e) in extras {
                if flag(k) {
                    if extra != ExtraEffect::None {
                        return Err("at most one of elidable, loop_invariant, can_invalidate".into());
                    }
                    extra = e;
                }
            }
            let reads = match get("reads").flatten() {
                None => None,
                Some(v) => parse_descr_list(v, descrs)?,
            };
            let writes = match get("writes").flatten() {
                None => None,
                Some(v) => parse_descr_list(v, descrs)?,
            };
            DescrKind::Call(CallDescr {
                args,
                result,
                effect: EffectInfo {
                    can_raise: flag("can_raise"),
                    can_collect: flag("can_collect"),
                    extra,
                    reads,
                    writes,
                },
            })
        }
    };
    descrs.add(name, kind)?;
    Ok(())
}
