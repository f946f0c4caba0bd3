//! The query database: a thin index over the frontend and the flowspace.
//!
//! One input per source file (its path, its text and the [`FileId`] diagnostics use), and
//! three tracked queries: [`parse`] (file → syntax tree or syntax diagnostic),
//! [`program`] (root file → the imported [`Program`]) and [`flow_graph`] (function and
//! constant arguments → its flow graph or its diagnostics). Their bodies live in
//! [`crate::load`] and [`crate::flow`]; this module only declares them.
//!
//! The annotator is not a query: it stays an explicit worklist and asks for graphs
//! through `kiln_annotator::GraphSource`, which the driver implements on [`flow_graph`].
//!
//! Files are read from disk the first time they are asked for (the lazy-input pattern of
//! salsa's examples). The driver translates one program per process, so nothing watches
//! the files afterwards; a long-lived user of the database would set new texts with the
//! input's setters.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use kiln_diagnostics::{Diagnostic, FileId, SourceMap};
use kiln_frontend::{ObjId, Program, Value};
use ruff_python_ast::ModModule;

use crate::flow::FlowGraph;

/// One source file of the program.
#[salsa::input(debug)]
pub struct SourceFile {
    #[returns(ref)]
    pub path: PathBuf,
    #[returns(ref)]
    pub text: Arc<str>,
    /// The file's id in the [`SourceMap`] that renders diagnostics.
    #[returns(copy)]
    pub id: FileId,
}

/// The constant arguments a flow graph is specialised on (`specialize.arg`), hashable so
/// that they can be part of a query key. Floats compare and hash by their bits, as
/// [`Value`]'s own equality does.
#[derive(Clone, Debug, PartialEq)]
pub struct ConstArgs(pub Vec<Option<Value>>);

// `Value`'s equality is an equivalence (floats by bits), so `Eq` holds.
impl Eq for ConstArgs {}

impl Hash for ConstArgs {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.len().hash(state);
        for arg in &self.0 {
            match arg {
                None => 0u8.hash(state),
                Some(v) => {
                    1u8.hash(state);
                    hash_value(v, state);
                }
            }
        }
    }
}

fn hash_value<H: Hasher>(v: &Value, state: &mut H) {
    match v {
        Value::None => 0u8.hash(state),
        Value::Bool(b) => (1u8, *b).hash(state),
        Value::Int(i) => (2u8, *i).hash(state),
        Value::Float(f) => (3u8, f.to_bits()).hash(state),
        Value::Str(s) => (4u8, &**s).hash(state),
        Value::Obj(id) => (5u8, id.0).hash(state),
        Value::Bytes(b) => (6u8, &**b).hash(state),
        Value::UInt(u) => (7u8, *u).hash(state),
    }
}

/// The key of one flow graph: which program, which function, which constant arguments.
#[salsa::interned(debug)]
pub struct FlowKey<'db> {
    #[returns(copy)]
    pub root: SourceFile,
    #[returns(copy)]
    pub func: ObjId,
    #[returns(ref)]
    pub const_args: ConstArgs,
}

/// What queries can ask of the database besides other queries: source files by path.
#[salsa::db]
pub trait Db: salsa::Database {
    /// The input of the file at `path`, read from disk the first time it is asked for.
    /// The error is the operating system's message.
    fn file(&self, path: &Path) -> Result<SourceFile, String>;
    /// Whether `path` is a file of the program (loaded already, or present on disk).
    fn file_exists(&self, path: &Path) -> bool;
    /// Whether the translation was asked for a JIT (`--jit`). The database serves one
    /// translation, so this never changes under a query.
    fn translation_jit(&self) -> bool;
}

/// Parses one file.
#[salsa::tracked(returns(clone))]
pub fn parse(db: &dyn Db, file: SourceFile) -> Result<Arc<ModModule>, Diagnostic> {
    crate::load::parse_file(db, file)
}

