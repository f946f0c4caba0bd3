//! The graph verifier. Its errors are bugs in Kiln, never in the user's program.
//!
//! Invariants checked, for every reachable block:
//! 1. The return block has one input variable, the except block two; both have no
//!    operations and no exits. Every other block has at least one exit.
//! 2. Every variable is defined once in the graph: as a block input, an operation result,
//!    or a link's `last_exception`/`last_exc_value`.
//! 3. Block-argument SSA: an operation, exit switch or link uses only variables defined
//!    earlier in the same block (inputs and earlier results); a link may also use its own
//!    exception variables.
//! 4. A link passes exactly as many values as its target has input variables, and, for
//!    typed dialects, each value's type equals the input's type.
//! 5. Exit shapes: `ExitSwitch::None` has exactly one `Always` link. A value switch has
//!    `Bool`, `Int`, `Char` or a final `Default` case on every link, with no case twice.
//!    `LastException` requires a last operation that can raise, whose result no exception
//!    link uses; its first link is `Always`, the others are `Exception` cases, and only
//!    those carry exception variables.
//! 6. Every operation passes the dialect's own check ([`crate::Dialect::check_op`]).

use std::collections::HashSet;

use crate::{BlockId, Dialect, ExitSwitch, Graph, LinkCase, Value, Var};

/// A broken invariant, with the block it was found in.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyError {
    pub graph: String,
    pub block: Option<BlockId>,
    pub message: String,
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.block {
            Some(b) => write!(f, "graph {}: {}: {}", self.graph, b, self.message),
            None => write!(f, "graph {}: {}", self.graph, self.message),
        }
    }
}

/// Checks every invariant listed in the module documentation.
pub fn verify_graph<D: Dialect>(g: &Graph<D>) -> Result<(), VerifyError> {
    let err = |block: Option<BlockId>, message: String| VerifyError { graph: g.name.clone(), block, message };
    let nblocks = g.blocks.len() as u32;
    for (what, b) in [("start", g.startblock), ("return", g.returnblock), ("except", g.exceptblock)] {
        if b.0 >= nblocks {
            return Err(err(None, format!("{what} block {b} does not exist")));
        }
    }
    let rb = g.block(g.returnblock);
    if rb.inputargs.len() != 1 || !rb.ops.is_empty() || !rb.exits.is_empty() {
        return Err(err(Some(g.returnblock), "the return block must have one input, no ops and no exits".into()));
    }
    let eb = g.block(g.exceptblock);
    if eb.inputargs.len() != 2 || !eb.ops.is_empty() || !eb.exits.is_empty() {
        return Err(err(Some(g.exceptblock), "the except block must have two inputs, no ops and no exits".into()));
    }

    let mut defined_once: HashSet<Var> = HashSet::new();
    let mut define = |v: Var, b: BlockId| -> Result<(), VerifyError> {
        if v.0 as usize >= g.vars.len() {
            return Err(err(Some(b), format!("{v} is not a variable of this graph")));
        }
        if !defined_once.insert(v) {
            return Err(err(Some(b), format!("{} is defined more than once", g.var_name(v))));
        }
        Ok(())
    };

    for b in g.reachable_blocks() {
        let block = g.block(b);
        let mut live: HashSet<Var> = HashSet::new();
        for &v in &block.inputargs {
            define(v, b)?;
            live.insert(v);
        }
        let use_ok = |live: &HashSet<Var>, v: &Value<D::Const>, what: &str| -> Result<(), VerifyError> {
            if let Value::Var(v) = v {
                if !live.contains(v) {
                    return Err(err(Some(b), format!("{what} uses {}, which is not defined earlier in this block", g.var_name(*v))));
                }
            }
            Ok(())
        };
        for op in &block.ops {
            for a in &op.args {
                use_ok(&live, a, "an operation")?;
            }
            D::check_op(g, op).map_err(|m| err(Some(b), format!("{} = ...: {m}", g.var_name(op.result))))?;
            define(op.result, b)?;
            live.insert(op.result);
        }
        if g.is_final(b) {
            continue;
        }
        if block.exits.is_empty() {
            return Err(err(Some(b), "a non-final block has no exits".into()));
        }
        match &block.exitswitch {
            ExitSwitch::None => {
                if block.exits.len() != 1 || block.exits[0].case != LinkCase::Always {
                    return Err(err(Some(b), "a block without a switch must have exactly one unconditional exit".into()));
                }
            }
            ExitSwitch::Value(v) => {
                use_ok(&live, v, "the exit switch")?;
                let n = block.exits.len();
                for (i, l) in block.exits.iter().enumerate() {
                    let ok = match &l.case {
                        LinkCase::Bool(_) | LinkCase::Int(_) | LinkCase::Char(_) => true,
                        LinkCase::Default => i == n - 1,
                        _ => false,
                    };
                    if !ok {
                        return Err(err(Some(b), format!("exit {i} of a value switch has case {:?}", l.case)));
                    }
                    if block.exits[..i].iter().any(|o| o.case == l.case) {
                        return Err(err(Some(b), format!("the case {:?} appears twice", l.case)));
                    }
                }
            }
            ExitSwitch::LastException => {
                let Some(last) = block.ops.last() else {
                    return Err(err(Some(b), "a catching block has no operations".into()));
                };
                if !D::op_can_raise(&last.op) {
                    return Err(err(Some(b), "a catching block's last operation cannot raise".into()));
                }
                if block.exits[0].case != LinkCase::Always {
                    return Err(err(Some(b), "the first exit of a catching block must be the normal one".into()));
                }
                for l in &block.exits[1..] {
                    if !matches!(l.case, LinkCase::Exception(_)) {
                        return Err(err(Some(b), "exits after the first of a catching block must be exception cases".into()));
                    }
                    if l.args.iter().any(|a| a.as_var() == Some(last.result)) {
                        return Err(err(Some(b), "an exception link uses the result of the operation that raised".into()));
                    }
                }
            }
        }
        for link in &block.exits {
            let is_exc = matches!(link.case, LinkCase::Exception(_));
            if !is_exc && (link.last_exception.is_some() || link.last_exc_value.is_some()) {
                return Err(err(Some(b), "only exception links carry exception variables".into()));
            }
            let mut link_live = live.clone();
            for v in [link.last_exception, link.last_exc_value].into_iter().flatten() {
                define(v, b)?;
                link_live.insert(v);
            }
            if link.target.0 >= nblocks {
                return Err(err(Some(b), format!("a link targets {}, which does not exist", link.target)));
            }
            let target = g.block(link.target);
            if link.args.len() != target.inputargs.len() {
                return Err(err(
                    Some(b),
                    format!("a link to {} passes {} values for {} inputs", link.target, link.args.len(), target.inputargs.len()),
                ));
            }
            for (a, &input) in link.args.iter().zip(&target.inputargs) {
                use_ok(&link_live, a, "a link")?;
                let ty = match a {
                    Value::Var(v) => Some(g.var_type(*v).clone()),
                    Value::Const(c) => D::const_type(c),
                };
                if let Some(ty) = ty {
                    if &ty != g.var_type(input) {
                        return Err(err(
                            Some(b),
                            format!(
                                "a link to {} passes a {:?} into {} of type {:?}",
                                link.target,
                                ty,
                                g.var_name(input),
                                g.var_type(input)
                            ),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}
