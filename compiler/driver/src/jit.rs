//! The driver's side of the JIT codewriter: finds the portal (the function holding the
//! `jit_merge_point` op the RTyper keeps) and runs `kiln_codewriter` on the RTyper's
//! output, for `kiln dump --stage jitcodes`.

use kiln_codewriter::Output;
use kiln_diagnostics::Diagnostic;
use kiln_lltype::LlProgram;

use crate::report::plain_error;

/// Runs the codewriter on the RTyper's output (before the transforms).
pub fn codewrite(ll: &LlProgram) -> Result<Output, Diagnostic> {
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
