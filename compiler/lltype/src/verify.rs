//! The low-level program verifier: the graph model's invariants for every function, plus
//! typing against the program's type table. Its errors are bugs in Kiln.
//!
//! Invariants checked, beyond [`kiln_flowgraph::verify_graph`]:
//! 1. Field and array accesses go through a pointer to the struct or array they name (or
//!    to a struct that extends it, for instances of subclasses), and the value read or
//!    written has the field's or item's type.
//! 2. `malloc` produces a pointer to a fixed-size GC struct; `malloc_varsize` a pointer to
//!    a GC array or variable-size GC struct; so do the GC transform's `gc_init_object` and
//!    `gc_malloc_slow`, and `gc_init_varsize` and `gc_malloc_varsize_slow`.
//! 3. `direct_call` calls a function constant with arguments and result of the callee's
//!    types; `indirect_call` a function pointer likewise; `rt_call` passes the kinds the
//!    runtime table declares.
//! 4. The except block's variables are pointers to a vtable and to an object.
//! 5. Every prebuilt object's constants have the types of the fields they fill.

use kiln_flowgraph::{verify_graph, Value};

use crate::ops::{Kind, LlOp};
use crate::program::{kind_of, LlConst, LlProgram, StaticValue};
use crate::types::{LlType, TypeId};

/// Verifies every function and prebuilt object; returns every problem found.
pub fn verify_program(prog: &LlProgram) -> Vec<String> {
    let mut errors = Vec::new();
    for id in prog.func_ids() {
        let f = prog.func(id);
        if let Err(e) = verify_graph(&f.graph) {
            errors.push(e.to_string());
            continue;
        }
        for b in f.graph.reachable_blocks() {
            for op in &f.graph.block(b).ops {
                if let Err(m) = check_typed_op(prog, &f.graph, op) {
                    errors.push(format!("graph {}: {}: {} = {}: {}", f.name, b, f.graph.var_name(op.result), op.op.name(), m));
                }
            }
        }
    }
    for (i, s) in prog.statics.iter().enumerate() {
        if let Err(m) = check_static(prog, s) {
            errors.push(format!("prebuilt object s{i} ({}): {m}", s.name));
        }
    }
    errors
}

fn value_type(g: &crate::LlGraph, v: &Value<LlConst>) -> TypeId {
    match v {
        Value::Var(v) => *g.var_type(*v),
        Value::Const(c) => c.ty(),
    }
}

/// The struct a pointer points to, accepting subclass structs of `want`.
fn check_struct_ptr(prog: &LlProgram, ptr_ty: TypeId, want: TypeId) -> Result<(), String> {
    match prog.types.get(ptr_ty) {
        LlType::Ptr(s) if prog.types.is_prefix_struct(*s, want) => Ok(()),
        _ => Err(format!("expected a pointer to {}, got {}", prog.types.name(want), prog.types.name(ptr_ty))),
    }
}

fn same(prog: &LlProgram, got: TypeId, want: TypeId, what: &str) -> Result<(), String> {
    if prog.types_compatible(got, want) {
        Ok(())
    } else {
        Err(format!("{what} is {}, expected {}", prog.types.name(got), prog.types.name(want)))
    }
}

