//! Exit codes and the errors that are about the command line or the machine rather than
//! the program (no code, no span).

use kiln_diagnostics::{Diagnostic, Severity};

/// Success.
pub const EXIT_OK: i32 = 0;
/// The program has errors, or the translation failed (a missing runtime archive, a failed
/// link).
pub const EXIT_FAILURE: i32 = 1;
/// The command line is wrong: an unknown option value, an option this build cannot honour.
pub const EXIT_USAGE: i32 = 2;
/// An internal compiler error: a bug in Kiln.
pub const EXIT_ICE: i32 = 101;

/// An error about the command line or the machine: no code, no span.
pub fn plain_error(message: impl Into<String>) -> Diagnostic {
    Diagnostic { severity: Severity::Error, code: None, message: message.into(), primary: None, secondary: Vec::new(), notes: Vec::new(), internal: false }
}

/// The exit code for a list of reported diagnostics: internal errors win over user errors.
pub fn exit_code_for(diags: &[Diagnostic]) -> i32 {
    if diags.iter().any(|d| d.internal) {
        EXIT_ICE
    } else if diags.iter().any(Diagnostic::is_error) {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_win_over_user_errors() {
        let user = Diagnostic::error("E0202", "name 'x' is not defined");
        let ice = Diagnostic::internal("the flow stage panicked");
        assert_eq!(exit_code_for(&[]), EXIT_OK);
        assert_eq!(exit_code_for(std::slice::from_ref(&user)), EXIT_FAILURE);
        assert_eq!(exit_code_for(&[user, ice]), EXIT_ICE);
    }
}
