//! Cleans up a freshly built flow graph: merges a block into its only predecessor when
//! the predecessor jumps to it unconditionally, and drops unreachable blocks. The builder
//! creates a block at every join point; this keeps dumps and later stages small.

use std::collections::HashMap;

use kiln_flowgraph::{ExitSwitch, Graph, Var};

use crate::build::Opnd;
use crate::ops::Hl;

pub fn simplify(g: &mut Graph<Hl>) {
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
}
