//! The deterministic text form of a graph, used by `kiln dump` and by snapshot tests.
//!
//! ```text
//! graph fib(n_0) {
//! block0(n_0):
//!     v3 = int_lt(n_0, 2)
//!     switch v3
//!       false -> block1(n_0)
//!       true -> return(1)
//! }
//! ```
//! Links to the return block print as `return(value)`, links to the except block as
//! `raise(type, value)`. Blocks are printed in depth-first order from the start block, so
//! the text does not depend on how blocks happen to be numbered in memory... except for
//! their names, which are the numbers themselves; passes that renumber change them.

use std::fmt::Write as _;

use crate::{Dialect, ExitSwitch, Graph, LinkCase, Value};

/// Prints graphs of one dialect; `line_of` turns spans into line numbers when wanted.
pub struct GraphPrinter<'a, D: Dialect> {
    pub cx: &'a D::Cx,
    pub line_of: Option<&'a dyn Fn(crate::Span) -> Option<String>>,
}

/// Prints a graph without source positions.
pub fn print_graph<D: Dialect>(graph: &Graph<D>, cx: &D::Cx) -> String {
    GraphPrinter { cx, line_of: None }.print(graph)
}

impl<'a, D: Dialect> GraphPrinter<'a, D> {
    pub fn print(&self, g: &Graph<D>) -> String {
        let mut out = String::new();
        let params: Vec<String> = g.params().iter().map(|v| self.typed_var(g, *v)).collect();
        let _ = write!(out, "graph {}({})", g.name, params.join(", "));
        let mut ret_ty = String::new();
        D::write_type(self.cx, g.var_type(g.return_var()), &mut ret_ty);
        if !ret_ty.is_empty() {
            let _ = write!(out, " -> {ret_ty}");
        }
        out.push_str(" {\n");
        for b in g.reachable_blocks() {
            if g.is_final(b) {
                continue;
            }
            let block = g.block(b);
            let inputs: Vec<String> = block.inputargs.iter().map(|v| g.var_name(*v)).collect();
            let _ = writeln!(out, "{}({}):", b, inputs.join(", "));
            for op in &block.ops {
                out.push_str("    ");
                out.push_str(&g.var_name(op.result));
                let mut ty = String::new();
                D::write_type(self.cx, g.var_type(op.result), &mut ty);
                if !ty.is_empty() {
                    let _ = write!(out, ": {ty}");
                }
                out.push_str(" = ");
                D::write_op(self.cx, &op.op, &mut out);
                out.push('(');
                for (i, a) in op.args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.value(g, a, &mut out);
                }
                out.push(')');
                if let Some(line_of) = self.line_of {
                    if let Some(line) = line_of(op.span) {
                        let _ = write!(out, "    # {line}");
                    }
                }
                out.push('\n');
            }
            match &block.exitswitch {
                ExitSwitch::None => {}
                ExitSwitch::Value(v) => {
                    out.push_str("    switch ");
                    self.value(g, v, &mut out);
                    out.push('\n');
                }
                ExitSwitch::LastException => out.push_str("    catch\n"),
            }
            let indent = if matches!(block.exitswitch, ExitSwitch::None) { "    " } else { "      " };
            for link in &block.exits {
                out.push_str(indent);
                match &link.case {
                    LinkCase::Always => {}
                    LinkCase::Bool(b) => {
                        let _ = write!(out, "{b} ");
                    }
                    LinkCase::Int(i) => {
                        let _ = write!(out, "{i} ");
                    }
                    LinkCase::Char(c) => {
                        let _ = write!(out, "{:?} ", char::from_u32(*c).unwrap_or('\u{fffd}'));
                    }
                    LinkCase::Default => out.push_str("default "),
                    LinkCase::Exception(c) => {
                        out.push_str("except ");
                        D::write_const(self.cx, c, &mut out);
                        if let (Some(t), Some(v)) = (link.last_exception, link.last_exc_value) {
                            let _ = write!(out, " as ({}, {})", g.var_name(t), g.var_name(v));
                        }
                        out.push(' ');
                    }
                }
                out.push_str("-> ");
                if link.target == g.returnblock {
                    out.push_str("return");
                } else if link.target == g.exceptblock {
                    out.push_str("raise");
                } else {
                    let _ = write!(out, "{}", link.target);
                }
                out.push('(');
                for (i, a) in link.args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.value(g, a, &mut out);
                }
                out.push_str(")\n");
            }
        }
        out.push_str("}\n");
        out
    }

    fn typed_var(&self, g: &Graph<D>, v: crate::Var) -> String {
        let mut s = g.var_name(v);
        let mut ty = String::new();
        D::write_type(self.cx, g.var_type(v), &mut ty);
        if !ty.is_empty() {
            s.push_str(": ");
            s.push_str(&ty);
        }
        s
    }

    fn value(&self, g: &Graph<D>, v: &Value<D::Const>, out: &mut String) {
        match v {
            Value::Var(v) => out.push_str(&g.var_name(*v)),
            Value::Const(c) => D::write_const(self.cx, c, out),
        }
    }
}
