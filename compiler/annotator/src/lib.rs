//! The annotator: whole-program type inference over flow graphs (RPython's annotator).
//!
//! Entry point: [`annotate`]. Input: the imported program, the `entry_point` function,
//! and a [`GraphSource`] that builds flow graphs on demand (the driver's query database).
//! Output: [`Annotated`] — every reachable graph with an annotation ([`SomeValue`]) per
//! variable, the list/dict/class definitions, and what every call resolves to; or every
//! independent error found, as diagnostics with spans.
//!
//! Invariants: annotations only generalise (the fixpoint terminates); facts live in the
//! annotator's side tables, never in the flow graphs, which are shared and immutable.
//! This crate knows nothing of low-level types: that is the RTyper's job.

mod annotate;
mod boolfloat;
mod builtins;
mod calls;
pub mod bytes;
mod classvalues;
pub mod jit;
pub mod defs;
mod families;
mod methods;
pub mod model;
pub mod nullness;
mod ops;
pub mod percent;
mod special;

use std::collections::HashMap;
use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::{Dialect, Graph, GraphPrinter, Var};
use kiln_flowspace::{Hl, HlOp};
use kiln_frontend::{Heap, ObjId, Program, Value};

pub use annotate::{AnnGraph, CallTarget, OpLoc, SpecKey};
pub use defs::{AttrDef, ClassDef, DictDef, Frozen, ListDef};
pub use model::*;
pub use ops::ArgSource;

/// Builds flow graphs for the annotator as it discovers functions.
pub trait GraphSource {
    fn flow_graph(&self, func: ObjId, const_args: &[Option<Value>]) -> Result<Arc<Graph<Hl>>, Vec<Diagnostic>>;
}

/// The result of annotating a program.
#[derive(Clone, Debug)]
pub struct Annotated {
    pub graphs: Vec<AnnGraph>,
    pub entry: GraphId,
    pub lists: Frozen<ListDef>,
    pub dicts: Frozen<DictDef>,
    pub classdefs: Vec<ClassDef>,
    pub by_class: HashMap<ObjId, ClassDefId>,
    pub prebuilt_lists: HashMap<ObjId, u32>,
    pub prebuilt_dicts: HashMap<ObjId, u32>,
    pub knowntypes: HashMap<(GraphId, Var), KnownTypes>,
    pub call_targets: HashMap<OpLoc, CallTarget>,
    /// How method calls fill the callee's parameters after `self` (defaults and
    /// keyword arguments resolved); absent for calls bound at flow time.
    pub call_args: HashMap<OpLoc, Vec<ArgSource>>,
    /// `obj.name(...)` sites calling a callable held in attribute `name`, with the
    /// attribute's annotation (the callee).
    pub attr_calls: HashMap<OpLoc, SomeValue>,
    /// Operations with operands that may be None: the RTyper tests them first and
    /// raises CPython's exception (`nullness.rs`).
    pub null_checks: HashMap<OpLoc, Vec<nullness::NullCheck>>,
    /// Operations that always raise CPython's exception (W0306: `"a" + b"b"`); the
    /// RTyper compiles each into its raise.
    pub certain_raises: HashMap<OpLoc, bytes::CertainRaise>,
    /// `%` operations with a str format that the RTyper leaves to the run-time
    /// formatting (`kiln_percent_tuple`) rather than formatting inline.
    pub percent_runtime: std::collections::HashSet<OpLoc>,
    /// Warnings about a program that translates (W0305: an operation on a value that
    /// may be None).
    pub warnings: Vec<Diagnostic>,
    /// The JIT drivers' callbacks, annotated as extra entry points.
    pub jit_callbacks: Vec<jit::JitCallbackGraph>,
}

/// Annotates the program reachable from `entry` (the `entry_point(argv)` function).
pub fn annotate(prog: &Program, entry: ObjId, source: &dyn GraphSource) -> Result<Annotated, Vec<Diagnostic>> {
    let mut an = annotate::Annotator::new(prog, source);
    let Some(gid) = an.graph_for(entry, SpecKey::Default, &[]) else { return Err(an.diags) };
    let graph = an.graphs[gid.0 as usize].graph.clone();
    if graph.params().len() != 1 {
        return Err(vec![Diagnostic::error("E0330", format!("entry_point must take exactly one argument (argv), it takes {}", graph.params().len()))
            .with_primary(graph.span, "defined here")
            .with_note("def entry_point(argv): ... return 0")]);
    }
    let argv = an.lists.new_def(ListDef { item: SomeValue::str(), item_origin: Span::DUMMY, readers: Default::default(), resized: false, mutated: false });
    let _ = an.generalize(gid, graph.params()[0], SomeValue::List { def: ListDefId(argv), can_be_none: false }, graph.span);
    an.schedule(gid, graph.startblock);
    an.run();
    an.check_attr_reads();
    an.check_immutable_fields();
    an.check_jit_callbacks();
    an.check_special_methods();
    an.check_boolish_dict_keys();
    an.check_ordered_dicts();
    an.check_str_uninstantiated();
    an.normalize_family_returns();
    let ret = an.binding(gid, graph.return_var()).clone();
    let ok = matches!(ret, SomeValue::Int { unsigned: false, .. } | SomeValue::Bool { .. } | SomeValue::None_ | SomeValue::Impossible | SomeValue::Object);
    if !ok {
        let d = an.describe(&ret);
        an.error(Diagnostic::error("E0331", format!("entry_point must return an int (the exit code), but it returns {d}")).with_primary(graph.span, "defined here"));
    }
    if !an.diags.is_empty() {
        let mut diags = an.diags;
        diags.extend(an.warnings);
        return Err(diags);
    }
    Ok(Annotated {
        graphs: an.graphs,
        entry: gid,
        lists: an.lists.freeze(),
        dicts: an.dicts.freeze(),
        classdefs: an.classdefs,
        by_class: an.by_class,
        prebuilt_lists: an.prebuilt_lists,
        prebuilt_dicts: an.prebuilt_dicts,
        knowntypes: an.knowntypes,
        call_targets: an.call_targets,
        call_args: an.call_args,
        attr_calls: an.attr_calls,
        null_checks: an.null_checks,
        certain_raises: an.certain_raises,
        percent_runtime: an.percent_runtime,
        warnings: an.warnings,
        jit_callbacks: an.jit_callbacks,
    })
}

