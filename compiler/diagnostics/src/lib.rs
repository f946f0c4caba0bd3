//! Source files, spans and diagnostics: every stage reports user errors as [`Diagnostic`]s,
//! which are rendered with codespan-reporting only at the boundary (the driver or a test).
//!
//! This crate knows nothing about Python, graphs or types. It does no I/O except in
//! [`SourceMap::load`].

pub mod whereabouts;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{self, Files};
use codespan_reporting::term;

/// Identifies one source file inside a [`SourceMap`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct FileId(pub u32);

/// A byte range inside one source file. Every operation in every IR carries one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The span of things that have no source: generated helper graphs, prebuilt data.
    pub const DUMMY: Span = Span { file: FileId(u32::MAX), start: 0, end: 0 };

    pub fn new(file: FileId, start: u32, end: u32) -> Span {
        Span { file, start, end }
    }

    pub fn is_dummy(self) -> bool {
        self.file.0 == u32::MAX
    }

    /// The smallest span covering both `self` and `other` (same file assumed).
    pub fn to(self, other: Span) -> Span {
        if self.is_dummy() {
            return other;
        }
        if other.is_dummy() || other.file != self.file {
            return self;
        }
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

impl Default for Span {
    fn default() -> Span {
        Span::DUMMY
    }
}

/// One loaded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in diagnostics (a path relative to where kiln was run, if possible).
    pub name: String,
    pub path: PathBuf,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(name: String, path: PathBuf, text: Arc<str>) -> SourceFile {
        let line_starts = files::line_starts(&text).collect();
        SourceFile { name, path, text, line_starts }
    }

    /// 1-based line number of a byte offset.
    pub fn line_of(&self, offset: u32) -> u32 {
        match self.line_starts.binary_search(&(offset as usize)) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// 1-based (line, column) of a byte offset; the column counts characters.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = self.line_of(offset);
        let start = self.line_starts[(line - 1) as usize];
        let end = (offset as usize).min(self.text.len());
        let col = self.text.get(start..end).map_or(0, |s| s.chars().count());
        (line, col as u32 + 1)
    }
}

/// All source files of one translation, indexed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file whose text is already in memory (tests, built-in modules).
    pub fn add(&mut self, name: impl Into<String>, path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(name.into(), path.into(), text.into()));
        id
    }

    /// Reads a file from disk. The error is the OS error, for the caller to report.
    pub fn load(&mut self, path: &Path) -> std::io::Result<FileId> {
        let text = std::fs::read_to_string(path)?;
        let name = display_name(path);
        Ok(self.add(name, path, text))
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files.iter().position(|f| f.path == path).map(|i| FileId(i as u32))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// `file.py:LINE` for a span, or `<generated>` for the dummy span.
    pub fn describe(&self, span: Span) -> String {
        if span.is_dummy() || span.file.0 as usize >= self.files.len() {
            return "<generated>".to_string();
        }
        let f = self.get(span.file);
        format!("{}:{}", f.name, f.line_of(span.start))
    }

    /// The source text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        if span.is_dummy() {
            return "";
        }
        let f = self.get(span.file);
        f.text.get(span.start as usize..span.end as usize).unwrap_or("")
    }
}

fn display_name(path: &Path) -> String {
    if let Ok(cwd) = std::env::current_dir() {
        if let Ok(rel) = path.strip_prefix(&cwd) {
            return rel.display().to_string();
        }
    }
    path.display().to_string()
}

impl<'a> Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, files::Error> {
        self.files.get(id.0 as usize).map(|f| f.name.as_str()).ok_or(files::Error::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, files::Error> {
        self.files.get(id.0 as usize).map(|f| &*f.text).ok_or(files::Error::FileMissing)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, files::Error> {
        let f = self.files.get(id.0 as usize).ok_or(files::Error::FileMissing)?;
        Ok(f.line_starts.binary_search(&byte_index).unwrap_or_else(|next| next - 1))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, files::Error> {
        let f = self.files.get(id.0 as usize).ok_or(files::Error::FileMissing)?;
        let start = *f
            .line_starts
            .get(line_index)
            .ok_or(files::Error::LineTooLarge { given: line_index, max: f.line_starts.len() - 1 })?;
        let end = f.line_starts.get(line_index + 1).copied().unwrap_or(f.text.len());
        Ok(start..end)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// A labelled span inside a diagnostic.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Label {
        Label { span, message: message.into() }
    }
}

/// A rendered-at-the-boundary message about the user's program, or an internal error.
///
/// Stages keep their own typed error enums and convert them into this type when they are
/// reported; nothing but the renderer looks inside the strings.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable short code such as `E0101`, listed in docs/diagnostics.md.
    pub code: Option<&'static str>,
    pub message: String,
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    /// True for internal compiler errors: bugs in Kiln rather than in the user's program.
    pub internal: bool,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code: Some(code),
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            notes: Vec::new(),
            internal: false,
        }
    }

    /// A warning: the program translates, but something in it deserves a look (a
    /// check inserted where CPython would raise, say). `--strict` makes warnings errors.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    /// The same diagnostic as an error (for `--strict`).
    pub fn into_error(mut self) -> Diagnostic {
        if self.severity == Severity::Warning {
            self.severity = Severity::Error;
            self.notes.push("this warning is an error because of --strict".into());
        }
        self
    }

    /// An internal compiler error: a bug in Kiln, reported as such.
    pub fn internal(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code: None,
            message: format!("internal compiler error: {}", message.into()),
            primary: None,
            secondary: Vec::new(),
            notes: vec!["this is a bug in Kiln, not in your program; please report it".into()],
            internal: true,
        }
    }

    pub fn with_primary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.primary = Some(Label::new(span, message));
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label::new(span, message));
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn to_codespan(&self) -> cs::Diagnostic<FileId> {
        let sev = match self.severity {
            Severity::Error if self.internal => cs::Severity::Bug,
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
            Severity::Note => cs::Severity::Note,
        };
        let mut d = cs::Diagnostic::new(sev).with_message(&self.message);
        if let Some(code) = self.code {
            d = d.with_code(code);
        }
        let mut labels = Vec::new();
        if let Some(p) = &self.primary {
            if !p.span.is_dummy() {
                labels.push(cs::Label::primary(p.span.file, p.span.start as usize..p.span.end as usize).with_message(&p.message));
            }
        }
        let mut notes = Vec::new();
        for l in &self.secondary {
            if l.span.is_dummy() {
                notes.push(l.message.clone());
            } else {
                labels.push(cs::Label::secondary(l.span.file, l.span.start as usize..l.span.end as usize).with_message(&l.message));
            }
        }
        notes.extend(self.notes.iter().cloned());
        d.with_labels(labels).with_notes(notes)
    }
}

