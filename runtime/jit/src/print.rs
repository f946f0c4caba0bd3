//! The deterministic printer of traces and descriptor tables (the parser reads it back).
//!
//! ```text
//! descr Cell.value: field(offset=8, size=8, type=i)
//! [i0, p1]
//! label(i0, p1, descr=TargetToken(1))
//! debug_merge_point(0, 0, '#12 ADD')
//! i2 = int_add_ovf(i0, 1)
//! guard_no_overflow() [i0, p1]
//! i3 = getfield_gc_i(p1, descr=Cell.value)
//! jump(i2, p1, descr=TargetToken(1))
//! ```

use std::fmt::Write;

use crate::descr::{DescrId, DescrKind, DescrTable, ExtraEffect, Mutability};
use crate::ir::{BoxId, Const, Op, OpExtra, Trace, Type, Value};
use crate::opcode::OpCode;
use crate::resume::{ResumeData, ResumeValue, VirtualInfo};

/// Prints the declarations of every descriptor except loop targets (which `label` and
/// `jump` name as `TargetToken(n)` and the parser creates on first use).
pub fn print_descrs(table: &DescrTable) -> String {
    let mut out = String::new();
    for (_, d) in table.iter() {
        let body = match &d.kind {
            DescrKind::Target(_) => continue,
            DescrKind::Field(f) => {
                let mut s = format!("field(offset={}, size={}, type={}", f.offset, f.size, f.ty.letter());
                if !f.signed {
                    s.push_str(", unsigned");
                }
                match f.mutability {
                    Mutability::Mutable => {}
                    Mutability::Immutable => s.push_str(", immutable"),
                    Mutability::QuasiImmutable => s.push_str(", quasi_immutable"),
                }
                s + ")"
            }
            DescrKind::Array(a) => {
                let mut s = format!(
                    "array(base={}, len={}, item_size={}, type={}",
                    a.base_offset,
                    a.len_offset,
                    a.item_size,
                    a.item_ty.letter()
                );
                if !a.signed {
                    s.push_str(", unsigned");
                }
                if a.immutable_items {
                    s.push_str(", immutable");
                }
                if let Some(tid) = a.type_id {
                    let _ = write!(s, ", type_id={tid}");
                }
                s + ")"
            }
            DescrKind::Size(sz) => {
                let mut s = format!("size(size={}, type_id={}", sz.size, sz.type_id);
                if let Some(vt) = sz.vtable {
                    let _ = write!(s, ", vtable={vt:#x}");
                }
                s + ")"
            }
            DescrKind::Call(c) => {
                let args: Vec<String> = c.args.iter().map(|t| t.letter().to_string()).collect();
                let result = c.result.map_or("void".to_string(), |t| t.letter().to_string());
                let mut s = format!("call(args=[{}], result={result}", args.join(", "));
                let e = &c.effect;
                if e.can_raise {
                    s.push_str(", can_raise");
                }
                if e.can_collect {
                    s.push_str(", can_collect");
                }
                match e.extra {
                    ExtraEffect::None => {}
                    ExtraEffect::Elidable => s.push_str(", elidable"),
                    ExtraEffect::LoopInvariant => s.push_str(", loop_invariant"),
                    ExtraEffect::CanInvalidate => s.push_str(", can_invalidate"),
                }
                let set = |set: &Option<Vec<DescrId>>| match set {
                    None => "all".to_string(),
                    Some(ds) => {
                        let names: Vec<&str> = ds.iter().map(|&d| table.name(d)).collect();
                        format!("[{}]", names.join(", "))
                    }
                };
                let _ = write!(s, ", reads={}, writes={})", set(&e.reads), set(&e.writes));
                s
            }
        };
        let _ = writeln!(out, "descr {}: {body}", d.name);
    }
    out
}

/// Prints a trace: its elidable-call results, its input boxes, then one op per line.
pub fn print_trace(trace: &Trace, descrs: &DescrTable) -> String {
    let mut out = String::new();
    for p in &trace.pure_results {
        let args: Vec<String> = p.args.iter().map(|&c| const_str(c)).collect();
        let _ = writeln!(out, "call_pure_result({}) = {}", args.join(", "), const_str(p.result));
    }
    let inputs: Vec<String> = trace.inputargs.iter().map(|&b| box_str(trace, b)).collect();
    let _ = writeln!(out, "[{}]", inputs.join(", "));
    for op in &trace.ops {
        out.push_str(&op_str(trace, descrs, op));
        out.push('\n');
    }
    out
}

