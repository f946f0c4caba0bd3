//! The RTyper: lowers annotated flow graphs to lltype graphs (RPython's rtyper).
//!
//! Entry point: [`rtype`]. Input: the imported program and its annotations. Output: an
//! [`LlProgram`] — one low-level function per annotated graph, helper graphs, prebuilt
//! data (strings, tuples, lists, instances, vtables), and `entry`, a function
//! `(argv: LIST_OF_STR) -> Signed` that the runtime calls.
//!
//! Modules: `repr` (what each annotation becomes), `rclass` (instance structs, vtables,
//! class ids), `prebuilt` (constants), `lower` (the per-graph walk), `rops` and
//! `rbuiltin` (per-operation rules), `helpers` (generated helper graphs), `rboolfloat`
//! (a float that may be a bool, NaN-boxed).
//!
//! Invariants: the output passes `kiln_lltype::verify::verify_program`; every operation
//! keeps the span of the high-level operation it came from; this crate never re-enters
//! the annotator and knows nothing about LLVM.

mod helpers;
mod lower;
mod prebuilt;
mod rboolfloat;
mod rdesc;
mod rdict;
mod riter;
mod rlist;
mod rmemo;
mod rmethod;
mod rnone;
mod rspecial;
mod rstr;
mod rbuiltin;
mod rbytes;
mod rclass;
mod rattr;
mod repr;
mod rops;
mod rjit;

use std::collections::{HashMap, HashSet};

use kiln_annotator::{Annotated, GraphId};
use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::Var;
use kiln_flowspace::HlOp;
use kiln_frontend::{Builtin, ObjId, Object, Program, Value};
use kiln_lltype::builder::{v, LlBuilder};
use kiln_lltype::{FuncId, FuncKind, LlFunc, LlOp, LlProgram, StaticId, TypeId};

pub use helpers::Helper;
pub use repr::Repr;

pub struct RTyper<'a> {
    pub prog: &'a Program,
    pub ann: &'a Annotated,
    pub ll: LlProgram,
    pub classes: Vec<rclass::RClass>,
    pub class_index: HashMap<ObjId, usize>,
    pub list_types: HashMap<TypeId, (TypeId, TypeId)>,
    pub tuple_types: HashMap<Vec<TypeId>, TypeId>,
    pub iter_types: HashMap<(String, TypeId), TypeId>,
    pub dict_types: HashMap<(TypeId, TypeId), (TypeId, TypeId)>,
    pub dict_descs: HashMap<(String, String), kiln_lltype::LlConst>,
    pub type_descs: HashMap<String, StaticId>,
    pub desc_types: Option<(TypeId, TypeId)>,
    pub func_reprs: HashMap<Vec<ObjId>, std::sync::Arc<repr::FuncRepr>>,
    /// The kind of each iterator struct (one struct per kind and source type).
    pub iter_kinds: HashMap<TypeId, kiln_annotator::IterKind>,
    /// Prebuilt dicts to fill at startup: (object, static, representation).
    pub dict_inits: Vec<(ObjId, StaticId, std::sync::Arc<repr::DictRepr>)>,
    pub prebuilt: HashMap<(ObjId, TypeId), StaticId>,
    pub prebuilt_exc: HashMap<(u32, String), StaticId>,
    pub funcs: HashMap<GraphId, FuncId>,
    /// Each function's default-specialisation graph (methods in vtables, function
    /// constants).
    pub default_graphs: HashMap<ObjId, GraphId>,
    /// The lowered bodies of memo functions, whose `funcs` entry is the caching wrapper.
    pub memo_bodies: HashMap<GraphId, FuncId>,
    pub helpers: HashMap<Helper, FuncId>,
    /// Per class: the function that allocates an uninitialised instance (for classes
    /// instantiated through a variable), returning the slot root's pointer type.
    pub alloc_fns: HashMap<(usize, TypeId), FuncId>,
    /// The AttributeError-raising stand-ins of vtable slots a class has no method for.
    pub missing_methods: HashMap<(String, Vec<TypeId>, TypeId), FuncId>,
    /// The null-check helpers (`rnone.rs`), per pointer type and exception class.
    pub null_checks: HashMap<(TypeId, &'static str), FuncId>,
    /// `ll_raise_<exc>` helpers, by exception class (`rnone.rs`).
    pub raise_fns: HashMap<&'static str, FuncId>,
    /// Graphs lowered with another signature than their annotations give (method
    /// implementations sharing a vtable slot).
    pub signatures: HashMap<GraphId, rmethod::Signature>,
    /// Results of `+ - * <<` wrapped in `ovfcheck()`: lowered with overflow checks.
    pub ovf_vars: HashSet<(GraphId, Var)>,
    /// The JIT drivers met in hints, by object (`rjit.rs`).
    pub jit_driver_ids: HashMap<ObjId, kiln_lltype::JitDriverId>,
    pub diags: Vec<Diagnostic>,
}

