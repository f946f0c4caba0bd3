//! The low-level program: every graph, every prebuilt object, the type table, and the
//! `Ll` dialect of the graph model (ops, constants and variable types of lltype graphs).

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use kiln_abi::BuiltinExc;
use kiln_flowgraph::{Dialect, Graph, GraphPrinter, Operation, Span};

use crate::ops::{Kind, LlOp};
use crate::types::{LlType, TypeId, TypeTable};

/// A function of the low-level program.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct FuncId(pub u32);

/// A prebuilt object of the low-level program.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct StaticId(pub u32);

impl fmt::Display for FuncId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "f{}", self.0)
    }
}

impl fmt::Display for StaticId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{}", self.0)
    }
}

/// A low-level constant.
#[derive(Clone, Debug)]
pub enum LlConst {
    Void,
    Bool(bool),
    Signed(i64),
    Unsigned(u64),
    Float(f64),
    Char(u8),
    UniChar(u32),
    /// The null pointer of a pointer type.
    Null(TypeId),
    /// A pointer to a prebuilt object, with the pointer type.
    Static(StaticId, TypeId),
    /// A pointer to a function, with the pointer-to-function type.
    Func(FuncId, TypeId),
}

impl PartialEq for LlConst {
    fn eq(&self, other: &LlConst) -> bool {
        use LlConst::*;
        match (self, other) {
            (Void, Void) => true,
            (Bool(a), Bool(b)) => a == b,
            (Signed(a), Signed(b)) => a == b,
            (Unsigned(a), Unsigned(b)) => a == b,
            (Float(a), Float(b)) => a.to_bits() == b.to_bits(),
            (Char(a), Char(b)) => a == b,
            (UniChar(a), UniChar(b)) => a == b,
            (Null(a), Null(b)) => a == b,
            (Static(a, x), Static(b, y)) => a == b && x == y,
            (Func(a, x), Func(b, y)) => a == b && x == y,
            _ => false,
        }
    }
}

impl Eq for LlConst {}

impl std::hash::Hash for LlConst {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            LlConst::Void => {}
            LlConst::Bool(b) => b.hash(state),
            LlConst::Signed(i) => i.hash(state),
            LlConst::Unsigned(u) => u.hash(state),
            LlConst::Float(f) => f.to_bits().hash(state),
            LlConst::Char(c) => c.hash(state),
            LlConst::UniChar(c) => c.hash(state),
            LlConst::Null(t) => t.hash(state),
            LlConst::Static(s, t) => (s, t).hash(state),
            LlConst::Func(f, t) => (f, t).hash(state),
        }
    }
}

impl LlConst {
    /// The constant's low-level type.
    pub fn ty(&self) -> TypeId {
        match self {
            LlConst::Void => TypeId::VOID,
            LlConst::Bool(_) => TypeId::BOOL,
            LlConst::Signed(_) => TypeId::SIGNED,
            LlConst::Unsigned(_) => TypeId::UNSIGNED,
            LlConst::Float(_) => TypeId::FLOAT,
            LlConst::Char(_) => TypeId::CHAR,
            LlConst::UniChar(_) => TypeId::UNICHAR,
            LlConst::Null(t) | LlConst::Static(_, t) | LlConst::Func(_, t) => *t,
        }
    }

    /// The raw 64-bit form used by the llinterp and by constant folding (floats as
    /// bits, bools as 0/1). Pointers have no raw form here.
    pub fn to_bits(&self) -> Option<u64> {
        Some(match self {
            LlConst::Void => 0,
            LlConst::Bool(b) => *b as u64,
            LlConst::Signed(i) => *i as u64,
            LlConst::Unsigned(u) => *u,
            LlConst::Float(f) => f.to_bits(),
            LlConst::Char(c) => *c as u64,
            LlConst::UniChar(c) => *c as u64,
            LlConst::Null(_) => 0,
            _ => return None,
        })
    }

