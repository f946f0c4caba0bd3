//! The driver's only calls into the annotator and the RTyper, and the [`GraphSource`] the
//! annotator builds flow graphs through: the `flow_graph` query, so that a graph the flow
//! task built is not built again.

use std::sync::Arc;

use kiln_annotator::GraphSource;
use kiln_diagnostics::Diagnostic;
use kiln_flowgraph::Graph;
use kiln_flowspace::Hl;
use kiln_frontend::{ObjId, Program, Value};
use kiln_lltype::LlProgram;

use crate::db::{Database, SourceFile};
use crate::flow::graph_of;

pub use kiln_annotator::Annotated;

/// Flow graphs for the annotator, from the query database.
struct DbGraphs<'a> {
    db: &'a Database,
    root: SourceFile,
}

impl GraphSource for DbGraphs<'_> {
    fn flow_graph(&self, func: ObjId, const_args: &[Option<Value>]) -> Result<Arc<Graph<Hl>>, Vec<Diagnostic>> {
        let built = graph_of(self.db, self.root, func, const_args);
        match &built.graph {
            Some(g) => Ok(g.clone()),
            None => Err(built.diagnostics.clone()),
        }
    }
}

/// Annotates the program reachable from `entry`.
pub fn annotate(db: &Database, root: SourceFile, prog: &Program, entry: ObjId) -> Result<Annotated, Vec<Diagnostic>> {
    kiln_annotator::annotate(prog, entry, &DbGraphs { db, root })
}

/// Names of the annotated graphs, for `--function` messages.
pub fn graph_names(ann: &Annotated) -> Vec<String> {
    ann.graphs.iter().map(|g| g.name.clone()).collect()
}

/// Lowers the annotated program to low-level graphs.
pub fn rtype(prog: &Program, ann: &Annotated) -> Result<LlProgram, Vec<Diagnostic>> {
    kiln_rtyper::rtype(prog, ann)
}
