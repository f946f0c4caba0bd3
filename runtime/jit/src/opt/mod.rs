//! The trace optimizer: a fixed list of passes, each a forward walk over the ops that may
//! drop ops and forward their results to other values, run in order until nothing changes.
//!
//! Every pass has the same shape, `fn run(descrs: &DescrTable, trace: &mut Trace)`, and is
//! tested alone, text in and text out. All of them forget what they know at a `label`:
//! the loop's boxes take new values on every iteration. The verifier runs after every pass
//! in debug builds.

use std::collections::HashMap;

use crate::descr::DescrTable;
use crate::ir::{BoxId, Const, Op, Trace, Value};
use crate::opcode::{flags, OpCode};
use crate::verify::verify_rendered;

pub mod bounds;
pub mod cse;
pub mod fold;
pub mod guards;
pub mod heap;
mod intbound;
#[cfg(test)]
mod random_tests;
#[cfg(test)]
mod rpython_tests;

pub type PassFn = fn(&DescrTable, &mut Trace);

/// The passes, in the order they run.
pub const PIPELINE: &[(&str, PassFn)] = &[
    ("fold", fold::run),
    ("bounds", bounds::run),
    ("guards", guards::run),
    ("cse", cse::run),
    ("heap", heap::run),
    ("dce", dce),
];

/// The passes `KILN_JIT_SKIP_PASSES=fold,heap,...` turns off (to find which pass a wrong
/// result comes from; a debugging aid, read once).
fn skipped_passes() -> &'static [String] {
    static SKIP: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SKIP.get_or_init(|| std::env::var("KILN_JIT_SKIP_PASSES").map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()).unwrap_or_default())
}

/// Rounds of the whole pipeline at most; one more round rarely finds anything.
const MAX_ROUNDS: usize = 4;

/// Runs one pass by name, then the verifier in debug builds.
pub fn run_pass(name: &str, descrs: &DescrTable, trace: &mut Trace) -> Result<(), String> {
    let &(_, pass) = PIPELINE.iter().find(|(n, _)| *n == name).ok_or_else(|| format!("no pass `{name}`"))?;
    pass(descrs, trace);
    if cfg!(debug_assertions) {
        verify_rendered(trace, descrs).map_err(|e| format!("after pass `{name}`: {e}"))?;
    }
    Ok(())
}

/// Optimizes a trace with the whole pipeline. An error is an optimizer bug found by the
/// verifier (debug builds only); the trace must not be compiled then.
pub fn optimize(descrs: &DescrTable, trace: &mut Trace) -> Result<(), String> {
    let skip = skipped_passes();
    for _ in 0..MAX_ROUNDS {
        let before = trace.ops.clone();
        for (name, _) in PIPELINE {
            if skip.iter().any(|s| s == name) {
                continue;
            }
            run_pass(name, descrs, trace)?;
        }
        if trace.ops == before {
            break;
        }
    }
    Ok(())
}

/// What a pass uses to rebuild the op list: forwarding of dropped ops' results, values
/// that guards have made known, and the output list.
pub(crate) struct Rewriter {
    /// Boxes whose defining op was dropped, and what replaces them.
    forward: HashMap<BoxId, Value>,
    /// Boxes still defined, whose value a guard has fixed (`guard_value`, `guard_true`).
    known: HashMap<BoxId, Value>,
    pub out: Vec<Op>,
}

impl Rewriter {
    pub fn new(capacity: usize) -> Rewriter {
        Rewriter { forward: HashMap::new(), known: HashMap::new(), out: Vec::with_capacity(capacity) }
    }

    /// The value that now stands for `v`.
    pub fn resolve(&self, mut v: Value) -> Value {
        while let Value::Box(b) = v {
            match self.forward.get(&b).or_else(|| self.known.get(&b)) {
                Some(&next) => v = next,
                None => break,
            }
        }
        v
    }

    /// From here on, `b` is known to be `v` (the op defining `b` stays).
    pub fn know(&mut self, b: BoxId, v: Value) {
        if v != Value::Box(b) {
            self.known.insert(b, v);
        }
    }

    /// The op with its uses resolved. Labels keep their arguments (see `emit_label`).
    pub fn prepare(&self, mut op: Op) -> Op {
        if op.opcode != OpCode::Label {
            op.map_uses(|v| self.resolve(v));
        }
        op
    }

    /// Drops the op that defined `b`: later uses read `v` instead.
    pub fn forward(&mut self, b: BoxId, v: Value) {
        if v != Value::Box(b) {
            self.forward.insert(b, v);
        }
    }

    pub fn emit(&mut self, op: Op) {
        self.out.push(op);
    }

