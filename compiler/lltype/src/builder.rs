//! A small builder for low-level graphs: the RTyper writes its helper graphs with it, and
//! tests of later stages build programs by hand with it.
//!
//! Blocks are in block-argument SSA form: `new_block` declares the input types, and
//! `jump`/`branch` pass values. A value of an earlier block may also be used directly;
//! `finish` threads such values through the links (`Graph::thread_free_vars`).

use kiln_flowgraph::{BlockId, ExitSwitch, Graph, Link, LinkCase, Operation, Span, Value, Var};

use crate::ops::LlOp;
use crate::program::{Ll, LlConst};
use crate::types::TypeId;

pub type LlValue = Value<LlConst>;

pub struct LlBuilder {
    pub graph: Graph<Ll>,
    cur: BlockId,
    /// The span given to every operation built from now on.
    pub span: Span,
}

impl LlBuilder {
    /// A graph with typed parameters; returns the builder positioned in the start block,
    /// and the parameter variables.
    pub fn new(name: &str, params: &[TypeId], ret: TypeId, span: Span) -> (LlBuilder, Vec<Var>) {
        let mut graph: Graph<Ll> = Graph::new(name, span, ret);
        let eb = graph.exceptblock;
        let (et, ev) = (graph.block(eb).inputargs[0], graph.block(eb).inputargs[1]);
        graph.vars[et.0 as usize].ty = TypeId::VTABLE_PTR;
        graph.vars[ev.0 as usize].ty = TypeId::OBJECT_PTR;
        let vars: Vec<Var> = params.iter().map(|t| graph.new_var(None, *t)).collect();
        let start = graph.startblock;
        graph.block_mut(start).inputargs = vars.clone();
        (LlBuilder { cur: start, graph, span }, vars)
    }

    pub fn current(&self) -> BlockId {
        self.cur
    }

    /// A new empty block with inputs of the given types.
    pub fn new_block(&mut self, inputs: &[TypeId]) -> (BlockId, Vec<Var>) {
        let vars: Vec<Var> = inputs.iter().map(|t| self.graph.new_var(None, *t)).collect();
        (self.graph.add_block(vars.clone()), vars)
    }

    /// Continues building in `block`.
    pub fn switch_to(&mut self, block: BlockId) {
        self.cur = block;
    }

    /// Appends `result: ty = op(args)` to the current block.
    pub fn op(&mut self, op: LlOp, args: Vec<LlValue>, ty: TypeId) -> Var {
        let result = self.graph.new_var(None, ty);
        let span = self.span;
        self.graph.block_mut(self.cur).ops.push(Operation { op, args, result, span });
        result
    }

    /// Ends the current block with an unconditional jump.
    pub fn jump(&mut self, target: BlockId, args: Vec<LlValue>) {
        let b = self.graph.block_mut(self.cur);
        b.exitswitch = ExitSwitch::None;
        b.exits = vec![Link::new(target, args)];
    }

    /// Ends the current block with a two-way branch on a Bool.
    pub fn branch(&mut self, cond: LlValue, if_true: (BlockId, Vec<LlValue>), if_false: (BlockId, Vec<LlValue>)) {
        let b = self.graph.block_mut(self.cur);
        b.exitswitch = ExitSwitch::Value(cond);
        b.exits = vec![
            Link::new(if_false.0, if_false.1).with_case(LinkCase::Bool(false)),
            Link::new(if_true.0, if_true.1).with_case(LinkCase::Bool(true)),
        ];
    }

    /// Ends the current block by returning `value`.
    pub fn ret(&mut self, value: LlValue) {
        let rb = self.graph.returnblock;
        self.jump(rb, vec![value]);
    }

    /// Ends the current block by raising: `etype` is the class's vtable pointer, `evalue`
    /// the instance (both cast to the except block's types by the caller if needed).
    pub fn raise(&mut self, etype: LlValue, evalue: LlValue) {
        let eb = self.graph.exceptblock;
        self.jump(eb, vec![etype, evalue]);
    }

    /// The graph, with values used across blocks passed along the links.
    pub fn finish(mut self) -> Graph<Ll> {
        self.graph.thread_free_vars();
        self.graph
    }
}

pub fn c(v: LlConst) -> LlValue {
    Value::Const(v)
}

pub fn v(var: Var) -> LlValue {
    Value::Var(var)
}

pub fn int(i: i64) -> LlValue {
    Value::Const(LlConst::Signed(i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::{FuncKind, LlFunc, LlProgram};

    /// A value of the start block used two blocks later is threaded through both links.
    #[test]
    fn values_used_across_blocks_are_threaded_through_links() {
        let mut prog = LlProgram::new();
        let (mut b, p) = LlBuilder::new("g", &[TypeId::SIGNED, TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
        let sum = b.op(LlOp::IntAdd, vec![v(p[0]), v(p[1])], TypeId::SIGNED);
        let neg = b.op(LlOp::IntLt, vec![v(p[0]), int(0)], TypeId::BOOL);
        let (x, _) = b.new_block(&[]);
        let (y, _) = b.new_block(&[]);
        b.branch(v(neg), (x, vec![]), (y, vec![]));
        b.switch_to(x);
        b.jump(y, vec![]);
        b.switch_to(y);
        let r = b.op(LlOp::IntMul, vec![v(sum), v(p[1])], TypeId::SIGNED);
        b.ret(v(r));
        let graph = b.finish();
        assert_eq!(graph.block(x).inputargs.len(), 2, "x passes sum and p1 on");
        assert_eq!(graph.block(y).inputargs.len(), 2);
        let ty = prog.types.func(vec![TypeId::SIGNED, TypeId::SIGNED], TypeId::SIGNED);
        prog.add_func(LlFunc { name: "g".into(), graph, ty, kind: FuncKind::Helper, hints: Default::default() });
        assert_eq!(crate::verify::verify_program(&prog), Vec::<String>::new());
    }

    /// `def f(a, b): return a // b if b else -1`, built by hand and verified.
    #[test]
    fn builds_a_verified_graph() {
        let mut prog = LlProgram::new();
        let (mut b, p) = LlBuilder::new("f", &[TypeId::SIGNED, TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
        let nz = b.op(LlOp::IntIsTrue, vec![v(p[1])], TypeId::BOOL);
        let (div, dv) = b.new_block(&[TypeId::SIGNED, TypeId::SIGNED]);
        let rb = b.graph.returnblock;
        b.branch(v(nz), (div, vec![v(p[0]), v(p[1])]), (rb, vec![int(-1)]));
        b.switch_to(div);
        let q = b.op(LlOp::IntFloorDiv, vec![v(dv[0]), v(dv[1])], TypeId::SIGNED);
        b.ret(v(q));
        let graph = b.finish();
        let ty = prog.types.func(vec![TypeId::SIGNED, TypeId::SIGNED], TypeId::SIGNED);
        let id = prog.add_func(LlFunc { name: "f".into(), graph, ty, kind: FuncKind::Helper, hints: Default::default() });
        assert_eq!(crate::verify::verify_program(&prog), Vec::<String>::new());
        insta::assert_snapshot!(prog.print_func(id), @r"
        graph f(v3: Signed, v4: Signed) -> Signed {
        block0(v3, v4):
            v5: Bool = int_is_true(v4)
            switch v5
              false -> return(-1)
              true -> block3(v3, v4)
        block3(v6, v7):
            v8: Signed = int_floordiv(v6, v7)
            -> return(v8)
        }
        ");
    }
}
