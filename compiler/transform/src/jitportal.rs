//! The portal rewrite (`--jit` only; docs/jit.md, "The portal"): every
//! `jit_merge_point[d](greens..., reds...)` op becomes a call into the JIT runtime that
//! may hand the interpreter new greens and reds, return from the portal, or raise.
//!
//! The codewriter has already run on the graphs before this pass (it reads the marker
//! op); the rewrite only changes what the backend compiles. It runs before the stack
//! check, exception and GC transforms, which then treat the call like any call that can
//! raise and collect: the exception transform propagates what it raises, and the GC
//! transform keeps the portal's GC pointers live across it in shadow-stack slots.
//!
//! For a merge point at op `i` of block `b`, the block is split after `i`:
//! ```text
//! b:       ops[..i]
//!          active = jit_active()
//!          switch active: false -> cont(carried), true -> call(carried, args)
//! call:    jit_value_store[0](v0) ... jit_value_store[n-1](vn-1)   # greens then reds
//!          status = jit_merge_point_call[d]()
//!          switch status: 1 -> restart, 2 -> ret, default -> cont(carried)
//! restart: w0 = jit_value_load[0]() ...                           # new greens and reds
//!          -> cont(carried, with each vk replaced by wk)
//! ret:     r = jit_value_load[0]() -> portal's result type; return r
//! cont:    ops[i+1..], b's exits
//! ```
//! The flag test keeps a VM run with `KILN_JIT=off` at the speed of one without the
//! JIT: the call, and the shadow-stack traffic the GC transform puts around it, happen
//! only in `call`.
//!
//! **Where the JIT counts** (RPython's rule, `warmspot.py`): a driver that has a
//! `can_enter_jit` anywhere counts, traces and enters compiled code only at the merge
//! point reached after one, or after the portal's entry. Each `jit_can_enter_jit[d]`
//! becomes `jit_enter_set[d]` (a store of 1 into the driver's can-enter byte), the
//! portal function sets the byte at its entry (function-entry counting: the first merge
//! point of every call of the portal counts), and the merge point tests
//! `jit_enter_take[d]` (the byte is set and the JIT active; it clears the byte) instead
//! of `jit_active`. A driver without a `can_enter_jit` counts at every merge point.
//!
//! The slots hold the greens, then the reds, each group by register bank (ints, then GC
//! references, then floats) and in the driver's order within a bank: the order in which
//! the jitcode's `jit_merge_point` lists them, which the tracer and the blackhole
//! interpreter read. A `Void` argument (a constant the annotator folded) has no slot. Status 3 (an
//! exception is pending) needs no case: the exception transform's check after the call
//! propagates it before the switch.
//!
//! Every variable live after the merge point must be one of its greens or reds: after a
//! restart, only those have their new values. Anything else is a diagnostic at the
//! merge point.

use std::collections::{HashMap, HashSet};

use kiln_diagnostics::Diagnostic;
use kiln_flowgraph::{BlockId, ExitSwitch, Link, LinkCase, Operation, Value, Var};
use kiln_lltype::{kind_of, JitDriverId, Kind, LlConst, LlGraph, LlOp, LlProgram, LlType, TypeId, TypeTable};

/// What the rewrite did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortalStats {
    /// Merge points rewritten.
    pub merge_points: usize,
    /// `can_enter_jit`s lowered to a store of the driver's can-enter byte.
    pub can_enter_jits: usize,
}

/// Rewrites every merge point of `prog`. Errors are the user's (a variable live across a
/// merge point that is neither green nor red).
pub fn run(prog: &mut LlProgram) -> Result<PortalStats, Vec<Diagnostic>> {
    let mut stats = PortalStats::default();
    let mut errors = Vec::new();
    let drivers: Vec<(String, usize)> = prog.jit_drivers.iter().map(|d| (d.name.clone(), d.greens.len())).collect();
    let types = &prog.types;
    // The drivers with a `can_enter_jit` somewhere: their merge points count only after
    // one (or after the portal's entry), as RPython's do.
    let mut gated: HashSet<JitDriverId> = HashSet::new();
    for f in &prog.funcs {
        for b in f.graph.reachable_blocks() {
            for op in &f.graph.block(b).ops {
                if let LlOp::JitCanEnterJit(d) = op.op {
                    gated.insert(d);
                }
            }
        }
    }
    for f in prog.funcs.iter_mut() {
        let g = &mut f.graph;
        if !gated.is_empty() {
            gate(g, &gated, &mut stats);
        }
        // Each rewrite moves the rest of the block to a new block, which may hold the
        // next merge point: work until no block has one.
        loop {
            let found = g.reachable_blocks().into_iter().find_map(|b| g.block(b).ops.iter().position(|op| matches!(op.op, LlOp::JitMergePoint(_))).map(|i| (b, i)));
            let Some((b, i)) = found else { break };
            if let Err(d) = rewrite(g, types, b, i, &drivers, &gated) {
                errors.push(d);
                // Drop the marker so the loop ends; the program is refused anyway.
                g.block_mut(b).ops.remove(i);
                continue;
            }
            stats.merge_points += 1;
        }
    }
    if errors.is_empty() {
        Ok(stats)
    } else {
        Err(errors)
    }
}

