//! The LLVM backend: turns an exception-transformed [`LlProgram`] into LLVM IR, an object
//! file, or an executable linked with the Kiln runtime. The only crate that uses inkwell at
//! translation time.
//!
//! Entry point: [`compile`] builds and verifies the LLVM module, runs the `default<On>`
//! pipeline for the host, and returns a [`Compiled`] holding the IR text and (for
//! [`Emit::Obj`] and [`Emit::Bin`]) the object code; [`Compiled::write`] writes the
//! requested output, linking with the system C compiler for executables.
//!
//! What it produces (see the submodules for details):
//! - one internal LLVM function per `LlFunc`, named `kiln.<name>` so that no generated
//!   symbol can clash with a C or runtime symbol; block inputs become phi nodes;
//! - one internal global per prebuilt object, laid out as `lltype` and `kiln_abi` say,
//!   the GC type-info table and the `ProgramInfo` the runtime starts from;
//! - a C `main` that calls `kiln_rt_start`, the entry point, then `kiln_rt_finish`.
//!
//! Invariants: the backend never transforms graphs. Its input must have gone through the
//! exception transform (no catching blocks, no raise links); a program that has not is
//! refused with [`BackendError::Internal`]. Every user-reachable failure (a missing runtime
//! archive, a failed link) is a typed [`BackendError`], never a panic.

mod codegen;
mod data;
mod jit;
mod target;
mod types;

use std::fmt;
use std::path::{Path, PathBuf};

use inkwell::context::Context;
use kiln_lltype::LlProgram;

pub use jit::{JitEmbed, JitSymbol};

/// What to produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emit {
    /// LLVM IR text (`--emit=llvm-ir`).
    LlvmIr,
    /// A relocatable object file (`--emit=obj`).
    Obj,
    /// An executable linked with the runtime (`--emit=bin`).
    Bin,
}

/// Options of the backend.
#[derive(Clone, Debug)]
pub struct BackendOptions {
    /// LLVM optimization level, 0 to 3: runs the `default<On>` pipeline.
    pub opt_level: u8,
    pub emit: Emit,
    /// The runtime's static archive (`libkiln_runtime.a`); needed for [`Emit::Bin`].
    pub runtime_archive: Option<PathBuf>,
    /// What to embed for the JIT (`--jit` with a portal): the VM then links
    /// [`BackendOptions::jit_runtime_archive`] instead of the runtime archive.
    pub jit: Option<JitEmbed>,
    /// The runtime with the JIT (`libkiln_jit.a`); needed for [`Emit::Bin`] with `jit`.
    pub jit_runtime_archive: Option<PathBuf>,
    /// The C compiler used as the linker driver.
    pub cc: PathBuf,
    /// Generate code for the host CPU's features instead of generic x86-64 (the binary
    /// may then not run on older machines).
    pub native_cpu: bool,
}

impl Default for BackendOptions {
    fn default() -> Self {
        BackendOptions { opt_level: 2, emit: Emit::Bin, runtime_archive: None, jit: None, jit_runtime_archive: None, cc: PathBuf::from("cc"), native_cpu: false }
    }
}

/// The result of [`compile`].
#[derive(Clone, Debug)]
pub struct Compiled {
    /// The module's LLVM IR after optimization.
    pub llvm_ir: String,
    /// Object code for the host, when [`BackendOptions::emit`] asked for an object or a
    /// binary.
    pub object: Option<Vec<u8>>,
}

