//! Liveness of variables inside one block, shared by the GC transform (which GC pointers
//! must be saved across a collection point) and the JIT codewriter (which registers a
//! guard or call must keep for resuming).
//!
//! Graphs are in block-argument SSA form: every variable is an input of its block, the
//! result of one of its operations, or an exception variable bound by one of its links.
//! So liveness needs no fixed point: a backward scan from what the exits use.

use std::collections::BTreeSet;

use crate::{Block, Dialect, ExitSwitch, Value, Var};

/// The variables live in one block at each point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockLiveness {
    /// `after[i]`: live right after operation `i` (its result included when used later).
    pub after: Vec<BTreeSet<Var>>,
    /// Live before the first operation (a subset of the block's inputs).
    pub entry: BTreeSet<Var>,
    /// Used by the exit switch and the links: live after the last operation.
    pub exit: BTreeSet<Var>,
}

/// What the exits of `block` read: the switch value and the link arguments, except the
/// exception variables the links bind themselves.
pub fn exit_uses<D: Dialect>(block: &Block<D>) -> BTreeSet<Var> {
    let mut live = BTreeSet::new();
    if let ExitSwitch::Value(Value::Var(v)) = &block.exitswitch {
        live.insert(*v);
    }
    for l in &block.exits {
        for a in l.args.iter().filter_map(Value::as_var) {
            if Some(a) != l.last_exception && Some(a) != l.last_exc_value {
                live.insert(a);
            }
        }
    }
    live
}

/// Liveness at every operation of `block`.
pub fn block_liveness<D: Dialect>(block: &Block<D>) -> BlockLiveness {
    let exit = exit_uses(block);
    let mut live = exit.clone();
    let mut after = vec![BTreeSet::new(); block.ops.len()];
    for (i, op) in block.ops.iter().enumerate().rev() {
        after[i] = live.clone();
        live.remove(&op.result);
        live.extend(op.args.iter().filter_map(Value::as_var));
    }
    BlockLiveness { after, entry: live, exit }
}
