//! What the user asked for: the options every command shares, the arguments of each
//! command, and their validation (an option Kiln cannot honour is refused up front, with
//! a message naming what exists, rather than being ignored).

use std::path::{Path, PathBuf};

use kiln_diagnostics::{ColorChoice, Diagnostic};

use crate::report::plain_error;

pub use kiln_backend_llvm::Emit;

/// How much progress output to write to stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Verbosity {
    /// Diagnostics only (`-q`).
    Quiet,
    /// One line per stage, with its time.
    #[default]
    Normal,
    /// Also per-pass timings and the sizes of the graphs (`-v`).
    Verbose,
}

/// The garbage collectors Kiln can translate with (`--gc`); see docs/gc.md.
pub const GCS: &[&str] = &["incminimark", "semispace", "marksweep", "none"];

/// The collector used without `--gc`: PyPy's default, and the fast one.
pub const DEFAULT_GC: &str = "incminimark";

/// Options shared by every command.
#[derive(Clone, Debug)]
pub struct Options {
    pub color: ColorChoice,
    pub verbosity: Verbosity,
    /// The garbage collector (`--gc`); one of [`GCS`].
    pub gc: String,
    /// Insert stack-overflow checks (off with `--no-stackcheck`).
    pub stackcheck: bool,
    /// Run the IR verifiers after every pass, even in release builds (`--verify`).
    pub verify: bool,
    /// Generate a tracing JIT (`--jit`).
    pub jit: bool,
    /// Treat warnings as errors (`--strict`).
    pub strict: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { color: ColorChoice::Auto, verbosity: Verbosity::Normal, gc: DEFAULT_GC.into(), stackcheck: true, verify: false, jit: false, strict: false }
    }
}

impl Options {
    /// Whether the verifiers run after every pass: always in debug builds of Kiln.
    pub fn verify_ir(&self) -> bool {
        cfg!(debug_assertions) || self.verify
    }

    /// The collector `--gc` names.
    pub fn gc_policy(&self) -> Option<kiln_lltype::GcPolicy> {
        kiln_lltype::GcPolicy::from_name(&self.gc)
    }

    /// Refuses options this build cannot honour. The error is a usage error: the command
    /// line is wrong, not the program.
    pub fn validate(&self) -> Result<(), Diagnostic> {
        if self.gc_policy().is_none() {
            return Err(plain_error(format!("unknown garbage collector `{}`", self.gc))
                .with_note(format!("the collectors are: {} (the default is {DEFAULT_GC}; see docs/gc.md)", GCS.join(", "))));
        }
        Ok(())
    }
}

/// The arguments of `kiln translate`.
#[derive(Clone, Debug)]
pub struct TranslateArgs {
    pub input: PathBuf,
    /// Where to write the output; by default the input's stem next to it (with `.ll` or
    /// `.o` for IR and object files).
    pub output: Option<PathBuf>,
    /// LLVM optimization level, 0 to 3.
    pub opt_level: u8,
    pub emit: Emit,
}

impl TranslateArgs {
    pub fn new(input: impl Into<PathBuf>) -> TranslateArgs {
        TranslateArgs { input: input.into(), output: None, opt_level: 2, emit: Emit::Bin }
    }

    /// The output path: `-o`, or the input's stem next to the input.
    pub fn output_path(&self) -> PathBuf {
        if let Some(o) = &self.output {
            return o.clone();
        }
        default_output(&self.input, self.emit)
    }
}

fn default_output(input: &Path, emit: Emit) -> PathBuf {
    let stem = input.file_stem().map(|s| s.to_os_string()).unwrap_or_else(|| "out".into());
    emit_path(input.with_file_name(stem), emit)
}

/// `out` with the extension of what is emitted (none for an executable).
pub(crate) fn emit_path(out: PathBuf, emit: Emit) -> PathBuf {
    let mut out = out;
    match emit {
        Emit::Bin => {}
        Emit::Obj => {
            out.set_extension("o");
        }
        Emit::LlvmIr => {
            out.set_extension("ll");
        }
    }
    out
}

/// What `kiln dump` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DumpStage {
    /// Flow graphs, before annotation.
    Flow,
    /// Flow graphs with the annotator's types.
    Annotated,
    /// Low-level graphs as the RTyper produces them.
    Lltype,
    /// Low-level graphs after the stack-check and exception transforms.
    Transformed,
    /// Low-level graphs after the GC transform too (`--gc`), as the backend gets them.
    Gc,
    /// The LLVM IR of the whole program.
    Llvm,
    /// The JIT codewriter's jitcodes and descriptors.
    Jitcodes,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_outputs_sit_next_to_the_input() {
        let mut a = TranslateArgs::new("dir/prog.py");
        assert_eq!(a.output_path(), PathBuf::from("dir/prog"));
        a.emit = Emit::LlvmIr;
        assert_eq!(a.output_path(), PathBuf::from("dir/prog.ll"));
        a.emit = Emit::Obj;
        assert_eq!(a.output_path(), PathBuf::from("dir/prog.o"));
        a.output = Some("x/y".into());
        assert_eq!(a.output_path(), PathBuf::from("x/y"));
    }

    #[test]
    fn unknown_collectors_are_refused() {
        for gc in GCS {
            assert!(Options { gc: gc.to_string(), ..Options::default() }.validate().is_ok(), "{gc}");
        }
        let opts = Options { gc: "boehm".into(), ..Options::default() };
        let d = opts.validate().unwrap_err();
        assert!(d.message.contains("unknown garbage collector `boehm`"), "{}", d.message);
        assert!(d.notes[0].contains("incminimark, semispace, marksweep, none"), "{}", d.notes[0]);
        assert!(Options { jit: true, ..Options::default() }.validate().is_ok());
        assert!(Options::default().validate().is_ok());
    }
}
