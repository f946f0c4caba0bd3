//! Splits paths on which a local is the constant `None` and only reaches tests that fold,
//! as RPython's flow space does by keeping constants per path: rpystone's `Proc2` sets
//! `EnumLoc = None`, then loops until `EnumLoc == Ident1`, where `EnumLoc` is `None` on
//! one path and an int on the other. Merged, the two would be an int-or-None that no
//! representation holds (E0301); split, the `None` path compares `None == 1`, which folds
//! to False, and the int path never meets a `None`.
//!
//! The transform is a copy of blocks specialised on which of their inputs are `None`
//! (states `(block, set of None inputs)`, explored from the start block as the flow space
//! explores frame states), so it only duplicates code and never changes what a path
//! computes: whatever it makes typable behaves as CPython does. It splits an input only
//! where every use of the value is a fold (`==`, `!=`, `is`, `is not` against a constant,
//! `not`, truth tests) or passes it on to such an input, and some use along the way folds.
//! Any other use keeps the merge, so a real mix (`x = None` or `5`, then `print(x)`) stays
//! a diagnostic, and an instance-or-None keeps its null checks (splitting its `None` path
//! would turn a run-time AttributeError into an always-None error).

use std::collections::{BTreeSet, HashMap, VecDeque};

use kiln_flowgraph::{Block, BlockId, ExitSwitch, Graph, LinkCase, Var};
use kiln_frontend::ops::CmpOp;
use kiln_frontend::Value;

use crate::build::Opnd;
use crate::ops::{Hl, HlOp};

/// How many blocks the split may add, over the graph's own: past it the graph is left as
/// built (still correct, only less typable).
const MAX_NEW_BLOCKS: usize = 64;

/// Splits `g` on `None` inputs where that lets tests fold. Returns whether it changed `g`.
pub fn split_none_paths(g: &mut Graph<Hl>) -> bool {
    let split = splittable_inputs(g);
    if split.values().all(|s| s.is_empty()) {
        return false;
    }
    let orig: Vec<Block<Hl>> = g.blocks.clone();
    let orig_vars = g.vars.len();
    let mut states: HashMap<(BlockId, Vec<usize>), BlockId> = HashMap::new();
    let mut queue: VecDeque<(BlockId, Vec<usize>)> = VecDeque::new();
    let start = (g.startblock, Vec::new());
    states.insert(start.clone(), g.startblock);
    queue.push_back(start);
    let mut added = 0;
    let mut changed = false;
    while let Some((b, key)) = queue.pop_front() {
        let id = states[&(b, key.clone())];
        if g.is_final(b) {
            continue;
        }
        if !key.is_empty() {
            let copy = specialise(g, &orig[b.0 as usize], &key);
            *g.block_mut(id) = copy;
        }
        // Route each exit to the state its None arguments select.
        let nexits = g.block(id).exits.len();
        for e in 0..nexits {
            let link = &g.block(id).exits[e];
            let t = link.target;
            let tkey: Vec<usize> = match split.get(&t) {
                Some(s) => link.args.iter().enumerate().filter(|(j, a)| s.contains(j) && matches!(a, Opnd::Const(Value::None))).map(|(j, _)| j).collect(),
                None => Vec::new(),
            };
            // An exit of an original block keeps its target when nothing is split, but the
            // target state is still explored, to reach the splits behind it.
            let target = match states.get(&(t, tkey.clone())) {
                Some(&tb) => tb,
                None => {
                    let tb = if tkey.is_empty() {
                        t
                    } else {
                        added += 1;
                        if added > MAX_NEW_BLOCKS {
                            g.blocks = orig;
                            g.vars.truncate(orig_vars);
                            return false;
                        }
                        g.add_block(Vec::new())
                    };
                    states.insert((t, tkey.clone()), tb);
                    queue.push_back((t, tkey));
                    tb
                }
            };
            if target != t {
                changed = true;
            }
            g.block_mut(id).exits[e].target = target;
        }
    }
    changed
}