/// Lowers an annotated program.
pub fn rtype(prog: &Program, ann: &Annotated) -> Result<LlProgram, Vec<Diagnostic>> {
    let mut rt = RTyper {
        prog,
        ann,
        ll: LlProgram::new(),
        classes: Vec::new(),
        class_index: HashMap::new(),
        list_types: HashMap::new(),
        tuple_types: HashMap::new(),
        iter_types: HashMap::new(),
        dict_types: HashMap::new(),
        dict_descs: HashMap::new(),
        type_descs: HashMap::new(),
        desc_types: None,
        func_reprs: HashMap::new(),
        iter_kinds: HashMap::new(),
        dict_inits: Vec::new(),
        prebuilt: HashMap::new(),
        prebuilt_exc: HashMap::new(),
        funcs: HashMap::new(),
        default_graphs: ann.graphs.iter().enumerate().filter(|(_, g)| g.spec == kiln_annotator::SpecKey::Default).map(|(i, g)| (g.func, GraphId(i as u32))).rev().collect(),
        memo_bodies: HashMap::new(),
        helpers: HashMap::new(),
        alloc_fns: HashMap::new(),
        missing_methods: HashMap::new(),
        null_checks: HashMap::new(),
        raise_fns: HashMap::new(),
        ovf_vars: HashSet::new(),
        signatures: HashMap::new(),
        jit_driver_ids: HashMap::new(),
        diags: Vec::new(),
    };
    rt.setup_classes();
    rt.setup_slots();
    rt.find_ovfchecks();
    let n = ann.graphs.len();
    for g in 0..n {
        rt.declare(GraphId(g as u32));
    }
    rt.fill_vtables();
    for g in 0..n {
        let gid = GraphId(g as u32);
        let graph = lower::Lower::new(&mut rt, gid).lower();
        let f = rt.memo_bodies.get(&gid).copied().unwrap_or(rt.funcs[&gid]);
        rt.ll.func_mut(f).graph = graph;
    }
    rt.finish_jit();
    let entry = rt.entry_wrapper();
    rt.ll.entry = Some(entry);
    if let Some(init) = rt.dict_init_function() {
        // Prebuilt dicts are filled before entry_point runs.
        let graph = &mut rt.ll.func_mut(entry).graph;
        let start = graph.startblock;
        let fty = rt.ll.func(init).ty;
        let pty = rt.ll.types.ptr(fty);
        let graph = &mut rt.ll.func_mut(entry).graph;
        let result = graph.new_var(None, TypeId::VOID);
        graph.block_mut(start).ops.insert(
            0,
            kiln_flowgraph::Operation { op: LlOp::DirectCall, args: vec![kiln_lltype::builder::c(kiln_lltype::LlConst::Func(init, pty))], result, span: Span::DUMMY },
        );
    }
    if rt.diags.is_empty() {
        let errors = kiln_lltype::verify::verify_program(&rt.ll);
        for e in errors {
            rt.diags.push(Diagnostic::internal(format!("the RTyper produced an invalid graph: {e}")));
        }
    }
    if !rt.diags.is_empty() {
        return Err(rt.diags);
    }
    Ok(rt.ll)
}

impl<'a> RTyper<'a> {
    pub fn error(&mut self, d: Diagnostic) {
        if !self.diags.contains(&d) {
            self.diags.push(d);
        }
    }

    /// Creates the low-level function of an annotated graph with its signature (the body
    /// comes later, so calls can refer to functions not lowered yet).
    fn declare(&mut self, gid: GraphId) {
        let ag = &self.ann.graphs[gid.0 as usize];
        let (preprs, rrepr) = self.signature_of(gid);
        let params: Vec<TypeId> = preprs.iter().filter(|r| !r.is_void()).map(|r| r.lltype()).collect();
        let ret = rrepr.lltype();
        let ty = self.ll.types.func(params.clone(), ret);
        let mut name: String = ag.name.replace(['<', '>'], "");
        if self.ll.find_func(&name).is_some() {
            name = format!("{name}_{}", gid.0);
        }
        let span = ag.graph.span;
        let (b, _) = LlBuilder::new(&name, &params, ret, span);
        if self.is_memo_graph(gid) && ret != TypeId::VOID {
            let body = self.ll.add_func(LlFunc { name: format!("{name}_body"), graph: b.finish(), ty, kind: FuncKind::User, hints: Default::default() });
            let wrapper = self.memo_wrapper(&name, body, &params, ret, span);
            let f = self.ll.add_func(wrapper);
            self.funcs.insert(gid, f);
            self.memo_bodies.insert(gid, body);
            return;
        }
        let hints = self.func_hints(ag.func);
        let f = self.ll.add_func(LlFunc { name, graph: b.finish(), ty, kind: FuncKind::User, hints });
        self.funcs.insert(gid, f);
    }

