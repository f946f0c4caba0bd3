//! The high-level (flow) op set and the `Hl` dialect of the graph model: operations as
//! Python spells them, before types are known. Constants are import-time values.

use std::fmt::Write as _;
use std::sync::Arc;

use kiln_flowgraph::Dialect;
use kiln_frontend::ops::{BinOp, CmpOp};
use kiln_frontend::{Heap, Object, Value};

/// The shape of a call: how many positional arguments, then the keyword names of the
/// remaining arguments, in order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CallShape {
    pub npos: u32,
    pub kwnames: Vec<Arc<str>>,
}

impl CallShape {
    pub fn positional(n: usize) -> CallShape {
        CallShape { npos: n as u32, kwnames: Vec::new() }
    }
}

/// A high-level operation.
#[derive(Clone, Debug, PartialEq)]
pub enum HlOp {
    /// `a OP b`
    Bin(BinOp),
    /// `a OP= b`: lists extend in place; other types compute `a OP b`.
    Inplace(BinOp),
    Neg,
    Pos,
    Invert,
    /// `not a`
    Not,
    /// `bool(a)`: the truth value, used for switches.
    IsTrue,
    /// `a CMP b`; for `in`/`not in` the arguments are (item, container).
    Cmp(CmpOp),
    GetItem,
    SetItem,
    DelItem,
    /// `(obj, start, stop, step)`, None for an absent bound.
    GetSlice,
    /// `(obj, start, stop, value)`
    SetSlice,
    GetAttr(Arc<str>),
    SetAttr(Arc<str>),
    /// `(callee, args...)`
    Call(CallShape),
    /// `(receiver, args...)`: `receiver.name(args...)`.
    CallMethod(Arc<str>, CallShape),
    NewList,
    NewTuple,
    /// `(k0, v0, k1, v1, ...)`
    NewDict,
    Iter,
    /// Raises StopIteration at the end.
    Next,
    /// The class of an exception instance, for raising.
    TypeOf,
    /// `isinstance(evalue, class)` in an exception handler's dispatch.
    ExcMatch,
    /// `format(value, spec)` with an f-string conversion (`s`, `r`, or none).
    Format { conversion: Option<char>, spec: Arc<str> },
    /// Concatenates its (string) arguments.
    BuildString,
    /// `(fmt, v0, v1, ...)`: `fmt % {k0: v0, k1: v1, ...}` with a dict display of constant
    /// str keys (the keys here, in display order, repeats included). The dict is never
    /// built: its values go to the formatting as a record, so they may have different
    /// types (RPython's annotator would need one value type).
    PercentMap(Arc<[Arc<str>]>),
}

impl HlOp {
    /// Whether the op can raise, so that inside `try` it must end its block. As in
    /// CPython, every operation that may allocate can raise `MemoryError` (a list or
    /// string built by `+`, `*`, a literal, a comprehension step, an f-string, an
    /// iterator...), and attribute access, `+`, `*`, `in` and `iter` raise when an
    /// operand is None (the RTyper's null checks, see `kiln_annotator::nullness`), so
    /// nearly every op can: the RTyper drops the handlers of an op whose lowering turns
    /// out not to raise (`int + int`). Only the ops below never allocate and never raise,
    /// whatever their operands' types (ints, floats, bools and pointer identity); an op
    /// that may dispatch to a special method or get a null check must not be listed.
    pub fn can_raise(&self) -> bool {
        !matches!(self, HlOp::Not | HlOp::IsTrue | HlOp::Neg | HlOp::Pos | HlOp::Invert | HlOp::TypeOf | HlOp::ExcMatch | HlOp::Cmp(CmpOp::Is | CmpOp::IsNot))
    }

