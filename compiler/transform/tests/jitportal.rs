//! Before/after snapshots of the portal rewrite (`--jit`): each `jit_merge_point`
//! becomes the `kiln_jit_active` test, the stores of the greens and reds, the call into
//! the JIT runtime and the switch on its outcome; a variable live across a merge point
//! that is neither green nor red is refused with a diagnostic.

use kiln_flowgraph::Span;
use kiln_lltype::builder::{int, v, LlBuilder};
use kiln_lltype::{FuncKind, GcPolicy, JitDriverDesc, JitDriverId, JitVar, LlFunc, LlOp, LlProgram, TypeId};
use kiln_transform::{jitportal, run_all, TransformOptions};

fn driver(greens: &[&str], reds: &[&str]) -> JitDriverDesc {
    let var = |n: &&str| JitVar { name: n.to_string(), ty: TypeId::SIGNED };
    JitDriverDesc {
        name: "jitdriver".into(),
        greens: greens.iter().map(var).collect(),
        reds: reds.iter().map(var).collect(),
        reds_auto: false,
        callbacks: vec![],
        is_recursive: false,
        virtualizables: vec![],
        span: Span::DUMMY,
    }
}

/// `def portal(n): pc = 0; acc = 0; while pc < n: merge_point(pc; n, acc); acc += pc;
/// pc += 1; return acc`, with `n` a red unless `n_is_red` is false.
fn portal(n_is_red: bool) -> LlProgram {
    portal_with(n_is_red, false)
}

/// The same portal; with `can_enter`, the back jump has a `can_enter_jit(pc; n, acc)`.
fn portal_with(n_is_red: bool, can_enter: bool) -> LlProgram {
    let mut prog = LlProgram::new();
    let s = TypeId::SIGNED;
    prog.jit_drivers.push(if n_is_red { driver(&["pc"], &["n", "acc"]) } else { driver(&["pc"], &["acc"]) });
    let (mut b, p) = LlBuilder::new("portal", &[s], s, Span::DUMMY);
    let (head, hv) = b.new_block(&[s, s, s]);
    b.jump(head, vec![int(0), v(p[0]), int(0)]);
    b.switch_to(head);
    let (pc, n, acc) = (hv[0], hv[1], hv[2]);
    let args = if n_is_red { vec![v(pc), v(n), v(acc)] } else { vec![v(pc), v(acc)] };
    b.op(LlOp::JitMergePoint(JitDriverId(0)), args, TypeId::VOID);
    let more = b.op(LlOp::IntLt, vec![v(pc), v(n)], TypeId::BOOL);
    let (body, bv) = b.new_block(&[s, s, s]);
    let rb = b.graph.returnblock;
    b.branch(v(more), (body, vec![v(pc), v(n), v(acc)]), (rb, vec![v(acc)]));
    b.switch_to(body);
    let acc2 = b.op(LlOp::IntAdd, vec![v(bv[2]), v(bv[0])], s);
    let pc2 = b.op(LlOp::IntAdd, vec![v(bv[0]), int(1)], s);
    if can_enter {
        b.op(LlOp::JitCanEnterJit(JitDriverId(0)), vec![v(pc2), v(bv[1]), v(acc2)], TypeId::VOID);
    }
    b.jump(head, vec![v(pc2), v(bv[1]), v(acc2)]);
    let graph = b.finish();
    let ty = prog.types.func(vec![s], s);
    prog.add_func(LlFunc { name: graph.name.clone(), graph, ty, kind: FuncKind::User, hints: Default::default() });
    prog
}