/// How rendered diagnostics look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Never,
    Auto,
}

/// Renders diagnostics to a string (no colours): used by tests and by `kiln check`.
pub fn render(map: &SourceMap, diags: &[Diagnostic]) -> String {
    let mut buf = term::termcolor::Buffer::no_color();
    let config = term::Config::default();
    for d in diags {
        // Rendering only fails for a missing file, which would be a bug in the caller.
        if term::emit_to_write_style(&mut buf, &config, map, &d.to_codespan()).is_err() {
            buf_push(&mut buf, &format!("error: {}\n", d.message));
        }
    }
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

fn buf_push(buf: &mut term::termcolor::Buffer, s: &str) {
    use std::io::Write;
    let _ = buf.write_all(s.as_bytes());
}

/// Renders diagnostics to stderr, in colour when stderr is a terminal.
pub fn emit(map: &SourceMap, diags: &[Diagnostic], color: ColorChoice) {
    use term::termcolor::{ColorChoice as CC, StandardStream};
    let choice = match color {
        ColorChoice::Never => CC::Never,
        ColorChoice::Auto => {
            if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                CC::Auto
            } else {
                CC::Never
            }
        }
    };
    let writer = StandardStream::stderr(choice);
    let config = term::Config::default();
    let mut lock = writer.lock();
    for d in diags {
        let _ = term::emit_to_write_style(&mut lock, &config, map, &d.to_codespan());
    }
}

/// A collection of diagnostics gathered by a stage that keeps going after an error.
#[derive(Default, Debug, Clone)]
pub struct Diagnostics {
    pub list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        if !self.list.contains(&d) {
            self.list.push(d);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.is_error())
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        for d in other {
            self.push(d);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_dummy() {
            write!(f, "<generated>")
        } else {
            write!(f, "{}:{}..{}", self.file.0, self.start, self.end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_primary_and_secondary_labels() {
        let mut map = SourceMap::new();
        let f = map.add("t.py", "t.py", "x = 1\ny = 'a'\n");
        let d = Diagnostic::error("E0001", "mismatch")
            .with_primary(Span::new(f, 0, 1), "int here")
            .with_label(Span::new(f, 6, 7), "str here")
            .with_note("fix it");
        let out = render(&map, &[d]);
        assert!(out.contains("error[E0001]: mismatch"), "{out}");
        assert!(out.contains("t.py:1:1"), "{out}");
        assert!(out.contains("int here") && out.contains("str here") && out.contains("= fix it"), "{out}");
    }

    #[test]
    fn warnings_render_as_warnings_and_strict_makes_them_errors() {
        let mut map = SourceMap::new();
        let f = map.add("t.py", "t.py", "x.a\n");
        let w = Diagnostic::warning("W0305", "maybe None").with_primary(Span::new(f, 0, 1), "here");
        assert!(!w.is_error());
        assert!(render(&map, &[w.clone()]).contains("warning[W0305]: maybe None"));
        let e = w.into_error();
        assert!(e.is_error());
        let out = render(&map, &[e]);
        assert!(out.contains("error[W0305]: maybe None") && out.contains("--strict"), "{out}");
    }

    #[test]
    fn line_col_counts_characters() {
        let mut map = SourceMap::new();
        let f = map.add("t.py", "t.py", "é = 1\nab\n");
        let file = map.get(f);
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(2), (1, 2));
        assert_eq!(file.line_col(7), (2, 1));
        assert_eq!(map.describe(Span::new(f, 7, 8)), "t.py:2");
    }
}