/// A copy of `block` with fresh variables where the inputs at `key` are `None`, with the
/// operations that become constant folded and the exits a folded switch rules out dropped.
fn specialise(g: &mut Graph<Hl>, block: &Block<Hl>, key: &[usize]) -> Block<Hl> {
    let mut rename: HashMap<Var, Var> = HashMap::new();
    let mut subst: HashMap<Var, Opnd> = HashMap::new();
    let fresh = |g: &mut Graph<Hl>, rename: &mut HashMap<Var, Var>, v: Var| -> Var {
        let nv = g.copy_var(v);
        rename.insert(v, nv);
        nv
    };
    let inputargs: Vec<Var> = block.inputargs.iter().map(|&v| fresh(g, &mut rename, v)).collect();
    for &i in key {
        subst.insert(block.inputargs[i], Opnd::Const(Value::None));
    }
    let map = |subst: &HashMap<Var, Opnd>, rename: &HashMap<Var, Var>, a: &Opnd| -> Opnd {
        match a {
            Opnd::Var(v) => match subst.get(v) {
                Some(c) => c.clone(),
                None => Opnd::Var(rename.get(v).copied().unwrap_or(*v)),
            },
            c => c.clone(),
        }
    };
    let mut ops = Vec::new();
    let mut last_folded = false;
    for op in &block.ops {
        let args: Vec<Opnd> = op.args.iter().map(|a| map(&subst, &rename, a)).collect();
        if let Some(k) = fold(&op.op, &args) {
            subst.insert(op.result, Opnd::Const(k));
            last_folded = true;
            continue;
        }
        last_folded = false;
        let result = fresh(g, &mut rename, op.result);
        ops.push(kiln_flowgraph::Operation { op: op.op.clone(), args, result, span: op.span });
    }
    let mut exitswitch = match &block.exitswitch {
        ExitSwitch::Value(v) => ExitSwitch::Value(map(&subst, &rename, v)),
        other => other.clone(),
    };
    let mut exits = Vec::new();
    for l in &block.exits {
        let mut nl = l.clone();
        nl.last_exception = l.last_exception.map(|v| fresh(g, &mut rename, v));
        nl.last_exc_value = l.last_exc_value.map(|v| fresh(g, &mut rename, v));
        nl.args = l.args.iter().map(|a| map(&subst, &rename, a)).collect();
        exits.push(nl);
    }
    match &exitswitch {
        ExitSwitch::Value(Opnd::Const(Value::Bool(b))) => {
            let b = *b;
            let taken = exits.iter().position(|l| l.case == LinkCase::Bool(b)).or_else(|| exits.iter().position(|l| l.case == LinkCase::Default));
            if let Some(i) = taken {
                let mut l = exits.swap_remove(i);
                l.case = LinkCase::Always;
                exits = vec![l];
                exitswitch = ExitSwitch::None;
            }
        }
        // The operation that could raise folded away: only the normal exit is left.
        ExitSwitch::LastException if last_folded && !exits.is_empty() => {
            let mut l = exits.swap_remove(0);
            l.case = LinkCase::Always;
            exits = vec![l];
            exitswitch = ExitSwitch::None;
        }
        _ => {}
    }
    Block { inputargs, ops, exitswitch, exits }
}

/// A constant that a `None` may be compared with, knowing the answer: no special method
/// can run (`Obj` may be an instance with `__eq__`, but it is never `None`, so `is` folds).
fn plain(v: &Value, identity: bool) -> bool {
    identity || !matches!(v, Value::Obj(_))
}

/// The value of an operation on constants, where one is `None` or a folded bool.
fn fold(op: &HlOp, args: &[Opnd]) -> Option<Value> {
    let k = |i: usize| args.get(i).and_then(|a| a.as_const());
    match op {
        HlOp::IsTrue | HlOp::Not if args.len() == 1 => {
            let t = match k(0)? {
                Value::None => false,
                Value::Bool(b) => *b,
                _ => return None,
            };
            Some(Value::Bool(if matches!(op, HlOp::Not) { !t } else { t }))
        }
        HlOp::Cmp(c @ (CmpOp::Eq | CmpOp::Ne | CmpOp::Is | CmpOp::IsNot)) if args.len() == 2 => {
            let (a, b) = (k(0)?, k(1)?);
            if !matches!(a, Value::None) && !matches!(b, Value::None) {
                return None;
            }
            let identity = matches!(c, CmpOp::Is | CmpOp::IsNot);
            if !plain(a, identity) || !plain(b, identity) {
                return None;
            }
            let same = matches!((a, b), (Value::None, Value::None));
            Some(Value::Bool(if matches!(c, CmpOp::Eq | CmpOp::Is) { same } else { !same }))
        }
        _ => None,
    }
}

