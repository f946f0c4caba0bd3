//! The trace verifier. It runs after every optimizer pass in debug builds; an error is a
//! bug in whoever made the trace, never the user's.
//!
//! Invariants checked:
//! - every box has a type; the input boxes are distinct;
//! - SSA: every box is defined once (input box or op result) and before each use, in
//!   arguments and in resume data; after a `label` only its arguments (and constants) are
//!   live, and a `label`'s arguments are distinct boxes live at that point;
//! - each op has the arity and argument types of its signature, the result its table entry
//!   (or its descriptor, for `getfield_*`, `getarrayitem_*`, `call_*`) says, and the kind of
//!   descriptor it needs; `setfield_gc`/`setarrayitem_gc` store the descriptor's type;
//!   `new_with_vtable`'s size descriptor has a vtable; `call_pure_*` calls are elidable;
//! - `guard_value` compares with a constant of the same type; `guard_class`,
//!   `guard_nonnull_class` and `guard_exception` name a constant class;
//! - every guard has resume data with at least one frame, whose virtual references are in
//!   range; no other op has any; `debug_merge_point` has constant ints and a location;
//! - an `_ovf` op is directly followed by `guard_no_overflow` or `guard_overflow`, and those
//!   guards directly follow an `_ovf` op;
//! - the trace ends with `jump` or `finish` and has no other; a `jump` to a label of this
//!   trace passes as many values of the same types as that label takes.

use std::collections::HashSet;
use std::fmt;

use crate::descr::{DescrKind, DescrTable};
use crate::ir::{BoxId, Op, OpExtra, Trace, Type, Value};
use crate::opcode::{DescrReq, OpCode};
use crate::print::op_str;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    /// Index of the offending op, `None` for the trace as a whole.
    pub op: Option<usize>,
    pub message: String,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.op {
            Some(i) => write!(f, "op {i}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Checks every invariant listed in the module documentation.
pub fn verify(trace: &Trace, descrs: &DescrTable) -> Result<(), VerifyError> {
    Verifier { trace, descrs, live: HashSet::new(), defined: HashSet::new() }.run()
}

/// Verifies and, on failure, renders the error inline on the printed trace.
pub fn verify_rendered(trace: &Trace, descrs: &DescrTable) -> Result<(), String> {
    verify(trace, descrs).map_err(|e| {
        let mut out = format!("trace verifier: {e}\n");
        for (i, op) in trace.ops.iter().enumerate() {
            out.push_str(&op_str(trace, descrs, op));
            out.push('\n');
            if e.op == Some(i) {
                out.push_str(&format!("^^^ {}\n", e.message));
            }
        }
        out
    })
}

struct Verifier<'a> {
    trace: &'a Trace,
    descrs: &'a DescrTable,
    /// Boxes usable at the current point.
    live: HashSet<BoxId>,
    /// Boxes defined anywhere so far (SSA: at most once).
    defined: HashSet<BoxId>,
}

fn ty_name(t: Option<Type>) -> &'static str {
    match t {
        Some(Type::Int) => "int",
        Some(Type::Float) => "float",
        Some(Type::Ref) => "ref",
        None => "nothing",
    }
}

