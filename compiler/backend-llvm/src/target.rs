//! The host target machine, the optimization pipeline, object emission and linking with
//! the runtime archive through the system C compiler.

use std::path::Path;
use std::process::Command;

use inkwell::module::Module;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{CodeModel, FileType, InitializationConfig, RelocMode, Target, TargetMachine};
use inkwell::OptimizationLevel;

use crate::{BackendError, BackendOptions};

/// A target machine for the host, generating position-independent code (the C compiler
/// links PIE executables by default).
pub(crate) fn host_machine(opts: &BackendOptions) -> Result<TargetMachine, BackendError> {
    Target::initialize_native(&InitializationConfig::default()).map_err(BackendError::Target)?;
    let triple = TargetMachine::get_default_triple();
    let target = Target::from_triple(&triple).map_err(|e| BackendError::Target(e.to_string_lossy().into_owned()))?;
    let (cpu, features) = if opts.native_cpu {
        (TargetMachine::get_host_cpu_name().to_string(), TargetMachine::get_host_cpu_features().to_string())
    } else {
        (String::from("generic"), String::new())
    };
    let level = match opts.opt_level {
        0 => OptimizationLevel::None,
        1 => OptimizationLevel::Less,
        2 => OptimizationLevel::Default,
        _ => OptimizationLevel::Aggressive,
    };
    target
        .create_target_machine(&triple, &cpu, &features, level, RelocMode::PIC, CodeModel::Default)
        .ok_or_else(|| BackendError::Target(format!("LLVM cannot create a target machine for {}", triple.as_str().to_string_lossy())))
}

/// Runs the new pass manager's `default<On>` pipeline on the module.
pub(crate) fn optimize(module: &Module<'_>, machine: &TargetMachine, opt_level: u8) -> Result<(), BackendError> {
    module
        .run_passes(&format!("default<O{opt_level}>"), machine, PassBuilderOptions::create())
        .map_err(|e| BackendError::Codegen(format!("running the O{opt_level} pipeline: {}", e.to_string_lossy())))
}

pub(crate) fn object_code(module: &Module<'_>, machine: &TargetMachine) -> Result<Vec<u8>, BackendError> {
    machine
        .write_to_memory_buffer(module, FileType::Object)
        .map(|buf| buf.as_slice().to_vec())
        .map_err(|e| BackendError::Codegen(format!("generating object code: {}", e.to_string_lossy())))
}

/// Whether the gold linker is on the PATH: it links the runtime archive about twice as
/// fast as the default BFD linker.
fn have_gold() -> bool {
    static GOLD: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *GOLD.get_or_init(|| std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|d| d.join("ld.gold").is_file())))
}

/// Links `object` with the runtime archive into the executable `out`:
/// `cc -o OUT OBJ RUNTIME -Wl,--gc-sections -Wl,-S -lm -lpthread -ldl`, with gold when
/// it is installed. `-S` leaves out the runtime's debug information, which is most of
/// the archive: linking is three times faster and the binary ten times smaller.
pub(crate) fn link(object: &[u8], out: &Path, opts: &BackendOptions) -> Result<(), BackendError> {
    // A VM with a JIT links the runtime that holds it instead of the plain one (two Rust
    // static archives in one link would clash: docs/jit.md, "Build layout").
    let runtime = if opts.jit.is_some() { opts.jit_runtime_archive.as_deref() } else { opts.runtime_archive.as_deref() };
    let runtime = runtime.ok_or(BackendError::NoRuntimeArchive)?;
    if !runtime.is_file() {
        return Err(BackendError::MissingRuntimeArchive(runtime.to_path_buf()));
    }
    let dir = tempfile::Builder::new()
        .prefix("kiln-link")
        .tempdir()
        .map_err(|e| BackendError::Io { path: std::env::temp_dir(), error: e.to_string() })?;
    let obj_path = dir.path().join("program.o");
    std::fs::write(&obj_path, object).map_err(|e| BackendError::Io { path: obj_path.clone(), error: e.to_string() })?;
    let mut cmd = Command::new(&opts.cc);
    cmd.arg("-o").arg(out).arg(&obj_path).arg(runtime).args(["-Wl,--gc-sections", "-Wl,-S", "-lm", "-lpthread", "-ldl"]);
    if have_gold() {
        cmd.arg("-fuse-ld=gold");
    }
    let output = cmd
        .output()
        .map_err(|e| BackendError::LinkerNotFound { cc: opts.cc.clone(), error: e.to_string() })?;
    if !output.status.success() {
        return Err(BackendError::LinkFailed { cc: opts.cc.clone(), status: output.status.code(), stderr: String::from_utf8_lossy(&output.stderr).into_owned() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout tests check against a fixed x86-64 data layout; it must be the host's.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_host_uses_the_data_layout_the_layout_tests_assume() {
        let machine = host_machine(&BackendOptions::default()).expect("LLVM targets the host");
        let layout = machine.get_target_data().get_data_layout();
        assert_eq!(layout.as_str().to_str(), Ok(crate::types::X86_64_DATA_LAYOUT));
    }
}
