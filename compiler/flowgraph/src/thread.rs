//! Threading free variables through links: turns a graph whose blocks use values
//! defined in other blocks into block-argument SSA form.
//!
//! Graph builders (the RTyper's helper graphs, hand-written test graphs) may refer to a
//! variable of a dominating block directly; `thread_free_vars` then makes every such
//! value an input of each block that needs it, passed along every link into the block,
//! renamed per block so each variable is still defined once.

use std::collections::{BTreeSet, HashMap};

use crate::{BlockId, Dialect, ExitSwitch, Graph, Value, Var};

impl<D: Dialect> Graph<D> {
    /// Makes every use of a variable defined in another block a block input, passed by
    /// the predecessors (see the module doc). A variable used but defined nowhere on any
    /// path from the start block stays as it is, for the verifier to report.
    pub fn thread_free_vars(&mut self) {
        let n = self.blocks.len();
        // What each block defines, and what it uses without defining.
        let mut defs: Vec<BTreeSet<Var>> = vec![BTreeSet::new(); n];
        let mut live: Vec<BTreeSet<Var>> = vec![BTreeSet::new(); n];
        for (i, b) in self.blocks.iter().enumerate() {
            let d = &mut defs[i];
            d.extend(b.inputargs.iter().copied());
            let mut uses = BTreeSet::new();
            for op in &b.ops {
                for a in &op.args {
                    if let Value::Var(v) = a {
                        if !d.contains(v) {
                            uses.insert(*v);
                        }
                    }
                }
                d.insert(op.result);
            }
            if let ExitSwitch::Value(Value::Var(v)) = &b.exitswitch {
                if !d.contains(v) {
                    uses.insert(*v);
                }
            }
            for l in &b.exits {
                for a in &l.args {
                    if let Value::Var(v) = a {
                        if !d.contains(v) && Some(*v) != l.last_exception && Some(*v) != l.last_exc_value {
                            uses.insert(*v);
                        }
                    }
                }
            }
            live[i] = uses;
        }
        // Backward fixpoint: a block also needs what its successors need and it lacks.
        let mut changed = true;
        while changed {
            changed = false;
            for i in (0..n).rev() {
                let succs: Vec<BlockId> = self.blocks[i].exits.iter().map(|l| l.target).collect();
                for s in succs {
                    let extra: Vec<Var> = live[s.0 as usize].iter().filter(|v| !defs[i].contains(v) && !live[i].contains(v)).copied().collect();
                    if !extra.is_empty() {
                        live[i].extend(extra);
                        changed = true;
                    }
                }
            }
        }
        let start = self.startblock.0 as usize;
        if live.iter().enumerate().all(|(i, l)| l.is_empty() || i == start) {
            return;
        }
        // A fresh input per (block, free variable); the start block has no predecessors
        // to pass anything, so whatever it lacks stays undefined.
        let mut renamed: HashMap<(usize, Var), Var> = HashMap::new();
        for (i, l) in live.iter().enumerate() {
            if i == start {
                continue;
            }
            for v in l {
                let nv = self.copy_var(*v);
                renamed.insert((i, *v), nv);
                self.blocks[i].inputargs.push(nv);
            }
        }
        for i in 0..n {
            let name = |v: Var| renamed.get(&(i, v)).copied().unwrap_or(v);
            let block = &mut self.blocks[i];
            for op in &mut block.ops {
                for a in &mut op.args {
                    if let Value::Var(v) = a {
                        *v = name(*v);
                    }
                }
            }
            if let ExitSwitch::Value(Value::Var(v)) = &mut block.exitswitch {
                *v = name(*v);
            }
            for l in &mut block.exits {
                for a in &mut l.args {
                    if let Value::Var(v) = a {
                        if Some(*v) != l.last_exception && Some(*v) != l.last_exc_value {
                            *v = name(*v);
                        }
                    }
                }
                let t = l.target.0 as usize;
                if t != start {
                    for v in &live[t] {
                        l.args.push(Value::Var(name(*v)));
                    }
                }
            }
        }
    }
}
