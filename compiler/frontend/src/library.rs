//! The RPy library Kiln carries inside its binary: the `rpython.rlib` modules written in
//! RPy itself (`rbigint`, `rerased`, `rfloat`, ...), imported by the translator like user
//! modules.
//!
//! The sources are the files of the CPython support package
//! (`runtime/python/rpython/rlib/*.py`), compiled into the `kiln` binary with
//! `include_str!`, so CPython and the translator read the same text, and a `kiln` binary
//! copied anywhere (without the source tree) still has them. They live under the virtual
//! directory [`LIBRARY_ROOT`], which the evaluator searches before the program's own
//! directory; loaders ([`crate::memory::MemoryLoader`], the driver's database) ask
//! [`source`] before the file system. Diagnostics inside them name
//! `<kiln-lib>/rpython/rlib/<module>.py`.

use std::path::Path;

/// The virtual directory holding the library's modules.
pub const LIBRARY_ROOT: &str = "<kiln-lib>";

macro_rules! library {
    ($($path:literal),* $(,)?) => {
        /// (path under [`LIBRARY_ROOT`], source text) of every library module.
        pub const MODULES: &[(&str, &str)] = &[
            $(($path, include_str!(concat!("../../../runtime/python/", $path))),)*
        ];
    };
}

library!(
    "rpython/rlib/rarithmetic.py",
    "rpython/rlib/rstring.py",
    "rpython/rlib/rbigint.py",
    "rpython/rlib/rerased.py",
    "rpython/rlib/rfloat.py",
    "rpython/rlib/longlong2float.py",
    "rpython/rlib/streamio.py",
);

/// The source of the library module at `path` (`<kiln-lib>/rpython/rlib/rbigint.py`), or
/// None when `path` is not one.
pub fn source(path: &Path) -> Option<&'static str> {
    let rel = path.strip_prefix(LIBRARY_ROOT).ok()?;
    let rel = rel.to_str()?;
    MODULES.iter().find(|(p, _)| *p == rel).map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_modules_under_the_virtual_root_only() {
        assert!(source(Path::new("<kiln-lib>/rpython/rlib/rbigint.py")).is_some_and(|s| s.contains("class rbigint")));
        assert!(source(Path::new("rpython/rlib/rbigint.py")).is_none());
        assert!(source(Path::new("<kiln-lib>/rpython/rlib/nothere.py")).is_none());
    }
}