    /// The constant of primitive type `ty` whose raw form is `bits`.
    pub fn from_bits(ty: TypeId, bits: u64) -> Option<LlConst> {
        Some(match ty {
            TypeId::VOID => LlConst::Void,
            TypeId::BOOL => LlConst::Bool(bits != 0),
            TypeId::SIGNED => LlConst::Signed(bits as i64),
            TypeId::UNSIGNED => LlConst::Unsigned(bits),
            TypeId::FLOAT => LlConst::Float(f64::from_bits(bits)),
            TypeId::CHAR => LlConst::Char(bits as u8),
            TypeId::UNICHAR => LlConst::UniChar(bits as u32),
            _ => return None,
        })
    }

    pub fn as_signed(&self) -> Option<i64> {
        match self {
            LlConst::Signed(i) => Some(*i),
            _ => None,
        }
    }
}

/// The kind of values of a type, without needing the type table: primitive types have
/// fixed ids, and every other type a variable can have is a pointer.
pub fn kind_of(ty: TypeId) -> Kind {
    match ty {
        TypeId::VOID => Kind::Void,
        TypeId::BOOL => Kind::Bool,
        TypeId::SIGNED => Kind::Int,
        TypeId::UNSIGNED => Kind::Uint,
        TypeId::FLOAT => Kind::Float,
        TypeId::CHAR => Kind::Char,
        TypeId::UNICHAR => Kind::UniChar,
        _ => Kind::Ptr,
    }
}

/// The contents of a prebuilt object.
#[derive(Clone, Debug, PartialEq)]
pub enum StaticValue {
    /// A struct: one constant per field, except the inline array of a variable-size
    /// struct, whose items are in `items`.
    Struct { fields: Vec<LlConst>, items: Vec<LlConst> },
    /// A standalone array.
    Array(Vec<LlConst>),
    /// A `STR`, stored compactly.
    Str(Arc<str>),
}

/// A prebuilt object: emitted as data by the backend, materialised by the llinterp.
#[derive(Clone, Debug, PartialEq)]
pub struct StaticObj {
    /// The container type (not the pointer type).
    pub ty: TypeId,
    pub value: StaticValue,
    /// A readable name for dumps and symbols.
    pub name: String,
}

/// What a function is, for dumps and for inlining decisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuncKind {
    /// Lowered from a function of the user's program.
    User,
    /// Generated by the RTyper to spell out a low-level operation.
    Helper,
}

#[derive(Clone, Debug)]
pub struct LlFunc {
    /// A unique symbol name.
    pub name: String,
    pub graph: Graph<Ll>,
    /// The function type (`LlType::Func`).
    pub ty: TypeId,
    pub kind: FuncKind,
    /// The function's JIT hints (`@elidable`, `@unroll_safe`, ...).
    pub hints: crate::jit::FuncHints,
}

impl LlFunc {
    /// A function without JIT hints.
    pub fn new(name: impl Into<String>, graph: Graph<Ll>, ty: TypeId, kind: FuncKind) -> LlFunc {
        LlFunc { name: name.into(), graph, ty, kind, hints: Default::default() }
    }
}

/// The whole low-level program.
#[derive(Clone, Debug, Default)]
pub struct LlProgram {
    pub types: TypeTable,
    pub funcs: Vec<LlFunc>,
    pub statics: Vec<StaticObj>,
    /// `entry_point(argv: list of str) -> int`.
    pub entry: Option<FuncId>,
    /// Vtables of the built-in exception classes the runtime raises by itself.
    pub exc_vtables: Vec<Option<StaticId>>,
    /// The collector the graphs were GC-transformed for; `None` until the GC transform
    /// runs (the llinterp runs such programs, with the `none` collector).
    pub gc: Option<crate::gc::GcPolicy>,
    /// The JIT drivers the program's `jit_merge_point`/`jit_can_enter_jit` ops name.
    pub jit_drivers: Vec<crate::jit::JitDriverDesc>,
    str_consts: HashMap<Arc<str>, StaticId>,
}

impl LlProgram {
    pub fn new() -> LlProgram {
        LlProgram { exc_vtables: vec![None; BuiltinExc::COUNT], ..Default::default() }
    }

    pub fn add_func(&mut self, func: LlFunc) -> FuncId {
        let id = FuncId(self.funcs.len() as u32);
        self.funcs.push(func);
        id
    }

    pub fn func(&self, id: FuncId) -> &LlFunc {
        &self.funcs[id.0 as usize]
    }

