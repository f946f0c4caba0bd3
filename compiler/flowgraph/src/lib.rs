//! The graph model shared by every stage of Kiln, as in RPython's `flowspace/model.py`.
//!
//! A [`Graph`] is a set of [`Block`]s in block-argument SSA form: a block has input
//! variables, a list of [`Operation`]s, an optional exit switch and outgoing [`Link`]s; a link
//! passes values (variables or constants) to its target's input variables. Every graph has
//! a start block, a return block (one input: the return value) and an except block (two
//! inputs: exception type and value). A link whose case is an exception class carries two
//! fresh variables, `last_exception` and `last_exc_value`, bound to the caught exception.
//!
//! The op set, the constants and the per-variable type change between stages; a [`Dialect`]
//! names them. High-level flow graphs use the flowspace dialect, low-level graphs the lltype
//! dialect. Facts a stage computes about variables (annotations, for instance) live in side
//! tables of that stage, never here; the only per-variable payload is the dialect's
//! `VarType`, which is part of the IR itself for typed dialects (lltype) and `()` otherwise.

use std::fmt::{self, Write as _};
use std::sync::Arc;

pub use kiln_diagnostics::Span;

mod liveness;
mod print;
mod thread;
mod verify;

pub use liveness::{block_liveness, exit_uses, BlockLiveness};
pub use print::{print_graph, GraphPrinter};
pub use verify::{verify_graph, VerifyError};

/// The vocabulary of one stage: its operations, constants and variable types.
pub trait Dialect: Sized + 'static {
    type Op: Clone + fmt::Debug + PartialEq;
    type Const: Clone + fmt::Debug + PartialEq;
    type VarType: Clone + fmt::Debug + PartialEq + Default;
    /// What the printer needs to name constants (a heap of prebuilt objects, a type table…).
    type Cx: ?Sized;

    fn write_op(cx: &Self::Cx, op: &Self::Op, out: &mut String);
    fn write_const(cx: &Self::Cx, c: &Self::Const, out: &mut String);
    /// Writes a variable type; writes nothing for untyped dialects.
    fn write_type(cx: &Self::Cx, ty: &Self::VarType, out: &mut String);
    /// Whether an operation may raise: only such an op may end a block whose exit switch
    /// is [`ExitSwitch::LastException`].
    fn op_can_raise(op: &Self::Op) -> bool;
    /// The type of a constant, for typed dialects; `None` skips type checks.
    fn const_type(_c: &Self::Const) -> Option<Self::VarType> {
        None
    }
    /// Checks one operation's argument and result types; returns a message on failure.
    fn check_op(_graph: &Graph<Self>, _op: &Operation<Self>) -> Result<(), String> {
        Ok(())
    }
}

/// A variable, numbered within its graph. Its `Display` is the printed form, `v7`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Var(pub u32);

impl fmt::Display for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

/// A block, numbered within its graph. Its `Display` is the printed form, `block3`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct BlockId(pub u32);

impl fmt::Display for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "block{}", self.0)
    }
}

/// An operand: a variable of the same block, or a constant of the dialect.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<C> {
    Var(Var),
    Const(C),
}

impl<C> Value<C> {
    pub fn as_var(&self) -> Option<Var> {
        match self {
            Value::Var(v) => Some(*v),
            Value::Const(_) => None,
        }
    }

    pub fn as_const(&self) -> Option<&C> {
        match self {
            Value::Var(_) => None,
            Value::Const(c) => Some(c),
        }
    }
}

impl<C> From<Var> for Value<C> {
    fn from(v: Var) -> Self {
        Value::Var(v)
    }
}

/// What the graph knows about a variable besides its uses: a name for printing and
/// diagnostics, the dialect's type, and where its value was computed (the operation or
/// parameter; dummy for block inputs created at merges).
#[derive(Clone, Debug, PartialEq)]
pub struct VarData<T> {
    pub name: Option<Arc<str>>,
    pub ty: T,
    pub span: Span,
}

/// One operation: `result = op(args...)`, with the source span it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation<D: Dialect> {
    pub op: D::Op,
    pub args: Vec<Value<D::Const>>,
    pub result: Var,
    pub span: Span,
}

/// How a block chooses among its exits.
#[derive(Clone, Debug, PartialEq)]
pub enum ExitSwitch<C> {
    /// One unconditional exit (or none, for the return and except blocks).
    None,
    /// Switch on a bool, int or char value; the links' cases are the values.
    Value(Value<C>),
    /// The block's last operation may raise: the first link is taken when it does not, the
    /// others, in order, for the first matching exception class.
    LastException,
}