/// Descriptor declarations followed by the trace: the whole text of a test file.
pub fn print_trace_file(trace: &Trace, descrs: &DescrTable) -> String {
    print_descrs(descrs) + &print_trace(trace, descrs)
}

/// One op, without newline.
pub fn op_str(trace: &Trace, descrs: &DescrTable, op: &Op) -> String {
    let mut s = String::new();
    if let Some(r) = op.result {
        let _ = write!(s, "{} = ", box_str(trace, r));
    }
    let mut args: Vec<String> = op.args.iter().map(|&v| value_str(trace, v)).collect();
    if let (OpCode::DebugMergePoint, OpExtra::Location(loc)) = (op.opcode, &op.extra) {
        args.push(string_literal(loc));
    }
    if let Some(d) = op.descr {
        if descrs.contains(d) {
            args.push(format!("descr={}", descrs.name(d)));
        } else {
            args.push(format!("descr=?{}", d.0));
        }
    }
    let _ = write!(s, "{}({})", op.opcode.name(), args.join(", "));
    if let Some(r) = op.resume() {
        s.push(' ');
        s.push_str(&resume_str(trace, descrs, r));
    }
    s
}

pub fn box_str(trace: &Trace, b: BoxId) -> String {
    match trace.box_type(b) {
        Some(ty) => format!("{}{}", ty.box_prefix(), b.0),
        None => format!("?{}", b.0),
    }
}

pub fn value_str(trace: &Trace, v: Value) -> String {
    match v {
        Value::Box(b) => box_str(trace, b),
        Value::Const(c) => const_str(c),
    }
}

pub fn const_str(c: Const) -> String {
    match c {
        Const::Int(v) => v.to_string(),
        Const::Float(bits) => {
            let x = f64::from_bits(bits);
            if x.is_nan() && bits != f64::NAN.to_bits() {
                format!("ConstFloat({bits:#x})")
            } else if x.is_nan() {
                "nan".to_string()
            } else {
                // `{:?}` always shows a `.`, an exponent, or `inf`, so it reads back as a float.
                format!("{x:?}")
            }
        }
        Const::Ref(0) => "NULL".to_string(),
        Const::Ref(addr) => format!("ConstPtr({addr:#x})"),
    }
}

fn string_literal(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn resume_value_str(trace: &Trace, v: ResumeValue) -> String {
    match v {
        ResumeValue::Value(v) => value_str(trace, v),
        ResumeValue::Virtual(i) => format!("v{i}"),
    }
}

fn resume_str(trace: &Trace, descrs: &DescrTable, r: &ResumeData) -> String {
    let frames: Vec<String> = r
        .frames
        .iter()
        .map(|fr| {
            let values: Vec<String> = fr.values.iter().map(|&v| resume_value_str(trace, v)).collect();
            match fr.pos {
                Some(p) if values.is_empty() => format!("@{}:{}", p.jitcode, p.pc),
                Some(p) => format!("@{}:{} {}", p.jitcode, p.pc, values.join(", ")),
                None => values.join(", "),
            }
        })
        .collect();
    let mut s = format!("[{}]", frames.join("; "));
    if !r.virtuals.is_empty() {
        let virtuals: Vec<String> = r
            .virtuals
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                VirtualInfo::Struct { descr, fields } => {
                    let mut parts = vec![descrs.name(*descr).to_string()];
                    for &(f, fv) in fields {
                        parts.push(format!("{}={}", descrs.name(f), resume_value_str(trace, fv)));
                    }
                    format!("v{i}: struct({})", parts.join(", "))
                }
                VirtualInfo::Array { descr, items } => {
                    let mut parts = vec![descrs.name(*descr).to_string()];
                    parts.extend(items.iter().map(|&iv| resume_value_str(trace, iv)));
                    format!("v{i}: array({})", parts.join(", "))
                }
            })
            .collect();
        let _ = write!(s, " {{{}}}", virtuals.join(", "));
    }
    s
}

/// The type a printed box name stands for.
pub fn prefix_type(c: char) -> Option<Type> {
    match c {
        'i' => Some(Type::Int),
        'f' => Some(Type::Float),
        'p' => Some(Type::Ref),
        _ => None,
    }
}
