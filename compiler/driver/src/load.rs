//! The bodies of the `parse` and `program` queries, and the frontend's [`SourceLoader`]
//! implemented on the database so that every import goes through the `parse` query.

use std::path::Path;
use std::sync::Arc;

use kiln_diagnostics::Diagnostic;
use kiln_frontend::{Loaded, Program, SourceLoader};
use ruff_python_ast::ModModule;

use crate::db::{self, Db, SourceFile};

pub(crate) fn parse_file(db: &dyn Db, file: SourceFile) -> Result<Arc<ModModule>, Diagnostic> {
    kiln_frontend::parse::parse_module(file.id(db), file.text(db))
}

pub(crate) fn import_program(db: &dyn Db, root: SourceFile) -> Arc<Program> {
    let mut loader = DbLoader { db };
    let opts = kiln_frontend::EvalOptions { jit: db.translation_jit() };
    Arc::new(kiln_frontend::evaluate_with(root.path(db), &mut loader, &opts))
}

/// Loads modules for the import-time evaluator through the database.
struct DbLoader<'a> {
    db: &'a dyn Db,
}

impl SourceLoader for DbLoader<'_> {
    fn load(&mut self, path: &Path) -> Result<Loaded, Diagnostic> {
        let file = self.db.file(path).map_err(|e| cannot_read(path, &e))?;
        let ast = db::parse(self.db, file)?;
        Ok(Loaded { file: file.id(self.db), ast })
    }

    fn exists(&self, path: &Path) -> bool {
        self.db.file_exists(path)
    }
}

/// The diagnostic for a source file that cannot be read.
pub(crate) fn cannot_read(path: &Path, error: &str) -> Diagnostic {
    Diagnostic::error("E0002", format!("cannot read `{}`: {error}", path.display()))
}
