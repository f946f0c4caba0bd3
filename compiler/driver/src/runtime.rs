//! Finding the runtime archive (`libkiln_runtime.a`) that executables are linked with,
//! and for `--jit` VMs the runtime with the JIT (`libkiln_jit.a`, `KILN_JIT_RUNTIME`).
//!
//! `KILN_RUNTIME` (`KILN_JIT_RUNTIME`), when set, names the archive and wins; otherwise the archive must sit
//! next to the `kiln` executable, where cargo puts both (`target/<profile>/`) and where a
//! user who copies the two elsewhere keeps them. Nothing else is searched: a translation
//! that silently linked some other build's runtime would be hard to debug.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use kiln_diagnostics::Diagnostic;

use crate::report::plain_error;

/// The archive's file name.
pub const ARCHIVE_NAME: &str = "libkiln_runtime.a";
/// The environment variable that names the archive explicitly.
pub const ENV_RUNTIME: &str = "KILN_RUNTIME";

/// The JIT runtime archive's file name (docs/jit.md, "Build layout").
pub const JIT_ARCHIVE_NAME: &str = "libkiln_jit.a";
/// The environment variable that names the JIT runtime archive explicitly.
pub const ENV_JIT_RUNTIME: &str = "KILN_JIT_RUNTIME";

/// Which archive is looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Archive {
    Runtime,
    Jit,
}

impl Archive {
    fn name(self) -> &'static str {
        match self {
            Archive::Runtime => ARCHIVE_NAME,
            Archive::Jit => JIT_ARCHIVE_NAME,
        }
    }

    fn env(self) -> &'static str {
        match self {
            Archive::Runtime => ENV_RUNTIME,
            Archive::Jit => ENV_JIT_RUNTIME,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Archive::Runtime => "the Kiln runtime archive",
            Archive::Jit => "the Kiln JIT runtime archive (needed by --jit)",
        }
    }

    fn build(self) -> &'static str {
        match self {
            Archive::Runtime => "build the archive with `cargo build -p kiln-runtime` (it lands in target/<profile>/ next to kiln)",
            Archive::Jit => "build the archive with `cargo build --release -p kiln-jit-archive` or `make build` (it lands in target/<profile>/ next to kiln)",
        }
    }
}

/// Why no archive was found, with every place that was looked at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeNotFound {
    /// `KILN_RUNTIME` names a file that does not exist.
    EnvMissing(PathBuf),
    /// No archive next to the executable.
    NotNextToExe(PathBuf),
    /// The path of the running executable is unknown, and `KILN_RUNTIME` is unset.
    NoExePath(String),
}

impl RuntimeNotFound {
    pub fn to_diagnostic(&self) -> Diagnostic {
        self.to_diagnostic_for(Archive::Runtime)
    }

    /// The diagnostic for a missing archive of the given kind.
    pub fn to_diagnostic_for(&self, which: Archive) -> Diagnostic {
        let (what, env, name) = (which.what(), which.env(), which.name());
        let d = match self {
            RuntimeNotFound::EnvMissing(p) => plain_error(format!("{what} was not found: {env} is set to `{}`, which does not exist", p.display()))
                .with_note(format!("set {env} to the path of {name}, or unset it to use the archive next to the kiln executable")),
            RuntimeNotFound::NotNextToExe(p) => plain_error(format!("{what} was not found: looked for `{}` (next to the kiln executable)", p.display()))
                .with_note(format!("{env} is not set; set it to the path of {name}")),
            RuntimeNotFound::NoExePath(e) => plain_error(format!("{what} was not found: the kiln executable's own path is unknown ({e}) and {env} is not set"))
                .with_note(format!("set {env} to the path of {name}")),
        };
        d.with_note(which.build())
    }
}

/// Finds the archive from the environment of this process.
pub fn find_runtime_archive() -> Result<PathBuf, RuntimeNotFound> {
    find_archive(Archive::Runtime)
}

/// Finds the runtime archive or the JIT runtime archive from the environment of this
/// process.
pub fn find_archive(which: Archive) -> Result<PathBuf, RuntimeNotFound> {
    let exe = std::env::current_exe().map_err(|e| e.to_string());
    locate_archive(which, std::env::var_os(which.env()), exe)
}

/// Finds the archive given the value of `KILN_RUNTIME` and the executable's path.
pub fn locate(env: Option<OsString>, exe: Result<PathBuf, String>) -> Result<PathBuf, RuntimeNotFound> {
    locate_archive(Archive::Runtime, env, exe)
}

/// Finds the archive `which` given the value of its environment variable and the
/// executable's path.
pub fn locate_archive(which: Archive, env: Option<OsString>, exe: Result<PathBuf, String>) -> Result<PathBuf, RuntimeNotFound> {
    if let Some(value) = env.filter(|v| !v.is_empty()) {
        let path = PathBuf::from(value);
        return if path.is_file() { Ok(path) } else { Err(RuntimeNotFound::EnvMissing(path)) };
    }
    let exe = exe.map_err(RuntimeNotFound::NoExePath)?;
    // `current_exe` may name a symlink (a `kiln` linked into ~/bin): the archive sits
    // next to the real file.
    let exe = exe.canonicalize().unwrap_or(exe);
    let dir = exe.parent().unwrap_or(Path::new("."));
    let candidate = dir.join(which.name());
    if candidate.is_file() {
        Ok(candidate)
    } else {
        Err(RuntimeNotFound::NotNextToExe(candidate))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_wins_and_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("custom.a");
        std::fs::write(&archive, b"!<arch>\n").unwrap();
        let exe = Ok(dir.path().join("kiln"));
        assert_eq!(locate(Some(archive.clone().into()), exe.clone()), Ok(archive));
        let missing = dir.path().join("nope.a");
        let err = locate(Some(missing.clone().into()), exe).unwrap_err();
        assert_eq!(err, RuntimeNotFound::EnvMissing(missing));
        assert!(err.to_diagnostic().message.contains("KILN_RUNTIME is set to"));
    }

    #[test]
    fn next_to_the_executable_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("kiln");
        std::fs::write(&exe, b"").unwrap();
        let err = locate(None, Ok(exe.clone())).unwrap_err();
        let RuntimeNotFound::NotNextToExe(looked) = &err else { panic!("{err:?}") };
        assert!(looked.ends_with(ARCHIVE_NAME));
        assert!(err.to_diagnostic().message.contains("next to the kiln executable"));
        std::fs::write(dir.path().join(ARCHIVE_NAME), b"!<arch>\n").unwrap();
        let found = locate(Some(OsString::new()), Ok(exe)).unwrap();
        assert!(found.ends_with(ARCHIVE_NAME));
    }

    #[test]
    fn the_jit_archive_is_found_the_same_way() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("kiln");
        std::fs::write(&exe, b"").unwrap();
        std::fs::write(dir.path().join(ARCHIVE_NAME), b"!<arch>\n").unwrap();
        let err = locate_archive(Archive::Jit, None, Ok(exe.clone())).unwrap_err();
        let d = err.to_diagnostic_for(Archive::Jit);
        assert!(d.message.contains("JIT runtime archive") && d.message.contains(JIT_ARCHIVE_NAME), "{}", d.message);
        assert!(d.notes.iter().any(|n| n.contains("kiln-jit-archive")), "{:?}", d.notes);
        std::fs::write(dir.path().join(JIT_ARCHIVE_NAME), b"!<arch>\n").unwrap();
        assert!(locate_archive(Archive::Jit, None, Ok(exe)).unwrap().ends_with(JIT_ARCHIVE_NAME));
    }
}
