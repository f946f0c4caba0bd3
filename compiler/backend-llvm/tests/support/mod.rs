//! Helpers shared by the backend's tests: building small programs by hand, finding the
//! runtime archive, compiling to an executable and running it.

#![allow(dead_code)]

pub mod programs;

use std::path::PathBuf;
use std::process::Command;

use kiln_backend_llvm::{compile_to, BackendOptions, Emit};
use kiln_flowgraph::Span;
use kiln_lltype::builder::LlBuilder;
use kiln_lltype::{FieldRef, FuncId, FuncKind, LlConst, LlFunc, LlProgram, StaticId, StaticObj, StaticValue, TypeId};

/// Adds the function `b` built, with the given signature.
pub fn add_func(prog: &mut LlProgram, b: LlBuilder, params: &[TypeId], ret: TypeId) -> FuncId {
    let graph = b.finish();
    let ty = prog.types.func(params.to_vec(), ret);
    prog.add_func(LlFunc { name: graph.name.clone(), graph, ty, kind: FuncKind::User, hints: Default::default() })
}

/// A builder for `entry_point(argv: list of str) -> int`, and its `argv`.
pub fn entry_builder() -> (LlBuilder, kiln_flowgraph::Var) {
    let (b, p) = LlBuilder::new("entry_point", &[TypeId::LIST_STR_PTR], TypeId::SIGNED, Span::DUMMY);
    (b, p[0])
}

/// Adds the entry point `b` built and makes it the program's entry.
pub fn set_entry(prog: &mut LlProgram, b: LlBuilder) -> FuncId {
    let id = add_func(prog, b, &[TypeId::LIST_STR_PTR], TypeId::SIGNED);
    prog.entry = Some(id);
    id
}

/// A vtable for an exception class with instances of the `BaseException` layout.
pub fn exc_vtable(prog: &mut LlProgram, name: &str, min: i64, max: i64) -> StaticId {
    let name_str = prog.str_const(name);
    let size = prog.types.struct_layout(TypeId::BASE_EXCEPTION).size as i64;
    prog.add_static(StaticObj {
        ty: TypeId::VTABLE,
        value: StaticValue::Struct {
            fields: vec![LlConst::Signed(min), LlConst::Signed(max), name_str, LlConst::Signed(kiln_abi::typeid::BASE_EXCEPTION as i64), LlConst::Signed(size)],
            items: vec![],
        },
        name: format!("{name}_vtable"),
    })
}

pub fn vt(id: StaticId) -> LlConst {
    LlConst::Static(id, TypeId::VTABLE_PTR)
}

pub const TYPEPTR: FieldRef = FieldRef { strukt: TypeId::BASE_EXCEPTION, index: 0 };
pub const MESSAGE: FieldRef = FieldRef { strukt: TypeId::BASE_EXCEPTION, index: 1 };
pub const LIST_LENGTH: FieldRef = FieldRef { strukt: TypeId::LIST_STR, index: 0 };

/// The runtime archive: `KILN_RUNTIME`, else the newest `libkiln_runtime*.a` cargo built
/// next to this test (it is a dev-dependency, so `cargo test` builds it).
pub fn runtime_archive() -> PathBuf {
    if let Some(p) = std::env::var_os("KILN_RUNTIME") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("the test knows its own path");
    let deps = exe.parent().expect("tests run from target/<profile>/deps");
    let profile = deps.parent().expect("tests run from target/<profile>/deps");
    let mut candidates: Vec<PathBuf> = vec![profile.join("libkiln_runtime.a")];
    if let Ok(entries) = std::fs::read_dir(deps) {
        candidates.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("libkiln_runtime") && n.ends_with(".a"))),
        );
    }
    candidates
        .into_iter()
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .max()
        .map(|(_, p)| p)
        .unwrap_or_else(|| panic!("libkiln_runtime.a not found next to {}: run `cargo build -p kiln-runtime` or set KILN_RUNTIME", exe.display()))
}

/// What a translated program did.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: Option<i32>,
}

/// Runs the exception transform on `prog`, compiles it at `opt_level` to an executable,
/// and runs it with `args`.
pub fn build_and_run(mut prog: LlProgram, opt_level: u8, args: &[&str]) -> Run {
    assert_eq!(kiln_lltype::verify::verify_program(&prog), Vec::<String>::new(), "the hand-built program is valid");
    kiln_transform::run_all(&mut prog, &kiln_transform::TransformOptions { verify: true, ..Default::default() }).expect("the transforms succeed");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let exe = dir.path().join("program");
    let opts = BackendOptions { opt_level, emit: Emit::Bin, runtime_archive: Some(runtime_archive()), ..BackendOptions::default() };
    if let Err(e) = compile_to(&prog, &opts, &exe) {
        panic!("compiling failed: {e}");
    }
    let out = Command::new(&exe).args(args).output().expect("the translated program runs");
    Run { stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr: String::from_utf8_lossy(&out.stderr).into_owned(), code: out.status.code() }
}

/// A program translated for one collector: the executable lives as long as this value.
pub struct Translated {
    _dir: tempfile::TempDir,
    pub exe: PathBuf,
}

/// Runs every transform (with the GC transform for `policy`) on `prog` and compiles it
/// at `opt_level` to an executable.
pub fn translate(mut prog: LlProgram, policy: kiln_lltype::GcPolicy, opt_level: u8) -> Translated {
    assert_eq!(kiln_lltype::verify::verify_program(&prog), Vec::<String>::new(), "the hand-built program is valid");
    let options = kiln_transform::TransformOptions { verify: true, gc: Some(policy), stack_checks: true, jit: false };
    if let Err(e) = kiln_transform::run_all(&mut prog, &options) {
        panic!("the transforms fail: {e}");
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let exe = dir.path().join(format!("program-{policy}"));
    let opts = BackendOptions { opt_level, emit: Emit::Bin, runtime_archive: Some(runtime_archive()), ..BackendOptions::default() };
    if let Err(e) = compile_to(&prog, &opts, &exe) {
        panic!("compiling failed: {e}");
    }
    Translated { _dir: dir, exe }
}

impl Translated {
    /// Runs the program with `args` and extra environment variables.
    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(&self.exe);
        cmd.args(args);
        for var in ["KILN_GC_DEBUG", "KILN_GC_STATS", "KILN_GC_MAX_HEAP", "KILN_GC_NURSERY", "KILN_STACK_LIMIT"] {
            cmd.env_remove(var);
        }
        cmd.envs(env.iter().copied());
        let out = cmd.output().expect("the translated program runs");
        Run { stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr: String::from_utf8_lossy(&out.stderr).into_owned(), code: out.status.code() }
    }
}