    pub fn name(&self) -> String {
        match self {
            HlOp::Bin(op) => bin_name(*op).to_string(),
            HlOp::Inplace(op) => format!("inplace_{}", bin_name(*op)),
            HlOp::Neg => "neg".into(),
            HlOp::Pos => "pos".into(),
            HlOp::Invert => "invert".into(),
            HlOp::Not => "not_".into(),
            HlOp::IsTrue => "is_true".into(),
            HlOp::Cmp(c) => match c {
                CmpOp::Eq => "eq",
                CmpOp::Ne => "ne",
                CmpOp::Lt => "lt",
                CmpOp::Le => "le",
                CmpOp::Gt => "gt",
                CmpOp::Ge => "ge",
                CmpOp::Is => "is_",
                CmpOp::IsNot => "is_not",
                CmpOp::In => "contains",
                CmpOp::NotIn => "not_contains",
            }
            .into(),
            HlOp::GetItem => "getitem".into(),
            HlOp::SetItem => "setitem".into(),
            HlOp::DelItem => "delitem".into(),
            HlOp::GetSlice => "getslice".into(),
            HlOp::SetSlice => "setslice".into(),
            HlOp::GetAttr(n) => format!("getattr[{n}]"),
            HlOp::SetAttr(n) => format!("setattr[{n}]"),
            HlOp::Call(s) => {
                if s.kwnames.is_empty() {
                    "call".into()
                } else {
                    format!("call[{}]", s.kwnames.join(","))
                }
            }
            HlOp::CallMethod(n, s) => {
                if s.kwnames.is_empty() {
                    format!("call_method[{n}]")
                } else {
                    format!("call_method[{n}; {}]", s.kwnames.join(","))
                }
            }
            HlOp::NewList => "newlist".into(),
            HlOp::NewTuple => "newtuple".into(),
            HlOp::NewDict => "newdict".into(),
            HlOp::Iter => "iter".into(),
            HlOp::Next => "next".into(),
            HlOp::TypeOf => "type".into(),
            HlOp::ExcMatch => "exc_match".into(),
            HlOp::Format { conversion, spec } => match conversion {
                Some(c) => format!("format[!{c}{}{spec}]", if spec.is_empty() { "" } else { ":" }),
                None => format!("format[{spec}]"),
            },
            HlOp::BuildString => "build_string".into(),
            HlOp::PercentMap(keys) => format!("mod_mapping[{}]", keys.join(",")),
        }
    }
}

fn bin_name(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "add",
        BinOp::Sub => "sub",
        BinOp::Mul => "mul",
        BinOp::TrueDiv => "truediv",
        BinOp::FloorDiv => "floordiv",
        BinOp::Mod => "mod",
        BinOp::Pow => "pow",
        BinOp::LShift => "lshift",
        BinOp::RShift => "rshift",
        BinOp::BitAnd => "and_",
        BinOp::BitOr => "or_",
        BinOp::BitXor => "xor",
    }
}

/// The flow-graph dialect.
#[derive(Clone, Debug, PartialEq)]
pub struct Hl;

impl Dialect for Hl {
    type Op = HlOp;
    type Const = Value;
    type VarType = ();
    type Cx = Heap;

    fn write_op(_: &Heap, op: &HlOp, out: &mut String) {
        out.push_str(&op.name());
    }

    fn write_const(heap: &Heap, c: &Value, out: &mut String) {
        write_value(heap, c, out, 0);
    }

    fn write_type(_: &Heap, _: &(), _: &mut String) {}

    fn op_can_raise(op: &HlOp) -> bool {
        op.can_raise()
    }
}

/// Writes a constant deterministically (no object ids except for mutable prebuilts).
pub fn write_value(heap: &Heap, v: &Value, out: &mut String, depth: usize) {
    let _ = match v {
        Value::None => write!(out, "None"),
        Value::Bool(b) => write!(out, "{}", if *b { "True" } else { "False" }),
        Value::Int(i) => write!(out, "{i}"),
        Value::UInt(u) => write!(out, "r_uint({u})"),
        Value::Float(f) => write!(out, "{}", kiln_frontend::ops::float_repr(*f)),
        Value::Str(s) => write!(out, "{}", kiln_frontend::ops::str_repr(s)),
        Value::Bytes(b) => write!(out, "{}", kiln_frontend::ops::bytes_repr(b)),
        Value::Obj(id) => match heap.get(*id) {
            Object::Function(f) => write!(out, "<function {}>", f.qualname),
            Object::Class(c) => write!(out, "<class {}>", c.qualname),
            Object::Module(m) => write!(out, "<module {}>", m.name),
            Object::Builtin(b) => write!(out, "<builtin {}>", b.name()),
            Object::BuiltinType(t) => write!(out, "<type {}>", t.name()),
            Object::Tuple(items) if depth < 3 => {
                out.push('(');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_value(heap, it, out, depth + 1);
                }
                if items.len() == 1 {
                    out.push(',');
                }
                write!(out, ")")
            }
            Object::Instance(i) => write!(out, "<prebuilt {}#{}>", heap.class(i.class).map_or("?", |c| &*c.name), id.0),
            Object::JitDriver(d) => write!(out, "<jitdriver {}>", d.name),
            _ => write!(out, "<prebuilt {}#{}>", heap.type_name(v), id.0),
        },
    };
}