/// Flow graphs with annotations as variable types, for printing.
#[derive(Clone, Debug, PartialEq)]
pub struct HlAnn;

impl Dialect for HlAnn {
    type Op = HlOp;
    type Const = Value;
    type VarType = String;
    type Cx = Heap;
    fn write_op(cx: &Heap, op: &HlOp, out: &mut String) {
        Hl::write_op(cx, op, out)
    }
    fn write_const(cx: &Heap, c: &Value, out: &mut String) {
        Hl::write_const(cx, c, out)
    }
    fn write_type(_: &Heap, ty: &String, out: &mut String) {
        out.push_str(ty);
    }
    fn op_can_raise(op: &HlOp) -> bool {
        op.can_raise()
    }
}

impl Annotated {
    pub fn graph_count(&self) -> usize {
        self.graphs.len()
    }

    pub fn binding(&self, g: GraphId, v: Var) -> &SomeValue {
        self.graphs[g.0 as usize].binding(v)
    }

    pub fn list_item(&self, def: ListDefId) -> &SomeValue {
        &self.lists.get(def.0).item
    }

    pub fn dict_kv(&self, def: DictDefId) -> (&SomeValue, &SomeValue) {
        let d = self.dicts.get(def.0);
        (&d.key, &d.value)
    }

    /// A short description of an annotation: `int`, `list[str]`, `'A' instance or None`.
    pub fn describe(&self, s: &SomeValue) -> String {
        let none = |n: bool, s: String| if n { format!("{s} or None") } else { s };
        match s {
            SomeValue::Impossible => "nothing".into(),
            SomeValue::Object => "(error)".into(),
            SomeValue::None_ => "None".into(),
            SomeValue::Bool { konst: Some(b) } => format!("bool={}", if *b { "True" } else { "False" }),
            SomeValue::Bool { .. } => "bool".into(),
            SomeValue::Int { unsigned: true, .. } => "r_uint".into(),
            SomeValue::Int { konst: Some(k), .. } => format!("int={k}"),
            SomeValue::Int { nonneg: true, .. } => "int>=0".into(),
            SomeValue::Int { .. } => "int".into(),
            SomeValue::Float { boolish: true, .. } => "float|bool".into(),
            SomeValue::Float { .. } => "float".into(),
            SomeValue::Char { .. } => "char".into(),
            SomeValue::Str { can_be_none, .. } => none(*can_be_none, "str".into()),
            SomeValue::Bytes { .. } => "bytes".into(),
            SomeValue::List { def, can_be_none } => none(*can_be_none, format!("list[{}]", self.describe(self.list_item(*def)))),
            SomeValue::Dict { def, can_be_none } => {
                let (k, v) = self.dict_kv(*def);
                none(*can_be_none, format!("dict[{}, {}]", self.describe(k), self.describe(v)))
            }
            SomeValue::Tuple(items) => format!("tuple[{}]", items.iter().map(|i| self.describe(i)).collect::<Vec<_>>().join(", ")),
            SomeValue::Instance { class, can_be_none, .. } => none(*can_be_none, self.classdefs[class.0 as usize].name.to_string()),
            SomeValue::ClassOf { class } => format!("type[{}]", self.classdefs[class.0 as usize].name),
            SomeValue::Pbc { descs, can_be_none } => {
                let parts: Vec<String> = descs
                    .iter()
                    .map(|d| match d {
                        Desc::Function(f) | Desc::Method { func: f, .. } => format!("fn {}", f.0),
                        Desc::Class(c) => format!("class {}", c.0),
                        Desc::Frozen(o) => format!("const {}", o.0),
                    })
                    .collect();
                none(*can_be_none, format!("pbc{{{}}}", parts.join(", ")))
            }
            SomeValue::Iterator { kind, source } => format!("iter[{kind:?}, {}]", self.describe(source)),
        }
    }

    /// The annotated graphs as text, sorted by name; `function` filters by name
    /// (exact, or a suffix after a dot).
    pub fn print(&self, prog: &Program, function: Option<&str>) -> String {
        let mut order: Vec<&AnnGraph> = self.graphs.iter().filter(|g| matches_name(&g.name, function)).collect();
        order.sort_by(|a, b| a.name.cmp(&b.name));
        let mut out = String::new();
        for ag in order {
            let g: Graph<HlAnn> = ag.graph.map_var_types(|v, _| self.describe(ag.binding(v)));
            let mut g = g;
            g.name = ag.name.clone();
            out.push_str(&GraphPrinter::<HlAnn> { cx: &prog.heap, line_of: None }.print(&g));
            out.push('\n');
        }
        out
    }
}

/// Whether a graph named `name` is selected by a `--function` filter.
pub fn matches_name(name: &str, filter: Option<&str>) -> bool {
    match filter {
        None => true,
        Some(f) => name == f || name.ends_with(&format!(".{f}")) || name.split('[').next() == Some(f),
    }
}
