//! Tests of the graph model, printer and verifier over a toy dialect.

use kiln_flowgraph::*;

struct Toy;

#[derive(Clone, Debug, PartialEq)]
enum ToyOp {
    Add,
    Lt,
    Call,
}

impl Dialect for Toy {
    type Op = ToyOp;
    type Const = i64;
    type VarType = ();
    type Cx = ();
    fn write_op(_: &(), op: &ToyOp, out: &mut String) {
        out.push_str(match op {
            ToyOp::Add => "add",
            ToyOp::Lt => "lt",
            ToyOp::Call => "call",
        });
    }
    fn write_const(_: &(), c: &i64, out: &mut String) {
        write_str(out, c);
    }
    fn write_type(_: &(), _: &(), _: &mut String) {}
    fn op_can_raise(op: &ToyOp) -> bool {
        *op == ToyOp::Call
    }
}

/// `def f(n): return n + 1 if n < 10 else 0`
fn sample() -> Graph<Toy> {
    let mut g: Graph<Toy> = Graph::new("f", Span::DUMMY, ());
    let n = g.new_var(Some("n"), ());
    g.block_mut(g.startblock).inputargs.push(n);
    let c = g.new_var(None, ());
    let n2 = g.new_var(Some("n"), ());
    let then = g.add_block(vec![n2]);
    let r = g.new_var(None, ());
    let start = g.startblock;
    let ret = g.returnblock;
    {
        let b = g.block_mut(start);
        b.ops.push(Operation { op: ToyOp::Lt, args: vec![Value::Var(n), Value::Const(10)], result: c, span: Span::DUMMY });
        b.exitswitch = ExitSwitch::Value(Value::Var(c));
        b.exits.push(Link::new(then, vec![Value::Var(n)]).with_case(LinkCase::Bool(true)));
        b.exits.push(Link::new(ret, vec![Value::Const(0)]).with_case(LinkCase::Bool(false)));
    }
    let b = g.block_mut(then);
    b.ops.push(Operation { op: ToyOp::Add, args: vec![Value::Var(n2), Value::Const(1)], result: r, span: Span::DUMMY });
    b.exits.push(Link::new(ret, vec![Value::Var(r)]));
    g
}

#[test]
fn prints_deterministically() {
    let g = sample();
    let text = print_graph(&g, &());
    assert_eq!(
        text,
        "graph f(n_3) {\nblock0(n_3):\n    v4 = lt(n_3, 10)\n    switch v4\n      true -> block3(n_3)\n      false -> return(0)\nblock3(n_5):\n    v6 = add(n_5, 1)\n    -> return(v6)\n}\n"
    );
    verify_graph(&g).expect("sample graph is valid");
}

#[test]
fn rejects_use_of_variable_from_another_block() {
    let mut g = sample();
    // Make block3 use the start block's `n` directly: not block-argument SSA.
    let n = g.params()[0];
    g.block_mut(BlockId(3)).ops[0].args[0] = Value::Var(n);
    let e = verify_graph(&g).unwrap_err();
    assert!(e.message.contains("not defined earlier in this block"), "{e}");
}

#[test]
fn rejects_arity_mismatch_and_duplicate_cases() {
    let mut g = sample();
    g.block_mut(g.startblock).exits[1].args.clear();
    assert!(verify_graph(&g).unwrap_err().message.contains("passes 0 values for 1 inputs"));

    let mut g = sample();
    g.block_mut(g.startblock).exits[1].case = LinkCase::Bool(true);
    assert!(verify_graph(&g).unwrap_err().message.contains("appears twice"));
}

#[test]
fn catching_block_needs_a_raising_last_op() {
    let mut g = sample();
    let start = g.startblock;
    g.block_mut(start).exitswitch = ExitSwitch::LastException;
    assert!(verify_graph(&g).unwrap_err().message.contains("cannot raise"));
    g.block_mut(start).ops[0].op = ToyOp::Call;
    // The switch's links have Bool cases, which a catching block does not allow.
    assert!(verify_graph(&g).is_err());
}

#[test]
fn remove_unreachable_renumbers_in_dfs_order() {
    let mut g = sample();
    let dead = g.add_block(vec![]);
    let ret = g.returnblock;
    g.block_mut(dead).exits.push(Link::new(ret, vec![Value::Const(5)]));
    g.remove_unreachable();
    assert_eq!(g.blocks.len(), 4);
    assert_eq!(g.startblock, BlockId(0));
    verify_graph(&g).expect("still valid");
}