/// Imports the program whose main module is `root`: import-time evaluation of every
/// module it imports, each parsed through [`parse`].
#[salsa::tracked(returns(clone), no_eq)]
pub fn program(db: &dyn Db, root: SourceFile) -> Arc<Program> {
    crate::load::import_program(db, root)
}

/// The flow graph of one function, or the diagnostics that stopped it.
#[salsa::tracked(returns(clone), no_eq)]
pub fn flow_graph<'db>(db: &'db dyn Db, key: FlowKey<'db>) -> Arc<FlowGraph> {
    crate::flow::build(db, key)
}

/// Every file the database has read, and the source map diagnostics are rendered with.
#[derive(Default)]
struct FileTable {
    by_path: HashMap<PathBuf, SourceFile>,
    map: SourceMap,
}

/// The database of one translation.
#[salsa::db]
#[derive(Clone, Default)]
pub struct Database {
    storage: salsa::Storage<Self>,
    files: Arc<Mutex<FileTable>>,
    /// `--jit`, which import-time code sees as `driver.config.translation.jit`.
    jit: bool,
}

impl Database {
    pub fn new() -> Database {
        Database::default()
    }

    /// The database of a translation with (or without) `--jit`.
    pub fn with_jit(jit: bool) -> Database {
        Database { jit, ..Database::default() }
    }

    /// The source map of every file read so far, to render diagnostics with.
    pub fn source_map(&self) -> SourceMap {
        self.table().map.clone()
    }

    fn table(&self) -> MutexGuard<'_, FileTable> {
        // A panic while the lock is held cannot leave the table half-updated (each
        // update is one insertion), so a poisoned lock is still usable.
        self.files.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[salsa::db]
impl salsa::Database for Database {}

#[salsa::db]
impl Db for Database {
    fn file(&self, path: &Path) -> Result<SourceFile, String> {
        if let Some(f) = self.table().by_path.get(path) {
            return Ok(*f);
        }
        let text = match kiln_frontend::library::source(path) {
            Some(t) => t.to_string(),
            None => std::fs::read_to_string(path).map_err(|e| e.to_string())?,
        };
        let mut table = self.table();
        if let Some(f) = table.by_path.get(path) {
            return Ok(*f);
        }
        let text: Arc<str> = Arc::from(text);
        let id = table.map.add(display_name(path), path, text.clone());
        let file = SourceFile::new(self, path.to_path_buf(), text, id);
        table.by_path.insert(path.to_path_buf(), file);
        Ok(file)
    }

    fn file_exists(&self, path: &Path) -> bool {
        self.table().by_path.contains_key(path) || kiln_frontend::library::source(path).is_some() || path.is_file()
    }

    fn translation_jit(&self) -> bool {
        self.jit
    }
}

/// How diagnostics name a file: as the user wrote it, without a leading `./`.
fn display_name(path: &Path) -> String {
    let p = path.strip_prefix(".").unwrap_or(path);
    p.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn const_args_hash_floats_by_bits() {
        use std::collections::hash_map::DefaultHasher;
        let h = |a: &ConstArgs| {
            let mut s = DefaultHasher::new();
            a.hash(&mut s);
            s.finish()
        };
        let a = ConstArgs(vec![Some(Value::Float(0.0)), None]);
        let b = ConstArgs(vec![Some(Value::Float(-0.0)), None]);
        assert_ne!(a, b);
        assert_ne!(h(&a), h(&b));
        assert_eq!(h(&a), h(&a.clone()));
    }

    #[test]
    fn files_are_read_once_and_named_as_given() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.py");
        std::fs::write(&path, "x = 1\n").unwrap();
        let db = Database::new();
        let f1 = db.file(&path).unwrap();
        std::fs::write(&path, "x = 2\n").unwrap();
        let f2 = db.file(&path).unwrap();
        assert_eq!(f1, f2);
        assert_eq!(&**f1.text(&db), "x = 1\n");
        assert!(db.file(&dir.path().join("missing.py")).is_err());
        assert_eq!(display_name(Path::new("./a/b.py")), "a/b.py");
    }
}
