//! Finds the targets of assignment expressions (`name := value`): Python makes them
//! locals of the enclosing function, also when they appear inside a comprehension.

use std::collections::HashSet;
use std::sync::Arc;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};

/// Collects walrus targets, not descending into nested functions, classes and lambdas
/// (their walrus targets belong to their own scopes).
struct Targets<'o> {
    out: &'o mut HashSet<Arc<str>>,
}

impl<'a> Visitor<'a> for Targets<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(_) => {}
            Expr::Named(n) => {
                if let Expr::Name(t) = &*n.target {
                    self.out.insert(Arc::from(t.id.as_str()));
                }
                self.visit_expr(&n.value);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// The walrus targets in `stmts` (and the statements nested in them).
pub fn in_stmts(stmts: &[Stmt], out: &mut HashSet<Arc<str>>) {
    let mut t = Targets { out };
    for s in stmts {
        t.visit_stmt(s);
    }
}

/// The walrus targets in one expression.
pub fn in_expr(e: &Expr, out: &mut HashSet<Arc<str>>) {
    Targets { out }.visit_expr(e);
}
