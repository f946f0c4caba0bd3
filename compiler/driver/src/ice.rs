//! Internal compiler errors: a panic inside a stage becomes a diagnostic that says it is a
//! bug in Kiln, instead of a crash, so that user input can never take the toolchain down
//! with a Rust backtrace.
//!
//! [`catch`] runs a stage under `catch_unwind`. A panic hook, installed once, records the
//! panic's message and location for the stage that catches it and keeps the default
//! "thread panicked" text off stderr; panics outside [`catch`] still reach the previous
//! hook unchanged.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use kiln_diagnostics::Diagnostic;

thread_local! {
    /// How many [`catch`] calls are active on this thread.
    static CATCHING: Cell<u32> = const { Cell::new(0) };
    /// What the hook recorded about the last caught panic: message, location, backtrace.
    static LAST_PANIC: RefCell<Option<PanicReport>> = const { RefCell::new(None) };
}

struct PanicReport {
    message: String,
    location: Option<String>,
    backtrace: Option<String>,
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) == 0 {
                previous(info);
                return;
            }
            let backtrace = std::backtrace::Backtrace::capture();
            let backtrace = (backtrace.status() == std::backtrace::BacktraceStatus::Captured).then(|| backtrace.to_string());
            let report = PanicReport {
                message: payload_text(info.payload()),
                location: info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())),
                backtrace,
            };
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(report));
        }));
    });
}

fn payload_text(payload: &dyn Any) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_string()
    }
}

/// Runs `f`; a panic inside it becomes an internal-compiler-error diagnostic naming
/// `stage`.
pub fn catch<T>(stage: &str, f: impl FnOnce() -> T) -> Result<T, Diagnostic> {
    install_hook();
    CATCHING.with(|c| c.set(c.get() + 1));
    kiln_diagnostics::whereabouts::clear();
    // The stages only read what they are given or own what they build, so nothing is
    // left half-updated behind the unwind that the driver would look at afterwards.
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get() - 1));
    let whereabouts = kiln_diagnostics::whereabouts::current();
    kiln_diagnostics::whereabouts::clear();
    result.map_err(|payload| {
        let report = LAST_PANIC.with(|p| p.borrow_mut().take());
        let report = report.unwrap_or_else(|| PanicReport { message: payload_text(&*payload), location: None, backtrace: None });
        let mut d = match whereabouts {
            // The function (and operation) the stage was working on when it panicked.
            Some((function, span)) => Diagnostic::internal(format!("the {stage} stage panicked in function '{function}': {}", report.message))
                .with_primary(span, format!("while working on `{function}` here")),
            None => Diagnostic::internal(format!("the {stage} stage panicked: {}", report.message)),
        };
        if let Some(loc) = report.location {
            d = d.with_note(format!("panicked at {loc}"));
        }
        match report.backtrace {
            Some(bt) => d.with_note(format!("backtrace:\n{bt}")),
            None => d.with_note("run with RUST_BACKTRACE=1 to include a backtrace in this report"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error_naming_the_stage() {
        let d = catch("flow", || -> u32 { panic!("boom {}", 42) }).unwrap_err();
        assert!(d.internal);
        assert!(d.message.starts_with("internal compiler error: the flow stage panicked: boom 42"), "{}", d.message);
        assert!(d.notes.iter().any(|n| n.starts_with("panicked at ") && n.contains("ice.rs")), "{:?}", d.notes);
        assert!(d.notes.iter().any(|n| n.contains("bug in Kiln")), "{:?}", d.notes);
    }

    #[test]
    fn a_panic_names_the_function_being_worked_on() {
        use kiln_diagnostics::{whereabouts, FileId, Span};
        let span = Span::new(FileId(0), 3, 9);
        let d = catch("rtyper", || -> u32 {
            whereabouts::enter_function("Interp.step", Span::new(FileId(0), 0, 40));
            whereabouts::at(span);
            panic!("boom")
        })
        .unwrap_err();
        assert!(d.message.contains("rtyper stage panicked in function 'Interp.step': boom"), "{}", d.message);
        assert_eq!(d.primary.as_ref().map(|p| p.span), Some(span), "{:?}", d.primary);
        // The next stage starts with no stale location.
        let d = catch("backend", || -> u32 { panic!("again") }).unwrap_err();
        assert!(d.primary.is_none() && !d.message.contains("Interp.step"), "{}", d.message);
    }

    #[test]
    fn values_pass_through_and_catching_nests() {
        assert_eq!(catch("outer", || catch("inner", || 7).unwrap()).unwrap(), 7);
        let inner = catch("outer", || catch("inner", || -> () { panic!("deep") })).unwrap();
        assert!(inner.unwrap_err().message.contains("inner stage panicked: deep"));
    }
}
