//! Register allocation for one graph.
//!
//! Variables are local to their block (block-argument SSA), so each block is allocated
//! on its own, in one forward walk with the block liveness of `kiln_flowgraph`: a
//! variable takes the lowest free register of its bank when it is defined and gives it
//! back after its last use. A register freed by an operation's arguments may hold its
//! result (instructions read their operands before writing). Links become parallel
//! moves into the target block's input registers (see [`crate::flatten`]); to make those
//! moves rarer, a block's input prefers the register its value has in the first
//! predecessor already allocated. The start block's inputs are the arguments: registers
//! `0..n` of each bank, in order, as calls pass them.

use std::collections::{BTreeSet, HashMap};

use kiln_flowgraph::{block_liveness, BlockId, Var};
use kiln_jitcode::Bank;
use kiln_lltype::{LlGraph, TypeTable};

use crate::descrs::bank_of;

/// Where every variable lives.
#[derive(Debug, Default)]
pub struct Allocation {
    pub reg: HashMap<Var, (Bank, u16)>,
    /// Registers used per bank (scratch registers for moves come after these).
    pub num_regs: [u16; 3],
    pub num_args: [u16; 3],
}

struct Free {
    used: [BTreeSet<u16>; 3],
    max: [u16; 3],
}

impl Free {
    /// The preferred register if it is free, else the lowest free one; an error when all
    /// 65,535 registers of the bank are in use (a register number and the count must fit
    /// the jitcode's 16-bit operands).
    fn take(&mut self, bank: Bank, prefer: Option<u16>) -> Result<u16, String> {
        let used = &mut self.used[bank.index()];
        let r = match prefer {
            Some(p) if p < u16::MAX && !used.contains(&p) => p,
            _ => (0..u16::MAX).find(|r| !used.contains(r)).ok_or_else(|| format!("more than {} values of the {bank} bank live at once", u16::MAX))?,
        };
        used.insert(r);
        self.max[bank.index()] = self.max[bank.index()].max(r + 1);
        Ok(r)
    }

    fn give(&mut self, bank: Bank, r: u16) {
        self.used[bank.index()].remove(&r);
    }
}

/// The blocks the flattener emits, in order: reachable ones but the return and except
/// blocks (links to those become returns and raises).
pub fn block_order(g: &LlGraph) -> Vec<BlockId> {
    g.reachable_blocks().into_iter().filter(|b| !g.is_final(*b)).collect()
}

/// Allocates registers for every variable of `g`.
pub fn allocate(g: &LlGraph, types: &TypeTable) -> Result<Allocation, String> {
    let mut a = Allocation::default();
    let mut max = [0u16; 3];
    let bank = |v: Var| bank_of(types, *g.var_type(v));
    // The first allocated link into each block, for preferences: (source block, link).
    let mut first_in: HashMap<BlockId, (BlockId, usize)> = HashMap::new();
    for b in block_order(g) {
        let block = g.block(b);
        let live = block_liveness(block);
        let mut free = Free { used: Default::default(), max: [0; 3] };
        for (k, &v) in block.inputargs.iter().enumerate() {
            let Some(bk) = bank(v)? else { continue };
            let prefer = if b == g.startblock {
                Some(a.num_args[bk.index()])
            } else {
                first_in.get(&b).and_then(|(src, li)| {
                    let link = &g.block(*src).exits[*li];
                    link.args.get(k).and_then(|x| x.as_var()).and_then(|x| a.reg.get(&x)).filter(|(b2, _)| *b2 == bk).map(|(_, r)| *r)
                })
            };
            let r = free.take(bk, prefer)?;
            if b == g.startblock {
                if r != a.num_args[bk.index()] {
                    return Err(format!("argument {v} did not get register {}", a.num_args[bk.index()]));
                }
                a.num_args[bk.index()] += 1;
            }
            a.reg.insert(v, (bk, r));
        }
        for &v in &block.inputargs {
            if !live.entry.contains(&v) {
                if let Some((bk, r)) = a.reg.get(&v) {
                    free.give(*bk, *r);
                }
            }
        }
        let mut alive: BTreeSet<Var> = live.entry.clone();
        for (i, op) in block.ops.iter().enumerate() {
            for x in op.args.iter().filter_map(|x| x.as_var()) {
                if alive.contains(&x) && !live.after[i].contains(&x) {
                    alive.remove(&x);
                    if let Some((bk, r)) = a.reg.get(&x) {
                        free.give(*bk, *r);
                    }
                }
            }
            if let Some(bk) = bank(op.result)? {
                let r = free.take(bk, None)?;
                a.reg.insert(op.result, (bk, r));
                if live.after[i].contains(&op.result) {
                    alive.insert(op.result);
                } else {
                    free.give(bk, r);
                }
            }
        }
        // Exception variables bound by links: defined at the end of the block, where only
        // what the exits use is alive. Each link is its own path, so they may share.
        for link in &block.exits {
            let snapshot = free.used.clone();
            for v in [link.last_exception, link.last_exc_value].into_iter().flatten() {
                if let Some(bk) = bank(v)? {
                    let r = free.take(bk, None)?;
                    a.reg.insert(v, (bk, r));
                }
            }
            free.used = snapshot;
        }
        for (li, link) in block.exits.iter().enumerate() {
            first_in.entry(link.target).or_insert((b, li));
        }
        for k in 0..3 {
            max[k] = max[k].max(free.max[k]);
        }
    }
    a.num_regs = max;
    Ok(a)
}
