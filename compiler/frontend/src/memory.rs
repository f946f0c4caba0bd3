//! A [`SourceLoader`] over files held in memory, for tests of every stage.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use kiln_diagnostics::{Diagnostic, SourceMap};

use crate::eval::{Loaded, SourceLoader};
use crate::parse::parse_module;

/// Files by path; loading one registers it in `map`.
#[derive(Default)]
pub struct MemoryLoader {
    pub files: HashMap<PathBuf, String>,
    pub map: SourceMap,
}

impl MemoryLoader {
    /// Files under the directory `/t`: `[("main.py", "...")]`.
    pub fn new(files: &[(&str, &str)]) -> MemoryLoader {
        MemoryLoader { files: files.iter().map(|(p, t)| (PathBuf::from(format!("/t/{p}")), t.to_string())).collect(), map: SourceMap::new() }
    }

    /// Imports `/t/main.py`.
    pub fn evaluate_main(&mut self) -> crate::Program {
        crate::evaluate(Path::new("/t/main.py"), self)
    }
}

impl SourceLoader for MemoryLoader {
    fn load(&mut self, path: &Path) -> Result<Loaded, Diagnostic> {
        let text = match crate::library::source(path) {
            Some(t) => t.to_string(),
            None => self.files.get(path).cloned().unwrap_or_default(),
        };
        let file = match self.map.find(path) {
            Some(f) => f,
            None => self.map.add(path.display().to_string(), path, text.as_str()),
        };
        let ast = parse_module(file, &text)?;
        Ok(Loaded { file, ast })
    }

    fn exists(&self, path: &Path) -> bool {
        crate::library::source(path).is_some() || self.files.contains_key(path)
    }

    fn list_dir(&self, dir: &Path) -> Vec<PathBuf> {
        self.files.keys().filter(|p| p.parent() == Some(dir)).cloned().collect()
    }
}