impl Verifier<'_> {
    fn run(&mut self) -> Result<(), VerifyError> {
        let whole = |message: String| VerifyError { op: None, message };
        for &b in &self.trace.inputargs {
            if self.trace.box_type(b).is_none() {
                return Err(whole(format!("input box {} has no type", b.0)));
            }
            if !self.defined.insert(b) {
                return Err(whole(format!("input box {} listed twice", b.0)));
            }
            self.live.insert(b);
        }
        let n = self.trace.ops.len();
        match self.trace.ops.last() {
            Some(op) if matches!(op.opcode, OpCode::Jump | OpCode::Finish) => {}
            _ => return Err(whole("the trace must end with jump or finish".into())),
        }
        for (i, op) in self.trace.ops.iter().enumerate() {
            let err = |message: String| VerifyError { op: Some(i), message };
            if matches!(op.opcode, OpCode::Jump | OpCode::Finish) && i + 1 != n {
                return Err(err(format!("{} before the end of the trace", op.opcode)));
            }
            let prev = i.checked_sub(1).map(|j| self.trace.ops[j].opcode);
            let next = self.trace.ops.get(i + 1).map(|o| o.opcode);
            if op.opcode.is_ovf() && !matches!(next, Some(OpCode::GuardNoOverflow | OpCode::GuardOverflow)) {
                return Err(err(format!("{} not followed by guard_no_overflow or guard_overflow", op.opcode)));
            }
            if matches!(op.opcode, OpCode::GuardNoOverflow | OpCode::GuardOverflow)
                && !prev.is_some_and(OpCode::is_ovf)
            {
                return Err(err(format!("{} does not follow an _ovf op", op.opcode)));
            }
            self.check_op(op).map_err(err)?;
        }
        Ok(())
    }

    fn use_value(&self, v: Value) -> Result<Option<Type>, String> {
        match v {
            Value::Const(c) => Ok(Some(c.ty())),
            Value::Box(b) => {
                let ty = self.trace.box_type(b).ok_or_else(|| format!("box {} has no type", b.0))?;
                if !self.live.contains(&b) {
                    let name = format!("{}{}", ty.box_prefix(), b.0);
                    return Err(if self.defined.contains(&b) {
                        format!("{name} is used after a label that does not pass it")
                    } else {
                        format!("{name} is used before it is defined")
                    });
                }
                Ok(Some(ty))
            }
        }
    }

    fn check_op(&mut self, op: &Op) -> Result<(), String> {
        let info = op.opcode.info();
        let sig = info.args.as_bytes();
        let variadic = sig.last() == Some(&b'*');
        let fixed = if variadic { &sig[..sig.len() - 1] } else { sig };
        if op.args.len() < fixed.len() || (!variadic && op.args.len() != fixed.len()) {
            return Err(format!("{} takes {} arguments, not {}", op.opcode, fixed.len(), op.args.len()));
        }
        let mut arg_types = Vec::with_capacity(op.args.len());
        for (k, &a) in op.args.iter().enumerate() {
            let t = self.use_value(a)?;
            if let Some(&letter) = fixed.get(k) {
                let want = match letter {
                    b'i' => Some(Type::Int),
                    b'f' => Some(Type::Float),
                    b'r' => Some(Type::Ref),
                    _ => None,
                };
                if want.is_some() && t != want {
                    return Err(format!("argument {k} of {} must be {}, not {}", op.opcode, ty_name(want), ty_name(t)));
                }
            }
            arg_types.push(t);
        }

        // Descriptor kind.
        let descr = op.descr.map(|d| {
            if self.descrs.contains(d) { Ok(&self.descrs.get(d).kind) } else { Err(format!("unknown descriptor {}", d.0)) }
        });
        let descr = descr.transpose()?;
        let kind_ok = match (info.descr, descr) {
            (DescrReq::None, None) | (DescrReq::Optional, _) => true,
            (DescrReq::Field, Some(DescrKind::Field(_))) => true,
            (DescrReq::Array, Some(DescrKind::Array(_))) => true,
            (DescrReq::Size, Some(DescrKind::Size(_))) => true,
            (DescrReq::SizeVtable, Some(DescrKind::Size(s))) => s.vtable.is_some(),
            (DescrReq::Call, Some(DescrKind::Call(_))) => true,
            (DescrReq::Target, Some(DescrKind::Target(_))) => true,
            _ => false,
        };
        if !kind_ok {
            return Err(format!("{} needs a descriptor of kind {:?}", op.opcode, info.descr));
        }

        // Result type.
        let want_result = match (op.opcode, descr) {
            (
                OpCode::GetfieldGcI
                | OpCode::GetfieldGcR
                | OpCode::GetfieldGcF
                | OpCode::GetfieldRawI
                | OpCode::GetfieldRawR
                | OpCode::GetfieldRawF,
                Some(DescrKind::Field(f)),
            ) => {
                if Some(f.ty) != info.result {
                    return Err(format!("{} reads a field of type {}", op.opcode, ty_name(Some(f.ty))));
                }
                info.result
            }
            (
                OpCode::GetarrayitemGcI
                | OpCode::GetarrayitemGcR
                | OpCode::GetarrayitemGcF
                | OpCode::GetarrayitemRawI
                | OpCode::GetarrayitemRawR
                | OpCode::GetarrayitemRawF,
                Some(DescrKind::Array(a)),
            ) => {
                if Some(a.item_ty) != info.result {
                    return Err(format!("{} reads items of type {}", op.opcode, ty_name(Some(a.item_ty))));
                }
                info.result
            }
            _ => info.result,
        };
        let got_result = op.result.map(|b| self.trace.box_type(b));
        match (want_result, got_result) {
            (None, None) => {}
            (Some(_), None) => return Err(format!("{} has a result", op.opcode)),
            (None, Some(_)) => return Err(format!("{} has no result", op.opcode)),
            (Some(w), Some(g)) if Some(w) != g => {
                return Err(format!("the result of {} is {}, not {}", op.opcode, ty_name(Some(w)), ty_name(g)))
            }
            _ => {}
        }

        match (op.opcode, descr) {
            (OpCode::SetfieldGc | OpCode::SetfieldRaw, Some(DescrKind::Field(f))) if arg_types[1] != Some(f.ty) => {
                return Err(format!("{} stores {} into a {} field", op.opcode, ty_name(arg_types[1]), ty_name(Some(f.ty))));
            }
            (OpCode::SetarrayitemGc, Some(DescrKind::Array(a))) if arg_types[2] != Some(a.item_ty) => {
                return Err(format!("setarrayitem_gc stores {} into {} items", ty_name(arg_types[2]), ty_name(Some(a.item_ty))));
            }
            (_, Some(DescrKind::Call(c))) => {
                let got = &arg_types[1..];
                if got.len() != c.args.len() || got.iter().zip(&c.args).any(|(g, w)| *g != Some(*w)) {
                    return Err(format!("{} arguments do not match the call descriptor", op.opcode));
                }
                if c.result != info.result {
                    return Err(format!("{} but the call descriptor returns {}", op.opcode, ty_name(c.result)));
                }
                if op.opcode.is_call_pure() && !c.effect.is_elidable() {
                    return Err(format!("{} of a call that is not elidable", op.opcode));
                }
            }
            _ => {}
        }

        match op.opcode {
            OpCode::GuardValue => {
                if op.args[1].as_const().is_none() || arg_types[0] != arg_types[1] {
                    return Err("guard_value compares a value with a constant of its type".into());
                }
            }
            OpCode::GuardClass | OpCode::GuardNonnullClass if op.args[1].as_const().is_none() => {
                return Err(format!("{} needs a constant class", op.opcode));
            }
            OpCode::GuardException if op.args[0].as_const().is_none() => {
                return Err("guard_exception needs a constant class".into());
            }
            OpCode::DebugMergePoint => {
                if op.args.iter().any(|a| a.as_const().is_none()) || !matches!(op.extra, OpExtra::Location(_)) {
                    return Err("debug_merge_point takes two constant ints and a location".into());
                }
            }
            _ => {}
        }

        // Resume data.
        match (&op.extra, op.opcode.is_guard()) {
            (OpExtra::Resume(r), true) => {
                if r.frames.is_empty() {
                    return Err("a guard's resume data needs at least one frame".into());
                }
                let mut res = Ok(());
                r.for_each_value(&mut |v| {
                    if res.is_ok() {
                        res = self.use_value(v).map(|_| ());
                    }
                });
                res.map_err(|e| format!("in resume data: {e}"))?;
                let n = r.virtuals.len() as u32;
                let mut bad = None;
                r.for_each_virtual_ref(&mut |i| {
                    if i >= n {
                        bad = Some(i);
                    }
                });
                if let Some(i) = bad {
                    return Err(format!("resume data refers to v{i}, which it does not describe"));
                }
            }
            (_, true) => return Err(format!("{} has no resume data", op.opcode)),
            (OpExtra::Resume(_), false) => return Err(format!("{} has resume data", op.opcode)),
            _ => {}
        }

        // Control flow and definitions.
        match op.opcode {
            OpCode::Label => {
                let mut seen = HashSet::new();
                let mut types = Vec::new();
                for &a in &op.args {
                    match a {
                        Value::Box(b) if seen.insert(b) => types.push(self.trace.box_type(b)),
                        _ => return Err("a label's arguments must be distinct boxes".into()),
                    }
                }
                self.live = seen;
            }
            OpCode::Jump => {
                let target = op.descr.ok_or("jump without target")?;
                let label = self.trace.ops.iter().find(|o| o.opcode == OpCode::Label && o.descr == Some(target));
                if let Some(label) = label {
                    if label.args.len() != op.args.len() {
                        return Err(format!("jump passes {} values to a label of {}", op.args.len(), label.args.len()));
                    }
                    for (k, (&j, &l)) in op.args.iter().zip(&label.args).enumerate() {
                        if self.trace.value_type(j) != self.trace.value_type(l) {
                            return Err(format!("jump argument {k} has another type than the label's"));
                        }
                    }
                }
            }
            _ => {}
        }
        if let Some(r) = op.result {
            if !self.defined.insert(r) {
                return Err(format!("box {} defined twice", r.0));
            }
            self.live.insert(r);
        }
        Ok(())
    }
}
