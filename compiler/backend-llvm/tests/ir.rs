//! Snapshots of the LLVM IR the backend emits at O0, and its typed errors.

mod support;

use kiln_backend_llvm::{compile, compile_to, BackendError, BackendOptions, Emit};
use kiln_flowgraph::Span;
use kiln_lltype::builder::{int, v, LlBuilder};
use kiln_lltype::{LlOp, LlProgram, TypeId};
use support::*;

/// ```python
/// def capped_sum(n, cap):
///     s = 0
///     for i in range(n): s += i
///     return s if s < cap else cap
/// ```
/// with a trivial entry point calling it.
fn capped_sum_program() -> LlProgram {
    let mut prog = LlProgram::new();
    let (mut b, p) = LlBuilder::new("capped_sum", &[TypeId::SIGNED, TypeId::SIGNED], TypeId::SIGNED, Span::DUMMY);
    let (head, h) = b.new_block(&[TypeId::SIGNED, TypeId::SIGNED, TypeId::SIGNED, TypeId::SIGNED]);
    b.jump(head, vec![int(0), int(0), v(p[0]), v(p[1])]);
    b.switch_to(head);
    let more = b.op(LlOp::IntLt, vec![v(h[0]), v(h[2])], TypeId::BOOL);
    let (body, bv) = b.new_block(&[TypeId::SIGNED, TypeId::SIGNED, TypeId::SIGNED, TypeId::SIGNED]);
    let (done, dv) = b.new_block(&[TypeId::SIGNED, TypeId::SIGNED]);
    b.branch(v(more), (body, vec![v(h[0]), v(h[1]), v(h[2]), v(h[3])]), (done, vec![v(h[1]), v(h[3])]));
    b.switch_to(body);
    let s = b.op(LlOp::IntAdd, vec![v(bv[1]), v(bv[0])], TypeId::SIGNED);
    let i = b.op(LlOp::IntAdd, vec![v(bv[0]), int(1)], TypeId::SIGNED);
    b.jump(head, vec![v(i), v(s), v(bv[2]), v(bv[3])]);
    b.switch_to(done);
    let below = b.op(LlOp::IntLt, vec![v(dv[0]), v(dv[1])], TypeId::BOOL);
    let rb = b.graph.returnblock;
    b.branch(v(below), (rb, vec![v(dv[0])]), (rb, vec![v(dv[1])]));
    let f = add_func(&mut prog, b, &[TypeId::SIGNED, TypeId::SIGNED], TypeId::SIGNED);
    let fc = prog.func_const(f);

    let (mut b, _) = entry_builder();
    let r = b.op(LlOp::DirectCall, vec![kiln_lltype::builder::c(fc), int(10), int(20)], TypeId::SIGNED);
    b.ret(v(r));
    set_entry(&mut prog, b);
    prog
}

/// The text of one function in a module's IR.
fn function_ir(module: &str, name: &str) -> String {
    let start = module.find(&format!("@{name}(")).and_then(|at| module[..at].rfind("define ")).unwrap_or_else(|| panic!("no function {name} in:\n{module}"));
    let end = start + module[start..].find("\n}\n").expect("a function ends with a closing brace") + 3;
    module[start..end].to_string()
}

fn ir_options() -> BackendOptions {
    BackendOptions { opt_level: 0, emit: Emit::LlvmIr, ..BackendOptions::default() }
}

#[test]
fn a_loop_and_a_two_way_return_at_o0() {
    let compiled = compile(&capped_sum_program(), &ir_options()).expect("compiles");
    insta::assert_snapshot!("capped_sum_o0", function_ir(&compiled.llvm_ir, "kiln.capped_sum"));
    insta::assert_snapshot!("main", function_ir(&compiled.llvm_ir, "main"));
    assert!(compiled.object.is_none(), "IR alone was asked for");
}

#[test]
fn the_optimizer_runs_at_o2() {
    let opts = BackendOptions { opt_level: 2, ..ir_options() };
    let compiled = compile(&capped_sum_program(), &opts).expect("compiles");
    // Everything is inlined into `main` and folded: sum(range(10)) = 45 is capped to 20.
    assert!(!compiled.llvm_ir.contains("@kiln.capped_sum("), "{}", compiled.llvm_ir);
    assert!(function_ir(&compiled.llvm_ir, "main").contains("@kiln_rt_finish(i64 20)"), "{}", compiled.llvm_ir);
}

#[test]
fn errors_are_typed_and_say_what_to_do() {
    let no_entry = compile(&LlProgram::new(), &ir_options()).unwrap_err();
    assert!(matches!(no_entry, BackendError::NoEntryPoint), "{no_entry}");

    let bad_opt = compile(&capped_sum_program(), &BackendOptions { opt_level: 4, ..ir_options() }).unwrap_err();
    assert_eq!(bad_opt.to_string(), "invalid optimization level 4: expected 0, 1, 2 or 3");

    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("program");
    let missing = dir.path().join("libkiln_runtime.a");
    let opts = BackendOptions { emit: Emit::Bin, runtime_archive: Some(missing.clone()), ..ir_options() };
    match compile_to(&capped_sum_program(), &opts, &out).unwrap_err() {
        BackendError::MissingRuntimeArchive(p) => assert_eq!(p, missing),
        other => panic!("unexpected error: {other}"),
    }
    let opts = BackendOptions { emit: Emit::Bin, runtime_archive: None, ..ir_options() };
    let err = compile_to(&capped_sum_program(), &opts, &out).unwrap_err();
    assert!(err.to_string().contains("KILN_RUNTIME"), "{err}");

    let opts = BackendOptions { emit: Emit::Bin, runtime_archive: Some(runtime_archive()), cc: dir.path().join("no-such-cc"), ..ir_options() };
    let err = compile_to(&capped_sum_program(), &opts, &out).unwrap_err();
    assert!(matches!(err, BackendError::LinkerNotFound { .. }), "{err}");

    // An archive that is not one: the link fails and the linker's message is kept.
    let bogus = dir.path().join("bogus.a");
    std::fs::write(&bogus, "not an archive").expect("writes");
    let opts = BackendOptions { emit: Emit::Bin, runtime_archive: Some(bogus), ..ir_options() };
    let err = compile_to(&capped_sum_program(), &opts, &out).unwrap_err();
    match &err {
        BackendError::LinkFailed { stderr, .. } => assert!(!stderr.is_empty()),
        other => panic!("unexpected error: {other}"),
    }
    assert!(err.to_string().starts_with("linking with `cc` failed"), "{err}");
}

#[test]
fn untransformed_programs_are_refused() {
    let mut prog = LlProgram::new();
    let (mut b, _) = entry_builder();
    b.raise(kiln_lltype::builder::c(kiln_lltype::LlConst::Null(TypeId::VTABLE_PTR)), kiln_lltype::builder::c(kiln_lltype::LlConst::Null(TypeId::OBJECT_PTR)));
    set_entry(&mut prog, b);
    let err = compile(&prog, &ir_options()).unwrap_err();
    assert!(err.to_string().contains("the exception transform has not run"), "{err}");
}

#[test]
fn object_files_are_written() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("program.o");
    let opts = BackendOptions { emit: Emit::Obj, ..ir_options() };
    compile_to(&capped_sum_program(), &opts, &out).expect("compiles");
    let bytes = std::fs::read(&out).expect("the object exists");
    assert_eq!(&bytes[..4], b"\x7fELF");
}