    pub fn func_mut(&mut self, id: FuncId) -> &mut LlFunc {
        &mut self.funcs[id.0 as usize]
    }

    pub fn func_ids(&self) -> impl Iterator<Item = FuncId> {
        (0..self.funcs.len() as u32).map(FuncId)
    }

    pub fn add_static(&mut self, obj: StaticObj) -> StaticId {
        let id = StaticId(self.statics.len() as u32);
        self.statics.push(obj);
        id
    }

    pub fn static_obj(&self, id: StaticId) -> &StaticObj {
        &self.statics[id.0 as usize]
    }

    /// A constant pointer to the prebuilt string `s`, shared by every use of `s`.
    pub fn str_const(&mut self, s: &str) -> LlConst {
        if let Some(&id) = self.str_consts.get(s) {
            return LlConst::Static(id, TypeId::STR_PTR);
        }
        let text: Arc<str> = Arc::from(s);
        let id = self.add_static(StaticObj { ty: TypeId::STR, value: StaticValue::Str(text.clone()), name: format!("str{}", self.str_consts.len()) });
        self.str_consts.insert(text, id);
        LlConst::Static(id, TypeId::STR_PTR)
    }

    /// A constant pointer to function `id`.
    pub fn func_const(&mut self, id: FuncId) -> LlConst {
        let fty = self.func(id).ty;
        let pty = self.types.ptr(fty);
        LlConst::Func(id, pty)
    }

    /// The text form of one function's graph, after a `# jit: ...` line naming its JIT
    /// hints, if it has any.
    pub fn print_func(&self, id: FuncId) -> String {
        let f = self.func(id);
        let graph = kiln_flowgraph::print_graph(&f.graph, self);
        if f.hints.is_empty() {
            return graph;
        }
        format!("# jit: {}\n{graph}", f.hints)
    }

    /// The text form of the JIT drivers: greens and reds with their types, callbacks
    /// and flags, one driver after another.
    pub fn print_jit_drivers(&self) -> String {
        let mut out = String::new();
        let vars = |vs: &[crate::jit::JitVar]| vs.iter().map(|v| format!("{}: {}", v.name, self.types.name(v.ty))).collect::<Vec<_>>().join(", ");
        for (i, d) in self.jit_drivers.iter().enumerate() {
            let _ = writeln!(out, "jit_driver {} '{}'{}", crate::jit::JitDriverId(i as u32), d.name, if d.reds_auto { " (reds='auto')" } else { "" });
            let _ = writeln!(out, "  greens: [{}]", vars(&d.greens));
            let _ = writeln!(out, "  reds: [{}]", vars(&d.reds));
            for (k, f) in &d.callbacks {
                let _ = writeln!(out, "  {}: &{}", k.keyword(), self.func(*f).name);
            }
            let _ = writeln!(out, "  is_recursive: {}", if d.is_recursive { "True" } else { "False" });
            let _ = writeln!(out, "  virtualizables: [{}]", d.virtualizables.join(", "));
        }
        out
    }

    /// The text form of one function, with source lines from `line_of`.
    pub fn print_func_with_lines(&self, id: FuncId, line_of: &dyn Fn(Span) -> Option<String>) -> String {
        GraphPrinter::<Ll> { cx: self, line_of: Some(line_of) }.print(&self.func(id).graph)
    }

    pub fn find_func(&self, name: &str) -> Option<FuncId> {
        self.funcs.iter().position(|f| f.name == name).map(|i| FuncId(i as u32))
    }
}

/// The lltype dialect of the graph model.
#[derive(Debug, Clone, PartialEq)]
pub struct Ll;

impl Dialect for Ll {
    type Op = LlOp;
    type Const = LlConst;
    type VarType = TypeId;
    type Cx = LlProgram;

