//! Which heap locations a call may read and write (RPython's read/write analyzers), per
//! function, over the call graph of [`crate::effects`]: what lets the JIT's heap cache
//! keep the fields and array items a residual call cannot touch.
//!
//! A location is a struct field, the items of a standalone array type, or the inline
//! items of a variable-size struct type. A set is `None` when it is unknown: the call
//! may touch anything (an unresolved indirect call, or a runtime helper not known to
//! leave the program's heap alone). Allocation writes no location: the new object is not
//! one anybody can have cached; nor does the store of an object's typeptr, made once when
//! the instance is allocated.
//!
//! Runtime helpers: those that only do I/O, arithmetic, or build new objects from ints
//! touch nothing; elidable helpers read only immutable strings and write nothing, except
//! `kiln_str_hash`, which caches the hash in the string. Every other helper may read
//! and write anything (lists and dicts are mutated by their helpers).

use std::collections::BTreeSet;

use kiln_flowgraph::{Operation, Value};
use kiln_lltype::{FieldRef, FuncId, Ll, LlGraph, LlOp, LlProgram, LlType, RtFn, TypeId};

use crate::effects::{CallNode, EffectInfo};

/// A heap location.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HeapLoc {
    Field(FieldRef),
    /// The items of a standalone array type.
    Array(TypeId),
    /// The inline items of a variable-size struct type.
    Inline(TypeId),
}

/// The locations a call may read and write; `None` is "anything".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeapSets {
    pub reads: Option<BTreeSet<HeapLoc>>,
    pub writes: Option<BTreeSet<HeapLoc>>,
}

impl HeapSets {
    pub const UNKNOWN: HeapSets = HeapSets { reads: None, writes: None };

    fn none() -> HeapSets {
        HeapSets { reads: Some(BTreeSet::new()), writes: Some(BTreeSet::new()) }
    }

    fn union_with(&mut self, other: &HeapSets) {
        fn join(a: &mut Option<BTreeSet<HeapLoc>>, b: &Option<BTreeSet<HeapLoc>>) {
            match (a.as_mut(), b) {
                (Some(x), Some(y)) => x.extend(y.iter().copied()),
                (Some(_), None) => *a = None,
                (None, _) => {}
            }
        }
        join(&mut self.reads, &other.reads);
        join(&mut self.writes, &other.writes);
    }
}

/// The heap sets of every function.
#[derive(Debug)]
pub struct HeapEffects {
    funcs: Vec<HeapSets>,
}

/// Whether a runtime helper leaves every location of the program's heap alone (see the
/// module doc).
fn rt_touches_nothing(f: RtFn) -> bool {
    use RtFn::*;
    match f {
        StrHash => false,
        GcCollect | GcMalloc | GcMallocVarsize | OutStr | OutInt | OutChar | OutFloat | ListRange | DictNew | FloatFloorDiv | FloatMod | FloatPow | MathSqrt | MathExp | MathLog | MathSin
        | MathCos | MathTan | MathAtan2 | MathFloor | MathCeil | OsWrite | OsRead | OsOpen | OsClose | OsReadFile | TimeTime | TimeClock | StackCheck => true,
        f => f.info().elidable,
    }
}

/// The locations one op may touch by itself; calls to program functions come from the
/// callees (handled by the caller of this function).
fn local(prog: &LlProgram, g: &LlGraph, op: &Operation<Ll>) -> HeapSets {
    let mut s = HeapSets::none();
    let deref = |v: &Value<kiln_lltype::LlConst>| {
        let t = match v {
            Value::Var(x) => *g.var_type(*x),
            Value::Const(c) => c.ty(),
        };
        match prog.types.get(t) {
            LlType::Ptr(p) => Some(*p),
            _ => None,
        }
    };
    let read = |s: &mut HeapSets, l| {
        if let Some(r) = s.reads.as_mut() {
            r.insert(l);
        }
    };
    let write = |s: &mut HeapSets, l| {
        if let Some(w) = s.writes.as_mut() {
            w.insert(l);
        }
    };
    match op.op {
        LlOp::GetField(f) => read(&mut s, HeapLoc::Field(f)),
        // An object's typeptr is stored once, by the allocation of the instance: no
        // cached read of it can be invalidated.
        LlOp::SetField(f) if f == FieldRef { strukt: TypeId::OBJECT, index: 0 } => {}
        LlOp::SetField(f) => write(&mut s, HeapLoc::Field(f)),
        LlOp::GetInteriorItem(f) | LlOp::GetInteriorLength(f) => read(&mut s, HeapLoc::Inline(f.strukt)),
        LlOp::SetInteriorItem(f) => write(&mut s, HeapLoc::Inline(f.strukt)),
        LlOp::GetArrayItem | LlOp::GetArrayLength => {
            if let Some(a) = op.args.first().and_then(deref) {
                read(&mut s, HeapLoc::Array(a));
            }
        }
        LlOp::SetArrayItem => {
            if let Some(a) = op.args.first().and_then(deref) {
                write(&mut s, HeapLoc::Array(a));
            }
        }
        LlOp::RtCall(f) if !rt_touches_nothing(f) => return HeapSets::UNKNOWN,
        _ => {}
    }
    s
}

/// Computes every function's heap sets, callees first over the strongly connected
/// components of `info`'s call graph.
pub fn heap_effects(prog: &LlProgram, info: &EffectInfo) -> HeapEffects {
    let mut funcs = vec![HeapSets::none(); prog.funcs.len()];
    for component in info.sccs() {
        let mut acc = HeapSets::none();
        for &f in component {
            let g = &prog.func(f).graph;
            g.for_each_op(|_, op| {
                if op.op == LlOp::IndirectCall {
                    match info.indirect_targets(prog, g, op) {
                        None => acc = HeapSets::UNKNOWN,
                        // Targets inside this component are accounted for by the loop.
                        Some(ts) => ts.iter().filter(|t| !component.contains(t)).for_each(|t| acc.union_with(&funcs[t.0 as usize])),
                    }
                } else if op.op != LlOp::DirectCall {
                    acc.union_with(&local(prog, g, op));
                }
            });
            for callee in info.callees(f) {
                match callee {
                    CallNode::Func(c) if !component.contains(&c) => acc.union_with(&funcs[c.0 as usize]),
                    CallNode::Func(_) => {}
                    CallNode::Unknown => acc = HeapSets::UNKNOWN,
                }
            }
        }
        for &f in component {
            funcs[f.0 as usize] = acc.clone();
        }
    }
    HeapEffects { funcs }
}

impl HeapEffects {
    pub fn func(&self, f: FuncId) -> &HeapSets {
        &self.funcs[f.0 as usize]
    }

    /// What one call op may touch.
    pub fn op(&self, prog: &LlProgram, info: &EffectInfo, g: &LlGraph, op: &Operation<Ll>) -> HeapSets {
        match op.op {
            LlOp::DirectCall => match op.args.first() {
                Some(Value::Const(kiln_lltype::LlConst::Func(f, _))) => self.func(*f).clone(),
                _ => HeapSets::UNKNOWN,
            },
            LlOp::IndirectCall => match info.indirect_targets(prog, g, op) {
                None => HeapSets::UNKNOWN,
                Some(ts) => {
                    let mut acc = HeapSets::none();
                    ts.iter().for_each(|t| acc.union_with(self.func(*t)));
                    acc
                }
            },
            _ => local(prog, g, op),
        }
    }
}
