//! The driver's side of the JIT codewriter: finds the portal (the function holding the
//! `jit_merge_point` op the RTyper keeps) and runs `kiln_codewriter` on the RTyper's
//! output, for `kiln dump --stage jitcodes` and for `kiln translate --jit` (the jitcodes
//! and symbols the backend embeds in the VM).

use kiln_codewriter::Output;
use kiln_diagnostics::Diagnostic;
use kiln_lltype::LlProgram;

use crate::report::plain_error;

/// Runs the codewriter on the RTyper's output (before the transforms).
pub fn codewrite(ll: &LlProgram) -> Result<Output, Diagnostic> {
    let sites = kiln_codewriter::merge_point_sites(ll);
    if let [(f0, d0, first), rest @ ..] = sites.as_slice() {
        if let Some((f1, d1, second)) = rest.first() {
            let what = |f: &kiln_lltype::FuncId, d: &kiln_lltype::JitDriverId| {
                format!("`{}` (driver `{}`)", ll.func(*f).name, ll.jit_drivers.get(d.0 as usize).map_or("?", |x| x.name.as_str()))
            };
            let mut diag = Diagnostic::error("E0952", format!("more than one jit_merge_point site: {} and {}; Kiln's JIT handles one portal per program for now", what(f0, d0), what(f1, d1)))
                .with_primary(second.clone(), "a second portal")
                .with_label(first.clone(), "the first portal");
            if rest.len() > 1 {
                diag = diag.with_note(format!("{} more site(s) after these", rest.len() - 1));
            }
            return Err(diag.with_note("RPython makes a portal of every JitDriver; Kiln does not yet: keep one `jit_merge_point` (one driver, in one function) for `--jit`, or translate without `--jit` (docs/jit-hints.md)"));
        }
    }
    let (portal, driver) = kiln_codewriter::find_portal(ll).map_err(|e| {
        plain_error(e).with_note("the codewriter starts from the interpreter's dispatch loop, marked by `driver.jit_merge_point(...)` (docs/jit-hints.md)")
    })?;
    let out = kiln_codewriter::codewrite(ll, portal, driver).map_err(|e| if e.starts_with("internal error") { Diagnostic::internal(e) } else { plain_error(e) })?;
    let errors = kiln_jitcode::verify_set(&out.set);
    if !errors.is_empty() {
        return Err(Diagnostic::internal(format!("the codewriter made invalid jitcodes: {}", errors.join("; "))));
    }
    Ok(out)
}

/// Whether the program has a `jit_merge_point` anywhere (a portal to rewrite).
pub fn has_merge_point(ll: &LlProgram) -> bool {
    ll.func_ids().any(|f| {
        let mut found = false;
        ll.func(f).graph.for_each_op(|_, op| found |= matches!(op.op, kiln_lltype::LlOp::JitMergePoint(_)));
        found
    })
}

/// For `kiln translate --jit`: the jitcodes and symbols the backend embeds, or `None`
/// when the program has no merge point (no JIT to generate). Runs the codewriter on the
/// RTyper's output (before the transforms); its errors are diagnostics.
pub fn embed(ll: &LlProgram) -> Result<Option<kiln_backend_llvm::JitEmbed>, Diagnostic> {
    if !has_merge_point(ll) {
        return Ok(None);
    }
    let out = codewrite(ll)?;
    let symbols = out
        .set
        .symbols
        .iter()
        .map(|s| match s.kind {
            kiln_jitcode::SymbolKind::Func => kiln_backend_llvm::JitSymbol::Func(s.name.clone()),
            kiln_jitcode::SymbolKind::Static => kiln_backend_llvm::JitSymbol::Static(s.name.clone()),
            kiln_jitcode::SymbolKind::Runtime => kiln_backend_llvm::JitSymbol::Runtime(s.name.clone()),
        })
        .collect();
    Ok(Some(kiln_backend_llvm::JitEmbed { jitcodes: kiln_jitcode::to_bytes(&out.set), symbols }))
}
