//! libFuzzer target: runs `kiln check` (import, flow graphs, annotation, RTyping) on each
//! input as a program. User input must never crash the toolchain, so a crash is an
//! internal compiler error (a panic in a stage, which the driver turns into an internal
//! diagnostic and exit code `EXIT_ICE`), an uncaught panic, or an abort (a stack overflow).

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use kiln_driver::{check, ColorChoice, Options, Verbosity, EXIT_ICE};
use libfuzzer_sys::fuzz_target;

/// The directory the inputs are written to, once per process, with the corpus's helper
/// modules (`_mathutil.py`, ...) beside them so that seeds that import them still import.
fn workdir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("kiln-fuzz-check-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let programs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/programs");
        if let Ok(entries) = std::fs::read_dir(&programs) {
            for e in entries.flatten() {
                let name = e.file_name();
                if name.to_string_lossy().starts_with('_') {
                    let _ = std::fs::copy(e.path(), dir.join(&name));
                }
            }
        }
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let path = workdir().join("fuzz_input.py");
    std::fs::write(&path, source).expect("the input written");
    let opts = Options { color: ColorChoice::Never, verbosity: Verbosity::Quiet, verify: true, ..Options::default() };
    let outcome = check(&opts, &path);
    assert!(outcome.exit_code != EXIT_ICE, "kiln check reported an internal compiler error");
});