    /// The parameter and result representations a graph is lowered with.
    pub fn signature_of(&mut self, gid: GraphId) -> (Vec<Repr>, Repr) {
        if let Some(s) = self.signatures.get(&gid) {
            return (s.params.clone(), s.ret.clone());
        }
        let ag = &self.ann.graphs[gid.0 as usize];
        let params: Vec<kiln_annotator::SomeValue> = ag.graph.params().iter().map(|p| ag.binding(*p).clone()).collect();
        let ret = ag.binding(ag.graph.return_var()).clone();
        let params = params.iter().map(|a| self.repr_of(a)).collect();
        (params, self.repr_of(&ret))
    }

    /// `kiln_entry(argv) -> Signed`: calls `entry_point` and turns its result into the
    /// exit code (None is 0, a bool is 0 or 1).
    fn entry_wrapper(&mut self) -> FuncId {
        let gid = self.ann.entry;
        let f = self.funcs[&gid];
        let ag = &self.ann.graphs[gid.0 as usize];
        let span = ag.graph.span;
        let ret_ann = ag.binding(ag.graph.return_var()).clone();
        let argv_ann = ag.binding(ag.graph.params()[0]).clone();
        let ret = self.repr_of(&ret_ann);
        let argv = self.repr_of(&argv_ann);
        let (mut b, p) = LlBuilder::new("kiln_entry", &[TypeId::LIST_STR_PTR], TypeId::SIGNED, span);
        let fc = self.ll.func_const(f);
        let mut args = vec![kiln_lltype::builder::c(fc)];
        if !argv.is_void() {
            args.push(v(p[0]));
        }
        let r = b.op(LlOp::DirectCall, args, ret.lltype());
        let r = self.catch_uncaught_str(&mut b, r).unwrap_or(r);
        let code = match ret {
            Repr::Int => v(r),
            Repr::Bool => v(b.op(LlOp::CastBoolToInt, vec![v(r)], TypeId::SIGNED)),
            _ => kiln_lltype::builder::int(0),
        };
        b.ret(code);
        let ty = self.ll.types.func(vec![TypeId::LIST_STR_PTR], TypeId::SIGNED);
        self.ll.add_func(LlFunc { name: "kiln_entry".into(), graph: b.finish(), ty, kind: FuncKind::Helper, hints: Default::default() })
    }

    /// Marks the operations whose result is checked by `ovfcheck()`, which must wrap an
    /// arithmetic operation directly, as in RPython.
    fn find_ovfchecks(&mut self) {
        for (gi, ag) in self.ann.graphs.iter().enumerate() {
            let gid = GraphId(gi as u32);
            for b in ag.graph.reachable_blocks() {
                let block = ag.graph.block(b);
                for op in &block.ops {
                    let HlOp::Call(_) = &op.op else { continue };
                    let Some(Value::Obj(o)) = op.args[0].as_const() else { continue };
                    if !matches!(self.prog.heap.get(*o), Object::Builtin(Builtin::Ovfcheck)) {
                        continue;
                    }
                    let producer = op.args.get(1).and_then(|a| a.as_var()).and_then(|v| block.ops.iter().find(|p| p.result == v));
                    use kiln_frontend::ops::BinOp as B;
                    // RPython's ovfcheck-able operations: + - * // % << and unary -
                    // (`%` never overflows: MININT % -1 is 0, as under CPython).
                    let checked = |b: &B| matches!(b, B::Add | B::Sub | B::Mul | B::FloorDiv | B::Mod | B::LShift);
                    match producer {
                        Some(p) if matches!(&p.op, HlOp::Bin(b) | HlOp::Inplace(b) if checked(b)) || matches!(p.op, HlOp::Neg) => {
                            self.ovf_vars.insert((gid, p.result));
                        }
                        _ => {
                            self.diags.push(
                                Diagnostic::error("E0402", "ovfcheck() must be applied directly to an int +, -, *, //, %, << or unary -")
                                    .with_primary(op.span, "the argument is not such an operation")
                                    .with_note("write ovfcheck(a + b), not ovfcheck(x) with x computed earlier"),
                            );
                        }
                    }
                }
            }
        }
    }

    /// Whether a class attribute has one value for the class and all its subclasses
    /// (otherwise it needs a vtable slot).
    pub fn class_attr_is_uniform(&self, ci: usize, name: &str) -> bool {
        let cls = self.classes[ci].class;
        let base = self.prog.heap.class_lookup(cls, name).map(|(_, v)| v);
        let mut stack = self.classes[ci].children.clone();
        while let Some(c) = stack.pop() {
            let k = self.classes[c].class;
            if let Some(v) = self.prog.heap.class(k).and_then(|kc| kc.dict.get(name)) {
                if Some(v) != base.as_ref() {
                    return false;
                }
            }
            stack.extend(self.classes[c].children.iter().copied());
        }
        true
    }
}

/// The span of a graph's definition, for diagnostics about a whole function.
pub fn graph_span(ann: &Annotated, g: GraphId) -> Span {
    ann.graphs[g.0 as usize].graph.span
}