/// Whether a value of this type has a 64-bit word form (takes a slot).
fn has_word(ty: TypeId) -> bool {
    !matches!(kind_of(ty), Kind::Void | Kind::Any)
}

/// The jitcode register bank of a value (0 ints, 1 references, 2 floats), as
/// `kiln_codewriter::descrs::bank_of` decides it; `None` for `Void`.
fn bank(types: &TypeTable, ty: TypeId) -> Option<u8> {
    match types.get(ty) {
        LlType::Void => None,
        LlType::Float => Some(2),
        LlType::Ptr(_) if types.is_gc_ptr(ty) => Some(1),
        _ if has_word(ty) => Some(0),
        _ => None,
    }
}

fn value_type(g: &LlGraph, v: &Value<LlConst>) -> TypeId {
    match v {
        Value::Var(v) => *g.var_type(*v),
        Value::Const(c) => c.ty(),
    }
}

/// For the drivers in `gated` (those with a `can_enter_jit`): each `jit_can_enter_jit[d]`
/// becomes `jit_enter_set[d]`, and a function holding `d`'s merge point (its portal)
/// sets the byte at its entry, so that the first merge point of each call of the portal
/// counts (RPython's function-entry counting, `maybe_enter_from_start`).
fn gate(g: &mut LlGraph, gated: &HashSet<JitDriverId>, stats: &mut PortalStats) {
    let mut portal_of: Vec<JitDriverId> = Vec::new();
    for b in g.reachable_blocks() {
        for op in g.block_mut(b).ops.iter_mut() {
            match op.op {
                LlOp::JitCanEnterJit(d) if gated.contains(&d) => {
                    op.op = LlOp::JitEnterSet(d);
                    op.args.clear();
                    stats.can_enter_jits += 1;
                }
                LlOp::JitMergePoint(d) if gated.contains(&d) && !portal_of.contains(&d) => portal_of.push(d),
                _ => {}
            }
        }
    }
    if portal_of.is_empty() {
        return;
    }
    // The sets go into a block that runs once per call: the start block if nothing jumps
    // back to it, else a new start block in front of it.
    let start = g.startblock;
    let jumped_to = g.reachable_blocks().into_iter().any(|b| g.block(b).exits.iter().any(|l| l.target == start));
    let entry = if jumped_to {
        let params: Vec<Var> = g.block(start).inputargs.clone();
        let fresh: Vec<Var> = params.iter().map(|v| g.copy_var(*v)).collect();
        let entry = g.add_block(fresh.clone());
        g.block_mut(entry).exits.push(Link::new(start, fresh.into_iter().map(Value::Var).collect()));
        g.startblock = entry;
        entry
    } else {
        start
    };
    let span = g.span;
    let sets: Vec<Operation<kiln_lltype::Ll>> = portal_of
        .into_iter()
        .map(|d| {
            let r = g.new_var(None, TypeId::VOID);
            Operation { op: LlOp::JitEnterSet(d), args: vec![], result: r, span }
        })
        .collect();
    g.block_mut(entry).ops.splice(0..0, sets);
}