/// The condition under which a link is taken.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkCase<C> {
    /// Unconditional, or the no-exception exit of a `LastException` block.
    Always,
    Bool(bool),
    Int(i64),
    Char(u32),
    /// Taken when no other case of a value switch matches.
    Default,
    /// Taken when the raised exception is an instance of this class.
    Exception(C),
}

/// An edge between blocks, passing values to the target's input variables.
#[derive(Clone, Debug, PartialEq)]
pub struct Link<C> {
    pub target: BlockId,
    pub args: Vec<Value<C>>,
    pub case: LinkCase<C>,
    /// On exception links: the variables bound to the exception's class and instance.
    pub last_exception: Option<Var>,
    pub last_exc_value: Option<Var>,
    /// Where each argument's value comes from in the source (the assignment of the name
    /// it holds), for diagnostics about merges; empty when unknown.
    pub arg_spans: Vec<Span>,
}

impl<C> Link<C> {
    pub fn new(target: BlockId, args: Vec<Value<C>>) -> Link<C> {
        Link { target, args, case: LinkCase::Always, last_exception: None, last_exc_value: None, arg_spans: Vec::new() }
    }

    /// The source span of argument `i`, if known.
    pub fn arg_span(&self, i: usize) -> Span {
        self.arg_spans.get(i).copied().unwrap_or(Span::DUMMY)
    }

    pub fn with_case(mut self, case: LinkCase<C>) -> Link<C> {
        self.case = case;
        self
    }
}

/// A basic block in block-argument SSA form.
#[derive(Clone, Debug, PartialEq)]
pub struct Block<D: Dialect> {
    pub inputargs: Vec<Var>,
    pub ops: Vec<Operation<D>>,
    pub exitswitch: ExitSwitch<D::Const>,
    pub exits: Vec<Link<D::Const>>,
}

impl<D: Dialect> Block<D> {
    pub fn new(inputargs: Vec<Var>) -> Block<D> {
        Block { inputargs, ops: Vec::new(), exitswitch: ExitSwitch::None, exits: Vec::new() }
    }

    /// Whether this block can raise through its last operation to its exception links.
    pub fn catches_exceptions(&self) -> bool {
        matches!(self.exitswitch, ExitSwitch::LastException)
    }
}

/// A function body in one dialect.
#[derive(Clone, Debug)]
pub struct Graph<D: Dialect> {
    pub name: String,
    pub blocks: Vec<Block<D>>,
    pub vars: Vec<VarData<D::VarType>>,
    pub startblock: BlockId,
    pub returnblock: BlockId,
    pub exceptblock: BlockId,
    /// The span of the definition this graph was built from.
    pub span: Span,
}

impl<D: Dialect> Graph<D> {
    /// A graph with an empty start block and the return and except blocks.
    /// `ret_ty` types the return variable; the except block's variables get the default type
    /// and a typed dialect sets them itself.
    pub fn new(name: impl Into<String>, span: Span, ret_ty: D::VarType) -> Graph<D> {
        let mut g = Graph {
            name: name.into(),
            blocks: Vec::new(),
            vars: Vec::new(),
            startblock: BlockId(0),
            returnblock: BlockId(0),
            exceptblock: BlockId(0),
            span,
        };
        g.startblock = g.add_block(Vec::new());
        let rv = g.new_var(None, ret_ty);
        g.returnblock = g.add_block(vec![rv]);
        let et = g.new_var(Some("etype"), D::VarType::default());
        let ev = g.new_var(Some("evalue"), D::VarType::default());
        g.exceptblock = g.add_block(vec![et, ev]);
        g
    }

    pub fn new_var(&mut self, name: Option<&str>, ty: D::VarType) -> Var {
        let v = Var(self.vars.len() as u32);
        self.vars.push(VarData { name: name.map(Arc::from), ty, span: Span::DUMMY });
        v
    }

    /// A new variable with the same name and type as `v` (for renaming when blocks split).
    pub fn copy_var(&mut self, v: Var) -> Var {
        let data = self.vars[v.0 as usize].clone();
        let nv = Var(self.vars.len() as u32);
        self.vars.push(data);
        nv
    }

    pub fn var(&self, v: Var) -> &VarData<D::VarType> {
        &self.vars[v.0 as usize]
    }

    pub fn var_type(&self, v: Var) -> &D::VarType {
        &self.vars[v.0 as usize].ty
    }

    pub fn add_block(&mut self, inputargs: Vec<Var>) -> BlockId {
        let id = BlockId(self.blocks.len() as u32);
        self.blocks.push(Block::new(inputargs));
        id
    }

    pub fn block(&self, id: BlockId) -> &Block<D> {
        &self.blocks[id.0 as usize]
    }

    pub fn block_mut(&mut self, id: BlockId) -> &mut Block<D> {
        &mut self.blocks[id.0 as usize]
    }

