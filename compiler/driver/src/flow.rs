//! The body of the `flow_graph` query, and the set of functions the flow task builds:
//! every function reachable from the entry point through the constants of flow graphs.
//!
//! The reachable set is found before annotation, with no types, by following every
//! constant a graph mentions: functions, the methods of classes, prebuilt instances and
//! what their attributes hold, the items of constant tuples, lists and dicts. It is an
//! over-approximation of what the annotator will ask for (a method of a used class is
//! built even if no call site reaches it), which is what `kiln check` wants: every
//! run-time function's errors in one run. Functions marked `not_rpython` are import-time
//! only and skipped, and `specialize.arg` functions are left to the annotator, which
//! knows the constant arguments their graphs depend on.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use kiln_diagnostics::Diagnostic;
use kiln_flowgraph::{ExitSwitch, Graph, LinkCase};
use kiln_flowspace::Hl;
use kiln_frontend::value::Specialization;
use kiln_frontend::{ObjId, Object, Program, Value};

use crate::db::{self, ConstArgs, Db, FlowKey, SourceFile};

/// The flow graph of one function, or the diagnostics that stopped it.
#[derive(Debug)]
pub struct FlowGraph {
    pub func: ObjId,
    pub graph: Option<Arc<Graph<Hl>>>,
    pub diagnostics: Vec<Diagnostic>,
}

pub(crate) fn build<'db>(db: &'db dyn Db, key: FlowKey<'db>) -> Arc<FlowGraph> {
    let prog = db::program(db, key.root(db));
    let func = key.func(db);
    let built = kiln_flowspace::build_flow_graph(&prog, func, &key.const_args(db).0);
    Arc::new(FlowGraph { func, graph: built.graph.map(Arc::new), diagnostics: built.diagnostics })
}

/// The flow graph of `func` specialised on `const_args`, through the query.
pub fn graph_of(db: &dyn Db, root: SourceFile, func: ObjId, const_args: &[Option<Value>]) -> Arc<FlowGraph> {
    let key = FlowKey::new(db, root, func, ConstArgs(const_args.to_vec()));
    db::flow_graph(db, key)
}

/// The walk from the entry point over reachable functions, in breadth-first order so that
/// the result is deterministic and starts with the entry. The caller builds each graph
/// (catching a panic per function, so that one broken graph does not hide the others'
/// errors) and hands it back to [`Reach::scan`].
pub struct Reach<'p> {
    prog: &'p Program,
    seen: HashSet<ObjId>,
    queue: VecDeque<ObjId>,
}

impl<'p> Reach<'p> {
    pub fn new(prog: &'p Program, entry: ObjId) -> Reach<'p> {
        let mut r = Reach { prog, seen: HashSet::new(), queue: VecDeque::new() };
        r.value(&Value::Obj(entry));
        r
    }

    /// The next function whose graph to build.
    pub fn next_function(&mut self) -> Option<ObjId> {
        self.queue.pop_front()
    }

    /// Follows the constants `graph` mentions.
    pub fn scan(&mut self, graph: &Graph<Hl>) {
        for block in &graph.blocks {
            for op in &block.ops {
                for arg in &op.args {
                    if let Some(c) = arg.as_const() {
                        self.value(c);
                    }
                }
            }
            if let ExitSwitch::Value(v) = &block.exitswitch {
                if let Some(c) = v.as_const() {
                    self.value(c);
                }
            }
            for link in &block.exits {
                for arg in &link.args {
                    if let Some(c) = arg.as_const() {
                        self.value(c);
                    }
                }
                if let LinkCase::Exception(c) = &link.case {
                    self.value(c);
                }
            }
        }
    }

    fn value(&mut self, v: &Value) {
        let Value::Obj(id) = v else { return };
        if !self.seen.insert(*id) {
            return;
        }
        match self.prog.heap.get(*id) {
            Object::Function(f) => {
                let import_time_only = f.hints.not_rpython;
                let needs_constants = matches!(f.specialize, Some(Specialization::Arg(_)));
                if !import_time_only && !needs_constants {
                    self.queue.push_back(*id);
                }
            }
            Object::Class(c) => {
                if c.builtin {
                    return;
                }
                for base in &c.bases {
                    self.value(&Value::Obj(*base));
                }
                for member in c.dict.values() {
                    self.value(member);
                }
            }
            Object::Instance(inst) => {
                self.value(&Value::Obj(inst.class));
                for attr in inst.attrs.values() {
                    self.value(attr);
                }
            }
            Object::Tuple(items) | Object::List(items) | Object::UnrollingIterable(items) => {
                for item in items {
                    self.value(item);
                }
            }
            Object::Dict(d) => {
                for (k, v) in d.entries.values() {
                    self.value(k);
                    self.value(v);
                }
            }
            Object::BoundMethod { func, receiver } => {
                self.value(func);
                self.value(receiver);
            }
            Object::StaticMethod(f) => self.value(f),
            Object::JitDriver(info) => {
                if let Some(f) = &info.get_printable_location {
                    self.value(f);
                }
            }
            Object::BuiltinMethod { receiver, .. } => self.value(receiver),
            // Modules are followed through the attributes graphs read from them, which the
            // flowspace folds into constants; built-ins have no graphs; environments,
            // iterators and the rest exist only at import time.
            Object::Module(_)
            | Object::Builtin(_)
            | Object::BuiltinType(_)
            | Object::Env(_)
            | Object::Range { .. }
            | Object::Specializer(_)
            | Object::Iterator(_)
            | Object::Super { .. }
            | Object::Native(_) => {}
        }
    }
}

/// Whether a function's name matches a `--function` filter: the exact name, a suffix of
/// it that starts at a dot (`step` matches `Interp.step`), or the name without its
/// specialisation (`f` matches `f[int]`); the annotator's printer uses the same rule.
pub fn name_matches(name: &str, filter: &str) -> bool {
    name == filter || name.strip_suffix(filter).is_some_and(|rest| rest.ends_with('.')) || name.split('[').next() == Some(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_match_whole_names_or_dotted_suffixes() {
        assert!(name_matches("fib", "fib"));
        assert!(name_matches("Interp.step", "step"));
        assert!(name_matches("Interp.step", "Interp.step"));
        assert!(!name_matches("Interp.substep", "step"));
        assert!(!name_matches("fib", "fi"));
        assert!(name_matches("f[int]", "f"));
    }
}