    /// Emits a label. Its arguments name the loop's boxes, so they stay as they are; one
    /// whose defining op was dropped gets a `same_as` that defines it again from its
    /// forwarded value. Forwarding ends here: nothing before a label is live after it.
    pub fn emit_label(&mut self, trace: &Trace, op: Op) {
        for &a in &op.args {
            if let Value::Box(b) = a {
                let v = self.resolve(a);
                if self.forward.contains_key(&b) {
                    if let Some(ty) = trace.box_type(b) {
                        self.out.push(Op::new(OpCode::same_as(ty), vec![v], Some(b)));
                    }
                }
            }
        }
        self.forward.clear();
        self.known.clear();
        self.out.push(op);
    }

    pub fn finish(self, trace: &mut Trace) {
        trace.ops = self.out;
    }
}

/// Whether a guard is decided by its constant arguments: `Some(true)` if it always passes,
/// `Some(false)` if it always fails, `None` if it depends on run-time values.
pub fn guard_outcome(op: &Op) -> Option<bool> {
    let c = |i: usize| op.args.get(i).and_then(|v| v.as_const());
    match op.opcode {
        OpCode::GuardTrue => Some(c(0)?.as_int()? != 0),
        OpCode::GuardFalse => Some(c(0)?.as_int()? == 0),
        OpCode::GuardValue => Some(c(0)? == c(1)?),
        OpCode::GuardNonnull => Some(c(0)? != Const::Ref(0)),
        OpCode::GuardIsnull => Some(c(0)? == Const::Ref(0)),
        _ => None,
    }
}

/// Whether an op's only effect is its result, so that it can go when the result is unused.
fn removable_if_unused(descrs: &DescrTable, op: &Op) -> bool {
    let info = op.opcode.info();
    if op.result.is_none() {
        return false;
    }
    if info.has(flags::PURE) || info.has(flags::HEAP_READ) || info.has(flags::ALLOC) {
        return true;
    }
    // An elidable call that cannot raise has no guard_no_exception to keep it alive.
    op.opcode.is_call_pure()
        && op.descr.and_then(|d| descrs.call(d)).is_some_and(|c| c.effect.is_elidable() && !c.effect.can_raise)
}

/// Dead-code removal: drops pure ops, heap reads and allocations whose results nothing
/// reads (arguments and resume data included).
pub fn dce(descrs: &DescrTable, trace: &mut Trace) {
    let mut used = std::collections::HashSet::new();
    let mut keep = vec![true; trace.ops.len()];
    for (i, op) in trace.ops.iter().enumerate().rev() {
        if let Some(r) = op.result {
            if !used.contains(&r) && removable_if_unused(descrs, op) {
                keep[i] = false;
                continue;
            }
        }
        op.for_each_use(|v| {
            if let Value::Box(b) = v {
                used.insert(b);
            }
        });
    }
    let mut k = keep.into_iter();
    trace.ops.retain(|_| k.next().unwrap_or(true));
}

#[cfg(test)]
pub(crate) mod testing {
    use crate::parse::parse_trace_file;
    use crate::print::print_trace;

    /// Parses `before`, runs one pass (`None`: the whole pipeline), and compares the printed
    /// trace with `expected` (descriptor declarations and surrounding blank space ignored).
    pub fn check(pass: Option<&str>, before: &str, expected: &str) {
        let (descrs, mut trace) = parse_trace_file(before).unwrap_or_else(|e| panic!("bad test input: {e}"));
        crate::verify::verify_rendered(&trace, &descrs).unwrap_or_else(|e| panic!("bad test input: {e}"));
        match pass {
            Some(p) => super::run_pass(p, &descrs, &mut trace).unwrap(),
            None => super::optimize(&descrs, &mut trace).unwrap(),
        }
        crate::verify::verify_rendered(&trace, &descrs).unwrap_or_else(|e| panic!("pass {pass:?}: {e}"));
        let got = print_trace(&trace, &descrs);
        let want: Vec<&str> = expected
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("descr "))
            .collect();
        let got_lines: Vec<&str> = got.lines().collect();
        if got_lines != want {
            panic!("pass {pass:?} gave\n{got}\nexpected\n{}\n", want.join("\n"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::check;

    #[test]
    fn dce_drops_unused_pure_ops_and_reads_but_keeps_guards_and_calls() {
        check(
            Some("dce"),
            "
            descr C.x: field(offset=8, size=8, type=i)
            descr f: call(args=[i], result=i, can_raise, reads=all, writes=all)
            [i0, p1]
            i2 = int_add(i0, 1)
            i3 = getfield_gc_i(p1, descr=C.x)
            i4 = int_mul(i2, 2)
            i5 = call_i(1234, i0, descr=f)
            guard_no_exception() [i0, p1]
            i6 = int_lt(i0, 10)
            guard_true(i6) [i4]
            finish(i0)
            ",
            "
            [i0, p1]
            i2 = int_add(i0, 1)
            i4 = int_mul(i2, 2)
            i5 = call_i(1234, i0, descr=f)
            guard_no_exception() [i0, p1]
            i6 = int_lt(i0, 10)
            guard_true(i6) [i4]
            finish(i0)
            ",
        );
    }
}