/// Whether `v` used as argument `pos` of `op` folds when `v` is `None`.
fn folding_use(op: &HlOp, args: &[Opnd], v: Var) -> bool {
    let uses = args.iter().filter(|a| a.as_var() == Some(v)).count();
    if uses != 1 {
        return false;
    }
    match op {
        HlOp::IsTrue | HlOp::Not => args.len() == 1,
        HlOp::Cmp(c @ (CmpOp::Eq | CmpOp::Ne | CmpOp::Is | CmpOp::IsNot)) if args.len() == 2 => {
            let other = if args[0].as_var() == Some(v) { &args[1] } else { &args[0] };
            match other {
                Opnd::Const(k) => plain(k, matches!(c, CmpOp::Is | CmpOp::IsNot)),
                Opnd::Var(_) => false,
            }
        }
        _ => false,
    }
}

/// The inputs of each block worth splitting on `None`: every use of the value folds or
/// passes it to another such input (a greatest fixpoint, so loops qualify), and one use
/// reached through such inputs folds (a least fixpoint).
fn splittable_inputs(g: &Graph<Hl>) -> HashMap<BlockId, BTreeSet<usize>> {
    let blocks = g.reachable_blocks();
    let candidate = |b: BlockId| !g.is_final(b) && b != g.startblock;
    let mut ok: HashMap<(BlockId, usize), bool> = HashMap::new();
    let mut useful: HashMap<(BlockId, usize), bool> = HashMap::new();
    for &b in &blocks {
        if !candidate(b) {
            continue;
        }
        let block = g.block(b);
        for (i, &v) in block.inputargs.iter().enumerate() {
            let mut all = true;
            let mut folds = false;
            for op in &block.ops {
                if op.args.iter().any(|a| a.as_var() == Some(v)) {
                    if folding_use(&op.op, &op.args, v) {
                        folds = true;
                    } else {
                        all = false;
                    }
                }
            }
            if let ExitSwitch::Value(Opnd::Var(s)) = &block.exitswitch {
                if *s == v {
                    all = false;
                }
            }
            for l in &block.exits {
                if l.args.iter().any(|a| a.as_var() == Some(v)) && !candidate(l.target) {
                    all = false;
                }
            }
            ok.insert((b, i), all);
            useful.insert((b, i), folds);
        }
    }
    // Link arguments: an input stays splittable while every input it feeds is.
    loop {
        let mut changed = false;
        for &b in &blocks {
            if !candidate(b) {
                continue;
            }
            let block = g.block(b);
            for (i, &v) in block.inputargs.iter().enumerate() {
                if !ok[&(b, i)] {
                    continue;
                }
                let fed_ok = block.exits.iter().all(|l| l.args.iter().enumerate().all(|(j, a)| a.as_var() != Some(v) || ok.get(&(l.target, j)).copied().unwrap_or(false)));
                if !fed_ok {
                    ok.insert((b, i), false);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    loop {
        let mut changed = false;
        for &b in &blocks {
            if !candidate(b) {
                continue;
            }
            let block = g.block(b);
            for (i, &v) in block.inputargs.iter().enumerate() {
                if useful[&(b, i)] {
                    continue;
                }
                let feeds = block.exits.iter().any(|l| l.args.iter().enumerate().any(|(j, a)| a.as_var() == Some(v) && useful.get(&(l.target, j)).copied().unwrap_or(false)));
                if feeds {
                    useful.insert((b, i), true);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut out: HashMap<BlockId, BTreeSet<usize>> = HashMap::new();
    for (&(b, i), &o) in &ok {
        if o && useful[&(b, i)] {
            out.entry(b).or_default().insert(i);
        }
    }
    out
}
