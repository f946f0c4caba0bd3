//! Parsing with ruff's Python parser, turning its errors into diagnostics.

use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, FileId, Span};
use ruff_python_ast::ModModule;
use ruff_text_size::Ranged;

/// Parses a module. A syntax error becomes a diagnostic pointing at its location.
pub fn parse_module(file: FileId, text: &str) -> Result<Arc<ModModule>, Diagnostic> {
    match ruff_python_parser::parse_module(text) {
        Ok(parsed) => Ok(Arc::new(parsed.into_syntax())),
        Err(e) => {
            let r = e.range();
            Err(Diagnostic::error("E0001", format!("syntax error: {}", e.error)).with_primary(Span::new(file, r.start().into(), r.end().into()), "here"))
        }
    }
}
