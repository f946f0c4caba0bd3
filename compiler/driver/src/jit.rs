//! The driver's side of the JIT codewriter: finds the portals (for each driver, the
//! function holding its `jit_merge_point` op, which the RTyper keeps) and runs
//! `kiln_codewriter` on the RTyper's output, for `kiln dump --stage jitcodes` and for `kiln translate --jit` (the jitcodes
//! and symbols the backend embeds in the VM).

use kiln_codewriter::Output;
use kiln_diagnostics::Diagnostic;
use kiln_lltype::LlProgram;

use crate::report::plain_error;

/// Runs the codewriter on the RTyper's output (before the transforms).
pub fn codewrite(ll: &LlProgram) -> Result<Output, Diagnostic> {
    check_merge_points(ll)?;
    let portals = kiln_codewriter::find_portals(ll).map_err(|e| {
        plain_error(e).with_note("the codewriter starts from the interpreter's dispatch loop, marked by `driver.jit_merge_point(...)` (docs/jit-hints.md)")
    })?;
    let out = kiln_codewriter::codewrite(ll, &portals).map_err(|e| if e.starts_with("internal error") { Diagnostic::internal(e) } else { plain_error(e) })?;
    let errors = kiln_jitcode::verify_set(&out.set);
    if !errors.is_empty() {
        return Err(Diagnostic::internal(format!("the codewriter made invalid jitcodes: {}", errors.join("; "))));
    }
    Ok(out)
}

/// RPython's rule, with spans: each driver has one `jit_merge_point` (its portal), and a
/// function is the portal of one driver. Anything else is E0952.
fn check_merge_points(ll: &LlProgram) -> Result<(), Diagnostic> {
    let sites = kiln_codewriter::merge_point_sites(ll);
    let name = |d: &kiln_lltype::JitDriverId| ll.jit_drivers.get(d.0 as usize).map_or("?", |x| x.name.as_str());
    for (k, (f1, d1, second)) in sites.iter().enumerate() {
        for (f0, d0, first) in &sites[..k] {
            let (msg, note) = if d0 == d1 {
                let place = if f0 == f1 { format!("both in `{}`", ll.func(*f0).name) } else { format!("in `{}` and in `{}`", ll.func(*f0).name, ll.func(*f1).name) };
                (
                    format!("the driver `{}` has more than one jit_merge_point ({place}); a driver has one merge point, its portal", name(d0)),
                    "RPython's rule: one `jit_merge_point` per `JitDriver`, at the top of the loop it traces; use one driver per loop (docs/jit-hints.md)",
                )
            } else if f0 == f1 {
                (
                    format!("`{}` holds the jit_merge_point of two drivers, `{}` and `{}`; a function is the portal of one driver", ll.func(*f0).name, name(d0), name(d1)),
                    "move one of the loops into a function of its own (docs/jit-hints.md)",
                )
            } else {
                continue;
            };
            return Err(Diagnostic::error("E0952", msg).with_primary(second.clone(), "this merge point").with_label(first.clone(), "the first one").with_note(note));
        }
    }
    Ok(())
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
