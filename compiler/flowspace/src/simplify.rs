//! Cleans up a freshly built flow graph: merges a block into its only predecessor when
//! the predecessor jumps to it unconditionally, drops unreachable blocks, and drops block
//! inputs whose value is never used. The builder creates a block at every join point;
//! this keeps dumps and later stages small. Dropping dead inputs also means that values
//! which never meet at a use do not have to agree on a type: `x = None` as a dead store
//! before a loop that assigns an int to `x` is accepted, as it is by CPython. Then
//! `nonesplit` splits the paths where a `None` only meets tests that fold.

use std::collections::HashMap;

use kiln_flowgraph::{ExitSwitch, Graph, Var};

use crate::build::Opnd;
use crate::ops::Hl;

pub fn simplify(g: &mut Graph<Hl>) {
    cleanup(g);
    // Dead inputs go first, so that a dead `x = None` store does not split anything.
    if crate::nonesplit::split_none_paths(g) {
        cleanup(g);
    }
}

fn cleanup(g: &mut Graph<Hl>) {
    loop {
        let preds = g.predecessors();
        let mut merged = false;
        for a in g.reachable_blocks() {
            let block = g.block(a);
            if !matches!(block.exitswitch, ExitSwitch::None) || block.exits.len() != 1 {
                continue;
            }
            let target = block.exits[0].target;
            if target == a || g.is_final(target) || target == g.startblock || preds[target.0 as usize].len() != 1 {
                continue;
            }
            // Substitute B's inputs by A's link arguments, then append B to A.
            let link_args = g.block(a).exits[0].args.clone();
            let b = std::mem::replace(g.block_mut(target), kiln_flowgraph::Block::new(Vec::new()));
            let subst: HashMap<Var, Opnd> = b.inputargs.iter().copied().zip(link_args).collect();
            let fix = |v: &mut Opnd| {
                if let Opnd::Var(x) = v {
                    if let Some(r) = subst.get(x) {
                        *v = r.clone();
                    }
                }
            };
            let mut ops = b.ops;
            for op in &mut ops {
                op.args.iter_mut().for_each(fix);
            }
            let mut exits = b.exits;
            for l in &mut exits {
                l.args.iter_mut().for_each(fix);
            }
            let mut exitswitch = b.exitswitch;
            if let ExitSwitch::Value(v) = &mut exitswitch {
                fix(v);
            }
            let ab = g.block_mut(a);
            ab.ops.extend(ops);
            ab.exits = exits;
            ab.exitswitch = exitswitch;
            merged = true;
            break;
        }
        if !merged {
            break;
        }
    }
    g.remove_unreachable();
    remove_dead_inputs(g);
}

/// Removes the inputs of ordinary blocks that no operation, switch or live link argument
/// uses, with the link arguments that fed them.
fn remove_dead_inputs(g: &mut Graph<Hl>) {
    use std::collections::HashSet;
    let blocks = g.reachable_blocks();
    let mut live: HashSet<Var> = HashSet::new();
    for &b in &blocks {
        let block = g.block(b);
        for op in &block.ops {
            live.extend(op.args.iter().filter_map(|a| a.as_var()));
        }
        if let ExitSwitch::Value(v) = &block.exitswitch {
            live.extend(v.as_var());
        }
        if g.is_final(b) || b == g.startblock {
            live.extend(block.inputargs.iter().copied());
        }
    }
    // A link argument is live when the input it feeds is.
    loop {
        let mut changed = false;
        for &b in &blocks {
            for l in &g.block(b).exits {
                let inputs = &g.block(l.target).inputargs;
                for (a, input) in l.args.iter().zip(inputs) {
                    if live.contains(input) {
                        if let Some(v) = a.as_var() {
                            changed |= live.insert(v);
                        }
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    let dead: HashMap<kiln_flowgraph::BlockId, Vec<usize>> = blocks
        .iter()
        .filter(|&&b| !g.is_final(b) && b != g.startblock)
        .map(|&b| (b, g.block(b).inputargs.iter().enumerate().filter(|(_, v)| !live.contains(v)).map(|(i, _)| i).collect::<Vec<_>>()))
        .filter(|(_, d)| !d.is_empty())
        .collect();
    if dead.is_empty() {
        return;
    }
    for &b in &blocks {
        for l in &mut g.block_mut(b).exits {
            if let Some(d) = dead.get(&l.target) {
                for &i in d.iter().rev() {
                    if i < l.args.len() {
                        l.args.remove(i);
                    }
                    if i < l.arg_spans.len() {
                        l.arg_spans.remove(i);
                    }
                }
            }
        }
    }
    for (b, d) in dead {
        let inputs = &mut g.block_mut(b).inputargs;
        for &i in d.iter().rev() {
            inputs.remove(i);
        }
    }
}