    pub fn return_var(&self) -> Var {
        self.block(self.returnblock).inputargs[0]
    }

    pub fn params(&self) -> &[Var] {
        &self.block(self.startblock).inputargs
    }

    pub fn is_final(&self, id: BlockId) -> bool {
        id == self.returnblock || id == self.exceptblock
    }

    /// Blocks reachable from the start block, in depth-first preorder (deterministic).
    /// The return and except blocks are included when reachable.
    pub fn reachable_blocks(&self) -> Vec<BlockId> {
        let mut seen = vec![false; self.blocks.len()];
        let mut order = Vec::new();
        let mut stack = vec![self.startblock];
        while let Some(b) = stack.pop() {
            if seen[b.0 as usize] {
                continue;
            }
            seen[b.0 as usize] = true;
            order.push(b);
            for link in self.block(b).exits.iter().rev() {
                if !seen[link.target.0 as usize] {
                    stack.push(link.target);
                }
            }
        }
        order
    }

    /// Predecessor lists of every block (indexed by block number), over reachable blocks.
    pub fn predecessors(&self) -> Vec<Vec<BlockId>> {
        let mut preds = vec![Vec::new(); self.blocks.len()];
        for b in self.reachable_blocks() {
            for link in &self.block(b).exits {
                preds[link.target.0 as usize].push(b);
            }
        }
        preds
    }

    /// Drops unreachable blocks and renumbers the rest in reachable order, keeping the
    /// return and except blocks (they are always present, even when unreachable).
    pub fn remove_unreachable(&mut self) {
        let mut order = self.reachable_blocks();
        for fixed in [self.returnblock, self.exceptblock] {
            if !order.contains(&fixed) {
                order.push(fixed);
            }
        }
        if order.len() == self.blocks.len() && order.iter().enumerate().all(|(i, b)| b.0 as usize == i) {
            return;
        }
        let mut remap = vec![None; self.blocks.len()];
        for (new, old) in order.iter().enumerate() {
            remap[old.0 as usize] = Some(BlockId(new as u32));
        }
        let mut old_blocks: Vec<Option<Block<D>>> = std::mem::take(&mut self.blocks).into_iter().map(Some).collect();
        for old in &order {
            let mut b = old_blocks[old.0 as usize].take().expect("each block is visited once");
            for link in &mut b.exits {
                link.target = remap[link.target.0 as usize].expect("link targets are reachable");
            }
            self.blocks.push(b);
        }
        let fix = |b: BlockId| remap[b.0 as usize].expect("fixed blocks are kept");
        self.startblock = fix(self.startblock);
        self.returnblock = fix(self.returnblock);
        self.exceptblock = fix(self.exceptblock);
    }

    /// The printed name of a variable: `name_N` when it has a name, `vN` otherwise.
    pub fn var_name(&self, v: Var) -> String {
        match &self.var(v).name {
            Some(n) => format!("{}_{}", n, v.0),
            None => v.to_string(),
        }
    }

    /// The same graph in another dialect with the same ops and constants, giving each
    /// variable a new type (used to print a graph with a later stage's facts inline).
    pub fn map_var_types<E>(&self, mut f: impl FnMut(Var, &D::VarType) -> E::VarType) -> Graph<E>
    where
        E: Dialect<Op = D::Op, Const = D::Const>,
    {
        let vars = self
            .vars
            .iter()
            .enumerate()
            .map(|(i, v)| VarData { name: v.name.clone(), ty: f(Var(i as u32), &v.ty), span: v.span })
            .collect();
        let blocks = self
            .blocks
            .iter()
            .map(|b| Block {
                inputargs: b.inputargs.clone(),
                ops: b.ops.iter().map(|o| Operation { op: o.op.clone(), args: o.args.clone(), result: o.result, span: o.span }).collect(),
                exitswitch: b.exitswitch.clone(),
                exits: b.exits.clone(),
            })
            .collect();
        Graph { name: self.name.clone(), blocks, vars, startblock: self.startblock, returnblock: self.returnblock, exceptblock: self.exceptblock, span: self.span }
    }

    /// Number of operations over all blocks.
    pub fn op_count(&self) -> usize {
        self.blocks.iter().map(|b| b.ops.len()).sum()
    }

    /// Calls `f` on every operation of every reachable block.
    pub fn for_each_op(&self, mut f: impl FnMut(BlockId, &Operation<D>)) {
        for b in self.reachable_blocks() {
            for op in &self.block(b).ops {
                f(b, op);
            }
        }
    }
}

/// Appends `s` to `out`; a small helper for dialect printers.
pub fn write_str(out: &mut String, s: impl fmt::Display) {
    let _ = write!(out, "{s}");
}