/// Why the backend failed.
#[derive(Debug)]
pub enum BackendError {
    /// The program has no entry point.
    NoEntryPoint,
    /// The entry point does not have the type `fn(list of str) -> int`.
    BadEntryPoint { name: String, found: String },
    /// `--opt` outside 0..=3.
    InvalidOptLevel(u8),
    /// A bug in Kiln: the input breaks the backend's contract, or LLVM rejected the module.
    Internal(String),
    /// LLVM could not target the host.
    Target(String),
    /// LLVM failed to optimize or to generate code.
    Codegen(String),
    /// An executable was asked for but no runtime archive was given.
    NoRuntimeArchive,
    /// The runtime archive does not exist.
    MissingRuntimeArchive(PathBuf),
    /// The C compiler used to link could not be started.
    LinkerNotFound { cc: PathBuf, error: String },
    /// The link failed; `stderr` is the linker's output.
    LinkFailed { cc: PathBuf, status: Option<i32>, stderr: String },
    /// [`Compiled::write`] was asked for an object or binary that was not generated.
    NoObjectCode,
    /// Writing an output or temporary file failed.
    Io { path: PathBuf, error: String },
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackendError::NoEntryPoint => write!(f, "the program has no entry point (`def entry_point(argv)`)"),
            BackendError::BadEntryPoint { name, found } => {
                write!(f, "the entry point `{name}` must take a list of str and return an int, but has type {found}")
            }
            BackendError::InvalidOptLevel(n) => write!(f, "invalid optimization level {n}: expected 0, 1, 2 or 3"),
            BackendError::Internal(m) => write!(f, "internal compiler error in the LLVM backend: {m}"),
            BackendError::Target(m) => write!(f, "cannot generate code for this machine: {m}"),
            BackendError::Codegen(m) => write!(f, "LLVM failed: {m}"),
            BackendError::NoRuntimeArchive => write!(
                f,
                "cannot link an executable: the Kiln runtime archive (libkiln_runtime.a) was not found; \
                 put it next to the kiln executable or set KILN_RUNTIME to its path"
            ),
            BackendError::MissingRuntimeArchive(p) => write!(
                f,
                "cannot link an executable: the Kiln runtime archive {} does not exist; \
                 build it with `cargo build -p kiln-runtime` or set KILN_RUNTIME to its path",
                p.display()
            ),
            BackendError::LinkerNotFound { cc, error } => {
                write!(f, "cannot link an executable: failed to run the C compiler `{}`: {error}", cc.display())
            }
            BackendError::LinkFailed { cc, status, stderr } => {
                let status = status.map_or("a signal".to_string(), |s| format!("status {s}"));
                write!(f, "linking with `{}` failed with {status}:\n{}", cc.display(), stderr.trim_end())
            }
            BackendError::NoObjectCode => write!(f, "no object code was generated: compile with --emit=obj or --emit=bin"),
            BackendError::Io { path, error } => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for BackendError {}

impl From<inkwell::builder::BuilderError> for BackendError {
    fn from(e: inkwell::builder::BuilderError) -> Self {
        BackendError::Internal(format!("building LLVM IR: {e}"))
    }
}

/// Compiles `prog` (which must have gone through the exception transform) to LLVM IR
/// and, unless only IR is asked for, to object code for the host.
pub fn compile(prog: &LlProgram, opts: &BackendOptions) -> Result<Compiled, BackendError> {
    if opts.opt_level > 3 {
        return Err(BackendError::InvalidOptLevel(opts.opt_level));
    }
    let machine = target::host_machine(opts)?;
    let ctx = Context::create();
    let module = codegen::lower_program(&ctx, prog, &machine, opts.jit.as_ref())?;
    module.verify().map_err(|e| BackendError::Internal(format!("LLVM rejected the generated module: {}", e.to_string_lossy())))?;
    target::optimize(&module, &machine, opts.opt_level)?;
    let llvm_ir = module.print_to_string().to_string();
    let object = match opts.emit {
        Emit::LlvmIr => None,
        Emit::Obj | Emit::Bin => Some(target::object_code(&module, &machine)?),
    };
    Ok(Compiled { llvm_ir, object })
}

impl Compiled {
    /// Writes the output `emit` asks for to `out`: IR text, the object file, or an
    /// executable linked with the runtime archive of `opts`.
    pub fn write(&self, emit: Emit, out: &Path, opts: &BackendOptions) -> Result<(), BackendError> {
        match emit {
            Emit::LlvmIr => write_file(out, self.llvm_ir.as_bytes()),
            Emit::Obj => write_file(out, self.object.as_deref().ok_or(BackendError::NoObjectCode)?),
            Emit::Bin => target::link(self.object.as_deref().ok_or(BackendError::NoObjectCode)?, out, opts),
        }
    }
}

/// Compiles `prog` and writes what `opts.emit` asks for to `out`.
pub fn compile_to(prog: &LlProgram, opts: &BackendOptions, out: &Path) -> Result<Compiled, BackendError> {
    let compiled = compile(prog, opts)?;
    compiled.write(opts.emit, out, opts)?;
    Ok(compiled)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), BackendError> {
    std::fs::write(path, bytes).map_err(|e| BackendError::Io { path: path.to_path_buf(), error: e.to_string() })
}
