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
            let (start, mut end): (u32, u32) = (r.start().into(), r.end().into());
            // The parser reports a missing token as the range up to the next one,
            // often across a line break; point at the line where it is missing.
            if let Some(nl) = text.get(start as usize..end as usize).and_then(|t| t.find('\n')) {
                end = start + nl as u32;
            }
            if end == start && (end as usize) < text.len() && !text[end as usize..].starts_with('\n') {
                end += text[end as usize..].chars().next().map_or(0, |c| c.len_utf8() as u32);
            }
            Err(Diagnostic::error("E0001", format!("syntax error: {}", e.error)).with_primary(Span::new(file, start, end), "here"))
        }
    }
}