fn rewrite(g: &mut LlGraph, types: &TypeTable, b: BlockId, i: usize, drivers: &[(String, usize)], gated: &HashSet<JitDriverId>) -> Result<(), Diagnostic> {
    let marker = g.block(b).ops[i].clone();
    let LlOp::JitMergePoint(driver) = marker.op else { unreachable!("found as a merge point") };
    let span = marker.span;

    // The slot of each argument, `None` for Void ones: the greens, then the reds, each
    // group by bank (ints, references, floats) and in the op's order within a bank.
    let (driver_name, n_greens) = drivers.get(driver.0 as usize).cloned().unwrap_or_else(|| (driver.to_string(), 0));
    let n_greens = n_greens.min(marker.args.len());
    let mut slots: Vec<Option<u32>> = vec![None; marker.args.len()];
    let mut next = 0u32;
    for group in [0..n_greens, n_greens..marker.args.len()] {
        for want in 0..3u8 {
            for k in group.clone() {
                if bank(types, value_type(g, &marker.args[k])) == Some(want) {
                    slots[k] = Some(next);
                    next += 1;
                }
            }
        }
    }
    if next > kiln_abi::JIT_VALUES_LEN {
        return Err(Diagnostic::error("E0950", format!("the JIT driver `{driver_name}` passes {next} greens and reds; the JIT takes at most {}", kiln_abi::JIT_VALUES_LEN))
            .with_primary(span, "this merge point"));
    }
    // First slot of each variable argument (a variable may be passed twice).
    let mut slot_of: HashMap<Var, (u32, usize)> = HashMap::new();
    for (k, a) in marker.args.iter().enumerate() {
        if let (Value::Var(v), Some(s)) = (a, slots[k]) {
            slot_of.entry(*v).or_insert((s, k));
        }
    }

    // Split: the rest of the block goes to `cont`.
    let block = g.block_mut(b);
    let rest_ops = block.ops.split_off(i + 1);
    block.ops.pop();
    let exitswitch = std::mem::replace(&mut block.exitswitch, ExitSwitch::None);
    let exits = std::mem::take(&mut block.exits);
    let mut used: HashSet<Var> = HashSet::new();
    let mut defined: HashSet<Var> = HashSet::new();
    let mut order: Vec<Var> = Vec::new();
    let note = |v: Var, used: &mut HashSet<Var>, order: &mut Vec<Var>| {
        if used.insert(v) {
            order.push(v);
        }
    };
    for op in &rest_ops {
        for a in op.args.iter().filter_map(Value::as_var) {
            if !defined.contains(&a) {
                note(a, &mut used, &mut order);
            }
        }
        defined.insert(op.result);
    }
    if let ExitSwitch::Value(Value::Var(v)) = &exitswitch {
        if !defined.contains(v) {
            note(*v, &mut used, &mut order);
        }
    }
    for link in &exits {
        for a in link.args.iter().filter_map(Value::as_var) {
            if !defined.contains(&a) && Some(a) != link.last_exception && Some(a) != link.last_exc_value {
                note(a, &mut used, &mut order);
            }
        }
    }
    // Carried variables that take no slot (Void ones) need no value: they are passed
    // on as they are (a Void variable carries nothing).
    let missing: Vec<Var> = order.iter().copied().filter(|v| !slot_of.contains_key(v) && has_word(*g.var_type(*v))).collect();
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|v| format!("`{}`", g.var_name(*v))).collect();
        // Put the block back together before reporting.
        let block = g.block_mut(b);
        block.ops.push(marker);
        block.ops.extend(rest_ops);
        block.exitswitch = exitswitch;
        block.exits = exits;
        return Err(Diagnostic::error("E0951", format!("{} {} live after the merge point of `{driver_name}` but {} neither green nor red", names.join(", "), if names.len() == 1 { "is" } else { "are" }, if names.len() == 1 { "is" } else { "are" }))
            .with_primary(span, "this merge point")
            .with_note("with --jit, the JIT may resume the interpreter at a merge point with new greens and reds only: every variable used after it must be passed as a green or a red")
            .with_note("add the variables to the driver's `reds` (or use `reds='auto'`)"));
    }

    let fresh: Vec<Var> = order.iter().map(|v| g.copy_var(*v)).collect();
    let cont = g.add_block(fresh.clone());
    let rename: HashMap<Var, Var> = order.iter().copied().zip(fresh.iter().copied()).collect();
    let ren = |v: &Value<LlConst>| match v {
        Value::Var(x) => Value::Var(*rename.get(x).unwrap_or(x)),
        c => c.clone(),
    };
    let rest_ops: Vec<Operation<kiln_lltype::Ll>> = rest_ops.into_iter().map(|op| Operation { args: op.args.iter().map(ren).collect(), ..op }).collect();
    let exitswitch = match exitswitch {
        ExitSwitch::Value(v) => ExitSwitch::Value(ren(&v)),
        other => other,
    };
    let exits: Vec<Link<LlConst>> = exits.into_iter().map(|l| Link { args: l.args.iter().map(ren).collect(), ..l }).collect();
    {
        let c = g.block_mut(cont);
        c.ops = rest_ops;
        c.exitswitch = exitswitch;
        c.exits = exits;
    }

    // The call block gets the carried variables and the marker's other variables.
    let mut pass: Vec<Var> = order.clone();
    for a in marker.args.iter().filter_map(Value::as_var) {
        if !pass.contains(&a) {
            pass.push(a);
        }
    }
    let call_inputs: Vec<Var> = pass.iter().map(|v| g.copy_var(*v)).collect();
    let call = g.add_block(call_inputs.clone());
    let in_call: HashMap<Var, Var> = pass.iter().copied().zip(call_inputs.iter().copied()).collect();
    let at_call = |v: &Value<LlConst>| match v {
        Value::Var(x) => Value::Var(in_call[x]),
        c => c.clone(),
    };

    // The stores and the call.
    for (k, a) in marker.args.iter().enumerate() {
        if let Some(s) = slots[k] {
            let r = g.new_var(None, TypeId::VOID);
            g.block_mut(call).ops.push(Operation { op: LlOp::JitValueStore(s), args: vec![at_call(a)], result: r, span });
        }
    }
    let status = g.new_var(Some("jit_status"), TypeId::SIGNED);
    g.block_mut(call).ops.push(Operation { op: LlOp::JitMergePointCall(driver), args: vec![], result: status, span });

    // Restart: reload every carried green and red.
    let restart = g.add_block(vec![]);
    let mut loaded: HashMap<u32, Var> = HashMap::new();
    let mut restart_args = Vec::with_capacity(order.len());
    for v in &order {
        match slot_of.get(v) {
            Some(&(s, _)) => {
                let w = match loaded.get(&s) {
                    Some(w) => *w,
                    None => {
                        let ty = *g.var_type(*v);
                        let w = g.new_var(None, ty);
                        g.block_mut(restart).ops.push(Operation { op: LlOp::JitValueLoad(s), args: vec![], result: w, span });
                        loaded.insert(s, w);
                        w
                    }
                };
                restart_args.push(Value::Var(w));
            }
            None => restart_args.push(Value::Const(LlConst::Void)),
        }
    }
    g.block_mut(restart).exits.push(Link::new(cont, restart_args));

    // Return: the portal's result from slot 0.
    let ret = g.add_block(vec![]);
    let ret_ty = *g.var_type(g.return_var());
    let result = if has_word(ret_ty) {
        let r = g.new_var(None, ret_ty);
        g.block_mut(ret).ops.push(Operation { op: LlOp::JitValueLoad(0), args: vec![], result: r, span });
        Value::Var(r)
    } else {
        Value::Const(LlConst::Void)
    };
    let rb = g.returnblock;
    g.block_mut(ret).exits.push(Link::new(rb, vec![result]));

    let go_on = Link::new(cont, order.iter().map(|v| Value::Var(in_call[v])).collect());
    let block = g.block_mut(call);
    block.exitswitch = ExitSwitch::Value(Value::Var(status));
    block.exits = vec![
        Link::new(restart, vec![]).with_case(LinkCase::Int(1)),
        Link::new(ret, vec![]).with_case(LinkCase::Int(2)),
        go_on.with_case(LinkCase::Default),
    ];

    // A driver with a `can_enter_jit` calls only when one (or the portal's entry) set its
    // byte since the last merge point; the others at every merge point.
    let (test, test_name) = if gated.contains(&driver) { (LlOp::JitEnterTake(driver), "jit_enter") } else { (LlOp::JitActive, "jit_active") };
    let active = g.new_var(Some(test_name), TypeId::BOOL);
    let block = g.block_mut(b);
    block.ops.push(Operation { op: test, args: vec![], result: active, span });
    block.exitswitch = ExitSwitch::Value(Value::Var(active));
    block.exits = vec![
        Link::new(cont, order.iter().map(|v| Value::Var(*v)).collect()).with_case(LinkCase::Bool(false)),
        Link::new(call, pass.iter().map(|v| Value::Var(*v)).collect()).with_case(LinkCase::Bool(true)),
    ];
    Ok(())
}