fn check_typed_op(prog: &LlProgram, g: &crate::LlGraph, op: &kiln_flowgraph::Operation<crate::Ll>) -> Result<(), String> {
    let t = &prog.types;
    let arg = |i: usize| -> Result<TypeId, String> { op.args.get(i).map(|a| value_type(g, a)).ok_or_else(|| format!("missing argument {i}")) };
    let res = *g.var_type(op.result);
    match op.op {
        LlOp::GetField(f) | LlOp::SetField(f) => {
            check_struct_ptr(prog, arg(0)?, f.strukt)?;
            let field = t.struct_type(f.strukt).fields.get(f.index as usize).ok_or("no such field")?;
            if matches!(op.op, LlOp::GetField(_)) {
                same(prog, res, field.ty, "the result")
            } else {
                same(prog, arg(1)?, field.ty, "the stored value")
            }
        }
        LlOp::GetInteriorItem(f) | LlOp::SetInteriorItem(f) | LlOp::GetInteriorLength(f) => {
            check_struct_ptr(prog, arg(0)?, f.strukt)?;
            let field = t.struct_type(f.strukt).fields.get(f.index as usize).ok_or("no such field")?;
            let item = match t.get(field.ty) {
                LlType::Array { item, .. } => *item,
                _ => return Err("the field is not an inline array".into()),
            };
            match op.op {
                LlOp::GetInteriorItem(_) => {
                    same(prog, arg(1)?, TypeId::SIGNED, "the index")?;
                    same(prog, res, item, "the result")
                }
                LlOp::SetInteriorItem(_) => {
                    same(prog, arg(1)?, TypeId::SIGNED, "the index")?;
                    same(prog, arg(2)?, item, "the stored item")
                }
                _ => same(prog, res, TypeId::SIGNED, "the result"),
            }
        }
        LlOp::GetArrayItem | LlOp::SetArrayItem | LlOp::GetArrayLength => {
            let arr = match t.get(arg(0)?) {
                LlType::Ptr(a) if matches!(t.get(*a), LlType::Array { .. }) => *a,
                _ => return Err(format!("expected a pointer to an array, got {}", t.name(arg(0)?))),
            };
            let item = t.array_item(arr);
            match op.op {
                LlOp::GetArrayItem => same(prog, res, item, "the result"),
                LlOp::SetArrayItem => same(prog, arg(2)?, item, "the stored item"),
                _ => Ok(()),
            }
        }
        LlOp::Malloc | LlOp::MallocVarsize | LlOp::GcInitObject | LlOp::GcInitVarsize | LlOp::GcMallocSlow | LlOp::GcMallocVarsizeSlow => {
            let target = match t.get(res) {
                LlType::Ptr(s) => *s,
                _ => return Err("the result is not a pointer".into()),
            };
            if !t.is_gc(target) {
                return Err(format!("{} is not a GC type", t.name(target)));
            }
            let varsize = t.varsize_array(target).is_some();
            if varsize != matches!(op.op, LlOp::MallocVarsize | LlOp::GcInitVarsize | LlOp::GcMallocVarsizeSlow) {
                return Err(format!("{} of {} (variable-size: {varsize})", op.op.name(), t.name(target)));
            }
            Ok(())
        }
        LlOp::DirectCall | LlOp::IndirectCall => {
            let fty = match t.get(arg(0)?) {
                LlType::Ptr(f) => *f,
                _ => return Err("the callee is not a function pointer".into()),
            };
            let LlType::Func { args, ret } = t.get(fty) else {
                return Err("the callee is not a function pointer".into());
            };
            if op.op == LlOp::DirectCall && !matches!(op.args[0], Value::Const(LlConst::Func(..))) {
                return Err("direct_call needs a function constant".into());
            }
            if op.args.len() - 1 != args.len() {
                return Err(format!("{} arguments for a function of {}", op.args.len() - 1, args.len()));
            }
            for (i, want) in args.iter().enumerate() {
                same(prog, arg(i + 1)?, *want, &format!("argument {}", i + 1))?;
            }
            same(prog, res, *ret, "the result")
        }
        LlOp::RtCall(f) => {
            let info = f.info();
            if op.args.len() != info.args.len() {
                return Err(format!("{} takes {} arguments", info.symbol, info.args.len()));
            }
            for (i, want) in info.args.iter().enumerate() {
                let got = kind_of(arg(i)?);
                if got != *want && *want != Kind::Any {
                    return Err(format!("argument {i} of {} is {got:?}, expected {want:?}", info.symbol));
                }
            }
            if kind_of(res) != info.ret {
                return Err(format!("{} returns {:?}, the result is {:?}", info.symbol, info.ret, kind_of(res)));
            }
            Ok(())
        }
        LlOp::SameAs | LlOp::JitPromote | LlOp::JitPromoteString | LlOp::JitHint(_) => same(prog, res, arg(0)?, "the result"),
        LlOp::JitValueStore(k) | LlOp::JitValueLoad(k) => {
            if k >= kiln_abi::JIT_VALUES_LEN {
                return Err(format!("slot {k} of kiln_jit_values, which has {}", kiln_abi::JIT_VALUES_LEN));
            }
            let (n, value) = if op.op == LlOp::JitValueStore(k) { (1, arg(0).ok()) } else { (0, Some(res)) };
            if op.args.len() != n {
                return Err(format!("{} arguments, expected {n}", op.args.len()));
            }
            match value.map(kind_of) {
                Some(Kind::Void | Kind::Any) | None => Err("the value has no 64-bit word form".into()),
                _ => Ok(()),
            }
        }
        LlOp::JitMergePointCall(_) => {
            if !op.args.is_empty() {
                return Err("jit_merge_point_call takes no arguments".into());
            }
            same(prog, res, TypeId::SIGNED, "the result")
        }
        LlOp::JitEnterSet(_) | LlOp::JitEnterTake(_) => {
            if !op.args.is_empty() {
                return Err(format!("{} takes no arguments", op.op.name()));
            }
            same(prog, res, if matches!(op.op, LlOp::JitEnterSet(_)) { TypeId::VOID } else { TypeId::BOOL }, "the result")
        }
        _ => Ok(()),
    }
}

fn check_static(prog: &LlProgram, s: &crate::StaticObj) -> Result<(), String> {
    let t = &prog.types;
    let check = |c: &LlConst, want: TypeId, what: &str| -> Result<(), String> {
        if c.ty() == want || (matches!(c, LlConst::Null(_)) && t.is_ptr(want)) || prog.types_compatible(c.ty(), want) {
            Ok(())
        } else if let (LlType::Ptr(a), LlType::Ptr(b)) = (t.get(c.ty()), t.get(want)) {
            if t.is_prefix_struct(*a, *b) {
                Ok(())
            } else {
                Err(format!("{what} is {}, expected {}", t.name(c.ty()), t.name(want)))
            }
        } else {
            Err(format!("{what} is {}, expected {}", t.name(c.ty()), t.name(want)))
        }
    };
    match (&s.value, t.get(s.ty)) {
        (StaticValue::Str(_), _) if s.ty == TypeId::STR => Ok(()),
        (StaticValue::Struct { fields, items }, LlType::Struct(st)) => {
            let fixed = st.fields.len() - t.varsize_array(s.ty).filter(|_| t.get(s.ty) != &LlType::Void).map_or(0, |_| 1);
            if fields.len() != fixed {
                return Err(format!("{} field values for {} fields", fields.len(), fixed));
            }
            for (c, fl) in fields.iter().zip(&st.fields) {
                check(c, fl.ty, &format!("field {}", fl.name))?;
            }
            if let Some(arr) = t.varsize_array(s.ty) {
                let item = t.array_item(arr);
                for c in items {
                    check(c, item, "an item")?;
                }
            } else if !items.is_empty() {
                return Err("items for a fixed-size struct".into());
            }
            Ok(())
        }
        (StaticValue::Array(items), LlType::Array { item, .. }) => {
            for c in items {
                check(c, *item, "an item")?;
            }
            Ok(())
        }
        _ => Err(format!("the value does not fit type {}", t.name(s.ty))),
    }
}