fn print_all(prog: &LlProgram) -> String {
    prog.func_ids().map(|f| prog.print_func(f)).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_merge_point_becomes_a_call_into_the_jit() {
    let mut prog = portal(true);
    let before = print_all(&prog);
    let stats = jitportal::run(&mut prog).expect("every live variable is green or red");
    assert_eq!(stats.merge_points, 1);
    assert_eq!(kiln_lltype::verify::verify_program(&prog), Vec::<String>::new());
    insta::assert_snapshot!("loop", format!("---- before\n{before}---- after\n{}", print_all(&prog)));
}

/// A driver with a `can_enter_jit` counts only after one or after the portal's entry:
/// the `can_enter_jit` and the start of the portal set the driver's byte, and the merge
/// point tests (and clears) it instead of `kiln_jit_active` alone.
#[test]
fn a_can_enter_jit_gates_the_merge_point() {
    let mut prog = portal_with(true, true);
    let before = print_all(&prog);
    let stats = jitportal::run(&mut prog).expect("every live variable is green or red");
    assert_eq!((stats.merge_points, stats.can_enter_jits), (1, 1));
    assert_eq!(kiln_lltype::verify::verify_program(&prog), Vec::<String>::new());
    let after = print_all(&prog);
    assert_eq!(after.matches("jit_enter_set[jitdriver]").count(), 2, "{after}");
    assert_eq!(after.matches("jit_enter_take[jitdriver]").count(), 1, "{after}");
    assert!(!after.contains("= jit_active()") && !after.contains("jit_can_enter_jit"), "{after}");
    insta::assert_snapshot!("can_enter_jit", format!("---- before\n{before}---- after\n{after}"));
    // Without a `can_enter_jit`, every merge point tests the flag alone.
    let mut plain = portal(true);
    jitportal::run(&mut plain).expect("every live variable is green or red");
    let plain = print_all(&plain);
    assert!(plain.contains("= jit_active()") && !plain.contains("jit_enter"), "{plain}");
}

/// A start block that the portal jumps back to gets a new entry block in front of it
/// for the byte's store, which must run once per call.
#[test]
fn the_entry_store_runs_once_per_call() {
    let mut prog = portal_with(true, true);
    // Make the start block a loop target: the head's back jump goes to it instead.
    let f = prog.func_ids().next().expect("one function");
    let g = &mut prog.funcs[f.0 as usize].graph;
    let start = g.startblock;
    assert_eq!(g.block(start).inputargs.len(), 1);
    let head = g.block(start).exits[0].target;
    let body = g.reachable_blocks().into_iter().find(|&b| b != start && g.block(b).exits.iter().any(|l| l.target == head)).expect("the back jump");
    let link = g.block_mut(body).exits.iter_mut().find(|l| l.target == head).expect("the back jump");
    link.target = start;
    link.args = vec![link.args[1].clone()];
    jitportal::run(&mut prog).expect("every live variable is green or red");
    let g = &prog.funcs[f.0 as usize].graph;
    assert_ne!(g.startblock, start, "a new entry block");
    let entry = g.block(g.startblock);
    assert!(matches!(entry.ops.first().map(|o| o.op), Some(LlOp::JitEnterSet(_))));
    assert_eq!(entry.exits.len(), 1);
    assert_eq!(entry.exits[0].target, start);
    assert!(!g.block(start).ops.iter().any(|o| matches!(o.op, LlOp::JitEnterSet(_))));
    assert_eq!(kiln_lltype::verify::verify_program(&prog), Vec::<String>::new());
}

/// The whole pipeline with `jit` on: the exception transform propagates what the call
/// raises, the GC transform keeps GC pointers across it; every pass verifies.
#[test]
fn the_rewritten_portal_goes_through_every_transform() {
    for policy in [GcPolicy::Incminimark, GcPolicy::Semispace] {
        let mut prog = portal(true);
        let options = TransformOptions { verify: true, gc: Some(policy), stack_checks: true, jit: true };
        let timings = run_all(&mut prog, &options).expect("the passes succeed");
        assert_eq!(timings[0].pass, "jitportal");
        let text = print_all(&prog);
        assert!(text.contains("jit_merge_point_call[jitdriver]()") && !text.contains("jit_merge_point["), "{text}");
        assert!(text.contains("exc_occurred()"), "the call can raise: {text}");
    }
    // Without `jit` the pass does not run and the marker stays.
    let mut prog = portal(true);
    let timings = run_all(&mut prog, &TransformOptions { verify: true, ..Default::default() }).expect("the passes succeed");
    assert!(timings.iter().all(|t| t.pass != "jitportal"));
    assert!(print_all(&prog).contains("jit_merge_point[jitdriver]"));
}

#[test]
fn a_live_variable_that_is_neither_green_nor_red_is_refused() {
    let mut prog = portal(false);
    let errors = jitportal::run(&mut prog).expect_err("n is live after the merge point");
    assert_eq!(errors.len(), 1);
    let d = &errors[0];
    assert_eq!(d.code, Some("E0951"));
    assert!(d.message.contains("live after the merge point of `jitdriver`") && d.message.contains("neither green nor red"), "{}", d.message);
    // Through run_all, the diagnostic comes back as the user's error.
    let mut prog = portal(false);
    let err = run_all(&mut prog, &TransformOptions { verify: true, jit: true, ..Default::default() }).expect_err("refused");
    assert!(err.errors.is_empty());
    assert_eq!(err.diagnostics.len(), 1);
}

/// The slots follow the jitcode's order: greens, then reds, each by bank (ints,
/// references, floats), so a float red passed before an int red comes after it.
#[test]
fn slots_are_greens_then_reds_by_bank() {
    let mut prog = LlProgram::new();
    let (s, f) = (TypeId::SIGNED, TypeId::FLOAT);
    let mut d = driver(&["pc"], &["x", "acc"]);
    d.reds[0].ty = f;
    prog.jit_drivers.push(d);
    let (mut b, p) = LlBuilder::new("portal", &[s, f, s], s, Span::DUMMY);
    b.op(LlOp::JitMergePoint(JitDriverId(0)), vec![v(p[0]), v(p[1]), v(p[2])], TypeId::VOID);
    let x = b.op(LlOp::CastFloatToInt, vec![v(p[1])], s);
    let r = b.op(LlOp::IntAdd, vec![v(p[0]), v(x)], s);
    let r = b.op(LlOp::IntAdd, vec![v(r), v(p[2])], s);
    b.ret(v(r));
    let graph = b.finish();
    let ty = prog.types.func(vec![s, f, s], s);
    prog.add_func(LlFunc { name: graph.name.clone(), graph, ty, kind: FuncKind::User, hints: Default::default() });
    jitportal::run(&mut prog).expect("rewritten");
    let mut stores = Vec::new();
    prog.funcs[0].graph.for_each_op(|_, op| {
        if let LlOp::JitValueStore(k) = op.op {
            stores.push((k, *prog.funcs[0].graph.var_type(op.args[0].as_var().unwrap())));
        }
    });
    stores.sort();
    assert_eq!(stores.iter().map(|(_, t)| *t).collect::<Vec<_>>(), [s, s, f], "pc, acc, then x: {stores:?}");
}