    fn write_op(cx: &LlProgram, op: &LlOp, out: &mut String) {
        out.push_str(op.name());
        match op {
            LlOp::GetField(f) | LlOp::SetField(f) | LlOp::GetInteriorItem(f) | LlOp::SetInteriorItem(f) | LlOp::GetInteriorLength(f) => {
                let s = cx.types.struct_type(f.strukt);
                let field = s.fields.get(f.index as usize).map_or("?", |fl| fl.name.as_str());
                let _ = write!(out, "[{}.{}]", s.name, field);
            }
            LlOp::RtCall(r) => {
                let _ = write!(out, "[{}]", r.info().symbol);
            }
            LlOp::GcPushFrame(n) | LlOp::GcPopFrame(n) | LlOp::GcSaveRoot(n) | LlOp::GcLoadRoot(n) | LlOp::JitValueStore(n) | LlOp::JitValueLoad(n) => {
                let _ = write!(out, "[{n}]");
            }
            LlOp::JitMergePoint(d) | LlOp::JitCanEnterJit(d) | LlOp::JitMergePointCall(d) | LlOp::JitEnterSet(d) | LlOp::JitEnterTake(d) => match cx.jit_drivers.get(d.0 as usize) {
                Some(desc) => {
                    let _ = write!(out, "[{}]", desc.name);
                }
                None => {
                    let _ = write!(out, "[{d}]");
                }
            },
            LlOp::JitHint(flags) => {
                let _ = write!(out, "[{flags}]");
            }
            _ => {}
        }
    }

    fn write_const(cx: &LlProgram, c: &LlConst, out: &mut String) {
        let _ = match c {
            LlConst::Void => write!(out, "void"),
            LlConst::Bool(b) => write!(out, "{b}"),
            LlConst::Signed(i) => write!(out, "{i}"),
            LlConst::Unsigned(u) => write!(out, "{u}u"),
            LlConst::Float(f) => write!(out, "{f:?}"),
            LlConst::Char(c) => write!(out, "{:?}", *c as char),
            LlConst::UniChar(c) => write!(out, "u{:?}", char::from_u32(*c).unwrap_or('\u{fffd}')),
            LlConst::Null(_) => write!(out, "null"),
            LlConst::Static(id, _) => match cx.statics.get(id.0 as usize) {
                Some(StaticObj { value: StaticValue::Str(s), .. }) => write!(out, "@{s:?}"),
                Some(s) => write!(out, "@{}", s.name),
                None => write!(out, "@{id}"),
            },
            LlConst::Func(id, _) => match cx.funcs.get(id.0 as usize) {
                Some(f) => write!(out, "&{}", f.name),
                None => write!(out, "&{id}"),
            },
        };
    }

    fn write_type(cx: &LlProgram, ty: &TypeId, out: &mut String) {
        out.push_str(&cx.types.name(*ty));
    }

    fn op_can_raise(op: &LlOp) -> bool {
        op.info().can_raise
    }

    fn const_type(c: &LlConst) -> Option<TypeId> {
        Some(c.ty())
    }

    fn check_op(g: &Graph<Ll>, op: &Operation<Ll>) -> Result<(), String> {
        let Some((args, res)) = op.op.signature() else { return Ok(()) };
        let value_kind = |v: &kiln_flowgraph::Value<LlConst>| match v {
            kiln_flowgraph::Value::Var(v) => kind_of(*g.var_type(*v)),
            kiln_flowgraph::Value::Const(c) => kind_of(c.ty()),
        };
        let variadic = matches!(op.op, LlOp::DirectCall | LlOp::IndirectCall);
        if !variadic && op.args.len() != args.len() {
            return Err(format!("{} takes {} arguments, got {}", op.op.name(), args.len(), op.args.len()));
        }
        for (i, (a, want)) in op.args.iter().zip(args.iter()).enumerate() {
            let got = value_kind(a);
            if *want != Kind::Any && got != *want {
                return Err(format!("argument {i} of {} is {:?}, expected {:?}", op.op.name(), got, want));
            }
        }
        let got = kind_of(*g.var_type(op.result));
        if res != Kind::Any && got != res {
            return Err(format!("the result of {} is {:?}, expected {:?}", op.op.name(), got, res));
        }
        Ok(())
    }
}

/// Writes a type's name; a convenience for error messages.
pub fn type_name(prog: &LlProgram, ty: TypeId) -> String {
    prog.types.name(ty)
}

impl LlProgram {
    /// Whether a value of type `from` may flow where `to` is expected without a cast.
    pub fn types_compatible(&self, from: TypeId, to: TypeId) -> bool {
        from == to || matches!((self.types.get(from), self.types.get(to)), (LlType::Ptr(_), LlType::Address))
    }
}
